/**
 * npm run scenarios -- <definition>…  (default: every shipped definition with scenarios)
 * Runs the scenarios saved in each BPMN file in sandboxes and prints each step; exits 1 when one fails.
 */
import path from 'node:path';
import { definitionFile, runFileScenarios, shippedWithScenarios } from '../engine/shipped-scenarios.ts';

const names = process.argv.slice(2);
const files = names.length ? names.map(definitionFile) : shippedWithScenarios();
let failed = 0;
for (const { file, run } of await runFileScenarios(files)) {
  console.log(`\n${path.relative(process.cwd(), file)}`);
  for (const p of run.problems) {
    failed++;
    console.log(`  ✗ ${p.scenario}: ${p.message['zh-CN']}`);
  }
  if (!run.results.length && !run.problems.length) console.log('  (no scenarios)');
  for (const r of run.results) {
    console.log(`  ${r.passed ? '✓' : '✗'} ${r.name} (${r.ms.toFixed(0)} ms; path ${r.path.join(' → ')})`);
    for (const s of r.steps) if (!s.ok) console.log(`      step ${s.index + 1}: ${s.message?.['zh-CN']}`);
    if (!r.passed) failed++;
  }
}
console.log(failed ? `\n${failed} failed` : '\nall passed');
process.exit(failed ? 1 : 0);
