/**
 * The jobs row of the benchmark: instances per second whose job goes the
 * whole way — outbox row → queue → SMS gateway (the simulator, over HTTP) →
 * signed delivery report → the instance moves on and ends — with real server
 * processes on PostgreSQL, for the in-database queue and BullMQ, with one
 * and two worker processes. The baseline, measured in the same run against
 * the same server, is the gateway round trip alone: the same signed requests
 * sent straight to the simulator, done when their reports were taken.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { signedHeaders } from '../../connectors/lib/signing.ts';
import { kill, startServer, type ServerProcess } from '../../test/support/server-process.ts';
import { freshPostgres } from './postgres.ts';
import { median, round1, round3 } from './stats.ts';

const XML = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'sms-roundtrip.bpmn'), 'utf8');
/** The simulator's default API key (connectors/sms): the baseline signs as the engine does. */
const SMS_KEY = 'sms-simulator-key';
const CLIENTS = 16;

type Queue = 'database' | 'bullmq';

interface Setup {
  queue: Queue;
  workers: 1 | 2;
}

const SETUPS: Setup[] = [
  { queue: 'database', workers: 1 },
  { queue: 'database', workers: 2 },
  { queue: 'bullmq', workers: 1 },
  { queue: 'bullmq', workers: 2 },
];

export interface JobsResult {
  perSecond: Record<string, number>;
  ratioToGatewayAlone: Record<string, number>;
  settings: { instancesPerRound: number; rounds: number; clients: number; workerConcurrency: number; pollMs: number };
}

export async function benchJobs(options: { rounds: number; perRound: number; redisUrl: string; log: (...parts: unknown[]) => void }): Promise<JobsResult> {
  const perSecond: Record<string, number> = {};
  const ratio: Record<string, number> = {};
  let phones = 0;
  const nextPhone = () => `139${String(phones++).padStart(8, '0')}`;
  for (const [index, setup] of SETUPS.entries()) {
    const name = `${setup.queue}, ${setup.workers} worker${setup.workers > 1 ? 's' : ''}`;
    const db = await freshPostgres(`_jobs${index}`);
    const redisUrl = setup.queue === 'bullmq' ? redisDb(options.redisUrl, 10 + index) : null;
    if (redisUrl) await flushRedis(redisUrl);
    const servers: ServerProcess[] = [];
    const sql = new pg.Client({ connectionString: db.url });
    try {
      for (let w = 0; w < setup.workers; w++) {
        servers.push(await startServer({ DATABASE_URL: db.url, ...(redisUrl && { REDIS_URL: redisUrl }), SCHEDULER_POLL_MS: '100', WORKER_ID: `bench-${w}` }));
      }
      await sql.connect();
      const deployed = await fetch(`${servers[0]!.base}/api/definitions`, { method: 'POST', headers: { 'content-type': 'application/xml', ...servers[0]!.headers }, body: XML });
      if (!deployed.ok) throw new Error(`deploy failed: ${deployed.status} ${await deployed.text()}`);
      await flow(servers, sql, 50, nextPhone); // warm up: connections, caches, JIT
      const flows: number[] = [];
      const alone: number[] = [];
      for (let round = 0; round < options.rounds; round++) {
        alone.push(await gatewayAlone(servers[0]!, sql, options.perRound, nextPhone));
        flows.push(await flow(servers, sql, options.perRound, nextPhone));
        options.log(`jobs ${name} round ${round + 1}/${options.rounds}: ${flows.at(-1)!.toFixed(0)}/s through the engine, gateway alone ${alone.at(-1)!.toFixed(0)}/s`);
      }
      perSecond[name] = round1(median(flows));
      perSecond[`gateway alone (${name})`] = round1(median(alone));
      ratio[name] = round3(median(flows) / median(alone));
    } finally {
      await sql.end().catch(() => undefined);
      await Promise.all(servers.map(kill));
      if (redisUrl) await flushRedis(redisUrl);
      await db.drop();
    }
  }
  return { perSecond, ratioToGatewayAlone: ratio, settings: { instancesPerRound: options.perRound, rounds: options.rounds, clients: CLIENTS, workerConcurrency: 8, pollMs: 100 } };
}

/** Start `count` instances (spread over the servers) and wait until all have ended; instances per second. */
async function flow(servers: ServerProcess[], sql: pg.Client, count: number, nextPhone: () => string): Promise<number> {
  const before = await countOf(sql, `SELECT COUNT(*) AS n FROM wf_instances WHERE state = 'completed'`);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      while (next++ < count) {
        const server = servers[(next + client) % servers.length]!;
        const response = await fetch(`${server.base}/api/instances`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...server.headers },
          body: JSON.stringify({ processKey: 'bench-jobs', variables: { phone: nextPhone() } }),
        });
        if (response.status !== 201) throw new Error(`start failed: ${response.status} ${await response.text()}`);
      }
    }),
  );
  await until(async () => (await countOf(sql, `SELECT COUNT(*) AS n FROM wf_instances WHERE state = 'completed'`)) >= before + count, 'the instances to end');
  return (count / (performance.now() - started)) * 1000;
}

/** The same signed gateway requests without the engine; done when the server has taken every report. */
async function gatewayAlone(server: ServerProcess, sql: pg.Client, count: number, nextPhone: () => string): Promise<number> {
  const before = await countOf(sql, `SELECT COUNT(*) AS n FROM wf_callbacks WHERE outcome <> 'received'`);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next++ < count) {
        const body = JSON.stringify({ requestId: `alone-${crypto.randomUUID()}`, phone: nextPhone(), text: '您的材料已收到' });
        const response = await fetch(`${server.base}/sim/sms/messages`, { method: 'POST', headers: signedHeaders(SMS_KEY, body, Date.now()), body });
        if (!response.ok) throw new Error(`gateway refused: ${response.status} ${await response.text()}`);
      }
    }),
  );
  await until(async () => (await countOf(sql, `SELECT COUNT(*) AS n FROM wf_callbacks WHERE outcome <> 'received'`)) >= before + count, 'the reports');
  return (count / (performance.now() - started)) * 1000;
}

async function countOf(sql: pg.Client, query: string): Promise<number> {
  const result = await sql.query<{ n: string }>(query);
  return Number(result.rows[0]?.n ?? 0);
}

async function until(probe: () => Promise<boolean>, what: string, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Each setup gets a Redis database of its own, so no BullMQ job of another setup is in its queues. */
function redisDb(base: string, index: number): string {
  const url = new URL(base);
  url.pathname = `/${index}`;
  return url.toString();
}

async function flushRedis(url: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}
