/**
 * What a clerk does with a task besides completing it — transfer (转办),
 * delegate (委派), add a signer (加签), return the case to an earlier node
 * (退回), urge (催办) — and what anyone on a case may do: copy it to someone
 * (抄送) and comment. Each is one transaction with its history and notices;
 * those that change what the case waits for run as a step of the instance, so
 * they and a completion of the same task exclude each other.
 */
import type { ProcessModel } from '../../../definitions/bpmn/process-model.ts';
import { WorkflowError, invalid } from '../errors.ts';
import type { SignState, TaskRecord, Wait } from '../model.ts';
import { notice } from '../notices.ts';
import { ConflictError } from '../ports.ts';
import type { Services } from '../services.ts';
import type { Step, StepInstance } from '../runtime/step.ts';
import { holdsTask, signerRow } from '../runtime/countersign.ts';
import { activeTask, openTaskIncident } from './tasks.ts';
import type { HandlerContext } from '../handlers.ts';
import { usersFor } from '../org/assignee-rules.ts';

/** Two urges of one task are at least this far apart. */
export const URGE_INTERVAL_MS = 10 * 60_000;

type TaskWait = Extract<Wait, { kind: 'task' }>;

/** A user a task may go to: known to the organisation and active (any id when there is no organisation). */
async function checkUser(services: Services, userId: string, field: string): Promise<void> {
  if (!services.org) return;
  const user = (await services.org.org()).user(userId);
  if (!user || user.status !== 'active') throw new WorkflowError('WF_ERR_USER_NOT_FOUND', { userId }, field);
}

/** The instance and the wait a task row belongs to, loaded into the step. */
async function taskWait(step: Step, task: TaskRecord): Promise<{ t: StepInstance; wait: TaskWait }> {
  const t = await step.load(task.instanceId);
  const wait = step.findWait(t, 'task', (w) => holdsTask(w, task.id));
  if (!wait) throw new WorkflowError('WF_ERR_TASK_NOT_ACTIVE', { taskId: task.id, state: 'completed' });
  return { t, wait };
}

const displayName = (task: TaskRecord) => task.name ?? task.activityId;

/**
 * Transfer (the task becomes `to`'s) or delegate (`to` handles it, then it
 * comes back to its holder to complete). A signer's row moves with its place
 * in the signing order.
 */
export async function handOver(services: Services, taskId: string, to: string, mode: 'transfer' | 'delegate', reason: string | null, actor: string | null): Promise<TaskRecord> {
  await checkUser(services, to, 'userId');
  await services.step(actor, async (step) => {
    const task = await activeTask(services, taskId);
    if (task.assignee === to) throw invalid('userId', 'same', { 'zh-CN': `${to} 已是该任务的办理人`, en: `${to} already holds the task` });
    const { t, wait } = await taskWait(step, task);
    if (wait.sign) {
      if (wait.sign.signers.includes(to)) throw invalid('userId', 'signer', { 'zh-CN': `${to} 已在会签人中`, en: `${to} already signs this node` });
      const open = wait.sign.open.find((o) => o.taskId === taskId)!;
      wait.sign.signers = wait.sign.signers.map((s) => (s === open.userId ? to : s));
      open.userId = to;
    }
    const owner = mode === 'delegate' ? (task.owner ?? task.assignee ?? actor) : null;
    step.write({ type: 'task.handover', id: taskId, assignee: to, expected: task.assignee, owner, at: step.now });
    const incident = await openTaskIncident(services, task);
    if (incident) step.write({ type: 'incident.resolve', id: incident.id, at: step.now, by: actor });
    step.record({ instanceId: task.instanceId, kind: mode === 'transfer' ? 'task.transfer' : 'task.delegate', activityId: task.activityId, taskId, data: { from: task.assignee, to, ...(reason && { reason }) } });
    const verb = mode === 'transfer' ? '转办' : '委派';
    step.write({ type: 'notice.insert', records: [notice(services, to, mode, `${verb}：${displayName(task)}`, reason, { instanceId: task.instanceId, taskId })] });
    t.dirty = true;
  });
  return (await services.store.getTask(taskId))!;
}

/**
 * Add a signer (加签) to a task its holder has: `before` signs first and the
 * task then comes back to the holder; `after` signs once the holder has. On a
 * countersigned node the new signer signs alongside the others.
 */
