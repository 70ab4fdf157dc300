/**
 * Assignee rules (wf:assignees on a user task): who a task goes to, declared
 * in the definition and resolved against the organisation when the task is
 * created. Alternatives separated by `|` are tried in order until one yields
 * somebody:
 *
 *   user:zhangsan,lisi        named users
 *   role:finance              holders of a role
 *   post:dept-head            holders of a post in the initiator's department, else the nearest department above that has one
 *   post:dept-head@traffic    holders of a post in a named department
 *   department:traffic        everyone in a department (`+children`: and below)
 *   initiator                 the initiator
 *   department-head           the head of the initiator's department (the one above, when they head it themselves)
 *   leader:2                  the initiator's leader two levels up
 *   variable:approver         user ids held by a variable or form field (the initiator picks the approver)
 *
 * `${…}` in a rule is evaluated first: `post:dept-head@${handlingOffice}` is
 * the head of the case's handling office, `department:${territory}` the
 * territory of a hazard.
 */
import type { Org } from './directory.ts';
import { Explained, t } from '../errors.ts';

export type AssigneeRule =
  | { kind: 'user'; ids: string[] }
  | { kind: 'role'; role: string }
  | { kind: 'post'; post: string; department: string | null }
  | { kind: 'department'; department: string; children: boolean }
  | { kind: 'initiator' }
  | { kind: 'department-head' }
  | { kind: 'leader'; levels: number }
  | { kind: 'variable'; name: string };

/** What happens when no rule yields anybody. */
export type Fallback = 'admin' | 'skip' | 'incident';
export const FALLBACKS: readonly Fallback[] = ['admin', 'skip', 'incident'];

/** Whether the people found become candidates (anyone of them claims) or the assignee (when there is exactly one). */
export type AssignMode = 'auto' | 'candidates' | 'assign';
export const ASSIGN_MODES: readonly AssignMode[] = ['auto', 'candidates', 'assign'];

const KEY = '[A-Za-z0-9\\u4e00-\\u9fff][A-Za-z0-9._\\-\\u4e00-\\u9fff]{0,63}';
const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => AssigneeRule]> = [
  [new RegExp(`^user:(${KEY}(?:\\s*,\\s*${KEY})*)$`), (m) => ({ kind: 'user', ids: m[1]!.split(',').map((s) => s.trim()) })],
  [new RegExp(`^role:(${KEY})$`), (m) => ({ kind: 'role', role: m[1]! })],
  [new RegExp(`^post:(${KEY})(?:@(${KEY}))?$`), (m) => ({ kind: 'post', post: m[1]!, department: m[2] ?? null })],
  [new RegExp(`^department:(${KEY})?(\\+children)?$`), (m) => ({ kind: 'department', department: m[1] ?? '', children: m[2] !== undefined })],
  [/^initiator$/, () => ({ kind: 'initiator' })],
  [/^department-head$/, () => ({ kind: 'department-head' })],
  [/^leader:([1-9])$/, (m) => ({ kind: 'leader', levels: Number(m[1]) })],
  [/^variable:([A-Za-z_$][\w$]{0,127})$/, (m) => ({ kind: 'variable', name: m[1]! })],
];

/** Parse rule text (after `${…}` is evaluated); throws naming the alternative that is not a rule. */
export function parseRules(text: string): AssigneeRule[] {
  return text.split('|').map((part) => {
    const trimmed = part.trim();
    for (const [pattern, build] of PATTERNS) {
      const m = pattern.exec(trimmed);
      if (m) return build(m);
    }
    throw new Explained(
      t(
        `“${trimmed}”不是处理人规则（可用：user:、role:、post:、department:、initiator、department-head、leader:N、variable:）`,
        `"${trimmed}" is not an assignee rule (user:, role:, post:, department:, initiator, department-head, leader:N, variable:)`,
      ),
    );
  });
}

/** Why rule text is not a rule (for the deploy-time lint); null when it is one. */
export function ruleProblem(text: string): { 'zh-CN': string; en: string } | null {
  try {
    parseRules(text);
    return null;
  } catch (err) {
    return err instanceof Explained ? err.text : { 'zh-CN': (err as Error).message, en: (err as Error).message };
  }
}

/** The users rule text names for a case; nobody without an organisation. */
export async function usersFor(directory: { org(): Promise<Org> } | null, text: string, context: RuleContext): Promise<string[]> {
  return directory ? resolveRules(parseRules(text), await directory.org(), context).users : [];
}

export interface RuleContext {
  initiator: string | null;
  variables: Record<string, unknown>;
}

/** The active users the first rule that yields anybody names; empty when none does. */
export function resolveRules(rules: readonly AssigneeRule[], org: Org, context: RuleContext): { rule: AssigneeRule | null; users: string[] } {
  for (const rule of rules) {
    const users = resolve(rule, org, context);
    if (users.length) return { rule, users };
  }
  return { rule: null, users: [] };
}

function resolve(rule: AssigneeRule, org: Org, { initiator, variables }: RuleContext): string[] {
  switch (rule.kind) {
    case 'user':
      return org.active(rule.ids);
    case 'role':
      return org.usersWithRole(rule.role);
    case 'post': {
      if (rule.department) return org.usersWithPost(rule.post, [rule.department]);
      const home = initiator ? org.primaryDepartment(initiator) : null;
      for (const department of home ? [home, ...org.ancestors(home)] : []) {
        const holders = org.usersWithPost(rule.post, [department]);
        if (holders.length) return holders;
      }
      return [];
    }
    case 'department':
      return org.usersInDepartments(rule.children ? org.subtree(rule.department) : [rule.department]);
    case 'initiator':
      return initiator ? org.active([initiator]) : [];
    case 'department-head':
      return initiator ? [org.leaderOf(initiator, 1)].filter((u): u is string => u !== null) : [];
    case 'leader':
      return initiator ? [org.leaderOf(initiator, rule.levels)].filter((u): u is string => u !== null) : [];
    case 'variable': {
      const value = variables[rule.name];
      const ids = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
      return org.active(ids.filter((v): v is string => typeof v === 'string').map((v) => v.trim()));
    }
  }
}
