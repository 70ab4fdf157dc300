/**
 * A local EMS-style courier. It checks signatures, keeps waybills in its
 * records (one per request id), refuses to cancel a parcel once it is picked
 * up, and pushes signed tracking notices carrying the whole trace, as
 * tracking services do. A test plays the parcel's journey (POST /_event,
 * optionally sending a notice twice as real services sometimes do) and the
 * citizen who mailed something themselves (an unknown number picked up).
 * Faults on demand: POST /_control.
 */
import { randomInt } from 'node:crypto';
import type { RecordStore, SimRequest, SimResponse, Simulator, SimulatorContext } from '../../engine/core/connectors/port.ts';
import { signedHeaders } from '../lib/signing.ts';
import { hang, json, parseJson, pause, readSignedRequest, setControl, takeFault } from '../lib/simulator-kit.ts';
import { isTrackingEvent, mayFollow, s10Number, s10Problem, type TrackingEvent, type WaybillStatus } from './tracking.ts';

const NOTICE_DELAY_MS = 50;

interface TraceEntry {
  eventId: string;
  event: TrackingEvent;
  at: number;
  location: string;
}

interface Waybill {
  trackingNo: string;
  /** order: created through the API; external: mailed by a citizen at a counter. */
  origin: 'order' | 'external';
  requestId: string | null;
  /** What was ordered (sender, recipient, items, cash on delivery); unknown for a parcel mailed at a counter. */
  order: { sender: unknown; recipient: { phone?: string; address?: string }; items: unknown[]; codAmountFen: number } | null;
  status: WaybillStatus;
  trace: TraceEntry[];
}

const DEFAULT_LOCATIONS: Record<TrackingEvent, string> = {
  pickedUp: '许昌市魏都区邮政营业部',
  inTransit: '郑州航空邮件处理中心',
  delivered: '收件人本人签收',
  returned: '退回寄件人',
};

const secretOf = (ctx: SimulatorContext) => ctx.config.secrets.appSecret;

async function waybill(records: RecordStore, trackingNo: string): Promise<Waybill | null> {
  return ((await records.get('waybill', trackingNo))?.data as unknown as Waybill | undefined) ?? null;
}

const saveWaybill = (records: RecordStore, w: Waybill) => records.put('waybill', w.trackingNo, w as unknown as Record<string, unknown>);

/** The fault ordered for this call, as an answer; null to go on (with what is left to do late or slowly). */
async function faultAnswer(ctx: SimulatorContext, refusal: { error: string; message: string }) {
  const fault = await takeFault(ctx.records);
  if (fault?.fault === 'fail') return { answer: json(503, { error: 'SYSTEM_BUSY', message: 'try again later' }) };
  if (fault?.fault === 'timeout') return { answer: await hang() };
  if (fault?.fault === 'decline') return { answer: json(400, refusal) };
  return { fault };
}

/** Push the waybill's latest state to whoever tracks it, `times` times over (a service may repeat a notice). */
async function pushLatest(ctx: SimulatorContext, w: Waybill, delayMs: number, times = 1): Promise<boolean> {
  const latest = w.trace.at(-1);
  if (!latest) return false;
  const tracked = w.origin === 'order' || (await ctx.records.get('subscriber', w.trackingNo)) !== null;
  if (!tracked) return false;
  const notice = JSON.stringify({ ...latest, trackingNo: w.trackingNo, seq: w.trace.length, trace: w.trace.map(({ event, at, location }) => ({ event, at, location })) });
  for (let i = 0; i < times; i++) ctx.notify(ctx.callbackUrl('tracking'), notice, signedHeaders(secretOf(ctx) ?? '', notice, ctx.now() + delayMs), delayMs + i * 20);
  return true;
}

async function createShipment(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const read = readSignedRequest(secretOf(ctx), request, ctx.now());
  if ('refused' in read) return read.refused;
  const { requestId, sender, recipient, items, codAmountFen } = read.body as { requestId?: unknown; sender?: unknown; recipient?: { phone?: string; address?: string }; items?: unknown; codAmountFen?: unknown };
  if (typeof requestId !== 'string' || !sender || !recipient?.address || !Array.isArray(items) || !items.length) return json(400, { error: 'BAD_REQUEST', message: 'requestId, sender, recipient and items are required' });
  const { answer, fault } = await faultAnswer(ctx, { error: 'ADDRESS_UNSERVICEABLE', message: 'no delivery to this address' });
  if (answer) return answer;
  // The number is chosen once per request id: a client's retry gets the same waybill.
  const { record } = await ctx.records.putIfAbsent('order', requestId, { trackingNo: s10Number('EA', String(randomInt(0, 100_000_000)).padStart(8, '0')) });
  const trackingNo = String(record.data.trackingNo);
  // Also when a process died between the two writes: the order is there, its waybill is made now.
  if (!(await waybill(ctx.records, trackingNo))) {
    await saveWaybill(ctx.records, { trackingNo, origin: 'order', requestId, order: { sender, recipient, items, codAmountFen: typeof codAmountFen === 'number' ? codAmountFen : 0 }, status: 'created', trace: [] });
  }
  if (fault?.fault === 'slow') await pause(fault.delayMs);
  return json(200, { trackingNo, carrier: 'EMS', status: 'created' });
}

/**
 * Cancelling and picking up race for the parcel: whichever is recorded first
 * (putIfAbsent is atomic across processes) decides, the other is refused.
 */
