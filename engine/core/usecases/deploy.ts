import { createHash } from 'node:crypto';
import type { FormCatalog, Problem } from '../../../definitions/bpmn/analyse.ts';
import { lineIndex } from '../../../definitions/bpmn/lines.ts';
import type { ProcessModel } from '../../../definitions/bpmn/process-model.ts';
import { ISOInterval, getDate } from '@0dep/piso';
import { explain, t, WorkflowError } from '../errors.ts';
import type { DefinitionRecord, SubscriptionRecord, TimerRecord } from '../model.ts';
import { ConflictError } from '../ports.ts';
import { parseBpmn, type ParsedBpmn } from '../runtime/compiled-definition.ts';
import { scenariosOf } from '../../../definitions/bpmn/scenarios.ts';
import type { ModdleElement } from '../../../definitions/bpmn/moddle.ts';
import { runScenarios, type SandboxFactory } from './scenarios.ts';
import { DefinitionRegistry } from '../runtime/definition-registry.ts';
import type { Services } from '../services.ts';

export interface DeployResult {
  id: string;
  key: string;
  version: number;
  name: string | null;
  /** False when the same content was already the latest version: nothing was deployed. */
  created: boolean;
  warnings: Problem[];
}

export interface DeployOptions {
  /** Deploy although a saved scenario fails: why (kept in the audit trail). */
  scenarioOverride?: string;
  /** Where the flow's saved scenarios run first; absent: they are not run. */
  sandboxes?: SandboxFactory | null;
}

const scenarioText = (p: { scenario: string; step?: number }, message: { 'zh-CN': string; en: string }) => ({
  'zh-CN': `场景“${p.scenario}”${p.step !== undefined ? `第 ${p.step + 1} 步` : ''}：${message['zh-CN']}`,
  en: `scenario "${p.scenario}"${p.step !== undefined ? `, step ${p.step + 1}` : ''}: ${message.en}`,
});

/** The scenarios saved in the flow run first (where a sandbox is at hand); one failing refuses the deploy, unless overridden with a reason. */
async function checkScenarios(services: Services, xml: string, actor: string | null, options: DeployOptions): Promise<void> {
  if (!options.sandboxes || !xml.includes('scenario')) return;
  const { results } = await runScenarios(options.sandboxes, xml, undefined, actor ?? 'system');
  const failed = results.flatMap((r) =>
    r.steps.filter((s) => !s.ok).map((s) => ({ rule: 'scenario-failed', message: scenarioText({ scenario: r.name, ...(s.index >= 0 && { step: s.index }) }, s.message!) })),
  );
  if (!failed.length) return;
  if (options.scenarioOverride?.trim()) {
    services.logger.warn({ failed: failed.length, reason: options.scenarioOverride }, 'deployed although scenarios failed');
    return;
  }
  throw new WorkflowError('WF_ERR_SCENARIOS_FAILED', { count: results.filter((r) => !r.passed).length, problems: failed }, 'xml');
}

/** Everything deploying would find wrong (errors) or doubtful (warnings), deploying nothing: the designer's check as it is typed. */
export async function lint(services: Services, xml: string): Promise<ParsedBpmn> {
  const parsed = await parseBpmn(xml, { ...services.lintPolicy, forms: await formCatalog(services) });
  const { errors, warnings, processes } = parsed.analysed;
  for (const process of (parsed.moddle.rootElement.rootElements as ModdleElement[] | undefined) ?? [])
    if (process.$type === 'bpmn:Process') for (const p of scenariosOf(process).problems) errors.push({ rule: 'bad-scenario', elementId: process.id!, message: scenarioText(p, p.message) });
  warnings.push(...pastStartTimers(processes, services.clock.now()), ...(await unknownPeople(services, processes, xml)));
  return parsed;
}

/**
 * Deploy a BPMN file: lint it, then store each executable process as version
 * N+1 of its key — unless the content equals the latest version, which is
 * returned unchanged. The new version's start events replace the old ones'.
 */