export async function addSigner(services: Services, taskId: string, userId: string, position: 'before' | 'after', actor: string | null): Promise<{ task: TaskRecord; added: TaskRecord | null }> {
  await checkUser(services, userId, 'userId');
  const added = await services.step(actor, async (step) => {
    let opened: string | null = null;
    const task = await activeTask(services, taskId);
    if (!task.assignee) throw new WorkflowError('WF_ERR_TASK_NOT_CLAIMED', { taskId });
    const { t, wait } = await taskWait(step, task);
    const sign: SignState = (wait.sign ??= { mode: 'sequential', threshold: 1, signers: [task.assignee], open: [{ taskId, userId: task.assignee }], votes: [] });
    if (sign.signers.slice(sign.votes.length).includes(userId) || sign.open.some((o) => o.userId === userId)) {
      throw invalid('userId', 'signer', { 'zh-CN': `${userId} 已在本节点的签署人中`, en: `${userId} already signs this node` });
    }
    const open = (id: string) => {
      const row = signerRow(task, services.newId(), id, step.now);
      sign.open.push({ taskId: row.id, userId: id });
      step.write({ type: 'task.insert', record: row });
      step.record({ instanceId: task.instanceId, kind: 'task.create', activityId: row.activityId, taskId: row.id, data: { name: row.name, assignee: id, sign: sign.mode } });
      step.write({ type: 'notice.insert', records: [notice(services, id, 'task', `待办：${displayName(task)}（加签）`, null, { instanceId: task.instanceId, taskId: row.id })] });
      opened = row.id;
    };
    if (sign.mode !== 'sequential') {
      sign.signers.push(userId);
      open(userId);
    } else {
      const turn = sign.votes.length;
      sign.signers.splice(position === 'after' ? turn + 1 : turn, 0, userId);
      if (position === 'before') {
        // The holder's turn comes again after the new signer's: their row ends now, a new one opens then.
        sign.open = sign.open.filter((o) => o.taskId !== taskId);
        step.write({ type: 'task.end', id: taskId, state: 'cancelled', at: step.now, by: actor, candidates: wait.candidates === true, assignee: task.assignee });
        open(userId);
      }
    }
    step.record({ instanceId: task.instanceId, kind: 'task.sign-add', activityId: task.activityId, taskId, data: { userId, position, signers: sign.signers } });
    t.dirty = true;
    return opened as string | null;
  });
  return { task: (await services.store.getTask(taskId))!, added: added ? await services.store.getTask(added) : null };
}

/**
 * Return the case (退回) to an earlier user task: the one completed before
 * this, or one wf:returnTo allows. The case re-enters that node — with the
 * person who handled it last time — and this task is cancelled.
 */
/**
 * Where a task may be returned to: the previous user task, or the earlier ones
 * its node's wf:returnTo names ('*': any), each once, oldest first.
 */
async function returnChoices(services: Services, task: TaskRecord, model: ProcessModel): Promise<{ allowed: string[]; previous: string | null; done: TaskRecord[] }> {
  const done = (await services.store.listTasks({ instanceId: task.instanceId, state: 'completed' }, { offset: 0, limit: 200 })).items
    .filter((d) => d.activityId !== task.activityId && model.userTasks[d.activityId])
    .sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
  const earlier = [...new Set(done.map((d) => d.activityId))];
  const previous = done.at(-1)?.activityId ?? null;
  const returnTo = model.userTasks[task.activityId]?.returnTo;
  const allowed = returnTo === '*' ? earlier : returnTo ? returnTo.filter((id) => earlier.includes(id)) : previous ? [previous] : [];
  return { allowed, previous, done };
}

/** The nodes a task may be returned to now, with their names (the task page's 退回 choices). */
export async function returnTargets(services: Services, taskId: string): Promise<Array<{ activityId: string; name: string | null }>> {
  const task = await activeTask(services, taskId);
  const model = (await services.definitions.get(task.definitionId)).model;
  const { allowed } = await returnChoices(services, task, model);
  return allowed.map((activityId) => ({ activityId, name: model.userTasks[activityId]?.name ?? null }));
}

export async function returnTask(services: Services, taskId: string, target: string | null, reason: string, actor: string | null): Promise<TaskRecord> {
  const instanceId = await services.step(actor, async (step) => {
    const task = await activeTask(services, taskId);
    const { t, wait } = await taskWait(step, task);
    const { allowed, previous, done } = await returnChoices(services, task, t.live!.definition.model);
    const to = target ?? previous;
    if (!to || !allowed.includes(to)) throw new WorkflowError('WF_ERR_RETURN_NOT_ALLOWED', { taskId, target: to ?? '-', allowed: allowed.join(', ') || '-' });
    if (t.record.waits.some((w) => w !== wait)) throw new WorkflowError('WF_ERR_RETURN_NOT_ALLOWED', { taskId, target: to, allowed: '-' });
    const lastHandler = [...done].reverse().find((d) => d.activityId === to)?.endedBy ?? null;
    await step.moveBack(t, wait, to, lastHandler);
    step.record({ instanceId: task.instanceId, kind: 'task.return', activityId: task.activityId, taskId, data: { to, reason } });
    if (lastHandler) step.write({ type: 'notice.insert', records: [notice(services, lastHandler, 'return', `退回：${t.live!.definition.model.userTasks[to]?.name ?? to}`, reason, { instanceId: task.instanceId })] });
    return task.instanceId;
  });
  const [reopened] = (await services.store.listTasks({ instanceId, state: 'active' }, { offset: 0, limit: 1 })).items;
  return reopened!;
}

