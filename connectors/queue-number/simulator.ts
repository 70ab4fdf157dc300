/**
 * A local queue-number machine (排号机). Online bookings and the tickets the
 * on-site machine prints (POST /_walkIn) draw from one sequence per hall per
 * day; a number is claimed with an atomic insert, so concurrent requests in
 * any number of processes never share one and leave no gap. The same request
 * id gets the same ticket. A test plays the window: POST /_call {ticketId,
 * window} and POST /_noShow {ticketId} send the signed notices. Faults on
 * demand: POST /_control.
 */
import type { RecordStore, SimRequest, SimResponse, Simulator, SimulatorContext } from '../../engine/core/connectors/port.ts';
import { signedHeaders } from '../lib/signing.ts';
import { hang, json, parseJson, pause, readSignedRequest, setControl, takeFault } from '../lib/simulator-kit.ts';
import { HALLS, dailyQuota, displayNumber, hallDay, referenceTime, type Hall } from './halls.ts';

const NOTICE_DELAY_MS = 30;
/** How far ahead a number can be booked. */
const BOOKING_DAYS = 14;

type TicketStatus = 'waiting' | 'called' | 'noShow' | 'cancelled';

interface Ticket {
  ticketId: string;
  hallId: string;
  matter: string;
  date: string;
  seq: number;
  number: string;
  channel: 'online' | 'walkIn';
  referenceTime: string;
  status: TicketStatus;
  calls: number;
  holder: { name?: unknown; idNumber?: unknown; phone?: unknown } | null;
}

const ticketAnswer = (t: Ticket, hall: Hall) => ({ ticketId: t.ticketId, number: t.number, date: t.date, hallName: hall.name, hallAddress: hall.address, referenceTime: t.referenceTime, status: t.status });

async function ticket(records: RecordStore, ticketId: string): Promise<Ticket | null> {
  return ((await records.get('ticket', ticketId))?.data as unknown as Ticket | undefined) ?? null;
}

const saveTicket = (records: RecordStore, t: Ticket) => records.put('ticket', t.ticketId, t as unknown as Record<string, unknown>);

/**
 * The next free number of the day: try the one after the last known, and on.
 * The insert decides (atomic across processes); "last" is only a hint where
 * to start, so a hint written out of order costs a try, never a duplicate.
 * Every number up to a hint is taken, so none is skipped.
 */
async function claimNext(records: RecordStore, day: string, last: number, ticketIdOf: (seq: number) => string): Promise<number> {
  for (let seq = last + 1; ; seq++) {
    if ((await records.putIfAbsent('number', `${day}:${seq}`, { ticketId: ticketIdOf(seq) })).inserted) {
      await records.put('sequence', day, { last: seq });
      return seq;
    }
  }
}

type Issued = { ticket: Ticket } | { refused: SimResponse };

/** Draw a number for hall + matter + date; refused when the day is full. */
async function issue(ctx: SimulatorContext, hall: Hall, matter: string, date: string, channel: Ticket['channel'], holder: Ticket['holder']): Promise<Issued> {
  const day = `${hall.id}:${date}`;
  const quota = dailyQuota(hall);
  const full = { refused: json(409, { error: 'DAY_FULL', message: `all ${quota} numbers of ${date} are taken` }) };
  const last = Number((await ctx.records.get('sequence', day))?.data.last ?? 0);
  if (last >= quota) return full;
  const ticketIdOf = (seq: number) => `${hall.id}-${date.replaceAll('-', '')}-${String(seq).padStart(3, '0')}`;
  const seq = await claimNext(ctx.records, day, last, ticketIdOf);
  // Lost a race for the last numbers: this one is beyond the day, never handed out.
  if (seq > quota) return full;
  const t: Ticket = { ticketId: ticketIdOf(seq), hallId: hall.id, matter, date, seq, number: displayNumber(hall.matters[matter]!, seq), channel, referenceTime: referenceTime(hall, seq), status: 'waiting', calls: 0, holder };
  await saveTicket(ctx.records, t);
  return { ticket: t };
}

