/** Texts with {variable} placeholders filled from a case: an invitation's question, a case's result (wf:result, one way per line). */

const PLACEHOLDER = /\{(\w+)\}/g;

/** A value as a person reads it — a text in two languages in Chinese —, or null when there is none to show (nothing, or a structure). */
function shown(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'object' && typeof (value as Record<string, unknown>)['zh-CN'] === 'string') return (value as Record<string, string>)['zh-CN']!;
  if (Array.isArray(value)) return value.every((v) => ['string', 'number'].includes(typeof v)) && value.length ? value.join('、') : null;
  if (typeof value === 'boolean') return value ? '是' : '否';
  return typeof value === 'object' ? null : String(value);
}

/** The text with each {name} filled; a name without a value stays as written. */
export function fillText(text: string, values: Readonly<Record<string, unknown>>): string {
  return text.replace(PLACEHOLDER, (written, name: string) => shown(values[name]) ?? written);
}

/** `[queueStatus=waiting]排队号 {queueNumber}`: a way said only while a variable has that value. */
const CONDITION = /^\[(\w+)=([^\]]*)\]\s*/;

/** A way's condition (null: always) and its text. */
export function parseWay(way: string): { when: { field: string; value: string } | null; text: string } {
  const condition = CONDITION.exec(way);
  return condition ? { when: { field: condition[1]!, value: condition[2]! }, text: way.slice(condition[0].length) } : { when: null, text: way };
}

/** The names a way uses: its condition's and its placeholders'. */
export function namesIn(way: string): string[] {
  const { when, text } = parseWay(way);
  return [...(when ? [when.field] : []), ...[...text.matchAll(PLACEHOLDER)].map((m) => m[1]!)];
}

/**
 * The first of the ways to say it whose condition holds and whose values are
 * all known, filled; null when none is yet.
 */
export function firstKnown(ways: readonly string[], values: Readonly<Record<string, unknown>>): string | null {
  for (const way of ways) {
    const { when, text } = parseWay(way);
    if (when && shown(values[when.field]) !== when.value) continue;
    if ([...text.matchAll(PLACEHOLDER)].every((m) => shown(values[m[1]!]) !== null)) return fillText(text, values);
  }
  return null;
}
