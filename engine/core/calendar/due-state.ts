/** Where a task stands against its due date: on time, near due (most of its time used), overdue. */
import type { TaskRecord } from '../model.ts';
import { addWorkingTime, workingTimeBetween, type WorkingCalendar } from './working-calendar.ts';

/** The share of a task's time after which it is near due (the inbox's amber). */
export const NEAR_DUE_SHARE = 0.8;

export type DueState = 'on-time' | 'near-due' | 'overdue';

/** The moment `share` of the working time from `from` to `dueAt` is used, counted on the calendar. */
export function shareOf(calendar: WorkingCalendar, from: number, dueAt: number, share: number): number {
  if (dueAt <= from) return dueAt;
  return addWorkingTime(calendar, from, Math.round(workingTimeBetween(calendar, from, dueAt) * share));
}

/** NEAR_DUE_SHARE of the working time from `from` to `dueAt`. */
export function nearDueAt(calendar: WorkingCalendar, from: number, dueAt: number): number {
  return Math.min(dueAt, shareOf(calendar, from, dueAt, NEAR_DUE_SHARE));
}

export function dueStateOf(task: Pick<TaskRecord, 'dueAt' | 'nearDueAt'>, now: number): DueState | null {
  if (task.dueAt === null) return null;
  if (now >= task.dueAt) return 'overdue';
  return task.nearDueAt !== null && now >= task.nearDueAt ? 'near-due' : 'on-time';
}
