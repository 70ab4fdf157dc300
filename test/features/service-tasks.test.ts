import { expect } from 'chai';
import { describeOnBothStores, type TestContext } from '../support/harness.ts';

const page = { offset: 0, limit: 200 };
const SECOND = 1000;

const openIncidents = async (c: TestContext, instanceId: string) => (await c.wf.listIncidents({ instanceId, state: 'open' }, page)).items;
const allIncidents = async (c: TestContext, instanceId: string) => (await c.wf.listIncidents({ instanceId }, page)).items;
const jobFailures = async (c: TestContext, instanceId: string) =>
  (await c.wf.history(instanceId, page)).items.filter((h) => h.kind === 'job.fail').map((h) => h.data as { attempt: number; retry: boolean; handler: string });

describeOnBothStores('service task with the echo handler', (ctx) => {
  beforeEach(() => ctx().deploy('st-service-echo'));

  it('Given a service task, when the instance starts, then it waits on a job and the handler has not run yet', async () => {
    const c = ctx();
    const instance = await c.start('st-service-echo', { customer: 'carl', amount: 21 });
    const [activity] = (await c.instance(instance.id)).activities;
    expect(activity).to.include({ activityId: 'call', kind: 'job', handler: 'echo' });
    expect(c.calls.echo ?? []).to.have.length(0);
  });

  it('Given camunda:inputParameter values, when the job runs, then the handler gets them as input and its result becomes process variables', async () => {
    const c = ctx();
    const instance = await c.start('st-service-echo', { customer: 'carl', amount: 21 });

    await c.work();

    expect(c.calls.echo).to.have.length(1);
    expect(c.calls.echo![0]).to.deep.include({ input: { greeting: 'Hello carl', total: 42 }, attempt: 1 });
    expect(c.calls.echo![0]!.variables).to.include({ customer: 'carl', amount: 21 });
    expect(c.calls.echo![0]!.idempotencyKey).to.be.a('string').and.not.equal('');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['check']);
    expect((await c.instance(instance.id)).variables).to.deep.equal({ customer: 'carl', amount: 21, greeting: 'Hello carl', total: 42 });
    const history = (await c.wf.history(instance.id, page)).items;
    expect(history.find((h) => h.kind === 'job.complete' && h.activityId === 'call')?.data).to.include({ handler: 'echo', attempt: 1 });
  });
});

describeOnBothStores('service task with camunda:resultVariable', (ctx) => {
  beforeEach(() => ctx().deploy('st-service-result'));

  it('Given camunda:resultVariable="res", when the job runs, then the whole handler result is stored under res and nothing else is set', async () => {
    const c = ctx();
    const instance = await c.start('st-service-result', { customer: 'carl', amount: 5 });
    await c.work();
    expect(await c.waitingIn(instance.id)).to.deep.equal(['check']);
    expect((await c.instance(instance.id)).variables).to.deep.equal({ customer: 'carl', amount: 5, res: { greeting: 'Hello carl', total: 10 } });
  });
});

