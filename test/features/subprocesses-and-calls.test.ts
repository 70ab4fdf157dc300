import { expect } from 'chai';
import type { InstanceView } from '../../engine/core/workflow.ts';
import { describeOnBothStores, type TestContext } from '../support/harness.ts';

const HOUR = 3600_000;
const page = { offset: 0, limit: 200 };

const kinds = async (c: TestContext, instanceId: string) =>
  (await c.wf.history(instanceId, page)).items.map((h) => `${h.kind}${h.activityId ? `:${h.activityId}` : ''}`);

describeOnBothStores('embedded sub-process with an interrupting boundary timer', (ctx) => {
  beforeEach(() => ctx().deploy('st-subprocess-timer'));

  it('Given the instance starts, then it waits in the task inside the sub-process and on the deadline timer', async () => {
    const { start, waitingIn, activeTasks, store } = ctx();
    const instance = await start('st-subprocess-timer');
    expect(await waitingIn(instance.id)).to.deep.equal(['deadline', 'work']);
    expect((await activeTasks(instance.id)).map((t) => t.activityId)).to.deep.equal(['work']);
    const timers = await store.listTimers({ instanceId: instance.id });
    expect(timers.map((t) => t.activityId)).to.deep.equal(['deadline']);
  });

  it('Given the task inside is still open, when the deadline passes, then the inner task is cancelled and the boundary path is taken', async () => {
    const c = ctx();
    const instance = await c.start('st-subprocess-timer');
    const [work] = await c.activeTasks(instance.id);

    await c.advance(2 * HOUR);

    expect(await c.waitingIn(instance.id)).to.deep.equal(['escalate']);
    expect(await c.wf.getTask(work!.id)).to.include({ state: 'cancelled' });
    const [escalate] = await c.activeTasks(instance.id);
    expect(escalate).to.include({ activityId: 'escalate', assignee: 'boss' });
    expect(await c.store.listTimers({ instanceId: instance.id })).to.deep.equal([]);
    const history = await kinds(c, instance.id);
    expect(history).to.include.members(['timer.fire:deadline', 'task.cancel:work']);
    expect(history).to.not.include('task.create:close');

    await c.complete(instance.id, 'escalate', {}, 'boss');
    expect((await c.instance(instance.id)).state).to.equal('completed');
  });

  it('Given the task inside completes before the deadline, then the timer is deleted and the normal path continues', async () => {
    const c = ctx();
    const instance = await c.start('st-subprocess-timer');
    await c.complete(instance.id, 'work', {}, 'ann');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['close']);
    expect(await c.store.listTimers({ instanceId: instance.id })).to.deep.equal([]);

    await c.advance(2 * HOUR);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['close']);
    expect(await kinds(c, instance.id)).to.not.include('timer.fire:deadline');
  });
});

describeOnBothStores('variables set inside an embedded sub-process', (ctx) => {
  beforeEach(() => ctx().deploy('st-subprocess-variables'));

  it('Given a service task and a user task inside the sub-process set variables, when the sub-process ends, then the gateway after it sees them (Camunda semantics)', async () => {
    const c = ctx();
    const instance = await c.start('st-subprocess-variables', { customer: 'carl' });
    await c.work();
    expect(await c.waitingIn(instance.id)).to.deep.equal(['decide']);
    expect((await c.instance(instance.id)).variables).to.deep.equal({ customer: 'carl', rating: 'A-carl' });

    await c.complete(instance.id, 'decide', { decision: 'accept' }, 'ann');

    expect(await c.waitingIn(instance.id)).to.deep.equal(['accepted']);
    const after = await c.instance(instance.id);
    expect(after.variables).to.deep.equal({ customer: 'carl', rating: 'A-carl', decision: 'accept' });
    expect((await c.activeTasks(instance.id))[0]).to.include({ activityId: 'accepted', assignee: 'carl' });
  });

  it('Given the decision inside is not accept, then the default flow after the sub-process is taken', async () => {
    const c = ctx();
    const instance = await c.start('st-subprocess-variables', { customer: 'carl' });
    await c.work();
    await c.complete(instance.id, 'decide', { decision: 'reject' }, 'ann');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['rejected']);
    expect((await c.instance(instance.id)).variables).to.include({ decision: 'reject' });
  });
});

