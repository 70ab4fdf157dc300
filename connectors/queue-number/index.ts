/**
 * Queue-number machine (排号机): a citizen books the next number of a hall
 * for a matter and a day, from the sequence the hall's own machine prints
 * walk-in tickets from; the booking can be cancelled until the number is
 * called. The window calling the number, or marking it a no-show, comes back
 * as a signed notice correlated by the ticket.
 *
 * A booking the hall cannot take (the slot or day full, the ID number holding
 * a number there that day already, a date out of range) is an answer, not a
 * failure: `queueStatus` 'refused' with the reason in `queueRefusal`, for the
 * flow to tell the citizen. The booking also says when to remind the citizen
 * (`queueRemindAt`, the day before at the hall's hour) and from when an
 * unanswered number is a no-show (`queueNoShowAt`), for the flow's timers.
 *
 * The protocol: POST {baseUrl}/tickets {requestId, hallId, matter, date, slot,
 * name, idNumber, phone} → {ticketId, number, date, slot, hallName,
 * hallAddress, referenceTime} (409 {error} when refused); POST
 * {baseUrl}/tickets/{ticketId}/cancel {requestId} (409 TICKET_USED once
 * called); GET {baseUrl}/halls/{hallId}/slots?date= → {items: [{slot, quota,
 * left}]}. Requests are signed (X-Timestamp, X-Signature:
 * HMAC-SHA256 of timestamp and body with the API key); the request id is the
 * job's idempotency key. Notices {noticeId, ticketId, number, window?, at}
 * come signed the same way to /api/callbacks/queue/called and /api/callbacks/queue/noShow.
 */
import { t, CallbackRejected, ConnectorError, type Connector, type InboundRequest, type OperationContext } from '../../engine/core/connectors/port.ts';
import { callProvider, callSigned, type ProviderAnswer } from '../lib/http.ts';
import { readSignedNotice } from '../lib/signing.ts';
import { DEFAULT_HALLS, hallTime, slotsOf, type Hall } from './halls.ts';
import { SETTINGS_SCHEMA, hallsOf, type QueueSettings } from './settings.ts';
import { queueSimulator } from './simulator.ts';

const TICKET_ID = '^[A-Za-z0-9-]{1,64}$';
const OK = { status: 200, contentType: 'application/json', body: '{"code":0}' };

/** The machine's refusals a citizen is told about, worded for them. */
const REFUSALS: Record<string, (hall: Hall) => string> = {
  DAY_FULL: () => '当日号已约满，请改约其他日期',
  SLOT_FULL: () => '所选时段号已约满，请改选其他时段',
  ACTIVE_BOOKING: () => '您当天在该大厅已有有效预约号，每人每天每个大厅限约一个',
  DATE_NOT_BOOKABLE: (hall) => `只能预约今天起 ${hall.bookingDays} 天内的日期`,
};

const DAY_MS = 86_400_000;

/** When to remind and when the number lapses, for a booking of `slot` on `date`. */
function reminders(hall: Hall, date: string, slot: string, now: number): { queueRemindAt: string; queueNoShowAt: string } {
  const noShowAt = hallTime(date, slot.slice(-5)) + hall.noShowAfterMinutes * 60_000;
  const remindAt = hallTime(date, hall.remindAt) - DAY_MS;
  // Booked after the reminder hour, the booking's own SMS is the reminder: the reminder is put after the number lapses, so it never goes.
  return { queueRemindAt: new Date(remindAt > now ? remindAt : noShowAt + DAY_MS).toISOString(), queueNoShowAt: new Date(noShowAt).toISOString() };
}

const errorCodeOf = (err: unknown): unknown => (err instanceof ConnectorError ? (err.details as { error?: unknown } | undefined)?.error : undefined);

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
  if (typeof notice.noticeId !== 'string' || typeof notice.ticketId !== 'string' || typeof notice.number !== 'string' || typeof notice.at !== 'number')
    throw new CallbackRejected(t('不是排队通知', 'not a queue notice'));
  return notice as ReturnType<typeof readWindowNotice>;
}

