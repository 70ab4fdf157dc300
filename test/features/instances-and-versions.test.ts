import { expect } from 'chai';
import { silentLogger } from '../../engine/core/ports.ts';
import { Workflow } from '../../engine/core/workflow.ts';
import { describeOnBothStores, fixture, testHandlers, type TestContext } from '../support/harness.ts';

const page = { offset: 0, limit: 200 };
const DAY = 24 * 3600_000;

const instanceCount = async (c: TestContext) => (await c.wf.listInstances({}, page)).total;

describeOnBothStores('cancelling an instance', (ctx) => {
  beforeEach(() => ctx().deploy('st-cancellable'));

  it('Given an instance waiting on a task, timers and a job, when it is cancelled, then it is cancelled, its tasks cancelled, its timers deleted and its job cancelled', async () => {
    const c = ctx();
    const instance = await c.start('st-cancellable');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['cooldown', 'draft', 'notify', 'reminder']);
    expect(await c.store.listTimers({ instanceId: instance.id })).to.have.length(2);
    const [draft] = await c.activeTasks(instance.id);
    const jobId = (await c.instance(instance.id)).activities.find((a) => a.kind === 'job')!.jobId!;

    const view = await c.wf.cancel(instance.id, 'customer withdrew', 'admin');

    expect(view.state).to.equal('cancelled');
    expect(view.endedAt).to.be.a('number');
    const stored = await c.instance(instance.id);
    expect(stored.state).to.equal('cancelled');
    expect(stored.activities).to.deep.equal([]);
    expect(await c.wf.getTask(draft!.id)).to.include({ state: 'cancelled' });
    expect(await c.activeTasks(instance.id)).to.deep.equal([]);
    expect(await c.store.listTimers({ instanceId: instance.id })).to.deep.equal([]);
    expect(await c.store.getJob(jobId)).to.include({ state: 'cancelled' });
    const history = (await c.wf.history(instance.id, page)).items;
    const cancel = history.find((h) => h.kind === 'instance.cancel');
    expect(cancel).to.deep.include({ actor: 'admin', data: { reason: 'customer withdrew' } });
    expect(history.at(-1)!.kind).to.equal('instance.cancel');
    expect(history.filter((h) => h.kind === 'task.cancel').map((h) => h.activityId)).to.deep.equal(['draft']);

    await c.advance(3 * DAY);
    expect(c.calls.fail ?? [], 'the cancelled job never runs').to.have.length(0);
    expect((await c.instance(instance.id)).state).to.equal('cancelled');
  });

  it('Given a cancelled instance, when it is cancelled again, then it is refused with WF_ERR_INSTANCE_NOT_RUNNING (409) and nothing changes', async () => {
    const c = ctx();
    const instance = await c.start('st-cancellable');
    await c.wf.cancel(instance.id, null, 'admin');
    const before = await c.instance(instance.id);
    const historyBefore = (await c.wf.history(instance.id, page)).total;

    const error = await c.wf.cancel(instance.id, 'again', 'admin').catch((e: unknown) => e);

    expect(error).to.include({ code: 'WF_ERR_INSTANCE_NOT_RUNNING', status: 409 });
    expect((error as { context: { state: string } }).context.state).to.equal('cancelled');
    expect(await c.instance(instance.id)).to.deep.equal(before);
    expect((await c.wf.history(instance.id, page)).total).to.equal(historyBefore);
  });

  it('Given a cancelled instance, when its former task is completed, then it is refused and the instance stays cancelled', async () => {
    const c = ctx();
    const instance = await c.start('st-cancellable');
    const [draft] = await c.activeTasks(instance.id);
    await c.wf.cancel(instance.id, null, 'admin');
    const error = await c.wf.complete(draft!.id, {}, 'ann').catch((e: unknown) => e);
    expect(error).to.include({ code: 'WF_ERR_TASK_NOT_ACTIVE', status: 409 });
    expect((await c.instance(instance.id)).state).to.equal('cancelled');
  });
});

