/**
 * The use cases, in one place: what the HTTP API, the benchmark and the tests
 * call. Every method takes the acting user (null for the system); the HTTP
 * layer decides who that is.
 */
import type { FieldIssue, FormDefinition, ValidationMode } from '../../forms/index.ts';
import { WorkflowError, type Locale } from './errors.ts';
import type {
  DefinitionRecord,
  DictionaryRecord,
  DraftRecord,
  FileRecord,
  FormRecord,
  NamedHistoryRecord,
  IncidentRecord,
  InstanceState,
  JobRecord,
  Page,
  PageRequest,
  TaskRecord,
  Variables,
} from './model.ts';
import type { IncidentFilter, InstanceFilter, TaskFilter } from './ports.ts';
import { Services, type ServicesOptions } from './services.ts';
import { deploy, lint, type DeployOptions, type DeployResult } from './usecases/deploy.ts';
import { runScenarios, type SandboxFactory, type ScenarioRun } from './usecases/scenarios.ts';
import { compileApprovalTree, type CompiledTree } from './usecases/approval-trees.ts';
import type { ApprovalTree } from '../../definitions/approval/tree.ts';
import type { Problem } from '../../definitions/bpmn/analyse.ts';
import { broadcastSignal, correlateMessage, takeBuffered, type DeliveryResult, type MessageRequest } from './usecases/messages-and-signals.ts';
import { cancelInstance, withdrawInstance, getInstance, startInstance, type StartRequest } from './usecases/instances.ts';
import { demandStart, identityOf, startableProcesses, type StartableProcess } from './usecases/starting.ts';
import { findCase } from './usecases/case-lookup.ts';
import type { CaseSelection, CaseSnapshot } from './connectors/port.ts';
import type { Actor } from './org/actor.ts';
import { expireUploads, fileRecord, readFile, uploadFile, type UploadRequest } from './usecases/files.ts';
import { deployForm, getDictionary, getForm, putDictionary, type DictionaryInput, type FormDeployResult } from './usecases/forms.ts';
import { cancelFailedJob, retryIncident, type CancelJobRequest } from './usecases/jobs.ts';
import { deleteStartDraft, getStartForm, saveStartDraft, submitStartForm, validateStartForm, type StartFormView } from './usecases/start-forms.ts';
import { deleteTaskDraft, getTaskForm, saveTaskDraft, submitTaskForm, validateTaskForm, type TaskFormView } from './usecases/task-forms.ts';
import { migrateInstances, type MigrationRequest, type MigrationResult } from './usecases/migrate.ts';
import { setVariables } from './usecases/clocks.ts';
import { claimTask, completeTask, getTask, throwTaskError, unclaimTask, type CompletedTask, type Rescue } from './usecases/tasks.ts';
import { instanceView, type InstanceView } from './usecases/views.ts';

export type {
  CompletedTask,
  DeployResult,
  DeliveryResult,
  DictionaryInput,
  FormDeployResult,
  InstanceView,
  MessageRequest,
  MigrationRequest,
  MigrationResult,
  StartFormView,
  StartRequest,
  TaskFormView,
  UploadRequest,
};
export type FormSummary = Omit<FormRecord, 'definition'>;
export type DefinitionSummary = Omit<DefinitionRecord, 'xml'>;

export class Workflow {
  readonly services: Services;
  /** Set by the composition root: where scenarios run (a workflow of their own each); null: they cannot run here. */
  sandboxes: SandboxFactory | null = null;

  constructor(options: ServicesOptions) {
    this.services = new Services(options);
    this.services.afterCommit((waits) => takeBuffered(this.services, waits));
  }

  // ---- definitions --------------------------------------------------------------

  /** A deploy runs the flow's saved scenarios first, in sandboxes (where the composition root gave them). */
  deploy(xml: string, actor: string | null, options: Omit<DeployOptions, 'sandboxes'> = {}): Promise<DeployResult[]> {
    return deploy(this.services, xml, actor, { ...options, sandboxes: this.sandboxes });
  }

  /** Run the scenarios saved in `xml` (or those given) in sandboxes: nothing reaches the live tables. */
  simulate(xml: string, scenarios: unknown[] | undefined, actor: string): Promise<ScenarioRun> {
    if (!this.sandboxes) throw new Error('no sandboxes: scenarios cannot run here');
    return runScenarios(this.sandboxes, xml, scenarios, actor);
  }

  /** What deploying `xml` would find, deploying nothing. */
  async lint(xml: string): Promise<{ errors: Problem[]; warnings: Problem[] }> {
    const { errors, warnings } = (await lint(this.services, xml)).analysed;
    return { errors, warnings };
  }

  compileApprovalTree(tree: ApprovalTree): Promise<CompiledTree> {
    return compileApprovalTree(this.services, tree);
  }

  listDefinitions(filter: { key?: string; latestOnly?: boolean }, page: PageRequest): Promise<Page<DefinitionSummary>> {
    return this.services.store.listDefinitions(filter, page);
  }

