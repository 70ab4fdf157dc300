/**
 * Queue-number machine (排号机): a citizen books the next number of a hall
 * for a matter and a day, from the sequence the hall's own machine prints
 * walk-in tickets from; the booking can be cancelled until the number is
 * called. The window calling the number, or marking it a no-show, comes back
 * as a signed notice correlated by the ticket.
 *
 * The protocol: POST {baseUrl}/tickets {requestId, hallId, matter, date, name,
 * idNumber, phone} → {ticketId, number, date, hallName, hallAddress,
 * referenceTime}; POST {baseUrl}/tickets/{ticketId}/cancel {requestId} (409
 * TICKET_USED once called). Requests are signed (X-Timestamp, X-Signature:
 * HMAC-SHA256 of timestamp and body with the API key); the request id is the
 * job's idempotency key. Notices {noticeId, ticketId, number, window?, at}
 * come signed the same way to /api/callbacks/queue/called and /api/callbacks/queue/noShow.
 */
import { t, CallbackRejected, ConnectorError, type Connector, type InboundRequest, type OperationContext } from '../../engine/core/connectors/port.ts';
import { callSigned, type ProviderAnswer } from '../lib/http.ts';
import { readSignedNotice } from '../lib/signing.ts';
import { queueSimulator } from './simulator.ts';

export interface QueueSettings {
  baseUrl: string;
  timeoutMs: number;
}

const TICKET_ID = '^[A-Za-z0-9-]{1,64}$';
const OK = { status: 200, contentType: 'application/json', body: '{"code":0}' };

async function call(ctx: OperationContext, path: string, payload: Record<string, unknown>): Promise<ProviderAnswer> {
  const settings = ctx.config.settings as unknown as QueueSettings;
  const body = JSON.stringify({ requestId: ctx.idempotencyKey, ...payload });
  // The ID number is the citizen's: it goes to the machine, not into the case's record in full.
  ctx.report({ request: { path, ...payload, ...(typeof payload.idNumber === 'string' && { idNumber: `${payload.idNumber.slice(0, 4)}**********${payload.idNumber.slice(-4)}` }) } });
  const answer = await callSigned(`${settings.baseUrl}${path}`, ctx.config.secrets.apiKey, body, { signal: ctx.signal, timeoutMs: settings.timeoutMs });
  ctx.report({ response: answer.body });
  return answer;
}

/** A window's notice, verified: its id, ticket and time. */
function readWindowNotice(request: InboundRequest, apiKey: string | undefined): { noticeId: string; ticketId: string; number: string; window?: unknown; at: number } {
  const notice = readSignedNotice(apiKey, request);
  if (typeof notice.noticeId !== 'string' || typeof notice.ticketId !== 'string' || typeof notice.number !== 'string' || typeof notice.at !== 'number') throw new CallbackRejected(t('不是排队通知', 'not a queue notice'));
  return notice as ReturnType<typeof readWindowNotice>;
}

export function queueConnector(): Connector {
  return {
    name: 'queue',
    title: t('排号机', 'Queue-number machine'),
    settings: {
      type: 'object',
      required: ['baseUrl', 'timeoutMs'],
      properties: { baseUrl: { type: 'string', format: 'uri' }, timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000 } },
    },
    secrets: ['apiKey'],
    defaults: (simulator) => ({ settings: { baseUrl: simulator.baseUrl, timeoutMs: 5000 }, secrets: { apiKey: 'queue-simulator-key' } }),
    operations: {
      issue: {
        title: t('取号', 'Book a queue number'),
        input: {
          type: 'object',
          required: ['hallId', 'matter', 'date'],
          properties: {
            hallId: { type: 'string', minLength: 1, maxLength: 64 },
            matter: { type: 'string', minLength: 1, maxLength: 100 },
            date: { type: 'string', format: 'date' },
            name: { type: 'string', minLength: 1, maxLength: 50 },
            idNumber: { type: 'string', pattern: '^\\d{17}[\\dXx]$' },
            phone: { type: 'string', pattern: '^1[3-9]\\d{9}$' },
          },
        },
        async run(input, ctx) {
          const answer = await call(ctx, '/tickets', { hallId: input.hallId, matter: input.matter, date: input.date, name: input.name, idNumber: input.idNumber, phone: input.phone });
          const ticket = answer.body as { ticketId?: unknown; number?: unknown; date?: unknown; hallName?: unknown; hallAddress?: unknown; referenceTime?: unknown } | null;
          if (typeof ticket?.ticketId !== 'string' || typeof ticket.number !== 'string') throw new ConnectorError('the queue machine answered without a ticket', true, answer.body);
          return {
            queueTicketId: ticket.ticketId,
            queueNumber: ticket.number,
            queueDate: String(ticket.date),
            queueHallName: String(ticket.hallName),
            queueHallAddress: String(ticket.hallAddress),
            queueReferenceTime: String(ticket.referenceTime),
            queueStatus: 'waiting',
          };
        },
      },
      cancel: {
        title: t('取消排号', 'Cancel a queue number'),
        input: { type: 'object', required: ['ticketId'], properties: { ticketId: { type: 'string', pattern: TICKET_ID } } },
        async run(input, ctx) {
          try {
            await call(ctx, `/tickets/${String(input.ticketId)}/cancel`, {});
          } catch (err) {
            if (err instanceof ConnectorError && (err.details as { error?: unknown } | undefined)?.error === 'TICKET_USED') {
              throw new ConnectorError(`号码已叫过，不能取消（the number was already called and cannot be cancelled）`, false, err.details);
            }
            throw err;
          }
          return { queueStatus: 'cancelled' };
        },
      },
    },
    callbacks: {
      called: {
        title: t('叫号', 'Number called'),
        bufferSeconds: 0,
        parse(request, { config }) {
          const notice = readWindowNotice(request, config.secrets.apiKey);
          if (!(Number.isInteger(notice.window) && Number(notice.window) > 0)) throw new CallbackRejected(t('叫号通知须写明窗口号', 'a call names its window'));
          return {
            externalId: notice.noticeId,
            message: { name: 'queue.called', correlationKey: notice.ticketId, variables: { queueStatus: 'called', queueWindow: notice.window, queueCalledAt: new Date(notice.at).toISOString() } },
            reply: OK,
          };
        },
      },
      noShow: {
        title: t('过号未到', 'No-show'),
        bufferSeconds: 0,
        parse(request, { config }) {
          const notice = readWindowNotice(request, config.secrets.apiKey);
          return {
            externalId: notice.noticeId,
            message: { name: 'queue.noShow', correlationKey: notice.ticketId, variables: { queueStatus: 'noShow', queueNoShowAt: new Date(notice.at).toISOString() } },
            reply: OK,
          };
        },
      },
    },
    simulator: queueSimulator,
  };
}
