/**
 * Tasks as a person may work with them: the inbox within one's data scope,
 * claiming, completing (one by one or in a batch) with the node's form,
 * drafts, and the inbox operations — transfer, delegate, add a signer,
 * return, urge — and one's own notices with their receipts. Every method takes
 * the acting person and checks the permission and the task: its holder, a
 * candidate, or someone who may reassign it in their scope.
 */
import type { FieldIssue, ValidationMode } from '../../../forms/index.ts';
import { randomUUID } from 'node:crypto';
import { WorkflowError, type Locale } from '../errors.ts';
import type { DraftRecord, NoticeKind, NoticeRecord, Page, PageRequest, TaskRecord, Variables } from '../model.ts';
import { demandAssign, demandHandle, demandTaskVisible, visibilityOf } from '../org/access.ts';
import { can, demand, type Actor } from '../org/actor.ts';
import { ConflictError, type TaskFilter } from '../ports.ts';
import { addSigner, handOver, returnTargets, returnTask, urgeTask } from '../usecases/inbox.ts';
import type { CompletedTask, InstanceView, TaskFormView, Workflow } from '../workflow.ts';

/** One item of a batch: its outcome, or the error it met (in the catalogue's terms). */
export type BatchOutcome = { taskId: string; ok: true; task: TaskRecord } | { taskId: string; ok: false; error: WorkflowError };

export class TasksApi {
  constructor(private readonly workflow: Workflow) {}

