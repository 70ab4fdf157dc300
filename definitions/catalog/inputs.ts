/** An input's value: an expression (`${mobile}`) or text, or a map of names to those (a connector's `params`). */
export type InputValue = string | Record<string, string>;

/**
 * An operation's inputs: a JSON object of input names to expressions or values, one level of
 * objects allowed (they become camunda:map); `{}` when empty, null when it is not such an object.
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
  const out: Record<string, InputValue> = {};
  for (const [name, v] of Object.entries(value)) {
    if (isObject(v)) {
      if (Object.values(v).some(isObject)) return null;
      out[name] = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scalar(x)]));
    } else out[name] = scalar(v);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);
const scalar = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
