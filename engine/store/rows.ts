/** Mapping between the runtime's records and SQL rows (snake_case, JSON as TEXT, times as BIGINT). */
import type {
  BufferedMessageRecord,
  DefinitionRecord,
  HistoryEvent,
  HistoryRecord,
  IncidentRecord,
  InstanceRecord,
  JobRecord,
  NoticeRecord,
  SubscriptionRecord,
  TaskRecord,
  TimerRecord,
  DictionaryRecord,
  DraftRecord,
  JobAttemptRecord,
  FileRecord,
  FormRecord,
} from '../core/model.ts';

export type Row = Record<string, unknown>;

/** PostgreSQL returns BIGINT as text; SQLite as a number. */
export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export const definitionRow = (d: DefinitionRecord): Row => ({
  id: d.id,
  key: d.key,
  version: d.version,
  name: d.name,
  hash: d.hash,
  xml: d.xml,
  deployed_at: d.deployedAt,
  deployed_by: d.deployedBy,
});

export const toDefinition = (r: Row): DefinitionRecord => ({
  id: String(r.id),
  key: String(r.key),
  version: num(r.version),
  name: strOrNull(r.name),
  hash: String(r.hash),
  xml: r.xml === undefined ? '' : String(r.xml),
  deployedAt: num(r.deployed_at),
  deployedBy: strOrNull(r.deployed_by),
});

export const instanceRow = (i: InstanceRecord): Row => ({
  id: i.id,
  definition_id: i.definitionId,
  process_key: i.processKey,
  version: i.version,
  business_key: i.businessKey,
  state: i.state,
  parent_id: i.parentId,
  parent_execution_id: i.parentExecutionId,
  started_at: i.startedAt,
  started_by: i.startedBy,
  department_id: i.departmentId,
  state_name: i.stateName,
  ended_at: i.endedAt,
  updated_at: i.updatedAt,
  rev: i.rev,
  engine_state: i.engineState,
  variables: JSON.stringify(i.variables),
  waits: JSON.stringify(i.waits),
});

export const toInstance = (r: Row): InstanceRecord => ({
  id: String(r.id),
  definitionId: String(r.definition_id),
  processKey: String(r.process_key),
  version: num(r.version),
  businessKey: strOrNull(r.business_key),
  state: r.state as InstanceRecord['state'],
  parentId: strOrNull(r.parent_id),
  parentExecutionId: strOrNull(r.parent_execution_id),
  startedAt: num(r.started_at),
  startedBy: strOrNull(r.started_by),
  departmentId: strOrNull(r.department_id),
  stateName: strOrNull(r.state_name),
  endedAt: numOrNull(r.ended_at),
  updatedAt: num(r.updated_at),
  rev: num(r.rev),
  engineState: r.engine_state === undefined || r.engine_state === null ? null : Buffer.from(r.engine_state as Buffer),
  variables: json(r.variables),
  waits: json(r.waits),
});

export const taskRow = (t: TaskRecord): Row => ({
  id: t.id,
  instance_id: t.instanceId,
  definition_id: t.definitionId,
  process_key: t.processKey,
  business_key: t.businessKey,
  department_id: t.departmentId,
  initiator: t.initiator,
  state_name: t.stateName,
  activity_id: t.activityId,
  execution_id: t.executionId,
  name: t.name,
  state: t.state,
  assignee: t.assignee,
  candidate_users: JSON.stringify(t.candidateUsers),
  candidate_groups: JSON.stringify(t.candidateGroups),
  form_key: t.formKey,
  form_version: t.formVersion,
  priority: t.priority,
  due_at: t.dueAt,
  near_due_at: t.nearDueAt,
  created_at: t.createdAt,
  claimed_at: t.claimedAt,
  ended_at: t.endedAt,
  ended_by: t.endedBy,
  assignment: t.assignment ? JSON.stringify(t.assignment) : null,
  owner: t.owner,
});

export const toTask = (r: Row): TaskRecord => ({
  id: String(r.id),
  instanceId: String(r.instance_id),
  definitionId: String(r.definition_id),
  processKey: String(r.process_key),
  businessKey: strOrNull(r.business_key),
  departmentId: strOrNull(r.department_id),
  initiator: strOrNull(r.initiator),
  stateName: strOrNull(r.state_name),
  activityId: String(r.activity_id),
  executionId: String(r.execution_id),
  name: strOrNull(r.name),
  state: r.state as TaskRecord['state'],
  assignee: strOrNull(r.assignee),
  candidateUsers: json(r.candidate_users),
  candidateGroups: json(r.candidate_groups),
  formKey: strOrNull(r.form_key),
  formVersion: numOrNull(r.form_version),
  priority: num(r.priority),
  dueAt: numOrNull(r.due_at),
  nearDueAt: numOrNull(r.near_due_at),
  createdAt: num(r.created_at),
  claimedAt: numOrNull(r.claimed_at),
  endedAt: numOrNull(r.ended_at),
  endedBy: strOrNull(r.ended_by),
  assignment: r.assignment === null || r.assignment === undefined ? null : json(r.assignment),
  owner: strOrNull(r.owner),
});

