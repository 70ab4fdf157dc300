/**
 * A working calendar as an analyst writes it (definitions/calendars/*.json):
 *
 *   { "key": "office-hours", "utcOffset": "+08:00",
 *     "week": { "mon": ["09:00-12:00", "13:30-17:30"], …, "sat": [] },
 *     "holidays": ["2026-10-01", …],
 *     "workdays": ["2026-09-27", { "date": "2026-10-10", "hours": ["09:00-12:00"] }] }
 *
 * A make-up working day given as a date alone keeps Monday's hours. Every
 * mistake is refused naming its field.
 */
import { t, invalid } from '../errors.ts';
import type { Period, WorkingCalendar } from './working-calendar.ts';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function readCalendar(input: unknown): WorkingCalendar {
  const source = object(input, 'calendar');
  const key = readKey(source.key);
  const utcOffsetMinutes = offset(source.utcOffset ?? '+08:00');
  if (source.always === true) return { key, utcOffsetMinutes, always: true, week: DAYS.map(() => []), holidays: new Set(), workdays: new Map() };
  const week = object(source.week, 'week');
  for (const name of Object.keys(week)) if (!(DAYS as readonly string[]).includes(name)) throw invalid(`week.${name}`, 'enum', t('应为 sun、mon、tue、wed、thu、fri、sat 之一', 'should be one of sun, mon, tue, wed, thu, fri, sat'));
  const periods = DAYS.map((day) => hours(week[day] ?? [], `week.${day}`));
  if (periods.every((p) => p.length === 0)) throw invalid('week', 'required', t('一周中至少要有一段工作时间', 'needs working hours on at least one day'));
  const holidays = new Set(list(source.holidays ?? [], 'holidays').map((d, i) => date(d, `holidays[${i}]`)));
  const workdays = new Map<string, readonly Period[]>();
  list(source.workdays ?? [], 'workdays').forEach((entry, i) => {
    const field = `workdays[${i}]`;
    const day = typeof entry === 'string' ? date(entry, field) : date(object(entry, field).date, `${field}.date`);
    if (holidays.has(day)) throw invalid(field, 'conflict', t(`${day} 同时被列为节假日`, `${day} is also listed as a holiday`));
    const own = typeof entry === 'string' ? periods[1]! : hours(object(entry, field).hours, `${field}.hours`);
    if (!own.length) throw invalid(field, 'required', t('调休工作日需要工作时间', 'a make-up working day needs working hours'));
    workdays.set(day, own);
  });
  return { key, utcOffsetMinutes, always: false, week: periods, holidays, workdays };
}

function hours(value: unknown, field: string): Period[] {
  const periods = list(value, field).map((text, i) => {
    const match = typeof text === 'string' ? /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text) : null;
    const [from, to] = match ? [Number(match[1]) * 60 + Number(match[2]), Number(match[3]) * 60 + Number(match[4])] : [NaN, NaN];
    if (!match || Number(match[2]) > 59 || Number(match[4]) > 59 || !(from < to) || to > 1440) {
      throw invalid(`${field}[${i}]`, 'format', t('应为 "09:00-18:00" 形式，开始早于结束', 'should look like "09:00-18:00", starting before it ends'));
    }
    return [from, to] as const;
  });
  periods.forEach((p, i) => {
    if (i > 0 && p[0] < periods[i - 1]![1]) throw invalid(`${field}[${i}]`, 'order', t('时段应按时间先后排列且互不重叠', 'periods should be in order and not overlap'));
  });
  return periods;
}

function date(value: unknown, field: string): string {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match || new Date(`${value as string}T00:00:00Z`).toISOString().slice(0, 10) !== value) throw invalid(field, 'format', t('应为存在的日期，形如 2026-10-01', 'should be a real date like 2026-10-01'));
  return value as string;
}

function offset(value: unknown): number {
  const match = typeof value === 'string' ? /^([+-])(\d{2}):(\d{2})$/.exec(value) : null;
  const minutes = match ? (Number(match[2]) * 60 + Number(match[3])) * (match[1] === '-' ? -1 : 1) : NaN;
  if (!match || Math.abs(minutes) > 14 * 60) throw invalid('utcOffset', 'format', t('应形如 +08:00', 'should look like +08:00'));
  return minutes;
}

/** A calendar's or SLA table's key: lower-case letters, digits and hyphens. */
export function readKey(key: unknown): string {
  if (typeof key !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(key)) throw invalid('key', 'pattern', t('应为小写字母、数字和连字符，最长 64 个字符', 'lower-case letters, digits and hyphens, at most 64'));
  return key;
}

export function object(value: unknown, field: string): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw invalid(field, 'type', t('应为对象', 'should be an object'));
}

export function list(value: unknown, field: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw invalid(field, 'type', t('应为数组', 'should be an array'));
}
