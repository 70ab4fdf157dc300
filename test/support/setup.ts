/**
 * Once per test run (required by .mocharc.json, so before any test file loads):
 *
 * - PostgreSQL: without TEST_POSTGRES_URL, a database of the run's own is
 *   created on postgres://postgres@127.0.0.1:5432 and TEST_POSTGRES_URL set to
 *   it; it is dropped WITH (FORCE) when the run ends, however it ends. A given
 *   TEST_POSTGRES_URL (.ci/run makes one) is used as it is and dropped by whoever made it.
 * - Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379): the run's keys share
 *   one prefix and are deleted at the end.
 * - A service that cannot be reached is said in one line; the suites that need
 *   it are skipped — under CI=true they fail (see needs() in services.ts).
 * - The run's temporary folders are removed at the end.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Redis } from 'ioredis';
import pg from 'pg';
import { deleteRedisKeys, newRunState, onCi, redisUrl, serviceName, shown, type Service } from './services.ts';

const SERVER = 'postgres://postgres@127.0.0.1:5432';
const ADMIN_URL = `${SERVER}/postgres`;
const TIMEOUT_MS = 3000;

const state = newRunState();

const reason = (err: unknown): string => {
  const e = err as { message?: string; code?: string };
  return e.message || e.code || String(err);
};

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(text);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function preparePostgres(): Promise<string> {
  const given = process.env.TEST_POSTGRES_URL;
  if (given) {
    await sql(given, 'SELECT 1');
    return given;
  }
  const name = `wf_test_${process.pid}_${Date.now().toString(36)}`;
  await sql(ADMIN_URL, `CREATE DATABASE ${name}`);
  state.createdDatabase = name;
  process.env.TEST_POSTGRES_URL = `${SERVER}/${name}`;
  return process.env.TEST_POSTGRES_URL;
}

async function probeRedis(): Promise<string> {
  const redis = new Redis(redisUrl(), { lazyConnect: true, connectTimeout: TIMEOUT_MS, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  let cause: Error | undefined;
  redis.on('error', (err: Error) => (cause ??= err));
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw cause ?? err; // "connect ECONNREFUSED …" rather than "Connection is closed."
  } finally {
    redis.disconnect();
  }
  return redisUrl();
}

const where: Record<Service, () => string> = { postgres: () => process.env.TEST_POSTGRES_URL ?? SERVER, redis: redisUrl };
await Promise.all(
  (Object.entries({ postgres: preparePostgres, redis: probeRedis }) as Array<[Service, () => Promise<string>]>).map(async ([service, prepare]) => {
    try {
      await prepare();
    } catch (err) {
      const name = serviceName(service);
      state.unreachable[service] = `${name} at ${shown(where[service]())} unreachable (${reason(err)})`;
      console.log(`${state.unreachable[service]}: ${onCi() ? `CI=true, so the ${name} suites fail` : `the ${name} suites are skipped`}`);
    }
  }),
);

let cleaned = false;

/** The end of the run, passed or failed: the database dropped, the Redis keys deleted, the folders removed. */
export async function mochaGlobalTeardown(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  if (state.tempRoot) fs.rmSync(state.tempRoot, { recursive: true, force: true, maxRetries: 3 });
  if (state.redisPrefixes > 0 && !state.unreachable.redis) {
    const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    try {
      await deleteRedisKeys(redis, state.redisPrefix);
    } finally {
      redis.disconnect();
    }
  }
  if (state.createdDatabase) {
    await sql(ADMIN_URL, `DROP DATABASE IF EXISTS ${state.createdDatabase} WITH (FORCE)`);
    state.createdDatabase = null;
  }
}

// A run that stops early (Ctrl-C, an error while loading the test files) cleans up too, synchronously.
const DROP = `const [pgPath, url, name] = process.argv.slice(1); const { Client } = require(pgPath);
const c = new Client({ connectionString: url, connectionTimeoutMillis: ${TIMEOUT_MS} });
c.connect().then(() => c.query('DROP DATABASE IF EXISTS ' + name + ' WITH (FORCE)')).catch(() => {}).finally(() => c.end());`;
process.once('exit', () => {
  if (cleaned) return;
  if (state.tempRoot) fs.rmSync(state.tempRoot, { recursive: true, force: true });
  if (state.createdDatabase) spawnSync(process.execPath, ['-e', DROP, createRequire(import.meta.url).resolve('pg'), ADMIN_URL, state.createdDatabase], { stdio: 'ignore', timeout: 15_000 });
});
// `on`, not `once`: mocha's launcher repeats the signal, which must not kill this process while it cleans up.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.on(signal, () => process.exit(code));
