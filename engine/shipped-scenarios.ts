/**
 * `npm run scenarios -- <definition>`: the scenarios saved in BPMN files run
 * against the demo organisation, forms and connectors, each in a sandbox —
 * from the command line, and for every shipped definition in `npm test`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { registerBuiltinHandlers } from './builtin-handlers.ts';
import { HandlerRegistry } from './core/handlers.ts';
import { loadDemoOrg } from './demo-org.ts';
import { silentLogger } from './core/ports.ts';
import type { ScenarioRun } from './core/usecases/scenarios.ts';
import { loadShippedForms } from './server.ts';
import { sandboxDatabase } from './store/connect.ts';
import { DEFINITIONS_DIR, wireConnectors, wireEngine } from './wiring.ts';

/** A definition named as the shipped ones are (`expense`, `examples/sms-approval`) or by its path. */
export function definitionFile(name: string): string {
  if (fs.existsSync(name)) return path.resolve(name);
  for (const dir of ['demo', 'examples', '.']) {
    const file = path.join(DEFINITIONS_DIR, dir, name.endsWith('.bpmn') ? name : `${name}.bpmn`);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`no definition ${name} (a path, or a name under definitions/demo or definitions/examples)`);
}

/** Every shipped BPMN file that saves scenarios. */
export function shippedWithScenarios(): string[] {
  return ['demo', 'examples'].flatMap((dir) =>
    fs
      .readdirSync(path.join(DEFINITIONS_DIR, dir))
      .filter((f) => f.endsWith('.bpmn'))
      .map((f) => path.join(DEFINITIONS_DIR, dir, f))
      .filter((f) => fs.readFileSync(f, 'utf8').includes('<wf:scenario')),
  );
}

export async function runFileScenarios(files: string[]): Promise<Array<{ file: string; run: ScenarioRun }>> {
  const db = await sandboxDatabase();
  const clock = { now: () => Date.now() };
  const { workflow, admin } = wireEngine({ db, clock, logger: silentLogger, handlers: registerBuiltinHandlers(new HandlerRegistry(), silentLogger) });
  const wired = await wireConnectors({ workflow, db, environment: 'scenarios', secretKey: randomBytes(32), simulators: false, baseUrl: () => 'http://127.0.0.1' });
  try {
    await admin.ensureBuiltinRoles();
    await loadDemoOrg(admin, { passwords: false, threeAdmins: false });
    await loadShippedForms(workflow, silentLogger);
    const runs = [];
    for (const file of files) runs.push({ file, run: await workflow.simulate(fs.readFileSync(file, 'utf8'), undefined, 'analyst') });
    return runs;
  } finally {
    await wired.stop();
    await db.close();
  }
}
