/**
 * Connectors at work: their operations run as jobs (handler
 * `<connector>.<operation>`), their settings come from the store per
 * environment (secrets sealed), and their callbacks are verified,
 * de-duplicated and correlated to the waiting instance.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { reasonFor } from '../../forms/messages.ts';
import {
  CallbackRejected,
  ConnectorError,
  type CallbackContext,
  type ConnectorCalls,
  type CallbackRecord,
  type CaseFile,
  type Connector,
  type ConnectorConfig,
  type ConnectorRegistry,
  type ConnectorStore,
  type InboundRequest,
  isSecretOf,
  type Simulator,
  type SimulatorAddress,
  type StoredConfig,
} from './connectors.ts';
import { t, WorkflowError, type LocalizedText } from './errors.ts';
import { PermanentFailure, RetryLater, type HandlerRegistry } from './handlers.ts';
import type { SecretBox } from './lib/secret-box.ts';
import { Semaphore } from './lib/semaphore.ts';
import { ConflictError } from './ports.ts';
import type { Services } from './services.ts';
import { findCase } from './usecases/case-lookup.ts';
import { correlateMessage } from './usecases/messages-and-signals.ts';

const CONFIG_TTL_MS = 2000;
/** A callback still "received" after this long was being handled by a process that died: handle it again. */
const STALE_CALLBACK_MS = 30_000;

export interface ConnectorRuntimeOptions {
  environment: string;
  box: SecretBox;
  /** Where this server is reached (known once it listens): simulators call back here, and it is the simulators' own address. */
  baseUrl: () => string;
  /**
   * The local simulators run: a connector nobody configured talks to its
   * simulator with the simulator's keys (published in the source code). Off,
   * such a connector has no secrets at all, so it refuses every callback.
   */
  simulators: boolean;
}

export interface ConfigView {
  connector: string;
  environment: string;
  settings: Record<string, unknown>;
  /** Which secrets are set (their values never leave the server). */
  secrets: Record<string, boolean>;
  rev: number | null;
  /** `defaults`: nothing stored yet, the local simulator is used (or, without simulators, nothing works until configured). */
  source: 'stored' | 'defaults';
  /** What an admin must know: callbacks refused for want of a secret, the simulator's published keys in use. */
  warnings: LocalizedText[];
}

export interface Reply {
  status: number;
  contentType: string;
  body: string;
}

export class ConnectorRuntime implements ConnectorCalls {
  readonly #ajv = new Ajv2020({ allErrors: true, strict: false });
  readonly #configs = new Map<string, { config: ConnectorConfig; at: number }>();
  readonly #simulatorServers = new Map<string, { port: number; close(): Promise<void> }>();
  readonly #simulatorPorts = new Map<string, number>();

