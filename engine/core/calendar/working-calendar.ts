/**
 * Working calendars: when the clock of a due date runs. A calendar is weekly
 * working hours plus dated exceptions — holidays (no work) and make-up
 * working days (调休: a weekend day worked, with its weekday's hours or its
 * own) — at a fixed UTC offset (China keeps +08:00 all year). A 7×24
 * calendar runs all the time.
 *
 * Durations are ISO 8601: on a working calendar hours and minutes are
 * working time (Friday 17:00 + PT4H = Monday 12:00 on 09:00–18:00), and days
 * and weeks are working days (the same clock time on the n-th next working
 * day: Friday 17:00 + P1D = Monday 17:00), as a clerk counts "3 个工作日".
 */
import { parseDuration } from '@0dep/piso';
import { Explained, t } from '../errors.ts';

/** [start, end) in minutes after midnight, local time. */
export type Period = readonly [number, number];

export interface WorkingCalendar {
  key: string;
  /** Minutes east of UTC; 480 for China. */
  utcOffsetMinutes: number;
  /** Runs all the time (P1/P2 incidents): the rest is ignored. */
  always: boolean;
  /** Working periods per weekday, 0 = Sunday … 6 = Saturday, ascending and apart. */
  week: readonly (readonly Period[])[];
  /** YYYY-MM-DD dates without work. */
  holidays: ReadonlySet<string>;
  /** YYYY-MM-DD dates worked although their weekday is not, with these periods. */
  workdays: ReadonlyMap<string, readonly Period[]>;
}

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
/** A calendar with no working time at all would make every search endless: look this far ahead at most. */
const HORIZON_DAYS = 3 * 366;

export const ALWAYS: WorkingCalendar = { key: '7x24', utcOffsetMinutes: 480, always: true, week: [[], [], [], [], [], [], []], holidays: new Set(), workdays: new Map() };

/** The working periods of one local date (days counted from 1970-01-01 local). */
export function periodsOn(calendar: WorkingCalendar, localDay: number): readonly Period[] {
  if (calendar.always) return [[0, 1440]];
  const date = isoDate(localDay);
  if (calendar.holidays.has(date)) return [];
  const workday = calendar.workdays.get(date);
  if (workday) return workday;
  return calendar.week[weekday(localDay)] ?? [];
}

export class NoWorkingTime extends Error {
  constructor(calendar: string) {
    super(`calendar ${calendar} has no working time in the next ${HORIZON_DAYS} days`);
  }
}

/** `start` + `durationMs` of working time. A start outside working time counts from the next working minute. */
export function addWorkingTime(calendar: WorkingCalendar, start: number, durationMs: number): number {
  if (calendar.always) return start + durationMs;
  let left = durationMs;
  let day = localDayOf(calendar, start);
  let at = localMinuteMs(calendar, start, day);
  for (let i = 0; i < HORIZON_DAYS; i++, day++, at = 0) {
    for (const [from, to] of periodsOn(calendar, day)) {
      const begin = Math.max(at, from * MINUTE);
      const end = to * MINUTE;
      if (begin >= end) continue;
      if (left <= end - begin) return toEpoch(calendar, day, begin + left);
      left -= end - begin;
    }
  }
  throw new NoWorkingTime(calendar.key);
}

/** Working time between two instants (how much of an SLA has been used). */
export function workingTimeBetween(calendar: WorkingCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  if (calendar.always) return to - from;
  let total = 0;
  const lastDay = localDayOf(calendar, to);
  for (let day = localDayOf(calendar, from); day <= lastDay; day++) {
    const dayStart = toEpoch(calendar, day, 0);
    for (const [a, b] of periodsOn(calendar, day)) {
      const begin = Math.max(from, dayStart + a * MINUTE);
      const end = Math.min(to, dayStart + b * MINUTE);
      if (end > begin) total += end - begin;
    }
  }
  return total;
}

/** `start` + an ISO 8601 duration on the calendar (days and weeks as working days, the rest as working time). */
export function addDuration(calendar: WorkingCalendar, start: number, duration: string): number {
  const parts = parseDuration(duration).result as { Y?: number; M?: number; W?: number; D?: number; H?: number; m?: number; S?: number };
  if (parts.Y || parts.M) throw new Explained(t(`${duration}：年和月不是工作时间，请用天（P20D）或周`, `${duration}: years and months are not working time; use days (P20D) or weeks`));
  const days = (parts.W ?? 0) * (calendar.always ? 7 : 5) + (parts.D ?? 0);
  const rest = ((parts.H ?? 0) * 60 + (parts.m ?? 0)) * MINUTE + (parts.S ?? 0) * 1000;
  if (!Number.isInteger(days)) throw new Explained(t(`${duration}：工作日历上不足一天的天数含义不明，请用小时（PT4H）`, `${duration}: a fraction of a day is ambiguous on a calendar; use hours (PT4H)`));
  const afterDays = calendar.always ? start + days * DAY : addWorkingDays(calendar, start, days);
  return addWorkingTime(calendar, afterDays, rest);
}

/** The same working moment `days` working days later: a start outside working time counts from the next working minute. */
function addWorkingDays(calendar: WorkingCalendar, start: number, days: number): number {
  if (days === 0) return start;
  const from = addWorkingTime(calendar, start, 0);
  const startDay = localDayOf(calendar, from);
  const minute = localMinuteMs(calendar, from, startDay);
  let day = startDay;
  for (let found = 0, i = 0; found < days; i++) {
    if (i > HORIZON_DAYS) throw new NoWorkingTime(calendar.key);
    day++;
    if (periodsOn(calendar, day).length) found++;
  }
  const periods = periodsOn(calendar, day);
  // That clock time may not be working time on the day found (shorter hours): the end of its last period before it, or its first start.
  const inside = periods.find(([a, b]) => minute >= a * MINUTE && minute <= b * MINUTE);
  if (inside) return toEpoch(calendar, day, minute);
  const before = [...periods].reverse().find(([, b]) => b * MINUTE < minute);
  return toEpoch(calendar, day, before ? before[1] * MINUTE : periods[0]![0] * MINUTE);
}

// ---- local time at a fixed offset ----------------------------------------------------------------

function localDayOf(calendar: WorkingCalendar, at: number): number {
  return Math.floor((at + calendar.utcOffsetMinutes * MINUTE) / DAY);
}

/** Milliseconds after local midnight of `day`. */
function localMinuteMs(calendar: WorkingCalendar, at: number, day: number): number {
  return at + calendar.utcOffsetMinutes * MINUTE - day * DAY;
}

function toEpoch(calendar: WorkingCalendar, day: number, msAfterMidnight: number): number {
  return day * DAY + msAfterMidnight - calendar.utcOffsetMinutes * MINUTE;
}

/** 1970-01-01 was a Thursday. */
const weekday = (localDay: number) => (((localDay + 4) % 7) + 7) % 7;

function isoDate(localDay: number): string {
  return new Date(localDay * DAY).toISOString().slice(0, 10);
}
