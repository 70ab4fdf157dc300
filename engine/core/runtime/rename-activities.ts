/**
 * Rename activities inside a saved engine state, for migrating an instance to
 * a version where a waiting activity has another id. Activity states and the
 * messages queued for them name activities in `id`, `parent.id`, `sourceId`,
 * `targetId` and `attachedTo`; execution ids are left alone, since they name
 * the instance's waits (tasks, timers …), which keep their identity.
 * What flowed through the engine as data (outputs, message payloads) is not
 * touched, even where it happens to hold an activity's id.
 */
const ID_KEYS = new Set(['id', 'sourceId', 'targetId', 'attachedTo']);
const DATA_KEYS = new Set(['output', 'message', 'variables', 'environment', 'properties']);

export function renameActivities(state: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (!renames.size) return state;
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (!value || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (DATA_KEYS.has(key)) out[key] = inner;
      else if (ID_KEYS.has(key) && typeof inner === 'string') out[key] = renames.get(inner) ?? inner;
      else out[key] = visit(inner);
    }
    return out;
  };
  return visit(state);
}