export async function deploy(services: Services, xml: string, actor: string | null, options: DeployOptions = {}): Promise<DeployResult[]> {
  const parsed = await lint(services, xml);
  const { errors, warnings, processes } = parsed.analysed;
  if (errors.length) throw new WorkflowError('WF_ERR_BPMN_INVALID', { count: errors.length, problems: errors }, 'xml');
  const hash = createHash('sha256').update(xml).digest('hex');
  // The same content again deploys nothing, and needs no scenarios run.
  const latest = await Promise.all(processes.map((m) => services.store.findDefinition(m.id)));
  if (latest.some((l) => l?.hash !== hash)) await checkScenarios(services, xml, actor, options);
  const results: DeployResult[] = [];
  for (const model of processes) {
    for (let attempt = 1; ; attempt++) {
      const latest = await services.store.findDefinition(model.id);
      if (latest?.hash === hash) {
        results.push({ id: latest.id, key: latest.key, version: latest.version, name: latest.name, created: false, warnings });
        break;
      }
      const version = (latest?.version ?? 0) + 1;
      const record: DefinitionRecord = { id: `${model.id}:${version}`, key: model.id, version, name: model.name, hash, xml, deployedAt: services.clock.now(), deployedBy: actor };
      // Everything that can fail on the content happens before anything is stored.
      const { compiled, starts } = compile(services, record, parsed, model);
      try {
        await services.store.insertDefinition(record, starts);
      } catch (err) {
        if (err instanceof ConflictError && attempt < 5) continue; // someone deployed the same key at the same moment
        throw err;
      }
      services.definitions.register(compiled);
      results.push({ id: record.id, key: record.key, version, name: record.name, created: true, warnings });
      services.logger.info({ definition: record.id }, 'deployed');
      break;
    }
  }
  return results;
}

/** The deployed forms' fields by key and version, for checking camunda:formRef. */
export async function formCatalog(services: Services): Promise<FormCatalog> {
  const versions = new Map<string, Map<number, string[]>>();
  for (const form of await services.store.allForms()) {
    const fields = Object.keys((form.definition as { schema?: { properties?: object } }).schema?.properties ?? {});
    if (!versions.has(form.key)) versions.set(form.key, new Map());
    versions.get(form.key)!.set(form.version, fields);
  }
  return {
    fields(key, version) {
      const known = versions.get(key);
      if (!known) return null;
      return known.get(version ?? Math.max(...known.keys())) ?? null;
    },
  };
}

function compile(services: Services, record: DefinitionRecord, parsed: ParsedBpmn, model: ProcessModel) {
  try {
    return { compiled: DefinitionRegistry.compile(record, parsed), starts: startEvents(services, record, model) };
  } catch (err) {
    const why = explain(err, '引擎无法读取这个流程');
    const problem: Problem = { rule: 'not-executable', elementId: model.id, message: { 'zh-CN': `流程无法加载：${why['zh-CN']}`, en: `The process cannot be loaded: ${why.en}` } };
    throw new WorkflowError('WF_ERR_BPMN_INVALID', { count: 1, problems: [problem] }, 'xml');
  }
}

/** Message and signal start events subscribe; timer start events get their first due time. */
function startEvents(services: Services, record: DefinitionRecord, model: ProcessModel): { subscriptions: SubscriptionRecord[]; timers: TimerRecord[] } {
  const now = services.clock.now();
  const subscriptions: SubscriptionRecord[] = [];
  const timers: TimerRecord[] = [];
  for (const start of model.startEvents) {
    const base = { instanceId: null, definitionId: record.id, activityId: start.id, executionId: null, createdAt: now };
    if (start.kind === 'message' && start.messageName) subscriptions.push({ ...base, id: services.newId(), kind: 'message', name: start.messageName, correlationKey: null });
    if (start.kind === 'signal' && start.signalName) subscriptions.push({ ...base, id: services.newId(), kind: 'signal', name: start.signalName, correlationKey: null });
    if (start.kind === 'timer' && start.timer) {
      const dueAt = firstDueAt(start.timer.type, start.timer.value, now);
      if (dueAt !== null) timers.push({ ...base, id: services.newId(), kind: 'start', spec: `${start.timer.type}:${start.timer.value}`, dueAt, attempts: 0, lastError: null });
    }
  }
  return { subscriptions, timers };
}