function hallAndMatter(hallId: unknown, matter: unknown): { hall: Hall; matter: string } | SimResponse {
  const hall = HALLS.find((h) => h.id === hallId);
  if (!hall) return json(404, { error: 'NO_SUCH_HALL', message: `no hall ${String(hallId)}` });
  if (typeof matter !== 'string' || !hall.matters[matter]) return json(400, { error: 'NO_SUCH_MATTER', message: `${hall.name} does not handle ${String(matter)}`, matters: Object.keys(hall.matters) });
  return { hall, matter };
}

const isAnswer = (value: object): value is SimResponse => 'status' in value && 'body' in value;

async function book(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const read = readSignedRequest(ctx.config.secrets.apiKey, request, ctx.now());
  if ('refused' in read) return read.refused;
  const body = read.body;
  const { requestId, date } = body;
  if (typeof requestId !== 'string' || typeof date !== 'string') return json(400, { error: 'BAD_REQUEST', message: 'requestId, hallId, matter and date are required' });
  const where = hallAndMatter(body.hallId, body.matter);
  if (isAnswer(where)) return where;
  if (date < hallDay(ctx.now()) || date > hallDay(ctx.now(), BOOKING_DAYS)) return json(400, { error: 'DATE_NOT_BOOKABLE', message: `${date} is not within the next ${BOOKING_DAYS} days` });
  const fault = await takeFault(ctx.records);
  if (fault?.fault === 'fail') return json(503, { error: 'MACHINE_OFFLINE', message: 'the hall machine does not answer' });
  if (fault?.fault === 'timeout') return hang();
  if (fault?.fault === 'decline') return json(409, { error: 'BOOKING_CLOSED', message: 'online booking is closed for this hall' });
  // One ticket per request id. A repeat while the first is still drawing is told to come back.
  const { record, inserted } = await ctx.records.putIfAbsent('request', requestId, { state: 'issuing' });
  if (!inserted) {
    if (record.data.refused) return json(409, record.data.refused);
    const earlier = typeof record.data.ticketId === 'string' ? await ticket(ctx.records, record.data.ticketId) : null;
    return earlier ? json(200, ticketAnswer(earlier, where.hall)) : json(503, { error: 'IN_PROGRESS', message: 'this request is being handled' });
  }
  const issued = await issue(ctx, where.hall, where.matter, date, 'online', { name: body.name, idNumber: body.idNumber, phone: body.phone });
  if ('refused' in issued) {
    await ctx.records.put('request', requestId, { state: 'refused', refused: JSON.parse(String(issued.refused.body)) });
    return issued.refused;
  }
  await ctx.records.put('request', requestId, { state: 'issued', ticketId: issued.ticket.ticketId });
  if (fault?.fault === 'slow') await pause(fault.delayMs);
  return json(200, ticketAnswer(issued.ticket, where.hall));
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
  const where = hallAndMatter(body?.hallId, body?.matter);
  if (isAnswer(where)) return where;
  const issued = await issue(ctx, where.hall, where.matter, hallDay(ctx.now()), 'walkIn', null);
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
  return json(200, { items: all.filter((t) => (!hallId || t.hallId === hallId) && (!date || t.date === date)).sort((a, b) => a.hallId.localeCompare(b.hallId) || a.date.localeCompare(b.date) || a.seq - b.seq) });
}

export const queueSimulator: Simulator = {
  async handle(request, ctx) {
    const route = `${request.method} ${request.path}`;
    const cancelling = /^POST \/tickets\/([A-Za-z0-9-]+)\/cancel$/.exec(route);
    if (cancelling) return cancel(request, ctx, cancelling[1]!);
    if (route === 'POST /tickets') return book(request, ctx);
    if (route === 'POST /_walkIn') return walkIn(request, ctx);
    if (route === 'POST /_call') return windowAction(request, ctx, 'called');
    if (route === 'POST /_noShow') return windowAction(request, ctx, 'noShow');
    if (route === 'GET /_tickets') return tickets(request, ctx);
    if (route === 'POST /_control') return setControl(ctx.records, request);
    return json(404, { error: `no ${route} here` });
  },
};
