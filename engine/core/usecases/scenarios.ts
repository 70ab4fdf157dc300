/**
 * Running an analyst's scenarios against a draft: each in a sandbox of its
 * own (a workflow on a database in memory, a virtual clock, connectors that
 * only record their calls), so that nothing leaves the machine and nothing
 * touches the live tables. A scenario's steps act as the people it names,
 * move the clock, deliver messages, and check what the case did; the result
 * says which step failed and why, the path taken, who got each task and by
 * which rule, the due dates, and every connector call and notice.
 */
import { parseScenario, scenariosOf, type Scenario, type ScenarioProblem, type ScenarioStep } from '../../../definitions/bpmn/scenarios.ts';
import { readBpmn, type ModdleElement } from '../../../definitions/bpmn/moddle.ts';
import { addDuration, ALWAYS } from '../calendar/working-calendar.ts';
import { explain, WorkflowError } from '../errors.ts';
import type { HistoryRecord, Page, PageRequest, TaskRecord, Variables } from '../model.ts';
import type { Services } from '../services.ts';
import { handOver, returnTask } from './inbox.ts';
import type { MessageRequest } from './messages-and-signals.ts';
import type { InstanceView } from './views.ts';

/** What a scenario does with its sandbox's workflow (the Workflow facade, named here so that this module needs not import it). */
export interface SandboxWorkflow {
  readonly services: Services;
  deploy(xml: string, actor: string | null): Promise<unknown>;
  startForm(processKey: string, actor: string | null): Promise<unknown>;
  submitStartForm(processKey: string, request: { data: unknown; businessKey?: string | null }, actor: string | null, locale: 'zh-CN' | 'en'): Promise<InstanceView>;
  start(request: { processKey: string; variables?: Variables; businessKey?: string | null }, actor: string | null): Promise<InstanceView>;
  getInstance(id: string): Promise<InstanceView>;
  history(id: string, page: PageRequest): Promise<Page<HistoryRecord>>;
  listTasks(filter: { instanceId?: string; state?: 'active' }, page: PageRequest): Promise<Page<TaskRecord>>;
  claim(id: string, userId: string | null, actor: string | null): Promise<unknown>;
  complete(id: string, variables: Variables | undefined, actor: string | null): Promise<unknown>;
  correlate(request: MessageRequest, actor: string | null): Promise<unknown>;
}

/** A workflow of its own for one scenario: its database in memory, its clock virtual, its connectors recording. */
export interface Sandbox {
  workflow: SandboxWorkflow;
  now(): number;
  /** Move the virtual clock and run what fell due. */
  advance(ms: number): Promise<void>;
  /** Run the jobs and timers due now. */
  settle(): Promise<void>;
  /** Every handler call, in order. */
  calls: Array<{ handler: string; activityId: string; input: Record<string, unknown>; at: number }>;
  close(): Promise<void>;
}
export type SandboxFactory = () => Promise<Sandbox>;

export interface StepResult {
  index: number;
  step: ScenarioStep;
  ok: boolean;
  /** Why it failed, in both languages. */
  message?: { 'zh-CN': string; en: string };
  /** The virtual time after the step. */
  at: number;
}

export interface ScenarioResult {
  name: string;
  passed: boolean;
  steps: StepResult[];
  instanceId: string | null;
  state: string | null;
  /** Activities in the order the case entered them, and where it waits at the end. */
  path: string[];
  waiting: string[];
  tasks: Array<{ activityId: string; name: string | null; assignee: string | null; candidates: string[]; rule: string | null; createdAt: number; dueAt: number | null; state: string }>;
  calls: Sandbox['calls'];
  notices: Array<{ userId: string; kind: string; title: string; at: number }>;
  /** Server time the scenario took, in milliseconds: its start and steps (ms), and deploying the draft into its sandbox first (deployMs). */
  ms: number;
  deployMs: number;
}

export interface ScenarioRun {
  results: ScenarioResult[];
  problems: ScenarioProblem[];
}

type Text = { 'zh-CN': string; en: string };
class StepFailed extends Error {
  constructor(readonly text: Text) {
    super(text.en);
  }
}

/** The scenarios saved in `xml` (or those given), each run in a sandbox of its own. */
export async function runScenarios(sandboxes: SandboxFactory, xml: string, given?: unknown[], actor = 'analyst'): Promise<ScenarioRun> {
  const context = await readBpmn(xml).catch(() => null);
  const processes = ((context?.rootElement.rootElements as ModdleElement[] | undefined) ?? []).filter((e) => e.$type === 'bpmn:Process' && e.isExecutable !== false);
  const problems: ScenarioProblem[] = [];
  const planned: Array<{ processKey: string; scenario: Scenario }> = [];
  if (given)
    given.forEach((value, i) => {
      const parsed = parseScenario(value, `#${i + 1}`);
      problems.push(...parsed.problems);
      if (parsed.scenario) planned.push({ processKey: processes[0]?.id ?? '', scenario: parsed.scenario });
    });
  else
    for (const p of processes) {
      const found = scenariosOf(p);
      problems.push(...found.problems);
      planned.push(...found.scenarios.map((scenario) => ({ processKey: p.id!, scenario })));
    }
  const results: ScenarioResult[] = [];
  for (const { processKey, scenario } of planned) {
    const sandbox = await sandboxes();
    try {
      results.push(await runOne(sandbox, xml, processKey, scenario, actor));
    } finally {
      await sandbox.close();
    }
  }
  return { results, problems };
}

