/** An operation's inputs: a JSON object of input names to expressions (`${mobile}`) or values; `{}` when empty, null when it is not one. */
export function parseInputs(text: string | null | undefined): Record<string, string> | null {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  } catch {
    return null;
  }
}
