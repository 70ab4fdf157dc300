/**
 * Who may start a process: `wf:starters` on the process, entries separated by
 * `|` — `anyone` (everyone signed in), `citizens`, `staff`, `user:a,b`,
 * `role:a,b`, `post:a,b`, `group:a,b` (a role or a post, as Camunda's
 * candidate groups), `department:a,b` (`+children` below each). Camunda's
 * `camunda:candidateStarterGroups` / `candidateStarterUsers` count too. A
 * process that says nothing may be started by staff only.
 */
import { t, type LocalizedText } from '../../forms/model.ts';

export interface StartersModel {
  anyone: boolean;
  citizens: boolean;
  staff: boolean;
  users: string[];
  roles: string[];
  posts: string[];
  /** Roles or posts (Camunda's candidate starter groups). */
  groups: string[];
  departments: Array<{ id: string; children: boolean }>;
}

/** A process without a word on it: staff only. */
export const STAFF_ONLY: Readonly<StartersModel> = Object.freeze({ anyone: false, citizens: false, staff: true, users: [], roles: [], posts: [], groups: [], departments: [] });

const NAME = /^[A-Za-z0-9_.\-\u4e00-\u9fa5]{1,64}$/;

/** The rule, or the problems with its text. */
export function parseStarters(text: string | null, camunda: { groups: string | null; users: string | null }): { starters: StartersModel; problems: LocalizedText[] } {
  const starters: StartersModel = { anyone: false, citizens: false, staff: false, users: [], roles: [], posts: [], groups: [], departments: [] };
  const problems: LocalizedText[] = [];
  const list = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);
  const names = (kind: string, value: string): string[] => {
    const items = list(value);
    if (!items.length) problems.push(t(`${kind}: 后没有名称`, `${kind}: names nothing`));
    for (const item of items) if (!NAME.test(item.replace(/\+children$/, ''))) problems.push(t(`${kind}: 的名称 "${item}" 不合法`, `${kind}: "${item}" is not a name`));
    return items;
  };
  for (const entry of (text ?? '').split('|').map((s) => s.trim()).filter(Boolean)) {
    const colon = entry.indexOf(':');
    const kind = colon < 0 ? entry : entry.slice(0, colon);
    const value = colon < 0 ? '' : entry.slice(colon + 1);
    if (colon < 0 && (kind === 'anyone' || kind === 'citizens' || kind === 'staff')) starters[kind] = true;
    else if (kind === 'user') starters.users.push(...names(kind, value));
    else if (kind === 'role') starters.roles.push(...names(kind, value));
    else if (kind === 'post') starters.posts.push(...names(kind, value));
    else if (kind === 'group') starters.groups.push(...names(kind, value));
    else if (kind === 'department') starters.departments.push(...names(kind, value).map((d) => ({ id: d.replace(/\+children$/, ''), children: d.endsWith('+children') })));
    else problems.push(t(`无法识别的发起人规则 "${entry}"（可用：anyone、citizens、staff、user:、role:、post:、group:、department:）`, `"${entry}" is not a starter rule (anyone, citizens, staff, user:, role:, post:, group:, department:)`));
  }
  if (camunda.groups) starters.groups.push(...list(camunda.groups));
  if (camunda.users) starters.users.push(...list(camunda.users));
  const said = text?.trim() || camunda.groups?.trim() || camunda.users?.trim();
  return { starters: said ? starters : STAFF_ONLY, problems };
}