describeOnBothStores('deploying versions', (ctx) => {
  it('Given a deployed file, when the same XML is deployed again, then nothing new is created and the same version is returned', async () => {
    const { wf } = ctx();
    const [first] = await wf.deploy(fixture('st-versioned-v1'), 'tester');
    const [second] = await wf.deploy(fixture('st-versioned-v1'), 'tester');
    expect(first).to.include({ key: 'st-versioned', version: 1, created: true, id: 'st-versioned:1' });
    expect(second).to.include({ key: 'st-versioned', version: 1, created: false, id: 'st-versioned:1' });
    expect((await wf.listDefinitions({ key: 'st-versioned' }, page)).total).to.equal(1);
  });

  it('Given version 1, when a changed XML is deployed, then it becomes version 2', async () => {
    const { wf } = ctx();
    await wf.deploy(fixture('st-versioned-v1'), 'tester');
    const [second] = await wf.deploy(fixture('st-versioned-v2'), 'tester');
    expect(second).to.include({ key: 'st-versioned', version: 2, created: true, id: 'st-versioned:2' });
    expect((await wf.getDefinition('st-versioned')).version).to.equal(2);
    expect((await wf.listDefinitions({ key: 'st-versioned' }, page)).total).to.equal(2);
  });

  it('Given an instance started on version 1, when version 2 is deployed, then the instance stays on version 1 and follows its flow to the end', async () => {
    const c = ctx();
    await c.deploy('st-versioned-v1');
    const old = await c.start('st-versioned');
    await c.deploy('st-versioned-v2');

    const fresh = await c.start('st-versioned');
    expect(fresh).to.include({ definitionId: 'st-versioned:2', version: 2 });

    await c.complete(old.id, 'review', {}, 'ann');
    const done = await c.instance(old.id);
    expect(done).to.include({ definitionId: 'st-versioned:1', version: 1, state: 'completed' });
    expect((await c.wf.listTasks({ instanceId: old.id }, page)).items.map((t) => t.activityId)).to.deep.equal(['review']);

    await c.complete(fresh.id, 'review', {}, 'ann');
    expect(await c.waitingIn(fresh.id)).to.deep.equal(['audit']);
  });

  it('Given an instance on version 1, when another engine without a cache (a restart) completes its task after version 2 was deployed, then it still follows version 1', async () => {
    const c = ctx();
    await c.deploy('st-versioned-v1');
    const old = await c.start('st-versioned');
    await c.deploy('st-versioned-v2');

    const restarted = new Workflow({ store: c.store, handlers: testHandlers({}), clock: c.clock, logger: silentLogger, config: { cacheSize: 0 } });
    const [review] = await c.activeTasks(old.id);
    await restarted.complete(review!.id, {}, 'ann');

    expect(await restarted.getInstance(old.id)).to.include({ definitionId: 'st-versioned:1', state: 'completed' });
  });

  it('Given instances on two versions, when versions(key) is asked, then each version shows its instance counts by state', async () => {
    const c = ctx();
    await c.deploy('st-versioned-v1');
    const a = await c.start('st-versioned');
    await c.start('st-versioned');
    await c.complete(a.id, 'review', {}, 'ann');
    await c.deploy('st-versioned-v2');
    await c.start('st-versioned');
    const d = await c.start('st-versioned');
    await c.wf.cancel(d.id, null, 'admin');

    const versions = await c.wf.versions('st-versioned');

    expect(versions).to.have.length(2);
    const byVersion = Object.fromEntries(versions.map((v) => [v.version, v.instances]));
    expect(byVersion[1]).to.deep.equal({ completed: 1, running: 1 });
    expect(byVersion[2]).to.deep.equal({ running: 1, cancelled: 1 });
    expect(versions.every((v) => !('xml' in v))).to.equal(true);
  });

  it('Given version 2 is the latest, when an instance is started with {version: 1}, then it runs on version 1', async () => {
    const c = ctx();
    await c.deploy('st-versioned-v1');
    await c.deploy('st-versioned-v2');

    const pinned = await c.wf.start({ processKey: 'st-versioned', version: 1, variables: {} }, 'tester');

    expect(pinned).to.include({ definitionId: 'st-versioned:1', version: 1 });
    await c.complete(pinned.id, 'review', {}, 'ann');
    expect((await c.instance(pinned.id)).state).to.equal('completed');

    const error = await c.wf.start({ processKey: 'st-versioned', version: 3 }, 'tester').catch((e: unknown) => e);
    expect(error).to.include({ code: 'WF_ERR_DEFINITION_NOT_FOUND', status: 404 });
    expect((error as { context: { version: number } }).context).to.include({ key: 'st-versioned', version: 3 });
  });
});

