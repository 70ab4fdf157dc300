import { expect } from 'chai';
import type { HistoryRecord } from '../../engine/core/model.ts';
import type { InstanceView } from '../../engine/core/workflow.ts';
import { count } from '../support/databases.ts';
import { describeOnBothStores, type TestContext } from '../support/harness.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

async function historyOf(ctx: TestContext, instanceId: string): Promise<HistoryRecord[]> {
  return (await ctx.wf.history(instanceId, { offset: 0, limit: 1000 })).items;
}

async function receivesOf(ctx: TestContext, instanceId: string): Promise<HistoryRecord[]> {
  return (await historyOf(ctx, instanceId)).filter((h) => h.kind === 'message.receive');
}

async function correlateError(ctx: TestContext, request: Parameters<TestContext['wf']['correlate']>[0]): Promise<unknown> {
  return ctx.wf.correlate(request, 'sender').then(
    () => expect.fail('correlate should have been refused'),
    (e: unknown) => e,
  );
}

/** Everything an instance shows through the API, to compare before and after a refused call. */
async function snapshot(ctx: TestContext, instance: InstanceView) {
  return {
    instance: await ctx.instance(instance.id),
    history: await historyOf(ctx, instance.id),
    tasks: (await ctx.wf.listTasks({ instanceId: instance.id }, { offset: 0, limit: 100 })).items,
    timers: await ctx.store.listTimers({ instanceId: instance.id }),
  };
}

const PAYMENT = 'ev-payment-received';