/** A timer start event whose date has passed never fires: worth a warning at deploy. */
function pastStartTimers(processes: ProcessModel[], now: number): Problem[] {
  return processes.flatMap((p) =>
    p.startEvents
      .filter((s) => s.timer?.type === 'timeDate' && firstDueAt('timeDate', s.timer.value, now) === null)
      .map((s) => ({
        rule: 'start-timer-in-past',
        elementId: s.id,
        message: { 'zh-CN': `开始定时器的时间 ${s.timer!.value} 已过，不会触发`, en: `The start timer's date ${s.timer!.value} has passed: it will never fire` },
      })),
  );
}

/** When a start timer first fires; null for a date in the past. */
export function firstDueAt(type: string, value: string, now: number): number | null {
  if (type === 'timeDate') {
    const at = getDate(value).getTime();
    return at >= now ? at : null;
  }
  const start = new Date(now);
  return new ISOInterval(value).parse().getExpireAt(start, start).getTime();
}

/** After a cycle start timer fired: the spec for the remaining repetitions and the next due time, or null when done. */
export function nextCycle(spec: string, firedAt: number): { spec: string; dueAt: number } | null {
  const [type, value = ''] = spec.split(/:(.*)/s) as [string, string?];
  if (type !== 'timeCycle') return null;
  const match = /^R(\d*)\/(.*)$/.exec(value);
  if (!match) return null;
  const remaining = match[1] === '' ? Infinity : Number(match[1]) - 1;
  if (remaining < 1) return null;
  // The next occurrence after this firing, from the cycle's own start date when it has one (R/2024-01-01T09:00/P1D).
  const fired = new Date(firedAt);
  const dueAt = new ISOInterval(value)
    .parse()
    .getExpireAt(new Date(firedAt + 1), fired)
    .getTime();
  return { spec: `timeCycle:R${remaining === Infinity ? '' : remaining}/${match[2]}`, dueAt };
}

/**
 * Camunda's candidateGroups are matched against role and post keys, assignees
 * and candidateUsers against user ids: one that matches nobody in the
 * organisation leaves its tasks to the admins. Said at deploy, naming the
 * element and the name (expressions are left to run time).
 */
async function unknownPeople(services: Services, processes: ProcessModel[], xml: string): Promise<Problem[]> {
  if (!services.org) return [];
  const org = await services.org.org();
  if (!org.data.users.length) return []; // no organisation yet: nothing to match against
  const roles = new Set(org.data.roles.map((r) => r.key));
  const posts = new Set(org.data.posts.map((p) => p.post));
  const problems: Problem[] = [];
  const lineOf = lineIndex(xml);
  const literal = (text: string | null) =>
    text && !text.includes('${') && !text.includes('#{')
      ? text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  for (const model of processes) {
    for (const task of Object.values(model.userTasks)) {
      if (task.assignees) continue; // wf:assignees rules are resolved (and fall back) at run time
      const line = lineOf(task.id);
      const at = { elementId: task.id, ...(line !== undefined && { line }) };
      for (const group of literal(task.candidateGroups)) {
        if (!roles.has(group) && !posts.has(group))
          problems.push({
            rule: 'unknown-group',
            ...at,
            message: t(
              `任务 ${task.id} 的候选组 ${group} 不是任何角色或岗位的编码：没有人能办理，只有管理员能看到并指派`,
              `Task ${task.id}: candidate group ${group} is no role or post key: nobody can take the task; only admins see it and can assign it`,
            ),
          });
      }
      for (const user of [...literal(task.assignee), ...literal(task.candidateUsers)]) {
        if (!org.user(user))
          problems.push({
            rule: 'unknown-user',
            ...at,
            message: t(`任务 ${task.id} 指定的用户 ${user} 不存在：只有管理员能看到并指派该任务`, `Task ${task.id}: user ${user} does not exist: only admins see the task and can assign it`),
          });
      }
    }
  }
  return problems;
}