const claimHandover = (records: RecordStore, trackingNo: string, outcome: 'cancelled' | 'pickedUp') => records.putIfAbsent('handover', trackingNo, { outcome });

async function cancel(request: SimRequest, ctx: SimulatorContext, trackingNo: string): Promise<SimResponse> {
  const read = readSignedRequest(secretOf(ctx), request, ctx.now());
  if ('refused' in read) return read.refused;
  const w = await waybill(ctx.records, trackingNo);
  if (!w || w.origin !== 'order') return json(404, { error: 'NO_SUCH_WAYBILL', message: `no waybill ${trackingNo} of yours` });
  const { answer } = await faultAnswer(ctx, { error: 'CANCEL_REFUSED', message: 'the order cannot be cancelled now' });
  if (answer) return answer;
  const { record } = await claimHandover(ctx.records, trackingNo, 'cancelled');
  if (record.data.outcome !== 'cancelled') return json(409, { error: 'ALREADY_PICKED_UP', message: 'the parcel is picked up: it can no longer be cancelled', status: w.status });
  if (w.status !== 'cancelled') await saveWaybill(ctx.records, { ...w, status: 'cancelled' });
  return json(200, { trackingNo, status: 'cancelled' });
}

async function subscribe(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const read = readSignedRequest(secretOf(ctx), request, ctx.now());
  if ('refused' in read) return read.refused;
  const { requestId, trackingNo } = read.body as { requestId?: unknown; trackingNo?: unknown };
  if (typeof requestId !== 'string' || typeof trackingNo !== 'string') return json(400, { error: 'BAD_REQUEST', message: 'requestId and trackingNo are required' });
  const invalid = s10Problem(trackingNo);
  if (invalid) return json(400, { error: 'INVALID_TRACKING_NO', message: `${trackingNo}: ${invalid}` });
  const { answer, fault } = await faultAnswer(ctx, { error: 'SUBSCRIPTION_REFUSED', message: 'tracking is not offered for this number' });
  if (answer) return answer;
  const known = await waybill(ctx.records, trackingNo);
  const { record, inserted } = await ctx.records.putIfAbsent('subscription', requestId, { trackingNo, status: known?.status ?? 'unknown' });
  if (inserted) {
    await ctx.records.putIfAbsent('subscriber', trackingNo, { since: ctx.now() });
    // Subscribed after the parcel moved: the service sends where it is now.
    if (known) await pushLatest(ctx, known, fault?.fault === 'late' ? fault.delayMs : NOTICE_DELAY_MS);
  }
  if (fault?.fault === 'slow') await pause(fault.delayMs);
  return json(200, { trackingNo, status: record.data.status });
}

/** Test-only: the parcel moves. An unknown number picked up is a parcel a citizen mailed at a counter. */
async function event(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const body = parseJson(request.body) as { trackingNo?: unknown; event?: unknown; location?: unknown; repeat?: unknown; delayMs?: unknown } | null;
  if (typeof body?.trackingNo !== 'string' || !isTrackingEvent(body.event)) return json(400, { error: 'trackingNo and event (pickedUp, inTransit, delivered, returned) are required' });
  const { trackingNo, event: happened } = body;
  const w = (await waybill(ctx.records, trackingNo)) ?? (happened === 'pickedUp' ? { trackingNo, origin: 'external' as const, requestId: null, order: null, status: 'created' as const, trace: [] } : null);
  if (!w) return json(404, { error: `no waybill ${trackingNo}` });
  if (!mayFollow(w.status, happened)) return json(409, { error: `${happened} cannot follow ${w.status}` });
  if (happened === 'pickedUp' && (await claimHandover(ctx.records, trackingNo, 'pickedUp')).record.data.outcome !== 'pickedUp') return json(409, { error: 'the order was cancelled' });
  const entry: TraceEntry = { eventId: `${trackingNo}-${w.trace.length + 1}`, event: happened, at: ctx.now(), location: typeof body.location === 'string' ? body.location : DEFAULT_LOCATIONS[happened] };
  const moved: Waybill = { ...w, status: happened, trace: [...w.trace, entry] };
  await saveWaybill(ctx.records, moved);
  const pushed = await pushLatest(ctx, moved, typeof body.delayMs === 'number' ? body.delayMs : NOTICE_DELAY_MS, typeof body.repeat === 'number' ? Math.min(5, Math.max(1, body.repeat)) : 1);
  return json(200, { eventId: entry.eventId, pushed });
}

async function waybills(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const { phone, trackingNo } = request.query;
  const all = (await ctx.records.list('waybill', 500)).map((r) => r.data as unknown as Waybill);
  return json(200, { items: all.filter((w) => (!phone || w.order?.recipient.phone === phone) && (!trackingNo || w.trackingNo === trackingNo)) });
}

export const courierSimulator: Simulator = {
  async handle(request, ctx) {
    const route = `${request.method} ${request.path}`;
    const cancelling = /^POST \/shipments\/([A-Za-z0-9]+)\/cancel$/.exec(route);
    if (cancelling) return cancel(request, ctx, cancelling[1]!);
    if (route === 'POST /shipments') return createShipment(request, ctx);
    if (route === 'POST /subscriptions') return subscribe(request, ctx);
    if (route === 'POST /_event') return event(request, ctx);
    if (route === 'GET /_waybills') return waybills(request, ctx);
    if (route === 'POST /_control') return setControl(ctx.records, request);
    return json(404, { error: `no ${route} here` });
  },
};
