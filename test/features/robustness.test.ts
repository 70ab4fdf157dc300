/** Races and edge cases found in review: each test pins one down. */
import { expect } from 'chai';
import { HandlerRegistry } from '../../engine/core/handlers.ts';
import { silentLogger } from '../../engine/core/ports.ts';
import { nextCycle } from '../../engine/core/usecases/deploy.ts';
import { fireTimer, runJob } from '../../engine/core/usecases/jobs.ts';
import { Workflow } from '../../engine/core/workflow.ts';
import { count } from '../support/databases.ts';
import { describeOnBothStores, fixture } from '../support/harness.ts';

const HOUR = 3_600_000;

describeOnBothStores('robustness', (ctx) => {
  it('Given a boundary timer that is overdue but not yet fired, when the user completes the task, then the completion wins and the timer is gone', async () => {
    const c = ctx();
    await c.deploy('ev-timer-boundary');
    const instance = await c.start('ev-timer-boundary');
    c.clock.advance(2 * HOUR); // due, but the scheduler has not run
    await c.complete(instance.id, 'work');
    const after = await c.instance(instance.id);
    expect(after.state).to.equal('completed');
    expect(await c.store.listTimers({ instanceId: instance.id })).to.deep.equal([]);
    const history = (await c.wf.history(instance.id, { offset: 0, limit: 100 })).items;
    expect(history.filter((h) => h.kind === 'timer.fire')).to.deep.equal([]);
    await c.work();
    expect((await c.instance(instance.id)).state).to.equal('completed');
  });

  it('Given a handler still running when a boundary timer interrupts its task, when the handler returns, then its result is dropped and it never runs again', async () => {
    const c = ctx();
    let release: () => void = () => undefined;
    let calls = 0;
    const handlers = new HandlerRegistry().register('slow', async () => {
      calls++;
      await new Promise<void>((resolve) => (release = resolve));
      return { late: true };
    });
    const wf = new Workflow({ store: c.store, handlers, clock: c.clock, logger: silentLogger });
    await wf.deploy(fixture('rb-slow-job'), 'tester');
    const instance = await wf.start({ processKey: 'rb-slow-job' }, 'tester');
    const [job] = await c.store.leaseDueJobs(c.clock.now(), 10, 'w1', 60_000);
    const running = runJob(wf.services, job!);
    while (calls === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    c.clock.advance(2 * 60_000);
    const [timer] = await c.store.leaseDueTimers(c.clock.now(), 10, 'w2', 60_000);
    await fireTimer(wf.services, timer!);
    expect((await wf.getInstance(instance.id)).activities.map((a) => a.activityId)).to.deep.equal(['late']);

    release();
    await running;
    expect((await c.store.getJob(job!.id))!.state).to.equal('cancelled');
    expect(await c.store.leaseDueJobs(c.clock.now() + HOUR, 10, 'w3', 60_000)).to.deep.equal([]);
    expect(calls).to.equal(1);
    const history = (await wf.history(instance.id, { offset: 0, limit: 100 })).items;
    expect(history.filter((h) => h.kind === 'job.fail' || h.kind === 'job.complete')).to.deep.equal([]);
    expect((await wf.getInstance(instance.id)).variables).to.not.have.property('late');
  });

  it('Given a signal, when one receiver cannot take it, then the others still get it and the failure is reported', async () => {
    const c = ctx();
    await c.deploy('rb-signal-fragile');
    const good = await c.start('rb-signal-fragile', { route: 'next' });
    const bad = await c.start('rb-signal-fragile');
    const result = await c.wf.signal({ name: 'rb-go' }, 'tester');
    expect(result.delivered).to.deep.equal([good.id]);
    expect(result.failed.map((f) => [f.instanceId, f.code])).to.deep.equal([[bad.id, 'WF_ERR_EXPRESSION']]);
    expect(await c.waitingIn(good.id)).to.deep.equal(['next']);
    expect(await c.waitingIn(bad.id)).to.deep.equal(['wait']);
  });

  it('Given a called child, when someone cancels the child alone, then it is refused (the caller would wait forever)', async () => {
    const c = ctx();
    await c.deploy('st-call-child');
    await c.deploy('st-call-all');
    const parent = await c.start('st-call-all', { applicant: 'ann', amount: 1 });
    const [child] = (await c.wf.listInstances({ parentId: parent.id }, { offset: 0, limit: 10 })).items;
    const error = await c.wf.cancel(child!.id, null, 'tester').catch((e: unknown) => e);
    expect(error).to.include({ code: 'WF_ERR_CALLED_INSTANCE', status: 409 });
    expect((await c.instance(child!.id)).state).to.equal('running');
  });

  it('Given camunda:in referencing a variable that does not exist in an expression, then starting fails with WF_ERR_EXPRESSION and nothing is written', async () => {
    const c = ctx();
    await c.deploy('st-call-child');
    await c.deploy('st-call-mapped');
    const error = await c.start('st-call-mapped', { applicant: 'ann' }).catch((e: unknown) => e);
    expect(error).to.include({ code: 'WF_ERR_EXPRESSION', status: 422 });
    expect((error as { context: { elementId: string; identifier: string } }).context).to.include({ elementId: 'callChild', identifier: 'amount' });
    expect(await count(c.db, 'wf_instances')).to.equal(0);
  });

  it('Given a task claimed by someone else after it was read, when the completion commits, then it loses with 409', async () => {
    const c = ctx();
    await c.deploy('approval');
    const instance = await c.start('approval', { applicant: null }, 'B-1');
    const [task] = await c.activeTasks(instance.id);
    // The guard: completing a task read as unassigned fails once someone holds it.
    await c.wf.claim(task!.id, 'bob', 'bob');
    const error = await c.store
      .commit([{ type: 'task.end', id: task!.id, state: 'completed', at: c.clock.now(), by: 'ann', candidates: false, assignee: null }])
      .catch((e: unknown) => e);
    expect(error).to.have.property('name', 'ConflictError');
    expect((await c.wf.getTask(task!.id)).state).to.equal('active');
    expect(await c.wf.complete(task!.id, {}, 'ann').catch((e: unknown) => e)).to.include({ code: 'WF_ERR_TASK_CLAIMED' });
  });

  it('Given four deployments of the same key at once, then each gets its own version and none fails', async () => {
    const c = ctx();
    const xml = (n: number) => fixture('approval').replace('name="Approval"', `name="Approval ${n}"`);
    const results = await Promise.all([1, 2, 3, 4].map((n) => c.wf.deploy(xml(n), 'tester')));
    expect(results.map((r) => r[0]!.version).sort()).to.deep.equal([1, 2, 3, 4]);
  });

  it('Given a sequence flow without a source, then deploy says so with 422 and stores nothing', async () => {
    const c = ctx();
    const broken = fixture('approval').replace('<sequenceFlow id="f1" sourceRef="start" targetRef="submit" />', '<sequenceFlow id="f1" targetRef="submit" />');
    const error = await c.wf.deploy(broken, 'tester').catch((e: unknown) => e);
    expect(error).to.include({ status: 422 });
    expect(await count(c.db, 'wf_definitions')).to.equal(0);
  });
});

describe('start timer cycles', () => {
  it('with a start date, the next occurrence follows the last firing (daily at 09:00), not the start date', () => {
    const firedAt = Date.parse('2026-11-22T09:00:00Z');
    expect(nextCycle('timeCycle:R/2024-01-01T09:00:00Z/P1D', firedAt)).to.deep.equal({ spec: 'timeCycle:R/2024-01-01T09:00:00Z/P1D', dueAt: Date.parse('2026-11-23T09:00:00Z') });
    expect(nextCycle('timeCycle:R3/PT1H', firedAt)).to.deep.equal({ spec: 'timeCycle:R2/PT1H', dueAt: firedAt + HOUR });
    expect(nextCycle('timeCycle:R1/PT1H', firedAt)).to.equal(null);
    expect(nextCycle('timeDuration:PT1H', firedAt)).to.equal(null);
  });
});