/** Urge (催办) whoever holds or may claim the task; at most once per URGE_INTERVAL_MS. */
export async function urgeTask(services: Services, taskId: string, note: string | null, actor: string | null): Promise<{ notified: string[] }> {
  const task = await activeTask(services, taskId);
  const now = services.clock.now();
  const last = await services.store.lastNoticeAt(taskId, 'urge');
  if (last !== null && now - last < URGE_INTERVAL_MS) throw new WorkflowError('WF_ERR_RATE_LIMITED', { retryAfter: Math.ceil((last + URGE_INTERVAL_MS - now) / 1000) });
  const to = task.assignee ? [task.assignee] : task.candidateUsers;
  // An urge reaches a holder who is away, too: by SMS unless they are online.
  const notices = to.map((userId) => notice(services, userId, 'urge', `催办：${displayName(task)}`, note, { instanceId: task.instanceId, taskId, channels: ['sms'] }));
  // With nobody to tell (a group task), the urge is still recorded, and it still counts against the limit.
  const marker = notices.length ? notices : [notice(services, actor ?? 'system', 'urge', `催办：${displayName(task)}`, note, { instanceId: task.instanceId, taskId })];
  await services.store.commit([
    { type: 'notice.insert', records: marker },
    { type: 'history', events: [{ instanceId: task.instanceId, at: now, actor, kind: 'task.urge', activityId: task.activityId, taskId, data: { to, ...(note && { note }) } }] },
  ]);
  return { notified: to };
}

/** Copy the case (抄送) to people: they are told and may read it from then on. */
export async function copyCase(services: Services, instanceId: string, users: string[], note: string | null, actor: string | null, needsSign = false): Promise<{ notified: string[] }> {
  const instance = await services.store.getInstance(instanceId);
  if (!instance) throw new WorkflowError('WF_ERR_INSTANCE_NOT_FOUND', { instanceId });
  for (const [i, userId] of users.entries()) await checkUser(services, userId, `userIds[${i}]`);
  const at = services.clock.now();
  const title = `抄送：${instance.businessKey ?? instance.processKey}`;
  await services.store.commit([
    { type: 'notice.insert', records: users.map((u) => notice(services, u, 'cc', title, note, { instanceId, needsSign })) },
    { type: 'history', events: [{ instanceId, at, actor, kind: 'instance.cc', data: { users, ...(note && { note }), ...(needsSign && { needsSign }) } }] },
  ]);
  return { notified: users };
}

/** A comment on the case, with files the commenter uploaded (they join the case). */
export async function addComment(services: Services, instanceId: string, text: string, fileIds: string[], actor: string): Promise<void> {
  if (!(await services.store.getInstance(instanceId))) throw new WorkflowError('WF_ERR_INSTANCE_NOT_FOUND', { instanceId });
  try {
    await services.store.commit([
      ...fileIds.map((id) => ({ type: 'file.bind' as const, id, owner: actor, instanceId })),
      { type: 'history', events: [{ instanceId, at: services.clock.now(), actor, kind: 'comment', data: { text, ...(fileIds.length && { files: fileIds }) } }] },
    ]);
  } catch (err) {
    if (err instanceof ConflictError && err.entity === 'file') throw new WorkflowError('WF_ERR_FILE_NOT_FOUND', { fileId: err.id });
    throw err;
  }
}

/**
 * The `case.copy` handler (an approval tree's 抄送 node): the people the
 * `to` rules name get a copy. A job runs at least once, so a copy already
 * made for the same job is not made again.
 */
export async function copyByRules(services: Services, ctx: HandlerContext): Promise<{ copiedTo: string[] }> {
  const instance = await services.store.getInstance(ctx.instanceId);
  if (!instance) throw new WorkflowError('WF_ERR_INSTANCE_NOT_FOUND', { instanceId: ctx.instanceId });
  const history = await services.store.listHistory(ctx.instanceId, { limit: 1000, offset: 0 });
  const done = history.items.find((e) => e.kind === 'instance.cc' && e.data?.job === ctx.idempotencyKey);
  if (done) return { copiedTo: (done.data?.users as string[] | undefined) ?? [] };
  const users = await usersFor(services.org, String(ctx.input.to ?? ''), { initiator: instance.startedBy, variables: ctx.variables as Record<string, unknown> });
  const title = `抄送：${instance.businessKey ?? instance.processKey}`;
  await services.store.commit([
    { type: 'notice.insert', records: users.map((u) => notice(services, u, 'cc', title, null, { instanceId: ctx.instanceId })) },
    {
      type: 'history',
      events: [
        {
          instanceId: ctx.instanceId,
          at: services.clock.now(),
          actor: null,
          kind: 'instance.cc',
          activityId: ctx.activityId,
          data: { users, rule: String(ctx.input.to ?? ''), job: ctx.idempotencyKey },
        },
      ],
    },
  ]);
  return { copiedTo: users };
}
