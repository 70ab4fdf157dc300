/**
 * Work the scheduler hands out: due timers and service-task jobs. Each runs as
 * a step; a failure is retried with backoff and, once retries are spent,
 * becomes an incident on the instance that an admin can retry.
 */
import { fireClock } from './clocks.ts';
import { WorkflowError } from '../errors.ts';
import { BpmnErrorSignal, PermanentFailure, RetryLater, type HandlerResult } from '../handlers.ts';
import type { AttemptOutcome, IncidentRecord, JobRecord, TimerRecord, Variables, Wait } from '../model.ts';
import { ConflictError, type Write } from '../ports.ts';
import type { Step, StepInstance } from '../runtime/step.ts';
import { normalizeVariables } from '../variables.ts';
import { cancelInstance } from './instances.ts';
import type { Services } from '../services.ts';
import { nextCycle } from './deploy.ts';

const TIMER_ATTEMPTS = 3;
const TIMER_BACKOFF_MS = 10_000;
/** A timer with an open incident waits here until an admin retries it. */
const PARKED = Number.MAX_SAFE_INTEGER;

export async function fireTimer(services: Services, timer: TimerRecord, worker: string | null = null): Promise<void> {
  try {
    if (timer.instanceId === null) await fireStartTimer(services, timer);
    else if (timer.kind === 'clock') await fireClock(services, timer);
    else await fireEventTimer(services, timer, worker);
  } catch (err) {
    await timerFailed(services, timer, err);
  }
}

async function fireEventTimer(services: Services, timer: TimerRecord, worker: string | null): Promise<void> {
  await services.step(null, async (step) => {
    const t = await step.load(timer.instanceId!);
    const wait = t.record.state === 'running' ? step.findWait(t, 'timer', (w) => w.timerId === timer.id) : null;
    if (!wait) {
      // The instance moved on in a way that did not remove the row: clean it up.
      step.write({ type: 'timer.delete', id: timer.id, guard: false, at: step.now });
      return;
    }
    step.record({ instanceId: t.record.id, kind: 'timer.fire', activityId: wait.activityId, data: { dueAt: new Date(wait.dueAt).toISOString(), worker } });
    await step.answer(t, wait, (live) => live.fireTimer(wait.executionId));
  });
}

/** A timer start event: start an instance there, then schedule the cycle's next occurrence. */
async function fireStartTimer(services: Services, timer: TimerRecord): Promise<void> {
  const definition = await services.definitions.get(timer.definitionId);
  await services.step(null, async (step) => {
    const t = await step.create(definition, { variables: {}, businessKey: null, startEventId: timer.activityId });
    await step.act(t, (live) => {
      const registered = live.timers.executing.find((r) => r.activityId === timer.activityId);
      if (registered) live.fireTimer(registered.executionId);
    });
    step.write({ type: 'timer.delete', id: timer.id, guard: true, at: step.now });
    const next = timer.spec ? nextCycle(timer.spec, Math.max(timer.dueAt, step.now)) : null;
    if (next) step.write({ type: 'timer.insert', record: { ...timer, id: services.newId(), spec: next.spec, dueAt: next.dueAt, attempts: 0, lastError: null, createdAt: step.now } });
  });
}

async function timerFailed(services: Services, timer: TimerRecord, err: unknown): Promise<void> {
  const attempts = timer.attempts + 1;
  const message = describe(err);
  services.logger.warn({ timer: timer.id, instance: timer.instanceId, attempts, err: message }, 'timer failed');
  const now = services.clock.now();
  const exhausted = attempts >= TIMER_ATTEMPTS || !isRetryable(err);
  if (exhausted && timer.instanceId === null) {
    // A start timer has no instance to hold an incident: skip this occurrence, keep the cycle going.
    services.logger.error({ timer: timer.id, definition: timer.definitionId, err: message }, 'start timer occurrence skipped');
    const next = timer.spec ? nextCycle(timer.spec, Math.max(timer.dueAt, now)) : null;
    await services.store.commit([
      { type: 'timer.delete', id: timer.id, guard: false, at: now },
      ...(next ? [{ type: 'timer.insert' as const, record: { ...timer, id: services.newId(), spec: next.spec, dueAt: next.dueAt, attempts: 0, lastError: null, createdAt: now } }] : []),
    ]);
    return;
  }
  const writes: Write[] = [{ type: 'timer.fail', id: timer.id, attempts, dueAt: exhausted ? PARKED : now + TIMER_BACKOFF_MS * 2 ** (attempts - 1), error: message }];
  if (exhausted && timer.instanceId) writes.push(...openIncident(services, { instanceId: timer.instanceId, activityId: timer.activityId, executionId: timer.executionId, kind: 'timer', refId: timer.id, message }, now));
  await services.store.commit(writes);
}

/** What one attempt did, recorded with its outcome in the same commit. */
interface Attempt {
  number: number;
  worker: string | null;
  startedAt: number;
  started: number;
  request: unknown;
  response: unknown;
}

