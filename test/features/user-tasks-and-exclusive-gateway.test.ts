import { expect } from 'chai';
import { count } from '../support/databases.ts';
import { describeOnBothStores } from '../support/harness.ts';

describeOnBothStores('user tasks and the exclusive gateway', (ctx) => {
  beforeEach(() => ctx().deploy('approval'));

  it('Given a travel claim over 5000, when it is submitted, then the director gets the task', async () => {
    const { start, complete, waitingIn, activeTasks } = ctx();
    const instance = await start('approval', { applicant: 'ann' });
    const [submit] = await activeTasks(instance.id);
    expect(submit).to.include({ activityId: 'submit', assignee: 'ann', name: 'Submit' });

    await complete(instance.id, 'submit', { amount: 8000, type: 'travel' }, 'ann');

    expect(await waitingIn(instance.id)).to.deep.equal(['director']);
    const [director] = await activeTasks(instance.id);
    expect(director!.candidateGroups).to.deep.equal(['directors']);
  });

  it('Given a small claim, when it is submitted, then the default flow leads to the manager', async () => {
    const { start, complete, waitingIn, activeTasks } = ctx();
    const instance = await start('approval', { applicant: 'ann' });
    await complete(instance.id, 'submit', { amount: 8000, type: 'office' }, 'ann');
    expect(await waitingIn(instance.id)).to.deep.equal(['manager']);
    const [manager] = await activeTasks(instance.id);
    expect(manager!.candidateGroups).to.deep.equal(['managers', 'leads']);
    expect((await ctx().wf.listTasks({ candidateGroups: ['leads'], state: 'active' }, { offset: 0, limit: 10 })).items.map((t) => t.id)).to.deep.equal([manager!.id]);
    // Each task carries who started its case, for the inbox to show and filter.
    expect(manager!.initiator).to.equal(instance.startedBy);
    expect((await ctx().wf.listTasks({ initiator: instance.startedBy!, state: 'active' }, { offset: 0, limit: 10 })).items.map((t) => t.id)).to.deep.equal([manager!.id]);
    expect((await ctx().wf.listTasks({ initiator: 'nobody', state: 'active' }, { offset: 0, limit: 10 })).items).to.deep.equal([]);

    // Candidate rows exist only while the task is open: the inbox index stays small.
    await complete(instance.id, 'manager', {}, 'mike');
    expect(await count(ctx().db, 'wf_task_candidates', 'task_id = $1', [manager!.id])).to.equal(0);
    expect((await ctx().wf.listTasks({ candidateGroups: ['leads'], state: 'active' }, { offset: 0, limit: 10 })).items).to.deep.equal([]);
  });

  it('When the last task completes, then the instance ends and history tells the whole story', async () => {
    const { start, complete, instance: get, wf } = ctx();
    const instance = await start('approval', { applicant: 'ann' });
    await complete(instance.id, 'submit', { amount: 100, type: 'office' }, 'ann');
    await complete(instance.id, 'manager', { approved: true }, 'mike');

    const done = await get(instance.id);
    expect(done.state).to.equal('completed');
    expect(done.activities).to.deep.equal([]);
    expect(done.variables).to.deep.equal({ applicant: 'ann', amount: 100, type: 'office', approved: true });

    const history = (await wf.history(instance.id, { offset: 0, limit: 100 })).items;
    const kinds = history.map((h) => `${h.kind}${h.activityId ? `:${h.activityId}` : ''}`);
    expect(kinds[0]).to.equal('instance.start');
    expect(kinds.at(-1)).to.equal('instance.end');
    expect(kinds).to.include.members(['task.create:submit', 'task.complete:submit', 'activity.start:amountCheck', 'activity.end:manager', 'task.complete:manager']);
    expect(history.find((h) => h.kind === 'task.complete' && h.activityId === 'manager')!.actor).to.equal('mike');
    expect(history.filter((h) => h.kind === 'variable.set').map((h) => h.data!.name)).to.have.members(['applicant', 'amount', 'type', 'approved']);
  });

  it('When a completed task is completed again, then it is refused with 409 and nothing changes', async () => {
    const { start, complete, activeTasks, wf, instance: get } = ctx();
    const instance = await start('approval', { applicant: 'ann' });
    const [submit] = await activeTasks(instance.id);
    await complete(instance.id, 'submit', { amount: 1, type: 'x' }, 'ann');
    const before = await get(instance.id);
    const error = await wf.complete(submit!.id, { amount: 9999 }, 'ann').catch((e: unknown) => e);
    expect(error).to.include({ code: 'WF_ERR_TASK_NOT_ACTIVE', status: 409 });
    expect(await get(instance.id)).to.deep.equal(before);
  });

  it('When a condition references a missing variable, then completion fails with a clear 422 and the task stays open', async () => {
    const { start, activeTasks, wf, waitingIn } = ctx();
    const instance = await start('approval', { applicant: 'ann' });
    const [submit] = await activeTasks(instance.id);
    const error = await wf.complete(submit!.id, { type: 'travel' }, 'ann').catch((e: unknown) => e);
    expect(error).to.include({ code: 'WF_ERR_EXPRESSION', status: 422 });
    expect((error as { context: { identifier: string; elementId: string } }).context).to.include({ identifier: 'amount', elementId: 'amountCheck' });
    expect(await waitingIn(instance.id)).to.deep.equal(['submit']);
    expect((await activeTasks(instance.id))[0]!.state).to.equal('active');
  });
});