  get #services() {
    return this.workflow.services;
  }

  async #visible(actor: Actor, id: string): Promise<TaskRecord> {
    demand(actor, 'task:read');
    const task = await this.workflow.getTask(id);
    demandTaskVisible(actor, task);
    return task;
  }

  /** The task, when the actor may act on it as its handler. */
  async #handled(actor: Actor, id: string): Promise<TaskRecord> {
    demand(actor, 'task:handle');
    const task = await this.workflow.getTask(id);
    demandHandle(actor, task);
    return task;
  }

  /**
   * May the actor complete the task (or throw from it)? Its holder or a candidate may. Asked for
   * (`rescue`), an admin (instance:manage) may also act on a task someone else holds — a user who
   * left, or who does not exist —, recorded on the case as such (the route's audit keeps who).
   */
  async #handledOrRescued(actor: Actor, id: string, wanted: boolean): Promise<{ rescue: boolean }> {
    if (!wanted) {
      await this.#handled(actor, id);
      return { rescue: false };
    }
    demand(actor, 'instance:manage');
    await this.#visible(actor, id);
    return { rescue: true };
  }

  /** The task, when the actor holds it or may reassign it (task:assign over it). */
  async #heldOrAssignable(actor: Actor, id: string): Promise<TaskRecord> {
    demand(actor, 'task:handle');
    const task = await this.#visible(actor, id);
    if (task.assignee !== actor.id) demandAssign(actor, task);
    return task;
  }

  list(actor: Actor, filter: Omit<TaskFilter, 'visibleTo' | 'now'>, page: PageRequest): Promise<Page<TaskRecord>> {
    demand(actor, 'task:read');
    return this.workflow.listTasks({ ...filter, visibleTo: visibilityOf(actor) }, page);
  }

  get(actor: Actor, id: string): Promise<TaskRecord> {
    return this.#visible(actor, id);
  }

  /** Claim for oneself (a candidate), or give it to someone (task:assign over it) — also a task held by a user who does not exist. */
  async claim(actor: Actor, id: string, userId: string | null): Promise<TaskRecord> {
    if (userId && userId !== actor.id) {
      demand(actor, 'task:handle');
      demandAssign(actor, await this.#visible(actor, id));
      return this.workflow.claim(id, userId, actor.id, { orphans: true });
    }
    await this.#handled(actor, id);
    return this.workflow.claim(id, userId, actor.id);
  }

  async unclaim(actor: Actor, id: string): Promise<TaskRecord> {
    await this.#heldOrAssignable(actor, id);
    return this.workflow.unclaim(id, actor.id);
  }

  async complete(actor: Actor, id: string, variables: Variables | undefined, locale: Locale, rescue = false): Promise<CompletedTask> {
    return this.workflow.complete(id, variables, actor.id, locale, await this.#handledOrRescued(actor, id, rescue));
  }

  /** A BPMN error thrown from the task by whoever may complete it (Camunda's task bpmnError). */
  async throwError(actor: Actor, id: string, thrown: { code: string; message: string | null; variables?: Variables }, rescue = false): Promise<InstanceView> {
    return this.workflow.throwTaskError(id, thrown, actor.id, await this.#handledOrRescued(actor, id, rescue));
  }

  /** Several at once, each on its own as `complete` would; a failure is reported for its item and stops nothing else. */
  async completeBatch(actor: Actor, items: Array<{ taskId: string; variables?: Variables }>, locale: Locale): Promise<BatchOutcome[]> {
    demand(actor, 'task:handle');
    const outcomes: BatchOutcome[] = [];
    for (const item of items) {
      try {
        const { task } = await this.complete(actor, item.taskId, item.variables, locale);
        outcomes.push({ taskId: item.taskId, ok: true, task });
      } catch (err) {
        const error = asWorkflowError(err);
        if (error.code === 'WF_ERR_INTERNAL') this.#services.logger.error({ errorId: (error.context as { errorId: string }).errorId, err: err instanceof Error ? err.stack : String(err), taskId: item.taskId }, 'batch completion failed');
        outcomes.push({ taskId: item.taskId, ok: false, error });
      }
    }
    return outcomes;
  }

  // ---- the node's form ---------------------------------------------------------------

  async form(actor: Actor, id: string): Promise<TaskFormView> {
    await this.#visible(actor, id);
    return this.workflow.taskForm(id, actor.id);
  }

  async validateForm(actor: Actor, id: string, data: unknown, locale: Locale, mode: ValidationMode): Promise<{ valid: boolean; issues: FieldIssue[] }> {
    await this.#handled(actor, id);
    return this.workflow.validateTaskForm(id, data, actor.id, locale, mode);
  }

  async saveDraft(actor: Actor, id: string, data: unknown, locale: Locale): Promise<DraftRecord> {
    await this.#handled(actor, id);
    return this.workflow.saveTaskDraft(id, data, actor.id, locale);
  }

  deleteDraft(actor: Actor, id: string): Promise<void> {
    demand(actor, 'task:handle');
    return this.workflow.deleteTaskDraft(id, actor.id);
  }

  async submitForm(actor: Actor, id: string, data: unknown, locale: Locale): Promise<CompletedTask> {
    await this.#handled(actor, id);
    return this.workflow.submitTaskForm(id, data, actor.id, locale);
  }

  // ---- inbox operations ---------------------------------------------------------------

  /** Transfer (转办) or delegate (委派): its holder may, anyone else needs task:assign over it. */
  async handOver(actor: Actor, id: string, mode: 'transfer' | 'delegate', userId: string, reason: string | null): Promise<TaskRecord> {
    await this.#heldOrAssignable(actor, id);
    return handOver(this.#services, id, userId, mode, reason, actor.id);
  }

  async addSigner(actor: Actor, id: string, userId: string, position: 'before' | 'after'): Promise<{ task: TaskRecord; added: TaskRecord | null }> {
    await this.#heldOrAssignable(actor, id);
    return addSigner(this.#services, id, userId, position, actor.id);
  }

  /** The nodes this task may be returned to now (for the one who may handle it). */
  async returnTargets(actor: Actor, id: string): Promise<Array<{ activityId: string; name: string | null }>> {
    await this.#handled(actor, id);
    return returnTargets(this.#services, id);
  }

  async returnTask(actor: Actor, id: string, to: string | null, reason: string): Promise<TaskRecord> {
    await this.#handled(actor, id);
    return returnTask(this.#services, id, to, reason, actor.id);
  }

  /** Urge (催办): the case's initiator may, and supervisors (task:urge) with the task in scope. */
  async urge(actor: Actor, id: string, note: string | null): Promise<{ notified: string[] }> {
    const task = await this.workflow.getTask(id);
    const instance = await this.#services.store.getInstance(task.instanceId);
    if (instance?.startedBy !== actor.id) {
      if (!can(actor, 'task:urge')) throw new WorkflowError('WF_ERR_FORBIDDEN', { permission: 'task:urge' });
      demandTaskVisible(actor, task);
    }
    return urgeTask(this.#services, task.id, note, actor.id);
  }

  // ---- one's notices ---------------------------------------------------------------------

  /** The actor's notices, newest first, with the unread count; listing them is their delivery receipt. */
  async notices(actor: Actor, filter: { unread?: boolean; kind?: NoticeKind }, page: PageRequest): Promise<Page<NoticeRecord> & { unread: number }> {
    const { store, clock } = this.#services;
    const listed = await store.listNotices(actor.id, filter, page);
    await store.markDelivered(listed.items.filter((n) => n.deliveredAt === null).map((n) => n.id), clock.now());
    return listed;
  }

  /** The read receipt, or signing for it (签收: its body shows from then on). */
  async markNotice(actor: Actor, id: string, mark: 'read' | 'signed'): Promise<void> {
    const { store, clock } = this.#services;
    if (!(await store.markNotice(id, actor.id, mark, clock.now()))) throw new WorkflowError('WF_ERR_NOTICE_NOT_FOUND', { noticeId: id });
  }
}

/** A failure in the catalogue's terms: a lost race is a conflict, anything unforeseen an internal error with a reference. */
function asWorkflowError(err: unknown): WorkflowError {
  if (err instanceof WorkflowError) return err;
  if (err instanceof ConflictError) return new WorkflowError('WF_ERR_CONCURRENT_MODIFICATION', { entity: err.entity, id: err.id });
  return new WorkflowError('WF_ERR_INTERNAL', { errorId: randomUUID() });
}
