/**
 * Cases as a person may work with them: start (who may start what), list and
 * read within one's data scope, cancel, withdraw, reclassify, migrate, read
 * the history, copy and comment, upload and read files. Every method takes the
 * acting person and checks what they may do — the permission and the object —
 * so no front door can skip it.
 */
import type { FieldIssue, ValidationMode } from '../../../forms/index.ts';
import { WorkflowError, type Locale } from '../errors.ts';
import type { DraftRecord, FileRecord, NamedHistoryRecord, InstanceRecord, Page, PageRequest } from '../model.ts';
import { demandAssignScope, demandInstanceVisible, ownRows, visibilityOf } from '../org/access.ts';
import { demand, type Actor } from '../org/actor.ts';
import type { InstanceFilter } from '../ports.ts';
import { addComment, copyCase } from '../usecases/inbox.ts';
import { startDraftTarget } from '../usecases/start-forms.ts';
import type { StartableProcess } from '../usecases/starting.ts';
import type { InstanceView, MigrationRequest, MigrationResult, StartFormView, StartRequest, UploadRequest, Workflow } from '../workflow.ts';

/** A saved start-form draft, as the list of startable processes shows it. */
export interface StartDraftSummary {
  formKey: string;
  formVersion: number;
  updatedAt: number;
}

export class CasesApi {
  constructor(private readonly workflow: Workflow) {}