const attemptRecord = (job: JobRecord, a: Attempt, outcome: AttemptOutcome, error: string | null): Write => ({
  type: 'job.attempt',
  record: { jobId: job.id, attempt: a.number, worker: a.worker, startedAt: a.startedAt, durationMs: performance.now() - a.started, outcome, request: a.request, response: a.response, error },
});

export async function runJob(services: Services, job: JobRecord, worker: string | null = null): Promise<void> {
  const handler = services.handlers.get(job.handler);
  const attempt: Attempt = { number: job.attempts + 1, worker, startedAt: services.clock.now(), started: performance.now(), request: job.input, response: null };
  let result: HandlerResult;
  try {
    if (!handler) throw new PermanentFailure(`no handler named ${job.handler} is registered`);
    const instance = await services.store.getInstance(job.instanceId);
    if (!instance || instance.state !== 'running') {
      await services.store.commit([{ type: 'job.cancel', id: job.id, at: services.clock.now() }]);
      return;
    }
    result = await withTimeout(services.config.handlerTimeoutMs, job.handler, (signal) =>
      handler({
        idempotencyKey: job.idempotencyKey,
        instanceId: job.instanceId,
        businessKey: instance.businessKey,
        activityId: job.activityId,
        attempt: attempt.number,
        variables: instance.variables,
        input: job.input,
        signal,
        report: (details) => {
          if (details.request !== undefined) attempt.request = details.request;
          if (details.response !== undefined) attempt.response = details.response;
        },
      }),
    );
  } catch (err) {
    if (err instanceof RetryLater) return jobDeferred(services, job, attempt, err);
    if (!(err instanceof BpmnErrorSignal)) return jobFailed(services, job, attempt, err);
    return finishJob(services, job, attempt, null, { code: err.code, message: err.message }).catch((stepError: unknown) => jobFailed(services, job, attempt, stepError));
  }
  if (attempt.response === null && result) attempt.response = result;
  services.logger.debug({ job: job.id, handler: job.handler, ms: performance.now() - attempt.started }, 'job done');
  try {
    await finishJob(services, job, attempt, result ?? {}, null);
  } catch (err) {
    // The process could not continue after the handler (e.g. no outgoing flow): the job fails as a whole.
    await jobFailed(services, job, attempt, err);
  }
}

/** Hand the handler's outcome to the waiting service task. */
async function finishJob(services: Services, job: JobRecord, attempt: Attempt, output: Variables | null, bpmnError: { code: string; message: string } | null): Promise<void> {
  await services.step(null, async (step) => {
    const t = await step.load(job.instanceId);
    const wait = t.record.state === 'running' ? step.findWait(t, 'job', (w) => w.jobId === job.id) : null;
    // The task went away meanwhile (interrupted, cancelled): the step that removed it closed the job.
    if (!wait) return;
    step.write(
      { type: 'job.finish', id: job.id, state: 'done', attempts: attempt.number, error: bpmnError?.message ?? null, at: step.now },
      attemptRecord(job, attempt, bpmnError ? 'bpmn-error' : 'done', bpmnError?.message ?? null),
    );
    step.record({ instanceId: t.record.id, kind: 'job.complete', activityId: job.activityId, data: { handler: job.handler, attempt: attempt.number, worker: attempt.worker, ...(bpmnError && { bpmnError: bpmnError.code }) } });
    await continueTask(step, t, wait, job, output, bpmnError);
  });
}

/** The service task goes on: its output becomes variables (or its resultVariable), or its BPMN error is thrown. */
function continueTask(step: Step, t: StepInstance, wait: Extract<Wait, { kind: 'job' }>, job: JobRecord, output: Variables | null, bpmnError: { code: string; message: string } | null): Promise<void> {
  return step.answer(t, wait, (live) => {
    if (output) {
      const resultVariable = live.definition.model.serviceTasks[job.activityId]?.resultVariable;
      if (resultVariable) live.variables[resultVariable] = output;
      else Object.assign(live.variables, output);
    }
    return live.resolveService(wait.executionId, bpmnError);
  });
}

async function jobFailed(services: Services, job: JobRecord, attempt: Attempt, err: unknown): Promise<void> {
  const message = describe(err);
  const now = services.clock.now();
  const retry = isRetryable(err) && attempt.number < job.maxAttempts;
  services.logger.warn({ job: job.id, handler: job.handler, attempt: attempt.number, retry, err: message }, 'job failed');
  const history = { type: 'history' as const, events: [{ instanceId: job.instanceId, at: now, actor: null, kind: 'job.fail' as const, activityId: job.activityId, data: { handler: job.handler, attempt: attempt.number, error: message, retry } }] };
  const writes: Write[] = retry
    ? [{ type: 'job.retry', id: job.id, attempts: attempt.number, runAt: now + job.backoffMs * 2 ** (attempt.number - 1), error: message, at: now }, attemptRecord(job, attempt, 'retry', message), history]
    : [
        { type: 'job.finish', id: job.id, state: 'failed', attempts: attempt.number, error: message, at: now },
        attemptRecord(job, attempt, 'failed', message),
        ...openIncident(services, { instanceId: job.instanceId, activityId: job.activityId, executionId: job.executionId, kind: 'job', refId: job.id, message }, now),
        history,
      ];
  await commitUnlessGone(services, writes);
}

