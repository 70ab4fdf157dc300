/** Object-level checks of routes: the case or task must lie in the caller's data scope, a task must be theirs to handle. */
import { WorkflowError } from '../core/errors.ts';
import type { InstanceRecord, TaskRecord } from '../core/model.ts';
import { demandAssign, demandHandle, demandInstanceVisible, demandTaskVisible } from '../core/org/access.ts';
import type { Workflow } from '../core/workflow.ts';
import type { Caller } from "./authenticate.ts";
import { actorOf } from './route.ts';

export async function visibleInstance(workflow: Workflow, req: { caller: Caller | null }, id: string): Promise<InstanceRecord> {
  const instance = await workflow.services.store.getInstance(id);
  if (!instance) throw new WorkflowError('WF_ERR_INSTANCE_NOT_FOUND', { instanceId: id });
  await demandInstanceVisible(workflow.services.store, actorOf(req), instance);
  return instance;
}

export async function visibleTask(workflow: Workflow, req: { caller: Caller | null }, id: string): Promise<TaskRecord> {
  const task = await workflow.getTask(id);
  demandTaskVisible(actorOf(req), task);
  return task;
}

/** The task, when the caller holds it or may reassign it (task:assign over it). */
export async function heldOrAssignable(workflow: Workflow, req: { caller: Caller | null; actor: string | null }, id: string): Promise<TaskRecord> {
  const task = await visibleTask(workflow, req, id);
  if (task.assignee !== req.actor) demandAssign(actorOf(req), task);
  return task;
}

/** The task, when the caller may act on it as its handler. */
export async function handledTask(workflow: Workflow, req: { caller: Caller | null }, id: string): Promise<TaskRecord> {
  const task = await workflow.getTask(id);
  demandHandle(actorOf(req), task);
  return task;
}
