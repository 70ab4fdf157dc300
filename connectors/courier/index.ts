/**
 * Courier (快递/EMS): return deliveries are ordered through it (a waybill,
 * optionally cash on delivery), cancelled while the parcel is not picked up
 * yet, and a number the citizen typed in for originals they mailed is
 * subscribed to. Tracking events come back as signed notices.
 *
 * The protocol: POST {baseUrl}/shipments {requestId, sender, recipient, items,
 * codAmountFen} → {trackingNo}; POST {baseUrl}/shipments/{trackingNo}/cancel
 * {requestId} (409 ALREADY_PICKED_UP once picked up); POST
 * {baseUrl}/subscriptions {requestId, trackingNo} → {status}. Every request
 * is signed (X-Timestamp, X-Signature: HMAC-SHA256 of timestamp and body with
 * the app secret); the request id is the job's idempotency key. Notices
 * {eventId, trackingNo, event, at, location, seq, trace} come signed the same
 * way to /api/callbacks/courier/tracking.
 */
import { t, CallbackRejected, ConnectorError, type Connector, type JsonSchema, type OperationContext } from '../../engine/core/connectors/port.ts';
import { callSigned, type ProviderAnswer } from '../lib/http.ts';
import { readSignedNotice } from '../lib/signing.ts';
import { courierSimulator } from './simulator.ts';
import { isTrackingEvent, messageNameFor, s10Problem } from './tracking.ts';

export interface CourierSettings {
  baseUrl: string;
  timeoutMs: number;
}

/** A provider's refusal, for the case's record in both languages. */
const refusal = (zh: string, en: string, details?: unknown) => new ConnectorError(`${zh}（${en}）`, false, details);

const TRACKING_NO = '^[A-Za-z0-9]{8,30}$';
const PERSON: JsonSchema = {
  type: 'object',
  required: ['name', 'phone', 'address'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 50 },
    phone: { type: 'string', pattern: '^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$' },
    address: { type: 'string', minLength: 5, maxLength: 200 },
    postcode: { type: 'string', pattern: '^\\d{6}$' },
  },
};

async function call(ctx: OperationContext, path: string, payload: Record<string, unknown>): Promise<ProviderAnswer> {
  const settings = ctx.config.settings as unknown as CourierSettings;
  const body = JSON.stringify({ requestId: ctx.idempotencyKey, ...payload });
  ctx.report({ request: { path, ...payload } });
  const answer = await callSigned(`${settings.baseUrl}${path}`, ctx.config.secrets.appSecret, body, { signal: ctx.signal, timeoutMs: settings.timeoutMs });
  ctx.report({ response: answer.body });
  return answer;
}

const errorCode = (err: unknown) => (err instanceof ConnectorError ? (err.details as { error?: unknown } | undefined)?.error : undefined);

/** Milliseconds since 1970 that make a date (a notice with another kind of time is malformed, not a crash). */
const isInstant = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && !Number.isNaN(new Date(value).getTime());

