/**
 * Data scope on cases and tasks. Everyone sees their own: the cases they
 * started, the tasks they hold, may claim, or finished. Beyond that a role's
 * scope reaches the cases of their department, of it and the departments
 * under it, or all. Handling a task needs more than seeing it: being its
 * assignee or a candidate, or holding task:assign over it.
 */
import { WorkflowError } from '../errors.ts';
import type { InstanceRecord, TaskRecord } from '../model.ts';
import type { Store, Visibility } from '../ports.ts';
import type { StartersModel } from '../../../definitions/bpmn/starters.ts';
import { can, inScope, type Actor } from './actor.ts';
import type { Org } from './directory.ts';

export const visibilityOf = (actor: Actor): Visibility | undefined =>
  actor.scopeDepartments === null ? undefined : { userId: actor.id, groups: actor.groups, departments: actor.scopeDepartments };

/** The actor's own rows only: what they hold, may claim or finished, whatever their scope. */
export const ownRows = (actor: Actor): Visibility => ({ userId: actor.id, groups: actor.groups, departments: [] });

/** The actor's own share of a task: they hold it, may claim it, or finished it. */
export function isOwnTask(actor: Actor, task: TaskRecord): boolean {
  if (task.assignee === actor.id || task.endedBy === actor.id) return true;
  return task.state === 'active' && !task.assignee && isCandidate(actor, task);
}

const isCandidate = (actor: Actor, task: TaskRecord) => task.candidateUsers.includes(actor.id) || task.candidateGroups.some((g) => actor.groups.includes(g));

export function demandTaskVisible(actor: Actor, task: TaskRecord): void {
  if (isOwnTask(actor, task) || inScope(actor, task.departmentId)) return;
  throw new WorkflowError('WF_ERR_OUT_OF_SCOPE', { entity: 'task', id: task.id });
}

/**
 * May the actor act on the task as its handler (complete, fill its form,
 * claim it for themselves)? The assignee may; while nobody holds it, a
 * candidate may (a task without candidates is open to anyone who handles
 * tasks); task:assign reaches every task in the actor's scope.
 */
export function mayHandle(actor: Actor, task: TaskRecord): boolean {
  if (task.assignee === actor.id) return true;
  if (can(actor, 'task:assign') && inScope(actor, task.departmentId)) return true;
  if (task.assignee) return false;
  return isCandidate(actor, task) || (task.candidateUsers.length === 0 && task.candidateGroups.length === 0);
}

export function demandHandle(actor: Actor, task: TaskRecord): void {
  demandTaskVisible(actor, task);
  if (!mayHandle(actor, task)) throw new WorkflowError('WF_ERR_NOT_CANDIDATE', { taskId: task.id });
}

/** Reassigning (claim for someone else, transfer someone else's task) needs task:assign over it. */
export function demandAssign(actor: Actor, task: TaskRecord): void {
  demandAssignScope(actor, task.departmentId, 'task', task.id);
}

/** Acting on a case or task one does not hold needs task:assign with it in scope. */
export function demandAssignScope(actor: Actor, departmentId: string | null, entity: 'task' | 'instance', id: string): void {
  if (!can(actor, 'task:assign')) throw new WorkflowError('WF_ERR_FORBIDDEN', { permission: 'task:assign' });
  if (!inScope(actor, departmentId)) throw new WorkflowError('WF_ERR_OUT_OF_SCOPE', { entity, id });
}

/** A case is visible to its initiator, to those in scope, to those it was copied to, and to anyone who has (or had) a task of it. */
export async function demandInstanceVisible(store: Store, actor: Actor, instance: InstanceRecord): Promise<void> {
  if (instance.startedBy === actor.id || inScope(actor, instance.departmentId)) return;
  if (await store.hasNotice(actor.id, instance.id, 'cc')) return;
  const mine = await store.listTasks({ instanceId: instance.id, visibleTo: ownRows(actor) }, { offset: 0, limit: 1 });
  if (mine.total === 0) throw new WorkflowError('WF_ERR_OUT_OF_SCOPE', { entity: 'instance', id: instance.id });
}

/** Whether the actor may start a process with these starters (wf:starters; staff only by default). */
export function mayStart(actor: Actor, starters: StartersModel, org: Org): boolean {
  if (starters.anyone) return true;
  if (starters.citizens && actor.kind === 'citizen') return true;
  if (starters.staff && actor.kind === 'staff') return true;
  if (starters.users.includes(actor.id)) return true;
  if (starters.roles.some((r) => actor.roles.includes(r)) || starters.groups.some((g) => actor.groups.includes(g))) return true;
  if (starters.posts.length && org.postsOf(actor.id).some((p) => starters.posts.includes(p.post))) return true;
  return starters.departments.some((d) => actor.departments.some((own) => own === d.id || (d.children && org.subtree(d.id).includes(own))));
}