  constructor(
    private readonly services: Services,
    readonly registry: ConnectorRegistry,
    readonly store: ConnectorStore,
    private readonly options: ConnectorRuntimeOptions,
  ) {
    addFormats.default(this.#ajv);
  }

  /** Every operation of every connector becomes a handler `<connector>.<operation>`. */
  registerHandlers(handlers: HandlerRegistry): void {
    for (const connector of this.registry.list()) {
      const slots = connector.concurrency ? new Semaphore(connector.concurrency) : null;
      for (const [name, operation] of Object.entries(connector.operations)) {
        const inputs = { required: (operation.input.required as string[] | undefined) ?? [], known: operation.input.properties ? Object.keys(operation.input.properties as object) : null };
        handlers.register(`${connector.name}.${name}`, async (ctx) => {
          const input = this.#checkInput(connector, name, ctx.input);
          const call = async (): Promise<Record<string, unknown>> => operation.run(input, { ...ctx, ...(await this.#context(connector, ctx.instanceId)) });
          try {
            return await (slots ? slots.run(call, ctx.signal) : call());
          } catch (err) {
            if (err instanceof ConnectorError && !err.retryable) throw new PermanentFailure(err.message);
            throw err;
          }
        }, { inputs });
      }
    }
  }

  /**
   * Run an operation outside any process (a citizen's sign-in code): once,
   * now. A rate limit answers 429; any other failure is the caller's to report.
   */
  async invoke(connectorName: string, name: string, input: Record<string, unknown>, idempotencyKey: string): Promise<Record<string, unknown>> {
    const connector = this.connector(connectorName);
    const operation = connector.operations[name];
    if (!operation) throw new WorkflowError('WF_ERR_CONNECTOR_NOT_FOUND', { connector: `${connectorName}.${name}` });
    const checked = this.#checkInput(connector, name, input);
    try {
      return await operation.run(checked, {
        idempotencyKey,
        instanceId: '',
        businessKey: null,
        attempt: 1,
        signal: AbortSignal.timeout(this.services.config.handlerTimeoutMs),
        report: () => undefined,
        ...(await this.#context(connector, '')),
      });
    } catch (err) {
      if (err instanceof RetryLater) throw new WorkflowError('WF_ERR_RATE_LIMITED', { retryAfter: Math.max(1, Math.ceil((err.at - this.services.clock.now()) / 1000)) });
      throw err;
    }
  }

  /** What an operation gets besides the job's own fields. */
  async #context(connector: Connector, instanceId: string) {
    return {
      config: await this.config(connector.name),
      log: this.services.logger,
      records: this.store.records(connector.name),
      now: () => this.services.clock.now(),
      rateLimit: (key: string, max: number, windowMs: number) => this.#rateLimit(`${connector.name}:${key}`, max, windowMs),
      readFile: (fileId: string) => this.#readFile(fileId, instanceId),
    };
  }

  #checkInput(connector: Connector, name: string, input: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const key = `${connector.name}.${name}`;
    // ajv keeps what it compiled by schema object: the operation's schema is compiled once.
    const validate = this.#ajv.compile(connector.operations[name]!.input);
    if (validate(input)) return input as Record<string, unknown>;
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'}${e.keyword === 'required' ? `/${String((e.params as { missingProperty?: string }).missingProperty)}` : ''}: ${reasonFor(e)['zh-CN']}`);
    // The model's input mapping is wrong: retrying cannot help.
    throw new PermanentFailure(`${key} 的输入不正确：${problems.join('；')}`);
  }

  async #readFile(fileId: string, instanceId: string): Promise<CaseFile> {
    const file = await this.services.store.getFile(fileId);
    if (!file || file.instanceId !== instanceId || !this.services.blobs) throw new ConnectorError(`file ${fileId} is not one of this case's files`, false);
    return { name: file.name, contentType: file.contentType, bytes: await this.services.blobs.get(file.storageKey) };
  }

  async #rateLimit(key: string, max: number, windowMs: number): Promise<void> {
    const { count, windowStart } = await this.store.countInWindow(key, windowMs, this.services.clock.now());
    if (count > max) throw new RetryLater(windowStart + windowMs, `rate limit: at most ${max} per ${windowMs} ms for ${key}`);
  }

  // ---- settings ----------------------------------------------------------------------------

  connector(name: string): Connector {
    const connector = this.registry.get(name);
    if (!connector) throw new WorkflowError('WF_ERR_CONNECTOR_NOT_FOUND', { connector: name });
    return connector;
  }

  /** The settings in force: stored for this environment, else the simulator's defaults. */
  async config(name: string): Promise<ConnectorConfig> {
    const cached = this.#configs.get(name);
    if (cached && Date.now() - cached.at < CONFIG_TTL_MS) return cached.config;
    const config = this.#configFrom(this.connector(name), await this.store.getConfig(name, this.options.environment));
    this.#configs.set(name, { config, at: Date.now() });
    return config;
  }

  #configFrom(connector: Connector, stored: StoredConfig | null): ConnectorConfig {
    if (stored) return { settings: stored.settings, secrets: stored.secrets ? this.options.box.open(stored.secrets) : {} };
    const defaults = connector.defaults(this.#simulatorAddress(connector.name));
    // The simulator's keys are public: without the simulator they would let anyone forge a notice.
    return this.options.simulators ? defaults : { settings: defaults.settings, secrets: {} };
  }

  /** Why callbacks of this connector will be refused, or the simulator's keys are in use. */
  #warnings(connector: Connector, config: ConnectorConfig, stored: StoredConfig | null): LocalizedText[] {
    const warnings: LocalizedText[] = [];
    if (!stored && this.options.simulators) warnings.push(t('未配置：使用本地模拟器及其公开的密钥，仅供开发和演示', 'not configured: the local simulator and its published keys are in use, for development and demos only'));
    const missing = connector.secrets.filter((s) => !s.endsWith('*') && !config.secrets[s]);
    if (connector.callbacks && missing.length) warnings.push(t(`未配置密钥 ${missing.join('、')}：所有回调都将被拒绝`, `no ${missing.join(', ')} is configured: every callback is refused`));
    return warnings;
  }

  async viewConfig(name: string): Promise<ConfigView> {
    const connector = this.connector(name);
    return this.#view(connector, await this.store.getConfig(name, this.options.environment));
  }

