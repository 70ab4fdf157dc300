/** The records the runtime persists. Times are epoch milliseconds. */

export type Variables = Record<string, unknown>;

export interface DefinitionRecord {
  id: string;
  key: string;
  version: number;
  name: string | null;
  hash: string;
  xml: string;
  deployedAt: number;
  deployedBy: string | null;
}

export type InstanceState = 'running' | 'completed' | 'cancelled';

/** Something a waiting instance waits for; the instance's current activities. */
export type Wait =
  /** `candidates`: the task has candidate rows to clear when it ends; `clocks`: timers (SLA alarms, overdue) to clear. */
  | { kind: 'task'; activityId: string; executionId: string; taskId: string; candidates?: true; clocks?: true; sign?: SignState }
  | { kind: 'timer'; activityId: string; executionId: string; timerId: string; dueAt: number }
  | { kind: 'job'; activityId: string; executionId: string; jobId: string; handler: string }
  | { kind: 'message'; activityId: string; executionId: string; subscriptionId: string; name: string; correlationKey: string | null }
  | { kind: 'signal'; activityId: string; executionId: string; subscriptionId: string; name: string }
  | { kind: 'call'; activityId: string; executionId: string; childInstanceId: string };

/**
 * A node several people sign (会签, 依次审批, or a task someone added a signer
 * to): one BPMN wait, one task row per signer. The node is decided — and the
 * process goes on with `approved` — once the votes settle it.
 */
export interface SignState {
  /** all: everyone must approve, one rejection rejects; share: `threshold` of them; sequential: one after another, in order. */
  mode: 'all' | 'share' | 'sequential';
  /** Share of approvals that decides (all: 1). */
  threshold: number;
  /** Who signs, in order. */
  signers: string[];
  /** Rows waiting for their signer now. */
  open: Array<{ taskId: string; userId: string }>;
  votes: Array<{ userId: string; taskId: string; approved: boolean }>;
}

export interface InstanceRecord {
  id: string;
  definitionId: string;
  processKey: string;
  version: number;
  businessKey: string | null;
  state: InstanceState;
  parentId: string | null;
  parentExecutionId: string | null;
  startedAt: number;
  startedBy: string | null;
  /** The department the case belongs to (its initiator's, or its parent case's): what data scopes filter on. */
  departmentId: string | null;
  /** The state name (wf:state) of the last node it reached that has one: 待初审, 已办结 … */
  stateName: string | null;
  endedAt: number | null;
  updatedAt: number;
  /** Optimistic concurrency: every committed step increments it. */
  rev: number;
  /** Compressed engine state; null once the instance has ended. */
  engineState: Buffer | null;
  variables: Variables;
  waits: Wait[];
}

export type TaskState = 'active' | 'completed' | 'cancelled';

export interface TaskRecord {
  id: string;
  instanceId: string;
  definitionId: string;
  processKey: string;
  businessKey: string | null;
  /** The case's department, copied so an inbox filters on one table. */
  departmentId: string | null;
  /** Who started the case, copied for the same reason (and to show it in a list). */
  initiator: string | null;
  /** The case's state name when the task was created (its node's wf:state, else the case's). */
  stateName: string | null;
  activityId: string;
  executionId: string;
  name: string | null;
  state: TaskState;
  assignee: string | null;
  candidateUsers: string[];
  candidateGroups: string[];
  formKey: string | null;
  /** The version of a referenced form (camunda:formRef) the task shows, fixed when it is created. */
  formVersion: number | null;
  priority: number;
  dueAt: number | null;
  /** When it counts as near due: NEAR_DUE_SHARE of the time to dueAt used, on the task's working calendar. */
  nearDueAt: number | null;
  createdAt: number;
  claimedAt: number | null;
  endedAt: number | null;
  endedBy: string | null;
  /** Who delegated the task (委派) to its assignee and gets it back once they are done; null otherwise. */
  owner: string | null;
  /** How the assignee rules (wf:assignees) resolved when the task was created; null when the task has none. */
  assignment: TaskAssignment | null;
}

