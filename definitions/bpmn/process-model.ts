/**
 * What the runtime needs to know about a process beyond what bpmn-engine
 * executes: who a user task goes to, which handler a service task calls, how a
 * message is correlated, how variables flow in and out. Extracted once per
 * deployed version by analyseBpmn().
 */

import type { NodePermissions } from '../../forms/model.ts';
import type { StartersModel } from './starters.ts';

export type { FieldAccess } from '../../forms/model.ts';

/** An expression or literal text as written in the model (`${…}` or plain). */
export type ExpressionText = string;

/**
 * A deployed form a user task or start event shows (camunda:formRef), with
 * the node's field permissions (wf:editable, wf:readonly, wf:hidden).
 */
export interface FormReference {
  key: string;
  /** Null: the latest version when the task is created (camunda:formRefBinding="latest"). */
  version: number | null;
  access: NodePermissions;
  /**
   * wf:editableFrom: a variable listing more fields the node's assignee may edit, read when
   * the form is shown and submitted (a correction: only what the review found wrong).
   */
  editableFrom: string | null;
}

/** The notices of a task that wf:notify routes: a new task, its reminder, overdue, an escalation step. */
export const NOTIFY_EVENTS = ['task', 'near-due', 'overdue', 'escalation'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];
export type NotifyChannel = 'sms' | 'email';

export interface UserTaskModel {
  id: string;
  name: string | null;
  form: FormReference | null;
  assignee: ExpressionText | null;
  candidateUsers: ExpressionText | null;
  candidateGroups: ExpressionText | null;
  formKey: string | null;
  /** ISO 8601 date or duration from creation, or an expression yielding either. */
  dueDate: ExpressionText | null;
  /** wf:calendar: the working calendar a duration in dueDate runs on (a key, or an expression yielding one); null: 7×24. */
  calendar: ExpressionText | null;
  priority: ExpressionText | null;
  /** wf:assignees: assignee rules resolved against the organisation when the task is created (wins over camunda:assignee/candidates). */
  assignees: ExpressionText | null;
  /** wf:assignMode: the people found become candidates, or the assignee when there is exactly one (auto: one → assignee). */
  assignMode: 'auto' | 'candidates' | 'assign';
  /** wf:fallback: when nobody is found — an incident for an admin to assign (default), the admins as candidates, or skip the task. */
  fallback: 'incident' | 'admin' | 'skip';
  /** wf:sign: how several people found by wf:assignees decide — the first to act (or), all of them (countersign), a share of them, or one after another. */
  sign: SignRule;
  /** wf:returnTo: the earlier user tasks a case may be returned to from here — listed ids, or every earlier one (`*`); null: the previous one only. */
  returnTo: string[] | '*' | null;
  /** wf:cc: assignee rules naming who gets a read-only copy of the case when this task is completed. */
  cc: ExpressionText | null;
  /**
   * wf:notify: where each of the task's notices goes besides the site — SMS (to holders who are offline) and/or e-mail:
   * `sms,email` for a new task; `task:sms; near-due:sms; overdue:sms,email; escalation:email` per event.
   */
  notify: Record<NotifyEvent, NotifyChannel[]>;
  /** wf:sla: the SLA table the due date, reminder and escalations come from (wins over camunda:dueDate). */
  sla: string | null;
}

/** Supervision days (督办): the supervisors are told once a case has run this many days. */
export interface SupervisionModel {
  days: number;
  /** Assignee rules naming the supervisors. */
  supervisors: string;
  /** The working calendar the days are counted on (the process's wf:calendar). */
  calendar: string | null;
}

export type SignRule = { mode: 'or' } | { mode: 'all' } | { mode: 'sequential' } | { mode: 'share'; threshold: number };

export interface RetryPolicy {
  maxAttempts: number;
  /** Delay before the first retry; doubles with every further attempt. */
  backoffMs: number;
}

export interface ServiceTaskModel {
  id: string;
  name: string | null;
  handler: string;
  retry: RetryPolicy;
  resultVariable: string | null;
}