describeOnBothStores('service task retries', (ctx) => {
  it('Given a handler that fails once, when the clock passes the backoff, then the retry runs with the same idempotency key and the instance continues', async () => {
    const c = ctx();
    await c.deploy('st-service-fail-once');
    const instance = await c.start('st-service-fail-once');

    await c.work();
    expect(c.calls.failOnce).to.have.length(1);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['call']);
    expect(await jobFailures(c, instance.id)).to.deep.equal([{ handler: 'failOnce', attempt: 1, retry: true, error: 'temporary failure' }]);

    await c.advance(5 * SECOND);
    expect(c.calls.failOnce, 'no retry before the 10 s backoff').to.have.length(1);

    await c.advance(6 * SECOND);
    expect(c.calls.failOnce).to.have.length(2);
    const [first, second] = c.calls.failOnce!;
    expect([first!.attempt, second!.attempt]).to.deep.equal([1, 2]);
    expect(second!.idempotencyKey).to.equal(first!.idempotencyKey);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['check']);
    expect((await c.instance(instance.id)).variables).to.deep.equal({ recovered: true });
    expect(await allIncidents(c, instance.id)).to.deep.equal([]);
  });

  it('Given a handler that always fails, when 3 attempts are used up, then an open incident exists and the instance still waits at the task', async () => {
    const c = ctx();
    await c.deploy('st-service-fail');
    const instance = await c.start('st-service-fail');

    await c.work();
    await c.advance(10 * SECOND);
    expect(c.calls.fail).to.have.length(2);
    expect(await openIncidents(c, instance.id)).to.deep.equal([]);
    await c.advance(20 * SECOND);

    expect(c.calls.fail!.map((call) => call.attempt)).to.deep.equal([1, 2, 3]);
    expect(new Set(c.calls.fail!.map((call) => call.idempotencyKey)).size).to.equal(1);
    const incidents = await openIncidents(c, instance.id);
    expect(incidents).to.have.length(1);
    expect(incidents[0]).to.include({ activityId: 'call', kind: 'job', state: 'open', message: 'service unavailable' });
    expect((await jobFailures(c, instance.id)).map((f) => f.retry)).to.deep.equal([true, true, false]);
    const view = await c.instance(instance.id);
    expect(view.state).to.equal('running');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['call']);

    await c.advance(24 * 3600 * SECOND);
    expect(c.calls.fail, 'no attempt after the incident').to.have.length(3);
  });

  it('Given an open incident, when an admin retries it, then the job runs again with fresh attempts and, still failing, opens a new incident', async () => {
    const c = ctx();
    await c.deploy('st-service-fail');
    const instance = await c.start('st-service-fail');
    await c.work();
    await c.advance(10 * SECOND);
    await c.advance(20 * SECOND);
    const [incident] = await openIncidents(c, instance.id);

    const resolved = await c.wf.retryIncident(incident!.id, 'admin');
    expect(resolved).to.include({ id: incident!.id, state: 'resolved', resolvedBy: 'admin' });
    expect(await openIncidents(c, instance.id)).to.deep.equal([]);

    await c.work();
    expect(c.calls.fail).to.have.length(4);
    expect(c.calls.fail![3]!.attempt).to.equal(1);
    expect(c.calls.fail![3]!.idempotencyKey).to.equal(c.calls.fail![0]!.idempotencyKey);
    await c.advance(10 * SECOND);
    await c.advance(20 * SECOND);
    expect(c.calls.fail).to.have.length(6);

    const open = await openIncidents(c, instance.id);
    expect(open).to.have.length(1);
    expect(open[0]!.id).to.not.equal(incident!.id);
    expect(await allIncidents(c, instance.id)).to.have.length(2);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['call']);
    const kinds = (await c.wf.history(instance.id, page)).items.map((h) => h.kind);
    expect(kinds.filter((k) => k === 'incident.open')).to.have.length(2);
    expect(kinds.filter((k) => k === 'incident.resolve')).to.have.length(1);
  });

  it('Given a handler that fails permanently, when the job runs, then an incident opens after one attempt', async () => {
    const c = ctx();
    await c.deploy('st-service-permanent');
    const instance = await c.start('st-service-permanent');

    await c.work();

    expect(c.calls.permanent).to.have.length(1);
    const incidents = await openIncidents(c, instance.id);
    expect(incidents).to.have.length(1);
    expect(incidents[0]).to.include({ activityId: 'call', kind: 'job', message: 'request refused' });
    expect((await jobFailures(c, instance.id)).map((f) => f.retry)).to.deep.equal([false]);
    await c.advance(3600 * SECOND);
    expect(c.calls.permanent).to.have.length(1);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['call']);
  });

  it('Given camunda:failedJobRetryTimeCycle R2/PT1M, when the handler keeps failing, then it is tried twice, one minute apart, then an incident opens', async () => {
    const c = ctx();
    await c.deploy('st-service-retry-cycle');
    const instance = await c.start('st-service-retry-cycle');

    await c.work();
    await c.advance(30 * SECOND);
    expect(c.calls.fail, 'not retried before one minute').to.have.length(1);
    await c.advance(31 * SECOND);
    expect(c.calls.fail!.map((call) => call.attempt)).to.deep.equal([1, 2]);

    const incidents = await openIncidents(c, instance.id);
    expect(incidents).to.have.length(1);
    await c.advance(3600 * SECOND);
    expect(c.calls.fail).to.have.length(2);
  });
});

describeOnBothStores('user task with camunda:inputOutput', (ctx) => {
  beforeEach(() => ctx().deploy('st-user-task-io'));

  it('Given an inputParameter used in camunda:assignee, when the task is created, then it is assigned from the local variable, which does not become a process variable', async () => {
    const c = ctx();
    const instance = await c.start('st-user-task-io', { department: 'sales' });
    const [task] = await c.activeTasks(instance.id);
    expect(task).to.include({ activityId: 'approve', assignee: 'sales-lead' });
    expect((await c.instance(instance.id)).variables).to.deep.equal({ department: 'sales' });
  });

  it('Given outputParameters, when the task is completed, then their values are mapped into process variables', async () => {
    const c = ctx();
    const instance = await c.start('st-user-task-io', { department: 'sales' });

    await c.complete(instance.id, 'approve', { decision: 'yes' }, 'sales-lead');

    expect(await c.waitingIn(instance.id)).to.deep.equal(['archive']);
    const variables = (await c.instance(instance.id)).variables;
    expect(variables).to.deep.equal({ department: 'sales', decision: 'yes', approvedBy: 'sales-lead', outcome: 'approved' });
    const set = (await c.wf.history(instance.id, page)).items.filter((h) => h.kind === 'variable.set').map((h) => h.data!.name);
    expect(set).to.include.members(['approvedBy', 'outcome']);
  });
});
