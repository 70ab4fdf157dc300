/**
 * The scenarios saved in the shipped definitions, run as `npm run scenarios`
 * runs them (demo organisation, forms and connectors; a sandbox each): every
 * one passes, and there are some to run.
 */
import { expect } from 'chai';
import path from 'node:path';
import { runFileScenarios, shippedWithScenarios } from '../../engine/shipped-scenarios.ts';

describe('the shipped definitions’ scenarios', function () {
  this.timeout(60_000);
  it('pass, each in a sandbox', async () => {
    const files = shippedWithScenarios();
    expect(files.map((f) => path.basename(f))).to.include.members(['expense.bpmn', 'leave.bpmn']);
    const runs = await runFileScenarios(files);
    const failures = runs.flatMap(({ file, run }) => [
      ...run.problems.map((p) => `${path.basename(file)} ${p.scenario}: ${p.message.en}`),
      ...run.results
        .filter((r) => !r.passed)
        .map(
          (r) =>
            `${path.basename(file)} ${r.name}: ${r.steps
              .filter((s) => !s.ok)
              .map((s) => s.message?.en)
              .join('; ')}`,
        ),
    ]);
    expect(failures).to.deep.equal([]);
    expect(runs.flatMap(({ run }) => run.results).length).to.be.at.least(4);
  });
});
