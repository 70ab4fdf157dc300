import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { registerBuiltinHandlers } from '../../engine/builtin-handlers.ts';
import { BpmnErrorSignal, HandlerRegistry, PermanentFailure } from '../../engine/core/handlers.ts';
import type { TaskRecord, Variables } from '../../engine/core/model.ts';
import { silentLogger } from '../../engine/core/ports.ts';
import { Scheduler } from '../../engine/core/scheduler.ts';
import type { InstanceView, Workflow } from '../../engine/core/workflow.ts';
import type { Database } from '../../engine/store/connect.ts';
import { LocalBlobStore } from '../../engine/store/local-blobs.ts';
import { wireEngine } from '../../engine/wiring.ts';
import type { SqlStore } from '../../engine/store/sql-store.ts';
import type { OrgAdmin } from '../../engine/core/org/admin.ts';
import { FakeClock } from './clock.ts';
import { BACKENDS, databaseUrl, openTestDatabase, removeDatabase, truncate, type Backend } from './databases.ts';
import { needs, removeTemp, tempDir } from './services.ts';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/bpmn');

export const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name.endsWith('.bpmn') ? name : `${name}.bpmn`), 'utf8');

/** Calls of the test handlers, by handler name. */
export interface HandlerCalls {
  [handler: string]: Array<{ idempotencyKey: string; input: Variables; variables: Variables; attempt: number }>;
}

/**
 * Test handlers: `echo` returns its input as variables, `fail` always throws,
 * `failOnce` fails the first attempt of each task execution, `permanent`
 * fails without retry, `reject` raises BPMN error `input.code` (default REJECTED);
 * plus the built-in ones (`log`) the demo flows use.
 */
export function testHandlers(calls: HandlerCalls): HandlerRegistry {
  const record = (name: string) => (ctx: { idempotencyKey: string; input: Variables; variables: Variables; attempt: number }) =>
    (calls[name] ??= []).push({ idempotencyKey: ctx.idempotencyKey, input: { ...ctx.input }, variables: { ...ctx.variables }, attempt: ctx.attempt });
  return registerBuiltinHandlers(new HandlerRegistry(), silentLogger)
    .register('echo', async (ctx) => {
      record('echo')(ctx);
      return { ...ctx.input };
    })
    .register('fail', async (ctx) => {
      record('fail')(ctx);
      throw new Error('service unavailable');
    })
    .register('failOnce', async (ctx) => {
      record('failOnce')(ctx);
      if (ctx.attempt === 1) throw new Error('temporary failure');
      return { recovered: true };
    })
    .register('permanent', async (ctx) => {
      record('permanent')(ctx);
      throw new PermanentFailure('request refused');
    })
    .register('reject', async (ctx) => {
      record('reject')(ctx);
      throw new BpmnErrorSignal(String(ctx.input.code ?? 'REJECTED'), 'rejected by handler');
    });
}

export interface TestContext {
  backend: Backend;
  db: Database;
  store: SqlStore;
  wf: Workflow;
  scheduler: Scheduler;
  clock: FakeClock;
  calls: HandlerCalls;
  /** The organisation (empty until a test fills it, e.g. with seedDemoOrg). */
  org: OrgAdmin;
  /** Deploy a fixture from test/fixtures/bpmn. */
  deploy(name: string): Promise<void>;
  start(processKey: string, variables?: Variables, businessKey?: string): Promise<InstanceView>;
  instance(id: string): Promise<InstanceView>;
  activeTasks(instanceId: string): Promise<TaskRecord[]>;
  /** Complete the one active task of `activityId` in the instance. */
  complete(instanceId: string, activityId: string, variables?: Variables, actor?: string | null): Promise<void>;
  /** Names of the activities the instance waits in, sorted. */
  waitingIn(instanceId: string): Promise<string[]>;
  /** Move the clock and run everything that became due. */
  advance(ms: number): Promise<void>;
  /** Run due jobs and timers until nothing is due. */
  work(): Promise<void>;
}

/**
 * Run the same suite against SQLite and PostgreSQL:
 * `describeOnBothStores('exclusive gateway', (ctx) => { it(…, async () => { const { wf } = ctx(); … }) })`.
 */
/**
 * `scenarios`: deploys run the scenarios saved in a flow. Off by default: most suites deploy the demo flows
 * without the demo organisation their scenarios expect.
 */
export function describeOnBothStores(title: string, body: (ctx: () => TestContext) => void, options: { cacheSize?: number; scenarios?: boolean } = {}): void {
  for (const backend of BACKENDS) {
    describe(`${title} [${backend}]`, function () {
      needs(this, backend);
      let url: string | undefined;
      let db: Database;
      let current: TestContext | null = null;
      const filesDirs: string[] = [];
      before(async function () {
        url = databaseUrl(backend);
        db = await openTestDatabase(backend, url);
      });
      after(async () => {
        await db?.close();
        removeDatabase(url);
        removeTemp(...filesDirs);
      });
      beforeEach(async () => {
        await truncate(db);
        filesDirs.push(tempDir('files'));
        // SQLite runs without the engine cache, so every step recovers its instance from the
        // database; PostgreSQL runs with it. Each suite thus covers both paths.
        current = makeContext(backend, db, options.cacheSize ?? (backend === 'sqlite' ? 0 : 100), filesDirs.at(-1)!, options.scenarios ?? false);
      });
      body(() => {
        if (!current) throw new Error('test context used outside a test');
        return current;
      });
    });
  }
}

function makeContext(backend: Backend, db: Database, cacheSize: number, filesDir: string, scenarios: boolean): TestContext {
  const clock = new FakeClock();
  const calls: HandlerCalls = {};
  const blobs = new LocalBlobStore(filesDir);
  const { store, workflow: wf, admin } = wireEngine({ db, clock, logger: silentLogger, handlers: testHandlers(calls), blobs, config: { cacheSize } });
  if (!scenarios) wf.sandboxes = null;
  const scheduler = new Scheduler(wf.services, { workerId: `test-${backend}`, leaseMs: 60_000 });
  const ctx: TestContext = {
    backend,
    db,
    store,
    wf,
    scheduler,
    clock,
    calls,
    org: admin,
    async deploy(name) {
      await wf.deploy(fixture(name), 'tester');
    },
    start: (processKey, variables = {}, businessKey) => wf.start({ processKey, variables, businessKey: businessKey ?? null }, 'tester'),
    instance: (id) => wf.getInstance(id),
    async activeTasks(instanceId) {
      return (await wf.listTasks({ instanceId, state: 'active' }, { offset: 0, limit: 200 })).items;
    },
    async complete(instanceId, activityId, variables = {}, actor = 'tester') {
      const tasks = (await ctx.activeTasks(instanceId)).filter((t) => t.activityId === activityId);
      expect(tasks, `one active task ${activityId}`).to.have.length(1);
      await wf.complete(tasks[0]!.id, variables, actor);
    },
    async waitingIn(instanceId) {
      return (await wf.getInstance(instanceId)).activities.map((a) => a.activityId).sort();
    },
    async advance(ms) {
      clock.advance(ms);
      await scheduler.runUntilIdle();
    },
    work: () => scheduler.runUntilIdle(),
  };
  return ctx;
}
