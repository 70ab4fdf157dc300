import { WorkflowError } from '../errors.ts';
import { notice } from '../notices.ts';
import type { Variables } from '../model.ts';
import type { Write } from '../ports.ts';
import type { Services } from '../services.ts';
import type { Step, StepInstance } from '../runtime/step.ts';
import { normalizeVariables } from '../variables.ts';
import { instanceView, type InstanceView } from './views.ts';

export interface StartRequest {
  processKey: string;
  version?: number;
  businessKey?: string | null;
  variables?: Variables;
}

/** Start an instance at the process's none start event; `writes` adds rows of the same transaction (bound files …). */
export async function startInstance(services: Services, request: StartRequest, actor: string | null, writes: (instanceId: string) => Write[] = () => []): Promise<InstanceView> {
  const variables = normalizeVariables(request.variables);
  const definition = await services.definitions.find(request.processKey, request.version);
  const start = definition.noneStart;
  if (!start) throw new WorkflowError('WF_ERR_NO_NONE_START_EVENT', { key: definition.identity.key });
  const initiator = definition.model.startEvents.find((s) => s.id === start)?.initiatorVariable;
  if (initiator && actor) variables[initiator] = actor;
  const touched = await services.step(actor, async (step) => {
    const created = await step.create(definition, { variables, businessKey: request.businessKey ?? null, startEventId: start });
    step.write(...writes(created.record.id));
    return created;
  });
  return instanceView(services, touched.record);
}

export async function getInstance(services: Services, instanceId: string): Promise<InstanceView> {
  const record = await services.store.getInstance(instanceId);
  if (!record) throw new WorkflowError('WF_ERR_INSTANCE_NOT_FOUND', { instanceId });
  return instanceView(services, record);
}

/** Cancel an instance and everything it waits for, including the instances it called. */
export async function cancelInstance(services: Services, instanceId: string, reason: string | null, actor: string | null): Promise<InstanceView> {
  const touched: StepInstance = await services.step(actor, async (step) => {
    const t = await step.load(instanceId, { engine: false });
    if (t.record.state !== 'running') throw new WorkflowError('WF_ERR_INSTANCE_NOT_RUNNING', { instanceId, state: t.record.state });
    // The caller waits for it: cancelling the child alone would leave the caller waiting forever.
    if (t.record.parentId) throw new WorkflowError('WF_ERR_CALLED_INSTANCE', { instanceId, parentId: t.record.parentId });
    await tellEnded(services, step, t, '已撤销', reason, true);
    step.cancel(t, reason);
    return t;
  });
  return instanceView(services, touched.record);
}

/**
 * A case ended by hand: whoever held or could claim one of its tasks is told
 * (their 待办 goes, see runtime/step.ts), and the initiator too when someone
 * else ended it.
 */
async function tellEnded(services: Services, step: Step, t: StepInstance, how: string, reason: string | null, initiator: boolean): Promise<void> {
  const open = await services.store.listTasks({ instanceId: t.record.id, state: 'active' }, { offset: 0, limit: 200 });
  const users = new Set(open.items.flatMap((task) => (task.assignee ? [task.assignee] : task.candidateUsers)));
  if (initiator && t.record.startedBy) users.add(t.record.startedBy);
  if (step.actor) users.delete(step.actor);
  if (!users.size) return;
  const title = `${how}：${t.record.processKey}${t.record.businessKey ? `（${t.record.businessKey}）` : ''}`;
  step.write({ type: 'notice.insert', records: [...users].map((u) => notice(step.noticeSource, u, 'result', title, reason, { instanceId: t.record.id })) });
}

/**
 * The initiator takes an application back (撤回) while nobody else has acted
 * on it — no task claimed or completed by anyone but them: the case ends,
 * withdrawn, with the reason in its history.
 */
export async function withdrawInstance(services: Services, instanceId: string, reason: string | null, actor: string | null): Promise<InstanceView> {
  const touched: StepInstance = await services.step(actor, async (step) => {
    const t = await step.load(instanceId, { engine: false });
    if (t.record.state !== 'running') throw new WorkflowError('WF_ERR_INSTANCE_NOT_RUNNING', { instanceId, state: t.record.state });
    if (t.record.parentId) throw new WorkflowError('WF_ERR_CALLED_INSTANCE', { instanceId, parentId: t.record.parentId });
    if (!actor || t.record.startedBy !== actor) throw new WorkflowError('WF_ERR_NOT_INITIATOR', { instanceId });
    const handled = await actedOnByOthers(services, instanceId, actor);
    if (handled) throw new WorkflowError('WF_ERR_ALREADY_HANDLED', { instanceId, task: handled.name ?? handled.activityId, by: handled.by });
    step.record({ instanceId, kind: 'instance.withdraw', data: { reason } });
    await tellEnded(services, step, t, '申请人已撤回', reason, false);
    step.cancel(t, reason ?? '申请人撤回');
    return t;
  });
  return instanceView(services, touched.record);
}

/** The first task of the instance someone other than `initiator` has claimed or finished. */
async function actedOnByOthers(services: Services, instanceId: string, initiator: string): Promise<{ name: string | null; activityId: string; by: string } | null> {
  for (let offset = 0; ; offset += 200) {
    const page = await services.store.listTasks({ instanceId, sort: 'created' }, { offset, limit: 200 });
    for (const task of page.items) {
      // A task the model assigned is not yet acted on; one claimed or completed is.
      const by = task.state === 'active' ? (task.claimedAt !== null ? task.assignee : null) : task.state === 'completed' ? task.endedBy : null;
      if (by && by !== initiator) return { name: task.name, activityId: task.activityId, by };
    }
    if (offset + page.items.length >= page.total) return null;
  }
}

