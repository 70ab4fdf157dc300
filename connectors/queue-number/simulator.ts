/**
 * A local queue-number machine (排号机), configured with the halls of the
 * connector's settings. Online bookings and the tickets the on-site machine
 * prints (POST /_walkIn) draw from one sequence per hall per day; online
 * bookings also take a place in their time slot, up to the slot's quota, and
 * one ID number holds one active booking per hall per day. Numbers and places
 * are claimed with atomic inserts, so concurrent requests in any number of
 * processes never share one and leave no gap. The same request id gets the
 * same ticket. GET /halls/{id}/slots?date= tells the places left. A test
 * plays the window: POST /_call {ticketId, window} and POST /_noShow
 * {ticketId} send the signed notices. Faults on demand: POST /_control.
 */
import type { RecordStore, SimRequest, SimResponse, Simulator, SimulatorContext } from '../../engine/core/connectors/port.ts';
import { signedHeaders } from '../lib/signing.ts';
import { hang, json, parseJson, pause, readSignedRequest, setControl, takeFault } from '../lib/simulator-kit.ts';
import { dailyQuota, displayNumber, hallDay, referenceTime, slotReferenceTime, slotsOf, type Hall } from './halls.ts';
import { hallsOf } from './settings.ts';

const NOTICE_DELAY_MS = 30;

type TicketStatus = 'waiting' | 'called' | 'noShow' | 'cancelled';

interface Ticket {
  ticketId: string;
  hallId: string;
  matter: string;
  date: string;
  /** The booked slot (online tickets). */
  slot: string | null;
  seq: number;
  number: string;
  channel: 'online' | 'walkIn';
  referenceTime: string;
  status: TicketStatus;
  calls: number;
  holder: { name?: unknown; idNumber?: unknown; phone?: unknown } | null;
}

const ticketAnswer = (t: Ticket, hall: Hall) => ({
  ticketId: t.ticketId,
  number: t.number,
  date: t.date,
  slot: t.slot,
  hallName: hall.name,
  hallAddress: hall.address,
  referenceTime: t.referenceTime,
  status: t.status,
});

async function ticket(records: RecordStore, ticketId: string): Promise<Ticket | null> {
  return ((await records.get('ticket', ticketId))?.data as unknown as Ticket | undefined) ?? null;
}

const saveTicket = (records: RecordStore, t: Ticket) => records.put('ticket', t.ticketId, t as unknown as Record<string, unknown>);

/**
 * The next free place of a counter (a day's numbers, a slot's places): try
 * the one after the last known, and on. The insert decides (atomic across
 * processes); "last" is only a hint where to start, so a hint written out of
 * order costs a try, never a duplicate. Every place up to a hint is taken, so
 * none is skipped.
 */
async function claimNext(records: RecordStore, kind: 'number' | 'place', scope: string, ticketIdOf: (seq: number) => string): Promise<number> {
  const last = await lastClaimed(records, kind, scope);
  for (let seq = last + 1; ; seq++) {
    if ((await records.putIfAbsent(kind, `${scope}:${seq}`, { ticketId: ticketIdOf(seq) })).inserted) {
      await records.put(`${kind}-last`, scope, { last: seq });
      return seq;
    }
  }
}

const lastClaimed = async (records: RecordStore, kind: 'number' | 'place', scope: string): Promise<number> => Number((await records.get(`${kind}-last`, scope))?.data.last ?? 0);

type Issued = { ticket: Ticket } | { refused: SimResponse };

const refusal = (error: string, message: string): Issued => ({ refused: json(409, { error, message }) });

