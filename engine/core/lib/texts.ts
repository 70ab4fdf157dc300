/** Texts with {variable} placeholders filled from a case: an invitation's question, a case's result. */

const PLACEHOLDER = /\{(\w+)\}/g;

/** A value as a person reads it, or null when there is none to show (nothing, or a structure). */
function shown(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) return value.every((v) => ['string', 'number'].includes(typeof v)) && value.length ? value.join('、') : null;
  if (typeof value === 'boolean') return value ? '是' : '否';
  return typeof value === 'object' ? null : String(value);
}

/** The text with each {name} filled; a name without a value stays as written. */
export function fillText(text: string, values: Readonly<Record<string, unknown>>): string {
  return text.replace(PLACEHOLDER, (written, name: string) => shown(values[name]) ?? written);
}

/** The first of the ways to say it whose values are all known, filled; null when none is yet. */
export function firstKnown(ways: readonly string[], values: Readonly<Record<string, unknown>>): string | null {
  const way = ways.find((text) => [...text.matchAll(PLACEHOLDER)].every((m) => shown(values[m[1]!]) !== null));
  return way === undefined ? null : fillText(way, values);
}
