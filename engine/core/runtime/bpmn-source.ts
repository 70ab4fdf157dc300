import * as Elements from 'bpmn-elements';
import * as gateways from 'bpmn-elements/gateways';
import serializer, { deserialize, TypeResolver, type SerializableContext } from 'moddle-context-serializer';

/**
 * bpmn-elements 17 lets a converging inclusive gateway fire on the first token.
 * Give it the parallel join instead: it waits for every inbound flow to be taken
 * or discarded (dead-path elimination), which is BPMN's inclusive join for
 * structured flows. Types only take effect through the TypeResolver that builds
 * the source context, not through Engine options.
 */
function InclusiveGateway(activityDef: Record<string, unknown>, context: unknown): unknown {
  const Activity = Elements.Activity as unknown as new (behaviour: unknown, def: unknown, ctx: unknown) => unknown;
  const { InclusiveGatewayBehaviour } = gateways as unknown as { InclusiveGatewayBehaviour: unknown };
  return new Activity(InclusiveGatewayBehaviour, { ...activityDef, isParallelGateway: true }, context);
}

/**
 * bpmn-elements fires a timer at once when an instance is recovered after its
 * due time. Here only the scheduler fires timers (as Camunda's job executor
 * does): a recovered, overdue timer is re-armed (never really armed, see
 * DeferredTimers) and waits for its turn, so loading an instance to complete a
 * task never takes a timeout path behind the user's back.
 */
const BaseTimer = Elements.TimerEventDefinition as unknown as new (activity: unknown, definition: unknown) => { _getTimers(message: unknown): { timeout?: number } };
class DeferredTimerEventDefinition extends BaseTimer {
  override _getTimers(message: { fields?: { redelivered?: boolean } }): { timeout?: number } {
    const result = super._getTimers(message);
    if (message.fields?.redelivered && result.timeout !== undefined && result.timeout <= 0) result.timeout = 1;
    return result;
  }
}

const typeResolver = TypeResolver({ ...Elements, InclusiveGateway, TimerEventDefinition: DeferredTimerEventDefinition } as unknown as Record<string, unknown>);

interface SerializedElement {
  id: string;
  parent?: { id: string; type?: string };
}
type SerializedContext = Record<string, unknown> & { processes: SerializedElement[]; activities: SerializedElement[] };

export type ProcessJson = Record<string, unknown>;

/**
 * The serialized context of ONE process of a parsed file: the other processes
 * are left out, so the engine runs only this one and a call activity is always
 * the host's job (a separate instance with Camunda's variable scoping), even
 * when the called process sits in the same file.
 */
export function serializeProcess(moddleContext: unknown, processId: string): ProcessJson {
  const full = JSON.parse(serializer(moddleContext, typeResolver).serialize()) as SerializedContext;
  const owned = new Set([processId]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const a of full.activities) {
      if (a.parent && owned.has(a.parent.id) && !owned.has(a.id)) {
        owned.add(a.id);
        grew = true;
      }
    }
  }
  // Root-level errors, escalations, messages and signals belong to every process.
  const ownedBy = (e: SerializedElement) => !e.parent || e.parent.type === 'bpmn:Definitions' || owned.has(e.parent.id);
  // Camunda ignores conditions on flows out of a parallel gateway; bpmn-elements would evaluate them.
  const parallel = new Set(full.activities.filter((a) => (a as { type?: string }).type === 'bpmn:ParallelGateway').map((a) => a.id));
  for (const flow of (full.sequenceFlows ?? []) as Array<{ sourceId?: string; behaviour?: Record<string, unknown> }>) {
    if (flow.sourceId && parallel.has(flow.sourceId) && flow.behaviour) delete flow.behaviour.conditionExpression;
  }
  const filtered: ProcessJson = { ...full, processes: full.processes.filter((p) => p.id === processId), messageFlows: [], participants: [] };
  for (const key of ELEMENT_LISTS) {
    const list = full[key];
    if (Array.isArray(list)) filtered[key] = (list as SerializedElement[]).filter(ownedBy);
  }
  return filtered;
}

const ELEMENT_LISTS = ['activities', 'sequenceFlows', 'associations', 'dataObjects', 'dataStores', 'timers', 'scripts'];

/**
 * A runnable source context. `withoutStarts` drops alternative start events
 * (and their flows): an instance starts at exactly one start event.
 */
export function sourceFromJson(json: ProcessJson, withoutStarts: readonly string[] = []): SerializableContext {
  if (!withoutStarts.length) return deserialize(json, typeResolver);
  const dropped = new Set(withoutStarts);
  const variant: ProcessJson = { ...json };
  variant.activities = (json.activities as SerializedElement[]).filter((a) => !dropped.has(a.id));
  variant.sequenceFlows = (json.sequenceFlows as Array<SerializedElement & { sourceId: string }>).filter((f) => !dropped.has(f.sourceId));
  variant.timers = ((json.timers as Array<SerializedElement & { parent?: { id: string } }> | undefined) ?? []).filter((t) => !t.parent || !dropped.has(t.parent.id));
  return deserialize(variant, typeResolver);
}
