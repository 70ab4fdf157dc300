/**
 * Migrate running instances to another version of their process (Camunda's
 * migration plan, simplified): each waiting activity maps to an activity of the
 * target — the same id unless `mapping` says otherwise — of the same kind, in
 * the same sub-process, attached to the same activity. Tasks, timers and
 * subscriptions keep their identity (ids, assignees, due times); the case then
 * goes on along the target's flows.
 *
 * All instances of one request move in one transaction, or none does: every
 * problem is reported at once, naming the instance and the activity.
 */
import { t, WorkflowError, type MigrationProblem } from '../errors.ts';
import type { InstanceRecord, Wait } from '../model.ts';
import type { Services } from '../services.ts';
import type { CompiledDefinition } from '../runtime/compiled-definition.ts';
import { waitKey, type Step, type StepInstance } from '../runtime/step.ts';

/** One request moves at most this many instances (each is loaded into an engine); page through more. */
export const MAX_MIGRATION_BATCH = 100;

export interface MigrationRequest {
  processKey: string;
  toVersion: number;
  /** The instances to move; or, without them, the running instances of `fromVersion`. */
  instanceIds?: string[];
  fromVersion?: number;
  /** Source activity id → target activity id. */
  mapping?: Record<string, string>;
  /** Check everything, change nothing. */
  dryRun?: boolean;
}

export interface MigrationResult {
  processKey: string;
  toVersion: number;
  dryRun: boolean;
  instances: Array<{ instanceId: string; fromVersion: number; status: 'migrated' | 'valid' | 'unchanged' }>;
  /** Running instances of `fromVersion` beyond this batch. */
  remaining: number;
}

class DryRun extends Error {
  constructor(readonly outcomes: MigrationResult['instances']) {
    super('dry run');
  }
}


export async function migrateInstances(services: Services, request: MigrationRequest, actor: string | null): Promise<MigrationResult> {
  const target = await services.definitions.find(request.processKey, request.toVersion);
  const renames = new Map(Object.entries(request.mapping ?? {}).filter(([from, to]) => from !== to));
  const mappingProblems = [...renames.values()]
    .filter((to) => !target.model.elements[to])
    .map((to): MigrationProblem => ({ elementId: to, message: t(`目标版本没有节点 ${to}`, `the target version has no element ${to}`) }));
  if (mappingProblems.length) throw migrationInvalid(mappingProblems);

  const { ids, remaining } = await selectInstances(services, request);
  const dryRun = request.dryRun === true;
  const instances = await services.step(actor, async (step) => {
    const problems: MigrationProblem[] = [];
    const outcomes: MigrationResult['instances'] = [];
    for (const instanceId of ids) {
      const touched = await step.load(instanceId);
      const { record } = touched;
      const found = checkInstance(record, request.processKey) ?? (await checkWaits(services, record, target, renames));
      if (found.length) {
        problems.push(...found.map((p) => ({ instanceId, ...p })));
        continue;
      }
      if (record.definitionId === target.id) {
        outcomes.push({ instanceId, fromVersion: record.version, status: 'unchanged' });
        continue;
      }
      const fromVersion = record.version;
      const moved = await migrateOne(step, touched, target, renames);
      if (moved) problems.push({ instanceId, ...moved });
      else outcomes.push({ instanceId, fromVersion, status: dryRun ? 'valid' : 'migrated' });
    }
    if (problems.length) throw migrationInvalid(problems);
    if (dryRun) throw new DryRun(outcomes); // abandons the step: nothing is written
    return outcomes;
  }).catch((err: unknown) => {
    if (err instanceof DryRun) return err.outcomes;
    throw err;
  });
  return { processKey: request.processKey, toVersion: target.identity.version, dryRun, instances, remaining };
}

