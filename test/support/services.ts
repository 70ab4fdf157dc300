/**
 * What a test run borrows from the machine — a PostgreSQL database, Redis keys
 * and temporary folders — each its own, so that two runs never meet.
 *
 * test/support/setup.ts (required by .mocharc.json) fills the run's state once,
 * before the test files load: it probes PostgreSQL and Redis, creates the
 * database, and at the end drops it, deletes the run's Redis keys and removes
 * its temporary folders. The state lives on globalThis because the setup and
 * the test files may load this module twice (import and require).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';

export type Service = 'postgres' | 'redis';

export interface RunState {
  /** Why a service cannot be used ("PostgreSQL at … unreachable (…)"), by service; absent: it can. */
  unreachable: Partial<Record<Service, string>>;
  /** The database this run created (and drops); null when TEST_POSTGRES_URL was given. */
  createdDatabase: string | null;
  /** Every Redis key of this run starts with this. */
  redisPrefix: string;
  /** Every temporary folder of this run is inside this one (made on first use). */
  tempRoot: string | null;
  redisPrefixes: number;
}

const KEY = Symbol.for('workflow-engine.test-run');
const NAMES: Record<Service, string> = { postgres: 'PostgreSQL', redis: 'Redis' };

/** CI=true (or 1): a service that cannot be reached fails its suites instead of skipping them. */
export const onCi = (): boolean => ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

export function runState(): RunState {
  const state = (globalThis as Record<symbol, RunState | undefined>)[KEY];
  if (!state) throw new Error('the test run was not set up: test/support/setup.ts is required by .mocharc.json (run the tests with mocha from the repository root)');
  return state;
}

export function newRunState(): RunState {
  const id = `${process.pid}-${Date.now().toString(36)}`;
  const state: RunState = { unreachable: {}, createdDatabase: null, redisPrefix: `wf-test-${id}`, tempRoot: null, redisPrefixes: 0 };
  (globalThis as Record<symbol, RunState>)[KEY] = state;
  return state;
}

export const serviceName = (service: Service): string => NAMES[service];

/** The URL without its password, for messages. */
export function shown(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * Called first in a describe body: the suite needs these. One that cannot be
 * reached skips the suite (setup.ts said so in one line), or under CI=true
 * fails it at once. SQLite is always there.
 */
export function needs(suite: Mocha.Suite, ...what: Array<Service | 'sqlite'>): void {
  const missing = what.filter((s): s is Service => s !== 'sqlite' && runState().unreachable[s] !== undefined);
  if (!missing.length) return;
  if (!onCi()) {
    suite.pending = true; // no hooks run, every test is reported pending
    return;
  }
  suite.beforeAll(`needs ${missing.map(serviceName).join(' and ')}`, () => {
    throw new Error(`${missing.map((s) => runState().unreachable[s]).join('; ')}: CI=true, so this suite fails instead of being skipped`);
  });
}

/** PostgreSQL for this run: the database setup.ts created, or TEST_POSTGRES_URL as given. */
export function postgresUrl(): string {
  runState();
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error('no PostgreSQL in this run (unreachable): the suite must call needs(this, "postgres") first');
  return url;
}

export const redisUrl = (): string => process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** A Redis key prefix of its own (within the run's), for a queue or a server; no ':' in it. */
export function redisPrefix(name: string): string {
  const state = runState();
  return `${state.redisPrefix}-${name}-${++state.redisPrefixes}`;
}

/** Delete every key under a prefix (`prefix*`); returns how many. */
export async function deleteRedisKeys(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** A new temporary folder inside the run's; removed at the latest when the run ends. */
export function tempDir(name: string): string {
  const state = runState();
  state.tempRoot ??= fs.mkdtempSync(path.join(os.tmpdir(), `wf-test-${process.pid}-`));
  return fs.mkdtempSync(path.join(state.tempRoot, `${name}-`));
}

/** Remove temporary folders early (a suite's, when it ends). */
export function removeTemp(...dirs: Array<string | undefined>): void {
  for (const dir of dirs) if (dir) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
