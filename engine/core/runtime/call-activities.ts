/**
 * Call activities: the called process starts as an instance of its own in the
 * same step (camunda:in mappings, its business key), and when it ends its
 * caller goes on (camunda:out mappings) — or, when it ended at an error end
 * event a boundary of the call activity catches, the error goes there (Camunda).
 */
import { WorkflowError, t } from '../errors.ts';
import type { CompiledDefinition } from './compiled-definition.ts';
import { evaluateAttribute, evaluateMapping, toText } from './attributes.ts';
import type { ElementContent } from './live-instance.ts';
import { waitKey, type StepContext as Step, type StepInstance } from './step-context.ts';
import { evaluateMappings } from './variable-mappings.ts';

export async function startCalled(step: Step, parent: StepInstance, activityId: string, executionId: string, content: ElementContent): Promise<StepInstance> {
  const live = parent.live!;
  const model = live.definition.model.callActivities[activityId];
  if (!model) throw new WorkflowError('WF_ERR_STEP_FAILED', { elementId: activityId, detail: t('调用活动没有模型', 'call activity without model') });
  let definition: CompiledDefinition;
  try {
    definition = await step.deps.definitions.find(model.calledElement, model.version ?? undefined);
  } catch (err) {
    if (err instanceof WorkflowError && err.code === 'WF_ERR_DEFINITION_NOT_FOUND') {
      throw new WorkflowError('WF_ERR_STEP_FAILED', { elementId: activityId, detail: t(`被调用的流程 ${model.calledElement} 尚未部署`, `called process ${model.calledElement} is not deployed`) });
    }
    throw err;
  }
  const startEventId = definition.noneStart;
  if (!startEventId) throw new WorkflowError('WF_ERR_STEP_FAILED', { elementId: activityId, detail: t(`被调用的流程 ${model.calledElement} 没有空开始事件`, `called process ${model.calledElement} has no none start event`) });
  const variables = evaluateMapping(activityId, () => evaluateMappings(model.inputs, live.variables, live.contextFor(content), live.definition));
  const businessKey = model.businessKey ? evaluateAttribute(live, activityId, model.businessKey, content, (v) => toText(v, 255)) : null;
  return step.create(definition, { variables, businessKey, startEventId, parent: { instanceId: parent.record.id, executionId } });
}

/** A called instance ended: its caller goes on with the outputs, or takes the error it ended with. */
export async function returnToCaller(step: Step, called: StepInstance): Promise<void> {
  const { parentId, parentExecutionId } = called.record;
  if (!parentId || !parentExecutionId) return;
  const parent = await step.load(parentId);
  if (parent.record.state !== 'running' || !parent.live) return;
  const wait = parent.record.waits.find((w) => w.kind === 'call' && w.executionId === parentExecutionId);
  if (!wait) return;
  const child = called.live!;
  parent.done.add(waitKey(wait));
  const thrown = [...child.events].reverse().find((e) => e.kind === 'activity.end' && child.definition.model.errorEnds[e.activityId]);
  const error = thrown && child.definition.model.errorEnds[thrown.activityId]!;
  const catchers = parent.live.definition.model.errorBoundaries[wait.activityId] ?? [];
  if (error && (catchers.includes(error.code) || catchers.includes(null))) {
    await step.act(parent, (l) => l.throwError(parentExecutionId, error.code, error.message ?? error.code));
    return;
  }
  const model = parent.live.definition.model.callActivities[wait.activityId];
  const outputs = model ? evaluateMapping(wait.activityId, () => evaluateMappings(model.outputs, child.variables, child.contextFor(null), child.definition)) : {};
  Object.assign(parent.live.variables, outputs);
  await step.act(parent, (l) => l.signal(parentExecutionId, outputs));
}