/** Draw a number for hall + matter + date (and, online, a place in the slot); refused when the slot or the day is full. */
async function issue(ctx: SimulatorContext, hall: Hall, matter: string, date: string, slot: string | null, holder: Ticket['holder']): Promise<Issued> {
  const day = `${hall.id}:${date}`;
  const quota = dailyQuota(hall);
  const dayFull = refusal('DAY_FULL', `all ${quota} numbers of ${date} are taken`);
  if ((await lastClaimed(ctx.records, 'number', day)) >= quota) return dayFull;
  const ticketIdOf = (seq: number) => `${hall.id}-${date.replaceAll('-', '')}-${String(seq).padStart(3, '0')}`;
  let place = 0;
  if (slot) {
    const slotFull = refusal('SLOT_FULL', `the ${hall.slotQuota} places of ${date} ${slot} are taken`);
    if ((await lastClaimed(ctx.records, 'place', `${day}:${slot}`)) >= hall.slotQuota) return slotFull;
    place = await claimNext(ctx.records, 'place', `${day}:${slot}`, () => 'pending');
    // Lost a race for the slot's last places: this one is beyond the quota, never handed out.
    if (place > hall.slotQuota) return slotFull;
  }
  const seq = await claimNext(ctx.records, 'number', day, ticketIdOf);
  if (seq > quota) return dayFull;
  const t: Ticket = {
    ticketId: ticketIdOf(seq),
    hallId: hall.id,
    matter,
    date,
    slot,
    seq,
    number: displayNumber(hall.matters[matter]!, seq),
    channel: slot ? 'online' : 'walkIn',
    referenceTime: slot ? slotReferenceTime(hall, slot, place) : referenceTime(hall, seq),
    status: 'waiting',
    calls: 0,
    holder,
  };
  await saveTicket(ctx.records, t);
  return { ticket: t };
}

/**
 * One active booking per ID number per hall per day: the holder's record
 * names the request that holds the day; a later request may take it over
 * once that booking was cancelled, lapsed or refused.
 */
async function holdDay(ctx: SimulatorContext, hall: Hall, date: string, key: string | null, requestId: string): Promise<SimResponse | null> {
  if (key === null) return null;
  const { record, inserted } = await ctx.records.putIfAbsent('holder', key, { requestId });
  if (inserted || record.data.requestId === requestId) return null;
  const held = typeof record.data.ticketId === 'string' ? await ticket(ctx.records, record.data.ticketId) : null;
  const over = record.data.released === true || held?.status === 'cancelled' || held?.status === 'noShow';
  if (!over) return json(409, { error: 'ACTIVE_BOOKING', message: `this ID number already holds ${held?.number ?? 'a number'} at ${hall.name} on ${date}` });
  await ctx.records.put('holder', key, { requestId });
  return null;
}

function hallAndMatter(ctx: SimulatorContext, hallId: unknown, matter: unknown): { hall: Hall; matter: string } | SimResponse {
  const hall = hallsOf(ctx.config).find((h) => h.id === hallId);
  if (!hall) return json(404, { error: 'NO_SUCH_HALL', message: `no hall ${String(hallId)}` });
  if (typeof matter !== 'string' || !hall.matters[matter]) return json(400, { error: 'NO_SUCH_MATTER', message: `${hall.name} does not handle ${String(matter)}`, matters: Object.keys(hall.matters) });
  return { hall, matter };
}

const isAnswer = (value: object): value is SimResponse => 'status' in value && 'body' in value;

