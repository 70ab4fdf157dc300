import { randomBytes } from 'node:crypto';
import { CalendarRegistry } from './calendar/registry.ts';
import { SlaRegistry } from './calendar/sla.ts';
import { uuidV7 } from './lib/uuid-v7.ts';
import { WorkflowError } from './errors.ts';
import type { HandlerRegistry } from './handlers.ts';
import { FormRegistry } from './forms/registry.ts';
import { ruleProblem } from './org/assignee-rules.ts';
import type { OrgDirectory } from './org/directory.ts';
import { ConflictError, type BlobStore, type Clock, type Logger, type Store } from './ports.ts';
import type { LintPolicy } from './runtime/compiled-definition.ts';
import { DefinitionRegistry } from './runtime/definition-registry.ts';
import { InstanceCache } from './runtime/instance-cache.ts';
import type { SubscriptionRecord } from './model.ts';
import { Step } from './runtime/step.ts';

/** Runs after a step committed, with the message waits it committed; it must not throw (the step is in). */
export type AfterCommit = (waits: SubscriptionRecord[]) => Promise<void>;

export interface RuntimeConfig {
  /** Loaded engines kept between steps (0 disables the cache). */
  cacheSize: number;
  /** Attempts of a step that lost an optimistic-concurrency race before giving up with 409. */
  conflictRetries: number;
  /** Lint policy for deployments. */
  requireAssignee: boolean;
  requireForm: boolean;
  /** Longest a message may wait in the buffer for its receiver. */
  maxMessageBufferMs: number;
  /** A handler attempt taking longer fails (and is retried); keep it well under the scheduler's lease. */
  handlerTimeoutMs: number;
  /** Per user: uploads per minute, bytes of uploads not yet bound to a case; how long such an upload is kept. */
  uploadsPerMinute: number;
  uploadQuotaBytes: number;
  uploadTtlMs: number;
  /** An upload a draft refers to is kept this long from the draft's save. */
  draftFileTtlMs: number;
}

export const DEFAULT_CONFIG: RuntimeConfig = {
  cacheSize: 32,
  conflictRetries: 8,
  requireAssignee: false,
  requireForm: false,
  maxMessageBufferMs: 7 * 24 * 3600_000,
  handlerTimeoutMs: 60_000,
  uploadsPerMinute: 30,
  uploadQuotaBytes: 200 * 1024 * 1024,
  uploadTtlMs: 24 * 3600_000,
  draftFileTtlMs: 30 * 24 * 3600_000,
};

export interface ServicesOptions {
  store: Store;
  handlers: HandlerRegistry;
  clock: Clock;
  logger: Logger;
  config?: Partial<RuntimeConfig>;
  newId?: () => string;
  /** Where uploaded files are kept; needed only for uploads. */
  blobs?: BlobStore;
  /** Working calendars for due dates (wf:calendar); 7×24 only when absent. */
  calendars?: CalendarRegistry;
  /** The organisation: a case's department, assignee rules. */
  org?: OrgDirectory;
  /** SLA tables (wf:sla): due dates, reminders, escalations. */
  slas?: SlaRegistry;
  /** Signs the codes of electronic documents' QR codes; absent: a key of this process's own (codes then die with it). */
  documentKey?: Uint8Array;
  /** Signs links back to the portal (lib/links.ts); absent: a key of this process's own (links then die with it). */
  linkKey?: Uint8Array;
}

/**
 * The services every use case works with: the store, the registries (definitions,
 * forms, calendars, SLA tables), the organisation, clock, logger and settings —
 * and `step()`, the unit of work (runtime/step.ts).
 */
export class Services {
  readonly store: Store;
  readonly handlers: HandlerRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: RuntimeConfig;
  readonly newId: () => string;
  readonly definitions: DefinitionRegistry;
  readonly forms: FormRegistry;
  readonly blobs: BlobStore | null;
  readonly calendars: CalendarRegistry;
  readonly org: OrgDirectory | null;
  readonly slas: SlaRegistry;
  readonly cache: InstanceCache;
  readonly documentKey: Uint8Array;
  readonly linkKey: Uint8Array;
  /** Set by the composition root: wakes the local scheduler when a step created work. */
  onWork: (() => void) | null = null;

  constructor(options: ServicesOptions) {
    this.store = options.store;
    this.handlers = options.handlers;
    this.clock = options.clock;
    this.logger = options.logger;
    this.config = { ...DEFAULT_CONFIG, ...options.config };
    this.newId = options.newId ?? (() => uuidV7());
    this.documentKey = options.documentKey ?? randomBytes(32);
    this.linkKey = options.linkKey ?? randomBytes(32);
    this.calendars = options.calendars ?? new CalendarRegistry();
    this.org = options.org ?? null;
    this.slas = options.slas ?? new SlaRegistry();
    this.definitions = new DefinitionRegistry(this.store, this.lintPolicy, this.clock);
    this.forms = new FormRegistry(this.store, this.clock);
    this.blobs = options.blobs ?? null;
    this.cache = new InstanceCache(this.config.cacheSize);
  }

  get lintPolicy(): LintPolicy {
    return {
      isKnownHandler: (name) => this.handlers.has(name),
      handlerInputs: (name) => this.handlers.options(name).inputs ?? null,
      handlerNames: () => this.handlers.names(),
      isKnownCalendar: (key) => this.calendars.get(key) !== undefined,
      isKnownSla: (key) => this.slas.get(key) !== undefined,
      assigneeRuleProblem: ruleProblem,
      requireAssignee: this.config.requireAssignee,
      requireForm: this.config.requireForm,
    };
  }

  readonly #afterCommit: AfterCommit[] = [];

  /** Work to do once a step has committed, registered at construction (the message buffer's second look). */
  afterCommit(hook: AfterCommit): void {
    this.#afterCommit.push(hook);
  }

  /**
   * Run `work` as one step and commit it. A lost race (another step committed
   * the same instance first) re-runs the work on fresh state; what the work
   * checks (is the task still active?) then decides, so exactly one wins.
   */
  async step<T>(actor: string | null, work: (step: Step) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const step = new Step(this, actor);
      try {
        const result = await work(step);
        await step.settle();
        const waits = await step.commit();
        for (const hook of this.#afterCommit) await hook(waits);
        return result;
      } catch (err) {
        step.abandon();
        if (!(err instanceof ConflictError)) throw err;
        if (attempt >= this.config.conflictRetries) throw new WorkflowError('WF_ERR_CONCURRENT_MODIFICATION', { entity: err.entity, id: err.id });
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }
}
