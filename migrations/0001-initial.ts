import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * The runtime's tables. Times are epoch milliseconds (BIGINT) so that SQLite and
 * PostgreSQL compare and sort them the same way; JSON is stored as TEXT.
 */
const id = { type: DataTypes.STRING(64), allowNull: false, primaryKey: true };
const ref = (allowNull = false) => ({ type: DataTypes.STRING(64), allowNull });
const text = (allowNull = true) => ({ type: DataTypes.TEXT, allowNull });
const str = (len: number, allowNull = true) => ({ type: DataTypes.STRING(len), allowNull });
const time = (allowNull = true) => ({ type: DataTypes.BIGINT, allowNull });
const int = (defaultValue = 0) => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue });

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('wf_definitions', {
    id,
    key: str(128, false),
    version: int(),
    name: str(255),
    hash: str(64, false),
    xml: text(false),
    deployed_at: time(false),
    deployed_by: str(128),
  });
  await qi.addIndex('wf_definitions', ['key', 'version'], { unique: true, name: 'wf_definitions_key_version' });
  await qi.addIndex('wf_definitions', ['key', 'hash'], { name: 'wf_definitions_key_hash' });

  await qi.createTable('wf_instances', {
    id,
    definition_id: ref(),
    process_key: str(128, false),
    version: int(),
    business_key: str(255),
    state: str(16, false),
    parent_id: ref(true),
    parent_execution_id: str(128),
    started_at: time(false),
    started_by: str(128),
    ended_at: time(),
    updated_at: time(false),
    rev: int(),
    engine_state: { type: DataTypes.BLOB, allowNull: true },
    variables: text(false),
    waits: text(false),
  });
  await qi.addIndex('wf_instances', ['process_key', 'state', 'started_at'], { name: 'wf_instances_process_state' });
  await qi.addIndex('wf_instances', ['definition_id', 'state'], { name: 'wf_instances_definition_state' });
  await qi.addIndex('wf_instances', ['business_key'], { name: 'wf_instances_business_key' });
  await qi.addIndex('wf_instances', ['parent_id'], { name: 'wf_instances_parent' });

  await qi.createTable('wf_tasks', {
    id,
    instance_id: ref(),
    definition_id: ref(),
    process_key: str(128, false),
    business_key: str(255),
    activity_id: str(128, false),
    execution_id: str(128, false),
    name: str(255),
    state: str(16, false),
    assignee: str(128),
    candidate_users: text(false),
    candidate_groups: text(false),
    form_key: str(255),
    priority: int(50),
    due_at: time(),
    created_at: time(false),
    claimed_at: time(),
    ended_at: time(),
    ended_by: str(128),
  });
  await qi.addIndex('wf_tasks', ['instance_id', 'state'], { name: 'wf_tasks_instance' });
  await qi.addIndex('wf_tasks', ['state', 'assignee', 'due_at'], { name: 'wf_tasks_state_assignee_due' });
  await qi.addIndex('wf_tasks', ['process_key', 'state', 'due_at'], { name: 'wf_tasks_process_state_due' });

  // Candidate users and groups of ACTIVE tasks only (rows go when the task ends),
  // so an inbox query is an index range scan over (kind, value, due_at).
  await qi.createTable('wf_task_candidates', {
    task_id: { ...ref(), primaryKey: true },
    kind: { ...str(8, false), primaryKey: true },
    value: { ...str(128, false), primaryKey: true },
    due_at: time(),
    created_at: time(false),
  });
  await qi.addIndex('wf_task_candidates', ['kind', 'value', 'due_at'], { name: 'wf_task_candidates_lookup' });

  await qi.createTable('wf_timers', {
    id,
    instance_id: ref(true),
    definition_id: ref(),
    activity_id: str(128, false),
    execution_id: str(128),
    kind: str(16, false),
    spec: str(255),
    due_at: time(false),
    locked_by: str(128),
    locked_until: time(),
    attempts: int(),
    last_error: text(),
    created_at: time(false),
  });
  await qi.addIndex('wf_timers', ['due_at'], { name: 'wf_timers_due' });
  await qi.addIndex('wf_timers', ['instance_id'], { name: 'wf_timers_instance' });
  await qi.addIndex('wf_timers', ['definition_id'], { name: 'wf_timers_definition' });

  await qi.createTable('wf_jobs', {
    id,
    idempotency_key: str(255, false),
    instance_id: ref(),
    activity_id: str(128, false),
    execution_id: str(128, false),
    handler: str(128, false),
    input: text(false),
    state: str(16, false),
    attempts: int(),
    max_attempts: int(3),
    backoff_ms: int(10_000),
    run_at: time(false),
    locked_by: str(128),
    locked_until: time(),
    last_error: text(),
    created_at: time(false),
    updated_at: time(false),
  });
  await qi.addIndex('wf_jobs', ['idempotency_key'], { unique: true, name: 'wf_jobs_idempotency' });
  await qi.addIndex('wf_jobs', ['state', 'run_at'], { name: 'wf_jobs_due' });
  await qi.addIndex('wf_jobs', ['instance_id'], { name: 'wf_jobs_instance' });

  await qi.createTable('wf_subscriptions', {
    id,
    instance_id: ref(true),
    definition_id: ref(),
    kind: str(16, false),
    name: str(255, false),
    correlation_key: str(255),
    activity_id: str(128, false),
    execution_id: str(128),
    created_at: time(false),
  });
  await qi.addIndex('wf_subscriptions', ['kind', 'name', 'correlation_key'], { name: 'wf_subscriptions_lookup' });
  await qi.addIndex('wf_subscriptions', ['instance_id'], { name: 'wf_subscriptions_instance' });
  await qi.addIndex('wf_subscriptions', ['definition_id'], { name: 'wf_subscriptions_definition' });

  await qi.createTable('wf_buffered_messages', {
    id,
    name: str(255, false),
    correlation_key: str(255),
    variables: text(false),
    expires_at: time(false),
    created_at: time(false),
  });
  await qi.addIndex('wf_buffered_messages', ['name', 'correlation_key'], { name: 'wf_buffered_messages_lookup' });

  await qi.createTable('wf_incidents', {
    id,
    instance_id: ref(),
    activity_id: str(128, false),
    execution_id: str(128),
    kind: str(16, false),
    ref_id: str(64, false),
    message: text(false),
    state: str(16, false),
    created_at: time(false),
    resolved_at: time(),
    resolved_by: str(128),
  });
  await qi.addIndex('wf_incidents', ['instance_id', 'state'], { name: 'wf_incidents_instance' });
  await qi.addIndex('wf_incidents', ['state', 'created_at'], { name: 'wf_incidents_state' });

  await qi.createTable('wf_history', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
    instance_id: ref(),
    at: time(false),
    kind: str(32, false),
    activity_id: str(128),
    task_id: ref(true),
    actor: str(128),
    data: text(),
  });
  await qi.addIndex('wf_history', ['instance_id', 'id'], { name: 'wf_history_instance' });
}
