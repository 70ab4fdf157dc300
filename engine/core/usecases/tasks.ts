import { WorkflowError, type Locale } from '../errors.ts';
import type { ProcessModel } from '../../../definitions/bpmn/process-model.ts';
import type { IncidentRecord, SignState, TaskRecord, Variables, Wait } from '../model.ts';
import type { Step, StepInstance } from '../runtime/step.ts';
import { decision, holdsTask, nextSigner, signerRow, votesVariable } from '../runtime/countersign.ts';
import { notice } from '../notices.ts';
import { usersFor } from '../org/assignee-rules.ts';
import { taskFormOf, taskSubmission } from './form-data.ts';
import type { Services } from '../services.ts';
import { normalizeVariables } from '../variables.ts';
import { instanceView, type InstanceView } from './views.ts';

export async function activeTask(services: Services, taskId: string): Promise<TaskRecord> {
  const task = await services.store.getTask(taskId);
  if (!task) throw new WorkflowError('WF_ERR_TASK_NOT_FOUND', { taskId });
  if (task.state !== 'active') throw new WorkflowError('WF_ERR_TASK_NOT_ACTIVE', { taskId, state: task.state });
  return task;
}

export async function getTask(services: Services, taskId: string): Promise<TaskRecord> {
  const task = await services.store.getTask(taskId);
  if (!task) throw new WorkflowError('WF_ERR_TASK_NOT_FOUND', { taskId });
  return task;
}

export interface CompletedTask {
  task: TaskRecord;
  /** Where the case went: the instance after the step. */
  instance: InstanceView;
}

/** An admin's rescue: acting on a task someone else holds (a user who left, or who does not exist), recorded as such. */
export interface Rescue {
  rescue?: boolean;
}

/** The holder the task is taken from in a rescue; another's task otherwise refused (claim or transfer it first). */
function heldByAnother(task: TaskRecord, actor: string | null, options: Rescue): string | null {
  if (!task.assignee || !actor || task.assignee === actor) return null;
  if (!options.rescue) throw new WorkflowError('WF_ERR_TASK_CLAIMED', { taskId: task.id, assignee: task.assignee });
  return task.assignee;
}

/** The active task an actor completes or throws from, its case and the wait it holds; refused when it is not theirs or no longer open. */
async function taskToAct(services: Services, step: Step, taskId: string, actor: string | null, options: Rescue) {
  const active = await activeTask(services, taskId);
  const rescuedFrom = heldByAnother(active, actor, options);
  const t = await step.load(active.instanceId);
  if (t.record.state !== 'running') throw new WorkflowError('WF_ERR_TASK_NOT_ACTIVE', { taskId, state: 'cancelled' });
  const wait = step.findWait(t, 'task', (w) => holdsTask(w, taskId));
  if (!wait) throw new WorkflowError('WF_ERR_TASK_NOT_ACTIVE', { taskId, state: 'completed' });
  return { active, rescuedFrom, t, wait };
}

/**
 * Complete a user task with variables (they become process variables, as in
 * Camunda). A task that shows a form takes that form's data, checked as the
 * form and the node's permissions say. Of concurrent completions exactly one
 * wins; the others get 409.
 */
export async function completeTask(services: Services, taskId: string, input: unknown, actor: string | null, locale: Locale = 'zh-CN', options: Rescue = {}): Promise<CompletedTask> {
  const { task, touched } = await services.step(actor, async (step) => {
    const { active, rescuedFrom, t, wait } = await taskToAct(services, step, taskId, actor, options);
    const form = await taskFormOf(services, active, t.record.variables);
    const { variables, writes } = form ? await taskSubmission(services, active, form, input, t.record.variables, actor, locale) : { variables: normalizeVariables(input), writes: [] };
    step.write(...writes);
    // A delegated task (委派) goes back to its owner with what the delegate did; the owner completes it.
    if (active.owner) {
      step.write({ type: 'task.handover', id: taskId, assignee: active.owner, expected: active.assignee, owner: null, at: step.now });
      step.record({ instanceId: t.record.id, kind: 'task.resolve', activityId: wait.activityId, taskId, data: { owner: active.owner, ...(Object.keys(variables).length && { variables }) } });
      step.write({ type: 'notice.insert', records: [notice(step.noticeSource, active.owner, 'delegate', `委派已办理，请您确认：${active.name ?? active.activityId}${t.record.businessKey ? `（${t.record.businessKey}）` : ''}`, null, { instanceId: t.record.id, taskId })] });
      return { task: { ...active, assignee: active.owner, owner: null }, touched: t };
    }
    const recorded = { ...(Object.keys(variables).length && { variables }), ...(rescuedFrom && { rescuedFrom }) };
    step.record({ instanceId: t.record.id, kind: 'task.complete', activityId: wait.activityId, taskId, data: Object.keys(recorded).length ? recorded : null });
    if (wait.sign) {
      const decided = await vote(step, t, wait as Extract<Wait, { kind: 'task' }> & { sign: SignState }, active, variables);
      if (decided === null) return { task: { ...active, state: 'completed' as const, endedAt: step.now, endedBy: actor }, touched: t };
    }
    t.heldBy.set(taskId, active.assignee);
    await copyOnCompletion(services, step, t, active);
    await step.answer(t, wait, (live) => {
      Object.assign(live.variables, variables);
      return live.signal(wait.executionId, variables);
    });
    return { task: { ...active, state: 'completed' as const, endedAt: step.now, endedBy: actor }, touched: t };
  });
  return { task, instance: await instanceView(services, touched.record) };
}

