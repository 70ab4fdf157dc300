/** The queries behind the workbench's lists, shared by the lists and the menu's badge. */
import type { Me } from './session.tsx';

/** 待办: assigned to me, and claimable by me (as a candidate user, or through a role or post). */
export const assignedTo = (me: Me) => ({ state: 'active', assignee: me.id });
export const claimableBy = (me: Me) => ({
  state: 'active',
  candidateUser: me.id,
  candidateGroups: me.groups.join(','),
});
/** 已办: what I finished. */
export const doneBy = (me: Me) => ({
  state: 'completed',
  endedBy: me.id,
  sort: 'created',
  order: 'desc',
});