  #view(connector: Connector, stored: StoredConfig | null): ConfigView {
    const config = this.#configFrom(connector, stored);
    return {
      connector: connector.name,
      environment: this.options.environment,
      settings: config.settings,
      secrets: Object.fromEntries([...connector.secrets.filter((s) => !s.endsWith('*')), ...Object.keys(config.secrets).filter((s) => isSecretOf(connector, s))].map((s) => [s, Boolean(config.secrets[s])])),
      rev: stored?.rev ?? null,
      source: stored ? 'stored' : 'defaults',
      warnings: this.#warnings(connector, config, stored),
    };
  }

  /** Connectors whose callbacks are refused for want of a secret (told in the log at start). */
  async unconfigured(): Promise<Array<{ connector: string; warnings: string[] }>> {
    const views = await Promise.all(this.registry.list().map((c) => this.viewConfig(c.name)));
    return views.filter((v) => v.warnings.length).map((v) => ({ connector: v.connector, warnings: v.warnings.map((w) => w.en) }));
  }

  /** Replace the settings; secrets given replace those stored, secrets left out stay (none the first time: not the simulator's). */
  async putConfig(name: string, input: { settings: Record<string, unknown>; secrets?: Record<string, string> }, expectedRev: number | undefined, actor: string | null): Promise<ConfigView> {
    const connector = this.connector(name);
    const unknown = Object.keys(input.secrets ?? {}).find((s) => !isSecretOf(connector, s));
    if (unknown) throw new WorkflowError('WF_ERR_VALIDATION', { field: `secrets.${unknown}`, rule: 'unknown', reason: t('不是该连接器的密钥', 'is not a secret of this connector') }, `secrets.${unknown}`);
    const validate = this.#ajv.compile(connector.settings);
    if (!validate(input.settings)) {
      const e = validate.errors![0]!;
      const field = `settings${e.instancePath.replace(/\//g, '.')}${e.keyword === 'required' ? `.${String((e.params as { missingProperty?: string }).missingProperty)}` : ''}`;
      throw new WorkflowError('WF_ERR_VALIDATION', { field, rule: e.keyword, reason: reasonFor(e) }, field);
    }
    const stored = await this.store.getConfig(name, this.options.environment);
    if (stored && expectedRev !== undefined && stored.rev !== expectedRev) throw new WorkflowError('WF_ERR_CONCURRENT_MODIFICATION', { entity: 'connector', id: name });
    // The simulator's keys are in the source code: a first configuration starts with none of them.
    const secrets = { ...(stored?.secrets ? this.options.box.open(stored.secrets) : {}), ...input.secrets };
    const record: StoredConfig = { connector: name, environment: this.options.environment, settings: input.settings, secrets: this.options.box.seal(secrets), rev: (stored?.rev ?? 0) + 1, updatedAt: this.services.clock.now(), updatedBy: actor };
    try {
      await this.store.putConfig(record, stored?.rev ?? null);
    } catch (err) {
      if (err instanceof ConflictError) throw new WorkflowError('WF_ERR_CONCURRENT_MODIFICATION', { entity: 'connector', id: name });
      throw err;
    }
    this.#configs.delete(name);
    return this.#view(connector, record);
  }

  // ---- callbacks ---------------------------------------------------------------------------

  /**
   * An inbound notice: verified, recorded once, correlated to the waiting
   * instance. A replay is answered like the first notice and changes nothing.
   */
  async handleCallback(name: string, callbackName: string, request: InboundRequest): Promise<Reply> {
    const connector = this.connector(name);
    const callback = connector.callbacks?.[callbackName];
    if (!callback) throw new WorkflowError('WF_ERR_CONNECTOR_NOT_FOUND', { connector: `${name}/${callbackName}` });
    let event;
    try {
      const context: CallbackContext = { config: await this.config(name), records: this.store.records(name), now: () => this.services.clock.now(), findCase: (key, select) => findCase(this.services, key, select) };
      event = await callback.parse(request, context);
    } catch (err) {
      if (!(err instanceof CallbackRejected)) throw err;
      this.services.logger.warn({ connector: name, callback: callbackName, reason: err.message }, 'callback rejected');
      if (err.reply) return err.reply;
      throw new WorkflowError('WF_ERR_CALLBACK_REJECTED', { connector: name, detail: err.message });
    }
    if (event.externalId === null) return event.reply; // a read: nothing to record
    const now = this.services.clock.now();
    const record: CallbackRecord = { id: this.services.newId(), connector: name, externalId: `${callbackName}:${event.externalId}`.slice(0, 255), receivedAt: now, payload: request.body.toString('utf8').slice(0, 20_000), outcome: 'received', detail: null };
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
        const result = await correlateMessage(this.services, { ...event.message, bufferSeconds: callback.bufferSeconds }, `connector:${name}`);
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

  #simulatorAddress(name: string): SimulatorAddress {
    return { baseUrl: `${this.options.baseUrl()}/sim/${name}`, port: this.#simulatorPorts.get(name) ?? null };
  }

  /** Start the simulators that are servers of their own (SMTP …). */
  async startSimulatorServers(): Promise<void> {
    for (const connector of this.registry.list()) {
      if (!connector.simulatorServer || this.#simulatorServers.has(connector.name)) continue;
      const server = await connector.simulatorServer({ records: this.store.records(`sim:${connector.name}`), config: connector.defaults({ baseUrl: '', port: null }), now: () => Date.now() });
      this.#simulatorServers.set(connector.name, server);
      this.#simulatorPorts.set(connector.name, server.port);
      this.#configs.delete(connector.name);
    }
  }

  async stopSimulatorServers(): Promise<void> {
    await Promise.all([...this.#simulatorServers.values()].map((s) => s.close()));
    this.#simulatorServers.clear();
  }

  /** The simulated service behind a connector's default settings. */
  simulator(name: string): Simulator {
    const simulator = this.connector(name).simulator;
    if (!simulator) throw new WorkflowError('WF_ERR_CONNECTOR_NOT_FOUND', { connector: `${name} (simulator)` });
    return simulator;
  }

  get baseUrl(): string {
    return this.options.baseUrl();
  }
}

