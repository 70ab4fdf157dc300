/**
 * npm run bench [-- --json] [-- --quick] [-- --lifecycle | --inbox | --web | --bundle | --catalog | --portal | --designer: that row alone]
 *
 * Measures, in one run and side by side:
 *  - bare bpmn-engine in memory (parse once; start, signal, signal, end): the ceiling;
 *  - this runtime through the use-case layer on SQLite and on PostgreSQL (start,
 *    complete, complete — every step a committed transaction);
 *  - the same on both with the case history's hash chain off (what tamper evidence costs);
 *  - persisted state bytes of a waiting instance of the 10-node fixture;
 *  - RSS growth per 10,000 waiting instances (they live in the database, not in memory);
 *  - forms validated per second (scripts/bench/forms.ts);
 *  - jobs through outbox → queue → simulator → callback → instance, on both queues
 *    with one and two worker processes (scripts/bench/jobs.ts);
 *  - a clerk's inbox page with 1,000,000 tasks in PostgreSQL, API against the same
 *    raw SQL (scripts/bench/inbox.ts; `--inbox` runs this row alone);
 *  - the workbench's claimable list in Chromium against the same seed: navigation to
 *    the first rows painted, next to the API call alone (scripts/bench/workbench.ts;
 *    `--web` runs this row alone);
 *  - each app's initial JS + CSS, gzip, off Vite's manifest (scripts/bench/bundle.ts;
 *    `--bundle` runs this row alone);
 *  - the service catalog: compile and publish every shipped service, and a compiled
 *    flow's lifecycle against the same flow drawn by hand (scripts/bench/catalog.ts;
 *    `--catalog` runs this row alone).
 * Rounds alternate between the modes and the median is reported, so drift on a
 * busy machine hits all modes alike.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BpmnModdle from 'bpmn-moddle';
import * as Elements from 'bpmn-elements';
import { Engine } from 'bpmn-engine';
import serializer, { TypeResolver } from 'moddle-context-serializer';
import { HandlerRegistry } from '../engine/core/handlers.ts';
import { silentLogger, systemClock } from '../engine/core/ports.ts';
import type { Workflow } from '../engine/core/workflow.ts';
import { migrate, openDatabase, type Database } from '../engine/store/connect.ts';
import { SqlStore } from '../engine/store/sql-store.ts';
import { wireEngine } from '../engine/wiring.ts';
import { benchForms } from './bench/forms.ts';
import { benchJobs } from './bench/jobs.ts';
import { benchInbox } from './bench/inbox.ts';
import { benchBundle } from './bench/bundle.ts';
import { benchDesigner } from './bench/designer.ts';
import { benchCatalog } from './bench/catalog.ts';
import { benchPortal } from './bench/portal.ts';
import { benchWorkbench } from './bench/workbench.ts';
import { freshPostgres } from './bench/postgres.ts';
import { median, round1, round3 } from './bench/stats.ts';

const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const quick = args.has('--quick');
const inboxOnly = args.has('--inbox');
const lifecycleOnly = args.has('--lifecycle');
const webOnly = args.has('--web');
const bundleOnly = args.has('--bundle');
const catalogOnly = args.has('--catalog');
const portalOnly = args.has('--portal');
const designerOnly = args.has('--designer');
const PORTAL = { loads: 20 };
const DESIGNER = { loads: quick ? 3 : 6, scenarioRuns: quick ? 5 : 20 };
const CATALOG = { rounds: quick ? 3 : 9, perRound: quick ? 50 : 200 };
const INBOX = { tasks: 1_000_000, rounds: quick ? 3 : 6, perRound: quick ? 50 : 100 };
const WEB = { tasks: quick ? 100_000 : 1_000_000, loads: 30 };
const here = path.dirname(fileURLToPath(import.meta.url));
const LIFECYCLE_XML = fs.readFileSync(path.join(here, 'bench/lifecycle.bpmn'), 'utf8');
const TEN_NODES_XML = fs.readFileSync(path.join(here, 'bench/ten-nodes.bpmn'), 'utf8');
const ROUNDS = quick ? 3 : 15;
const PER_ROUND = quick ? 200 : 300;
const CONCURRENCY = 16;
const WAITING = quick ? 2000 : 10_000;
const log = (...parts: unknown[]) => {
  if (!json) console.error(...parts);
};

// ---- the ceiling: bare bpmn-engine ------------------------------------------------------

async function bareEngine(): Promise<() => Promise<void>> {
  const moddle = await new BpmnModdle().fromXML(LIFECYCLE_XML);
  const sourceContext = serializer(moddle, TypeResolver(Elements as unknown as Record<string, unknown>));
  const Logger = () => ({ debug() {}, warn() {}, error() {} });
  return async () => {
    const engine = new Engine({ name: 'bench', sourceContext, Logger, variables: { approved: true } } as never);
    await engine.execute();
    const execution = engine.execution as unknown as { signal(message: { id: string }): void };
    execution.signal({ id: 'review' });
    execution.signal({ id: 'sign' });
    if (engine.state !== 'idle') throw new Error(`bare engine did not end: ${engine.state}`);
  };
}

// ---- this runtime --------------------------------------------------------------------

async function runtimeOn(db: Database, cacheSize: number, chained = true): Promise<{ workflow: Workflow; lifecycle: () => Promise<void> }> {
  const { workflow } = wireEngine({ db, clock: systemClock, logger: silentLogger, handlers: new HandlerRegistry(), config: { cacheSize }, chained });
  await workflow.deploy(LIFECYCLE_XML, 'bench');
  await workflow.deploy(TEN_NODES_XML, 'bench');
  const taskOf = (instance: { activities: Array<{ taskId?: string }> }) => {
    const taskId = instance.activities[0]?.taskId;
    if (!taskId) throw new Error('no task');
    return taskId;
  };
  return {
    workflow,
    lifecycle: async () => {
      const started = await workflow.start({ processKey: 'bench', variables: { approved: true } }, 'bench');
      const first = await workflow.complete(taskOf(started), {}, 'bench');
      const second = await workflow.complete(taskOf(first.instance), {}, 'bench');
      if (second.instance.state !== 'completed') throw new Error('instance did not end');
    },
  };
}

/** Lifecycles per wall-clock second, and per CPU second of the whole process (all threads). */
async function throughput(lifecycle: () => Promise<void>, count: number, concurrency: number): Promise<{ wall: number; cpu: number }> {
  let next = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) await lifecycle();
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return { wall: (count / (performance.now() - started)) * 1000, cpu: (count / ((cpu.user + cpu.system) / 1000)) * 1000 };
}

