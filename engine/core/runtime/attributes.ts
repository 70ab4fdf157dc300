/**
 * Model attributes evaluated for a running case — camunda:assignee, dueDate,
 * priority, candidate lists, wf:calendar, call activities' mappings — turned
 * into the values rows hold. A bad value fails the step naming the element and
 * the expression.
 */
import { addDuration, type WorkingCalendar } from '../calendar/working-calendar.ts';
import { WorkflowError, explain } from '../errors.ts';
import { ExpressionError } from '../expressions/index.ts';
import type { ElementContent, LiveInstance } from './live-instance.ts';

export const DEFAULT_PRIORITY = 50;

/** Evaluate a model attribute; a bad value fails the step naming the element and the expression. */
export function evaluateAttribute<T>(live: LiveInstance, elementId: string, text: string, content: ElementContent | null, convert: (v: unknown) => T): T {
  try {
    return convert(live.definition.template(text).evaluate(live.contextFor(content)));
  } catch (err) {
    if (err instanceof WorkflowError) throw err;
    throw new WorkflowError('WF_ERR_EXPRESSION', { elementId, expression: text, detail: explain(err, '表达式求值出错'), ...(err instanceof ExpressionError && err.identifier && { identifier: err.identifier }) });
  }
}

/** camunda:in/out expressions fail like any other model expression: naming the call activity. */
export function evaluateMapping<T>(elementId: string, evaluate: () => T): T {
  try {
    return evaluate();
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    throw new WorkflowError('WF_ERR_EXPRESSION', { elementId, expression: err.source, detail: err.text, ...(err.identifier && { identifier: err.identifier }) });
  }
}

/** wf:calendar's value: a known calendar's key. */
export function calendarOf(calendars: { get(key: string): WorkingCalendar | undefined }, value: unknown): WorkingCalendar {
  const calendar = typeof value === 'string' ? calendars.get(value.trim()) : undefined;
  if (!calendar) throw new Error(`there is no working calendar "${String(value)}"`);
  return calendar;
}

/** Evaluated model attributes land in bounded columns: too long is the model's error, said clearly. */
export function toText(value: unknown, max: number): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = String(value);
  if (text.length > max || text.includes('\u0000')) throw new Error(`the value is longer than ${max} characters or contains NUL`);
  return text;
}

export const toUserId = (value: unknown): string | null => toText(value, 128);

/** Camunda writes candidate lists as "a, b" or as a collection. */
export function toList(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const list = [...new Set(items.map((s) => s.trim()).filter(Boolean))];
  if (list.length > 200) throw new Error('more than 200 candidates');
  for (const item of list) toUserId(item);
  return list;
}

export function toPriority(value: unknown): number {
  if (value === null || value === undefined || value === '') return DEFAULT_PRIORITY;
  const n = Number(value);
  if (!Number.isInteger(n) || Math.abs(n) > 2_147_483_647) throw new Error(`priority must be an integer, got ${String(value)}`);
  return n;
}

/** A due date: a Date, an ISO 8601 date-time, an ISO duration from now (P2D), or epoch milliseconds. */
export function toDueAt(value: unknown, now: number, calendar: WorkingCalendar): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const text = String(value).trim();
  const duration = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.exec(text);
  // On a working calendar: working hours and working days (Friday 17:00 + PT4H = Monday 12:00).
  if (duration && !calendar.always) return addDuration(calendar, now, text);
  if (duration) {
    const n = (i: number) => Number.parseFloat(duration[i] ?? '0') || 0;
    const date = new Date(now);
    date.setUTCFullYear(date.getUTCFullYear() + n(1), date.getUTCMonth() + n(2), date.getUTCDate() + 7 * n(3) + n(4));
    return date.getTime() + ((n(6) * 60 + n(7)) * 60 + n(8)) * 1000;
  }
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) throw new Error(`"${text}" is neither an ISO 8601 date nor a duration`);
  return parsed;
}