export function queueConnector(): Connector {
  return {
    name: 'queue',
    title: t('排号机', 'Queue-number machine'),
    settings: SETTINGS_SCHEMA,
    secrets: ['apiKey'],
    defaults: (simulator) => ({ settings: { baseUrl: simulator.baseUrl, timeoutMs: 5000, halls: DEFAULT_HALLS }, secrets: { apiKey: 'queue-simulator-key' } }),
    operations: {
      issue: {
        title: t('取号', 'Book a queue number'),
        input: {
          type: 'object',
          required: ['hallId', 'matter', 'date', 'slot'],
          properties: {
            hallId: { type: 'string', minLength: 1, maxLength: 64 },
            matter: { type: 'string', minLength: 1, maxLength: 100 },
            date: { type: 'string', format: 'date' },
            slot: { type: 'string', pattern: '^\\d{2}:\\d{2}-\\d{2}:\\d{2}$' },
            name: { type: 'string', minLength: 1, maxLength: 50 },
            idNumber: { type: 'string', pattern: '^\\d{17}[\\dXx]$' },
            phone: { type: 'string', pattern: '^1[3-9]\\d{9}$' },
          },
        },
        async run(input, ctx) {
          const hall = hallsOf(ctx.config).find((h) => h.id === input.hallId);
          if (!hall) throw new ConnectorError(`no hall ${String(input.hallId)} in the queue connector's settings`, false);
          const slot = String(input.slot);
          if (!slotsOf(hall).includes(slot)) throw new ConnectorError(`${hall.name} has no slot ${slot} (slots: ${slotsOf(hall).join(', ')})`, false);
          let answer: ProviderAnswer;
          try {
            answer = await call(ctx, '/tickets', { hallId: hall.id, matter: input.matter, date: input.date, slot, name: input.name, idNumber: input.idNumber, phone: input.phone });
          } catch (err) {
            const refusal = REFUSALS[String(errorCodeOf(err))];
            if (refusal) return { queueStatus: 'refused', queueRefusal: refusal(hall) };
            throw err;
          }
          const ticket = answer.body as { ticketId?: unknown; number?: unknown; date?: unknown; hallName?: unknown; hallAddress?: unknown; referenceTime?: unknown } | null;
          if (typeof ticket?.ticketId !== 'string' || typeof ticket.number !== 'string') throw new ConnectorError('the queue machine answered without a ticket', true, answer.body);
          return {
            queueTicketId: ticket.ticketId,
            queueNumber: ticket.number,
            queueDate: String(ticket.date),
            queueSlot: slot,
            queueHallName: String(ticket.hallName),
            queueHallAddress: String(ticket.hallAddress),
            queueReferenceTime: String(ticket.referenceTime),
            queueStatus: 'waiting',
            ...reminders(hall, String(input.date), slot, ctx.now()),
          };
        },
      },
      slots: {
        title: t('查询时段余号', 'Places left per slot'),
        input: { type: 'object', required: ['hallId', 'date'], properties: { hallId: { type: 'string', pattern: TICKET_ID }, date: { type: 'string', format: 'date' } } },
        async run(input, ctx) {
          const settings = ctx.config.settings as unknown as QueueSettings;
          const answer = await callProvider(`${settings.baseUrl}/halls/${String(input.hallId)}/slots?date=${String(input.date)}`, { method: 'GET', signal: ctx.signal, timeoutMs: settings.timeoutMs });
          return { queueSlots: (answer.body as { items?: unknown } | null)?.items ?? [] };
        },
      },
      cancel: {
        title: t('取消排号', 'Cancel a queue number'),
        input: { type: 'object', required: ['ticketId'], properties: { ticketId: { type: 'string', pattern: TICKET_ID } } },
        async run(input, ctx) {
          try {
            await call(ctx, `/tickets/${String(input.ticketId)}/cancel`, {});
          } catch (err) {
            if (errorCodeOf(err) === 'TICKET_USED') {
              throw new ConnectorError(`号码已叫过，不能取消（the number was already called and cannot be cancelled）`, false, (err as ConnectorError).details);
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
