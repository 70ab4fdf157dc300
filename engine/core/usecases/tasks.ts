import { WorkflowError, type Locale } from '../errors.ts';
import type { IncidentRecord, TaskRecord } from '../model.ts';
import { taskFormOf, taskSubmission } from './form-data.ts';
import type { Runtime } from '../runtime-context.ts';
import { normalizeVariables } from '../variables.ts';
import { instanceView, type InstanceView } from './views.ts';

async function activeTask(rt: Runtime, taskId: string): Promise<TaskRecord> {
  const task = await rt.store.getTask(taskId);
  if (!task) throw new WorkflowError('WF_ERR_TASK_NOT_FOUND', { taskId });
  if (task.state !== 'active') throw new WorkflowError('WF_ERR_TASK_NOT_ACTIVE', { taskId, state: task.state });
  return task;
}

export async function getTask(rt: Runtime, taskId: string): Promise<TaskRecord> {
  const task = await rt.store.getTask(taskId);
  if (!task) throw new WorkflowError('WF_ERR_TASK_NOT_FOUND', { taskId });
  return task;
}

export interface CompletedTask {
  task: TaskRecord;
  /** Where the case went: the instance after the step. */
  instance: InstanceView;
}

/**
 * Complete a user task with variables (they become process variables, as in
 * Camunda). A task that shows a form takes that form's data, checked as the
 * form and the node's permissions say. Of concurrent completions exactly one
 * wins; the others get 409.
 */
export async function completeTask(rt: Runtime, taskId: string, input: unknown, actor: string | null, locale: Locale = 'zh-CN'): Promise<CompletedTask> {
  const { task, touched } = await rt.step(actor, async (step) => {
    const active = await activeTask(rt, taskId);
    if (active.assignee && actor && active.assignee !== actor) throw new WorkflowError('WF_ERR_TASK_CLAIMED', { taskId, assignee: active.assignee });
    const t = await step.load(active.instanceId);
    if (t.record.state !== 'running') throw new WorkflowError('WF_ERR_TASK_NOT_ACTIVE', { taskId, state: 'cancelled' });
    const wait = step.findWait(t, 'task', (w) => w.taskId === taskId);
    if (!wait) throw new WorkflowError('WF_ERR_TASK_NOT_ACTIVE', { taskId, state: 'completed' });
    const form = await taskFormOf(rt, active);
    const { variables, writes } = form ? await taskSubmission(rt, active, form, input, t.record.variables, actor, locale) : { variables: normalizeVariables(input), writes: [] };
    t.heldBy.set(taskId, active.assignee);
    step.write(...writes);
    step.record({ instanceId: t.record.id, kind: 'task.complete', activityId: wait.activityId, taskId, data: Object.keys(variables).length ? { variables } : null });
    await step.answer(t, wait, (live) => {
      Object.assign(live.variables, variables);
      return live.signal(wait.executionId, variables);
    });
    return { task: { ...active, state: 'completed' as const, endedAt: step.now, endedBy: actor }, touched: t };
  });
  return { task, instance: await instanceView(rt, touched.record) };
}

/** Claim for `userId` (the actor when absent). Claiming a task you already hold is a no-op. */
export async function claimTask(rt: Runtime, taskId: string, userId: string | null, actor: string | null): Promise<TaskRecord> {
  const assignee = userId ?? actor;
  if (!assignee) throw new WorkflowError('WF_ERR_VALIDATION', { field: 'userId', rule: 'required', reason: { 'zh-CN': '必填（或以用户身份调用）', en: 'is required (or call as a user)' } }, 'userId');
  const task = await activeTask(rt, taskId);
  if (task.assignee === assignee) return task;
  if (task.assignee) throw new WorkflowError('WF_ERR_TASK_CLAIMED', { taskId, assignee: task.assignee });
  await assign(rt, task, assignee, actor, 'task.claim');
  return getTask(rt, taskId);
}

async function openTaskIncident(rt: Runtime, task: TaskRecord): Promise<IncidentRecord | null> {
  const open = await rt.store.listIncidents({ instanceId: task.instanceId, state: 'open' }, { offset: 0, limit: 200 });
  return open.items.find((i) => i.kind === 'task' && i.refId === task.id) ?? null;
}

export async function unclaimTask(rt: Runtime, taskId: string, actor: string | null): Promise<TaskRecord> {
  const task = await activeTask(rt, taskId);
  if (!task.assignee) throw new WorkflowError('WF_ERR_TASK_NOT_CLAIMED', { taskId });
  await assign(rt, task, null, actor, 'task.unclaim');
  return getTask(rt, taskId);
}

async function assign(rt: Runtime, task: TaskRecord, assignee: string | null, actor: string | null, kind: 'task.claim' | 'task.unclaim'): Promise<void> {
  const at = rt.clock.now();
  // A task nobody could be found for waits with an incident; giving it to someone resolves it.
  const unassigned = assignee && task.assignment?.fallback === 'incident' ? await openTaskIncident(rt, task) : null;
  try {
    await rt.store.commit([
      { type: 'task.assign', id: task.id, assignee, expected: task.assignee, at },
      ...(unassigned ? [{ type: 'incident.resolve' as const, id: unassigned.id, at, by: actor }] : []),
      { type: 'history', events: [{ instanceId: task.instanceId, at, actor, kind, activityId: task.activityId, taskId: task.id, data: { assignee: assignee ?? task.assignee } }] },
    ]);
  } catch (err) {
    // Lost a race: report what the task looks like now.
    const now = await rt.store.getTask(task.id);
    if (now && now.state !== 'active') throw new WorkflowError('WF_ERR_TASK_NOT_ACTIVE', { taskId: task.id, state: now.state });
    if (now?.assignee) throw new WorkflowError('WF_ERR_TASK_CLAIMED', { taskId: task.id, assignee: now.assignee });
    throw err;
  }
}

