/**
 * Connectors' operations at work: each runs as a job (handler
 * `<connector>.<operation>`) with its input checked against the operation's
 * schema, the settings in force, the connector's records, a rate limiter and
 * the case's files; a connector may cap its calls at once. `invoke` runs one
 * now, outside any process (a sign-in code, a notice's SMS).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { reasonFor } from '../../../forms/messages.ts';
import { WorkflowError } from '../errors.ts';
import { PermanentFailure, RetryLater, type HandlerRegistry } from '../handlers.ts';
import { Semaphore } from '../lib/semaphore.ts';
import { signLink } from '../lib/links.ts';
import type { BlobStore, Clock, Logger, Store } from '../ports.ts';
import { ConnectorError, type CaseFile, type Connector, type ConnectorCalls, type ConnectorStore } from './port.ts';
import type { ConnectorSettings } from './settings.ts';

/** What operations need besides their settings: files of the case, the clock, the log, a time limit, the key links are signed with. */
export interface OperationsDeps {
  store: Pick<Store, 'getFile'>;
  blobs: BlobStore | null;
  clock: Clock;
  logger: Logger;
  handlerTimeoutMs: number;
  linkKey: Uint8Array;
}

export class ConnectorOperations implements ConnectorCalls {
  readonly #ajv = new Ajv2020({ allErrors: true, strict: false });

  constructor(
    private readonly settings: ConnectorSettings,
    private readonly store: ConnectorStore,
    private readonly deps: OperationsDeps,
  ) {
    addFormats.default(this.#ajv);
  }

  /** Every operation of every connector becomes a handler `<connector>.<operation>`. */
  registerHandlers(handlers: HandlerRegistry): void {
    for (const connector of this.settings.registry.list()) {
      const slots = connector.concurrency ? new Semaphore(connector.concurrency) : null;
      for (const [name, operation] of Object.entries(connector.operations)) {
        const inputs = { required: (operation.input.required as string[] | undefined) ?? [], known: operation.input.properties ? Object.keys(operation.input.properties as object) : null };
        handlers.register(
          `${connector.name}.${name}`,
          async (ctx) => {
            const input = this.#checkInput(connector, name, ctx.input);
            const call = async (): Promise<Record<string, unknown>> => operation.run(input, { ...ctx, ...(await this.#context(connector, ctx.instanceId)) });
            try {
              return await (slots ? slots.run(call, ctx.signal) : call());
            } catch (err) {
              if (err instanceof ConnectorError && !err.retryable) throw new PermanentFailure(err.message);
              throw err;
            }
          },
          { inputs, title: operation.title, input: operation.input },
        );
      }
    }
  }

  /**
   * Run an operation outside any process (a citizen's sign-in code): once,
   * now. A rate limit answers 429; any other failure is the caller's to report.
   */
  async invoke(connectorName: string, name: string, input: Record<string, unknown>, idempotencyKey: string): Promise<Record<string, unknown>> {
    const connector = this.settings.connector(connectorName);
    const operation = connector.operations[name];
    if (!operation) throw new WorkflowError('WF_ERR_CONNECTOR_NOT_FOUND', { connector: `${connectorName}.${name}` });
    const checked = this.#checkInput(connector, name, input);
    try {
      return await operation.run(checked, {
        idempotencyKey,
        instanceId: '',
        businessKey: null,
        attempt: 1,
        signal: AbortSignal.timeout(this.deps.handlerTimeoutMs),
        report: () => undefined,
        ...(await this.#context(connector, '')),
      });
    } catch (err) {
      if (err instanceof RetryLater) throw new WorkflowError('WF_ERR_RATE_LIMITED', { retryAfter: Math.max(1, Math.ceil((err.at - this.deps.clock.now()) / 1000)) });
      throw err;
    }
  }

  /** What an operation gets besides the job's own fields. */
  async #context(connector: Connector, instanceId: string) {
    return {
      config: await this.settings.config(connector.name),
      log: this.deps.logger,
      records: this.store.records(connector.name),
      now: () => this.deps.clock.now(),
      rateLimit: (key: string, max: number, windowMs: number) => this.#rateLimit(`${connector.name}:${key}`, max, windowMs),
      readFile: (fileId: string) => this.#readFile(fileId, instanceId),
      link: (path: string, validForMs: number) => signLink(this.deps.linkKey, { path, instanceId, expiresAt: this.deps.clock.now() + validForMs }),
    };
  }

  #checkInput(connector: Connector, name: string, input: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const key = `${connector.name}.${name}`;
    // ajv keeps what it compiled by schema object: the operation's schema is compiled once.
    const validate = this.#ajv.compile(connector.operations[name]!.input);
    if (validate(input)) return input as Record<string, unknown>;
    const problems = (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'}${e.keyword === 'required' ? `/${String((e.params as { missingProperty?: string }).missingProperty)}` : ''}: ${reasonFor(e)['zh-CN']}`,
    );
    // The model's input mapping is wrong: retrying cannot help.
    throw new PermanentFailure(`${key} 的输入不正确：${problems.join('；')}`);
  }

  async #readFile(fileId: string, instanceId: string): Promise<CaseFile> {
    const file = await this.deps.store.getFile(fileId);
    if (!file || file.instanceId !== instanceId || !this.deps.blobs) throw new ConnectorError(`file ${fileId} is not one of this case's files`, false);
    return { name: file.name, contentType: file.contentType, bytes: await this.deps.blobs.get(file.storageKey) };
  }

  async #rateLimit(key: string, max: number, windowMs: number): Promise<void> {
    const { count, windowStart } = await this.store.countInWindow(key, windowMs, this.deps.clock.now());
    if (count > max) throw new RetryLater(windowStart + windowMs, `rate limit: at most ${max} per ${windowMs} ms for ${key}`);
  }
}