/** Whether a boundary event on the activity, or on a sub-process around it, catches this error code (null: catches all). */
function errorCaught(model: ProcessModel, activityId: string, code: string): boolean {
  for (let at: string | null = activityId; at; at = model.elements[at]?.scope ?? null) {
    if ((model.errorBoundaries[at] ?? []).some((caught) => caught === null || caught === code)) return true;
  }
  return false;
}

/**
 * Camunda's task bpmnError: whoever may complete a user task throws a BPMN
 * error from it instead, with variables; the boundary event catching its code
 * (on the task or a sub-process around it) takes the flow and the task ends.
 * An error nothing catches is refused, and nothing changes.
 */
export async function throwTaskError(services: Services, taskId: string, thrown: { code: string; message: string | null; variables: unknown }, actor: string | null, options: Rescue = {}): Promise<InstanceView> {
  const touched = await services.step(actor, async (step) => {
    const { rescuedFrom, t, wait } = await taskToAct(services, step, taskId, actor, options);
    if (!errorCaught(t.live!.definition.model, wait.activityId, thrown.code)) throw new WorkflowError('WF_ERR_BPMN_ERROR_UNCAUGHT', { taskId, code: thrown.code }, 'errorCode');
    const variables = normalizeVariables(thrown.variables ?? {});
    step.record({
      instanceId: t.record.id,
      kind: 'task.bpmn-error',
      activityId: wait.activityId,
      taskId,
      data: { code: thrown.code, message: thrown.message, ...(Object.keys(variables).length && { variables }), ...(rescuedFrom && { rescuedFrom }) },
    });
    await step.answer(t, wait, (live) => {
      Object.assign(live.variables, variables);
      return live.throwError(wait.executionId, thrown.code, thrown.message ?? thrown.code);
    });
    return t;
  });
  return instanceView(services, touched.record);
}

/**
 * One signer's vote on a signed node. Not decided yet: their row ends, the next
 * signer's opens (in turn), the node keeps waiting. Decided: `approved` and the
 * votes go to the process with the completion (the caller signals the engine).
 */
async function vote(step: Step, t: StepInstance, wait: Extract<Wait, { kind: 'task' }> & { sign: SignState }, task: TaskRecord, variables: Variables): Promise<boolean | null> {
  const sign = wait.sign;
  const approved = variables.approved !== false;
  sign.votes.push({ userId: task.assignee ?? step.actor ?? '', taskId: task.id, approved });
  step.record({ instanceId: t.record.id, kind: 'task.vote', activityId: wait.activityId, taskId: task.id, data: { approved, votes: sign.votes.length, of: sign.signers.length } });
  const decided = decision(sign);
  if (decided !== null) {
    Object.assign(variables, { approved: decided, [votesVariable(wait.activityId)]: sign.votes.map((v) => ({ userId: v.userId, approved: v.approved })) });
    return decided;
  }
  sign.open = sign.open.filter((o) => o.taskId !== task.id);
  step.write({ type: 'task.end', id: task.id, state: 'completed', at: step.now, by: step.actor, candidates: false, assignee: task.assignee });
  const { approved: _vote, ...rest } = variables;
  Object.assign(t.live!.variables, rest);
  const next = nextSigner(sign);
  if (next) {
    const row = signerRow(task, step.newId(), next, step.now);
    sign.open.push({ taskId: row.id, userId: next });
    step.write({ type: 'task.insert', record: row });
    step.record({ instanceId: t.record.id, kind: 'task.create', activityId: row.activityId, taskId: row.id, data: { name: row.name, assignee: next, sign: sign.mode } });
    // The next signer's turn (依次审批, or one added after the holder): their 待办.
    step.write({ type: 'notice.insert', records: [notice(step.noticeSource, next, 'task', `待办：${row.name ?? row.activityId}${t.record.businessKey ? `（${t.record.businessKey}）` : ''}`, null, { instanceId: t.record.id, taskId: row.id })] });
  }
  t.dirty = true;
  return null;
}