  async getDefinition(key: string, version?: number): Promise<DefinitionRecord> {
    const record = await this.services.store.findDefinition(key, version);
    if (!record) throw new WorkflowError('WF_ERR_DEFINITION_NOT_FOUND', { key, ...(version !== undefined && { version }) });
    return record;
  }

  /** Every version of a key with how many instances run, completed or were cancelled on it. */
  async versions(key: string): Promise<Array<DefinitionSummary & { instances: Partial<Record<InstanceState, number>> }>> {
    const page = await this.services.store.listDefinitions({ key }, { offset: 0, limit: 1000 });
    if (!page.items.length) throw new WorkflowError('WF_ERR_DEFINITION_NOT_FOUND', { key });
    const counts = await this.services.store.countInstancesByVersion(key);
    return page.items.map((d) => ({
      ...d,
      instances: Object.fromEntries(counts.filter((c) => c.version === d.version).map((c) => [c.state, c.count])),
    }));
  }

  // ---- instances ------------------------------------------------------------------

  /** Start an instance; when its start event has a form, the variables are that form's data and are validated as such. */
  async start(request: StartRequest, actor: string | null, locale: Locale = 'zh-CN'): Promise<InstanceView> {
    const definition = await this.services.definitions.find(request.processKey, request.version);
    const hasForm = definition.model.startEvents.some((s) => s.id === definition.noneStart && s.form);
    if (hasForm)
      return submitStartForm(
        this.services,
        request.processKey,
        { data: request.variables ?? {}, businessKey: request.businessKey ?? null, ...(request.version !== undefined && { version: request.version }) },
        actor,
        locale,
      );
    return startInstance(this.services, request, actor);
  }

  getInstance(id: string): Promise<InstanceView> {
    return getInstance(this.services, id);
  }

  async listInstances(filter: InstanceFilter, page: PageRequest): Promise<Page<InstanceView>> {
    const result = await this.services.store.listInstances(filter, page);
    return { ...result, items: await Promise.all(result.items.map((r) => instanceView(this.services, r))) };
  }

  cancel(id: string, reason: string | null, actor: string | null): Promise<InstanceView> {
    return cancelInstance(this.services, id, reason, actor);
  }

  /** The initiator takes the application back while nobody else has acted on it. */
  withdraw(id: string, reason: string | null, actor: string | null): Promise<InstanceView> {
    return withdrawInstance(this.services, id, reason, actor);
  }

  /** Move running instances to another version: all of them or none. */
  migrate(request: MigrationRequest, actor: string | null): Promise<MigrationResult> {
    return migrateInstances(this.services, request, actor);
  }

  /** Set case variables; reclassifying (the variable an SLA row hangs on) moves the tasks' due dates and clocks. */
  setVariables(id: string, variables: unknown, actor: string | null): Promise<InstanceView> {
    return setVariables(this.services, id, variables, actor).then(() => getInstance(this.services, id));
  }

  /** A case's history, each entry with the name of the element it is about and its state (in plain words for whoever reads it, without the diagram). */
  async history(id: string, page: PageRequest): Promise<Page<NamedHistoryRecord>> {
    const instance = await this.services.store.getInstance(id);
    if (!instance) throw new WorkflowError('WF_ERR_INSTANCE_NOT_FOUND', { instanceId: id });
    const { names, states } = (await this.services.definitions.get(instance.definitionId)).model;
    const listed = await this.services.store.listHistory(id, page);
    return { ...listed, items: listed.items.map((h) => ({ ...h, activityName: (h.activityId && names[h.activityId]) || null, stateName: (h.activityId && states[h.activityId]) || null })) };
  }

  // ---- tasks ----------------------------------------------------------------------

  listTasks(filter: TaskFilter, page: PageRequest): Promise<Page<TaskRecord>> {
    return this.services.store.listTasks({ ...filter, now: this.services.clock.now() }, page);
  }

  getTask(id: string): Promise<TaskRecord> {
    return getTask(this.services, id);
  }

  /** Claim for `userId` (the actor when absent); `orphans`: a task held by nobody who can act may be given to someone. */
  claim(id: string, userId: string | null, actor: string | null, options: { orphans?: boolean } = {}): Promise<TaskRecord> {
    return claimTask(this.services, id, userId, actor, options);
  }

  unclaim(id: string, actor: string | null): Promise<TaskRecord> {
    return unclaimTask(this.services, id, actor);
  }

  /** Complete a task; when it shows a form, the variables are that form's data and are validated as such. */
  complete(id: string, variables: Variables | undefined, actor: string | null, locale: Locale = 'zh-CN', options: Rescue = {}): Promise<CompletedTask> {
    return completeTask(this.services, id, variables ?? {}, actor, locale, options);
  }

  /** A BPMN error thrown from a user task: the boundary event catching its code takes the flow. */
  throwTaskError(id: string, thrown: { code: string; message: string | null; variables?: Variables }, actor: string | null, options: Rescue = {}): Promise<InstanceView> {
    return throwTaskError(this.services, id, { ...thrown, variables: thrown.variables ?? {} }, actor, options);
  }

  // ---- forms ----------------------------------------------------------------------

