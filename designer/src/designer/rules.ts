/**
 * Assignee rules (wf:assignees, wf:cc) as rows the rule dialog edits, and
 * back to the text the server parses (engine/core/org/assignee-rules.ts);
 * the server's linter checks the text again.
 */
import type { MessageKey } from '../i18n/zh-CN.ts';

type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export type RuleKind = 'user' | 'role' | 'post' | 'department' | 'initiator' | 'department-head' | 'leader' | 'variable';
export const KINDS: RuleKind[] = ['user', 'role', 'post', 'department', 'initiator', 'department-head', 'leader', 'variable'];

export interface RuleRow {
  kind: RuleKind;
  users: string[];
  key: string;
  department: string;
  children: boolean;
  levels: number;
}

export const blank = (kind: RuleKind): RuleRow => ({ kind, users: [], key: '', department: '', children: false, levels: 1 });

export function parseRule(text: string): RuleRow[] {
  return text
    .split('|')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const [head, ...rest] = part.split(':');
      const arg = rest.join(':');
      switch (head) {
        case 'user':
          return {
            ...blank('user'),
            users: arg
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          };
        case 'role':
          return { ...blank('role'), key: arg };
        case 'post': {
          const [post = '', department = ''] = arg.split('@');
          return { ...blank('post'), key: post, department };
        }
        case 'department':
          return { ...blank('department'), department: arg.replace(/\+children$/, ''), children: arg.endsWith('+children') };
        case 'leader':
          return { ...blank('leader'), levels: Number(arg) || 1 };
        case 'variable':
          return { ...blank('variable'), key: arg };
        case 'initiator':
        case 'department-head':
          return blank(head);
        default:
          return { ...blank('variable'), key: part };
      }
    });
}

export function formatRule(rows: RuleRow[]): string {
  return rows
    .map((r) => {
      switch (r.kind) {
        case 'user':
          return r.users.length ? `user:${r.users.join(',')}` : '';
        case 'role':
          return r.key && `role:${r.key}`;
        case 'post':
          return r.key && `post:${r.key}${r.department ? `@${r.department}` : ''}`;
        case 'department':
          return r.department && `department:${r.department}${r.children ? '+children' : ''}`;
        case 'leader':
          return `leader:${r.levels}`;
        case 'variable':
          return r.key && `variable:${r.key}`;
        default:
          return r.kind;
      }
    })
    .filter(Boolean)
    .join(' | ');
}

const KEY = /^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9._\-\u4e00-\u9fff]{0,63}$/;
/** A department named at run time by a field or variable: the case's handling office, a hazard's territory. */
const TEMPLATE = /^\$\{\s*([A-Za-z_$][\w$.]*)\s*\}$/;
const DEPARTMENT = (text: string) => KEY.test(text) || TEMPLATE.test(text);
/** The field a templated department is read from, or null for a department of the organisation. */
export const departmentField = (department: string): string | null => TEMPLATE.exec(department)?.[1] ?? null;
/** The alternative that is not a rule, in the page's words; the server's linter says it again on deploy. */
export function ruleProblem(text: string, t: Translate): string | null {
  for (const part of text.split('|').map((s) => s.trim())) {
    const [head, ...rest] = part.split(':');
    const arg = rest.join(':');
    const ok =
      (head === 'user' && arg.split(',').every((s) => KEY.test(s.trim()))) ||
      (head === 'role' && KEY.test(arg)) ||
      (head === 'post' && KEY.test(arg.split('@')[0] ?? '') && arg.split('@').length <= 2 && (arg.split('@').length === 1 || DEPARTMENT(arg.split('@')[1] ?? ''))) ||
      (head === 'department' && (arg === '' || arg === '+children' || DEPARTMENT(arg.replace(/\+children$/, '')))) ||
      (head === 'leader' && /^[1-9]$/.test(arg)) ||
      (head === 'variable' && /^[A-Za-z_$][\w$]{0,127}$/.test(arg)) ||
      (rest.length === 0 && (part === 'initiator' || part === 'department-head'));
    if (!ok) return t('designer.rule.invalid', { part });
  }
  return null;
}

/** A rule in words: 发起人的部门负责人, 或 岗位 finance（finance）… — what the tree's cards show. */
export function describeRule(text: string, t: Translate, list: (items: string[]) => string, departmentName: (id: string) => string = (id) => id): string {
  if (text.replace(/(@|department:)\$\{[^}]*\}/g, '').includes('${')) return text; // computed otherwise: shown as written
  const named = (department: string) => {
    const field = departmentField(department);
    return field ? t('designer.rule.says.fieldDepartment', { field }) : departmentName(department);
  };
  const words = parseRule(text).map((r) => {
    switch (r.kind) {
      case 'user':
        return t('designer.rule.says.user', { users: list(r.users) });
      case 'role':
        return t('designer.rule.says.role', { role: r.key });
      case 'post':
        return r.department ? t('designer.rule.says.postIn', { post: r.key, department: named(r.department) }) : t('designer.rule.says.post', { post: r.key });
      case 'department':
        return t(r.children ? 'designer.rule.says.departmentAndBelow' : 'designer.rule.says.department', { department: named(r.department) });
      case 'leader':
        return t('designer.rule.says.leader', { levels: r.levels });
      case 'variable':
        return t('designer.rule.says.variable', { name: r.key });
      default:
        return t(`designer.rule.kind.${r.kind}`);
    }
  });
  return words.join(t('designer.rule.says.else'));
}