export const timerRow = (t: TimerRecord): Row => ({
  id: t.id,
  instance_id: t.instanceId,
  definition_id: t.definitionId,
  activity_id: t.activityId,
  execution_id: t.executionId,
  kind: t.kind,
  spec: t.spec,
  due_at: t.dueAt,
  attempts: t.attempts,
  last_error: t.lastError,
  created_at: t.createdAt,
});

export const toTimer = (r: Row): TimerRecord => ({
  id: String(r.id),
  instanceId: strOrNull(r.instance_id),
  definitionId: String(r.definition_id),
  activityId: String(r.activity_id),
  executionId: strOrNull(r.execution_id),
  kind: r.kind as TimerRecord['kind'],
  spec: strOrNull(r.spec),
  dueAt: num(r.due_at),
  attempts: num(r.attempts),
  lastError: strOrNull(r.last_error),
  createdAt: num(r.created_at),
});

export const jobRow = (j: JobRecord): Row => ({
  id: j.id,
  idempotency_key: j.idempotencyKey,
  instance_id: j.instanceId,
  activity_id: j.activityId,
  execution_id: j.executionId,
  handler: j.handler,
  input: JSON.stringify(j.input),
  state: j.state,
  attempts: j.attempts,
  max_attempts: j.maxAttempts,
  backoff_ms: j.backoffMs,
  run_at: j.runAt,
  last_error: j.lastError,
  created_at: j.createdAt,
  updated_at: j.updatedAt,
});

export const toJob = (r: Row): JobRecord => ({
  id: String(r.id),
  idempotencyKey: String(r.idempotency_key),
  instanceId: String(r.instance_id),
  activityId: String(r.activity_id),
  executionId: String(r.execution_id),
  handler: String(r.handler),
  input: json(r.input),
  state: r.state as JobRecord['state'],
  attempts: num(r.attempts),
  maxAttempts: num(r.max_attempts),
  backoffMs: num(r.backoff_ms),
  runAt: num(r.run_at),
  lastError: strOrNull(r.last_error),
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at),
});

export const subscriptionRow = (s: SubscriptionRecord): Row => ({
  id: s.id,
  instance_id: s.instanceId,
  definition_id: s.definitionId,
  kind: s.kind,
  name: s.name,
  correlation_key: s.correlationKey,
  activity_id: s.activityId,
  execution_id: s.executionId,
  created_at: s.createdAt,
});

export const toSubscription = (r: Row): SubscriptionRecord => ({
  id: String(r.id),
  instanceId: strOrNull(r.instance_id),
  definitionId: String(r.definition_id),
  kind: r.kind as SubscriptionRecord['kind'],
  name: String(r.name),
  correlationKey: strOrNull(r.correlation_key),
  activityId: String(r.activity_id),
  executionId: strOrNull(r.execution_id),
  createdAt: num(r.created_at),
});

export const messageRow = (m: BufferedMessageRecord): Row => ({
  id: m.id,
  name: m.name,
  correlation_key: m.correlationKey,
  variables: JSON.stringify(m.variables),
  expires_at: m.expiresAt,
  created_at: m.createdAt,
});

export const toMessage = (r: Row): BufferedMessageRecord => ({
  id: String(r.id),
  name: String(r.name),
  correlationKey: strOrNull(r.correlation_key),
  variables: json(r.variables),
  expiresAt: num(r.expires_at),
  createdAt: num(r.created_at),
});

export const incidentRow = (i: IncidentRecord): Row => ({
  id: i.id,
  instance_id: i.instanceId,
  activity_id: i.activityId,
  execution_id: i.executionId,
  kind: i.kind,
  ref_id: i.refId,
  message: i.message,
  state: i.state,
  created_at: i.createdAt,
  resolved_at: i.resolvedAt,
  resolved_by: i.resolvedBy,
});

export const toIncident = (r: Row): IncidentRecord => ({
  id: String(r.id),
  instanceId: String(r.instance_id),
  activityId: String(r.activity_id),
  executionId: strOrNull(r.execution_id),
  kind: r.kind as IncidentRecord['kind'],
  refId: String(r.ref_id),
  message: String(r.message),
  state: r.state as IncidentRecord['state'],
  createdAt: num(r.created_at),
  resolvedAt: numOrNull(r.resolved_at),
  resolvedBy: strOrNull(r.resolved_by),
});

export const historyRow = (h: HistoryEvent): Row => ({
  instance_id: h.instanceId,
  at: h.at,
  kind: h.kind,
  activity_id: h.activityId ?? null,
  task_id: h.taskId ?? null,
  actor: h.actor ?? null,
  data: h.data ? JSON.stringify(h.data) : null,
});

