/**
 * A user task's form: shown with the node's permissions and the case's
 * current values, validated without submitting, saved as a draft, submitted
 * (which completes the task with the validated values).
 */
import { visibleValues, type FieldIssue, type FormData, type Locale, type NodePermissions, type ValidationMode } from '../../../forms/index.ts';
import { WorkflowError } from '../errors.ts';
import type { LoadedForm } from '../forms/registry.ts';
import type { DraftRecord, TaskRecord } from '../model.ts';
import type { Services } from '../services.ts';
import { checkSubmission, deleteDraft, formView, saveDraft, taskDraftTarget, taskFormOf, type FormView } from './form-data.ts';
import { completeTask, getTask, type CompletedTask } from './tasks.ts';

interface TaskForm {
  task: TaskRecord;
  loaded: LoadedForm;
  permissions: NodePermissions;
  stored: FormData;
}

async function loadTaskForm(services: Services, taskId: string): Promise<TaskForm> {
  const task = await getTask(services, taskId);
  const instance = await services.store.getInstance(task.instanceId);
  const stored = instance?.variables ?? {};
  const form = await taskFormOf(services, task, stored);
  if (!form) throw new WorkflowError('WF_ERR_TASK_HAS_NO_FORM', { taskId });
  return { task, ...form, stored };
}

export interface TaskFormView {
  taskId: string;
  form: FormView;
  values: FormData;
  draft: { data: FormData; updatedAt: number } | null;
}

export async function getTaskForm(services: Services, taskId: string, actor: string | null): Promise<TaskFormView> {
  const { loaded, permissions, stored } = await loadTaskForm(services, taskId);
  const draft = actor ? await services.store.getDraft(actor, taskDraftTarget(taskId)) : null;
  return {
    taskId,
    form: formView(loaded, permissions),
    values: visibleValues(loaded.compiled, permissions, stored),
    draft: draft ? { data: visibleValues(loaded.compiled, permissions, draft.data), updatedAt: draft.updatedAt } : null,
  };
}

export async function validateTaskForm(
  services: Services,
  taskId: string,
  input: unknown,
  actor: string | null,
  locale: Locale,
  mode: ValidationMode,
): Promise<{ valid: boolean; issues: FieldIssue[] }> {
  const { task, loaded, permissions, stored } = await loadTaskForm(services, taskId);
  const { issues } = await checkSubmission(services, loaded, permissions, input, stored, { mode, actor, instanceId: task.instanceId, locale });
  return { valid: issues.length === 0, issues };
}

export async function saveTaskDraft(services: Services, taskId: string, input: unknown, actor: string | null, locale: Locale): Promise<DraftRecord> {
  const { task, loaded, permissions, stored } = await loadTaskForm(services, taskId);
  if (task.state !== 'active') throw new WorkflowError('WF_ERR_TASK_NOT_ACTIVE', { taskId, state: task.state });
  return saveDraft(services, loaded, permissions, input, stored, { actor, instanceId: task.instanceId, locale, target: taskDraftTarget(taskId) });
}

/** Submit the form: the task completes with the validated values (see completeTask). */
export function submitTaskForm(services: Services, taskId: string, input: unknown, actor: string | null, locale: Locale): Promise<CompletedTask> {
  return completeTask(services, taskId, input, actor, locale);
}

export function deleteTaskDraft(services: Services, taskId: string, actor: string | null): Promise<void> {
  return deleteDraft(services, actor, taskDraftTarget(taskId));
}
