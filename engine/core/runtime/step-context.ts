/**
 * What a step is made of, for the modules that open waits (waits.ts,
 * task-creation.ts, call-activities.ts): the services it needs, an instance as
 * the step holds it, and the step's own operations they use. step.ts
 * implements it; keeping it here lets those modules and the step import one
 * way only.
 */
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { SlaRow, SlaTable } from '../calendar/sla.ts';
import type { HistoryEvent, InstanceRecord, Variables } from '../model.ts';
import type { OrgDirectory } from '../org/directory.ts';
import type { Clock, Store, Write } from '../ports.ts';
import type { CompiledDefinition } from './compiled-definition.ts';
import type { DefinitionRegistry } from './definition-registry.ts';
import type { InstanceCache } from './instance-cache.ts';
import type { LiveInstance } from './live-instance.ts';
import type { NoticeSource } from '../notices.ts';

export interface StepDeps {
  store: Store;
  clock: Clock;
  definitions: DefinitionRegistry;
  cache: InstanceCache;
  forms: { latestVersion(key: string): Promise<number | null> };
  calendars: { get(key: string): WorkingCalendar | undefined };
  /** The organisation, for a case's department and the assignee rules; none: rules that need it resolve to nobody. */
  org: OrgDirectory | null;
  slas: { get(key: string): SlaTable | undefined };
  newId(): string;
  /** Called after a commit that created jobs or due timers, so a scheduler can look now. */
  onWork?: (() => void) | null;
}

export interface StepInstance {
  /** Null once the instance is no longer running. */
  live: LiveInstance | null;
  /** The committed row the step started from; null for an instance created by this step. */
  before: InstanceRecord | null;
  record: InstanceRecord;
  /** Rows to write for waits first seen in this step, if they are still there at commit. */
  opened: Map<string, { writes: Write[]; history: HistoryEvent[] }>;
  /** Waits this step satisfied (completed task, fired timer, finished job …). */
  done: Set<string>;
  /** Who held each task this step completes, as read: a claim committed in between makes the step lose. */
  heldBy: Map<string, string | null>;
  dirty: boolean;
  /** Loaded from the engine cache: possibly behind the database (a commit will tell). */
  fromCache: boolean;
  /** Waits that left and came back under the same key at another activity (a return): their rows are new. */
  reopened?: Set<string>;
}

/** A task's SLA table, the row its case picks, and that row's calendar. */
export interface Sla {
  table: SlaTable;
  row: SlaRow;
  calendar: WorkingCalendar;
}

export const waitKey = (w: { kind: string; executionId: string }) => `${w.kind}:${w.executionId}`;

/** The step's own operations the wait-opening modules use. */
export interface StepContext {
  readonly now: number;
  readonly actor: string | null;
  readonly deps: StepDeps;
  /** Notices made by the step carry its time. */
  readonly noticeSource: NoticeSource;
  newId(): string;
  write(...writes: Write[]): void;
  record(event: Omit<HistoryEvent, 'at' | 'actor'> & { actor?: string | null }): void;
  act<T>(touched: StepInstance, action: (live: LiveInstance) => T | Promise<T>): Promise<T>;
  load(instanceId: string, options?: { engine?: boolean }): Promise<StepInstance>;
  create(definition: CompiledDefinition, options: { variables: Variables; businessKey: string | null; startEventId: string | null; parent?: { instanceId: string; executionId: string } }): Promise<StepInstance>;
  /** Who a task opened at the activity goes to because the case was returned there, if anyone. */
  returnedTo(instanceId: string, activityId: string): string | undefined;
}
