/**
 * The catalog row of the benchmark:
 *  - validate + compile every shipped service (pure), and compile + publish them all
 *    (forms and BPMN deployed on SQLite), in milliseconds;
 *  - the lifecycle of a service compiled from rows (start, review, issue) against the
 *    same flow drawn by hand (scripts/bench/catalog-hand.bpmn), in alternating rounds on
 *    SQLite: compiled flows must cost nothing extra at run time (target ≥ 0.95).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileService } from '../../definitions/catalog/compile.ts';
import { validateCatalog } from '../../definitions/catalog/validate.ts';
import { shippedCatalog } from '../../engine/catalog-content.ts';
import { loadDemoOrg } from '../../engine/demo-org.ts';
import { HandlerRegistry } from '../../engine/core/handlers.ts';
import { silentLogger, systemClock } from '../../engine/core/ports.ts';
import { editCatalog, publishService, serviceStatuses } from '../../engine/core/usecases/catalog.ts';
import type { Workflow } from '../../engine/core/workflow.ts';
import { migrate, openDatabase } from '../../engine/store/connect.ts';
import { wireEngine } from '../../engine/wiring.ts';
import { median, round1, round3 } from './stats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const HAND = fs.readFileSync(path.join(here, 'catalog-hand.bpmn'), 'utf8');

/** The same pre-review as rows: review → decision → issue, or the end 不予受理. */
const ROWS = {
  services: [{ number: 'bench', name: '预审（目录）', class: '04', type: '1', needsMaterials: false, defaultOffice: 'traffic-window', offices: ['traffic-window'] }],
  nodes: [
    { service: 'bench', seq: 1, name: '业务初审', type: 'normal', state: 'pending-review', operations: ['review'], next: 2 },
    { service: 'bench', seq: 2, name: '初审结果', type: 'decision', decisionField: 'reviewResult', next: 90 },
    { service: 'bench', seq: 3, name: '制证发放', type: 'normal', state: 'issued', operations: ['issue'], next: 99 },
    { service: 'bench', seq: 90, name: '不予受理', type: 'normal', state: 'refused' },
    { service: 'bench', seq: 99, name: '已办结', type: 'normal', state: 'done' },
  ],
  rules: [{ service: 'bench', code: 'pass', node: 2, operator: '=', value: 'pass', next: 3 }],
};

async function timed(run: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

function lifecycleOf(workflow: Workflow, processKey: string) {
  return async () => {
    const started = await workflow.submitStartForm(processKey, { data: { declaration: true } }, 'citizen', 'zh-CN');
    const review = started.activities[0]!.taskId!;
    const issued = await workflow.submitTaskForm(review, { reviewResult: 'pass' }, 'zhoubo', 'zh-CN');
    const done = await workflow.submitTaskForm(issued.instance.activities[0]!.taskId!, {}, 'zhoubo', 'zh-CN');
    if (done.instance.state !== 'completed') throw new Error(`${processKey} did not end`);
  };
}

export async function benchCatalog(options: { rounds: number; perRound: number; log: (...parts: unknown[]) => void }) {
  const raw = await shippedCatalog();
  const compileAll = await timed(() => {
    const { catalog, problems } = validateCatalog(raw);
    if (problems.length) throw new Error(problems[0]!.message.en);
    for (const s of catalog.services) if ('problems' in compileService(catalog, s.number)) throw new Error(`${s.number} does not compile`);
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-bench-catalog-'));
  const db = await openDatabase(`sqlite:${path.join(dir, 'bench.sqlite')}`);
  try {
    await migrate(db);
    const handlers = new HandlerRegistry();
    const { workflow, admin } = wireEngine({ db, clock: systemClock, logger: silentLogger, handlers, config: { cacheSize: 32 } });
    // Publishing checks that each connector operation exists; the lifecycles measured below call none.
    for (const op of raw.operations as Array<{ topic?: string }>) if (op.topic && !handlers.get(op.topic)) handlers.register(op.topic, async () => ({}));
    await admin.ensureBuiltinRoles();
    await loadDemoOrg(admin, { passwords: false, threeAdmins: false });
    for (const file of fs.readdirSync(path.join(here, '../../definitions/dictionaries'))) {
      const { key, ...input } = JSON.parse(fs.readFileSync(path.join(here, '../../definitions/dictionaries', file), 'utf8'));
      await workflow.putDictionary(key, input, undefined, 'bench');
    }
    await editCatalog(workflow.services, { put: raw }, 'bench');
    const services = (await serviceStatuses(workflow.services)).map((s) => s.service);
    const publishAll = await timed(async () => {
      for (const s of services) await publishService(workflow.services, s, 'bench');
    });
    const republishAll = await timed(async () => {
      for (const s of services) await publishService(workflow.services, s, 'bench');
    });

    await editCatalog(workflow.services, { put: ROWS }, 'bench');
    await publishService(workflow.services, 'bench', 'bench');
    await workflow.deploy(HAND, 'bench');
    const modes = { compiled: lifecycleOf(workflow, 'svc-bench'), hand: lifecycleOf(workflow, 'svc-hand') };
    const samples: Record<keyof typeof modes, number[]> = { compiled: [], hand: [] };
    for (const run of Object.values(modes)) for (let i = 0; i < 50; i++) await run(); // warm up
    for (let round = 0; round < options.rounds; round++) {
      const order = (round % 2 ? ['hand', 'compiled'] : ['compiled', 'hand']) as Array<keyof typeof modes>;
      for (const mode of order) {
        const ms = await timed(async () => {
          for (let i = 0; i < options.perRound; i++) await modes[mode]();
        });
        samples[mode].push((options.perRound / ms) * 1000);
        options.log(`catalog round ${round + 1}/${options.rounds} ${mode}: ${samples[mode].at(-1)!.toFixed(0)}/s`);
      }
    }
    const compiled = median(samples.compiled);
    const hand = median(samples.hand);
    return {
      services: services.length,
      validateAndCompileAllMs: round1(compileAll),
      publishAllMs: round1(publishAll),
      republishUnchangedMs: round1(republishAll),
      lifecyclesPerSecond: { compiled: round1(compiled), hand: round1(hand) },
      compiledToHand: round3(compiled / hand),
      target: 0.95,
    };
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