describeOnBothStores('starting instances that cannot start', (ctx) => {
  it('Given no definition with that key, when it is started, then it fails with WF_ERR_DEFINITION_NOT_FOUND (404)', async () => {
    const c = ctx();
    const error = await c.wf.start({ processKey: 'st-nowhere' }, 'tester').catch((e: unknown) => e);
    expect(error).to.include({ code: 'WF_ERR_DEFINITION_NOT_FOUND', status: 404 });
    expect((error as { context: { key: string } }).context.key).to.equal('st-nowhere');
    expect(await instanceCount(c)).to.equal(0);
  });

  it('Given a process with only a message start event, when it is started through the API, then it fails with WF_ERR_NO_NONE_START_EVENT and no instance exists', async () => {
    const c = ctx();
    await c.deploy('st-message-start-only');
    const error = await c.wf.start({ processKey: 'st-message-start-only' }, 'tester').catch((e: unknown) => e);
    expect(error).to.include({ code: 'WF_ERR_NO_NONE_START_EVENT', status: 422 });
    expect((error as { context: { key: string } }).context.key).to.equal('st-message-start-only');
    expect(await instanceCount(c)).to.equal(0);
  });

  it('Given a Camunda-typed variable whose value does not match its type, when the instance is started, then WF_ERR_VALIDATION names variables.amount and nothing is written', async () => {
    const c = ctx();
    await c.deploy('st-typed-start');
    const error = await c.wf
      .start({ processKey: 'st-typed-start', variables: { amount: { value: 'x', type: 'Long' }, note: { value: 'ok', type: 'String' } } }, 'tester')
      .catch((e: unknown) => e);

    expect(error).to.include({ code: 'WF_ERR_VALIDATION', status: 400, field: 'variables.amount' });
    const issues = (error as { context: { issues?: Array<{ field: string }> } }).context.issues ?? [];
    expect(issues.map((i) => i.field)).to.deep.equal(['variables.amount']);
    expect(await instanceCount(c)).to.equal(0);
    expect((await c.wf.listTasks({}, page)).total).to.equal(0);
  });

  it('Given Camunda-typed variables of the right type, when the instance is started, then the plain values are stored', async () => {
    const c = ctx();
    await c.deploy('st-typed-start');
    const instance = await c.wf.start({ processKey: 'st-typed-start', variables: { amount: { value: 5000, type: 'Long' }, note: { value: 'ok', type: 'String' } } }, 'tester');
    expect((await c.instance(instance.id)).variables).to.deep.equal({ amount: 5000, note: 'ok' });
  });

  it('Given a running task, when it is completed with a mistyped Camunda variable, then WF_ERR_VALIDATION is returned and the task stays active', async () => {
    const c = ctx();
    await c.deploy('st-typed-start');
    const instance = await c.start('st-typed-start');
    const [task] = await c.activeTasks(instance.id);
    const error = await c.wf.complete(task!.id, { amount: { value: 1.5, type: 'Integer' } }, 'clerk').catch((e: unknown) => e);
    expect(error).to.include({ code: 'WF_ERR_VALIDATION', field: 'variables.amount' });
    expect(await c.wf.getTask(task!.id)).to.include({ state: 'active' });
    expect((await c.instance(instance.id)).variables).to.deep.equal({});
  });
});
