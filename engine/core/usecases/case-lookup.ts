/**
 * A case as an outside system may see it: found by business key (the case id
 * it knows), limited to the processes and variables its settings name.
 */
import type { CaseSelection, CaseSnapshot } from '../connectors/port.ts';
import type { Services } from '../services.ts';

/** Enough to find the running one among a key's few instances (a case restarted, a correction round). */
const CANDIDATES = 20;

export async function findCase(services: Services, businessKey: string, select: CaseSelection): Promise<CaseSnapshot | null> {
  const { items } = await services.store.listInstances({ businessKey }, { offset: 0, limit: CANDIDATES });
  const mine = items.filter((i) => select.processKeys.includes(i.processKey));
  // Newest first: the running one if there is one, else the latest that ended.
  const instance = mine.find((i) => i.state === 'running') ?? mine[0];
  if (!instance) return null;
  const variables = Object.fromEntries(select.variables.filter((name) => Object.hasOwn(instance.variables, name)).map((name) => [name, instance.variables[name]]));
  return {
    instanceId: instance.id,
    processKey: instance.processKey,
    businessKey,
    state: instance.state,
    startedAt: instance.startedAt,
    waitingIn: [...new Set(instance.waits.map((w) => w.activityId))].sort(),
    variables,
  };
}