async function selectInstances(services: Services, request: MigrationRequest): Promise<{ ids: string[]; remaining: number }> {
  if (request.instanceIds?.length) return { ids: [...new Set(request.instanceIds)], remaining: 0 };
  if (request.fromVersion === undefined) {
    throw new WorkflowError('WF_ERR_VALIDATION', { field: 'instanceIds', rule: 'required', reason: t('请指定实例或源版本（fromVersion）', 'name the instances or the source version (fromVersion)') }, 'instanceIds');
  }
  const page = await services.store.listInstances({ processKey: request.processKey, version: request.fromVersion, state: 'running' }, { offset: 0, limit: MAX_MIGRATION_BATCH });
  return { ids: page.items.map((i) => i.id), remaining: Math.max(0, page.total - page.items.length) };
}

function checkInstance(record: InstanceRecord, processKey: string): MigrationProblem[] | null {
  if (record.processKey !== processKey) return [{ message: t(`实例属于流程 ${record.processKey}，不是 ${processKey}`, `the instance belongs to process ${record.processKey}, not ${processKey}`) }];
  if (record.state !== 'running') return [{ message: t('实例已结束', `the instance is ${record.state}`) }];
  return null;
}

/** Every waiting activity must have its like in the target. */
async function checkWaits(services: Services, record: InstanceRecord, target: CompiledDefinition, renames: ReadonlyMap<string, string>): Promise<MigrationProblem[]> {
  const source = (await services.definitions.get(record.definitionId)).model;
  const map = (id: string | null) => (id === null ? null : (renames.get(id) ?? id));
  const problems: MigrationProblem[] = [];
  for (const activityId of new Set(record.waits.map((w) => w.activityId))) {
    const from = source.elements[activityId];
    const toId = map(activityId)!;
    const to = target.model.elements[toId];
    const problem = (zh: string, en: string) => problems.push({ elementId: activityId, message: t(zh, en) });
    if (!from) continue; // the source always has its own activities
    if (!to) problem(`目标版本没有节点 ${toId}，请在 mapping 中指定对应节点`, `the target version has no element ${toId}; map it in mapping`);
    else if (to.type !== from.type || to.event !== from.event) problem(`目标节点 ${toId} 的类型不同（${kind(to)}，原为 ${kind(from)}）`, `the target element ${toId} is of another kind (${kind(to)}, was ${kind(from)})`);
    else if (map(from.scope) !== to.scope) problem(`目标节点 ${toId} 位于不同的子流程中`, `the target element ${toId} sits in another sub-process`);
    else if (map(from.attachedTo) !== to.attachedTo) problem(`边界事件 ${toId} 附着在不同的节点上`, `the boundary event ${toId} is attached to another activity`);
    else if (Boolean(source.multiInstance[activityId]) !== Boolean(target.model.multiInstance[toId])) problem(`节点 ${toId} 的多实例设置不同`, `element ${toId} differs in being multi-instance`);
  }
  return problems;
}

const kind = (e: { type: string; event: string | null }) => (e.event ? `${e.type.replace('bpmn:', '')}/${e.event.replace('bpmn:', '').replace('EventDefinition', '')}` : e.type.replace('bpmn:', ''));

/** Recover on the target and compare: the case must wait for exactly what it waited for. */
async function migrateOne(step: Step, touched: StepInstance, target: CompiledDefinition, renames: ReadonlyMap<string, string>): Promise<MigrationProblem | null> {
  const before = new Map(touched.record.waits.map((w) => [waitKey(w), w]));
  const after = await step.migrate(touched, target, renames);
  const lost = [...before.values()].filter((w) => !after.some((a) => waitKey(a) === waitKey(w)));
  const gained = after.filter((a) => !before.has(waitKey(a)));
  if (!lost.length && !gained.length) return null;
  const names = (ws: Array<Pick<Wait, 'activityId'>>) => ws.map((w) => w.activityId).join(', ') || '—';
  return {
    elementId: (lost[0] ?? gained[0])!.activityId,
    message: t(`迁移后实例的等待节点会改变（失去：${names(lost)}；新增：${names(gained)}）`, `after migration the instance would wait elsewhere (lost: ${names(lost)}; gained: ${names(gained)})`),
  };
}

function migrationInvalid(problems: MigrationProblem[]): WorkflowError<'WF_ERR_MIGRATION_INVALID'> {
  return new WorkflowError('WF_ERR_MIGRATION_INVALID', { count: problems.length, problems });
}