async function book(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const read = readSignedRequest(ctx.config.secrets.apiKey, request, ctx.now());
  if ('refused' in read) return read.refused;
  const body = read.body;
  const { requestId, date, slot } = body;
  if (typeof requestId !== 'string' || typeof date !== 'string' || typeof slot !== 'string')
    return json(400, { error: 'BAD_REQUEST', message: 'requestId, hallId, matter, date and slot are required' });
  const where = hallAndMatter(ctx, body.hallId, body.matter);
  if (isAnswer(where)) return where;
  const { hall } = where;
  if (!slotsOf(hall).includes(slot)) return json(400, { error: 'NO_SUCH_SLOT', message: `${hall.name} has no slot ${slot}`, slots: slotsOf(hall) });
  if (date < hallDay(ctx.now()) || date > hallDay(ctx.now(), hall.bookingDays)) return json(409, { error: 'DATE_NOT_BOOKABLE', message: `${date} is not within the next ${hall.bookingDays} days` });
  const fault = await takeFault(ctx.records);
  if (fault?.fault === 'fail') return json(503, { error: 'MACHINE_OFFLINE', message: 'the hall machine does not answer' });
  if (fault?.fault === 'timeout') return hang();
  if (fault?.fault === 'decline') return json(409, { error: 'BOOKING_CLOSED', message: 'online booking is closed for this hall' });
  // One ticket per request id. A repeat while the first is still drawing is told to come back.
  const { record, inserted } = await ctx.records.putIfAbsent('request', requestId, { state: 'issuing' });
  if (!inserted) {
    if (record.data.refused) return json(409, record.data.refused);
    const earlier = typeof record.data.ticketId === 'string' ? await ticket(ctx.records, record.data.ticketId) : null;
    return earlier ? json(200, ticketAnswer(earlier, hall)) : json(503, { error: 'IN_PROGRESS', message: 'this request is being handled' });
  }
  // Whose day the booking holds (walk-ins and bookings without an ID number hold none).
  const holderKey = typeof body.idNumber === 'string' ? `${hall.id}:${date}:${body.idNumber.toUpperCase()}` : null;
  const refuse = async (answer: SimResponse) => {
    await ctx.records.put('request', requestId, { state: 'refused', refused: JSON.parse(String(answer.body)) });
    return answer;
  };
  const held = await holdDay(ctx, hall, date, holderKey, requestId);
  if (held) return refuse(held);
  const issued = await issue(ctx, hall, where.matter, date, slot, { name: body.name, idNumber: body.idNumber, phone: body.phone });
  if ('refused' in issued) {
    if (holderKey) await ctx.records.put('holder', holderKey, { requestId, released: true });
    return refuse(issued.refused);
  }
  await ctx.records.put('request', requestId, { state: 'issued', ticketId: issued.ticket.ticketId });
  if (holderKey) await ctx.records.put('holder', holderKey, { requestId, ticketId: issued.ticket.ticketId });
  if (fault?.fault === 'slow') await pause(fault.delayMs);
  return json(200, ticketAnswer(issued.ticket, hall));
}

/** The places left in each slot of a day. */
async function slots(ctx: SimulatorContext, hallId: string, date: unknown): Promise<SimResponse> {
  const hall = hallsOf(ctx.config).find((h) => h.id === hallId);
  if (!hall) return json(404, { error: 'NO_SUCH_HALL', message: `no hall ${hallId}` });
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return json(400, { error: 'BAD_REQUEST', message: 'date (YYYY-MM-DD) is required' });
  if ((await takeFault(ctx.records))?.fault === 'fail') return json(503, { error: 'MACHINE_OFFLINE', message: 'the hall machine does not answer' });
  const items = await Promise.all(
    slotsOf(hall).map(async (slot) => ({ slot, quota: hall.slotQuota, left: Math.max(0, hall.slotQuota - (await lastClaimed(ctx.records, 'place', `${hall.id}:${date}:${slot}`))) })),
  );
  return json(200, { hallId, date, items });
}

async function cancel(request: SimRequest, ctx: SimulatorContext, ticketId: string): Promise<SimResponse> {
  const read = readSignedRequest(ctx.config.secrets.apiKey, request, ctx.now());
  if ('refused' in read) return read.refused;
  const t = await ticket(ctx.records, ticketId);
  if (!t || t.channel !== 'online') return json(404, { error: 'NO_SUCH_TICKET', message: `no booked ticket ${ticketId}` });
  const fault = await takeFault(ctx.records);
  if (fault?.fault === 'fail') return json(503, { error: 'MACHINE_OFFLINE', message: 'the hall machine does not answer' });
  if (fault?.fault === 'timeout') return hang();
  if (fault?.fault === 'decline') return json(409, { error: 'CANCEL_CLOSED', message: 'cancelling is closed for today' });
  if (t.status === 'called' || t.status === 'noShow') return json(409, { error: 'TICKET_USED', message: `${t.number} was already called`, status: t.status });
  // The number stays used: a cancelled number is not handed out again.
  if (t.status !== 'cancelled') await saveTicket(ctx.records, { ...t, status: 'cancelled' });
  return json(200, { ticketId, status: 'cancelled' });
}

