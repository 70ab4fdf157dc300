/**
 * A user task reached: its row (name, form version, due date on its calendar
 * or SLA table, priority, candidates), its assignee rules resolved against the
 * organisation, its signers when several must decide, its SLA clocks, and the
 * 待办 notices to whoever may act on it.
 */
import { nearDueAt } from '../calendar/due-state.ts';
import { addDuration, ALWAYS } from '../calendar/working-calendar.ts';
import { clocksOf, slaRow, type TaskAlarm } from '../calendar/sla.ts';
import { WorkflowError, explain, t } from '../errors.ts';
import type { HistoryEvent, IncidentRecord, InstanceRecord, NoticeRecord, SignState, TaskRecord, Wait } from '../model.ts';
import { notice } from '../notices.ts';
import { parseRules, resolveRules } from '../org/assignee-rules.ts';
import type { Org } from '../org/directory.ts';
import type { Write } from '../ports.ts';
import type { SignRule, UserTaskModel } from '../../../definitions/bpmn/process-model.ts';
import { calendarOf, DEFAULT_PRIORITY, evaluateAttribute, toDueAt, toList, toPriority, toText, toUserId } from './attributes.ts';
import { signerRow } from './countersign.ts';
import type { ElementContent, LiveInstance, WaitingElement } from './live-instance.ts';
import { waitKey, type Sla, type StepContext as Step, type StepInstance } from './step-context.ts';

/** Open the wait of a user (or manual) task; null when it does not wait (a manual task, a skipped node). */
export async function openTask(step: Step, t: StepInstance, element: Extract<WaitingElement, { kind: 'task' }>): Promise<Wait | null> {
  if (element.content.type === 'bpmn:ManualTask') {
    // Camunda passes through manual tasks; bpmn-elements waits on them.
    await step.act(t, (l) => l.signal(element.executionId, {}));
    return null;
  }
  const live = t.live!;
  const instanceId = t.record.id;
  const rows = { writes: [] as Write[], history: [] as HistoryEvent[] };
  const at = { at: step.now, actor: step.actor, instanceId };
  const model = live.definition.model.userTasks[element.activityId];
  const form = model?.form;
  const formVersion = form ? (form.version ?? (await step.deps.forms.latestVersion(form.key))) : null;
  const sla = model?.sla ? slaOf(step, live, model) : null;
  const task = newTask(step, t, element.activityId, element.executionId, element.content, formVersion, sla);
  if (model?.assignees) {
    const outcome = await assign(step, t, task, model, element.content);
    if (outcome === 'skip') {
      step.record({ instanceId, kind: 'task.skip', activityId: element.activityId, data: { name: task.name, assignment: task.assignment } });
      await step.act(t, (l) => l.signal(element.executionId, {}));
      return null;
    }
    if (outcome === 'incident') {
      const incident = unassignedIncident(step, task);
      rows.writes.push({ type: 'incident.insert', record: incident });
      rows.history.push({ ...at, kind: 'incident.open', activityId: task.activityId, taskId: task.id, data: { incidentId: incident.id, kind: 'task', message: incident.message } });
    }
  }
  const returnedTo = step.returnedTo(instanceId, element.activityId);
  const sign = model && model.sign.mode !== 'or' && task.assignment && !task.assignment.fallback && !returnedTo ? signState(step, task, model.sign) : null;
  if (returnedTo && !sign) Object.assign(task, { assignee: returnedTo, candidateUsers: [], candidateGroups: [] });
  const tasks = sign ? sign.open.map((o, i) => (i === 0 ? { ...task, assignee: o.userId, candidateUsers: [] } : signerRow(task, o.taskId, o.userId, step.now))) : [task];
  const notices: NoticeRecord[] = [];
  const org = step.deps.org ? await step.deps.org.org() : null;
  for (const row of tasks) {
    rows.writes.push({ type: 'task.insert', record: row });
    // 待办: to its holder, or to each candidate named.
    const title = `待办：${row.name ?? row.activityId}${t.record.businessKey ? `（${t.record.businessKey}）` : ''}`;
    for (const userId of row.assignee ? [row.assignee] : candidatesToTell(row, org)) notices.push(notice(step.noticeSource, userId, 'task', title, null, { instanceId, taskId: row.id, channels: model?.notify.task ?? [] }));
    rows.history.push({ ...at, kind: 'task.create', activityId: row.activityId, taskId: row.id, data: { name: row.name, assignee: row.assignee, ...(row.assignment && { assignment: row.assignment }), ...(sign && { sign: sign.mode }) } });
  }
  if (notices.length) rows.writes.push({ type: 'notice.insert', records: notices });
  const clocks = task.dueAt !== null;
  if (task.dueAt !== null) rows.writes.push(...clockTimers(step, t.record, element.activityId, element.executionId, sla, task.createdAt, task.dueAt, new Set()));
  t.opened.set(waitKey(element), rows);
  const candidates = !sign && task.candidateUsers.length + task.candidateGroups.length > 0;
  return { kind: 'task', activityId: element.activityId, executionId: element.executionId, taskId: task.id, ...(candidates && { candidates: true as const }), ...(clocks && { clocks: true as const }), ...(sign && { sign }) };
}