/** Not yet (a rate limit): run again later without using up an attempt. */
async function jobDeferred(services: Services, job: JobRecord, attempt: Attempt, later: RetryLater): Promise<void> {
  const now = services.clock.now();
  await commitUnlessGone(services, [
    { type: 'job.retry', id: job.id, attempts: job.attempts, runAt: Math.max(later.at, now + 1), error: later.message, at: now },
    attemptRecord(job, attempt, 'deferred', later.message),
  ]);
}

async function commitUnlessGone(services: Services, writes: Write[]): Promise<void> {
  try {
    await services.store.commit(writes);
  } catch (commitError) {
    // No longer pending: the task went away or another worker finished it. Nothing to retry.
    if (!(commitError instanceof ConflictError)) throw commitError;
  }
}

function openIncident(services: Services, fields: Omit<IncidentRecord, 'id' | 'state' | 'createdAt' | 'resolvedAt' | 'resolvedBy'>, now: number): Write[] {
  const incident: IncidentRecord = { ...fields, id: services.newId(), state: 'open', createdAt: now, resolvedAt: null, resolvedBy: null };
  return [
    { type: 'incident.insert', record: incident },
    { type: 'history', events: [{ instanceId: incident.instanceId, at: now, actor: null, kind: 'incident.open', activityId: incident.activityId, data: { incidentId: incident.id, kind: incident.kind, message: incident.message } }] },
  ];
}

/** An admin retries: the job or timer runs again now, with fresh attempts. */
export async function retryIncident(services: Services, incidentId: string, actor: string | null): Promise<IncidentRecord> {
  const incident = await services.store.getIncident(incidentId);
  if (!incident) throw new WorkflowError('WF_ERR_INCIDENT_NOT_FOUND', { incidentId });
  if (incident.state !== 'open') throw new WorkflowError('WF_ERR_INCIDENT_NOT_OPEN', { incidentId });
  if (incident.kind === 'task') throw new WorkflowError('WF_ERR_INCIDENT_NEEDS_ASSIGNEE', { incidentId, taskId: incident.refId });
  const now = services.clock.now();
  const again: Write =
    incident.kind === 'job'
      ? { type: 'job.reopen', id: incident.refId, runAt: now, at: now }
      : { type: 'timer.fail', id: incident.refId, attempts: 0, dueAt: now, error: null };
  await services.store.commit([
    { type: 'incident.resolve', id: incidentId, at: now, by: actor },
    again,
    { type: 'history', events: [{ instanceId: incident.instanceId, at: now, actor, kind: 'incident.resolve', activityId: incident.activityId, data: { incidentId } }] },
  ]);
  return (await services.store.getIncident(incidentId))!;
}

export interface CancelJobRequest {
  reason: string;
  /** continue: the task goes on with `variables` (what was done by hand); cancel-instance: the case ends here. */
  then: 'continue' | 'cancel-instance';
  variables?: unknown;
}

/** An admin gives up a dead letter: its effect will not happen, and the case either goes on without it or ends. */
export async function cancelFailedJob(services: Services, jobId: string, request: CancelJobRequest, actor: string | null): Promise<JobRecord> {
  const job = await services.store.getJob(jobId);
  if (!job) throw new WorkflowError('WF_ERR_JOB_NOT_FOUND', { jobId });
  if (job.state !== 'failed') throw new WorkflowError('WF_ERR_JOB_NOT_FAILED', { jobId, state: job.state });
  if (request.then === 'cancel-instance') {
    await cancelInstance(services, job.instanceId, request.reason, actor);
  } else {
    const variables = normalizeVariables(request.variables ?? {});
    await services.step(actor, async (step) => {
      const t = await step.load(job.instanceId);
      const wait = t.record.state === 'running' ? step.findWait(t, 'job', (w) => w.jobId === job.id) : null;
      if (!wait) throw new WorkflowError('WF_ERR_JOB_NOT_FAILED', { jobId, state: 'cancelled' });
      step.write({ type: 'job.abandon', id: job.id, at: step.now, by: actor });
      step.record({ instanceId: t.record.id, kind: 'job.cancel', activityId: job.activityId, data: { handler: job.handler, reason: request.reason, then: request.then } });
      await continueTask(step, t, wait, job, variables, null);
    });
  }
  return (await services.store.getJob(jobId))!;
}

/** A handler gets `signal` and this long; then its attempt counts as failed (and is retried), so a hung call never holds a lease. */
async function withTimeout<T>(ms: number, name: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`handler ${name} did not finish within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function isRetryable(err: unknown): boolean {
  if (err instanceof PermanentFailure) return false;
  // A step that failed on the model or the data will fail the same way again.
  if (err instanceof WorkflowError) return err.code === 'WF_ERR_CONCURRENT_MODIFICATION';
  return true;
}

function describe(err: unknown): string {
  if (err instanceof WorkflowError) return err.localizedMessage('zh-CN');
  return err instanceof Error ? err.message : String(err);
}
