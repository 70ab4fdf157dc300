import { WorkflowError } from '../errors.ts';
import type { BufferedMessageRecord, SubscriptionRecord, Variables } from '../model.ts';
import type { Services } from '../services.ts';
import type { Step } from '../runtime/step.ts';
import { normalizeVariables } from '../variables.ts';

export interface MessageRequest {
  name: string;
  /** Matches the receiver's correlation key (its business key unless the model says otherwise). */
  correlationKey?: string | null;
  variables?: Variables;
  /** Deliver to every waiting receiver instead of requiring exactly one. */
  all?: boolean;
  /** With no receiver yet, keep the message this long for one to appear (else 404). */
  bufferSeconds?: number;
}

export interface DeliveryResult {
  /** Waiting instances that received it. */
  delivered: string[];
  /** Instances started by a message/signal start event. */
  started: string[];
  buffered: boolean;
  /** Receivers that could not take it (each delivery is its own step; the others still got it). */
  failed: Array<{ instanceId: string; code: string; message: string }>;
}

/**
 * Correlate a message: to the instance waiting for it under that correlation
 * key, else to a message start event, else into the buffer (if asked), else 404.
 */
export async function correlateMessage(services: Services, request: MessageRequest, actor: string | null): Promise<DeliveryResult> {
  const variables = normalizeVariables(request.variables);
  const key = request.correlationKey ?? null;
  const all = await services.store.findSubscriptions('message', request.name, request.correlationKey === undefined ? undefined : key);
  const waiting = all.filter((s) => s.instanceId !== null);
  if (waiting.length > 1 && !request.all) {
    throw new WorkflowError('WF_ERR_MESSAGE_AMBIGUOUS', { name: request.name, correlationKey: key, count: waiting.length });
  }
  const result: DeliveryResult = { delivered: [], started: [], buffered: false, failed: [] };
  if (!request.all && waiting[0]) {
    // One receiver: its failure is the caller's answer.
    if (await deliver(services, waiting[0], 'message', variables, actor)) result.delivered.push(waiting[0].instanceId!);
  } else {
    await deliverEach(services, waiting, 'message', variables, actor, result);
  }
  if (result.delivered.length) return result;
  const starts = (await services.store.findSubscriptions('message', request.name)).filter((s) => s.instanceId === null);
  for (const start of starts) result.started.push(await startBy(services, start, variables, key, actor));
  if (result.started.length) return result;
  if (request.bufferSeconds && request.bufferSeconds > 0) {
    const now = services.clock.now();
    const ttl = Math.min(request.bufferSeconds * 1000, services.config.maxMessageBufferMs);
    const buffered = { id: services.newId(), name: request.name, correlationKey: key, variables, expiresAt: now + ttl, createdAt: now };
    await services.store.commit([{ type: 'message.insert', record: buffered }]);
    // A receiver that subscribed while we looked did not see the buffer: hand it over now (the delete is guarded, so once).
    const late = (await services.store.findSubscriptions('message', request.name, key)).find((s) => s.instanceId !== null);
    if (late && (await deliver(services, late, 'message', variables, actor, buffered.id).catch(() => false))) return { ...result, delivered: [late.instanceId!] };
    return { ...result, buffered: true };
  }
  throw new WorkflowError('WF_ERR_MESSAGE_NOT_CORRELATED', { name: request.name, correlationKey: key });
}

/** A buffered message for a wait that was committed without seeing it; false when someone else took it first. */
/**
 * A message buffered while a step looked at the buffer and before its waits
 * were committed was missed by both sides: the sender saw no receiver, the
 * receiver no message. Looking again once the waits are committed closes the
 * gap (the sender looks again after buffering, too). Registered as the
 * services' after-commit hook; a failure is logged, never the step's caller's.
 */
export async function takeBuffered(services: Services, waits: SubscriptionRecord[]): Promise<void> {
  for (const wait of waits) {
    try {
      const [buffered] = await services.store.findBufferedMessages(wait.name, wait.correlationKey, services.clock.now());
      if (buffered) await deliverBuffered(services, wait, buffered);
    } catch (err) {
      // The message stays buffered for the next look.
      services.logger.error({ err: err instanceof Error ? err.message : String(err), instanceId: wait.instanceId, message: wait.name }, 'buffered message not taken');
    }
  }
}