export interface TaskAssignment {
  /** The rule text as evaluated. */
  rule: string;
  /** Who it found. */
  users: string[];
  /** When it found nobody: what happened instead. */
  fallback?: 'admin' | 'incident';
}

/** clock: a task's reminder or escalation step, or a case's supervision notice (spec says which), not a BPMN timer. */
export type TimerKind = 'event' | 'start' | 'clock';

export interface TimerRecord {
  id: string;
  /** Null for a timer start event: firing starts a new instance. */
  instanceId: string | null;
  definitionId: string;
  activityId: string;
  executionId: string | null;
  kind: TimerKind;
  /** The timer's ISO 8601 text, kept for start timers (cycles re-arm from it). */
  spec: string | null;
  dueAt: number;
  attempts: number;
  lastError: string | null;
  createdAt: number;
}

export type JobState = 'pending' | 'done' | 'failed' | 'cancelled';

export interface JobRecord {
  id: string;
  /** Unique per task execution: a handler sees the same key on every retry. */
  idempotencyKey: string;
  instanceId: string;
  activityId: string;
  executionId: string;
  handler: string;
  input: Variables;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  /** Delay before the first retry; doubles with every further attempt. */
  backoffMs: number;
  runAt: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export type AttemptOutcome = 'done' | 'bpmn-error' | 'retry' | 'deferred' | 'failed';

/** One run of a job's handler: what went out, what came back, how long it took. */
export interface JobAttemptRecord {
  jobId: string;
  attempt: number;
  worker: string | null;
  startedAt: number;
  durationMs: number;
  outcome: AttemptOutcome;
  request: unknown;
  response: unknown;
  error: string | null;
}

export type SubscriptionKind = 'message' | 'signal';

export interface SubscriptionRecord {
  id: string;
  /** Null for message and signal start events. */
  instanceId: string | null;
  definitionId: string;
  kind: SubscriptionKind;
  name: string;
  correlationKey: string | null;
  activityId: string;
  executionId: string | null;
  createdAt: number;
}

export interface BufferedMessageRecord {
  id: string;
  name: string;
  correlationKey: string | null;
  variables: Variables;
  expiresAt: number;
  createdAt: number;
}

/** `task`: nobody could be found for a user task (its assignee rules resolved to no one). */
export type IncidentKind = 'job' | 'timer' | 'task';

export interface IncidentRecord {
  id: string;
  instanceId: string;
  activityId: string;
  executionId: string | null;
  kind: IncidentKind;
  /** The failed job's or timer's id. */
  refId: string;
  message: string;
  state: 'open' | 'resolved';
  createdAt: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
}

export type HistoryKind =
  | 'instance.start'
  | 'instance.end'
  | 'instance.cancel'
  | 'instance.withdraw'
  | 'instance.migrate'
  | 'activity.start'
  | 'activity.end'
  | 'task.create'
  | 'task.claim'
  | 'task.unclaim'
  | 'task.complete'
  | 'task.bpmn-error'
  | 'task.cancel'
  | 'task.overdue'
  | 'task.skip'
  | 'task.transfer'
  | 'task.delegate'
  | 'task.resolve'
  | 'task.sign-add'
  | 'task.vote'
  | 'task.return'
  | 'task.urge'
  | 'task.remind'
  | 'task.escalate'
  | 'task.reclassify'
  | 'instance.supervise'
  | 'instance.cc'
  | 'comment'
  | 'variable.set'
  | 'timer.fire'
  | 'message.receive'
  | 'signal.receive'
  | 'job.complete'
  | 'job.fail'
  | 'job.cancel'
  | 'incident.open'
  | 'incident.resolve';

export interface HistoryEvent {
  instanceId: string;
  at: number;
  kind: HistoryKind;
  activityId?: string | null;
  taskId?: string | null;
  actor?: string | null;
  data?: Record<string, unknown> | null;
}

export interface HistoryRecord extends HistoryEvent {
  id: number;
}

/** A history entry as read back, with the name of the element it is about and the state that element puts a case in (wf:state). */
export interface NamedHistoryRecord extends HistoryRecord {
  activityName: string | null;
  stateName: string | null;
}

export type NoticeKind = 'task' | 'urge' | 'cc' | 'return' | 'result' | 'state' | 'near-due' | 'overdue' | 'escalation' | 'supervision' | 'transfer' | 'delegate';

/** An in-site notice to one user, with its receipts; also the outbox entry for the SMS/e-mail that goes with it. */
export interface NoticeRecord {
  id: string;
  userId: string;
  kind: NoticeKind;
  title: string;
  body: string | null;
  instanceId: string | null;
  taskId: string | null;
  /** 签收: the body shows once the recipient has signed for it. */
  needsSign: boolean;
  /** Where else it goes besides the site: sms, email. */
  channels: Array<'sms' | 'email'>;
  createdAt: number;
  deliveredAt: number | null;
  readAt: number | null;
  signedAt: number | null;
  /** When the SMS/e-mail was dealt with (null: not yet); a notice with no other channel is dealt with when made. */
  sentAt: number | null;
  /** What happened to it: `sms`, `email`, `site` (the user was online or had read it), `failed: …`. */
  delivery: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export interface PageRequest {
  offset: number;
  limit: number;
}

/** A deployed form version; `definition` is the FormDefinition as deployed. */
export interface FormRecord {
  id: string;
  key: string;
  version: number;
  title: Record<'zh-CN' | 'en', string>;
  hash: string;
  definition: unknown;
  deployedAt: number;
  deployedBy: string | null;
}

export interface DictionaryItem {
  value: string;
  label: Record<'zh-CN' | 'en', string>;
  /** Kept for stored values, no longer offered. */
  disabled?: boolean;
}

/** An admin-edited list of choices (plate colours, risk levels, titles …). */
export interface DictionaryRecord {
  key: string;
  name: Record<'zh-CN' | 'en', string>;
  items: DictionaryItem[];
  rev: number;
  updatedAt: number;
  updatedBy: string | null;
}

/** A form saved before it is complete: one per user and target (`task:<id>` or `start:<processKey>`). */
export interface DraftRecord {
  owner: string;
  target: string;
  formKey: string;
  formVersion: number;
  data: Variables;
  updatedAt: number;
}

/** An uploaded file; bound to the case it was submitted with. */
export interface FileRecord {
  id: string;
  owner: string;
  name: string;
  /** Detected from the bytes, not taken from the upload. */
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
  instanceId: string | null;
  createdAt: number;
  /** An upload not bound to a case is deleted after this; null once bound. */
  expiresAt: number | null;
}

/** A row of a catalog table (definitions/catalog/tables.ts), as stored. */
export interface CatalogRowRecord {
  table: string;
  key: string;
  /** The service a per-service row belongs to. */
  service: string | null;
  data: Record<string, unknown>;
  rev: number;
  updatedAt: number;
  updatedBy: string | null;
}

/** One change of one catalog row: who, when, and the row as it became (null: deleted). */
export interface CatalogChangeRecord {
  id: number;
  /** The catalog's revision the change made. */
  revision: number;
  table: string;
  key: string;
  service: string | null;
  action: 'put' | 'delete';
  data: Record<string, unknown> | null;
  at: number;
  by: string | null;
}

/** What a service's rows last compiled and deployed to. */
export interface CatalogPublicationRecord {
  service: string;
  definitionId: string;
  /** sha256 of the compiled BPMN: a later version with another hash was deployed by hand. */
  hash: string;
  forms: Array<{ key: string; version: number }>;
  bindings: unknown;
  publishedAt: number;
  publishedBy: string | null;
}

/** An electronic document (电子证照) a case issued to a person. */
export interface DocumentRecord {
  id: string;
  /** What it is, e.g. road-pass, e-driving-licence. */
  kind: string;
  title: string;
  holder: string;
  holderName: string;
  instanceId: string | null;
  /** What the document says (plate, class, roads …), shown on it and on its verification page. */
  data: Record<string, string>;
  validFrom: number;
  validTo: number | null;
  issuedAt: number;
  revokedAt: number | null;
  revokedBy: string | null;
}
