/**
 * Ports: what the core needs from the outside world. Adapters (engine/store,
 * engine/http, queues) implement them; the composition root wires them in.
 */
import type { DueState } from './calendar/due-state.ts';
import type {
  BufferedMessageRecord,
  CatalogChangeRecord,
  CatalogPublicationRecord,
  CatalogRowRecord,
  DocumentRecord,
  DefinitionRecord,
  DictionaryRecord,
  DraftRecord,
  FileRecord,
  FormRecord,
  HistoryEvent,
  HistoryRecord,
  IncidentRecord,
  InstanceRecord,
  JobAttemptRecord,
  InstanceState,
  JobRecord,
  NoticeRecord,
  Page,
  PageRequest,
  SubscriptionKind,
  SubscriptionRecord,
  TaskRecord,
  TaskState,
  TimerRecord,
} from './model.ts';

/**
 * One write of a step. A step's writes are committed together in one
 * transaction; a guarded write that matches no row aborts the whole step
 * with a ConflictError (someone else got there first).
 */
export type Write =
  | { type: 'instance.insert'; record: InstanceRecord }
  /** Guarded by the revision the step started from. */
  | { type: 'instance.update'; record: InstanceRecord; expectedRev: number }
  | { type: 'task.insert'; record: TaskRecord }
  /** Guarded: the task must still be active (and, when `assignee` is given, still held by them: a claim in between wins). */
  | { type: 'task.end'; id: string; state: Exclude<TaskState, 'active'>; at: number; by: string | null; candidates: boolean; assignee?: string | null }
  /**
   * Guarded: the task must be active and held by `expected`. Candidate rows are
   * of claimable tasks only: a claim removes them, giving the task back restores them.
   */
  | { type: 'task.assign'; id: string; assignee: string | null; expected: string | null; at: number; candidates: Candidates }
  /** Transfer, delegate, give back: guarded like task.assign; `owner` is who gets it back (null: nobody). */
  | { type: 'task.handover'; id: string; assignee: string; expected: string | null; owner: string | null; at: number }
  | { type: 'timer.insert'; record: TimerRecord }
  /** The clocks (reminder, escalations) of a task wait, set before `before`. */
  | { type: 'timer.clocks-delete'; instanceId: string; executionId: string; before: number }
  /** Guarded: the task must be active. It goes to these users as candidates (an escalation reassigns it). */
  | { type: 'task.candidates'; id: string; users: string[]; dueAt: number | null; createdAt: number }
  /** A new due date (reclassified). */
  | { type: 'task.due'; id: string; dueAt: number | null; nearDueAt: number | null }
  /** Guarded when `guard` is set: firing a timer deletes it, so it fires once. */
  | { type: 'timer.delete'; id: string; guard: boolean; at: number }
  | { type: 'timer.fail'; id: string; attempts: number; dueAt: number; error: string | null }
  | { type: 'job.insert'; record: JobRecord }
  /** Guarded: the job must still be pending. */
  | { type: 'job.finish'; id: string; state: 'done' | 'failed' | 'cancelled'; attempts: number; error: string | null; at: number }
  /** Guarded: the job must still be pending (a worker schedules its next attempt). */
  | { type: 'job.retry'; id: string; attempts: number; runAt: number; error: string | null; at: number }
  /** Guarded: the job must have failed (an admin retries its incident). */
  | { type: 'job.reopen'; id: string; runAt: number; at: number }
  | { type: 'job.attempt'; record: JobAttemptRecord }
  /** The task the job belonged to went away (interrupted, cancelled); its open incident goes too. */
  | { type: 'job.cancel'; id: string; at: number }
  /** A dead letter given up by an admin; its open incident is resolved by them. */
  | { type: 'job.abandon'; id: string; at: number; by: string | null }
  | { type: 'subscription.insert'; record: SubscriptionRecord }
  | { type: 'subscription.delete'; id: string }
  | { type: 'message.insert'; record: BufferedMessageRecord }
  /** Guarded: a buffered message is delivered once. */
  | { type: 'message.delete'; id: string }
  | { type: 'incident.insert'; record: IncidentRecord }
  /** Guarded: the incident must be open. */
  | { type: 'incident.resolve'; id: string; at: number; by: string | null }
  /**
   * The instance moved to another version of its process: its rows follow, and
   * the rows of each waiting activity take the target's id (and task name).
   */
  | { type: 'instance.migrate'; instanceId: string; definitionId: string; version: number; activities: Array<{ from: string; to: string; name: string | null }> }
  /** Guarded: the file must be the owner's, and unbound or bound to this instance already. */
  | { type: 'file.bind'; id: string; owner: string; instanceId: string }
  | { type: 'notice.insert'; records: NoticeRecord[] }
  /** The unread 待办 notices of tasks that ended: no longer anyone's to do. */
  | { type: 'notice.retract'; instanceId: string; taskIds: string[] }
  | { type: 'draft.delete'; owner: string; target: string }
  | { type: 'history'; events: HistoryEvent[] };

