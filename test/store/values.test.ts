/** What goes into the store comes back byte for byte, whatever characters it holds (values reach PostgreSQL as escaped literals). */
import { expect } from 'chai';
import { describeOnBothStores } from '../support/harness.ts';

const AWKWARD = [
  "O'Brien",
  "'; DROP TABLE wf_instances; --",
  'back\\slash \\x00 \\\\ E\'\\\'',
  '$1 $2 $10 placeholders in a value',
  '豫K·A8M21 张三 🚓',
  'line\nbreak\ttab\r',
  '',
];

describeOnBothStores('stored values', (ctx) => {
  it('Given variables and a business key with quotes, backslashes, placeholders and non-ASCII text, when stored and read back, then they are unchanged', async () => {
    const c = ctx();
    await c.deploy('store-values');
    const variables = { texts: AWKWARD, quote: AWKWARD[1]!, nested: { [AWKWARD[3]!]: AWKWARD[2]! }, big: 9_007_199_254_740_991, negative: -0.5, flag: false, none: null };
    const started = await c.start('store-values', variables, AWKWARD[0]! + AWKWARD[4]!);
    const stored = await c.store.getInstance(started.id);
    expect(stored!.variables).to.deep.equal(variables);
    expect(stored!.businessKey).to.equal(AWKWARD[0]! + AWKWARD[4]!);
    const [task] = await c.activeTasks(started.id);
    await c.wf.complete(task!.id, { reply: AWKWARD[5]! }, AWKWARD[1]!);
    const history = (await c.wf.history(started.id, { offset: 0, limit: 100 })).items;
    expect(history.find((h) => h.kind === 'task.complete')?.actor).to.equal(AWKWARD[1]);
    expect(history.find((h) => h.kind === 'variable.set' && (h.data as { name: string }).name === 'reply')?.data).to.deep.equal({ name: 'reply', value: AWKWARD[5] });
    expect(await c.store.getInstance(started.id)).to.have.property('state', 'completed');
  });
});