export const toHistory = (r: Row): HistoryRecord => ({
  id: num(r.id),
  instanceId: String(r.instance_id),
  at: num(r.at),
  kind: r.kind as HistoryRecord['kind'],
  activityId: strOrNull(r.activity_id),
  taskId: strOrNull(r.task_id),
  actor: strOrNull(r.actor),
  data: r.data === null || r.data === undefined ? null : json(r.data),
});

export const formRow = (f: FormRecord): Row => ({
  id: f.id,
  key: f.key,
  version: f.version,
  title: JSON.stringify(f.title),
  hash: f.hash,
  definition: JSON.stringify(f.definition),
  deployed_at: f.deployedAt,
  deployed_by: f.deployedBy,
});

export const toForm = (r: Row): FormRecord => ({
  id: String(r.id),
  key: String(r.key),
  version: num(r.version),
  title: json(r.title),
  hash: String(r.hash),
  definition: r.definition === undefined ? null : json(r.definition),
  deployedAt: num(r.deployed_at),
  deployedBy: strOrNull(r.deployed_by),
});

export const toDictionary = (r: Row): DictionaryRecord => ({
  key: String(r.key),
  name: json(r.name),
  items: json(r.items),
  rev: num(r.rev),
  updatedAt: num(r.updated_at),
  updatedBy: strOrNull(r.updated_by),
});

export const toDraft = (r: Row): DraftRecord => ({
  owner: String(r.owner),
  target: String(r.target),
  formKey: String(r.form_key),
  formVersion: num(r.form_version),
  data: json(r.data),
  updatedAt: num(r.updated_at),
});

export const fileRow = (f: FileRecord): Row => ({
  id: f.id,
  owner: f.owner,
  name: f.name,
  content_type: f.contentType,
  size: f.size,
  sha256: f.sha256,
  storage_key: f.storageKey,
  instance_id: f.instanceId,
  created_at: f.createdAt,
  expires_at: f.expiresAt,
});

export const toFile = (r: Row): FileRecord => ({
  id: String(r.id),
  owner: String(r.owner),
  name: String(r.name),
  contentType: String(r.content_type),
  size: num(r.size),
  sha256: String(r.sha256),
  storageKey: String(r.storage_key),
  instanceId: strOrNull(r.instance_id),
  createdAt: num(r.created_at),
  expiresAt: numOrNull(r.expires_at),
});

/** Attempt details are kept as JSON text, cut to a size that says what happened without storing whole files. */
const MAX_DETAIL = 20_000;
const detail = (v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text;
};
const parsed = (v: unknown): unknown => {
  if (v === null || v === undefined) return null;
  try {
    return JSON.parse(String(v));
  } catch {
    return String(v);
  }
};

export const noticeRow = (n: NoticeRecord): Row => ({
  id: n.id,
  user_id: n.userId,
  kind: n.kind,
  title: n.title,
  body: n.body,
  instance_id: n.instanceId,
  task_id: n.taskId,
  needs_sign: n.needsSign,
  channels: n.channels.join(','),
  created_at: n.createdAt,
  delivered_at: n.deliveredAt,
  read_at: n.readAt,
  signed_at: n.signedAt,
  sent_at: n.sentAt ?? (n.channels.length ? null : n.createdAt),
  delivery: n.delivery,
});

export const toNotice = (r: Row): NoticeRecord => ({
  id: String(r.id),
  userId: String(r.user_id),
  kind: r.kind as NoticeRecord['kind'],
  title: String(r.title),
  body: strOrNull(r.body),
  instanceId: strOrNull(r.instance_id),
  taskId: strOrNull(r.task_id),
  needsSign: Boolean(r.needs_sign),
  channels: String(r.channels).split(',').filter(Boolean) as NoticeRecord['channels'],
  createdAt: num(r.created_at),
  deliveredAt: numOrNull(r.delivered_at),
  readAt: numOrNull(r.read_at),
  signedAt: numOrNull(r.signed_at),
  sentAt: numOrNull(r.sent_at),
  delivery: strOrNull(r.delivery),
});

export const attemptRow = (a: JobAttemptRecord): Row => ({
  job_id: a.jobId,
  attempt: a.attempt,
  worker: a.worker,
  started_at: a.startedAt,
  duration_ms: Math.round(a.durationMs),
  outcome: a.outcome,
  request: detail(a.request),
  response: detail(a.response),
  error: a.error,
});

export const toAttempt = (r: Row): JobAttemptRecord => ({
  jobId: String(r.job_id),
  attempt: num(r.attempt),
  worker: strOrNull(r.worker),
  startedAt: num(r.started_at),
  durationMs: num(r.duration_ms),
  outcome: r.outcome as JobAttemptRecord['outcome'],
  request: parsed(r.request),
  response: parsed(r.response),
  error: strOrNull(r.error),
});
