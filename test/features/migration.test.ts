import { expect } from 'chai';
import { count } from '../support/databases.ts';
import { describeOnBothStores, type TestContext } from '../support/harness.ts';

const page = { offset: 0, limit: 200 };
const HOUR = 3_600_000;

/** v1 and v2 of "mig" deployed; an instance waiting at review (task + reminder timer), with its task claimed. */
async function waitingOnV1(c: TestContext, orderNo = 'ORDER-1') {
  await c.deploy('mig-v1');
  const instance = await c.start('mig', { orderNo });
  const [task] = await c.activeTasks(instance.id);
  await c.wf.claim(task!.id, 'lisi', 'lisi');
  await c.deploy('mig-v2');
  return { instance, task: task! };
}

const errorOf = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => e as { code: string; status: number; context: { problems: Array<{ instanceId?: string; elementId?: string }> } });

describeOnBothStores('migrating instances between versions', (ctx) => {
  it('Given an instance waiting at a task with a reminder on v1, when it is migrated to v2, then it keeps its task, claim and timer, and goes on along v2', async () => {
    const c = ctx();
    const { instance, task } = await waitingOnV1(c);
    const [timer] = await c.store.listTimers({ instanceId: instance.id });

    const result = await c.wf.migrate({ processKey: 'mig', toVersion: 2, instanceIds: [instance.id] }, 'admin');

    expect(result).to.deep.equal({ processKey: 'mig', toVersion: 2, dryRun: false, instances: [{ instanceId: instance.id, fromVersion: 1, status: 'migrated' }], remaining: 0 });
    const moved = await c.instance(instance.id);
    expect(moved).to.include({ version: 2, state: 'running' });
    expect(moved.activities.map((a) => a.activityId).sort()).to.deep.equal(['remind', 'review']);
    expect(await c.wf.getTask(task.id)).to.include({ state: 'active', assignee: 'lisi', activityId: 'review', definitionId: moved.definitionId });
    expect(await c.store.listTimers({ instanceId: instance.id })).to.deep.equal([{ ...timer!, definitionId: moved.definitionId }]);
    const migrate = (await c.wf.history(instance.id, page)).items.find((h) => h.kind === 'instance.migrate');
    expect(migrate).to.deep.include({ actor: 'admin', data: { fromVersion: 1, toVersion: 2 } });

    await c.advance(HOUR + 60_000); // the reminder, carried over, still fires
    expect((await c.wf.history(instance.id, page)).items.filter((h) => h.kind === 'timer.fire')).to.have.length(1);
    await c.wf.complete(task.id, {}, 'lisi');
    await c.wf.correlate({ name: 'paid', correlationKey: 'ORDER-1' }, 'payment');
    expect(await c.waitingIn(instance.id), 'v2 added a sign-off after payment').to.deep.equal(['signOff']);
    await c.complete(instance.id, 'signOff');
    expect((await c.instance(instance.id)).state).to.equal('completed');
  });

  it('Given an instance on v1, when it is migrated in a dry run, then it is reported valid and nothing changes', async () => {
    const c = ctx();
    const { instance, task } = await waitingOnV1(c);
    const before = await c.instance(instance.id);
    const historyBefore = await count(c.db, 'wf_history');

    const result = await c.wf.migrate({ processKey: 'mig', toVersion: 2, instanceIds: [instance.id], dryRun: true }, 'admin');

    expect(result.instances).to.deep.equal([{ instanceId: instance.id, fromVersion: 1, status: 'valid' }]);
    expect(await c.instance(instance.id)).to.deep.equal(before);
    expect(await c.wf.getTask(task.id)).to.include({ definitionId: before.definitionId });
    expect(await count(c.db, 'wf_history')).to.equal(historyBefore);
    await c.wf.complete(task.id, {}, 'lisi');
    await c.wf.correlate({ name: 'paid', correlationKey: 'ORDER-1' }, 'payment');
    expect((await c.instance(instance.id)).state, 'still on v1: no sign-off').to.equal('completed');
  });

  it('Given v3 renames the waiting task, when migrated without a mapping, then WF_ERR_MIGRATION_INVALID names the instance and activities and nothing changes; with the mapping it moves', async () => {
    const c = ctx();
    const { instance, task } = await waitingOnV1(c);
    await c.deploy('mig-v3-renamed');
    const before = await c.instance(instance.id);

    const error = await errorOf(c.wf.migrate({ processKey: 'mig', toVersion: 3, instanceIds: [instance.id] }, 'admin'));

    expect(error).to.include({ code: 'WF_ERR_MIGRATION_INVALID', status: 422 });
    expect(error!.context.problems.map((p) => [p.instanceId, p.elementId]).sort()).to.deep.equal([
      [instance.id, 'remind'],
      [instance.id, 'review'],
    ]);
    expect(await c.instance(instance.id)).to.deep.equal(before);

    await c.wf.migrate({ processKey: 'mig', toVersion: 3, instanceIds: [instance.id], mapping: { review: 'check', remind: 'nudge' } }, 'admin');
    const moved = await c.instance(instance.id);
    expect(moved.version).to.equal(3);
    expect(moved.activities.map((a) => [a.activityId, a.name]).sort()).to.deep.equal([
      ['check', '初审'],
      ['nudge', null],
    ]);
    expect(await c.wf.getTask(task.id)).to.include({ activityId: 'check', name: '初审', assignee: 'lisi' });
    expect((await c.store.listTimers({ instanceId: instance.id }))[0]).to.include({ activityId: 'nudge' });
    await c.wf.complete(task.id, {}, 'lisi');
    await c.work(); // v3 pays through a service task
    expect((await c.instance(instance.id)).state).to.equal('completed');
  });

  it('Given an instance waiting at a receive task, when mapped onto a service task, then the kinds differ and it is refused', async () => {
    const c = ctx();
    const { instance, task } = await waitingOnV1(c);
    await c.wf.complete(task.id, {}, 'lisi');
    await c.deploy('mig-v3-renamed');

    const error = await errorOf(c.wf.migrate({ processKey: 'mig', toVersion: 3, instanceIds: [instance.id] }, 'admin'));

    expect(error).to.include({ code: 'WF_ERR_MIGRATION_INVALID' });
    expect(error!.context.problems).to.have.length(1);
    expect(error!.context.problems[0]).to.deep.include({ instanceId: instance.id, elementId: 'pay' });
    expect((await c.instance(instance.id)).version).to.equal(1);
  });

  it('Given running and finished instances of v1, when all of v1 is migrated, then only the running ones move, in one go; a mapping to a missing element is refused first', async () => {
    const c = ctx();
    const { instance: first } = await waitingOnV1(c, 'A');
    const second = await c.wf.start({ processKey: 'mig', version: 1, variables: { orderNo: 'B' } }, 'tester');
    const done = await c.wf.start({ processKey: 'mig', version: 1, variables: { orderNo: 'C' } }, 'tester');
    await c.wf.cancel(done.id, null, 'admin');

    const refused = await errorOf(c.wf.migrate({ processKey: 'mig', fromVersion: 1, toVersion: 2, mapping: { review: 'nowhere' } }, 'admin'));
    expect(refused).to.include({ code: 'WF_ERR_MIGRATION_INVALID' });
    expect(refused!.context.problems).to.deep.equal([{ elementId: 'nowhere', message: { 'zh-CN': '目标版本没有节点 nowhere', en: 'the target version has no element nowhere' } }]);

    const result = await c.wf.migrate({ processKey: 'mig', fromVersion: 1, toVersion: 2 }, 'admin');
    expect(result.instances.map((i) => i.instanceId).sort()).to.deep.equal([first.id, second.id].sort());
    expect((await c.instance(done.id)).version).to.equal(1);
    expect((await c.wf.versions('mig')).map((v) => [v.version, v.instances])).to.deep.equal([
      [2, { running: 2 }],
      [1, { cancelled: 1 }],
    ]);
    const again = await c.wf.migrate({ processKey: 'mig', instanceIds: [first.id], toVersion: 2 }, 'admin');
    expect(again.instances).to.deep.equal([{ instanceId: first.id, fromVersion: 2, status: 'unchanged' }]);
  });

  it('Given a task inside a renamed sub-process, when only the task is mapped, then it is refused; mapping the sub-process too moves it, and it goes on along v2', async () => {
    const c = ctx();
    await c.deploy('mig-sub-v1');
    const instance = await c.start('mig-sub');
    await c.deploy('mig-sub-v2');

    const error = await errorOf(c.wf.migrate({ processKey: 'mig-sub', toVersion: 2, instanceIds: [instance.id], mapping: { inner: 'work' } }, 'admin'));
    expect(error).to.include({ code: 'WF_ERR_MIGRATION_INVALID' });
    expect(error!.context.problems[0]).to.deep.include({ elementId: 'inner' });

    await c.wf.migrate({ processKey: 'mig-sub', toVersion: 2, instanceIds: [instance.id], mapping: { inner: 'work', stage: 'phase' } }, 'admin');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['work']);
    await c.complete(instance.id, 'work');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['check']);
    await c.complete(instance.id, 'check');
    expect((await c.instance(instance.id)).state).to.equal('completed');
  });
});