export async function deliverBuffered(services: Services, wait: SubscriptionRecord, buffered: BufferedMessageRecord): Promise<boolean> {
  try {
    return await deliver(services, wait, 'message', buffered.variables, null, buffered.id);
  } catch (err) {
    // The guarded delete lost: another receiver consumed it, which is the outcome we wanted anyway.
    if (err instanceof WorkflowError && err.code === 'WF_ERR_CONCURRENT_MODIFICATION') return false;
    throw err;
  }
}

/** Broadcast a signal to every instance waiting for it, and start those with a signal start event. */
export async function broadcastSignal(services: Services, request: { name: string; variables?: Variables }, actor: string | null): Promise<DeliveryResult> {
  const variables = normalizeVariables(request.variables);
  const result: DeliveryResult = { delivered: [], started: [], buffered: false, failed: [] };
  const subscriptions = await services.store.findSubscriptions('signal', request.name);
  for (const start of subscriptions.filter((s) => s.instanceId === null)) result.started.push(await startBy(services, start, variables, null, actor));
  await deliverEach(
    services,
    subscriptions.filter((s) => s.instanceId !== null),
    'signal',
    variables,
    actor,
    result,
  );
  return result;
}

/** Deliver to many receivers, each in its own step: one receiver's failure does not stop the others. */
async function deliverEach(services: Services, subscriptions: SubscriptionRecord[], kind: 'message' | 'signal', variables: Variables, actor: string | null, result: DeliveryResult): Promise<void> {
  for (const subscription of subscriptions) {
    try {
      if (await deliver(services, subscription, kind, variables, actor)) result.delivered.push(subscription.instanceId!);
    } catch (err) {
      if (!(err instanceof WorkflowError)) throw err;
      result.failed.push({ instanceId: subscription.instanceId!, code: err.code, message: err.localizedMessage('zh-CN') });
    }
  }
}

/** A wait to deliver to. */
type Receiver = Pick<SubscriptionRecord, 'id' | 'instanceId' | 'name' | 'correlationKey'>;

/**
 * One delivery is one step; false when the receiver stopped waiting meanwhile.
 * A buffered message is consumed in the same step; `noted` goes into the
 * history entry of the receipt (a link's fingerprint, say).
 */
export async function deliver(
  services: Services,
  subscription: Receiver,
  kind: 'message' | 'signal',
  variables: Variables,
  actor: string | null,
  bufferedId?: string,
  noted: Record<string, unknown> = {},
): Promise<boolean> {
  return services.step(actor, async (step: Step) => {
    const t = await step.load(subscription.instanceId!);
    if (t.record.state !== 'running') return false;
    const wait = step.findWait(t, kind, (w) => w.subscriptionId === subscription.id);
    if (!wait) return false;
    if (bufferedId) step.write({ type: 'message.delete', id: bufferedId });
    step.record({
      instanceId: t.record.id,
      kind: kind === 'message' ? 'message.receive' : 'signal.receive',
      activityId: wait.activityId,
      data: { name: subscription.name, correlationKey: subscription.correlationKey, ...noted },
    });
    await step.answer(t, wait, (live) => {
      Object.assign(live.variables, variables);
      return live.signal(wait.executionId, variables);
    });
    return true;
  });
}

/** Start an instance at a message or signal start event and hand it the payload. */
async function startBy(services: Services, start: SubscriptionRecord, variables: Variables, businessKey: string | null, actor: string | null): Promise<string> {
  const definition = await services.definitions.get(start.definitionId);
  return services.step(actor, async (step) => {
    const t = await step.create(definition, { variables, businessKey, startEventId: start.activityId });
    await step.act(t, (live) => {
      const waiting = live.waiting().find((w) => w.activityId === start.activityId);
      if (waiting) live.signal(waiting.executionId, variables);
    });
    return t.record.id;
  });
}
