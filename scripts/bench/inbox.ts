/**
 * The inbox row: a clerk's open tasks — candidate groups + state, sorted by
 * due date, first page of 20 — with 1,000,000 tasks in PostgreSQL (seeded by
 * scripts/seed-inbox.ts). The API path is the real one: HTTP, bearer token,
 * data scope, validation, the store's queries, the JSON view. The baseline is
 * the same SQL the store sent for that request, replayed on a plain pg client.
 * Requests alternate between the two in rounds; p50 and p99 of each.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { HandlerRegistry } from '../../engine/core/handlers.ts';
import { actorOf, SYSTEM_ACTOR } from '../../engine/core/org/actor.ts';
import { Auth } from '../../engine/core/org/auth.ts';
import { silentLogger, systemClock } from '../../engine/core/ports.ts';
import { createApp } from '../../engine/http/app.ts';
import { sessionAuthenticator } from '../../engine/http/authenticate.ts';
import { openDatabase } from '../../engine/store/connect.ts';
import type { BatchStatement, Bind, Row, SqlExecutor } from '../../engine/store/executors.ts';
import { wireEngine, frontOf } from '../../engine/wiring.ts';
import { seedInbox } from '../seed-inbox.ts';
import { freshPostgres } from './postgres.ts';
import { percentile, round3 } from './stats.ts';

/** Passes everything through; while recording, keeps the statements it saw. */
class RecordingExecutor implements SqlExecutor {
  recorded: Array<{ sql: string; bind: Bind }> | null = null;
  constructor(private readonly inner: SqlExecutor) {}
  select(sql: string, bind: Bind = []): Promise<Row[]> {
    this.recorded?.push({ sql, bind: [...bind] });
    return this.inner.select(sql, bind);
  }
  batch(statements: readonly BatchStatement[], verify: (rows: Row[][]) => void): Promise<Row[][]> {
    return this.inner.batch(statements, verify);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const ms = (n: number) => Math.round(n * 100) / 100;

export async function benchInbox(options: { tasks: number; rounds: number; perRound: number; log: (...parts: unknown[]) => void }) {
  const { log } = options;
  const postgres = await freshPostgres('_inbox');
  try {
    const seeding = performance.now();
    await seedInbox(postgres.url, options.tasks, log);
    const seedSeconds = Math.round((performance.now() - seeding) / 100) / 10;
    const db = await openDatabase(postgres.url, { poolMax: 4 });
    const recorder = new RecordingExecutor(db.executor);
    const { workflow, orgStore, directory, admin } = wireEngine({ db: { ...db, executor: recorder }, clock: systemClock, logger: silentLogger, handlers: new HandlerRegistry() });
    await admin.ensureBuiltinRoles();
    await admin.putDepartment({ id: 'd1', parentId: null, name: '受理科' }, SYSTEM_ACTOR);
    // A clerk holding three posts, i.e. three of the 200 candidate groups.
    await admin.putUser({ id: 'clerk', name: '窗口经办人', posts: ['g1', 'g7', 'g13'].map((post) => ({ departmentId: 'd1', post })), roles: ['clerk'] }, SYSTEM_ACTOR);
    const auth = new Auth({ store: orgStore, directory, clock: systemClock });
    const app = createApp({ ...frontOf(workflow), logger: silentLogger, ready: async () => undefined, authenticate: sessionAuthenticator(auth) });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const raw = new pg.Client({ connectionString: postgres.url });
    await raw.connect();
    try {
      const { secret } = await auth.createToken(actorOf(await directory.org(), 'clerk')!, 'bench');
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/tasks?candidateGroups=g1,g7,g13&state=active&sort=due&limit=20`;
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const viaApi = () =>
        new Promise<{ total: number; items: unknown[] }>((resolve, reject) => {
          http
            .get(url, { agent, headers: { authorization: `Bearer ${secret}` } }, (res) => {
              const chunks: Buffer[] = [];
              res
                .on('data', (c: Buffer) => chunks.push(c))
                .on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))) : reject(new Error(`API answered ${res.statusCode}`))));
            })
            .on('error', reject);
        });
      for (let i = 0; i < 30; i++) await viaApi();
      recorder.recorded = [];
      const page = await viaApi();
      const statements = recorder.recorded.filter((s) => s.sql.includes('wf_task'));
      recorder.recorded = null;
      const viaSql = async () => {
        for (const s of statements) await raw.query(s.sql, s.bind as unknown[]);
      };
      for (let i = 0; i < 30; i++) await viaSql();
      const samples = { api: [] as number[], sql: [] as number[] };
      for (let round = 0; round < options.rounds; round++) {
        for (const [name, run] of [
          ['api', viaApi],
          ['sql', viaSql],
        ] as const) {
          for (let i = 0; i < options.perRound; i++) {
            const start = performance.now();
            await run();
            samples[name].push(performance.now() - start);
          }
        }
        log(`inbox round ${round + 1}/${options.rounds}: API p50 ${ms(percentile(samples.api, 0.5))} ms, SQL p50 ${ms(percentile(samples.sql, 0.5))} ms`);
      }
      agent.destroy();
      const api = { p50: ms(percentile(samples.api, 0.5)), p99: ms(percentile(samples.api, 0.99)) };
      const sql = { p50: ms(percentile(samples.sql, 0.5)), p99: ms(percentile(samples.sql, 0.99)) };
      return {
        tasks: options.tasks,
        matching: page.total,
        pageSize: page.items.length,
        statements: statements.length,
        apiMs: api,
        rawSqlMs: sql,
        ratioP50: round3(api.p50 / sql.p50),
        ratioP99: round3(api.p99 / sql.p99),
        targets: { p99Ms: 20, ratio: 1.5 },
        samples: samples.api.length,
        seedSeconds,
      };
    } finally {
      await raw.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    }
  } finally {
    await postgres.drop();
  }
}
