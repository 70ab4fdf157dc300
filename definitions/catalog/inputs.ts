/** An input's value: an expression (`${mobile}`) or text, or maps and lists of those (a connector's `params`, a shipment's `items`). */
export type InputValue = string | InputValue[] | { [name: string]: InputValue };

const DEPTH = 4;

/**
 * An operation's inputs: a JSON object of input names to expressions or values, maps and lists
 * nested a few levels (they become camunda:map and camunda:list); `{}` when empty, null when it is not such an object.
 */
export function parseInputs(text: string | null | undefined): Record<string, InputValue> | null {
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  const out = convert(value, DEPTH);
  return out !== null && !Array.isArray(out) && typeof out === 'object' ? out : null;
}

function convert(v: unknown, depth: number): InputValue | null {
  if (Array.isArray(v) || isObject(v)) {
    if (depth === 0) return null;
    const items = (Array.isArray(v) ? v : Object.values(v)).map((x) => convert(x, depth - 1));
    if (items.some((x) => x === null)) return null;
    return Array.isArray(v) ? (items as InputValue[]) : Object.fromEntries(Object.keys(v).map((k, i) => [k, items[i]!]));
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

const isObject = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);