  /** The case, when it lies in the actor's data scope (or is theirs, or they have a task of it or a copy). */
  async #visible(actor: Actor, id: string): Promise<InstanceRecord> {
    demand(actor, 'instance:read');
    const { store } = this.workflow.services;
    const instance = await store.getInstance(id);
    if (!instance) throw new WorkflowError('WF_ERR_INSTANCE_NOT_FOUND', { instanceId: id });
    await demandInstanceVisible(store, actor, instance);
    return instance;
  }

  /** What the actor may start (wf:starters), latest versions, each with the actor's saved draft of its start form (暂存), if any. */
  async startable(actor: Actor): Promise<Array<StartableProcess & { draft: StartDraftSummary | null }>> {
    demand(actor, 'instance:start');
    const { store } = this.workflow.services;
    const processes = await this.workflow.startableProcesses(actor);
    return Promise.all(
      processes.map(async (p) => {
        const draft = p.hasStartForm ? await store.getDraft(actor.id, startDraftTarget(p.key)) : null;
        return { ...p, draft: draft && { formKey: draft.formKey, formVersion: draft.formVersion, updatedAt: draft.updatedAt } };
      }),
    );
  }

  /** The caller's own real-name level (实名认证), and the process that raises it. */
  identity(actor: Actor): Promise<{ level: number; processKey: string | null }> {
    return this.workflow.identity(actor);
  }

  async start(actor: Actor, request: StartRequest, locale: Locale): Promise<InstanceView> {
    demand(actor, 'instance:start');
    await this.workflow.demandStart(actor, request.processKey, request.version);
    return this.workflow.start(request, actor.id, locale);
  }

  list(actor: Actor, filter: Omit<InstanceFilter, 'visibleTo'>, page: PageRequest): Promise<Page<InstanceView>> {
    demand(actor, 'instance:read');
    return this.workflow.listInstances({ ...filter, visibleTo: visibilityOf(actor) }, page);
  }

  async get(actor: Actor, id: string): Promise<InstanceView> {
    await this.#visible(actor, id);
    return this.workflow.getInstance(id);
  }

  async history(actor: Actor, id: string, page: PageRequest): Promise<Page<NamedHistoryRecord>> {
    await this.#visible(actor, id);
    return this.workflow.history(id, page);
  }

  async cancel(actor: Actor, id: string, reason: string | null): Promise<InstanceView> {
    demand(actor, 'instance:manage');
    await this.#visible(actor, id);
    return this.workflow.cancel(id, reason, actor.id);
  }

  /** The initiator takes the application back (the use case checks who may). */
  withdraw(actor: Actor, id: string, reason: string | null): Promise<InstanceView> {
    demand(actor, 'instance:start');
    return this.workflow.withdraw(id, reason, actor.id);
  }

  /** Reclassify a case: those handling one of its open tasks may, and those with the case in their assigning scope. */
  async setVariables(actor: Actor, id: string, variables: Record<string, unknown>): Promise<InstanceView> {
    demand(actor, 'task:handle');
    const instance = await this.#visible(actor, id);
    const open = await this.workflow.listTasks({ instanceId: instance.id, state: 'active', visibleTo: ownRows(actor) }, { offset: 0, limit: 1 });
    if (open.total === 0) demandAssignScope(actor, instance.departmentId, 'instance', instance.id);
    return this.workflow.setVariables(id, variables, actor.id);
  }

  migrate(actor: Actor, request: MigrationRequest): Promise<MigrationResult> {
    demand(actor, 'instance:manage');
    return this.workflow.migrate(request, actor.id);
  }

  async copy(actor: Actor, id: string, userIds: string[], note: string | null, needsSign: boolean): Promise<{ notified: string[] }> {
    await this.#visible(actor, id);
    return copyCase(this.workflow.services, id, userIds, note, actor.id, needsSign);
  }

  async comment(actor: Actor, id: string, text: string, fileIds: string[]): Promise<void> {
    await this.#visible(actor, id);
    await addComment(this.workflow.services, id, text, fileIds, actor.id);
  }

  // ---- start forms ---------------------------------------------------------------

  async startForm(actor: Actor, processKey: string): Promise<StartFormView> {
    demand(actor, 'instance:start');
    await this.workflow.demandStart(actor, processKey);
    return this.workflow.startForm(processKey, actor.id);
  }

  async validateStartForm(actor: Actor, processKey: string, data: unknown, locale: Locale, mode: ValidationMode): Promise<{ valid: boolean; issues: FieldIssue[] }> {
    demand(actor, 'instance:start');
    await this.workflow.demandStart(actor, processKey);
    return this.workflow.validateStartForm(processKey, data, actor.id, locale, mode);
  }

  async saveStartDraft(actor: Actor, processKey: string, data: unknown, locale: Locale): Promise<DraftRecord> {
    demand(actor, 'instance:start');
    await this.workflow.demandStart(actor, processKey);
    return this.workflow.saveStartDraft(processKey, data, actor.id, locale);
  }

  deleteStartDraft(actor: Actor, processKey: string): Promise<void> {
    demand(actor, 'instance:start');
    return this.workflow.deleteStartDraft(processKey, actor.id);
  }

  async submitStartForm(actor: Actor, processKey: string, request: { data: unknown; businessKey?: string | null }, locale: Locale): Promise<InstanceView> {
    demand(actor, 'instance:start');
    await this.workflow.demandStart(actor, processKey);
    return this.workflow.submitStartForm(processKey, request, actor.id, locale);
  }

  // ---- files ---------------------------------------------------------------------

  upload(actor: Actor, request: UploadRequest): Promise<FileRecord> {
    demand(actor, 'file:upload');
    return this.workflow.uploadFile(request, actor.id);
  }

  /** A file for its uploader or a participant of its case; `othersFile` when it is not the reader's own (audited). */
  async readFile(actor: Actor, id: string): Promise<{ record: FileRecord; bytes: Buffer; othersFile: boolean }> {
    const { record, bytes } = await this.workflow.readFile(id, actor.id);
    return { record, bytes, othersFile: record.owner !== actor.id };
  }

  /** What a file is (name, size, type), to whoever may download it. */
  async fileInfo(actor: Actor, id: string): Promise<{ record: FileRecord; othersFile: boolean }> {
    const record = await this.workflow.fileRecord(id, actor.id);
    return { record, othersFile: record.owner !== actor.id };
  }
}
