/**
 * Fill a PostgreSQL database with an inbox's worth of tasks, for the inbox
 * benchmark or to try the inbox at scale:
 *
 *   node --import tsx scripts/seed-inbox.ts postgres://postgres@127.0.0.1/wf_big [tasks=1000000]
 *
 * Tasks of 333,334 cases; one in five active, each offered to one of 200
 * candidate groups (g0 … g199) with a due date spread over 30 days; the rest
 * completed by one of 1,000 users. Candidate rows exist for active tasks only,
 * as the runtime keeps them. Rows are generated inside PostgreSQL, 200,000 per
 * statement.
 */
import pg from 'pg';
import { migrate, openDatabase } from '../engine/store/connect.ts';

export const SEED = { groups: 200, users: 1000, activeEvery: 5, base: Date.UTC(2026, 11, 1) };
const CHUNK = 200_000;

export async function seedInbox(url: string, tasks: number, log: (...parts: unknown[]) => void = () => undefined): Promise<void> {
  const db = await openDatabase(url);
  await migrate(db);
  await db.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { base, groups, users, activeEvery } = SEED;
    for (let from = 1; from <= tasks; from += CHUNK) {
      const to = Math.min(tasks, from + CHUNK - 1);
      await client.query(
        `INSERT INTO wf_tasks (id, instance_id, definition_id, process_key, business_key, department_id, activity_id, execution_id, name, state,
                               assignee, candidate_users, candidate_groups, form_key, form_version, priority, due_at, near_due_at, created_at,
                               claimed_at, ended_at, ended_by, assignment, owner)
         SELECT 't' || g, 'i' || (g / 3), 'inbox-bench:1', 'inbox-bench', 'BK-' || g, 'd' || (g % 50), 'review', 'e' || g, '审核 ' || g,
                CASE WHEN g % ${activeEvery} = 0 THEN 'active' ELSE 'completed' END,
                NULL, '[]', '["g' || ((g / ${activeEvery}) % ${groups}) || '"]', NULL, NULL, 50,
                ${base}::bigint + (g::bigint * 7919) % 2592000000, NULL, ${base}::bigint - g::bigint * 1000,
                NULL, CASE WHEN g % ${activeEvery} = 0 THEN NULL ELSE ${base}::bigint END,
                CASE WHEN g % ${activeEvery} = 0 THEN NULL ELSE 'u' || (g % ${users}) END, NULL, NULL
         FROM generate_series(${from}::bigint, ${to}::bigint) AS g`,
      );
      log(`seeded ${to.toLocaleString()} of ${tasks.toLocaleString()} tasks`);
    }
    await client.query(`INSERT INTO wf_task_candidates (task_id, kind, value, due_at, created_at)
                        SELECT id, 'group', candidate_groups::json->>0, due_at, created_at FROM wf_tasks WHERE state = 'active' AND process_key = 'inbox-bench'`);
    // As autovacuum leaves a table in steady use: statistics gathered, visibility map set (index-only scans).
    await client.query('VACUUM ANALYZE wf_tasks');
    await client.query('VACUUM ANALYZE wf_task_candidates');
    // The seed's dirty pages written out now, not by the checkpointer in the middle of what is measured next.
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, count] = process.argv.slice(2);
  if (!url) throw new Error('usage: seed-inbox.ts <postgres url> [tasks]');
  await seedInbox(url, Number(count ?? 1_000_000), console.error);
}
