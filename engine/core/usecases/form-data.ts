/**
 * What task forms and start forms share: the form as a node shows it, and a
 * submission checked against the node's permissions, the schema and the files
 * it points to. Bad data is refused with every problem at once, in the
 * caller's language, and nothing is written.
 */
import {
  applySubmission,
  EVERYTHING_EDITABLE,
  refusedComputed,
  viewOf,
  type FieldAccess,
  type FieldIssue,
  type FormData,
  type JsonSchema,
  type Locale,
  type NodePermissions,
  type UiSchema,
  type ValidationMode,
} from '../../../forms/index.ts';
import { invalid, WorkflowError, type LocalizedText } from '../errors.ts';
import type { LoadedForm } from '../forms/registry.ts';
import type { DraftRecord, FileRecord, TaskRecord } from '../model.ts';
import type { Write } from '../ports.ts';
import type { Services } from '../services.ts';
import { requireActor } from './files.ts';
import { checkFiles } from './form-files.ts';

/** Where a user's draft of a task's form is kept. */
export const taskDraftTarget = (taskId: string) => `task:${taskId}`;

export interface FormView {
  key: string;
  version: number;
  title: LocalizedText;
  schema: JsonSchema;
  ui: UiSchema | undefined;
  access: Record<string, FieldAccess>;
}

export function formView(loaded: LoadedForm, permissions: NodePermissions): FormView {
  const { schema, ui, access } = viewOf(loaded.compiled, permissions);
  return { key: loaded.record.key, version: loaded.record.version, title: loaded.record.title, schema, ui, access };
}

export interface Submission {
  /** The stored values with the submission over them, computed fields filled in. */
  data: FormData;
  /** Editable fields the submission sets. */
  submitted: string[];
  /** Fields whose values come from this submission: those and the computed ones. */
  changed: string[];
  /** Files submitted for the first time: bound to the case with the step. */
  bind: FileRecord[];
  issues: FieldIssue[];
}

export async function checkSubmission(
  services: Services,
  loaded: LoadedForm,
  permissions: NodePermissions,
  input: unknown,
  stored: FormData,
  context: { mode: ValidationMode; actor: string | null; instanceId: string | null; locale: Locale },
): Promise<Submission> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw invalid('data', 'type', { 'zh-CN': '表单数据应为对象', en: 'form data must be an object' });
  }
  await services.forms.dictionaries.fresh();
  const form = loaded.compiled;
  const applied = applySubmission(form, permissions, input as FormData, stored, context.locale);
  const outcome = form.validate(applied.merged, { mode: context.mode, locale: context.locale });
  // What this node must fill, though the form leaves it optional (a draft may still lack it).
  const missing = context.mode === 'draft' ? [] : form.missing(outcome.data, permissions.required ?? [], context.locale);
  const files = await checkFiles(services, form, outcome.data, applied.changed, context.actor, context.instanceId, context.locale);
  const computed = refusedComputed(form, applied.computed, outcome.data, context.locale);
  return { data: outcome.data, submitted: applied.submitted, changed: applied.changed, bind: files.bind, issues: [...applied.issues, ...computed, ...outcome.issues, ...missing, ...files.issues] };
}

export function refuseIssues(issues: FieldIssue[]): void {
  if (issues.length) throw new WorkflowError('WF_ERR_FORM_DATA_INVALID', { count: issues.length, issues }, issues[0]!.pointer || 'data');
}

/** The variables a submission sets: the fields it changed (`only: 'submitted'`: without the computed ones, for drafts). */
export function submittedVariables(submission: Submission, only: 'changed' | 'submitted' = 'changed'): FormData {
  const out: FormData = {};
  for (const field of submission[only]) if (Object.hasOwn(submission.data, field)) out[field] = submission.data[field];
  return out;
}

/** Save what the user has so far: missing fields are fine, wrong values are not. */
export async function saveDraft(
  services: Services,
  loaded: LoadedForm,
  permissions: NodePermissions,
  input: unknown,
  stored: FormData,
  context: { actor: string | null; instanceId: string | null; locale: Locale; target: string },
): Promise<DraftRecord> {
  const owner = requireActor(context.actor);
  const submission = await checkSubmission(services, loaded, permissions, input, stored, { mode: 'draft', ...context });
  refuseIssues(submission.issues);
  const draft: DraftRecord = {
    owner,
    target: context.target,
    formKey: loaded.record.key,
    formVersion: loaded.record.version,
    data: submittedVariables(submission, 'submitted'),
    updatedAt: services.clock.now(),
  };
  await services.store.putDraft(draft);
  // Uploads are deleted a day after, unless a case takes them: a draft keeps its files for longer.
  await services.store.keepUploads(
    owner,
    submission.bind.map((f) => f.id),
    draft.updatedAt + services.config.draftFileTtlMs,
  );
  return draft;
}

export async function deleteDraft(services: Services, actor: string | null, target: string): Promise<void> {
  const owner = requireActor(actor);
  if (!(await services.store.deleteDraft(owner, target))) throw new WorkflowError('WF_ERR_DRAFT_NOT_FOUND', { target });
}

/**
 * The form a task shows, and its node's permissions, with what its
 * wf:editableFrom variable lists made editable: a field, or one key of an
 * object field (`materials/id-card`: that material only); null when it shows none.
 */
export async function taskFormOf(services: Services, task: TaskRecord, variables: FormData): Promise<{ loaded: LoadedForm; permissions: NodePermissions } | null> {
  if (!task.formKey || task.formVersion === null) return null;
  const loaded = await services.forms.get(task.formKey, task.formVersion);
  const form = (await services.definitions.get(task.definitionId)).model.userTasks[task.activityId]?.form;
  if (!form) return { loaded, permissions: EVERYTHING_EDITABLE };
  const listed = form.editableFrom ? variables[form.editableFrom] : undefined;
  if (!Array.isArray(listed)) return { loaded, permissions: form.access };
  const fields = { ...form.access.fields };
  const wholes = new Set<string>();
  const parts: Record<string, string[]> = {};
  for (const item of listed) {
    if (typeof item !== 'string') continue;
    const [field = '', key] = item.split('/', 2);
    if (!loaded.compiled.fields.includes(field) || form.access.fields[field] === 'hidden') continue;
    fields[field] = 'editable';
    if (key === undefined) wholes.add(field);
    else (parts[field] ??= []).push(key);
  }
  for (const field of wholes) delete parts[field];
  return { loaded, permissions: { ...form.access, fields, ...(Object.keys(parts).length && { parts }) } };
}

/** Completing a task that shows a form: the data is checked as that form, its files join the case, the draft goes. */
export async function taskSubmission(
  services: Services,
  task: TaskRecord,
  form: { loaded: LoadedForm; permissions: NodePermissions },
  input: unknown,
  stored: FormData,
  actor: string | null,
  locale: Locale,
): Promise<{ variables: FormData; writes: Write[] }> {
  const submission = await checkSubmission(services, form.loaded, form.permissions, input, stored, { mode: 'submit', actor, instanceId: task.instanceId, locale });
  refuseIssues(submission.issues);
  return {
    variables: submittedVariables(submission),
    writes: [
      ...submission.bind.map((f) => ({ type: 'file.bind' as const, id: f.id, owner: f.owner, instanceId: task.instanceId })),
      ...(actor ? [{ type: 'draft.delete' as const, owner: actor, target: taskDraftTarget(task.id) }] : []),
    ],
  };
}