/**
 * The inbox row runs in a process of its own, as an API server would: the heap the
 * other rows leave behind (10,000 instances, engine caches) would put their garbage
 * collection into its p99.
 */
async function inboxInItsOwnProcess(): Promise<Awaited<ReturnType<typeof benchInbox>>> {
  return (await inItsOwnProcess<{ inbox: Awaited<ReturnType<typeof benchInbox>> }>('--inbox')).inbox;
}

/** The workbench row likewise: its server answers a browser as a server process of its own would. */
async function webInItsOwnProcess(): Promise<Awaited<ReturnType<typeof benchWorkbench>>> {
  return (await inItsOwnProcess<{ web: Awaited<ReturnType<typeof benchWorkbench>> }>('--web')).web;
}

async function inItsOwnProcess<T>(flag: string): Promise<T> {
  const { execFile } = await import('node:child_process');
  const args = [...process.execArgv, fileURLToPath(import.meta.url), flag, '--json', ...(quick ? ['--quick'] : [])];
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, args, { maxBuffer: 10 * 1024 * 1024 }, (err, out, errOut) => (err ? reject(new Error(`${flag} row failed: ${errOut}`)) : resolve(out))),
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

// ---- databases ------------------------------------------------------------------------

async function main(): Promise<void> {
  if (inboxOnly) {
    const inbox = await benchInbox({ ...INBOX, log });
    if (json) console.log(JSON.stringify({ inbox }));
    else printInbox(inbox);
    return;
  }
  if (webOnly) {
    const web = await benchWorkbench({ ...WEB, log });
    if (json) console.log(JSON.stringify({ web }));
    else printWeb(web);
    return;
  }
  if (bundleOnly) {
    const bundle = await benchBundle();
    if (json) console.log(JSON.stringify({ bundle }));
    else printBundle(bundle);
    return;
  }
  if (catalogOnly) {
    const catalog = await benchCatalog({ ...CATALOG, log });
    if (json) console.log(JSON.stringify({ catalog }));
    else printCatalog(catalog);
    return;
  }
  if (portalOnly) {
    const portal = await benchPortal({ ...PORTAL, log });
    if (json) console.log(JSON.stringify({ portal }));
    else printPortal(portal);
    return;
  }
  if (designerOnly) {
    const designer = await benchDesigner({ ...DESIGNER, log });
    if (json) console.log(JSON.stringify({ designer }));
    else printDesigner(designer);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-bench-'));
  const sqlite = await openDatabase(`sqlite:${path.join(dir, 'bench.sqlite')}`);
  await migrate(sqlite);
  const postgres = await freshPostgres();
  const pgDb = await openDatabase(postgres.url, { poolMax: 10 });
  await migrate(pgDb);

  try {
    const bare = await bareEngine();
    const onSqlite = await runtimeOn(sqlite, 32);
    const onPostgres = await runtimeOn(pgDb, 32);
    const coldSqlite = await runtimeOn(sqlite, 0);
    // The case history's hash chain off: what tamper evidence costs (target: chained ≥ 0.95 of this).
    const unchainedSqlite = await runtimeOn(sqlite, 32, false);
    const unchainedPostgres = await runtimeOn(pgDb, 32, false);
    // Pairs compared with each other run next to each other.
    const modes: Record<string, { run: () => Promise<void>; concurrency: number }> = {
      bare: { run: bare, concurrency: 1 },
      sqlite: { run: onSqlite.lifecycle, concurrency: CONCURRENCY },
      sqliteUnchained: { run: unchainedSqlite.lifecycle, concurrency: CONCURRENCY },
      postgres: { run: onPostgres.lifecycle, concurrency: CONCURRENCY },
      postgresUnchained: { run: unchainedPostgres.lifecycle, concurrency: CONCURRENCY },
      sqliteNoCache: { run: coldSqlite.lifecycle, concurrency: CONCURRENCY },
    };
    for (const mode of Object.values(modes)) await throughput(mode.run, 100, mode.concurrency); // warm up
    const samples: Record<string, number[]> = Object.fromEntries(Object.keys(modes).map((k) => [k, []]));
    const cpuSamples: Record<string, number[]> = Object.fromEntries(Object.keys(modes).map((k) => [k, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Every other round runs the modes in reverse, so that what a mode leaves behind (garbage, a warm cache) weighs on each alike.
      const order = round % 2 ? Object.entries(modes).reverse() : Object.entries(modes);
      for (const [name, mode] of order) {
        const measured = await throughput(mode.run, PER_ROUND, mode.concurrency);
        samples[name]!.push(measured.wall);
        cpuSamples[name]!.push(measured.cpu);
        log(`round ${round + 1}/${ROUNDS} ${name}: ${measured.wall.toFixed(0)}/s`);
      }
    }
    const rate = (mode: string) => median(samples[mode]!);
    const cpuRate = (mode: string) => median(cpuSamples[mode]!);
    if (lifecycleOnly) {
      const ratio = (a: string, b: string) => `${round3(rate(a) / rate(b))} (per CPU second ${round3(cpuRate(a) / cpuRate(b))})`;
      for (const mode of Object.keys(modes)) console.log(`${mode.padEnd(18)} ${round1(rate(mode))}/s`);
      console.log(`SQLite/bare ${ratio('sqlite', 'bare')}; PostgreSQL/bare ${ratio('postgres', 'bare')}`);
      console.log(`chained/unchained: SQLite ${ratio('sqlite', 'sqliteUnchained')}; PostgreSQL ${ratio('postgres', 'postgresUnchained')}`);
      return;
    }
    const perSecond = {
      bare: rate('bare'),
      sqlite: rate('sqlite'),
      postgres: rate('postgres'),
      sqliteNoCache: rate('sqliteNoCache'),
      sqliteUnchained: rate('sqliteUnchained'),
      postgresUnchained: rate('postgresUnchained'),
    };

    const forms = await benchForms(quick ? 3 : 9, log);
    const state = await stateSize(onSqlite.workflow, sqlite);
    const memory = await memoryPerWaiting(onSqlite.workflow);
    // Last: its server processes and HTTP clients would weigh on the memory figure.
    const jobs = await benchJobs({ rounds: quick ? 1 : 3, perRound: quick ? 100 : 400, redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379', log });
    const inbox = await inboxInItsOwnProcess();
    const web = await webInItsOwnProcess();
    const bundle = await benchBundle();
    const catalog = await benchCatalog({ ...CATALOG, log });
    const portal = await benchPortal({ ...PORTAL, log });
    const designer = await benchDesigner({ ...DESIGNER, log });

    const spread = (mode: string) => ({ min: round1(Math.min(...samples[mode]!)), max: round1(Math.max(...samples[mode]!)) });
    const result = {
      lifecyclesPerSecondSpread: {
        bareEngine: spread('bare'),
        sqlite: spread('sqlite'),
        postgres: spread('postgres'),
        sqliteWithoutEngineCache: spread('sqliteNoCache'),
        sqliteUnchained: spread('sqliteUnchained'),
        postgresUnchained: spread('postgresUnchained'),
      },
      lifecyclesPerSecond: {
        bareEngine: round1(perSecond.bare),
        sqlite: round1(perSecond.sqlite),
        postgres: round1(perSecond.postgres),
        sqliteWithoutEngineCache: round1(perSecond.sqliteNoCache),
        sqliteUnchained: round1(perSecond.sqliteUnchained),
        postgresUnchained: round1(perSecond.postgresUnchained),
      },
      lifecyclesPerCpuSecond: {
        bareEngine: round1(cpuRate('bare')),
        sqlite: round1(cpuRate('sqlite')),
        postgres: round1(cpuRate('postgres')),
      },
      cpuRatioToBareEngine: {
        sqlite: round3(cpuRate('sqlite') / cpuRate('bare')),
        postgres: round3(cpuRate('postgres') / cpuRate('bare')),
      },
      ratioToBareEngine: {
        sqlite: round3(perSecond.sqlite / perSecond.bare),
        postgres: round3(perSecond.postgres / perSecond.bare),
        sqliteWithoutEngineCache: round3(perSecond.sqliteNoCache / perSecond.bare),
      },
      /** The history's hash chain on against off, in the same run (per CPU second beside it). */
      chainingRatio: {
        sqlite: round3(perSecond.sqlite / perSecond.sqliteUnchained),
        postgres: round3(perSecond.postgres / perSecond.postgresUnchained),
        sqlitePerCpuSecond: round3(cpuRate('sqlite') / cpuRate('sqliteUnchained')),
        postgresPerCpuSecond: round3(cpuRate('postgres') / cpuRate('postgresUnchained')),
      },
      targets: { sqlite: 0.8, postgres: 0.6, stateBytes: 2048, chaining: 0.95 },
      forms,
      jobs,
      inbox,
      web,
      bundle,
      catalog,
      portal,
      designer,
      waitingInstanceStateBytes: state,
      rssPer10kWaitingInstancesMB: memory,
      settings: { rounds: ROUNDS, lifecyclesPerRound: PER_ROUND, concurrency: CONCURRENCY, engineCache: 32, cpus: os.cpus().length, node: process.version },
    };
    if (json) console.log(JSON.stringify(result));
    else printTable(result);
  } finally {
    await sqlite.close();
    await pgDb.close();
    await postgres.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function stateSize(workflow: Workflow, db: Database) {
  const instance = await workflow.start({ processKey: 'ten', variables: { amount: 8000, applicant: '张三' } }, 'bench');
  const record = await new SqlStore(db).getInstance(instance.id);
  const engineState = record!.engineState!.length;
  const variables = JSON.stringify(record!.variables).length;
  const waits = JSON.stringify(record!.waits).length;
  return { engineState, variables, waits, total: engineState + variables + waits };
}

/** Start WAITING instances that stay waiting; measure resident memory after GC, scaled to 10,000. */
async function memoryPerWaiting(workflow: Workflow) {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().rss;
  let started = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (started++ < WAITING) await workflow.start({ processKey: 'ten', variables: { amount: 1 } }, 'bench');
    }),
  );
  gc?.();
  const after = process.memoryUsage().rss;
  return round1(((after - before) / 1e6) * (10_000 / WAITING));
}

function printTable(r: {
  chainingRatio: Record<string, number>;
  lifecyclesPerSecond: Record<string, number>;
  lifecyclesPerSecondSpread: Record<string, { min: number; max: number }>;
  ratioToBareEngine: Record<string, number>;
  cpuRatioToBareEngine: Record<string, number>;
  lifecyclesPerCpuSecond: Record<string, number>;
  waitingInstanceStateBytes: Record<string, number>;
  forms: Awaited<ReturnType<typeof benchForms>>;
  jobs: Awaited<ReturnType<typeof benchJobs>>;
  inbox: Awaited<ReturnType<typeof benchInbox>>;
  web: Awaited<ReturnType<typeof benchWorkbench>>;
  bundle: Awaited<ReturnType<typeof benchBundle>>;
  catalog: Awaited<ReturnType<typeof benchCatalog>>;
  portal: Awaited<ReturnType<typeof benchPortal>>;
  designer: Awaited<ReturnType<typeof benchDesigner>>;
  rssPer10kWaitingInstancesMB: number;
  settings: Record<string, unknown>;
}) {
  const range = (mode: string) => `${r.lifecyclesPerSecondSpread[mode]!.min.toFixed(0)}–${r.lifecyclesPerSecondSpread[mode]!.max.toFixed(0)}`;
  const rows: Array<[string, string, string, string, string]> = [
    ['mode', 'lifecycles/s (median)', 'rounds min–max', 'ratio to bare', 'target'],
    ['bare bpmn-engine (in memory)', r.lifecyclesPerSecond.bareEngine!.toFixed(1), range('bareEngine'), '1.000', 'ceiling'],
    ['runtime + SQLite', r.lifecyclesPerSecond.sqlite!.toFixed(1), range('sqlite'), r.ratioToBareEngine.sqlite!.toFixed(3), '≥ 0.8'],
    ['runtime + PostgreSQL', r.lifecyclesPerSecond.postgres!.toFixed(1), range('postgres'), r.ratioToBareEngine.postgres!.toFixed(3), '≥ 0.6'],
    [
      'runtime + SQLite, engine cache off',
      r.lifecyclesPerSecond.sqliteWithoutEngineCache!.toFixed(1),
      range('sqliteWithoutEngineCache'),
      r.ratioToBareEngine.sqliteWithoutEngineCache!.toFixed(3),
      '(info)',
    ],
    ['runtime + SQLite, history unchained', r.lifecyclesPerSecond.sqliteUnchained!.toFixed(1), range('sqliteUnchained'), `chained ${r.chainingRatio.sqlite!.toFixed(3)}`, '≥ 0.95'],
    ['runtime + PostgreSQL, history unchained', r.lifecyclesPerSecond.postgresUnchained!.toFixed(1), range('postgresUnchained'), `chained ${r.chainingRatio.postgres!.toFixed(3)}`, '≥ 0.95'],
  ];
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  const c = r.lifecyclesPerCpuSecond;
  console.log(
    `\nper CPU second (all threads; less sensitive to a busy machine): bare ${c.bareEngine}, SQLite ${c.sqlite} (${r.cpuRatioToBareEngine.sqlite}), PostgreSQL ${c.postgres} (${r.cpuRatioToBareEngine.postgres}; its server's CPU is not counted)`,
  );
  const f = r.forms;
  console.log(
    `\nforms (${f.fields}-field application): ${f.validationsPerSecond.project}/s through the project's validation path vs ${f.validationsPerSecond.bareAjv}/s bare ajv = ${f.ratio} (target ≥ ${f.target});` +
      ` with four mistakes ${f.validationsPerSecond.projectWithErrors}/s vs ${f.validationsPerSecond.bareAjvWithErrors}/s = ${f.ratioWithErrors} (bare ajv stops at the first error, unlocalised; ours reports all, in the caller's language)`,
  );
  const j = r.jobs;
  console.log(`\njobs (outbox → queue → SMS simulator over HTTP → signed report → instance ends; PostgreSQL, server processes):`);
  for (const [setup, ratio] of Object.entries(j.ratioToGatewayAlone)) {
    console.log(`  ${setup.padEnd(22)} ${String(j.perSecond[setup]).padStart(7)} instances/s = ${ratio.toFixed(3)} of the gateway round trip alone (${j.perSecond[`gateway alone (${setup})`]}/s)`);
  }
  printInbox(r.inbox);
  printWeb(r.web);
  printBundle(r.bundle);
  printCatalog(r.catalog);
  printPortal(r.portal);
  printDesigner(r.designer);
  const s = r.waitingInstanceStateBytes;
  console.log(`\nwaiting 10-node instance: engine state ${s.engineState} B + variables ${s.variables} B + waits ${s.waits} B = ${s.total} B (target < 2048)`);
  console.log(`RSS per 10,000 waiting instances: ${r.rssPer10kWaitingInstancesMB} MB`);
  console.log(`settings: ${JSON.stringify(r.settings)}`);
}

function printInbox(i: Awaited<ReturnType<typeof benchInbox>>) {
  console.log(
    `\ninbox (a clerk's open tasks in 3 of 200 groups, by due date, page of 20; ${i.tasks.toLocaleString()} tasks in PostgreSQL, ${i.matching} matching):` +
      `\n  API p50 ${i.apiMs.p50} ms, p99 ${i.apiMs.p99} ms; the same ${i.statements} SQL statements raw p50 ${i.rawSqlMs.p50} ms, p99 ${i.rawSqlMs.p99} ms;` +
      ` ratio p50 ${i.ratioP50}, p99 ${i.ratioP99} (targets: p99 < ${i.targets.p99Ms} ms, ratio ≤ ${i.targets.ratio}); seeding took ${i.seedSeconds} s`,
  );
}

function printWeb(w: Awaited<ReturnType<typeof benchWorkbench>>) {
  const m = w.milestonesP50Ms;
  console.log(
    `\nworkbench (${w.path} in Chromium, warm cache; ${w.tasks.toLocaleString()} tasks in PostgreSQL, ${w.matching} claimable; ${w.loads} loads):` +
      `\n  navigation → first rows painted p50 ${w.pageMs.p50} ms, p95 ${w.pageMs.p95} ms (cold, once: ${w.coldMs} ms);` +
      ` the list's API call alone p50 ${w.apiMs.p50} ms, p95 ${w.apiMs.p95} ms; ratio p50 ${w.ratioP50}, p95 ${w.ratioP95}` +
      `\n  target ${w.target.rule} = ${w.target.p95LimitMs} ms: ${w.target.met ? 'met' : 'NOT MET'}; seeding took ${w.seedSeconds} s` +
      `\n  ${w.serverRendered} of ${w.loads} loads came with their rows rendered by the server; p50 milestones from navigation start: document ${m.documentLoaded} ms,` +
      ` rows painted ${w.pageMs.p50} ms, entry scripts run ${m.entryScriptsRun} ms, the list usable (hydrated) ${m.interactive} ms` +
      `\n  load average ${w.loadAverage.before} → ${w.loadAverage.after} on ${w.cpus} CPUs`,
  );
}

function printCatalog(c: Awaited<ReturnType<typeof benchCatalog>>) {
  console.log(
    `\nservice catalog: ${c.services} services validated and compiled in ${c.validateAndCompileAllMs} ms; published (forms + BPMN) in ${c.publishAllMs} ms, again unchanged in ${c.republishUnchangedMs} ms`,
  );
  console.log(`  lifecycle compiled from rows ${c.lifecyclesPerSecond.compiled}/s, drawn by hand ${c.lifecyclesPerSecond.hand}/s: ratio ${c.compiledToHand} (target ≥ ${c.target})`);
}

function printPortal(p: Awaited<ReturnType<typeof benchPortal>>) {
  console.log(`\nportal (the service hall at 390×844 in Chromium, CPU ×4 slower, Fast 3G, cold cache, ${p.loads} loads):`);
  console.log(`  largest contentful paint p50 ${p.lcpP50Ms} ms, p75 ${p.lcpP75Ms} ms (target p75 ≤ ${p.targetMs} ms: ${p.met ? 'met' : 'NOT MET'})`);
}

function printDesigner(d: Awaited<ReturnType<typeof benchDesigner>>) {
  console.log(`\ndesigner (a flow of ${d.elements} elements opened in the BPMN view in Chromium; a scenario of ${d.scenarioSteps} steps on the virtual clock):`);
  console.log(`  open: first ${d.firstOpenMs} ms (cold code cache), then median ${d.openP50Ms} ms, navigation start to every element shown`);
  console.log(
    `  scenario: median ${d.scenarioP50Ms} ms, max ${d.scenarioMaxMs} ms server time (target < ${d.scenarioTargetMs} ms: ${d.met ? 'met' : 'NOT MET'}); deploying the draft into its sandbox first: median ${d.sandboxDeployP50Ms} ms`,
  );
}

function printBundle(b: Awaited<ReturnType<typeof benchBundle>>) {
  const budget = b.budgetKb as Record<string, number | undefined>;
  console.log(`\nbundle (initial JS + CSS a browser downloads before an app's first page, gzip):`);
  for (const [app, a] of Object.entries(b.apps)) {
    const limit = budget[app];
    console.log(
      `  ${app.padEnd(10)} ${String(a.totalKb).padStart(6)} KB (JS ${a.jsKb} KB, CSS ${a.cssKb} KB)` +
        `${limit ? `; budget ≤ ${limit} KB: ${a.totalKb <= limit ? 'met' : 'NOT MET'}` : ''}; diagram viewer ${a.diagramIncluded ? 'INCLUDED' : 'not included'}`,
    );
  }
  console.log(`  diagram viewer, loaded when a case page opens: ${b.diagramKb} KB`);
}

await main();
