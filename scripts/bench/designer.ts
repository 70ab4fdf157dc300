/**
 * The designer row: how long the BPMN view takes to open a large flow, and
 * how long a scenario of 20 steps takes on the server.
 *  - A flow of 40 approvers in a row (each with its reject gateway and end:
 *    243 elements with the flows), compiled from an approval tree and
 *    deployed; the analyst opens /designer/bpmn/<key> in Debian's Chromium
 *    (1440 × 900, a fresh context each time, the product as `npm start`
 *    wires it on SQLite). Measured from navigation start to the modeler
 *    showing every element; the first load (cold code cache) is reported
 *    apart from the median of the others.
 *  - The 20-step scenario (10 approvals, 10 expectations) on that flow, run
 *    in a sandbox on the virtual clock; the server time of its start and
 *    steps as the runner reports it, median of the runs (target: under
 *    200 ms), and apart the time deploying the draft into the sandbox took.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { compileTree } from '../../definitions/approval/compile.ts';
import type { ApprovalTree, TreeNode } from '../../definitions/approval/tree.ts';
import { DEFINITIONS_DIR } from '../../engine/wiring.ts';
import { ensureWebBuild } from '../../engine/web-build.ts';
import { startDemoServer } from './demo-server.ts';
import { percentile } from './stats.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const APPROVERS = 40;
const SCENARIO_TARGET_MS = 200;

function longFlow(): ApprovalTree {
  let first: TreeNode | null = null;
  for (let i = APPROVERS; i >= 1; i--) first = { type: 'approver', id: `step${i}`, name: `第 ${i} 级审批`, assignees: 'department-head', next: first };
  return { key: 'bench-long', name: '四十级审批', form: null, initiator: {}, first };
}

const twentySteps = {
  start: { by: 'zhangsan', data: {} },
  steps: Array.from({ length: 10 }, (_, i) => [
    { expect: 'assignee', task: `step${i + 1}`, user: 'lisi' },
    { do: 'approve', task: `step${i + 1}` },
  ]).flat(),
};

export async function benchDesigner(options: { loads: number; scenarioRuns: number; log(line: string): void }) {
  await ensureWebBuild(options.log);
  const { server, base, close } = await startDemoServer('designer');
  const xml = compileTree(longFlow());
  await server.workflow.deploy(xml, 'analyst');
  const elements = (xml.match(/<bpmndi:BPMN(Shape|Edge) /g) ?? []).length;
  const password = (JSON.parse(readFileSync(path.join(DEFINITIONS_DIR, 'org', 'demo-org.json'), 'utf8')) as { password: string }).password;

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const opens: number[] = [];
  try {
    for (let i = 0; i < options.loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      await context.request.post(`${base}/api/auth/login`, { data: { username: 'analyst', password } });
      const page = await context.newPage();
      await page.goto(`${base}/designer/bpmn/bench-long`);
      await page.waitForFunction(`(window.__wfModeler?.get('elementRegistry').filter((e) => e.type !== 'label' && e.type !== 'bpmn:Process').length ?? 0) >= ${elements}`, undefined, {
        timeout: 60_000,
        polling: 10,
      });
      opens.push(Math.round(await page.evaluate<number>('performance.now()')));
      await context.close();
      options.log(`designer open ${i + 1}/${options.loads}: ${opens.at(-1)} ms`);
    }
  } finally {
    await browser.close();
  }
  const scenarioMs: number[] = [];
  const deployMs: number[] = [];
  try {
    for (let i = 0; i < options.scenarioRuns; i++) {
      const { results } = await server.workflow.simulate(xml, [twentySteps], 'analyst');
      const [result] = results;
      if (!result?.passed) throw new Error(`the bench scenario failed: ${JSON.stringify(result?.steps.filter((s) => !s.ok))}`);
      scenarioMs.push(Math.round(result.ms * 10) / 10);
      deployMs.push(Math.round(result.deployMs * 10) / 10);
    }
  } finally {
    await close();
  }
  const scenarioP50 = percentile(scenarioMs, 0.5);
  return {
    elements,
    firstOpenMs: opens[0]!,
    openP50Ms: percentile(opens.slice(1), 0.5),
    scenarioSteps: twentySteps.steps.length,
    scenarioP50Ms: scenarioP50,
    scenarioMaxMs: Math.max(...scenarioMs),
    sandboxDeployP50Ms: percentile(deployMs, 0.5),
    scenarioTargetMs: SCENARIO_TARGET_MS,
    met: scenarioP50 < SCENARIO_TARGET_MS,
  };
}
