/**
 * The connector port: how the outside world plugs into flows. A connector
 * names operations (run as service-task jobs, handler `<connector>.<operation>`)
 * and inbound callbacks (verified, de-duplicated, correlated to the waiting
 * instance). Connectors live in connectors/ and depend on this file only.
 */
import type { JsonSchema, LocalizedText } from '../../../forms/model.ts';
import type { Logger } from '../ports.ts';

export type { JsonSchema, LocalizedText };
export { t } from '../../../forms/model.ts';

/** A connector's settings for one environment; secrets are stored encrypted and never shown. */
export interface ConnectorConfig {
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
}

/** What a connector (or its simulator) keeps between calls: verification codes, the messages it simulated … */
export interface RecordStore {
  get(kind: string, key: string): Promise<StoredRecord | null>;
  /** Keep `data` under the key unless something is there already; either way, what is there now. */
  putIfAbsent(kind: string, key: string, data: Record<string, unknown>): Promise<{ record: StoredRecord; inserted: boolean }>;
  put(kind: string, key: string, data: Record<string, unknown>): Promise<void>;
  list(kind: string, limit: number): Promise<StoredRecord[]>;
}

export interface StoredRecord {
  key: string;
  data: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface OperationContext {
  /** The same for every attempt of one task execution: pass it to the provider so a repeat is not a second effect. */
  idempotencyKey: string;
  instanceId: string;
  businessKey: string | null;
  attempt: number;
  signal: AbortSignal;
  config: ConnectorConfig;
  log: Logger;
  /** What went out and came back, for the attempt's record. */
  report(details: { request?: unknown; response?: unknown }): void;
  /** Count one call against `key` (e.g. a phone number); over `max` per `windowMs` the job waits (RetryLater). */
  rateLimit(key: string, max: number, windowMs: number): Promise<void>;
  records: RecordStore;
  now(): number;
  /** A file of this job's case; throws when it is not one. */
  readFile(fileId: string): Promise<CaseFile>;
  /** A signed token for a link back to the portal: the path (e.g. /invitations/INV-1), this case, valid this long; the portal's page checks it. */
  link(path: string, validForMs: number): string;
}

/** Running one operation now, outside any process (a notice's SMS, a sign-in code): what use cases need of the connectors. */
export interface ConnectorCalls {
  invoke(connector: string, operation: string, input: Record<string, unknown>, idempotencyKey: string): Promise<Record<string, unknown>>;
}

export interface Operation {
  title: LocalizedText;
  /** JSON Schema of the input (the task's input parameters). */
  input: JsonSchema;
  run(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>>;
}

/** A raw inbound request, as the HTTP layer received it. */
export interface InboundRequest {
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  body: Buffer;
}

/** What a verified callback means for the flows. */
export interface CallbackEvent {
  /**
   * The provider's id of this notice: a second notice with it is a replay and changes nothing.
   * null: a read (a business system pulling a case) — answered, never recorded, nothing correlated.
   */
  externalId: string | null;
  /** Correlate a message to the instance waiting for it. */
  message?: { name: string; correlationKey: string; variables: Record<string, unknown> };
  /** What to answer the provider (its protocol's "success"). */
  reply: { status: number; contentType: string; body: string };
}

export interface Callback {
  title: LocalizedText;
  /**
   * Verify (signature, shared secret) and read a notice; throw CallbackRejected when it is forged or malformed.
   * The records let a notice be checked against what the connector stored (a payment's amount against its order).
   */
  parse(request: InboundRequest, ctx: CallbackContext): CallbackEvent | Promise<CallbackEvent>;
  /** How long a notice is kept when its receiver is not waiting yet (a payment notice may beat the flow to its receive task). */
  bufferSeconds: number;
}

export interface CallbackContext {
  config: ConnectorConfig;
  records: RecordStore;
  now(): number;
  /** The newest case (instance) with this business key among the processes named, with only the variables named; null when there is none. */
  findCase(businessKey: string, select: CaseSelection): Promise<CaseSnapshot | null>;
}

export interface CaseSelection {
  processKeys: readonly string[];
  variables: readonly string[];
}

/** What a business system may see of a case: never more variables than its settings name. */
export interface CaseSnapshot {
  instanceId: string;
  processKey: string;
  businessKey: string;
  state: string;
  startedAt: number;
  /** The activities it waits in. */
  waitingIn: string[];
  variables: Record<string, unknown>;
}

export interface Connector {
  name: string;
  title: LocalizedText;
  /** JSON Schema of the settings (URLs, templates, limits); secrets are named, not described. */
  settings: JsonSchema;
  /** A name ending in `*` names a family: `target:*` allows one secret per webhook target (`target:alarms` …). */
  secrets: readonly string[];
  /** Settings and secrets of the local simulator, the default everywhere until an admin configures the real service. */
  defaults(simulator: SimulatorAddress): ConnectorConfig;
  operations: Record<string, Operation>;
  callbacks?: Record<string, Callback>;
  /** The local stand-in for the service, speaking its protocol (mounted at /sim/<name>). */
  simulator?: Simulator;
  /** What an admin reads of the connector's records, by name: each lists the records of one kind (payment anomalies to refund …). */
  reports?: Record<string, { title: LocalizedText; kind: string }>;
  /** At most this many calls to the service at once in one worker process, all operations together (its channels, its allowance). */
  concurrency?: number;
  /** A simulator that speaks something else than HTTP (an SMTP server …), started beside the app. */
  simulatorServer?(ctx: Omit<SimulatorContext, 'callbackUrl' | 'notify'>): Promise<{ port: number; close(): Promise<void> }>;
}

/** Where a connector's simulator is reached: its HTTP root, and the port of its own server, if it has one. */
export interface SimulatorAddress {
  baseUrl: string;
  port: number | null;
}

/** An uploaded file of the case a job belongs to (attachments). */
export interface CaseFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

export interface SimRequest {
  method: string;
  /** Below the simulator's root, e.g. `/messages`. */
  path: string;
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  body: Buffer;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

export interface SimulatorContext {
  /** The simulator's own records (what the service would keep). */
  records: RecordStore;
  /** The connector's settings, for the shared secrets. */
  config: ConnectorConfig;
  /** This server's inbound URL for one of the connector's callbacks. */
  callbackUrl(callback: string): string;
  /**
   * Send a notice later, as the service would: POST, retried a few times
   * while the answer is not 2xx. Fire and forget.
   */
  notify(url: string, body: string, headers: Record<string, string>, delayMs: number): void;
  now(): number;
}

/**
 * A simulated service. It answers like the service (asynchronously, with
 * signed notices) and takes orders at POST /_control: fail, time out, decline
 * or deliver late, for the next N calls.
 */
export interface Simulator {
  handle(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse>;
}

/** A provider's answer, classified: may a retry help? */
export class ConnectorError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/** A callback that is forged, unsigned or malformed; `reply` answers it in the provider's own protocol (an XML error …) instead of the API's. */
export class CallbackRejected extends Error {
  constructor(
    /** Why, in both languages: the caller reads it in theirs. */
    readonly text: LocalizedText,
    readonly reply?: { status: number; contentType: string; body: string },
  ) {
    super(text.en);
    this.name = 'CallbackRejected';
  }
}

/** Whether `name` is one of the connector's secrets, or of one of its families (`target:*`). */
export function isSecretOf(connector: Pick<Connector, 'secrets'>, name: string): boolean {
  return connector.secrets.some((s) => (s.endsWith('*') ? name.length > s.length - 1 && name.startsWith(s.slice(0, -1)) : s === name));
}

export class ConnectorRegistry {
  readonly #connectors = new Map<string, Connector>();

