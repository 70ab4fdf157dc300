/** The queries behind the workbench's lists, shared by the lists, the menu's badge and the early start (main.tsx). */
import type { Me } from './session.tsx';

/** 待办: assigned to me, and claimable by me (as a candidate user, or through a role or post). */
export const assignedTo = (me: Me) => ({ state: 'active', assignee: me.id });
export const claimableBy = (me: Me) => ({ state: 'active', candidateUser: me.id, candidateGroups: me.groups.join(',') });
/** 已办: what I finished. */
export const doneBy = (me: Me) => ({ state: 'completed', endedBy: me.id });

export type TaskList = 'todo' | 'done';
export type TodoTab = 'assigned' | 'claimable';

export interface TaskFilter {
  processKey?: string;
  dueState?: string;
  initiator?: string;
  keyword?: string;
  dueAfter?: string;
  dueBefore?: string;
  sort: 'due' | 'created' | 'priority';
  order: 'asc' | 'desc';
}

export const TASK_PAGE_SIZE = 20;

/** What a list shows before the user filters: soonest due first (待办), latest first (已办). */
export const defaultFilter = (list: TaskList): TaskFilter => (list === 'done' ? { sort: 'created', order: 'desc' } : { sort: 'due', order: 'asc' });

/** The tab of 待办 the address names (?tab=claimable). */
export const tabOf = (search: string): TodoTab => (new URLSearchParams(search).get('tab') === 'claimable' ? 'claimable' : 'assigned');

/** The request for one page of a list. */
export function taskListQuery(me: Me, list: TaskList, tab: TodoTab, filter: TaskFilter, page: number) {
  const base = list === 'done' ? doneBy(me) : tab === 'assigned' ? assignedTo(me) : claimableBy(me);
  return { ...base, ...filter, offset: (page - 1) * TASK_PAGE_SIZE, limit: TASK_PAGE_SIZE };
}