/** wf:cc: the people the node's rules name get a read-only copy of the case once the node is done. */
async function copyOnCompletion(services: Services, step: Step, t: StepInstance, task: TaskRecord): Promise<void> {
  const rule = t.live!.definition.model.userTasks[task.activityId]?.cc;
  if (!rule) return;
  const text = String(t.live!.definition.template(rule).evaluate(t.live!.contextFor(null)) ?? '');
  const users = await usersFor(services.org, text, { initiator: t.record.startedBy, variables: t.live!.variables });
  if (!users.length) return;
  const title = `抄送：${task.name ?? task.activityId}（${t.record.businessKey ?? t.record.processKey}）`;
  step.write({ type: 'notice.insert', records: users.map((u) => notice(services, u, 'cc', title, null, { instanceId: t.record.id })) });
  step.record({ instanceId: t.record.id, kind: 'instance.cc', activityId: task.activityId, data: { users, rule: text } });
}

/**
 * Claim for `userId` (the actor when absent). Claiming a task you already hold
 * is a no-op. With `orphans` (someone who may assign it), a task held by a user
 * who does not exist or is disabled — a Camunda model naming nobody here — is
 * given to `userId` instead of refused.
 */
export async function claimTask(services: Services, taskId: string, userId: string | null, actor: string | null, options: { orphans?: boolean } = {}): Promise<TaskRecord> {
  const assignee = userId ?? actor;
  if (!assignee) throw new WorkflowError('WF_ERR_VALIDATION', { field: 'userId', rule: 'required', reason: { 'zh-CN': '必填（或以用户身份调用）', en: 'is required (or call as a user)' } }, 'userId');
  const task = await activeTask(services, taskId);
  if (task.assignee === assignee) return task;
  if (task.assignee && !(options.orphans && (await orphaned(services, task.assignee)))) throw new WorkflowError('WF_ERR_TASK_CLAIMED', { taskId, assignee: task.assignee });
  await assign(services, task, assignee, actor, 'task.claim');
  return getTask(services, taskId);
}

/** Held by nobody who can act: no such user, or a disabled one. */
async function orphaned(services: Services, userId: string): Promise<boolean> {
  return services.org !== null && (await services.org.org()).active([userId]).length === 0;
}

/** The open incident of a task nobody could be found for (it is resolved when someone is given the task). */
export async function openTaskIncident(services: Services, task: TaskRecord): Promise<IncidentRecord | null> {
  if (task.assignment?.fallback !== 'incident') return null;
  const open = await services.store.listIncidents({ instanceId: task.instanceId, state: 'open' }, { offset: 0, limit: 200 });
  return open.items.find((i) => i.kind === 'task' && i.refId === task.id) ?? null;
}

export async function unclaimTask(services: Services, taskId: string, actor: string | null): Promise<TaskRecord> {
  const task = await activeTask(services, taskId);
  if (!task.assignee) throw new WorkflowError('WF_ERR_TASK_NOT_CLAIMED', { taskId });
  await assign(services, task, null, actor, 'task.unclaim');
  return getTask(services, taskId);
}

async function assign(services: Services, task: TaskRecord, assignee: string | null, actor: string | null, kind: 'task.claim' | 'task.unclaim'): Promise<void> {
  const at = services.clock.now();
  // A task nobody could be found for waits with an incident; giving it to someone resolves it.
  const unassigned = assignee ? await openTaskIncident(services, task) : null;
  try {
    await services.store.commit([
      { type: 'task.assign', id: task.id, assignee, expected: task.assignee, at, candidates: { users: task.candidateUsers, groups: task.candidateGroups, dueAt: task.dueAt, createdAt: task.createdAt } },
      ...(unassigned ? [{ type: 'incident.resolve' as const, id: unassigned.id, at, by: actor }] : []),
      { type: 'history', events: [{ instanceId: task.instanceId, at, actor, kind, activityId: task.activityId, taskId: task.id, data: { assignee: assignee ?? task.assignee } }] },
    ]);
  } catch (err) {
    // Lost a race: report what the task looks like now.
    const now = await services.store.getTask(task.id);
    if (now && now.state !== 'active') throw new WorkflowError('WF_ERR_TASK_NOT_ACTIVE', { taskId: task.id, state: now.state });
    if (now?.assignee) throw new WorkflowError('WF_ERR_TASK_CLAIMED', { taskId: task.id, assignee: now.assignee });
    throw err;
  }
}