/** Too many to tell each one (a group of the whole bureau): they find it in their inbox. */
const MAX_TOLD = 200;

/** Who may claim the task: its candidate users and the members of its candidate groups (a role or a post). */
function candidatesToTell(task: TaskRecord, org: Org | null): string[] {
  const members = org ? task.candidateGroups.flatMap((g) => [...org.usersWithRole(g), ...org.usersWithPost(g)]) : [];
  return [...new Set([...task.candidateUsers, ...members])].slice(0, MAX_TOLD);
}

function newTask(step: Step, t: StepInstance, activityId: string, executionId: string, content: ElementContent, formVersion: number | null, sla: Sla | null): TaskRecord {
  const live = t.live!;
  const model = live.definition.model.userTasks[activityId];
  const evaluate = <T>(text: string | null | undefined, convert: (v: unknown) => T, fallback: T): T => (text ? evaluateAttribute(live, activityId, text, content, convert) : fallback);
  const calendar = sla?.calendar ?? evaluate(model?.calendar, (v) => calendarOf(step.deps.calendars, v), ALWAYS);
  const dueAt = sla ? addDuration(sla.calendar, step.now, sla.row.duration) : evaluate(model?.dueDate, (v) => toDueAt(v, step.now, calendar), null);
  return {
    id: step.newId(),
    instanceId: t.record.id,
    definitionId: t.record.definitionId,
    processKey: t.record.processKey,
    businessKey: t.record.businessKey,
    departmentId: t.record.departmentId,
    initiator: t.record.startedBy,
    stateName: live.definition.model.states[activityId] ?? t.record.stateName,
    activityId,
    executionId,
    name: model?.name ?? live.definition.model.names[activityId] ?? null,
    state: 'active',
    assignee: evaluate(model?.assignee, toUserId, null),
    candidateUsers: evaluate(model?.candidateUsers, toList, []),
    candidateGroups: evaluate(model?.candidateGroups, toList, []),
    formKey: model?.form ? model.form.key : evaluate(model?.formKey, (v) => toText(v, 255), null),
    formVersion,
    priority: evaluate(model?.priority, toPriority, DEFAULT_PRIORITY),
    dueAt,
    nearDueAt: dueAt === null ? null : nearDueAt(calendar, step.now, dueAt),
    createdAt: step.now,
    claimedAt: null,
    endedAt: null,
    endedBy: null,
    assignment: null,
    owner: null,
  };
}

/**
 * Resolve the task's assignee rules against the organisation and record how.
 * Nobody found: the admins become candidates, the task is skipped, or (the
 * default) it waits for an admin with an incident that says why.
 */