export interface MessageCatchModel {
  id: string;
  messageName: string;
  /** Expression for the correlation key; the business key when absent. */
  correlationKey: ExpressionText | null;
  /** The element's documentation: what a person answering by link is asked ({variable} filled from the case). */
  ask: string | null;
}

export interface VariableMapping {
  /** `source` variable, or `sourceExpression`, or all variables when `all` is set. */
  source: string | null;
  sourceExpression: ExpressionText | null;
  target: string | null;
  all: boolean;
}

export interface CallActivityModel {
  id: string;
  calledElement: string;
  /** `latest` unless camunda:calledElementBinding="version". */
  version: number | null;
  inputs: VariableMapping[];
  outputs: VariableMapping[];
  businessKey: ExpressionText | null;
}

export type ParameterValue = { kind: 'text'; text: ExpressionText } | { kind: 'list'; items: ParameterValue[] } | { kind: 'map'; entries: Array<{ key: string; value: ParameterValue }> };

export interface InputOutputModel {
  inputs: Array<{ name: string; value: ParameterValue }>;
  outputs: Array<{ name: string; value: ParameterValue }>;
}

export interface MultiInstanceModel {
  sequential: boolean;
  collection: ExpressionText | null;
  elementVariable: string | null;
  cardinality: ExpressionText | null;
  completionCondition: ExpressionText | null;
}

export type StartKind = 'none' | 'timer' | 'message' | 'signal';

export interface StartEventModel {
  id: string;
  kind: StartKind;
  timer: TimerSpec | null;
  messageName: string | null;
  signalName: string | null;
  formKey: string | null;
  form: FormReference | null;
  /** camunda:initiator: the variable that receives the starting user's id. */
  initiatorVariable: string | null;
}

export interface TimerSpec {
  type: 'timeDuration' | 'timeDate' | 'timeCycle';
  value: ExpressionText;
}

/** What a flow node is, for checking that a migration maps like onto like. */
export interface ElementModel {
  type: string;
  /** The event definition of an event (bpmn:TimerEventDefinition …), null for none. */
  event: string | null;
  /** The embedded sub-process it sits in; null at the top level. */
  scope: string | null;
  /** A boundary event's activity. */
  attachedTo: string | null;
}

export interface ProcessModel {
  /** wf:supervisionDays on the process; null: no supervision notice. */
  supervision: SupervisionModel | null;
  /** Who may start it (wf:starters, camunda:candidateStarterGroups/Users); staff only when the model says nothing. */
  starters: StartersModel;
  /** wf:identityLevel: the real-name level (1–3) a citizen needs to start it; null: none. */
  identityLevel: number | null;
  /**
   * wf:result: what a case's applicant is told of its result, one way per
   * line, {variable} filled from the case, `[variable=value]` before a line
   * saying it only while that holds — the first line that holds and whose
   * variables are all known is shown (全市与“{queryName}”同名的共 {sameNameCount} 人).
   */
  result: string[];
  id: string;
  name: string | null;
  startEvents: StartEventModel[];
  userTasks: Record<string, UserTaskModel>;
  serviceTasks: Record<string, ServiceTaskModel>;
  messageCatches: Record<string, MessageCatchModel>;
  signalCatches: Record<string, { id: string; signalName: string }>;
  callActivities: Record<string, CallActivityModel>;
  inputOutput: Record<string, InputOutputModel>;
  multiInstance: Record<string, MultiInstanceModel>;
  /** Error end events directly in the process: a called process ending there throws to its caller. */
  errorEnds: Record<string, { code: string; message: string | null }>;
  /** Error codes caught by boundary events, by the activity they are attached to (null catches all). */
  errorBoundaries: Record<string, Array<string | null>>;
  /** Element names by id, for history and error messages. */
  names: Record<string, string>;
  /** wf:state on a flow node: the name of the state a case is in from when it gets there (待初审, 待补正 …). */
  states: Record<string, string>;
  /** Every flow node (not sequence flows) by id. */
  elements: Record<string, ElementModel>;
  /** Every expression in the model, so the runtime can compile them once. */
  expressions: ExpressionText[];
  /** Sequence-flow conditions: they must yield a boolean, as in Camunda. */
  conditions: ExpressionText[];
}
