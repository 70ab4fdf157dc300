import { expect } from 'chai';
import type { HistoryRecord } from '../../engine/core/model.ts';
import { describeOnBothStores, type TestContext } from '../support/harness.ts';

async function historyOf(ctx: TestContext, instanceId: string): Promise<HistoryRecord[]> {
  return (await ctx.wf.history(instanceId, { offset: 0, limit: 1000 })).items;
}

async function signalReceives(ctx: TestContext, instanceId: string): Promise<HistoryRecord[]> {
  return (await historyOf(ctx, instanceId)).filter((h) => h.kind === 'signal.receive');
}

describeOnBothStores('signals', (ctx) => {
  describe('intermediate signal catch event', () => {
    beforeEach(() => ctx().deploy('ev-sig-catch'));

    it('Given three instances waiting for ev-alarm, when the signal is broadcast, then every one of them moves on and their ids are returned', async () => {
      const c = ctx();
      const instances = [await c.start('ev-sig-catch'), await c.start('ev-sig-catch'), await c.start('ev-sig-catch')];
      for (const instance of instances) {
        expect((await c.instance(instance.id)).activities[0]).to.include({ activityId: 'alarmRaised', kind: 'signal', signal: 'ev-alarm' });
      }

      const result = await c.wf.signal({ name: 'ev-alarm', variables: { level: 'red' } }, 'operator');

      expect(result.delivered).to.have.members(instances.map((i) => i.id));
      expect(result.delivered).to.have.length(3);
      expect(result.started).to.deep.equal([]);
      expect(result.buffered).to.equal(false);
      for (const instance of instances) {
        expect(await c.waitingIn(instance.id)).to.deep.equal(['react']);
        expect((await c.instance(instance.id)).variables).to.include({ level: 'red' });
        const receives = await signalReceives(c, instance.id);
        expect(receives).to.have.length(1);
        expect(receives[0]).to.include({ activityId: 'alarmRaised', actor: 'operator' });
      }
      expect(await c.store.findSubscriptions('signal', 'ev-alarm')).to.deep.equal([]);
    });

    it('Given instances that already received ev-alarm, when it is broadcast again, then nobody receives it twice', async () => {
      const c = ctx();
      const instance = await c.start('ev-sig-catch');
      await c.wf.signal({ name: 'ev-alarm' }, 'operator');
      const later = await c.start('ev-sig-catch');

      const result = await c.wf.signal({ name: 'ev-alarm' }, 'operator');

      expect(result.delivered).to.deep.equal([later.id]);
      expect(await signalReceives(c, instance.id)).to.have.length(1);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['react']);
    });
  });

  describe('signal start event', () => {
    it('Given a process with a signal start event, when the signal is broadcast, then a new instance starts with the variables', async () => {
      const c = ctx();
      await c.deploy('ev-sig-start');

      const result = await c.wf.signal({ name: 'ev-go-live', variables: { release: '2.0' } }, 'release-bot');

      expect(result.delivered).to.deep.equal([]);
      expect(result.started).to.have.length(1);
      const started = await c.instance(result.started[0]!);
      expect(started).to.include({ processKey: 'ev-sig-start', state: 'running' });
      expect(started.variables).to.deep.equal({ release: '2.0' });
      expect(started.activities.map((a) => a.activityId)).to.deep.equal(['announce']);
      expect((await historyOf(c, started.id)).map((h) => `${h.kind}:${h.activityId ?? ''}`)).to.include.members(['instance.start:', 'activity.end:live', 'task.create:announce']);

      const again = await c.wf.signal({ name: 'ev-go-live' }, 'release-bot');
      expect(again.started).to.have.length(1);
      expect((await c.wf.listInstances({ processKey: 'ev-sig-start' }, { offset: 0, limit: 10 })).total).to.equal(2);
    });
  });

  describe('nobody listening', () => {
    it('Given nobody waits for a signal, when it is broadcast, then it reaches nobody and that is not an error', async () => {
      const c = ctx();
      await c.deploy('ev-sig-catch');
      const bystander = await c.start('ev-sig-catch');
      const before = await historyOf(c, bystander.id);

      const result = await c.wf.signal({ name: 'ev-nobody-listens', variables: { x: 1 } }, 'operator');

      expect(result).to.deep.equal({ delivered: [], started: [], buffered: false, failed: [] });
      expect(await historyOf(c, bystander.id)).to.deep.equal(before);
      expect(await c.waitingIn(bystander.id)).to.deep.equal(['alarmRaised']);
    });
  });

  describe('non-interrupting signal boundary', () => {
    beforeEach(() => ctx().deploy('ev-sig-boundary'));

    it('Given a non-interrupting signal boundary on a user task, when the signal arrives, then the task stays active and the extra path runs', async () => {
      const c = ctx();
      const instance = await c.start('ev-sig-boundary');
      const [work] = await c.activeTasks(instance.id);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['headsUpReceived', 'work']);

      const result = await c.wf.signal({ name: 'ev-heads-up', variables: { topic: 'audit' } }, 'manager');

      expect(result.delivered).to.deep.equal([instance.id]);
      expect((await c.wf.getTask(work!.id)).state).to.equal('active');
      const open = (await c.activeTasks(instance.id)).map((t) => t.activityId).sort();
      expect(open).to.deep.equal(['note', 'work']);
      expect((await c.instance(instance.id)).variables).to.include({ topic: 'audit' });
      expect((await signalReceives(c, instance.id)).map((h) => h.activityId)).to.deep.equal(['headsUpReceived']);
      expect((await historyOf(c, instance.id)).some((h) => h.kind === 'task.cancel')).to.equal(false);

      await c.complete(instance.id, 'note');
      await c.complete(instance.id, 'work');
      expect((await c.instance(instance.id)).state).to.equal('completed');
    });

    it('Given a non-interrupting signal boundary, when the task completes first, then its subscription is gone and a later signal reaches nobody', async () => {
      const c = ctx();
      const instance = await c.start('ev-sig-boundary');
      expect(await c.store.findSubscriptions('signal', 'ev-heads-up')).to.have.length(1);

      await c.complete(instance.id, 'work');

      expect((await c.instance(instance.id)).state).to.equal('completed');
      expect(await c.store.findSubscriptions('signal', 'ev-heads-up')).to.deep.equal([]);
      const result = await c.wf.signal({ name: 'ev-heads-up' }, 'manager');
      expect(result).to.deep.equal({ delivered: [], started: [], buffered: false, failed: [] });
      expect(await signalReceives(c, instance.id)).to.deep.equal([]);
    });
  });
});
