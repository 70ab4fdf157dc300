import { expect } from 'chai';
import { describeOnBothStores, type TestContext } from '../support/harness.ts';

const page = { offset: 0, limit: 200 };

const kinds = async (c: TestContext, instanceId: string) =>
  (await c.wf.history(instanceId, page)).items.map((h) => `${h.kind}${h.activityId ? `:${h.activityId}` : ''}`);

const taskStates = async (c: TestContext, instanceId: string) =>
  Object.fromEntries((await c.wf.listTasks({ instanceId }, page)).items.map((t) => [t.activityId, t.state]));

describeOnBothStores('error end event inside a sub-process', (ctx) => {
  beforeEach(() => ctx().deploy('st-error-subprocess'));

  it('Given the check fails, when the error end event is reached, then only the error boundary with the matching errorCode catches it and its path is taken', async () => {
    const c = ctx();
    const instance = await c.start('st-error-subprocess');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['check']);

    await c.complete(instance.id, 'check', { documentsOk: false }, 'ann');

    expect(await c.waitingIn(instance.id)).to.deep.equal(['repair']);
    const view = await c.instance(instance.id);
    expect(view.state).to.equal('running');
    expect(view.variables).to.deep.equal({ documentsOk: false });
    expect(await taskStates(c, instance.id)).to.deep.equal({ check: 'completed', repair: 'active' });
    const history = await kinds(c, instance.id);
    expect(history).to.include.members(['activity.start:failed', 'activity.end:onCheckFailed']);
    expect(history).to.not.include('task.create:approve');

    await c.complete(instance.id, 'repair', {}, 'ann');
    expect((await c.instance(instance.id)).state).to.equal('completed');
  });

  it('Given the check passes, when the sub-process ends normally, then the boundary is not taken', async () => {
    const c = ctx();
    const instance = await c.start('st-error-subprocess');
    await c.complete(instance.id, 'check', { documentsOk: true }, 'ann');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['approve']);
    expect(await taskStates(c, instance.id)).to.deep.equal({ check: 'completed', approve: 'active' });
  });
});

describeOnBothStores('BPMN error raised by a service handler', (ctx) => {
  beforeEach(() => ctx().deploy('st-error-service'));

  it('Given the handler raises REJECTED, when the job runs, then the error boundary with errorCode REJECTED catches it, with no retry and no incident', async () => {
    const c = ctx();
    const instance = await c.start('st-error-service', { code: 'REJECTED' });
    expect(await c.waitingIn(instance.id)).to.deep.equal(['score']);

    await c.work();

    expect(c.calls.reject).to.have.length(1);
    expect(c.calls.reject![0]).to.deep.include({ input: { code: 'REJECTED' }, attempt: 1 });
    expect(await c.waitingIn(instance.id)).to.deep.equal(['inform']);
    expect(await taskStates(c, instance.id)).to.deep.equal({ inform: 'active' });
    expect((await c.wf.listIncidents({ instanceId: instance.id }, page)).total).to.equal(0);
    const history = (await c.wf.history(instance.id, page)).items;
    const done = history.find((h) => h.kind === 'job.complete' && h.activityId === 'score');
    expect(done?.data).to.include({ handler: 'reject', bpmnError: 'REJECTED' });
    expect(history.some((h) => h.kind === 'job.fail')).to.equal(false);

    await c.advance(3600_000);
    expect(c.calls.reject).to.have.length(1);
  });

  it('Given the handler raises a code no boundary catches, when the job runs, then the job fails with an open incident and the instance still waits at the task', async () => {
    const c = ctx();
    const instance = await c.start('st-error-service', { code: 'UNEXPECTED' });

    await c.work();

    expect(c.calls.reject).to.have.length(1);
    const incidents = (await c.wf.listIncidents({ instanceId: instance.id }, page)).items;
    expect(incidents).to.have.length(1);
    expect(incidents[0]).to.include({ activityId: 'score', kind: 'job', state: 'open' });
    const view = await c.instance(instance.id);
    expect(view.state).to.equal('running');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['score']);
    expect(await kinds(c, instance.id)).to.include.members(['job.fail:score', 'incident.open:score']);
  });
});

describeOnBothStores('escalation caught by a non-interrupting boundary', (ctx) => {
  beforeEach(() => ctx().deploy('st-escalation'));

  it('Given an escalation thrown inside a sub-process, when it is caught by the non-interrupting boundary with its escalationCode, then both the sub-process and that boundary path continue', async () => {
    const c = ctx();
    const instance = await c.start('st-escalation');

    expect(await c.waitingIn(instance.id)).to.deep.equal(['help', 'work']);
    const tasks = await c.activeTasks(instance.id);
    expect(tasks.map((t) => `${t.activityId}:${t.assignee}`).sort()).to.deep.equal(['help:lead', 'work:ann']);
  });

  it('Given both paths are open, when both tasks complete, then the sub-process continues to its successor and the instance ends after it', async () => {
    const c = ctx();
    const instance = await c.start('st-escalation');
    await c.complete(instance.id, 'help', {}, 'lead');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['work']);
    await c.complete(instance.id, 'work', {}, 'ann');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['close']);
    await c.complete(instance.id, 'close', {}, 'ann');
    expect((await c.instance(instance.id)).state).to.equal('completed');
  });

  it('Given both paths are open, when the sub-process task completes first, then the boundary path is still open', async () => {
    const c = ctx();
    const instance = await c.start('st-escalation');
    await c.complete(instance.id, 'work', {}, 'ann');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['close', 'help']);
  });
});

describeOnBothStores('terminate end event', (ctx) => {
  it('Given parallel open work, when a top-level terminate end event is reached, then the instance ends and every other open task and timer is cancelled', async () => {
    const c = ctx();
    await c.deploy('st-terminate');
    const instance = await c.start('st-terminate');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['abort', 'wait', 'work']);
    expect(await c.store.listTimers({ instanceId: instance.id })).to.have.length(1);

    await c.complete(instance.id, 'abort', {}, 'ann');

    const done = await c.instance(instance.id);
    expect(done.state).to.equal('completed');
    expect(done.activities).to.deep.equal([]);
    expect(await taskStates(c, instance.id)).to.deep.equal({ abort: 'completed', work: 'cancelled' });
    expect(await c.store.listTimers({ instanceId: instance.id })).to.deep.equal([]);
    const history = await kinds(c, instance.id);
    expect(history).to.include('task.cancel:work');
    expect(history.at(-1)).to.equal('instance.end');

    await c.advance(2 * 24 * 3600_000);
    expect((await c.instance(instance.id)).state).to.equal('completed');
  });

  it('Given a terminate end event inside a sub-process, when it is reached, then only the sub-process ends and the flow after it and outside it goes on', async () => {
    const c = ctx();
    await c.deploy('st-terminate-subprocess');
    const instance = await c.start('st-terminate-subprocess');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['innerWork', 'outer', 'stopInner']);

    await c.complete(instance.id, 'stopInner', {}, 'ann');

    const view = await c.instance(instance.id);
    expect(view.state).to.equal('running');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['afterInner', 'outer']);
    expect(await taskStates(c, instance.id)).to.deep.equal({ outer: 'active', stopInner: 'completed', innerWork: 'cancelled', afterInner: 'active' });

    await c.complete(instance.id, 'afterInner', {}, 'ann');
    await c.complete(instance.id, 'outer', {}, 'ann');
    expect((await c.instance(instance.id)).state).to.equal('completed');
  });
});
