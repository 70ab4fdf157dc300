/**
 * Inbound notices (a payment's result, a delivery report, a business
 * system's answer): verified by the connector, recorded once — a replay is
 * answered like the first and changes nothing — then correlated to the case
 * waiting for it as a message.
 */
import { WorkflowError } from '../errors.ts';
import type { Clock, Logger } from '../ports.ts';
import type { DeliveryResult, MessageRequest } from '../usecases/messages-and-signals.ts';
import { CallbackRejected, type CallbackContext, type CallbackRecord, type ConnectorStore, type InboundRequest } from './port.ts';
import type { ConnectorSettings } from './settings.ts';

/** A callback still "received" after this long was being handled by a process that died: handle it again. */
const STALE_CALLBACK_MS = 30_000;

export interface Reply {
  status: number;
  contentType: string;
  body: string;
}

/** What callbacks need of the rest of the engine: the case a notice concerns, and delivering its message. */
export interface CallbacksDeps {
  clock: Clock;
  logger: Logger;
  newId(): string;
  findCase: CallbackContext['findCase'];
  /** Deliver a notice's message as `by` (`connector:<name>`). */
  correlate(request: MessageRequest, by: string): Promise<DeliveryResult>;
}

export class ConnectorCallbacks {
  constructor(
    private readonly settings: ConnectorSettings,
    private readonly store: ConnectorStore,
    private readonly deps: CallbacksDeps,
  ) {}

  async handle(name: string, callbackName: string, request: InboundRequest): Promise<Reply> {
    const callback = this.settings.connector(name).callbacks?.[callbackName];
    if (!callback) throw new WorkflowError('WF_ERR_CONNECTOR_NOT_FOUND', { connector: `${name}/${callbackName}` });
    const { deps } = this;
    let event;
    try {
      const context: CallbackContext = { config: await this.settings.config(name), records: this.store.records(name), now: () => deps.clock.now(), findCase: deps.findCase };
      event = await callback.parse(request, context);
    } catch (err) {
      if (!(err instanceof CallbackRejected)) throw err;
      deps.logger.warn({ connector: name, callback: callbackName, reason: err.message }, 'callback rejected');
      if (err.reply) return err.reply;
      throw new WorkflowError('WF_ERR_CALLBACK_REJECTED', { connector: name, detail: err.text });
    }
    if (event.externalId === null) return event.reply; // a read: nothing to record
    const now = deps.clock.now();
    const record: CallbackRecord = { id: deps.newId(), connector: name, externalId: `${callbackName}:${event.externalId}`.slice(0, 255), receivedAt: now, payload: request.body.toString('utf8').slice(0, 20_000), outcome: 'received', detail: null };
    if (!(await this.store.insertCallback(record))) {
      const seen = (await this.store.getCallback(name, record.externalId))!;
      if (seen.outcome !== 'received' && seen.outcome !== 'failed') return event.reply; // a replay: answered, no effect
      // Two resends of a failed notice: one takes it, the other is told to come again.
      if (!(await this.store.claimCallback(seen.id, now, now - STALE_CALLBACK_MS))) throw new WorkflowError('WF_ERR_CALLBACK_IN_PROGRESS', { connector: name });
      record.id = seen.id;
    }
    let outcome: CallbackRecord['outcome'] = 'unmatched';
    let detail: string | null = null;
    if (event.message) {
      try {
        const result = await deps.correlate({ ...event.message, bufferSeconds: callback.bufferSeconds }, `connector:${name}`);
        outcome = result.delivered.length || result.started.length ? 'delivered' : result.buffered ? 'buffered' : 'unmatched';
        detail = JSON.stringify({ delivered: result.delivered, started: result.started });
      } catch (err) {
        if (err instanceof WorkflowError && err.code === 'WF_ERR_MESSAGE_NOT_CORRELATED') outcome = 'unmatched';
        else {
          await this.store.finishCallback(record.id, 'failed', err instanceof Error ? err.message : String(err));
          throw err; // the provider will send it again
        }
      }
    }
    await this.store.finishCallback(record.id, outcome, detail);
    return event.reply;
  }
}
