/**
 * The clocks of the SLA: a task's reminder before its due time, its
 * escalation steps at shares of its time (reassign to the next line, notify
 * management), a case's supervision notice — persisted timers fired by the
 * scheduler like any other — and reclassifying a case (changing the variable
 * its SLA row hangs on), which moves due dates and clocks.
 */
import type { TaskAlarm } from '../calendar/sla.ts';
import { nearDueAt } from '../calendar/due-state.ts';
import { addDuration } from '../calendar/working-calendar.ts';
import type { NotifyEvent } from '../../../definitions/bpmn/process-model.ts';
import type { HistoryRecord, TimerRecord, Variables, Wait } from '../model.ts';
import { usersFor } from '../org/assignee-rules.ts';
import type { Services } from '../services.ts';
import { clockTimers, slaOf } from '../runtime/task-creation.ts';
import type { Step, StepInstance } from '../runtime/step.ts';
import { normalizeVariables } from '../variables.ts';
import { notice } from '../notices.ts';
import { taskRows } from '../runtime/countersign.ts';

type TaskWait = Extract<Wait, { kind: 'task' }>;
type ClockSpec = TaskAlarm | { action: 'supervise' };

export async function fireClock(services: Services, timer: TimerRecord): Promise<void> {
  const spec = JSON.parse(timer.spec ?? '{}') as ClockSpec;
  await services.step(null, async (step) => {
    step.write({ type: 'timer.delete', id: timer.id, guard: true, at: step.now });
    const t = await step.load(timer.instanceId!);
    if (t.record.state !== 'running' || !t.live) return;
    if (spec.action === 'supervise') return supervise(services, step, t, timer);
    const wait = t.record.waits.find((w): w is TaskWait => w.kind === 'task' && w.executionId === timer.executionId);
    if (!wait) return; // the task is done: its clock no longer rings
    const rows = taskRows(wait);
    const tasks = (await Promise.all(rows.map((id) => services.store.getTask(id)))).filter((task) => task?.state === 'active');
    const holders = [...new Set(tasks.flatMap((task) => (task!.assignee ? [task!.assignee] : task!.candidateUsers)))];
    const name = tasks[0]?.name ?? wait.activityId;
    const model = t.live.definition.model.userTasks[wait.activityId]!;
    // Besides the site, by SMS or e-mail as the node's wf:notify says for this event.
    const tell = (users: string[], kind: NotifyEvent, title: string) => {
      const channels = model.notify[kind];
      if (users.length) step.write({ type: 'notice.insert', records: users.map((u) => notice(services, u, kind, title, null, { instanceId: t.record.id, taskId: tasks[0]?.id ?? null, channels })) });
    };
    if (spec.action === 'remind') {
      tell(holders, 'near-due', `即将到期：${name}`);
      step.record({ instanceId: t.record.id, kind: 'task.remind', activityId: wait.activityId, taskId: tasks[0]?.id ?? null, data: { to: holders } });
      return;
    }
    if (spec.action === 'overdue') {
      tell(holders, 'overdue', `已逾期：${name}${t.record.businessKey ? `（${t.record.businessKey}）` : ''}`);
      step.record({ instanceId: t.record.id, kind: 'task.overdue', activityId: wait.activityId, taskId: tasks[0]?.id ?? null, data: { to: holders } });
      return;
    }
    const escalation = slaOf(step, t.live, model).table.escalations[spec.step];
    if (!escalation) return;
    const users = await usersFor(services.org, escalation.to, { initiator: t.record.startedBy, variables: t.live.variables });
    const reassign = escalation.action === 'reassign' && users.length > 0 && !wait.sign && tasks[0];
    if (reassign) {
      const task = tasks[0]!;
      step.write({ type: 'task.candidates', id: task.id, users, dueAt: task.dueAt, createdAt: task.createdAt });
      wait.candidates = true;
      t.dirty = true;
    }
    tell(users, 'escalation', `${reassign ? '升级转派' : '超时升级'}：${name}（已用时限 ${Math.round(escalation.at * 100)}%）`);
    step.record({
      instanceId: t.record.id,
      kind: 'task.escalate',
      activityId: wait.activityId,
      taskId: tasks[0]?.id ?? null,
      data: { step: spec.step, at: escalation.at, action: escalation.action, rule: escalation.to, to: users, from: holders, reassigned: Boolean(reassign) },
    });
  });
}

async function supervise(services: Services, step: Step, t: StepInstance, timer: TimerRecord): Promise<void> {
  const supervision = t.live!.definition.model.supervision;
  if (!supervision || !services.org) return;
  const users = await usersFor(services.org, supervision.supervisors, { initiator: t.record.startedBy, variables: t.live!.variables });
  const what = t.record.businessKey ?? t.live!.definition.identity.key;
  if (users.length)
    step.write({ type: 'notice.insert', records: users.map((u) => notice(services, u, 'supervision', `督办：${what} 已办理 ${supervision.days} 天`, null, { instanceId: t.record.id })) });
  step.record({ instanceId: t.record.id, kind: 'instance.supervise', activityId: timer.activityId, data: { days: supervision.days, to: users } });
}

/**
 * Set case variables (e.g. reclassify the priority). Tasks whose SLA row hangs
 * on a changed variable get the new due date — counted from when they were
 * created — and new clocks; escalation steps already taken are not taken again.
 */
export async function setVariables(services: Services, instanceId: string, input: unknown, actor: string | null): Promise<void> {
  const variables: Variables = normalizeVariables(input);
  await services.step(actor, async (step) => {
    const t = await step.load(instanceId);
    const live = t.live;
    if (!live || t.record.state !== 'running') return step.act(t, () => undefined);
    const changed = Object.keys(variables).filter((k) => JSON.stringify(live.variables[k]) !== JSON.stringify(variables[k]));
    Object.assign(live.variables, variables);
    t.dirty = true;
    let history: HistoryRecord[] | null = null;
    for (const wait of t.record.waits) {
      if (wait.kind !== 'task') continue;
      const model = live.definition.model.userTasks[wait.activityId];
      if (!model?.sla) continue;
      const sla = slaOf(step, live, model);
      const { table, row, calendar } = sla;
      if (!changed.includes(table.by)) continue;
      const first = await services.store.getTask(wait.taskId);
      if (!first) continue;
      const dueAt = addDuration(calendar, first.createdAt, row.duration);
      const near = nearDueAt(calendar, first.createdAt, dueAt);
      for (const taskId of taskRows(wait)) step.write({ type: 'task.due', id: taskId, dueAt, nearDueAt: near });
      history ??= (await services.store.listHistory(instanceId, { offset: 0, limit: 1000 })).items;
      const taken = new Set(history.filter((h) => h.kind === 'task.escalate' && h.activityId === wait.activityId && h.at >= first.createdAt).map((h) => (h.data as { step: number }).step));
      step.write({ type: 'timer.clocks-delete', instanceId, executionId: wait.executionId, before: step.now + 1 });
      step.write(...clockTimers(step, t.record, wait.activityId, wait.executionId, sla, first.createdAt, dueAt, taken));
      step.record({
        instanceId,
        kind: 'task.reclassify',
        activityId: wait.activityId,
        taskId: wait.taskId,
        data: { by: table.by, value: live.variables[table.by], dueAt: new Date(dueAt).toISOString(), was: first.dueAt === null ? null : new Date(first.dueAt).toISOString() },
      });
    }
  });
}
