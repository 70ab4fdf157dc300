/**
 * Two versions of a flow compared element by element (by id): added, removed,
 * and changed — its type, name, settings, condition, event or extension
 * elements differ; where it sits in the drawing does not count.
 */
import BpmnModdle from 'bpmn-moddle';

type Node = Record<string, unknown> & { $type: string; id?: string; name?: string };

export interface VersionDiff {
  added: string[];
  removed: Array<{ id: string; name: string; type: string }>;
  changed: string[];
}

/** Properties that point at another element: they count by its id. */
const REFERENCES = new Set(['sourceRef', 'targetRef', 'default', 'attachedToRef', 'messageRef', 'signalRef', 'errorRef', 'escalationRef', 'processRef', 'dataObjectRef']);
/** Where an element sits and what surrounds it: not what it is. */
const IGNORED = new Set(['di', 'incoming', 'outgoing', 'flowElements', 'artifacts', 'laneSets']);

/** What an element is: its type, attributes (ours and Camunda's too) and the elements inside it. */
function signature(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(signature);
  const node = value as Node;
  const out: Record<string, unknown> = { $type: node.$type, $body: node.$body, ...(node.$attrs as object | undefined) };
  for (const [key, v] of Object.entries(node)) {
    if (key.startsWith('$') || IGNORED.has(key)) continue;
    out[key] = REFERENCES.has(key) ? (v as Node | undefined)?.id : signature(v);
  }
  return out;
}

async function elements(xml: string): Promise<Map<string, Node>> {
  const { elementsById } = (await new BpmnModdle().fromXML(xml)) as unknown as { elementsById: Record<string, Node> };
  const found = new Map<string, Node>();
  for (const [id, el] of Object.entries(elementsById)) if (/^bpmn:/.test(el.$type) && !/^bpmn:(Definitions|Process|Collaboration)$/.test(el.$type)) found.set(id, el);
  return found;
}

export async function diffVersions(olderXml: string, newerXml: string): Promise<VersionDiff> {
  const [older, newer] = await Promise.all([elements(olderXml), elements(newerXml)]);
  const diff: VersionDiff = { added: [], removed: [], changed: [] };
  for (const [id, el] of newer) {
    const before = older.get(id);
    if (!before) diff.added.push(id);
    else if (JSON.stringify(signature(before)) !== JSON.stringify(signature(el))) diff.changed.push(id);
  }
  for (const [id, el] of older) if (!newer.has(id)) diff.removed.push({ id, name: el.name ?? '', type: el.$type.slice(5) });
  return diff;
}
