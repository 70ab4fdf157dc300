import { WorkflowError } from '../errors.ts';
import type { SubscriptionRecord, Variables } from '../model.ts';
import type { Runtime } from '../runtime-context.ts';
import { waitKey, type Step } from '../step.ts';
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
}

/**
 * Correlate a message: to the instance waiting for it under that correlation
 * key, else to a message start event, else into the buffer (if asked), else 404.
 */
export async function correlateMessage(rt: Runtime, request: MessageRequest, actor: string | null): Promise<DeliveryResult> {
  const variables = normalizeVariables(request.variables);
  const key = request.correlationKey ?? null;
  const all = await rt.store.findSubscriptions('message', request.name, request.correlationKey === undefined ? undefined : key);
  const waiting = all.filter((s) => s.instanceId !== null);
  if (waiting.length > 1 && !request.all) {
    throw new WorkflowError('WF_ERR_MESSAGE_AMBIGUOUS', { name: request.name, correlationKey: key, count: waiting.length });
  }
  const result: DeliveryResult = { delivered: [], started: [], buffered: false };
  for (const subscription of waiting) {
    if (await deliver(rt, subscription, 'message', variables, actor)) result.delivered.push(subscription.instanceId!);
    if (result.delivered.length && !request.all) break;
  }
  if (result.delivered.length) return result;
  const starts = (await rt.store.findSubscriptions('message', request.name)).filter((s) => s.instanceId === null);
  for (const start of starts) result.started.push(await startBy(rt, start, variables, key, actor));
  if (result.started.length) return result;
  if (request.bufferSeconds && request.bufferSeconds > 0) {
    const now = rt.clock.now();
    const ttl = Math.min(request.bufferSeconds * 1000, rt.config.maxMessageBufferMs);
    await rt.store.commit([{ type: 'message.insert', record: { id: rt.newId(), name: request.name, correlationKey: key, variables, expiresAt: now + ttl, createdAt: now } }]);
    return { ...result, buffered: true };
  }
  throw new WorkflowError('WF_ERR_MESSAGE_NOT_CORRELATED', { name: request.name, correlationKey: key });
}

/** Broadcast a signal to every instance waiting for it, and start those with a signal start event. */
export async function broadcastSignal(rt: Runtime, request: { name: string; variables?: Variables }, actor: string | null): Promise<DeliveryResult> {
  const variables = normalizeVariables(request.variables);
  const result: DeliveryResult = { delivered: [], started: [], buffered: false };
  for (const subscription of await rt.store.findSubscriptions('signal', request.name)) {
    if (subscription.instanceId === null) result.started.push(await startBy(rt, subscription, variables, null, actor));
    else if (await deliver(rt, subscription, 'signal', variables, actor)) result.delivered.push(subscription.instanceId);
  }
  return result;
}

/** One delivery is one step; false when the receiver stopped waiting meanwhile. */
async function deliver(rt: Runtime, subscription: SubscriptionRecord, kind: 'message' | 'signal', variables: Variables, actor: string | null): Promise<boolean> {
  return rt.step(actor, async (step: Step) => {
    const t = await step.load(subscription.instanceId!);
    if (t.record.state !== 'running') return false;
    const wait = step.findWait(t, kind, (w) => w.subscriptionId === subscription.id);
    if (!wait) return false;
    t.done.add(waitKey(wait));
    step.record({ instanceId: t.record.id, kind: kind === 'message' ? 'message.receive' : 'signal.receive', activityId: wait.activityId, data: { name: subscription.name, correlationKey: subscription.correlationKey } });
    await step.act(t, (live) => {
      Object.assign(live.variables, variables);
      live.signal(wait.executionId, variables);
    });
    return true;
  });
}

/** Start an instance at a message or signal start event and hand it the payload. */
async function startBy(rt: Runtime, start: SubscriptionRecord, variables: Variables, businessKey: string | null, actor: string | null): Promise<string> {
  const definition = await rt.definitions.get(start.definitionId);
  return rt.step(actor, async (step) => {
    const t = await step.create(definition, { variables, businessKey, startEventId: start.activityId });
    await step.act(t, (live) => {
      const waiting = live.waiting().find((w) => w.activityId === start.activityId);
      if (waiting) live.signal(waiting.executionId, variables);
    });
    return t.record.id;
  });
}
