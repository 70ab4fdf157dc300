/**
 * Who acts, with what rights: a user's roles folded into one set of
 * permissions and the widest of their data scopes, resolved to departments.
 */
import { WorkflowError } from '../errors.ts';
import type { Org } from './directory.ts';
import type { UserKind } from './model.ts';
import { ALL_PERMISSIONS, DATA_SCOPES, type DataScope, type Permission } from '../permissions.ts';

export interface Actor {
  id: string;
  name: string;
  kind: UserKind;
  roles: string[];
  permissions: ReadonlySet<Permission>;
  scope: DataScope;
  /** The groups a task's candidateGroups are matched against: the user's roles and posts. */
  groups: string[];
  /** The departments of the user's posts. */
  departments: string[];
  /** What the data scope reaches beyond the user's own cases; null: everything. */
  scopeDepartments: string[] | null;
  /** The client address of the request the actor acts in, for the audit trail. */
  address?: string;
}

/** Actors per organisation snapshot: every request asks, the snapshot does not change (a new one comes with any change). */
const actors = new WeakMap<Org, Map<string, Actor | null>>();

export function actorOf(org: Org, userId: string): Actor | null {
  let known = actors.get(org);
  if (!known) actors.set(org, (known = new Map()));
  if (!known.has(userId)) known.set(userId, buildActor(org, userId));
  return known.get(userId)!;
}

function buildActor(org: Org, userId: string): Actor | null {
  const user = org.user(userId);
  if (!user || user.status !== 'active') return null;
  const roles = org.rolesOf(userId).filter((r) => org.role(r));
  const permissions = new Set<Permission>();
  let scope: DataScope = 'own';
  for (const key of roles) {
    const role = org.role(key)!;
    for (const p of role.permissions) permissions.add(p);
    if (DATA_SCOPES.indexOf(role.dataScope) > DATA_SCOPES.indexOf(scope)) scope = role.dataScope;
  }
  const posts = org.postsOf(userId);
  const departments = [...new Set(posts.map((p) => p.departmentId))];
  return {
    id: user.id,
    name: user.name,
    kind: user.kind,
    roles,
    permissions,
    scope,
    groups: [...new Set([...roles, ...posts.map((p) => p.post)])],
    departments,
    scopeDepartments: scopeDepartments(org, scope, departments),
  };
}

function scopeDepartments(org: Org, scope: DataScope, departments: string[]): string[] | null {
  switch (scope) {
    case 'all':
      return null;
    case 'own':
      return [];
    case 'department':
      return departments;
    case 'department-and-children':
      return [...new Set(departments.flatMap((d) => org.subtree(d)))];
  }
}

export const can = (actor: Actor, permission: Permission): boolean => actor.permissions.has(permission);

/** A signed-in actor holding `permission` ('signed-in': any signed-in actor). */
export function demand(actor: Actor | null, permission: Permission | 'signed-in'): Actor {
  if (!actor) throw new WorkflowError('WF_ERR_UNAUTHENTICATED', {});
  if (permission !== 'signed-in' && !can(actor, permission)) throw new WorkflowError('WF_ERR_FORBIDDEN', { permission });
  return actor;
}

/** Whether a case of `departmentId` lies in the actor's data scope (their own cases are checked separately). */
export function inScope(actor: Actor, departmentId: string | null): boolean {
  if (actor.scopeDepartments === null) return true;
  return departmentId !== null && actor.scopeDepartments.includes(departmentId);
}

/** The product itself acting (demo data, the first administrator): every permission, everything in scope. */
export const SYSTEM_ACTOR: Actor = {
  id: 'system',
  name: '系统',
  kind: 'staff',
  roles: ['admin'],
  permissions: new Set(ALL_PERMISSIONS),
  scope: 'all',
  groups: [],
  departments: [],
  scopeDepartments: null,
};
