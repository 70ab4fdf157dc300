/** Who may start which process (wf:starters): checked before a start, and listed for the portal and the workbench. */
import { WorkflowError } from '../errors.ts';
import { mayStart } from '../org/access.ts';
import type { Actor } from '../org/actor.ts';
import { Org } from '../org/directory.ts';
import type { Services } from '../services.ts';

export interface StartableProcess {
  key: string;
  name: string | null;
  version: number;
  /** Its start event shows a form (GET /api/processes/:key/start-form). */
  hasStartForm: boolean;
  /** The real-name level a citizen needs to start it (wf:identityLevel); null: none. */
  identityLevel: number | null;
}

const orgOf = async (services: Services): Promise<Org> => (services.org ? services.org.org() : new Org({ departments: [], users: [], posts: [], roles: [], userRoles: [] }));

export async function demandStart(services: Services, actor: Actor, processKey: string, version?: number): Promise<void> {
  const definition = await services.definitions.find(processKey, version);
  if (!mayStart(actor, definition.model.starters, await orgOf(services))) throw new WorkflowError('WF_ERR_START_FORBIDDEN', { key: processKey });
  const required = definition.model.identityLevel;
  if (required !== null && actor.kind === 'citizen') {
    const current = await services.store.identityLevel(actor.id);
    if (current < required) throw new WorkflowError('WF_ERR_IDENTITY_LEVEL', { key: processKey, required, current });
  }
}

/** The latest version of each process the actor may start and that a person can start (a none start event). */
export async function startableProcesses(services: Services, actor: Actor): Promise<StartableProcess[]> {
  const org = await orgOf(services);
  const latest = await services.store.listDefinitions({ latestOnly: true }, { offset: 0, limit: 1000 });
  const result: StartableProcess[] = [];
  for (const record of latest.items) {
    const definition = await services.definitions.get(record.id);
    const start = definition.noneStart;
    if (!start || !mayStart(actor, definition.model.starters, org)) continue;
    const form = definition.model.startEvents.find((s) => s.id === start)?.form;
    result.push({ key: record.key, name: record.name, version: record.version, hasStartForm: Boolean(form), identityLevel: definition.model.identityLevel });
  }
  return result;
}

/** The handler that records a raised real-name level: the process whose service task runs it is the one that raises it. */
const RECORDS_IDENTITY = 'identity.record';

/** A citizen's real-name level, and the process they start to raise it (one they may start that records levels), if any. */
export async function identityOf(services: Services, actor: Actor): Promise<{ level: number; processKey: string | null }> {
  const level = await services.store.identityLevel(actor.id);
  for (const p of await startableProcesses(services, actor)) {
    const definition = await services.definitions.find(p.key);
    if (Object.values(definition.model.serviceTasks).some((task) => task.handler === RECORDS_IDENTITY)) return { level, processKey: p.key };
  }
  return { level, processKey: null };
}
