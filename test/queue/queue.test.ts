/**
 * One suite, both job queues: the database queue (SQLite, the embedded
 * default) and BullMQ on Redis (with PostgreSQL, the scaled set-up). Real
 * time, real Redis: jobs move through the outbox, the queue and back.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { HandlerRegistry, PermanentFailure, RetryLater, type HandlerContext } from '../../engine/core/handlers.ts';
import { silentLogger, systemClock } from '../../engine/core/ports.ts';
import { Scheduler } from '../../engine/core/scheduler.ts';
import { Workflow } from '../../engine/core/workflow.ts';
import { BullJobQueue } from '../../engine/queue/bullmq.ts';
import type { Database } from '../../engine/store/connect.ts';
import { SqlStore } from '../../engine/store/sql-store.ts';
import { eventually } from '../support/connectors.ts';
import { databaseUrl, openTestDatabase, removeDatabase, truncate, type Backend } from '../support/databases.ts';
import { deleteRedisKeys, needs, redisPrefix, redisUrl } from '../support/services.ts';
const QUEUES: Array<{ queue: 'database' | 'bullmq'; store: Backend }> = [
  { queue: 'database', store: 'sqlite' },
  { queue: 'bullmq', store: 'postgres' },
];

const bpmn = (id: string, topic: string, retry = 'R3/PT0.05S') => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="${id}-d" targetNamespace="http://workflow.dev/test">
  <process id="${id}" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="call" />
    <serviceTask id="call" camunda:type="external" camunda:topic="${topic}">
      <extensionElements>
        <camunda:failedJobRetryTimeCycle>${retry}</camunda:failedJobRetryTimeCycle>
        <camunda:inputOutput><camunda:inputParameter name="phone">\${phone}</camunda:inputParameter></camunda:inputOutput>
      </extensionElements>
    </serviceTask>
    <sequenceFlow id="f2" sourceRef="call" targetRef="done" /><userTask id="done" camunda:assignee="clerk" />
  </process>
</definitions>`;

for (const setup of QUEUES) {
  describe(`job queue [${setup.queue} on ${setup.store}]`, function () {
    needs(this, setup.store, ...(setup.queue === 'bullmq' ? (['redis'] as const) : []));
    this.timeout(60_000);
    let url: string;
    let db: Database;
    let wf: Workflow;
    let scheduler: Scheduler;
    let prefix: string;
    const calls: Array<{ handler: string; key: string; attempt: number }> = [];
    let running = 0;
    let mostAtOnce = 0;
    const failuresLeft = new Map<string, number>();

    const handlers = () =>
      new HandlerRegistry()
        .register('ok', async (ctx: HandlerContext) => {
          calls.push({ handler: 'ok', key: ctx.idempotencyKey, attempt: ctx.attempt });
          ctx.report({ request: { to: ctx.input.phone }, response: { messageId: `m-${ctx.idempotencyKey}` } });
          return { sent: true };
        })
        .register('flaky', async (ctx) => {
          calls.push({ handler: 'flaky', key: ctx.idempotencyKey, attempt: ctx.attempt });
          const left = failuresLeft.get(ctx.idempotencyKey) ?? 1;
          failuresLeft.set(ctx.idempotencyKey, left - 1);
          if (left > 0) throw new Error('gateway timeout');
          return { sent: true };
        })
        .register('refused', async (ctx) => {
          calls.push({ handler: 'refused', key: ctx.idempotencyKey, attempt: ctx.attempt });
          throw new PermanentFailure('number is blacklisted');
        })
        .register('limited', async (ctx) => {
          calls.push({ handler: 'limited', key: ctx.idempotencyKey, attempt: ctx.attempt });
          if (calls.filter((c) => c.key === ctx.idempotencyKey).length === 1) throw new RetryLater(Date.now() + 100, 'rate limit: 1 per phone per 100 ms');
          return { sent: true };
        })
        .register(
          'narrow',
          async (ctx) => {
            calls.push({ handler: 'narrow', key: ctx.idempotencyKey, attempt: ctx.attempt });
            running++;
            mostAtOnce = Math.max(mostAtOnce, running);
            await new Promise((resolve) => setTimeout(resolve, 60));
            running--;
            return { sent: true };
          },
          { concurrency: 2 },
        );

    before(async () => {
      url = databaseUrl(setup.store);
      db = await openTestDatabase(setup.store, url);
    });
    after(async () => {
      await db?.close();
      removeDatabase(url);
    });
    beforeEach(async () => {
      await truncate(db);
      calls.length = 0;
      running = 0;
      mostAtOnce = 0;
      failuresLeft.clear();
      prefix = redisPrefix('queue');
      wf = new Workflow({ store: new SqlStore(db), handlers: handlers(), clock: systemClock, logger: silentLogger, config: { cacheSize: 0 } });
      const options = { workerId: `w-${setup.queue}`, pollMs: 20, leaseMs: 10_000, concurrency: 8 };
      scheduler = new Scheduler(wf.services, options, setup.queue === 'bullmq' ? (o) => new BullJobQueue(wf.services, { ...o, redisUrl: redisUrl(), prefix }) : undefined);
      wf.services.onWork = () => scheduler.poke();
      await scheduler.start();
    });
    afterEach(async () => {
      await scheduler.stop();
      if (setup.queue === 'bullmq') {
        const redis = new Redis(redisUrl());
        try {
          expect(await deleteRedisKeys(redis, `${prefix}:`), 'the jobs went through Redis').to.be.above(0);
        } finally {
          redis.disconnect();
        }
      }
    });

    const startAll = async (processKey: string, n: number) => Promise.all(Array.from({ length: n }, (_, i) => wf.start({ processKey, variables: { phone: `1380000${String(i).padStart(4, '0')}` } }, 'tester')));
    const atDone = (id: string) => async () => (await wf.getInstance(id)).activities.some((a) => a.activityId === 'done');

    it('Given a service task, when its job is queued, then it runs once, the case moves on and the attempt is on record with what went out and came back', async () => {
      await wf.deploy(bpmn('q-ok', 'ok'), 'tester');
      const [instance] = await startAll('q-ok', 1);
      await eventually('the case to move on', atDone(instance!.id));
      expect(calls).to.have.length(1);
      const [job] = (await wf.services.store.listJobs({ instanceId: instance!.id }, { offset: 0, limit: 10 })).items;
      expect(job).to.include({ state: 'done', attempts: 1 });
      const attempts = await wf.services.store.listJobAttempts(job!.id);
      expect(attempts.map((a) => [a.attempt, a.outcome, a.request, a.response])).to.deep.equal([[1, 'done', { to: '13800000000' }, { messageId: `m-${job!.idempotencyKey}` }]]);
      expect(attempts[0]!.durationMs).to.be.at.least(0);
    });

    it('Given a handler that fails once, when retried with backoff, then it succeeds with the same idempotency key and both attempts are recorded', async () => {
      await wf.deploy(bpmn('q-flaky', 'flaky'), 'tester');
      const [instance] = await startAll('q-flaky', 1);
      await eventually('the case to move on', atDone(instance!.id));
      expect(calls.map((c) => c.attempt)).to.deep.equal([1, 2]);
      expect(new Set(calls.map((c) => c.key)).size).to.equal(1);
      const [job] = (await wf.services.store.listJobs({ instanceId: instance!.id }, { offset: 0, limit: 10 })).items;
      expect((await wf.services.store.listJobAttempts(job!.id)).map((a) => [a.outcome, a.error])).to.deep.equal([
        ['retry', 'gateway timeout'],
        ['done', null],
      ]);
    });

    it('Given a refusal that retrying cannot help, then the job fails at once into the dead letters with an incident; an admin retry runs it again', async () => {
      await wf.deploy(bpmn('q-refused', 'refused'), 'tester');
      const [instance] = await startAll('q-refused', 1);
      const incident = await eventually('an incident', async () => (await wf.listIncidents({ instanceId: instance!.id, state: 'open' }, { offset: 0, limit: 10 })).items[0]);
      expect(calls).to.have.length(1);
      expect((await wf.services.store.listJobs({ state: 'failed' }, { offset: 0, limit: 10 })).items.map((j) => j.id)).to.deep.equal([incident.refId]);
      await wf.retryIncident(incident.id, 'admin');
      await eventually('the second run', async () => calls.length === 2);
      // The handler is called before its attempt is recorded: wait for the record too.
      await eventually('the second attempt recorded', async () => (await wf.services.store.listJobAttempts(incident.refId)).length === 2);
      expect((await wf.services.store.listJobAttempts(incident.refId)).map((a) => a.outcome)).to.deep.equal(['failed', 'failed']);
    });

    it('Given a handler that is rate-limited, then the job waits and runs again without using up an attempt', async () => {
      await wf.deploy(bpmn('q-limited', 'limited', 'R1/PT1S'), 'tester');
      const [instance] = await startAll('q-limited', 1);
      await eventually('the case to move on', atDone(instance!.id));
      expect(calls.map((c) => c.attempt)).to.deep.equal([1, 1]);
      const [job] = (await wf.services.store.listJobs({ instanceId: instance!.id }, { offset: 0, limit: 10 })).items;
      expect((await wf.services.store.listJobAttempts(job!.id)).map((a) => a.outcome)).to.deep.equal(['deferred', 'done']);
    });

    it('Given a handler limited to two at once, when six jobs are due, then no more than two run at the same time', async () => {
      await wf.deploy(bpmn('q-narrow', 'narrow'), 'tester');
      const instances = await startAll('q-narrow', 6);
      for (const instance of instances) await eventually('every case to move on', atDone(instance.id));
      expect(calls).to.have.length(6);
      expect(mostAtOnce).to.be.within(1, 2);
    });

    it('Given forty cases started at once, then every job runs exactly once and every case moves on once', async () => {
      await wf.deploy(bpmn('q-many', 'ok'), 'tester');
      const instances = await startAll('q-many', 40);
      for (const instance of instances) await eventually('every case to move on', atDone(instance.id));
      expect(calls).to.have.length(40);
      expect(new Set(calls.map((c) => c.key)).size).to.equal(40);
      const history = await Promise.all(instances.map(async (i) => (await wf.history(i.id, { offset: 0, limit: 100 })).items.filter((h) => h.kind === 'job.complete').length));
      expect(history.every((n) => n === 1)).to.equal(true);
    });
  });
}