async function assign(step: Step, t: StepInstance, task: TaskRecord, model: UserTaskModel, content: ElementContent): Promise<'assigned' | 'skip' | 'incident'> {
  const live = t.live!;
  const text = evaluateAttribute(live, task.activityId, model.assignees!, content, (v) => toText(v, 1000) ?? '');
  let rules;
  try {
    rules = parseRules(text);
  } catch (err) {
    throw new WorkflowError('WF_ERR_EXPRESSION', { elementId: task.activityId, expression: model.assignees!, detail: explain(err, '处理人规则无法解析') });
  }
  const org = step.deps.org ? await step.deps.org.org() : null;
  const { users } = org ? resolveRules(rules, org, { initiator: t.record.startedBy, variables: live.variables }) : { users: [] };
  task.assignee = null;
  task.candidateUsers = [];
  task.candidateGroups = [];
  if (users.length) {
    if (users.length === 1 && model.assignMode !== 'candidates') task.assignee = users[0]!;
    else task.candidateUsers = users;
    task.assignment = { rule: text, users };
    return 'assigned';
  }
  if (model.fallback === 'skip') {
    task.assignment = { rule: text, users: [] };
    return 'skip';
  }
  task.candidateUsers = model.fallback === 'admin' && org ? org.usersWithRole('admin') : [];
  // Until an admin assigns it, only admins may take it: a task without candidates would be open to everyone.
  task.candidateGroups = ['admin', 'sysadmin'];
  task.assignment = { rule: text, users: [], fallback: model.fallback === 'admin' ? 'admin' : 'incident' };
  return model.fallback === 'admin' ? 'assigned' : 'incident';
}

/** Several signers found: one row each at once (all, share), or the first of them (sequential). */
function signState(step: Step, task: TaskRecord, rule: Exclude<SignRule, { mode: 'or' }>): SignState {
  const signers = task.assignment!.users;
  const first = rule.mode === 'sequential' ? signers.slice(0, 1) : signers;
  return {
    mode: rule.mode,
    threshold: rule.mode === 'share' ? rule.threshold : 1,
    signers,
    // The first signer's row is the task made for the node; the others are its copies.
    open: first.map((userId, i) => ({ taskId: i === 0 ? task.id : step.newId(), userId })),
    votes: [],
  };
}

/** The SLA table of a task and the row (duration, calendar) the case's variable picks. */
export function slaOf(step: Step, live: LiveInstance, model: UserTaskModel): Sla {
  const table = step.deps.slas.get(model.sla!);
  if (!table) throw new WorkflowError('WF_ERR_STEP_FAILED', { elementId: model.id, detail: t(`没有时限表 ${model.sla}`, `there is no SLA table ${model.sla}`) });
  try {
    const row = slaRow(table, live.variables);
    return { table, row, calendar: calendarOf(step.deps.calendars, row.calendar) };
  } catch (err) {
    throw new WorkflowError('WF_ERR_STEP_FAILED', { elementId: model.id, detail: explain(err, '时限表没有对应的行') });
  }
}

/** Timer rows for a task wait's clock: its SLA's reminder and escalation steps (steps already taken left out), and the moment it is overdue. */
export function clockTimers(step: Step, instance: InstanceRecord, activityId: string, executionId: string, sla: Sla | null, from: number, dueAt: number, taken: ReadonlySet<number>): Write[] {
  const alarms: TaskAlarm[] = sla ? clocksOf(sla.table, sla.calendar, from, dueAt).filter((c) => c.action !== 'escalate' || !taken.has(c.step)) : [];
  return [...alarms, { action: 'overdue' as const, at: dueAt }]
    .map((alarm) => ({
      type: 'timer.insert' as const,
      record: { id: step.newId(), instanceId: instance.id, definitionId: instance.definitionId, activityId, executionId, kind: 'clock' as const, spec: JSON.stringify(alarm), dueAt: Math.max(alarm.at, step.now), attempts: 0, lastError: null, createdAt: step.now },
    }));
}

function unassignedIncident(step: Step, task: TaskRecord): IncidentRecord {
  return {
    id: step.newId(),
    instanceId: task.instanceId,
    activityId: task.activityId,
    executionId: task.executionId,
    kind: 'task',
    refId: task.id,
    message: `任务“${task.name ?? task.activityId}”的办理人规则 ${task.assignment?.rule} 没有找到任何人，请指定办理人`,
    state: 'open',
    createdAt: step.now,
    resolvedAt: null,
    resolvedBy: null,
  };
}