export function courierConnector(): Connector {
  return {
    name: 'courier',
    title: t('快递（EMS）', 'Courier (EMS)'),
    settings: {
      type: 'object',
      required: ['baseUrl', 'timeoutMs'],
      properties: {
        baseUrl: { type: 'string', format: 'uri' },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000 },
      },
    },
    secrets: ['appSecret'],
    defaults: (simulator) => ({ settings: { baseUrl: simulator.baseUrl, timeoutMs: 5000 }, secrets: { appSecret: 'courier-simulator-secret' } }),
    operations: {
      createShipment: {
        title: t('下快递单', 'Create a shipment'),
        input: {
          type: 'object',
          required: ['sender', 'recipient', 'items'],
          properties: {
            sender: PERSON,
            recipient: PERSON,
            items: {
              type: 'array',
              minItems: 1,
              maxItems: 20,
              items: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, quantity: { type: 'integer', minimum: 1, maximum: 99 } } },
            },
            // 货到付款: what the courier collects from the recipient, in fen.
            codAmountFen: { type: 'integer', minimum: 0, maximum: 10_000_000 },
          },
        },
        async run(input, ctx) {
          const answer = await call(ctx, '/shipments', { sender: input.sender, recipient: input.recipient, items: input.items, codAmountFen: input.codAmountFen ?? 0 });
          const trackingNo = (answer.body as { trackingNo?: unknown } | null)?.trackingNo;
          if (typeof trackingNo !== 'string') throw new ConnectorError('the courier answered without a tracking number', true, answer.body);
          return { trackingNo, courierStatus: 'created' };
        },
      },
      cancel: {
        title: t('取消快递单', 'Cancel a shipment'),
        input: { type: 'object', required: ['trackingNo'], properties: { trackingNo: { type: 'string', pattern: TRACKING_NO } } },
        async run(input, ctx) {
          try {
            await call(ctx, `/shipments/${String(input.trackingNo)}/cancel`, {});
          } catch (err) {
            if (errorCode(err) === 'ALREADY_PICKED_UP') throw refusal(`快件 ${String(input.trackingNo)} 已揽收，不能再取消`, `${String(input.trackingNo)} is already picked up and can no longer be cancelled`, (err as ConnectorError).details);
            throw err;
          }
          return { courierStatus: 'cancelled' };
        },
      },
      subscribe: {
        title: t('订阅物流轨迹', 'Track a waybill'),
        input: { type: 'object', required: ['trackingNo'], properties: { trackingNo: { type: 'string', pattern: TRACKING_NO } } },
        async run(input, ctx) {
          // Citizens type these in: upper-case them, and catch a mistyped EMS number before waiting days for it.
          const trackingNo = String(input.trackingNo).toUpperCase();
          if (s10Problem(trackingNo)) throw refusal(`快递单号 ${trackingNo} 有误（校验位不符）`, `tracking number ${trackingNo} is mistyped (check digit)`);
          const answer = await call(ctx, '/subscriptions', { trackingNo });
          const status = (answer.body as { status?: unknown } | null)?.status;
          return { trackingNo, courierStatus: typeof status === 'string' ? status : 'unknown' };
        },
      },
    },
    callbacks: {
      tracking: {
        title: t('物流轨迹', 'Tracking event'),
        // The first notice can beat the flow to its wait (a subscription to a parcel already on its way).
        bufferSeconds: 600,
        async parse(request, { config, records }) {
          const notice = readSignedNotice(config.secrets.appSecret, request) as { eventId?: unknown; trackingNo?: unknown; event?: unknown; at?: unknown; location?: unknown; seq?: unknown; trace?: unknown };
          const { eventId, trackingNo, event, at, seq } = notice;
          if (typeof eventId !== 'string' || typeof trackingNo !== 'string' || !isTrackingEvent(event) || !isInstant(at) || typeof seq !== 'number' || !Array.isArray(notice.trace)) throw new CallbackRejected(t('不是物流轨迹通知', 'not a tracking notice'));
          const entries = notice.trace as unknown[];
          if (!entries.every((e) => e !== null && typeof e === 'object' && isTrackingEvent((e as { event?: unknown }).event) && isInstant((e as { at?: unknown }).at))) throw new CallbackRejected(t('轨迹条目缺少事件或时间', 'a trace entry is not an event with its time'));
          const reply = { status: 200, contentType: 'application/json', body: '{"result":true,"returnCode":"200"}' };
          // Notices can overtake each other: one older than what was seen already is kept on record but moves nothing.
          const seen = await records.get('tracking', trackingNo);
          if (seen && Number(seen.data.seq) > seq) return { externalId: eventId, reply };
          await records.put('tracking', trackingNo, { seq, event });
          const trace = (entries as Array<{ event: string; at: number; location?: unknown }>).map((e) => ({ event: e.event, at: new Date(e.at).toISOString(), location: String(e.location ?? '') }));
          return {
            externalId: eventId,
            message: {
              name: messageNameFor(event),
              correlationKey: trackingNo,
              variables: { courierStatus: event, courierStatusAt: new Date(at).toISOString(), courierLocation: String(notice.location ?? ''), courierTrace: trace },
            },
            reply,
          };
        },
      },
    },
    simulator: courierSimulator,
  };
}