async function runOne(sandbox: Sandbox, xml: string, processKey: string, scenario: Scenario, actor: string): Promise<ScenarioResult> {
  let began = performance.now();
  const wf = sandbox.workflow;
  const steps: StepResult[] = [];
  const result: ScenarioResult = { name: scenario.name, passed: false, steps, instanceId: null, state: null, path: [], waiting: [], tasks: [], calls: sandbox.calls, notices: [], ms: 0, deployMs: 0 };
  try {
    await wf.deploy(xml, actor);
    result.deployMs = performance.now() - began;
    began = performance.now();
    const by = scenario.start.by ?? actor;
    const hasForm = await wf
      .startForm(processKey, by)
      .then(() => true)
      .catch(() => false);
    const started = hasForm
      ? await wf.submitStartForm(processKey, { data: scenario.start.data ?? {}, businessKey: scenario.start.businessKey ?? null }, by, 'zh-CN')
      : await wf.start({ processKey, variables: scenario.start.data ?? {}, businessKey: scenario.start.businessKey ?? null }, by);
    result.instanceId = started.id;
    await sandbox.settle();
  } catch (err) {
    steps.push({ index: -1, step: { do: 'complete', task: 'start' }, ok: false, message: failure(err), at: sandbox.now() });
    result.ms = performance.now() - began;
    return result;
  }
  const instanceId = result.instanceId!;
  for (const [index, step] of scenario.steps.entries()) {
    try {
      await perform(sandbox, instanceId, step);
      steps.push({ index, step, ok: true, at: sandbox.now() });
    } catch (err) {
      steps.push({ index, step, ok: false, message: failure(err), at: sandbox.now() });
      // An action that could not be done leaves nothing sensible to check after it.
      if ('do' in step) break;
    }
  }
  result.ms = performance.now() - began;
  const instance = await wf.getInstance(instanceId);
  const history = await wf.history(instanceId, { offset: 0, limit: 1000 });
  const model = (await wf.services.definitions.get(instance.definitionId)).model;
  result.state = instance.state;
  result.path = history.items.filter((e) => e.kind === 'activity.start' && e.activityId).map((e) => e.activityId!);
  result.waiting = instance.activities.map((a) => a.activityId);
  result.tasks = (await wf.listTasks({ instanceId }, { offset: 0, limit: 200 })).items.map((task) => ({
    activityId: task.activityId,
    name: task.name,
    assignee: task.assignee,
    candidates: task.candidateUsers,
    rule: model.userTasks[task.activityId]?.assignees ?? null,
    createdAt: task.createdAt,
    dueAt: task.dueAt,
    state: task.state,
  }));
  const people = new Set([...result.tasks.flatMap((task) => [task.assignee, ...task.candidates]), instance.startedBy].filter((u): u is string => !!u));
  for (const e of history.items) if (e.kind === 'instance.cc') for (const u of (e.data?.users as string[] | undefined) ?? []) people.add(u);
  for (const userId of people) {
    const notices = await wf.services.store.listNotices(userId, {}, { offset: 0, limit: 200 });
    result.notices.push(...notices.items.filter((n) => n.instanceId === instanceId).map((n) => ({ userId, kind: n.kind, title: n.title, at: n.createdAt })));
  }
  result.notices.sort((a, b) => a.at - b.at);
  result.passed = steps.every((s) => s.ok);
  return result;
}

function failure(err: unknown): Text {
  if (err instanceof StepFailed) return err.text;
  if (err instanceof WorkflowError) return { 'zh-CN': err.localizedMessage('zh-CN'), en: err.localizedMessage('en') };
  return explain(err, '模拟运行出错');
}

const fail = (zh: string, en: string): never => {
  throw new StepFailed({ 'zh-CN': zh, en });
};

async function openTask(wf: SandboxWorkflow, instanceId: string, activityId: string): Promise<TaskRecord> {
  const tasks = (await wf.listTasks({ instanceId, state: 'active' }, { offset: 0, limit: 200 })).items;
  const task = tasks.find((x) => x.activityId === activityId);
  if (!task)
    return fail(
      `“${activityId}”没有待办（现有：${tasks.map((x) => x.activityId).join('、') || '无'}）`,
      `no open task at "${activityId}" (open: ${tasks.map((x) => x.activityId).join(', ') || 'none'})`,
    );
  return task;
}

