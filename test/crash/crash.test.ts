/**
 * Durability: a real server process is killed with SIGKILL while 200 instances
 * are moving through jobs, timers and tasks, then restarted on the same
 * database. Every instance must end exactly once, with nothing lost or doubled.
 */
import { expect } from 'chai';
import { openDatabase } from '../../engine/store/connect.ts';
import { BACKENDS, databaseUrl, openTestDatabase, removeDatabase, truncate } from '../support/databases.ts';
import { fixture } from '../support/harness.ts';
import { kill, startServer as startProcess, type ServerProcess } from '../support/server-process.ts';
import { needs, removeTemp, tempDir } from '../support/services.ts';

const INSTANCES = 200;

type Server = ServerProcess;
/** Uploads, key files and anchor copies go to `data`, a temporary folder (not the repository's data/). */
const startServer = (databaseUrl: string, data: string) => startProcess({ DATABASE_URL: databaseUrl, FILES_DIR: `${data}/files` });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test responses are checked field by field
async function call(server: Server, method: string, route: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(server.base + route, {
    method,
    headers: { 'content-type': 'application/json', ...server.headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

/** Complete whatever review tasks are open; errors from a dying server are expected and ignored. */
async function completeOpenTasks(base: Server): Promise<number> {
  const { json } = await call(base, 'GET', '/api/tasks?processKey=crash&state=active&limit=200');
  const results = await Promise.allSettled((json.items as Array<{ id: string }>).map((t) => call(base, 'POST', `/api/tasks/${t.id}/complete`, { variables: { reviewed: true } })));
  for (const r of results) if (r.status === 'fulfilled') expect([200, 409]).to.include(r.value.status);
  return results.filter((r) => r.status === 'fulfilled' && r.value.status === 200).length;
}

async function completedCount(base: Server): Promise<number> {
  return (await call(base, 'GET', '/api/instances?processKey=crash&state=completed&limit=1')).json.total as number;
}

for (const backend of BACKENDS) {
  describe(`crash and restart [${backend}]`, function () {
    needs(this, backend);
    this.timeout(180_000);
    let server: Server | null = null;
    let url: string;
    let data: string;

    before(async () => {
      url = databaseUrl(backend);
      data = tempDir('crash');
      const db = await openTestDatabase(backend, url);
      await truncate(db);
      await db.close();
    });

    after(async () => {
      if (server) await kill(server);
      removeDatabase(url);
      removeTemp(data);
    });

    it(`Given ${INSTANCES} instances in flight, when the server is killed -9 and restarted, then every instance ends exactly once and nothing is lost or doubled`, async () => {
      server = await startServer(url, data);
      expect((await call(server, 'POST', '/api/definitions', { xml: fixture('crash') })).status).to.equal(201);
      for (let i = 0; i < INSTANCES; i += 20) {
        const batch = Array.from({ length: Math.min(20, INSTANCES - i) }, (_, j) => call(server!, 'POST', '/api/instances', { processKey: 'crash', businessKey: `C-${i + j}` }));
        for (const r of await Promise.all(batch)) expect(r.status).to.equal(201);
      }

      // Drive until about a third has ended, then pull the plug mid-flight.
      while ((await completedCount(server)) < INSTANCES / 3) {
        await completeOpenTasks(server);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const inFlight = completeOpenTasks(server).catch(() => 0);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await kill(server);
      await inFlight;

      server = await startServer(url, data);
      const deadline = Date.now() + 120_000;
      while ((await completedCount(server)) < INSTANCES) {
        expect(Date.now(), 'all instances end within two minutes of the restart').to.be.below(deadline);
        await completeOpenTasks(server);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await kill(server);
      server = null;

      const db = await openDatabase(url);
      try {
        const rows = (sql: string) => db.executor.select(sql);
        const perInstance = async (sql: string) => (await rows(sql)).map((r) => Number(r.n));
        const instances = await rows(`SELECT state, COUNT(*) AS n FROM wf_instances GROUP BY state`);
        expect(instances.map((r) => [r.state, Number(r.n)])).to.deep.equal([['completed', INSTANCES]]);
        // Exactly once, per instance: ended, reviewed, each timer fired, the job done.
        for (const [what, sql] of [
          ['instance.end', `SELECT COUNT(*) AS n FROM wf_history WHERE kind = 'instance.end' GROUP BY instance_id`],
          ['task.create', `SELECT COUNT(*) AS n FROM wf_history WHERE kind = 'task.create' GROUP BY instance_id`],
          ['task.complete', `SELECT COUNT(*) AS n FROM wf_history WHERE kind = 'task.complete' GROUP BY instance_id`],
          ['timer.fire wait', `SELECT COUNT(*) AS n FROM wf_history WHERE kind = 'timer.fire' AND activity_id = 'wait' GROUP BY instance_id`],
          ['timer.fire cooldown', `SELECT COUNT(*) AS n FROM wf_history WHERE kind = 'timer.fire' AND activity_id = 'cooldown' GROUP BY instance_id`],
          ['job.complete', `SELECT COUNT(*) AS n FROM wf_history WHERE kind = 'job.complete' GROUP BY instance_id`],
          ['tasks', `SELECT COUNT(*) AS n FROM wf_tasks WHERE state = 'completed' GROUP BY instance_id`],
          ['jobs', `SELECT COUNT(*) AS n FROM wf_jobs WHERE state = 'done' GROUP BY instance_id`],
        ] as const) {
          const counts = await perInstance(sql);
          expect(counts, `${what}: one row per instance`).to.have.length(INSTANCES);
          expect(new Set(counts), `${what}: exactly once each`).to.deep.equal(new Set([1]));
        }
        expect(await rows(`SELECT id FROM wf_tasks WHERE state <> 'completed'`), 'no task left open or cancelled').to.deep.equal([]);
        expect(await rows(`SELECT id FROM wf_timers`), 'no timer left').to.deep.equal([]);
        expect(await rows(`SELECT id FROM wf_jobs WHERE state <> 'done'`), 'no job left').to.deep.equal([]);
        expect(await rows(`SELECT id FROM wf_incidents`), 'no incident').to.deep.equal([]);
      } finally {
        await db.close();
      }
    });
  });
}

describe('two server processes on one PostgreSQL database', function () {
  needs(this, 'postgres');
  this.timeout(180_000);
  const servers: Server[] = [];
  let data: string | undefined;
  after(async () => {
    for (const s of servers) await kill(s);
    removeTemp(data);
  });

  it('Given two servers sharing the database, when both drive the same instances, then every timer fires once, every job runs once and every instance ends once', async () => {
    const url = databaseUrl('postgres');
    const db = await openTestDatabase('postgres', url);
    await truncate(db);
    await db.close();
    data = tempDir('crash-two');
    servers.push(await startServer(url, data), await startServer(url, data));
    const [a, b] = servers as [Server, Server];
    expect((await call(a, 'POST', '/api/definitions', { xml: fixture('crash') })).status).to.equal(201);
    const count = 100;
    for (let i = 0; i < count; i += 20) {
      // Instances start on both servers; tasks are completed through both.
      const batch = Array.from({ length: Math.min(20, count - i) }, (_, j) => call((i + j) % 2 ? a : b, 'POST', '/api/instances', { processKey: 'crash' }));
      for (const r of await Promise.all(batch)) expect(r.status).to.equal(201);
    }
    const deadline = Date.now() + 120_000;
    while ((await completedCount(a)) < count) {
      expect(Date.now(), 'all instances end within two minutes').to.be.below(deadline);
      await Promise.all([completeOpenTasks(a), completeOpenTasks(b)]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const check = await openDatabase(url);
    try {
      const rows = (sql: string) => check.executor.select(sql);
      for (const [what, sql] of [
        ['timer fires', `SELECT COUNT(*) AS n FROM wf_history WHERE kind = 'timer.fire' GROUP BY instance_id`],
        ['job completions', `SELECT COUNT(*) AS n FROM wf_history WHERE kind = 'job.complete' GROUP BY instance_id`],
        ['instance ends', `SELECT COUNT(*) AS n FROM wf_history WHERE kind = 'instance.end' GROUP BY instance_id`],
      ] as const) {
        const counts = (await rows(sql)).map((r) => Number(r.n));
        expect(counts, what).to.have.length(count);
        expect(new Set(counts), what).to.deep.equal(new Set([what === 'timer fires' ? 2 : 1]));
      }
      const done = await rows(`SELECT COUNT(*) AS n FROM wf_jobs WHERE state = 'done'`);
      expect(Number(done[0]!.n)).to.equal(count);
      // Both processes did their share of the timers and jobs.
      const workers = await rows(`SELECT data FROM wf_history WHERE kind IN ('timer.fire', 'job.complete')`);
      expect(new Set(workers.map((r) => (JSON.parse(String(r.data)) as { worker: string }).worker)).size).to.equal(2);
    } finally {
      await check.close();
    }
  });
});
