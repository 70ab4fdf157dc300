/** The shapes of what the server sends (engine/http/views.ts), as the pages use them. */
import type { LocalizedText } from '../i18n/index.tsx';

export type DueState = 'on-time' | 'near-due' | 'overdue' | null;

export interface Task {
  id: string;
  instanceId: string;
  definitionId: string;
  processKey: string;
  businessKey: string | null;
  /** Who started the case. */
  initiator: string | null;
  /** The case's state name when the task was made (a catalog service's 待初审 …), if its flow names states. */
  stateName: string | null;
  activityId: string;
  name: string | null;
  state: 'active' | 'completed' | 'cancelled';
  assignee: string | null;
  candidateUsers: string[];
  candidateGroups: string[];
  formKey: string | null;
  priority: number;
  dueAt: string | null;
  nearDueAt: string | null;
  dueState: DueState;
  createdAt: string;
  claimedAt: string | null;
  endedAt: string | null;
  endedBy: string | null;
  owner: string | null;
}

export interface Activity {
  activityId: string;
  name: string | null;
  kind: string;
  taskId?: string;
  dueAt?: string;
}

export interface Instance {
  id: string;
  definitionId: string;
  processKey: string;
  /** The process's name (a catalog service's: 禁行道路通行证核发). */
  processName: string | null;
  version: number;
  businessKey: string | null;
  state: 'running' | 'completed' | 'cancelled';
  /** The name of the state it is in (待补正, 已办结 …), if its flow names states. */
  stateName: string | null;
  parentId: string | null;
  startedAt: string;
  startedBy: string | null;
  endedAt: string | null;
  variables: Record<string, unknown>;
  /** What its applicant is told of its result (the process's wf:result, filled), once it is known. */
  result: string | null;
  activities: Activity[];
}

export interface HistoryEntry {
  id: number;
  at: string;
  kind: string;
  activityId: string | null;
  /** The element's name in the flow (业务初审), for readers without the diagram. */
  activityName: string | null;
  /** The state the element puts the case in (待初审), when its flow names states. */
  stateName: string | null;
  taskId: string | null;
  actor: string | null;
  data: Record<string, unknown> | null;
}

export interface Notice {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  instanceId: string | null;
  taskId: string | null;
  needsSign: boolean;
  createdAt: string;
  readAt: string | null;
  signedAt: string | null;
}

export interface Process {
  key: string;
  name: string | null;
  version: number;
  hasStartForm: boolean;
}

export type { LocalizedText };
