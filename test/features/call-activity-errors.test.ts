import { expect } from 'chai';
import { describeOnBothStores } from '../support/harness.ts';

describeOnBothStores('BPMN errors from a called process', (ctx) => {
  beforeEach(async () => {
    await ctx().deploy('call-error-child');
    await ctx().deploy('call-error-parent');
  });

  async function childOf(parentId: string): Promise<string> {
    const children = await ctx().wf.listInstances({ parentId }, { offset: 0, limit: 10 });
    expect(children.items).to.have.length(1);
    return children.items[0]!.id;
  }

  it('Given the child ends at an error end event, when the call activity has a boundary for that code, then the parent takes the boundary path', async () => {
    const { start, complete, waitingIn, instance } = ctx();
    const parent = await start('call-error-parent');
    const child = await childOf(parent.id);
    await complete(child, 'check', { result: 'denied' });
    expect(await waitingIn(parent.id)).to.deep.equal(['handleDenied']);
    expect((await instance(child)).state).to.equal('completed');
  });

  it('Given the child ends normally, then the parent continues on the normal path', async () => {
    const { start, complete, waitingIn } = ctx();
    const parent = await start('call-error-parent');
    await complete(await childOf(parent.id), 'check', { result: 'fine' });
    expect(await waitingIn(parent.id)).to.deep.equal(['next']);
  });

  it('Given an error code no boundary on the call activity catches, then it ends the child like a none end event and the parent goes on (Camunda 7)', async () => {
    const { start, complete, waitingIn } = ctx();
    const parent = await start('call-error-parent');
    await complete(await childOf(parent.id), 'check', { result: 'other' });
    expect(await waitingIn(parent.id)).to.deep.equal(['next']);
  });
});
