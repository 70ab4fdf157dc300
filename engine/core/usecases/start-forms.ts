/**
 * A process's start form: the citizen's application, the applicant's request.
 * Submitting it starts an instance with the validated values as variables and
 * binds the uploaded materials to the new case, in one transaction.
 */
import { visibleValues, type FieldIssue, type FormData, type Locale, type NodePermissions, type ValidationMode } from '../../../forms/index.ts';
import { WorkflowError } from '../errors.ts';
import type { LoadedForm } from '../forms/registry.ts';
import type { DraftRecord } from '../model.ts';
import type { Write } from '../ports.ts';
import type { CompiledDefinition } from '../runtime/compiled-definition.ts';
import type { Services } from '../services.ts';
import { checkSubmission, deleteDraft, formView, refuseIssues, saveDraft, submittedVariables, type FormView } from './form-data.ts';
import { startInstance } from './instances.ts';
import type { InstanceView } from './views.ts';

interface StartForm {
  definition: CompiledDefinition;
  loaded: LoadedForm;
  permissions: NodePermissions;
}

/** Where a user's draft of a process's start form is kept. */
export const startDraftTarget = (processKey: string) => `start:${processKey}`;

async function loadStartForm(services: Services, processKey: string, version?: number): Promise<StartForm> {
  const definition = await services.definitions.find(processKey, version);
  const start = definition.model.startEvents.find((s) => s.id === definition.noneStart);
  if (!start?.form) throw new WorkflowError('WF_ERR_NO_START_FORM', { key: processKey });
  const loaded = await services.forms.get(start.form.key, start.form.version ?? undefined);
  return { definition, loaded, permissions: start.form.access };
}

export interface StartFormView {
  processKey: string;
  version: number;
  form: FormView;
  draft: { data: FormData; updatedAt: number } | null;
}

export async function getStartForm(services: Services, processKey: string, actor: string | null): Promise<StartFormView> {
  const { definition, loaded, permissions } = await loadStartForm(services, processKey);
  const draft = actor ? await services.store.getDraft(actor, startDraftTarget(processKey)) : null;
  return {
    processKey,
    version: definition.identity.version,
    form: formView(loaded, permissions),
    draft: draft ? { data: visibleValues(loaded.compiled, permissions, draft.data), updatedAt: draft.updatedAt } : null,
  };
}

export async function validateStartForm(services: Services, processKey: string, input: unknown, actor: string | null, locale: Locale, mode: ValidationMode): Promise<{ valid: boolean; issues: FieldIssue[] }> {
  const { loaded, permissions } = await loadStartForm(services, processKey);
  const { issues } = await checkSubmission(services, loaded, permissions, input, {}, { mode, actor, instanceId: null, locale });
  return { valid: issues.length === 0, issues };
}

export async function saveStartDraft(services: Services, processKey: string, input: unknown, actor: string | null, locale: Locale): Promise<DraftRecord> {
  const { loaded, permissions } = await loadStartForm(services, processKey);
  return saveDraft(services, loaded, permissions, input, {}, { actor, instanceId: null, locale, target: startDraftTarget(processKey) });
}

export async function submitStartForm(services: Services, processKey: string, request: { data: unknown; businessKey?: string | null; version?: number }, actor: string | null, locale: Locale): Promise<InstanceView> {
  const { definition, loaded, permissions } = await loadStartForm(services, processKey, request.version);
  const submission = await checkSubmission(services, loaded, permissions, request.data, {}, { mode: 'submit', actor, instanceId: null, locale });
  refuseIssues(submission.issues);
  const writes = (instanceId: string): Write[] => [
    ...submission.bind.map((f) => ({ type: 'file.bind' as const, id: f.id, owner: f.owner, instanceId })),
    ...(actor ? [{ type: 'draft.delete' as const, owner: actor, target: startDraftTarget(processKey) }] : []),
  ];
  return startInstance(services, { processKey, version: definition.identity.version, businessKey: request.businessKey ?? null, variables: submittedVariables(submission) }, actor, writes);
}

export function deleteStartDraft(services: Services, processKey: string, actor: string | null): Promise<void> {
  return deleteDraft(services, actor, startDraftTarget(processKey));
}
