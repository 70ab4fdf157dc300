import { expect } from 'chai';
import type { HistoryRecord } from '../../engine/core/model.ts';
import { silentLogger } from '../../engine/core/ports.ts';
import { Scheduler } from '../../engine/core/scheduler.ts';
import { fireTimer } from '../../engine/core/usecases/jobs.ts';
import { Workflow } from '../../engine/core/workflow.ts';
import { describeOnBothStores, testHandlers, type TestContext } from '../support/harness.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

async function historyOf(ctx: TestContext, instanceId: string): Promise<HistoryRecord[]> {
  return (await ctx.wf.history(instanceId, { offset: 0, limit: 1000 })).items;
}

/** The timer.fire events of an instance, optionally of one activity. */
async function firesOf(ctx: TestContext, instanceId: string, activityId?: string): Promise<HistoryRecord[]> {
  return (await historyOf(ctx, instanceId)).filter((h) => h.kind === 'timer.fire' && (activityId === undefined || h.activityId === activityId));
}

async function tasksOf(ctx: TestContext, instanceId: string, activityId: string) {
  return (await ctx.wf.listTasks({ instanceId }, { offset: 0, limit: 200 })).items.filter((t) => t.activityId === activityId);
}

describeOnBothStores('timers', (ctx) => {
  describe('intermediate timer catch event', () => {
    beforeEach(() => ctx().deploy('ev-timer-catch'));

    it('Given an instance waiting on a PT10M timer, when less than ten minutes pass, then nothing happens', async () => {
      const c = ctx();
      const instance = await c.start('ev-timer-catch');
      expect(await c.waitingIn(instance.id)).to.deep.equal(['wait']);
      const [timer] = await c.store.listTimers({ instanceId: instance.id });
      expect(timer, 'a persisted timer row').to.include({ activityId: 'wait', kind: 'event' });

      await c.advance(9 * MINUTE);

      expect(await c.waitingIn(instance.id)).to.deep.equal(['wait']);
      expect(await c.store.listTimers({ instanceId: instance.id })).to.have.length(1);
      expect(await firesOf(c, instance.id)).to.deep.equal([]);
      expect(await c.activeTasks(instance.id)).to.deep.equal([]);
    });

    it('Given an instance waiting on a PT10M timer, when the clock passes the due time, then it fires once and the flow continues', async () => {
      const c = ctx();
      const instance = await c.start('ev-timer-catch');
      await c.advance(9 * MINUTE);

      await c.advance(2 * MINUTE);

      expect(await c.waitingIn(instance.id)).to.deep.equal(['after']);
      expect((await c.activeTasks(instance.id)).map((t) => t.activityId)).to.deep.equal(['after']);
      expect(await c.store.listTimers({ instanceId: instance.id })).to.deep.equal([]);
      const fires = await firesOf(c, instance.id);
      expect(fires.map((h) => h.activityId)).to.deep.equal(['wait']);
      const kinds = (await historyOf(c, instance.id)).map((h) => `${h.kind}${h.activityId ? `:${h.activityId}` : ''}`);
      expect(kinds.indexOf('timer.fire:wait')).to.be.lessThan(kinds.indexOf('task.create:after'));

      await c.advance(HOUR);
      expect(await firesOf(c, instance.id), 'fires only once').to.have.length(1);
    });

    it('Given a PT10M timer, when the instance starts, then a timer row due about ten minutes later is shown as the current activity', async () => {
      const c = ctx();
      const startedAt = c.clock.now();
      const instance = await c.start('ev-timer-catch');
      const timers = await c.store.listTimers({ instanceId: instance.id });
      expect(timers).to.have.length(1);
      expect(timers[0]!.dueAt - startedAt).to.be.within(10 * MINUTE, 10 * MINUTE + MINUTE);
      const [activity] = (await c.instance(instance.id)).activities;
      expect(activity).to.include({ activityId: 'wait', kind: 'timer', timerId: timers[0]!.id, dueAt: timers[0]!.dueAt });
    });
  });

  describe('due times follow the engine clock', () => {
    beforeEach(() => ctx().deploy('ev-timer-delayed-catch'));

    it('Given the engine clock moved a day before a PT10M timer is reached, then it is due ten minutes after that (engine) time: not after nine minutes, but after ten', async () => {
      const c = ctx();
      const instance = await c.start('ev-timer-delayed-catch');
      await c.advance(DAY);
      const reachedAt = c.clock.now();
      await c.complete(instance.id, 'prepare');
      const [timer] = await c.store.listTimers({ instanceId: instance.id });
      expect(timer!.dueAt - reachedAt, 'due ten minutes after the (engine) time the timer was reached').to.be.within(10 * MINUTE - SECOND, 10 * MINUTE + SECOND);

      await c.advance(9 * MINUTE);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['wait']);
      expect(await firesOf(c, instance.id)).to.deep.equal([]);

      await c.advance(MINUTE + SECOND);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['after']);
      expect(await firesOf(c, instance.id)).to.have.length(1);
    });
  });

  describe('timeDate', () => {
    beforeEach(() => ctx().deploy('ev-timer-date'));

    it('Given a timeDate five minutes ahead, when the clock reaches it, then the timer fires at that date and not before', async () => {
      const c = ctx();
      const when = new Date(c.clock.now() + 5 * MINUTE).toISOString();
      const instance = await c.start('ev-timer-date', { when });
      const [timer] = await c.store.listTimers({ instanceId: instance.id });
      expect(new Date(timer!.dueAt).toISOString()).to.equal(when);

      await c.advance(4 * MINUTE);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['wait']);
      expect(await firesOf(c, instance.id)).to.deep.equal([]);

      await c.advance(2 * MINUTE);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['after']);
      expect(await firesOf(c, instance.id, 'wait')).to.have.length(1);
      expect(await c.store.listTimers({ instanceId: instance.id })).to.deep.equal([]);
    });
  });

  describe('boundary timers', () => {
    it('Given an interrupting PT1H boundary on a user task, when the hour passes, then the task is cancelled and the boundary path is taken', async () => {
      const c = ctx();
      await c.deploy('ev-timer-boundary');
      const instance = await c.start('ev-timer-boundary');
      const [work] = await c.activeTasks(instance.id);
      expect(work).to.include({ activityId: 'work', state: 'active' });
      expect((await c.store.listTimers({ instanceId: instance.id })).map((t) => t.activityId)).to.deep.equal(['overdue']);

      await c.advance(59 * MINUTE);
      expect((await c.wf.getTask(work!.id)).state).to.equal('active');

      await c.advance(2 * MINUTE);

      expect((await c.wf.getTask(work!.id)).state).to.equal('cancelled');
      expect(await c.waitingIn(instance.id)).to.deep.equal(['escalated']);
      expect((await c.activeTasks(instance.id)).map((t) => t.activityId)).to.deep.equal(['escalated']);
      expect(await c.store.listTimers({ instanceId: instance.id })).to.deep.equal([]);
      const history = await historyOf(c, instance.id);
      expect(history.filter((h) => h.kind === 'timer.fire').map((h) => h.activityId)).to.deep.equal(['overdue']);
      expect(history.filter((h) => h.kind === 'task.cancel').map((h) => h.taskId)).to.deep.equal([work!.id]);
      expect(history.some((h) => h.kind === 'task.complete' && h.activityId === 'work')).to.equal(false);
    });

    it('Given an interrupting boundary timer, when the task is completed before it fires, then the timer row is removed and never fires', async () => {
      const c = ctx();
      await c.deploy('ev-timer-boundary');
      const instance = await c.start('ev-timer-boundary');
      expect(await c.store.listTimers({ instanceId: instance.id })).to.have.length(1);

      await c.advance(30 * MINUTE);
      await c.complete(instance.id, 'work');

      expect(await c.store.listTimers({ instanceId: instance.id })).to.deep.equal([]);
      expect((await c.instance(instance.id)).state).to.equal('completed');
      await c.advance(2 * HOUR);
      expect(await firesOf(c, instance.id)).to.deep.equal([]);
      expect(await tasksOf(c, instance.id, 'escalated')).to.deep.equal([]);
    });

    it('Given a non-interrupting PT1H boundary, when the hour passes, then the task stays active and the reminder path runs too', async () => {
      const c = ctx();
      await c.deploy('ev-timer-boundary-reminder');
      const instance = await c.start('ev-timer-boundary-reminder');
      const [work] = await c.activeTasks(instance.id);

      await c.advance(HOUR + MINUTE);

      expect((await c.wf.getTask(work!.id)).state).to.equal('active');
      expect(await c.waitingIn(instance.id)).to.deep.equal(['remind', 'work']);
      expect(await firesOf(c, instance.id, 'remindLater')).to.have.length(1);
      expect(await c.store.listTimers({ instanceId: instance.id }), 'a one-shot duration does not re-arm').to.deep.equal([]);

      await c.complete(instance.id, 'remind');
      expect(await c.waitingIn(instance.id)).to.deep.equal(['work']);
      await c.complete(instance.id, 'work');
      expect((await c.instance(instance.id)).state).to.equal('completed');
    });

    it('Given a non-interrupting R3/PT1M cycle boundary, when minutes pass, then it fires exactly three times, one a minute', async () => {
      const c = ctx();
      await c.deploy('ev-timer-boundary-cycle');
      const instance = await c.start('ev-timer-boundary-cycle');
      const [work] = await c.activeTasks(instance.id);
      const notified = () => (c.calls.echo ?? []).length;

      await c.advance(30 * SECOND);
      expect(notified(), 'after half a minute').to.equal(0);

      await c.advance(31 * SECOND);
      expect(notified(), 'after one minute').to.equal(1);
      expect(await firesOf(c, instance.id, 'everyMinute')).to.have.length(1);

      await c.advance(MINUTE + SECOND);
      expect(notified(), 'after two minutes').to.equal(2);

      await c.advance(MINUTE + SECOND);
      expect(notified(), 'after three minutes').to.equal(3);

      await c.advance(10 * MINUTE);
      expect(notified(), 'no fourth time').to.equal(3);
      expect(await firesOf(c, instance.id, 'everyMinute')).to.have.length(3);
      expect(await c.store.listTimers({ instanceId: instance.id })).to.deep.equal([]);
      expect((await c.wf.getTask(work!.id)).state).to.equal('active');
      expect(await c.waitingIn(instance.id)).to.deep.equal(['work']);
    });

    // Known limitation of bpmn-elements 17 (README): an activity takes one token at a time. Camunda would
    // open a second reminder at once; here the second token waits and opens it when the first completes.
    it('Given a non-interrupting cycle leading to a user task, when it fires twice while the first reminder is open, then the second reminder opens once the first is done — no token is lost', async () => {
      const c = ctx();
      await c.deploy('ev-timer-boundary-cycle-tasks');
      const instance = await c.start('ev-timer-boundary-cycle-tasks');

      await c.advance(MINUTE + SECOND);
      expect(await c.activeTasks(instance.id).then((ts) => ts.map((t) => t.activityId).sort())).to.deep.equal(['remind', 'work']);

      await c.advance(MINUTE + SECOND);
      expect(await firesOf(c, instance.id, 'everyMinute')).to.have.length(2);
      expect((await c.activeTasks(instance.id)).map((t) => t.activityId).sort()).to.deep.equal(['remind', 'work']);

      await c.complete(instance.id, 'remind');
      expect((await c.activeTasks(instance.id)).map((t) => t.activityId).sort()).to.deep.equal(['remind', 'work']);
      await c.complete(instance.id, 'remind');
      expect((await c.activeTasks(instance.id)).map((t) => t.activityId).sort()).to.deep.equal(['work']);
    });
  });

  describe('timer start event', () => {
    it('Given a process with an R2/PT1M timer start, when minutes pass, then each firing starts one instance and it stops after two', async () => {
      const c = ctx();
      await c.deploy('ev-timer-start');
      const started = async () => (await c.wf.listInstances({ processKey: 'ev-timer-start' }, { offset: 0, limit: 100 })).items;
      const [definition] = (await c.wf.listDefinitions({ key: 'ev-timer-start' }, { offset: 0, limit: 10 })).items;
      const startTimers = () => c.store.listTimers({ definitionId: definition!.id });
      expect((await startTimers()).map((t) => ({ kind: t.kind, instanceId: t.instanceId }))).to.deep.equal([{ kind: 'start', instanceId: null }]);
      expect(await started()).to.deep.equal([]);

      await c.advance(MINUTE + SECOND);
      const first = await started();
      expect(first).to.have.length(1);
      expect(await c.waitingIn(first[0]!.id)).to.deep.equal(['check']);

      await c.advance(MINUTE + SECOND);
      const second = await started();
      expect(second).to.have.length(2);
      for (const instance of second) expect(await c.waitingIn(instance.id)).to.deep.equal(['check']);
      expect(await startTimers(), 'no timer left after the second firing').to.deep.equal([]);

      await c.advance(10 * MINUTE);
      expect(await started()).to.have.length(2);
    });

    it('Given a due start timer handed to two engines, when both fire it at the same moment, then exactly one instance starts and the next occurrence is scheduled once', async () => {
      const c = ctx();
      await c.deploy('ev-timer-start');
      const [definition] = (await c.wf.listDefinitions({ key: 'ev-timer-start' }, { offset: 0, limit: 10 })).items;
      const other = new Workflow({ store: c.store, handlers: testHandlers({}), clock: c.clock, logger: silentLogger });
      c.clock.advance(MINUTE + SECOND);
      const [timer] = await c.store.listTimers({ definitionId: definition!.id });

      await Promise.all([fireTimer(c.wf.services, timer!), fireTimer(other.services, timer!)]);

      const instances = (await c.wf.listInstances({ processKey: 'ev-timer-start' }, { offset: 0, limit: 10 })).items;
      expect(instances).to.have.length(1);
      const next = await c.store.listTimers({ definitionId: definition!.id });
      expect(next.map((t) => ({ kind: t.kind, spec: t.spec }))).to.deep.equal([{ kind: 'start', spec: 'timeCycle:R1/PT1M' }]);
    });
  });

  describe('long timers', () => {
    beforeEach(() => ctx().deploy('ev-timer-long'));

    it('Given a P40D timer (beyond the 24.8-day setTimeout limit), when forty days pass, then it is persisted and fires', async () => {
      const c = ctx();
      const startedAt = c.clock.now();
      const instance = await c.start('ev-timer-long');
      const [timer] = await c.store.listTimers({ instanceId: instance.id });
      expect(timer!.dueAt - startedAt).to.be.within(40 * DAY, 40 * DAY + MINUTE);

      await c.advance(39 * DAY);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['wait']);

      await c.advance(DAY + MINUTE);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['after']);
      expect(await firesOf(c, instance.id, 'wait')).to.have.length(1);
    });
  });

  describe('durability and concurrency', () => {
    beforeEach(() => ctx().deploy('ev-timer-catch'));

    it('Given an instance waiting on a timer, when a brand-new engine and scheduler take over after a restart, then the timer fires once', async () => {
      const c = ctx();
      const instance = await c.start('ev-timer-catch');

      const restarted = new Workflow({ store: c.store, handlers: testHandlers({}), clock: c.clock, logger: silentLogger });
      expect(restarted.services.cache.size).to.equal(0);
      const scheduler = new Scheduler(restarted.services, { workerId: 'after-restart', leaseMs: 60_000 });
      c.clock.advance(11 * MINUTE);
      await scheduler.runUntilIdle();

      expect((await restarted.getInstance(instance.id)).activities.map((a) => a.activityId)).to.deep.equal(['after']);
      expect(await firesOf(c, instance.id, 'wait')).to.have.length(1);
      expect(await c.store.listTimers({ instanceId: instance.id })).to.deep.equal([]);

      // The old engine (with its now stale cache) finds nothing more to do.
      await c.work();
      await scheduler.runUntilIdle();
      expect(await firesOf(c, instance.id, 'wait')).to.have.length(1);
      const after = await restarted.listTasks({ instanceId: instance.id, state: 'active' }, { offset: 0, limit: 10 });
      expect(after.items.map((t) => t.activityId)).to.deep.equal(['after']);
    });

    it('Given five due timers, when two workers tick at the same time, then each timer fires exactly once', async () => {
      const c = ctx();
      const instances = [];
      for (let i = 0; i < 5; i++) instances.push(await c.start('ev-timer-catch'));
      // Small batches, so that the work is spread over both workers.
      const first = new Scheduler(c.wf.services, { workerId: `first-${c.backend}`, leaseMs: 60_000, batchSize: 2 });
      const second = new Scheduler(c.wf.services, { workerId: `second-${c.backend}`, leaseMs: 60_000, batchSize: 2 });
      c.clock.advance(11 * MINUTE);

      const ran = await Promise.all([first.tick(), second.tick()]);
      await Promise.all([first.runUntilIdle(), second.runUntilIdle()]);
      await c.work();

      expect(ran[0] + ran[1], 'the first two ticks together').to.be.within(1, 4);
      for (const instance of instances) {
        expect(await firesOf(c, instance.id, 'wait'), `fires of ${instance.id}`).to.have.length(1);
        expect(await tasksOf(c, instance.id, 'after'), `tasks of ${instance.id}`).to.have.length(1);
        expect(await c.waitingIn(instance.id)).to.deep.equal(['after']);
        expect(await c.store.listTimers({ instanceId: instance.id })).to.deep.equal([]);
      }
      expect((await c.wf.listIncidents({}, { offset: 0, limit: 10 })).items).to.deep.equal([]);
    });

    it('Given a due timer handed to two engines (its lease ran out), when both fire it at the same moment, then it fires exactly once', async () => {
      const c = ctx();
      const instance = await c.start('ev-timer-catch');
      const other = new Workflow({ store: c.store, handlers: testHandlers({}), clock: c.clock, logger: silentLogger });
      c.clock.advance(11 * MINUTE);
      const [timer] = await c.store.listTimers({ instanceId: instance.id });

      await Promise.all([fireTimer(c.wf.services, timer!), fireTimer(other.services, timer!)]);

      expect(await firesOf(c, instance.id, 'wait')).to.have.length(1);
      expect(await tasksOf(c, instance.id, 'after')).to.have.length(1);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['after']);
      expect(await c.store.listTimers({ instanceId: instance.id })).to.deep.equal([]);
      expect((await c.wf.listIncidents({}, { offset: 0, limit: 10 })).items).to.deep.equal([]);
    });
  });
});
