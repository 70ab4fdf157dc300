import { expect } from 'chai';
import { describeOnBothStores } from '../support/harness.ts';

describeOnBothStores('parallel gateway', (ctx) => {
  beforeEach(() => ctx().deploy('st-parallel'));

  it('Given a parallel fork, when the instance starts, then a task exists on every branch', async () => {
    const { start, waitingIn, activeTasks } = ctx();
    const instance = await start('st-parallel');
    expect(await waitingIn(instance.id)).to.deep.equal(['finance', 'legal']);
    const tasks = await activeTasks(instance.id);
    expect(tasks.map((t) => t.activityId).sort()).to.deep.equal(['finance', 'legal']);
    expect(tasks.every((t) => t.state === 'active')).to.equal(true);
  });

  it('Given both branches open, when only one completes, then the join waits for the other', async () => {
    const { start, complete, waitingIn, activeTasks, instance: get } = ctx();
    const instance = await start('st-parallel');
    await complete(instance.id, 'legal', { legalOk: true });
    expect(await waitingIn(instance.id)).to.deep.equal(['finance']);
    expect((await activeTasks(instance.id)).map((t) => t.activityId)).to.deep.equal(['finance']);
    expect((await get(instance.id)).state).to.equal('running');
  });

  for (const order of [
    ['legal', 'finance'],
    ['finance', 'legal'],
  ] as const) {
    it(`Given both branches open, when they complete in the order ${order.join(' then ')}, then the flow continues past the join exactly once`, async () => {
      const { start, complete, waitingIn, activeTasks, wf } = ctx();
      const instance = await start('st-parallel');
      await complete(instance.id, order[0]);
      await complete(instance.id, order[1]);

      expect(await waitingIn(instance.id)).to.deep.equal(['sign']);
      expect((await activeTasks(instance.id)).map((t) => t.activityId)).to.deep.equal(['sign']);
      const all = (await wf.listTasks({ instanceId: instance.id }, { offset: 0, limit: 100 })).items;
      expect(all.filter((t) => t.activityId === 'sign')).to.have.length(1);
      expect(all.filter((t) => t.state === 'completed').map((t) => t.activityId).sort()).to.deep.equal(['finance', 'legal']);
      const history = (await wf.history(instance.id, { offset: 0, limit: 200 })).items;
      expect(history.filter((h) => h.kind === 'task.create' && h.activityId === 'sign')).to.have.length(1);
    });
  }

  it('When the task after the join completes, then the instance ends', async () => {
    const { start, complete, instance: get } = ctx();
    const instance = await start('st-parallel');
    await complete(instance.id, 'finance');
    await complete(instance.id, 'legal');
    await complete(instance.id, 'sign');
    const done = await get(instance.id);
    expect(done.state).to.equal('completed');
    expect(done.activities).to.deep.equal([]);
  });
});

describeOnBothStores('inclusive gateway', (ctx) => {
  beforeEach(() => ctx().deploy('st-inclusive'));

  it('Given conditions true for hotel and flight only, when the instance starts, then only those two branches run', async () => {
    const { start, waitingIn, wf } = ctx();
    const instance = await start('st-inclusive', { needsHotel: true, needsFlight: true, needsCar: false, traveller: 'tom' });
    expect(await waitingIn(instance.id)).to.deep.equal(['flight', 'hotel']);
    const all = (await wf.listTasks({ instanceId: instance.id }, { offset: 0, limit: 100 })).items;
    expect(all.map((t) => t.activityId).sort()).to.deep.equal(['flight', 'hotel']);
  });

  it('Given 2 of 3 branches taken, when the first completes, then the converging join still waits for the other active branch', async () => {
    const { start, complete, waitingIn, activeTasks } = ctx();
    const instance = await start('st-inclusive', { needsHotel: true, needsFlight: true, needsCar: false, traveller: 'tom' });
    await complete(instance.id, 'hotel');
    expect(await waitingIn(instance.id)).to.deep.equal(['flight']);
    expect((await activeTasks(instance.id)).map((t) => t.activityId)).to.deep.equal(['flight']);
  });

  it('Given 2 of 3 branches taken, when both complete, then the task after the join is created exactly once', async () => {
    const { start, complete, waitingIn, activeTasks, wf } = ctx();
    const instance = await start('st-inclusive', { needsHotel: true, needsFlight: true, needsCar: false, traveller: 'tom' });
    await complete(instance.id, 'flight');
    await complete(instance.id, 'hotel');

    expect(await waitingIn(instance.id)).to.deep.equal(['confirm']);
    const [confirm] = await activeTasks(instance.id);
    expect(confirm).to.include({ activityId: 'confirm', assignee: 'tom' });
    const all = (await wf.listTasks({ instanceId: instance.id }, { offset: 0, limit: 100 })).items;
    expect(all.filter((t) => t.activityId === 'confirm')).to.have.length(1);
    expect(all.some((t) => t.activityId === 'car')).to.equal(false);
    const history = (await wf.history(instance.id, { offset: 0, limit: 200 })).items;
    expect(history.filter((h) => h.kind === 'task.create' && h.activityId === 'confirm')).to.have.length(1);
  });

  it('Given only one branch taken, when it completes, then the join passes at once', async () => {
    const { start, complete, waitingIn } = ctx();
    const instance = await start('st-inclusive', { needsHotel: false, needsFlight: false, needsCar: true, traveller: 'tom' });
    expect(await waitingIn(instance.id)).to.deep.equal(['car']);
    await complete(instance.id, 'car');
    expect(await waitingIn(instance.id)).to.deep.equal(['confirm']);
  });
});

describeOnBothStores('exclusive gateway without a matching condition', (ctx) => {
  beforeEach(() => ctx().deploy('st-exclusive-no-match'));

  it('Given no condition holds and no default flow, when the previous task is completed, then it fails with WF_ERR_NO_OUTGOING_FLOW (422) and nothing changes', async () => {
    const { start, activeTasks, wf, instance: get, waitingIn } = ctx();
    const instance = await start('st-exclusive-no-match');
    const [enter] = await activeTasks(instance.id);
    const before = await get(instance.id);
    const historyBefore = (await wf.history(instance.id, { offset: 0, limit: 200 })).total;

    const error = await wf.complete(enter!.id, { score: 65 }, 'ann').catch((e: unknown) => e);

    expect(error).to.include({ code: 'WF_ERR_NO_OUTGOING_FLOW', status: 422 });
    expect((error as { context: { elementId: string } }).context.elementId).to.equal('grade');
    expect(await get(instance.id)).to.deep.equal(before);
    expect(before.variables).to.not.have.property('score');
    expect(await waitingIn(instance.id)).to.deep.equal(['enter']);
    expect(await wf.getTask(enter!.id)).to.include({ state: 'active' });
    expect((await wf.history(instance.id, { offset: 0, limit: 200 })).total).to.equal(historyBefore);
  });

  it('Given the failed completion, when it is retried with a value that matches, then the flow continues', async () => {
    const { start, activeTasks, wf, waitingIn, complete } = ctx();
    const instance = await start('st-exclusive-no-match');
    const [enter] = await activeTasks(instance.id);
    await wf.complete(enter!.id, { score: 65 }, 'ann').catch(() => undefined);
    await complete(instance.id, 'enter', { score: 90 }, 'ann');
    expect(await waitingIn(instance.id)).to.deep.equal(['praise']);
  });
});