/** A task's candidates, as its candidate rows (the inbox index) hold them. */
export interface Candidates {
  users: readonly string[];
  groups: readonly string[];
  dueAt: number | null;
  createdAt: number;
}

export class ConflictError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`conflicting write to ${entity} ${id}`);
    this.name = 'ConflictError';
  }
}

/** What a data scope lets a user see: their own rows, plus rows of these departments. */
export interface Visibility {
  userId: string;
  /** Candidate groups the user belongs to (roles and posts). */
  groups: string[];
  departments: string[];
}

export interface InstanceFilter {
  processKey?: string;
  definitionId?: string;
  version?: number;
  state?: InstanceState;
  /** The case's state name (wf:state): 待初审 … */
  stateName?: string;
  businessKey?: string;
  parentId?: string;
  startedBy?: string;
  visibleTo?: Visibility;
}

export interface TaskFilter {
  instanceId?: string;
  processKey?: string;
  state?: TaskState;
  /** The case's state name when the task was created. */
  stateName?: string;
  assignee?: string;
  /** Completed or cancelled by this user ("done by me"). */
  endedBy?: string;
  /** Tasks this user may claim: candidate user, or candidate group in `groups`. */
  candidateUser?: string;
  candidateGroups?: string[];
  unassigned?: boolean;
  /** Tasks of cases this user started. */
  initiator?: string;
  /** In the task's name or the case's business key. */
  keyword?: string;
  visibleTo?: Visibility;
  dueBefore?: number;
  dueAfter?: number;
  /** Against the clock `now` (the workflow passes its own). */
  dueState?: DueState;
  now?: number;
  sort?: 'due' | 'created' | 'priority';
  order?: 'asc' | 'desc';
}

export interface IncidentFilter {
  instanceId?: string;
  state?: 'open' | 'resolved';
}

/** Forms, dictionaries, drafts and file records. */
export interface FormStore {
  /** ConflictError when the version number was taken concurrently. */
  insertForm(record: FormRecord): Promise<void>;
  getForm(id: string): Promise<FormRecord | null>;
  findForm(key: string, version?: number): Promise<FormRecord | null>;
  findFormByHash(key: string, hash: string): Promise<FormRecord | null>;
  listForms(filter: { key?: string; latestOnly?: boolean }, page: PageRequest): Promise<Page<Omit<FormRecord, 'definition'>>>;
  /** Every version of every form, for checking a BPMN file's references. */
  allForms(): Promise<FormRecord[]>;

  listDictionaries(): Promise<DictionaryRecord[]>;
  getDictionary(key: string): Promise<DictionaryRecord | null>;
  /** Insert (expectedRev null) or replace the revision read; ConflictError when someone else wrote in between. */
  putDictionary(record: DictionaryRecord, expectedRev: number | null): Promise<void>;

  getDraft(owner: string, target: string): Promise<DraftRecord | null>;
  putDraft(record: DraftRecord): Promise<void>;
  deleteDraft(owner: string, target: string): Promise<boolean>;

  insertFile(record: FileRecord): Promise<void>;
  getFile(id: string): Promise<FileRecord | null>;
  getFiles(ids: readonly string[]): Promise<FileRecord[]>;
  /** A user's uploads since `since`, and the bytes of their uploads not bound to a case. */
  uploadUsage(owner: string, since: number): Promise<{ recent: number; unboundBytes: number }>;
  /** Keep these unbound uploads of `owner` at least until `until` (a draft refers to them). */
  keepUploads(owner: string, ids: readonly string[], until: number): Promise<void>;
  expiredUploads(now: number, limit: number): Promise<FileRecord[]>;
  /** False when it was bound to a case (or kept longer) meanwhile. */
  deleteExpiredUpload(id: string, now: number): Promise<boolean>;
}

/** Electronic documents (电子证照). */
export interface DocumentStore {
  /** Once per id: issuing again with the same id (a retried job) keeps the first. */
  insertDocument(record: DocumentRecord): Promise<void>;
  getDocument(id: string): Promise<DocumentRecord | null>;
  listDocuments(holder: string): Promise<DocumentRecord[]>;
  /** False when it was revoked already (or does not exist). */
  revokeDocument(id: string, at: number, by: string): Promise<boolean>;
  /** A citizen's real-name level; 0 when never verified. */
  identityLevel(userId: string): Promise<number>;
  /** Keep a verified level; a lower one never replaces a higher. */
  raiseIdentityLevel(userId: string, level: number, verificationId: string | null, at: number): Promise<void>;
}

/** A change a catalog write makes: the row as it becomes, or null to delete it. */
export interface CatalogChange {
  table: string;
  key: string;
  service: string | null;
  data: Record<string, unknown> | null;
}

/** The service catalog's rows, their change log and publications. */
export interface CatalogStore {
  /** Every row, with the catalog's revision they are at. */
  loadCatalog(): Promise<{ revision: number; rows: CatalogRowRecord[] }>;
  /**
   * Apply changes as one transaction, logged with who and when; guarded by the
   * revision the caller checked them against (ConflictError when another write came first).
   */
  writeCatalog(revision: number, changes: readonly CatalogChange[], at: number, by: string | null): Promise<number>;
  listCatalogChanges(filter: { table?: string; key?: string; service?: string }, page: PageRequest): Promise<Page<CatalogChangeRecord>>;
  getPublication(service: string): Promise<CatalogPublicationRecord | null>;
  listPublications(): Promise<CatalogPublicationRecord[]>;
  putPublication(record: CatalogPublicationRecord): Promise<void>;
}

