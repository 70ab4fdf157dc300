import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * People and access: the department tree, users (staff and citizens), the
 * posts each user holds in departments, roles with permissions and data scope,
 * sessions and API tokens (kept as hashes), login throttling windows, an audit
 * trail of administrative actions, and the
 * department a case belongs to (its initiator's), copied onto its tasks so a
 * supervisor's inbox filters on one column.
 */
const str = (len: number, allowNull = true) => ({ type: DataTypes.STRING(len), allowNull });
const text = (allowNull = true) => ({ type: DataTypes.TEXT, allowNull });
const time = (allowNull = true) => ({ type: DataTypes.BIGINT, allowNull });
const key = (len = 64) => ({ type: DataTypes.STRING(len), allowNull: false, primaryKey: true });

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('wf_departments', {
    id: key(),
    parent_id: str(64),
    name: str(128, false),
    head_user_id: str(128),
    sort: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    created_at: time(false),
    updated_at: time(false),
  });
  await qi.addIndex('wf_departments', ['parent_id', 'sort'], { name: 'wf_departments_parent' });

  await qi.createTable('wf_users', {
    id: key(128),
    username: str(64, false),
    name: str(128, false),
    kind: str(16, false),
    mobile: str(32),
    email: str(255),
    password_hash: str(255),
    status: str(16, false),
    sort: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    created_at: time(false),
    updated_at: time(false),
  });
  await qi.addIndex('wf_users', ['username'], { unique: true, name: 'wf_users_username' });
  await qi.addIndex('wf_users', ['mobile'], { name: 'wf_users_mobile' });

  await qi.createTable('wf_user_posts', {
    user_id: key(128),
    department_id: key(),
    post: key(),
    is_primary: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
  });
  await qi.addIndex('wf_user_posts', ['department_id', 'post'], { name: 'wf_user_posts_department' });
  await qi.addIndex('wf_user_posts', ['post'], { name: 'wf_user_posts_post' });

  await qi.createTable('wf_roles', {
    key: key(),
    name_zh: str(128, false),
    name_en: str(128, false),
    permissions: text(false),
    data_scope: str(32, false),
    builtin: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    updated_at: time(false),
  });

  await qi.createTable('wf_user_roles', {
    user_id: key(128),
    role_key: key(),
  });
  await qi.addIndex('wf_user_roles', ['role_key'], { name: 'wf_user_roles_role' });

  await qi.createTable('wf_sessions', {
    id_hash: key(),
    user_id: str(128, false),
    kind: str(16, false),
    name: str(128),
    csrf: str(64),
    created_at: time(false),
    last_seen_at: time(false),
    expires_at: time(false),
  });
  await qi.addIndex('wf_sessions', ['user_id'], { name: 'wf_sessions_user' });

  await qi.createTable('wf_login_windows', {
    key: key(255),
    failures: { type: DataTypes.INTEGER, allowNull: false },
    window_start: time(false),
    locked_until: time(),
  });

  // Who changed the organisation, roles, sessions: what the security auditor reads.
  await qi.createTable('wf_audit', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
    at: time(false),
    actor: str(128),
    action: str(64, false),
    target: str(255),
    data: text(),
  });
  await qi.addIndex('wf_audit', ['at'], { name: 'wf_audit_at' });

  // In-site notices (new task, urge, CC, return, result, reminders …) with receipts; `channels` says where else
  // it goes (sms, email) and `sent_at` when those went out: the notice row is the outbox entry, written with the step.
  await qi.createTable('wf_notices', {
    id: key(),
    user_id: str(128, false),
    kind: str(32, false),
    title: str(255, false),
    body: text(),
    instance_id: str(64),
    task_id: str(64),
    needs_sign: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    channels: str(64, false),
    created_at: time(false),
    delivered_at: time(),
    read_at: time(),
    signed_at: time(),
    sent_at: time(),
    send_lease: time(),
    delivery: str(255),
  });
  await qi.addIndex('wf_notices', ['user_id', 'read_at', 'created_at'], { name: 'wf_notices_user' });
  await qi.addIndex('wf_notices', ['instance_id', 'kind'], { name: 'wf_notices_instance' });
  await qi.addIndex('wf_notices', ['sent_at', 'created_at'], { name: 'wf_notices_outbox' });

  await qi.addColumn('wf_instances', 'department_id', { type: DataTypes.STRING(64), allowNull: true });
  await qi.addColumn('wf_tasks', 'department_id', { type: DataTypes.STRING(64), allowNull: true });
  // How a task's assignee rules resolved (rule, users found, fallback), recorded when it is created.
  await qi.addColumn('wf_tasks', 'assignment', { type: DataTypes.TEXT, allowNull: true });
  // Who delegated the task (委派) and gets it back.
  await qi.addColumn('wf_tasks', 'owner', { type: DataTypes.STRING(128), allowNull: true });
  await qi.addIndex('wf_tasks', ['department_id', 'state', 'due_at'], { name: 'wf_tasks_department_state_due' });

  // Candidate rows now stand for claimable tasks only (a claim removes them), and the inbox reads its page
  // from them alone: every column it needs is in the index.
  await qi.sequelize.query('DELETE FROM wf_task_candidates WHERE task_id IN (SELECT id FROM wf_tasks WHERE assignee IS NOT NULL)');
  await qi.addIndex('wf_task_candidates', ['kind', 'value', 'due_at', 'created_at', 'task_id'], { name: 'wf_task_candidates_inbox' });
  await qi.removeIndex('wf_task_candidates', 'wf_task_candidates_lookup');
}