  register(connector: Connector): this {
    if (this.#connectors.has(connector.name)) throw new Error(`connector ${connector.name} is already registered`);
    this.#connectors.set(connector.name, connector);
    return this;
  }

  get(name: string): Connector | undefined {
    return this.#connectors.get(name);
  }

  list(): Connector[] {
    return [...this.#connectors.values()];
  }
}

/** Where connector settings, rate windows, callbacks and connector records live (engine/store implements it). */
export interface ConnectorStore {
  getConfig(connector: string, environment: string): Promise<StoredConfig | null>;
  /** Insert (expectedRev null) or replace the revision read; ConflictError when someone else wrote in between. */
  putConfig(record: StoredConfig, expectedRev: number | null): Promise<void>;
  /** Count a call in the fixed window of `windowMs` containing `now`; the count includes this call. */
  countInWindow(key: string, windowMs: number, now: number): Promise<{ count: number; windowStart: number }>;
  /** False when (connector, externalId) was recorded before. */
  insertCallback(record: CallbackRecord): Promise<boolean>;
  getCallback(connector: string, externalId: string): Promise<CallbackRecord | null>;
  /** Take a notice again (it failed, or its handler died before `staleBefore`); false when another resend took it first. */
  claimCallback(id: string, now: number, staleBefore: number): Promise<boolean>;
  finishCallback(id: string, outcome: CallbackRecord['outcome'], detail: string | null): Promise<void>;
  listCallbacks(connector: string, limit: number): Promise<CallbackRecord[]>;
  records(connector: string): RecordStore;
}

export interface StoredConfig {
  connector: string;
  environment: string;
  settings: Record<string, unknown>;
  /** Encrypted (engine/core/lib/secret-box.ts). */
  secrets: string | null;
  rev: number;
  updatedAt: number;
  updatedBy: string | null;
}

export interface CallbackRecord {
  id: string;
  connector: string;
  externalId: string;
  receivedAt: number;
  payload: string;
  /** received: being handled; delivered: a waiting instance took it; buffered: kept for one to come; unmatched: nobody wanted it. */
  outcome: 'received' | 'delivered' | 'buffered' | 'unmatched' | 'failed';
  detail: string | null;
}