/** The on-site machine prints a ticket for today, from the same sequence. */
async function walkIn(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const body = parseJson(request.body) as { hallId?: unknown; matter?: unknown } | null;
  const where = hallAndMatter(ctx, body?.hallId, body?.matter);
  if (isAnswer(where)) return where;
  const issued = await issue(ctx, where.hall, where.matter, hallDay(ctx.now()), null, null);
  return 'refused' in issued ? issued.refused : json(200, ticketAnswer(issued.ticket, where.hall));
}

/** The window calls a number (again, if the citizen does not come), or marks it a no-show; booked tickets are told. */
async function windowAction(request: SimRequest, ctx: SimulatorContext, action: 'called' | 'noShow'): Promise<SimResponse> {
  const body = parseJson(request.body) as { ticketId?: unknown; window?: unknown } | null;
  const t = typeof body?.ticketId === 'string' ? await ticket(ctx.records, body.ticketId) : null;
  if (!t) return json(404, { error: 'no such ticket' });
  const window = Number(body?.window);
  if (action === 'called' && !(Number.isInteger(window) && window > 0)) return json(400, { error: 'window (a number) is required' });
  if (t.status === 'cancelled' || t.status === 'noShow') return json(409, { error: `${t.number} is ${t.status}` });
  const moved: Ticket = { ...t, status: action, calls: t.calls + (action === 'called' ? 1 : 0) };
  await saveTicket(ctx.records, moved);
  if (t.channel !== 'online') return json(200, { ticketId: t.ticketId, notified: false });
  const notice = JSON.stringify({
    noticeId: action === 'called' ? `${t.ticketId}-called-${moved.calls}` : `${t.ticketId}-noShow`,
    ticketId: t.ticketId,
    number: t.number,
    ...(action === 'called' && { window }),
    at: ctx.now(),
  });
  ctx.notify(ctx.callbackUrl(action), notice, signedHeaders(ctx.config.secrets.apiKey ?? '', notice, ctx.now()), NOTICE_DELAY_MS);
  return json(200, { ticketId: t.ticketId, notified: true });
}

async function tickets(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const { hallId, date } = request.query;
  const all = (await ctx.records.list('ticket', 5000)).map((r) => r.data as unknown as Ticket);
  return json(200, {
    items: all.filter((t) => (!hallId || t.hallId === hallId) && (!date || t.date === date)).sort((a, b) => a.hallId.localeCompare(b.hallId) || a.date.localeCompare(b.date) || a.seq - b.seq),
  });
}

export const queueSimulator: Simulator = {
  async handle(request, ctx) {
    const route = `${request.method} ${request.path}`;
    const cancelling = /^POST \/tickets\/([A-Za-z0-9-]+)\/cancel$/.exec(route);
    if (cancelling) return cancel(request, ctx, cancelling[1]!);
    const slotsOfHall = /^GET \/halls\/([A-Za-z0-9-]+)\/slots$/.exec(route);
    if (slotsOfHall) return slots(ctx, slotsOfHall[1]!, request.query.date);
    if (route === 'POST /tickets') return book(request, ctx);
    if (route === 'POST /_walkIn') return walkIn(request, ctx);
    if (route === 'POST /_call') return windowAction(request, ctx, 'called');
    if (route === 'POST /_noShow') return windowAction(request, ctx, 'noShow');
    if (route === 'GET /_tickets') return tickets(request, ctx);
    if (route === 'POST /_control') return setControl(ctx.records, request);
    return json(404, { error: `no ${route} here` });
  },
};
