import path from 'node:path';
import { migrate, openDatabase, type Database } from '../../engine/store/connect.ts';
import { postgresUrl, removeTemp, tempDir } from './services.ts';

/**
 * The two stores every store-touching suite runs against. PostgreSQL is the
 * run's own database (test/support/setup.ts creates it, or TEST_POSTGRES_URL);
 * SQLite is a file in a temporary folder of its own. A suite calls
 * needs(this, backend) first: PostgreSQL may be unreachable.
 */
export const BACKENDS = ['sqlite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

export function databaseUrl(backend: Backend): string {
  if (backend === 'postgres') return postgresUrl();
  return `sqlite:${path.join(tempDir('sqlite'), 'test.sqlite')}`;
}

/** Remove a SQLite database's folder (closed first); PostgreSQL's database is the run's, dropped at its end. */
export function removeDatabase(url: string | undefined): void {
  if (url?.startsWith('sqlite:')) removeTemp(path.dirname(url.slice('sqlite:'.length)));
}

export async function openTestDatabase(backend: Backend, url = databaseUrl(backend)): Promise<Database> {
  const db = await openDatabase(url);
  await migrate(db);
  return db;
}

const TABLES = ['wf_identity_levels', 'wf_documents', 'wf_catalog_rows', 'wf_catalog_changes', 'wf_catalog_publications', 'wf_chains', 'wf_anchors', 'wf_anchor_heads', 'wf_audit_archive', 'wf_notices', 'wf_audit', 'wf_login_windows', 'wf_sessions', 'wf_user_roles', 'wf_roles', 'wf_user_posts', 'wf_users', 'wf_departments', 'wf_job_attempts', 'wf_connector_configs', 'wf_rate_windows', 'wf_callbacks', 'wf_connector_records', 'wf_files', 'wf_form_drafts', 'wf_dictionaries', 'wf_forms', 'wf_history', 'wf_incidents', 'wf_buffered_messages', 'wf_subscriptions', 'wf_jobs', 'wf_timers', 'wf_task_candidates', 'wf_tasks', 'wf_instances', 'wf_definitions'];

/** Empty every runtime table (between tests; cheaper than a new database). The org counter starts again. */
export async function truncate(db: Database): Promise<void> {
  const statements = db.dialect === 'postgres' ? [`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY`] : TABLES.map((table) => `DELETE FROM ${table}`);
  statements.push(`UPDATE wf_counters SET value = 1 WHERE name = 'org'`, 'UPDATE wf_catalog_head SET rev = 0');
  await db.executor.batch(statements.map((sql) => ({ sql, bind: [] })), () => undefined);
}

export async function count(db: Database, table: string, where = '1 = 1', bind: unknown[] = []): Promise<number> {
  const [row] = (await db.executor.select(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, bind)) as Array<{ n: string | number }>;
  return Number(row?.n ?? 0);
}
