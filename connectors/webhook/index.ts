/**
 * Generic webhooks. Outgoing: `webhook.post` sends a JSON event to a target
 * named in the settings (never a URL from process variables), signed with
 * that target's own secret, its delivery id being the job's idempotency key
 * so the receiver can keep a repeat once. Inbound: /api/callbacks/webhook/inbound
 * takes events from configured sources (sensors …), each with its own shared
 * secret, and hands them to the flows as a message — to the instance waiting
 * on the event's key, else starting the process whose message start event has
 * the source's message name.
 *
 * On the wire, both ways: POST, JSON body, headers X-Webhook-Id (delivery or
 * event id), X-Webhook-Event or X-Webhook-Source, X-Timestamp and X-Signature
 * (HMAC-SHA256 of timestamp and body, connectors/lib/signing.ts).
 */
import { t, CallbackRejected, ConnectorError, type Connector } from '../../engine/core/connectors/port.ts';
import { callProvider } from '../lib/http.ts';
import { readSignedNotice, signedHeaders } from '../lib/signing.ts';
import { EVENT_HEADER, ID_HEADER, SOURCE_HEADER, signedEvent } from './protocol.ts';
import { webhookSimulator } from './simulator.ts';

export interface WebhookSettings {
  /** Where events may be sent, by name; each target's secret is `target:<name>`. */
  targets: Record<string, { url: string }>;
  /** Who may send events in, by name; each source's secret is `source:<name>`. */
  sources: Record<string, InboundSource>;
  timeoutMs: number;
}

export interface InboundSource {
  /** The message its events become (a message start event or a receive task waits for it). */
  message: string;
  /** The event field whose value is the correlation key (a sensor's id). */
  correlateBy: string;
  /** The process variable the event's body goes to. */
  variable: string;
}

const NAME = '^[A-Za-z][A-Za-z0-9_-]{0,63}$';
const IDENTIFIER = '^[A-Za-z_][A-Za-z0-9_]{0,63}$';
const EVENT_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

const settingsOf = (config: { settings: Record<string, unknown> }) => config.settings as unknown as WebhookSettings;
/** Own entries only: a name such as `constructor` is not a target. */
const entry = <T>(table: Record<string, T>, name: string): T | undefined => (Object.hasOwn(table, name) ? table[name] : undefined);

export function webhookConnector(): Connector {
  return {
    name: 'webhook',
    title: t('通用 Webhook', 'Webhook'),
    settings: {
      type: 'object',
      required: ['targets', 'sources', 'timeoutMs'],
      properties: {
        targets: { type: 'object', propertyNames: { pattern: NAME }, additionalProperties: { type: 'object', required: ['url'], properties: { url: { type: 'string', format: 'uri', pattern: '^https?://' } } } },
        sources: {
          type: 'object',
          propertyNames: { pattern: NAME },
          additionalProperties: {
            type: 'object',
            required: ['message', 'correlateBy', 'variable'],
            properties: { message: { type: 'string', minLength: 1, maxLength: 255 }, correlateBy: { type: 'string', pattern: IDENTIFIER }, variable: { type: 'string', pattern: IDENTIFIER } },
          },
        },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000 },
      },
    },
    secrets: ['target:*', 'source:*'],
    defaults: (simulator) => ({
      settings: {
        targets: { dutyRoom: { url: `${simulator.baseUrl}/receive/dutyRoom` }, audit: { url: `${simulator.baseUrl}/receive/audit` } },
        sources: { gasSensors: { message: 'sensor.reading', correlateBy: 'sensorId', variable: 'reading' } },
        timeoutMs: 5000,
      },
      secrets: { 'target:dutyRoom': 'webhook-sim-duty-room', 'target:audit': 'webhook-sim-audit', 'source:gasSensors': 'webhook-sim-gas-sensors' },
    }),
    operations: {
      post: {
        title: t('推送 Webhook 事件', 'Post a webhook event'),
        input: {
          type: 'object',
          required: ['target', 'event', 'payload'],
          // Where an event goes is the settings' business, never a variable's: nothing else is taken.
          additionalProperties: false,
          properties: { target: { type: 'string', pattern: NAME }, event: { type: 'string', pattern: '^[a-z][a-z0-9._-]{0,63}$' }, payload: { type: 'object' } },
        },
        async run(input, ctx) {
          const name = String(input.target);
          const target = entry(settingsOf(ctx.config).targets, name);
          const secret = ctx.config.secrets[`target:${name}`];
          if (!target) throw new ConnectorError(`no webhook target named ${name}`, false);
          if (!secret) throw new ConnectorError(`the webhook target ${name} has no secret`, false);
          const event = String(input.event);
          const body = JSON.stringify({ id: ctx.idempotencyKey, event, payload: input.payload, sentAt: new Date(Date.now()).toISOString() });
          const headers = { ...signedHeaders(secret, body, Date.now()), [ID_HEADER]: ctx.idempotencyKey, [EVENT_HEADER]: event };
          ctx.report({ request: { target: name, url: target.url, event, deliveryId: ctx.idempotencyKey, payload: input.payload } });
          const answer = await callProvider(target.url, { headers, body, signal: ctx.signal, timeoutMs: settingsOf(ctx.config).timeoutMs });
          ctx.report({ response: { status: answer.status, body: answer.body } });
          return { webhookDeliveryId: ctx.idempotencyKey, webhookStatus: answer.status };
        },
      },
    },
    callbacks: {
      inbound: {
        title: t('接收 Webhook 事件', 'Inbound webhook event'),
        // A reading for a sensor nobody waits on, and no process starting on it, has no use later.
        bufferSeconds: 0,
        parse(request, { config }) {
          const sourceName = request.headers[SOURCE_HEADER] ?? '';
          const source = entry(settingsOf(config).sources, sourceName);
          if (!source) throw new CallbackRejected(t(`未知的 webhook 来源“${sourceName.slice(0, 64)}”`, `unknown webhook source "${sourceName.slice(0, 64)}"`));
          const eventId = request.headers[ID_HEADER];
          if (!eventId || !EVENT_ID.test(eventId)) throw new CallbackRejected(t(`请求头 ${ID_HEADER} 缺失或格式不对`, `the ${ID_HEADER} header is missing or malformed`));
          const event = readSignedNotice(config.secrets[`source:${sourceName}`], request, signedEvent(eventId, request.body));
          const key = event[source.correlateBy];
          if ((typeof key !== 'string' || !key) && typeof key !== 'number') throw new CallbackRejected(t(`事件中没有 ${source.correlateBy}`, `the event has no ${source.correlateBy}`));
          return {
            externalId: `${sourceName}:${eventId}`,
            message: { name: source.message, correlationKey: String(key), variables: { [source.variable]: event, webhookSource: sourceName, webhookEventId: eventId } },
            reply: { status: 200, contentType: 'application/json', body: JSON.stringify({ received: eventId }) },
          };
        },
      },
    },
    simulator: webhookSimulator,
  };
}
