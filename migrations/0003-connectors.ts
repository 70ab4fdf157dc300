import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * Connectors and jobs: every attempt of a job, connector settings per
 * environment (secrets encrypted), rate-limit windows, inbound callbacks (so a
 * replay is recognised), what connectors and their local simulators keep
 * (verification codes, simulated messages), and the lease a queue relay holds
 * on a job it handed to Redis.
 */
const str = (len: number, allowNull = true) => ({ type: DataTypes.STRING(len), allowNull });
const text = (allowNull = true) => ({ type: DataTypes.TEXT, allowNull });
const time = (allowNull = true) => ({ type: DataTypes.BIGINT, allowNull });

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('wf_job_attempts', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
    job_id: str(64, false),
    attempt: { type: DataTypes.INTEGER, allowNull: false },
    worker: str(128),
    started_at: time(false),
    duration_ms: { type: DataTypes.INTEGER, allowNull: false },
    outcome: str(16, false),
    request: text(),
    response: text(),
    error: text(),
  });
  await qi.addIndex('wf_job_attempts', ['job_id', 'id'], { name: 'wf_job_attempts_job' });

  await qi.addColumn('wf_jobs', 'dispatched_until', { type: DataTypes.BIGINT, allowNull: true });

  await qi.createTable('wf_connector_configs', {
    connector: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
    environment: { type: DataTypes.STRING(32), allowNull: false, primaryKey: true },
    settings: text(false),
    secrets: text(),
    rev: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
    updated_at: time(false),
    updated_by: str(128),
  });

  await qi.createTable('wf_rate_windows', {
    key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
    window_start: time(false),
    count: { type: DataTypes.INTEGER, allowNull: false },
  });

  await qi.createTable('wf_callbacks', {
    id: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
    connector: str(64, false),
    external_id: str(255, false),
    received_at: time(false),
    payload: text(false),
    outcome: str(32, false),
    detail: text(),
  });
  await qi.addIndex('wf_callbacks', ['connector', 'external_id'], { unique: true, name: 'wf_callbacks_external' });

  await qi.createTable('wf_connector_records', {
    connector: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
    kind: { type: DataTypes.STRING(32), allowNull: false, primaryKey: true },
    key: { type: DataTypes.STRING(255), allowNull: false, primaryKey: true },
    data: text(false),
    created_at: time(false),
    updated_at: time(false),
  });
}