/** Who acts on a task: the one the step names (claiming it if they are a candidate), else its holder. */
async function actor(wf: SandboxWorkflow, task: TaskRecord, by: string | undefined): Promise<string> {
  const who = by ?? task.assignee ?? task.candidateUsers[0];
  if (!who) return fail(`“${task.name ?? task.activityId}”没有办理人`, `"${task.name ?? task.activityId}" has nobody to handle it`);
  if (!task.assignee) await wf.claim(task.id, who, who);
  return who;
}

async function perform(sandbox: Sandbox, instanceId: string, step: ScenarioStep): Promise<void> {
  const wf = sandbox.workflow;
  if ('do' in step) {
    switch (step.do) {
      case 'approve':
      case 'reject':
      case 'complete': {
        const task = await openTask(wf, instanceId, step.task);
        const who = await actor(wf, task, step.by);
        const decision = step.do === 'complete' ? {} : { approved: step.do === 'approve', ...(step.comment && { comment: step.comment }) };
        await wf.complete(task.id, { ...step.data, ...decision }, who);
        break;
      }
      case 'return': {
        const task = await openTask(wf, instanceId, step.task);
        await returnTask(wf.services, task.id, step.to ?? null, step.comment ?? '退回', await actor(wf, task, step.by));
        break;
      }
      case 'transfer': {
        const task = await openTask(wf, instanceId, step.task);
        await handOver(wf.services, task.id, step.to, 'transfer', null, await actor(wf, task, step.by));
        break;
      }
      case 'message':
        await wf.correlate({ name: step.name, correlationKey: step.correlationKey ?? null, variables: step.variables ?? {} }, null);
        break;
      case 'wait': {
        const now = sandbox.now();
        // Working days on the office calendar (weekends and holidays skipped), else time as it runs.
        const office = wf.services.calendars.get('office-hours') ?? ALWAYS;
        const until = step.workingDays !== undefined ? addDuration(office, now, `P${step.workingDays}D`) : step.duration ? addDuration(ALWAYS, now, step.duration) : now;
        await sandbox.advance(Math.max(0, until - now));
        break;
      }
    }
    await sandbox.settle();
    return;
  }
  const instance = await wf.getInstance(instanceId);
  const waiting = instance.activities.map((a) => a.activityId);
  switch (step.expect) {
    case 'at':
      if (!waiting.includes(step.activity))
        fail(
          `流程没有停在“${step.activity}”（停在：${waiting.join('、') || '无，已结束'}）`,
          `the case does not wait at "${step.activity}" (it waits at: ${waiting.join(', ') || 'nothing, it ended'})`,
        );
      return;
    case 'not-at':
      if (waiting.includes(step.activity)) fail(`流程停在了“${step.activity}”`, `the case waits at "${step.activity}"`);
      return;
    case 'assignee': {
      const task = await openTask(wf, instanceId, step.task);
      const holders = task.assignee ? [task.assignee] : task.candidateUsers;
      if (!holders.includes(step.user)) fail(`“${step.task}”交给了 ${holders.join('、') || '无人'}，不是 ${step.user}`, `"${step.task}" went to ${holders.join(', ') || 'nobody'}, not ${step.user}`);
      return;
    }
    case 'state':
      if (instance.state !== step.state) fail(`流程状态是 ${instance.state}，不是 ${step.state}`, `the case is ${instance.state}, not ${step.state}`);
      return;
    case 'variable':
      if (JSON.stringify(instance.variables[step.name]) !== JSON.stringify(step.value))
        fail(
          `变量 ${step.name} 是 ${JSON.stringify(instance.variables[step.name])}，不是 ${JSON.stringify(step.value)}`,
          `variable ${step.name} is ${JSON.stringify(instance.variables[step.name])}, not ${JSON.stringify(step.value)}`,
        );
      return;
    case 'call': {
      const calls = sandbox.calls.filter((c) => c.handler === step.handler);
      const matching = calls.filter((c) => !step.contains || JSON.stringify(c.input).includes(step.contains));
      if (!matching.length) fail(`没有调用 ${step.handler}${step.contains ? `（含“${step.contains}”）` : ''}`, `no call of ${step.handler}${step.contains ? ` containing "${step.contains}"` : ''}`);
      return;
    }
    case 'notice': {
      const notices = (await wf.services.store.listNotices(step.user, {}, { offset: 0, limit: 200 })).items.filter((n) => n.instanceId === instanceId);
      if (!notices.some((n) => !step.contains || n.title.includes(step.contains) || (n.body ?? '').includes(step.contains)))
        fail(`${step.user} 没有收到${step.contains ? `含“${step.contains}”的` : ''}通知`, `${step.user} got no notice${step.contains ? ` containing "${step.contains}"` : ''}`);
      return;
    }
    case 'due': {
      const task = await openTask(wf, instanceId, step.task);
      const expected = Date.parse(step.at);
      if (task.dueAt !== expected)
        fail(
          `“${step.task}”的期限是 ${task.dueAt ? new Date(task.dueAt).toISOString() : '无'}，不是 ${step.at}`,
          `"${step.task}" is due ${task.dueAt ? new Date(task.dueAt).toISOString() : 'never'}, not ${step.at}`,
        );
      return;
    }
  }
}