/** Where uploaded bytes live: a local directory by default; an object store can take its place. */
export interface BlobStore {
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
}

export interface Store extends FormStore, CatalogStore, DocumentStore {
  readonly dialect: 'sqlite' | 'postgres';
  ping(): Promise<void>;
  close(): Promise<void>;

  /** Commit one step's writes in one transaction. Throws ConflictError. */
  commit(writes: Write[]): Promise<void>;

  /**
   * Add a version and make its start events (message, signal, timer) the
   * active ones of its key, replacing those of earlier versions. ConflictError
   * when the version number was taken concurrently.
   */
  insertDefinition(record: DefinitionRecord, starts: { subscriptions: SubscriptionRecord[]; timers: TimerRecord[] }): Promise<void>;
  getDefinition(id: string): Promise<DefinitionRecord | null>;
  findDefinition(key: string, version?: number): Promise<DefinitionRecord | null>;
  findDefinitionByHash(key: string, hash: string): Promise<DefinitionRecord | null>;
  listDefinitions(filter: { key?: string; latestOnly?: boolean }, page: PageRequest): Promise<Page<Omit<DefinitionRecord, 'xml'>>>;

  getInstance(id: string): Promise<InstanceRecord | null>;
  listInstances(filter: InstanceFilter, page: PageRequest): Promise<Page<Omit<InstanceRecord, 'engineState'>>>;
  countInstancesByVersion(key: string): Promise<Array<{ version: number; state: InstanceState; count: number }>>;

  getTask(id: string): Promise<TaskRecord | null>;
  listTasks(filter: TaskFilter, page: PageRequest): Promise<Page<TaskRecord>>;

  listHistory(instanceId: string, page: PageRequest): Promise<Page<HistoryRecord>>;

  listNotices(userId: string, filter: { unread?: boolean; kind?: string }, page: PageRequest): Promise<Page<NoticeRecord> & { unread: number }>;
  /** Set one receipt of the user's notice (once: a second read keeps the first time); false when it is not theirs. */
  markNotice(id: string, userId: string, receipt: 'read' | 'signed', at: number): Promise<boolean>;
  markDelivered(ids: readonly string[], at: number): Promise<void>;
  /** Notices whose SMS/e-mail is still to go, leased to one sender until `now + leaseMs`. */
  leaseNoticesToSend(now: number, limit: number, leaseMs: number): Promise<NoticeRecord[]>;
  noticeSent(id: string, at: number, delivery: string): Promise<void>;
  /** Whether a notice of `kind` about the instance went to the user (a CC makes the case readable). */
  hasNotice(userId: string, instanceId: string, kind: string): Promise<boolean>;
  /** The latest notice of `kind` about a task, for rate limits (urging). */
  lastNoticeAt(taskId: string, kind: string): Promise<number | null>;

  getIncident(id: string): Promise<IncidentRecord | null>;
  listIncidents(filter: IncidentFilter, page: PageRequest): Promise<Page<IncidentRecord>>;

  getJob(id: string): Promise<JobRecord | null>;
  listJobs(filter: { instanceId?: string; state?: JobRecord['state']; handler?: string }, page: PageRequest): Promise<Page<JobRecord>>;
  listJobAttempts(jobId: string): Promise<JobAttemptRecord[]>;
  getTimer(id: string): Promise<TimerRecord | null>;
  listTimers(filter: { instanceId?: string; definitionId?: string }): Promise<TimerRecord[]>;

  findSubscriptions(kind: SubscriptionKind, name: string, correlationKey?: string | null): Promise<SubscriptionRecord[]>;
  findBufferedMessages(name: string, correlationKey: string | null, now: number): Promise<BufferedMessageRecord[]>;
  deleteExpiredMessages(now: number): Promise<number>;

  /**
   * Lease due timers / jobs to one worker: a leased row is invisible to other
   * workers until `now + leaseMs`, so a worker that dies releases its work.
   */
  leaseDueTimers(now: number, limit: number, owner: string, leaseMs: number): Promise<TimerRecord[]>;
  leaseDueJobs(now: number, limit: number, owner: string, leaseMs: number): Promise<JobRecord[]>;
  /**
   * Lease pending jobs due by `horizon` to hand them to an external queue: a
   * leased job is not handed out again until `now + leaseMs` (a relay that died
   * before handing it over is covered), nor after its next retry is scheduled.
   */
  leaseJobsForDispatch(horizon: number, now: number, limit: number, leaseMs: number): Promise<JobRecord[]>;
  /** The earliest due time of a pending timer or job, to sleep until then. */
  nextDueAt(): Promise<number | null>;
}

export interface Clock {
  now(): number;
}

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