describeOnBothStores('call activity', (ctx) => {
  // Each test deploys its caller itself, so one caller failing to deploy does not hide the others.
  beforeEach(() => ctx().deploy('st-call-child'));

  const childOf = async (c: TestContext, parent: InstanceView): Promise<InstanceView> => {
    const children = (await c.wf.listInstances({ parentId: parent.id }, page)).items;
    expect(children, 'one child instance').to.have.length(1);
    return children[0]!;
  };

  it('Given camunda:in mappings, when the parent starts, then a separate child instance runs with only the mapped variables', async () => {
    const c = ctx();
    await c.deploy('st-call-mapped');
    const parent = await c.start('st-call-mapped', { applicant: 'ann', amount: 10, secret: 'hidden' });

    const waits = (await c.instance(parent.id)).activities;
    expect(waits).to.have.length(1);
    expect(waits[0]).to.include({ activityId: 'callChild', kind: 'call' });
    const child = await childOf(c, parent);
    expect(waits[0]!.childInstanceId).to.equal(child.id);
    expect(child).to.include({ parentId: parent.id, processKey: 'st-call-child', state: 'running' });
    expect(child.id).to.not.equal(parent.id);
    expect(child.variables).to.deep.equal({ requester: 'ann', doubled: 20 });
    expect(await c.waitingIn(child.id)).to.deep.equal(['childWork']);
    expect(await c.activeTasks(parent.id)).to.deep.equal([]);
    expect((await c.activeTasks(child.id)).map((t) => t.activityId)).to.deep.equal(['childWork']);
  });

  it('Given a running child, when its task completes, then the child ends and the parent continues with the camunda:out mapping only', async () => {
    const c = ctx();
    await c.deploy('st-call-mapped');
    const parent = await c.start('st-call-mapped', { applicant: 'ann', amount: 10 });
    const child = await childOf(c, parent);

    await c.complete(child.id, 'childWork', { verdict: 'ok', scratch: 42 });

    expect((await c.instance(child.id)).state).to.equal('completed');
    expect(await c.waitingIn(parent.id)).to.deep.equal(['review']);
    const after = await c.instance(parent.id);
    expect(after.state).to.equal('running');
    expect(after.variables).to.deep.equal({ applicant: 'ann', amount: 10, childVerdict: 'ok' });
    expect(await kinds(c, child.id)).to.include('instance.end');
  });

  it('Given a call activity without camunda:in, when the child starts, then it gets no variables', async () => {
    const c = ctx();
    await c.deploy('st-call-unmapped');
    const parent = await c.start('st-call-unmapped', { applicant: 'ann', amount: 10 });
    const child = await childOf(c, parent);
    expect(child.variables).to.deep.equal({});

    await c.complete(child.id, 'childWork', { verdict: 'ok' });
    expect(await c.waitingIn(parent.id)).to.deep.equal(['review']);
    expect((await c.instance(parent.id)).variables).to.deep.equal({ applicant: 'ann', amount: 10 });
  });

  it('Given camunda:in variables="all", when the child starts, then it gets a copy of all the parent variables', async () => {
    const c = ctx();
    await c.deploy('st-call-all');
    const parent = await c.start('st-call-all', { applicant: 'ann', amount: 10, items: [1, 2] });
    const child = await childOf(c, parent);
    expect(child.variables).to.deep.equal({ applicant: 'ann', amount: 10, items: [1, 2] });
  });

  it('Given a running child, when the parent is cancelled, then the child is cancelled with its tasks', async () => {
    const c = ctx();
    await c.deploy('st-call-unmapped');
    const parent = await c.start('st-call-unmapped', { applicant: 'ann', amount: 10 });
    const child = await childOf(c, parent);
    const [childTask] = await c.activeTasks(child.id);

    const cancelled = await c.wf.cancel(parent.id, 'no longer needed', 'admin');

    expect(cancelled.state).to.equal('cancelled');
    expect((await c.instance(parent.id)).state).to.equal('cancelled');
    const childAfter = await c.instance(child.id);
    expect(childAfter.state).to.equal('cancelled');
    expect(childAfter.activities).to.deep.equal([]);
    expect(await c.wf.getTask(childTask!.id)).to.include({ state: 'cancelled' });
    expect(await kinds(c, child.id)).to.include.members(['instance.cancel', 'task.cancel:childWork']);
    expect(await c.wf.listTasks({ state: 'active' }, page)).to.have.property('total', 0);
  });
});

describeOnBothStores('call activity of a process that is not deployed', (ctx) => {
  beforeEach(() => ctx().deploy('st-call-missing'));

  it('Given the called process is not deployed, when the flow reaches the call activity, then the step fails with WF_ERR_STEP_FAILED and nothing changes', async () => {
    const c = ctx();
    const parent = await c.start('st-call-missing', { applicant: 'ann' });
    const [prepare] = await c.activeTasks(parent.id);
    const before = await c.instance(parent.id);

    const error = await c.wf.complete(prepare!.id, { ready: true }, 'clerk').catch((e: unknown) => e);

    expect(error).to.include({ code: 'WF_ERR_STEP_FAILED', status: 422 });
    expect((error as { context: { elementId: string; detail: string } }).context.elementId).to.equal('callChild');
    expect((error as { context: { detail: { en: string } } }).context.detail.en).to.contain('st-not-deployed');
    expect(await c.instance(parent.id)).to.deep.equal(before);
    expect(await c.wf.getTask(prepare!.id)).to.include({ state: 'active' });
    expect((await c.wf.listInstances({}, page)).total).to.equal(1);
  });
});