  deployForm(definition: FormDefinition, actor: string | null): Promise<FormDeployResult> {
    return deployForm(this.services, definition, actor);
  }

  listForms(filter: { key?: string; latestOnly?: boolean }, page: PageRequest): Promise<Page<FormSummary>> {
    return this.services.store.listForms(filter, page);
  }

  getForm(key: string, version?: number): Promise<FormRecord> {
    return getForm(this.services, key, version);
  }

  taskForm(taskId: string, actor: string | null): Promise<TaskFormView> {
    return getTaskForm(this.services, taskId, actor);
  }

  validateTaskForm(taskId: string, data: unknown, actor: string | null, locale: Locale, mode: ValidationMode = 'submit'): Promise<{ valid: boolean; issues: FieldIssue[] }> {
    return validateTaskForm(this.services, taskId, data, actor, locale, mode);
  }

  saveTaskDraft(taskId: string, data: unknown, actor: string | null, locale: Locale): Promise<DraftRecord> {
    return saveTaskDraft(this.services, taskId, data, actor, locale);
  }

  deleteTaskDraft(taskId: string, actor: string | null): Promise<void> {
    return deleteTaskDraft(this.services, taskId, actor);
  }

  submitTaskForm(taskId: string, data: unknown, actor: string | null, locale: Locale): Promise<CompletedTask> {
    return submitTaskForm(this.services, taskId, data, actor, locale);
  }

  /** Refuse (403) an actor the process does not let start it (wf:starters). */
  demandStart(actor: Actor, processKey: string, version?: number): Promise<void> {
    return demandStart(this.services, actor, processKey, version);
  }

  /** The processes the actor may start (latest versions). */
  startableProcesses(actor: Actor): Promise<StartableProcess[]> {
    return startableProcesses(this.services, actor);
  }

  /** The actor's real-name level and the process that raises it. */
  identity(actor: Actor): Promise<{ level: number; processKey: string | null }> {
    return identityOf(this.services, actor);
  }

  startForm(processKey: string, actor: string | null): Promise<StartFormView> {
    return getStartForm(this.services, processKey, actor);
  }

  validateStartForm(processKey: string, data: unknown, actor: string | null, locale: Locale, mode: ValidationMode = 'submit'): Promise<{ valid: boolean; issues: FieldIssue[] }> {
    return validateStartForm(this.services, processKey, data, actor, locale, mode);
  }

  saveStartDraft(processKey: string, data: unknown, actor: string | null, locale: Locale): Promise<DraftRecord> {
    return saveStartDraft(this.services, processKey, data, actor, locale);
  }

  deleteStartDraft(processKey: string, actor: string | null): Promise<void> {
    return deleteStartDraft(this.services, processKey, actor);
  }

  submitStartForm(processKey: string, request: { data: unknown; businessKey?: string | null }, actor: string | null, locale: Locale): Promise<InstanceView> {
    return submitStartForm(this.services, processKey, request, actor, locale);
  }

  listDictionaries(): Promise<DictionaryRecord[]> {
    return this.services.store.listDictionaries();
  }

  getDictionary(key: string): Promise<DictionaryRecord> {
    return getDictionary(this.services, key);
  }

  putDictionary(key: string, input: DictionaryInput, expectedRev: number | undefined, actor: string | null): Promise<DictionaryRecord> {
    return putDictionary(this.services, key, input, expectedRev, actor);
  }

  uploadFile(request: UploadRequest, actor: string | null): Promise<FileRecord> {
    return uploadFile(this.services, request, actor);
  }

  /** Delete uploads never bound to a case whose time ran out; how many went. */
  expireUploads(now: number): Promise<number> {
    return expireUploads(this.services, now);
  }

  readFile(id: string, actor: string | null): Promise<{ record: FileRecord; bytes: Buffer }> {
    return readFile(this.services, id, actor);
  }

  fileRecord(id: string, actor: string | null): Promise<FileRecord> {
    return fileRecord(this.services, id, actor);
  }

  // ---- messages, signals, incidents ----------------------------------------------------

  /** The case a connector's notice concerns: by business key, among the processes it serves. */
  findCase(businessKey: string, select: CaseSelection): Promise<CaseSnapshot | null> {
    return findCase(this.services, businessKey, select);
  }

  correlate(request: MessageRequest, actor: string | null): Promise<DeliveryResult> {
    return correlateMessage(this.services, request, actor);
  }

  signal(request: { name: string; variables?: Variables }, actor: string | null): Promise<DeliveryResult> {
    return broadcastSignal(this.services, request, actor);
  }

  listIncidents(filter: IncidentFilter, page: PageRequest): Promise<Page<IncidentRecord>> {
    return this.services.store.listIncidents(filter, page);
  }

  retryIncident(id: string, actor: string | null): Promise<IncidentRecord> {
    return retryIncident(this.services, id, actor);
  }

  /** Give up a dead letter: the task goes on without its effect, or the case is cancelled. */
  cancelFailedJob(id: string, request: CancelJobRequest, actor: string | null): Promise<JobRecord> {
    return cancelFailedJob(this.services, id, request, actor);
  }
}