describeOnBothStores('messages', (ctx) => {
  describe('receive task correlated by wf:correlationKey', () => {
    beforeEach(() => ctx().deploy('ev-msg-receive'));

    it('Given an instance waiting in a receive task for order A-1, when the message for A-1 arrives, then that instance moves on', async () => {
      const c = ctx();
      const a1 = await c.start('ev-msg-receive', { orderNo: 'A-1' });
      const a2 = await c.start('ev-msg-receive', { orderNo: 'A-2' });
      await c.complete(a1.id, 'prepare');
      await c.complete(a2.id, 'prepare');
      expect((await c.instance(a1.id)).activities).to.have.length(1);
      expect((await c.instance(a1.id)).activities[0]).to.include({ activityId: 'waitPayment', kind: 'message', message: PAYMENT, correlationKey: 'A-1' });

      const result = await c.wf.correlate({ name: PAYMENT, correlationKey: 'A-1' }, 'bank');

      expect(result).to.deep.equal({ delivered: [a1.id], started: [], buffered: false, failed: [] });
      expect(await c.waitingIn(a1.id)).to.deep.equal(['ship']);
      expect(await c.waitingIn(a2.id), 'the other order still waits').to.deep.equal(['waitPayment']);
      const [receive] = await receivesOf(c, a1.id);
      expect(receive).to.include({ activityId: 'waitPayment', actor: 'bank' });
      expect(receive!.data).to.include({ name: PAYMENT, correlationKey: 'A-1' });
      expect(await c.store.findSubscriptions('message', PAYMENT, 'A-1')).to.deep.equal([]);
      expect(await c.store.findSubscriptions('message', PAYMENT, 'A-2')).to.have.length(1);
    });

    it('When the same message is sent twice at the same moment, then exactly one delivery happens and the other is refused with 404', async () => {
      const c = ctx();
      const instance = await c.start('ev-msg-receive', { orderNo: 'A-1' });
      await c.complete(instance.id, 'prepare');

      const outcomes = await Promise.allSettled([
        c.wf.correlate({ name: PAYMENT, correlationKey: 'A-1', variables: { attempt: 1 } }, 'bank'),
        c.wf.correlate({ name: PAYMENT, correlationKey: 'A-1', variables: { attempt: 2 } }, 'bank'),
      ]);

      const delivered = outcomes.filter((o) => o.status === 'fulfilled');
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(delivered, 'one delivery').to.have.length(1);
      expect(refused, 'one refusal').to.have.length(1);
      expect(refused[0]!.reason).to.include({ code: 'WF_ERR_MESSAGE_NOT_CORRELATED', status: 404 });
      expect(await receivesOf(c, instance.id)).to.have.length(1);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['ship']);
      expect((await c.activeTasks(instance.id)).map((t) => t.activityId)).to.deep.equal(['ship']);
    });

    it('When a message carries variables, then they become process variables of the receiver', async () => {
      const c = ctx();
      const instance = await c.start('ev-msg-receive', { orderNo: 'A-1' });
      await c.complete(instance.id, 'prepare');

      await c.wf.correlate({ name: PAYMENT, correlationKey: 'A-1', variables: { amount: 42.5, payer: { name: 'Ann' } } }, 'bank');

      const after = await c.instance(instance.id);
      expect(after.variables).to.deep.equal({ orderNo: 'A-1', amount: 42.5, payer: { name: 'Ann' } });
      const set = (await historyOf(c, instance.id)).filter((h) => h.kind === 'variable.set').map((h) => h.data!.name);
      expect(set).to.include.members(['amount', 'payer']);
    });

    it('Given nobody waits under key Z-9, when a message for Z-9 is sent, then it is refused with 404 and nothing is written', async () => {
      const c = ctx();
      const instance = await c.start('ev-msg-receive', { orderNo: 'A-1' });
      await c.complete(instance.id, 'prepare');
      const before = await snapshot(c, instance);

      const error = await correlateError(c, { name: PAYMENT, correlationKey: 'Z-9', variables: { amount: 1 } });

      expect(error).to.include({ code: 'WF_ERR_MESSAGE_NOT_CORRELATED', status: 404 });
      expect(await snapshot(c, instance)).to.deep.equal(before);
      expect(await count(c.db, 'wf_buffered_messages')).to.equal(0);
    });

    it('Given two instances waiting under the same key, when a message is sent without all, then it is refused with 409 and neither moves', async () => {
      const c = ctx();
      const first = await c.start('ev-msg-receive', { orderNo: 'SAME' });
      const second = await c.start('ev-msg-receive', { orderNo: 'SAME' });
      await c.complete(first.id, 'prepare');
      await c.complete(second.id, 'prepare');
      const before = [await snapshot(c, first), await snapshot(c, second)];

      const error = await correlateError(c, { name: PAYMENT, correlationKey: 'SAME' });

      expect(error).to.include({ code: 'WF_ERR_MESSAGE_AMBIGUOUS', status: 409 });
      expect((error as { context: { count: number } }).context.count).to.equal(2);
      expect([await snapshot(c, first), await snapshot(c, second)]).to.deep.equal(before);
    });

    it('Given two instances waiting under the same key, when the message is sent with all=true, then both receive it', async () => {
      const c = ctx();
      const first = await c.start('ev-msg-receive', { orderNo: 'SAME' });
      const second = await c.start('ev-msg-receive', { orderNo: 'SAME' });
      await c.complete(first.id, 'prepare');
      await c.complete(second.id, 'prepare');

      const result = await c.wf.correlate({ name: PAYMENT, correlationKey: 'SAME', all: true, variables: { paid: true } }, 'bank');

      expect(result.delivered).to.have.members([first.id, second.id]);
      expect(result.started).to.deep.equal([]);
      for (const instance of [first, second]) {
        expect(await c.waitingIn(instance.id)).to.deep.equal(['ship']);
        expect((await c.instance(instance.id)).variables).to.include({ paid: true });
        expect(await receivesOf(c, instance.id)).to.have.length(1);
      }
    });
  });

  describe('default correlation key', () => {
    beforeEach(() => ctx().deploy('ev-msg-receive-bk'));

    it('Given a receive task without wf:correlationKey, when the message names the business key, then the instance with that business key receives it', async () => {
      const c = ctx();
      const mine = await c.start('ev-msg-receive-bk', {}, 'CONTRACT-7');
      const other = await c.start('ev-msg-receive-bk', {}, 'CONTRACT-8');
      expect((await c.instance(mine.id)).activities[0]).to.include({ activityId: 'waitSignature', kind: 'message', correlationKey: 'CONTRACT-7' });

      const result = await c.wf.correlate({ name: 'ev-contract-signed', correlationKey: 'CONTRACT-7' }, 'notary');

      expect(result.delivered).to.deep.equal([mine.id]);
      expect(await c.waitingIn(mine.id)).to.deep.equal(['archive']);
      expect(await c.waitingIn(other.id)).to.deep.equal(['waitSignature']);
    });
  });

  describe('buffered messages', () => {
    beforeEach(() => ctx().deploy('ev-msg-receive'));

    it('Given the instance is not yet waiting, when a message is sent with bufferSeconds, then it is buffered and delivered exactly once when the instance reaches the receive task', async () => {
      const c = ctx();
      const instance = await c.start('ev-msg-receive', { orderNo: 'B-1' });
      const twin = await c.start('ev-msg-receive', { orderNo: 'B-1' });

      const result = await c.wf.correlate({ name: PAYMENT, correlationKey: 'B-1', bufferSeconds: 600, variables: { amount: 7 } }, 'bank');

      expect(result).to.deep.equal({ delivered: [], started: [], buffered: true, failed: [] });
      expect(await count(c.db, 'wf_buffered_messages')).to.equal(1);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['prepare']);

      await c.advance(5 * MINUTE);
      await c.complete(instance.id, 'prepare');

      expect(await c.waitingIn(instance.id)).to.deep.equal(['ship']);
      expect((await c.instance(instance.id)).variables).to.include({ amount: 7 });
      const receives = await receivesOf(c, instance.id);
      expect(receives).to.have.length(1);
      expect(receives[0]!.data).to.include({ name: PAYMENT, correlationKey: 'B-1', buffered: true });
      expect(await count(c.db, 'wf_buffered_messages')).to.equal(0);
      expect(await c.store.findSubscriptions('message', PAYMENT, 'B-1')).to.deep.equal([]);

      // A second instance under the same key does not get the message again.
      await c.complete(twin.id, 'prepare');
      expect(await c.waitingIn(twin.id)).to.deep.equal(['waitPayment']);
      expect(await receivesOf(c, twin.id)).to.deep.equal([]);
      expect((await c.instance(twin.id)).variables).to.not.have.property('amount');
    });

    it('Given a message buffered while the instance was entering its receive task (each side blind to the other), then the instance still takes it, once', async () => {
      const c = ctx();
      const instance = await c.start('ev-msg-receive', { orderNo: 'B-3' });
      // The race: the receiving step looks at the buffer (empty), then the sender buffers and looks for
      // receivers before that step has committed its wait — so neither side sees the other.
      const store = c.wf.services.store;
      const look = store.findBufferedMessages.bind(store);
      let raced = false;
      store.findBufferedMessages = async (name, key, now) => {
        const seen = await look(name, key, now);
        if (!raced && name === PAYMENT) {
          raced = true;
          await store.commit([{ type: 'message.insert', record: { id: 'raced-1', name: PAYMENT, correlationKey: 'B-3', variables: { amount: 9 }, expiresAt: now + 60_000, createdAt: now } }]);
        }
        return seen;
      };
      try {
        await c.complete(instance.id, 'prepare');
      } finally {
        store.findBufferedMessages = look;
      }
      expect(raced).to.equal(true);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['ship']);
      expect((await c.instance(instance.id)).variables).to.include({ amount: 9 });
      expect(await receivesOf(c, instance.id)).to.have.length(1);
      expect(await count(c.db, 'wf_buffered_messages')).to.equal(0);
    });

    it('Given a buffered message whose time ran out, when the instance reaches the receive task, then it is not delivered and the instance waits', async () => {
      const c = ctx();
      const instance = await c.start('ev-msg-receive', { orderNo: 'B-2' });
      const result = await c.wf.correlate({ name: PAYMENT, correlationKey: 'B-2', bufferSeconds: 60 }, 'bank');
      expect(result.buffered).to.equal(true);

      await c.advance(2 * MINUTE);
      await c.complete(instance.id, 'prepare');

      expect(await c.waitingIn(instance.id)).to.deep.equal(['waitPayment']);
      expect(await receivesOf(c, instance.id)).to.deep.equal([]);
      expect(await c.store.findSubscriptions('message', PAYMENT, 'B-2')).to.have.length(1);
    });
  });

  describe('message start event', () => {
    beforeEach(() => ctx().deploy('ev-msg-start'));

    it('Given only a message start event listens for ev-order-placed, when that message is sent, then a new instance starts with its variables', async () => {
      const c = ctx();
      const result = await c.wf.correlate({ name: 'ev-order-placed', correlationKey: 'ORD-1', variables: { item: 'book', quantity: 2 } }, 'shop');

      expect(result.delivered).to.deep.equal([]);
      expect(result.buffered).to.equal(false);
      expect(result.started).to.have.length(1);
      const started = await c.instance(result.started[0]!);
      expect(started).to.include({ processKey: 'ev-msg-start', state: 'running', businessKey: 'ORD-1', startedBy: 'shop' });
      expect(started.variables).to.deep.equal({ item: 'book', quantity: 2 });
      expect(started.activities.map((a) => a.activityId)).to.deep.equal(['handle']);
      const history = await historyOf(c, started.id);
      expect(history[0]).to.include({ kind: 'instance.start' });
      expect(history.map((h) => `${h.kind}:${h.activityId ?? ''}`)).to.include.members(['activity.end:placed', 'task.create:handle']);

      const again = await c.wf.correlate({ name: 'ev-order-placed', correlationKey: 'ORD-2' }, 'shop');
      expect(again.started).to.have.length(1);
      expect(again.started[0]).to.not.equal(started.id);
      expect((await c.wf.listInstances({ processKey: 'ev-msg-start' }, { offset: 0, limit: 10 })).total).to.equal(2);
    });
  });

  describe('message events', () => {
    it('Given an interrupting message boundary on a user task, when the message arrives, then the task is cancelled and the boundary path is taken', async () => {
      const c = ctx();
      await c.deploy('ev-msg-boundary');
      const instance = await c.start('ev-msg-boundary', { orderNo: 'C-1' });
      const [review] = await c.activeTasks(instance.id);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['cancelled', 'review']);

      const result = await c.wf.correlate({ name: 'ev-order-cancelled', correlationKey: 'C-1', variables: { reason: 'customer' } }, 'shop');

      expect(result.delivered).to.deep.equal([instance.id]);
      expect((await c.wf.getTask(review!.id)).state).to.equal('cancelled');
      expect(await c.waitingIn(instance.id)).to.deep.equal(['cleanup']);
      expect((await c.instance(instance.id)).variables).to.include({ reason: 'customer' });
      const history = await historyOf(c, instance.id);
      expect(history.filter((h) => h.kind === 'task.cancel').map((h) => h.taskId)).to.deep.equal([review!.id]);
      expect(history.filter((h) => h.kind === 'message.receive').map((h) => h.activityId)).to.deep.equal(['cancelled']);
      expect(await c.store.findSubscriptions('message', 'ev-order-cancelled')).to.deep.equal([]);
    });

    it('Given an intermediate message catch event, when the message for its key arrives, then the flow continues', async () => {
      const c = ctx();
      await c.deploy('ev-msg-catch');
      const instance = await c.start('ev-msg-catch', { orderNo: 'D-1' });
      expect((await c.instance(instance.id)).activities[0]).to.include({ activityId: 'arrival', kind: 'message', message: 'ev-shipment-arrived', correlationKey: 'D-1' });

      const result = await c.wf.correlate({ name: 'ev-shipment-arrived', correlationKey: 'D-1', variables: { boxes: 3 } }, 'carrier');

      expect(result.delivered).to.deep.equal([instance.id]);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['unpack']);
      expect((await c.instance(instance.id)).variables).to.include({ boxes: 3 });
      expect(await receivesOf(c, instance.id)).to.have.length(1);

      const late = await correlateError(c, { name: 'ev-shipment-arrived', correlationKey: 'D-1' });
      expect(late).to.include({ code: 'WF_ERR_MESSAGE_NOT_CORRELATED', status: 404 });
    });
  });

  describe('event-based gateway', () => {
    beforeEach(() => ctx().deploy('ev-msg-race'));

    it('Given an event-based gateway with a message and a one-hour timer, when the message comes first, then the reply path is taken and the timer row is gone', async () => {
      const c = ctx();
      const instance = await c.start('ev-msg-race', { caseNo: 'E-1' });
      expect(await c.waitingIn(instance.id)).to.deep.equal(['oneHour', 'reply']);
      expect(await c.store.listTimers({ instanceId: instance.id })).to.have.length(1);

      await c.advance(30 * MINUTE);
      const result = await c.wf.correlate({ name: 'ev-reply-received', correlationKey: 'E-1' }, 'client');

      expect(result.delivered).to.deep.equal([instance.id]);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['handleReply']);
      expect(await c.store.listTimers({ instanceId: instance.id })).to.deep.equal([]);

      await c.advance(2 * HOUR);
      expect(await c.waitingIn(instance.id)).to.deep.equal(['handleReply']);
      const history = await historyOf(c, instance.id);
      expect(history.filter((h) => h.kind === 'timer.fire')).to.deep.equal([]);
      expect(history.some((h) => h.kind === 'task.create' && h.activityId === 'chase')).to.equal(false);
    });

    it('Given an event-based gateway with a message and a one-hour timer, when the hour passes first, then the chase path is taken and a later message is not correlated', async () => {
      const c = ctx();
      const instance = await c.start('ev-msg-race', { caseNo: 'E-2' });
      expect(await c.store.findSubscriptions('message', 'ev-reply-received', 'E-2')).to.have.length(1);

      await c.advance(HOUR + MINUTE);

      expect(await c.waitingIn(instance.id)).to.deep.equal(['chase']);
      expect(await c.store.findSubscriptions('message', 'ev-reply-received', 'E-2')).to.deep.equal([]);
      const before = await snapshot(c, instance);
      const error = await correlateError(c, { name: 'ev-reply-received', correlationKey: 'E-2' });
      expect(error).to.include({ code: 'WF_ERR_MESSAGE_NOT_CORRELATED', status: 404 });
      expect(await snapshot(c, instance)).to.deep.equal(before);
      expect((await historyOf(c, instance.id)).filter((h) => h.kind === 'timer.fire').map((h) => h.activityId)).to.deep.equal(['oneHour']);
    });
  });
});
