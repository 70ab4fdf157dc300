/**
 * Scenarios: how an analyst tests a flow before anyone sees it — start data,
 * then steps (who does what on which task, messages arriving, time passing)
 * with expectations between them. They are saved with the flow, inside its
 * process as `<wf:scenario name="…">{json}</wf:scenario>` extension elements,
 * so that they are versioned with it and run again on every deploy.
 */
import type { ModdleElement } from './moddle.ts';

export type ScenarioStep =
  | { do: 'approve' | 'reject'; task: string; by?: string; comment?: string; data?: Record<string, unknown> }
  | { do: 'complete'; task: string; by?: string; data?: Record<string, unknown> }
  | { do: 'return'; task: string; by?: string; to?: string; comment?: string }
  | { do: 'transfer'; task: string; by?: string; to: string }
  | { do: 'message'; name: string; correlationKey?: string; variables?: Record<string, unknown> }
  /** Time passing: an ISO 8601 duration (P3D, PT4H) or working days on the flow's calendar. */
  | { do: 'wait'; duration?: string; workingDays?: number }
  | { expect: 'at'; activity: string }
  | { expect: 'not-at'; activity: string }
  | { expect: 'assignee'; task: string; user: string }
  | { expect: 'state'; state: 'running' | 'completed' | 'cancelled' }
  | { expect: 'variable'; name: string; value: unknown }
  | { expect: 'call'; handler: string; contains?: string }
  | { expect: 'notice'; user: string; contains?: string }
  | { expect: 'due'; task: string; at: string };

export interface Scenario {
  name: string;
  /** Who starts it (default: the analyst running it) and the start form's data or variables. */
  start: { by?: string; data?: Record<string, unknown>; businessKey?: string };
  steps: ScenarioStep[];
}

export interface ScenarioProblem {
  scenario: string;
  /** The step at fault, absent for the scenario as a whole. */
  step?: number;
  message: { 'zh-CN': string; en: string };
}

const DOES = new Set(['approve', 'reject', 'complete', 'return', 'transfer', 'message', 'wait']);
const EXPECTS = new Set(['at', 'not-at', 'assignee', 'state', 'variable', 'call', 'notice', 'due']);
/** The fields each step needs, beside `do` / `expect`. */
const NEEDS: Record<string, string[]> = {
  approve: ['task'],
  reject: ['task'],
  complete: ['task'],
  return: ['task'],
  transfer: ['task', 'to'],
  message: ['name'],
  wait: [],
  at: ['activity'],
  'not-at': ['activity'],
  assignee: ['task', 'user'],
  state: ['state'],
  variable: ['name'],
  call: ['handler'],
  notice: ['user'],
  due: ['task', 'at'],
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A scenario from JSON, or the problems that keep it from running. */
export function parseScenario(value: unknown, fallbackName: string): { scenario: Scenario | null; problems: ScenarioProblem[] } {
  const problems: ScenarioProblem[] = [];
  const name = isObject(value) && typeof value.name === 'string' && value.name.trim() ? value.name.trim() : fallbackName;
  const add = (zh: string, en: string, step?: number) => problems.push({ scenario: name, ...(step !== undefined && { step }), message: { 'zh-CN': zh, en } });
  if (!isObject(value)) {
    add('场景须为 JSON 对象', 'a scenario is a JSON object');
    return { scenario: null, problems };
  }
  const start = value.start ?? {};
  if (!isObject(start) || (start.data !== undefined && !isObject(start.data))) add('start 须为 { by, data } 对象', 'start must be an object { by, data }');
  if (!Array.isArray(value.steps)) add('steps 须为步骤列表', 'steps must be a list of steps');
  const steps = Array.isArray(value.steps) ? value.steps : [];
  steps.forEach((step: unknown, i) => {
    if (!isObject(step)) return add(`第 ${i + 1} 步不是对象`, `step ${i + 1} is not an object`, i);
    const kind = typeof step.do === 'string' ? step.do : typeof step.expect === 'string' ? step.expect : null;
    const known = typeof step.do === 'string' ? DOES.has(step.do) : typeof step.expect === 'string' && EXPECTS.has(step.expect);
    if (!kind || !known) return add(`第 ${i + 1} 步的 do/expect 无效`, `step ${i + 1} has no valid do/expect`, i);
    for (const field of NEEDS[kind]!) if (step[field] === undefined || step[field] === '') add(`第 ${i + 1} 步缺少 ${field}`, `step ${i + 1} needs ${field}`, i);
    if (kind === 'wait' && step.duration === undefined && step.workingDays === undefined) add(`第 ${i + 1} 步须给出 duration 或 workingDays`, `step ${i + 1} needs duration or workingDays`, i);
  });
  if (problems.length) return { scenario: null, problems };
  return { scenario: { name, start: start as Scenario['start'], steps: steps as ScenarioStep[] }, problems };
}

/** The scenarios saved in a process (its wf:scenario extension elements). */
export function scenariosOf(process: ModdleElement): { scenarios: Scenario[]; problems: ScenarioProblem[] } {
  const values = ((process.extensionElements as ModdleElement | undefined)?.values as ModdleElement[] | undefined) ?? [];
  const scenarios: Scenario[] = [];
  const problems: ScenarioProblem[] = [];
  values
    .filter((v) => v.$type === 'wf:Scenario')
    .forEach((v, i) => {
      const name = (v.name as string | undefined) ?? `#${i + 1}`;
      let json: unknown;
      try {
        json = JSON.parse(String(v.text ?? ''));
      } catch (err) {
        problems.push({ scenario: name, message: { 'zh-CN': `场景不是有效的 JSON：${(err as Error).message}`, en: `the scenario is not valid JSON: ${(err as Error).message}` } });
        return;
      }
      const parsed = parseScenario(isObject(json) ? { name, ...json } : json, name);
      if (parsed.scenario) scenarios.push(parsed.scenario);
      problems.push(...parsed.problems);
    });
  return { scenarios, problems };
}
