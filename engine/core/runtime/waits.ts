/**
 * What a case newly waits for, turned into rows: a task (task-creation.ts), a
 * timer, a job for a service task (the outbox: written with the step), a
 * message or signal subscription — or a called instance. A message already
 * buffered for a new subscription is taken at once instead.
 */
import type { HistoryEvent, JobRecord, Wait } from '../model.ts';
import type { Write } from '../ports.ts';
import { evaluateAttribute, toText } from './attributes.ts';
import { startCalled } from './call-activities.ts';
import type { WaitingElement } from './live-instance.ts';
import { waitKey, type StepContext as Step, type StepInstance } from './step-context.ts';
import { openTask } from './task-creation.ts';

/** The wait for `element`, its rows kept on the instance until commit; null when it did not wait after all. */
export async function openWait(step: Step, t: StepInstance, element: WaitingElement): Promise<Wait | null> {
  const live = t.live!;
  const instanceId = t.record.id;
  const key = waitKey(element);
  const rows = { writes: [] as Write[], history: [] as HistoryEvent[] };
  switch (element.kind) {
    case 'task':
      return openTask(step, t, element);
    case 'timer': {
      const timerId = step.newId();
      rows.writes.push({
        type: 'timer.insert',
        record: { id: timerId, instanceId, definitionId: t.record.definitionId, activityId: element.activityId, executionId: element.executionId, kind: 'event', spec: element.spec, dueAt: element.dueAt, attempts: 0, lastError: null, createdAt: step.now },
      });
      t.opened.set(key, rows);
      return { kind: 'timer', activityId: element.activityId, executionId: element.executionId, timerId, dueAt: element.dueAt };
    }
    case 'job': {
      const model = live.definition.model.serviceTasks[element.activityId];
      const job: JobRecord = {
        id: step.newId(),
        idempotencyKey: `${instanceId}:${element.executionId}`,
        instanceId,
        activityId: element.activityId,
        executionId: element.executionId,
        handler: element.handler,
        input: element.locals,
        state: 'pending',
        attempts: 0,
        maxAttempts: model?.retry.maxAttempts ?? 3,
        backoffMs: model?.retry.backoffMs ?? 10_000,
        runAt: step.now,
        lastError: null,
        createdAt: step.now,
        updatedAt: step.now,
      };
      rows.writes.push({ type: 'job.insert', record: job });
      t.opened.set(key, rows);
      return { kind: 'job', activityId: element.activityId, executionId: element.executionId, jobId: job.id, handler: job.handler };
    }
    case 'message': {
      const model = live.definition.model.messageCatches[element.activityId];
      const name = model?.messageName ?? String((element.content.message as { name?: string } | undefined)?.name ?? element.activityId);
      const correlationKey = model?.correlationKey ? evaluateAttribute(live, element.activityId, model.correlationKey, element.content, (v) => toText(v, 255)) : t.record.businessKey;
      const buffered = (await step.deps.store.findBufferedMessages(name, correlationKey, step.now))[0];
      if (buffered) {
        step.write({ type: 'message.delete', id: buffered.id });
        step.record({ instanceId, kind: 'message.receive', activityId: element.activityId, data: { name, correlationKey, buffered: true } });
        Object.assign(live.variables, buffered.variables);
        t.done.add(key);
        await step.act(t, (l) => l.signal(element.executionId, buffered.variables));
        return null;
      }
      const subscriptionId = step.newId();
      rows.writes.push({
        type: 'subscription.insert',
        record: { id: subscriptionId, instanceId, definitionId: t.record.definitionId, kind: 'message', name, correlationKey, activityId: element.activityId, executionId: element.executionId, createdAt: step.now },
      });
      t.opened.set(key, rows);
      return { kind: 'message', activityId: element.activityId, executionId: element.executionId, subscriptionId, name, correlationKey };
    }
    case 'signal': {
      const name = live.definition.model.signalCatches[element.activityId]?.signalName ?? element.activityId;
      const subscriptionId = step.newId();
      rows.writes.push({
        type: 'subscription.insert',
        record: { id: subscriptionId, instanceId, definitionId: t.record.definitionId, kind: 'signal', name, correlationKey: null, activityId: element.activityId, executionId: element.executionId, createdAt: step.now },
      });
      t.opened.set(key, rows);
      return { kind: 'signal', activityId: element.activityId, executionId: element.executionId, subscriptionId, name };
    }
    case 'call': {
      const child = await startCalled(step, t, element.activityId, element.executionId, element.content);
      return { kind: 'call', activityId: element.activityId, executionId: element.executionId, childInstanceId: child.record.id };
    }
  }
}
