/**
 * A step: one unit of work on one or more instances (a parent and the child it
 * calls), committed in ONE transaction — instance state, tasks, timers, jobs,
 * subscriptions, history. Either everything of the step lands or nothing does.
 *
 * Actions (complete a task, fire a timer, deliver a message …) act on the loaded
 * engines; `settle` then reconciles what each engine now waits for with what it
 * waited for before (opening tasks, timers, jobs, subscriptions, child
 * instances); `commit` writes the net difference, guarded by the revision each
 * instance was loaded at.
 */
import { nearDueAt } from '../calendar/due-state.ts';
import { addDuration, ALWAYS, type WorkingCalendar } from '../calendar/working-calendar.ts';
import { WorkflowError } from '../errors.ts';
import { ExpressionError } from '../expressions/index.ts';
import type { HistoryEvent, IncidentRecord, InstanceRecord, JobRecord, NoticeRecord, SignState, SubscriptionRecord, TaskRecord, Variables, Wait } from '../model.ts';
import { parseRules, resolveRules } from '../org/assignee-rules.ts';
import type { SignRule, UserTaskModel } from '../../../definitions/bpmn/process-model.ts';
import { signerRow, taskRows } from './countersign.ts';
import { notice } from '../notices.ts';
import { clocksOf, slaRow, type SlaRow, type SlaTable } from '../calendar/sla.ts';
import { ConflictError, type Clock, type Store, type Write } from '../ports.ts';
import type { CompiledDefinition } from './compiled-definition.ts';
import type { DefinitionRegistry } from './definition-registry.ts';
import type { InstanceCache } from './instance-cache.ts';
import type { OrgDirectory } from '../org/directory.ts';
import { EngineFailure, LiveInstance, type ElementContent, type WaitingElement } from './live-instance.ts';
import { evaluateMappings } from './variable-mappings.ts';

export interface StepDeps {
  store: Store;
  clock: Clock;
  definitions: DefinitionRegistry;
  cache: InstanceCache;
  forms: { latestVersion(key: string): Promise<number | null> };
  calendars: { get(key: string): WorkingCalendar | undefined };
  /** The organisation, for a case's department and the assignee rules; none: rules that need it resolve to nobody. */
  org: OrgDirectory | null;
  slas: { get(key: string): SlaTable | undefined };
  newId(): string;
  /** Called after a commit that created jobs or due timers, so a scheduler can look now. */
  onWork?: (() => void) | null;
}

export interface StepInstance {
  /** Null once the instance is no longer running. */
  live: LiveInstance | null;
  /** The committed row the step started from; null for an instance created by this step. */
  before: InstanceRecord | null;
  record: InstanceRecord;
  /** Rows to write for waits first seen in this step, if they are still there at commit. */
  opened: Map<string, { writes: Write[]; history: HistoryEvent[] }>;
  /** Waits this step satisfied (completed task, fired timer, finished job …). */
  done: Set<string>;
  /** Who held each task this step completes, as read: a claim committed in between makes the step lose. */
  heldBy: Map<string, string | null>;
  dirty: boolean;
  /** Loaded from the engine cache: possibly behind the database (a commit will tell). */
  fromCache: boolean;
  /** Waits that left and came back under the same key at another activity (a return): their rows are new. */
  reopened?: Set<string>;
}

/** A task's SLA table, the row its case picks, and that row's calendar. */
export interface Sla {
  table: SlaTable;
  row: SlaRow;
  calendar: WorkingCalendar;
}

export const waitKey = (w: { kind: string; executionId: string }) => `${w.kind}:${w.executionId}`;

const DEFAULT_PRIORITY = 50;

export class Step {
  readonly now: number;
  readonly #touched = new Map<string, StepInstance>();
  readonly #writes: Write[] = [];
  readonly #history: HistoryEvent[] = [];
  /** `instanceId:activityId` → who the next task there goes to (a returned case goes back to its last handler). */
  readonly #assignOnOpen = new Map<string, string>();

  constructor(
    private readonly deps: StepDeps,
    readonly actor: string | null,
  ) {
    this.now = deps.clock.now();
  }

  newId(): string {
    return this.deps.newId();
  }

  /** Notices made by the step carry its time. */
  readonly #noticeSource = { newId: () => this.deps.newId(), clock: { now: () => this.now } };

  /** Extra writes of the step (a buffered message consumed, an incident …). */
  write(...writes: Write[]): void {
    this.#writes.push(...writes);
  }

  record(event: Omit<HistoryEvent, 'at' | 'actor'> & { actor?: string | null }): void {
    this.#history.push({ at: this.now, actor: this.actor, ...event });
  }

  get touched(): StepInstance[] {
    return [...this.#touched.values()];
  }

  // ---- loading and creating ------------------------------------------------------

  /**
   * Load an instance into the step. `engine: false` skips recovering its engine,
   * for steps that only need its rows (cancelling), so even an instance whose
   * engine cannot be loaded can still be cancelled.
   */
  async load(instanceId: string, options: { engine?: boolean } = {}): Promise<StepInstance> {
    const known = this.#touched.get(instanceId);
    if (known) return known;
    const cached = this.deps.cache.take(instanceId);
    let record: InstanceRecord;
    let live: LiveInstance | null = null;
    if (cached) {
      record = cached.record;
      live = cached.live;
    } else {
      const stored = await this.deps.store.getInstance(instanceId);
      if (!stored) throw new WorkflowError('WF_ERR_INSTANCE_NOT_FOUND', { instanceId });
      record = stored;
      if (record.state === 'running' && record.engineState && options.engine !== false) {
        const definition = await this.deps.definitions.get(record.definitionId);
        live = new LiveInstance(definition, LiveInstance.readStartEvent(record.engineState), structuredClone(record.variables), this.#scope(record));
        await this.#guard(() => live!.recover(record.engineState!));
      }
    }
    const touched: StepInstance = { live, before: record, record: { ...record }, opened: new Map(), done: new Set(), heldBy: new Map(), dirty: true, fromCache: cached !== undefined };
    this.#touched.set(instanceId, touched);
    return touched;
  }

  async create(
    definition: CompiledDefinition,
    options: { variables: Variables; businessKey: string | null; startEventId: string | null; parent?: { instanceId: string; executionId: string } },
  ): Promise<StepInstance> {
    const record: InstanceRecord = {
      id: this.deps.newId(),
      definitionId: definition.id,
      processKey: definition.identity.key,
      version: definition.identity.version,
      businessKey: options.businessKey,
      state: 'running',
      parentId: options.parent?.instanceId ?? null,
      parentExecutionId: options.parent?.executionId ?? null,
      startedAt: this.now,
      startedBy: this.actor,
      departmentId: options.parent ? (this.#touched.get(options.parent.instanceId)?.record.departmentId ?? null) : await this.#departmentOf(this.actor),
      endedAt: null,
      updatedAt: this.now,
      rev: 0,
      engineState: null,
      variables: {},
      waits: [],
    };
    const live = new LiveInstance(definition, options.startEventId, { ...options.variables }, this.#scope(record));
    const touched: StepInstance = { live, before: null, record, opened: new Map(), done: new Set(), heldBy: new Map(), dirty: true, fromCache: false };
    this.#touched.set(record.id, touched);
    this.record({ instanceId: record.id, kind: 'instance.start', data: { processKey: record.processKey, version: record.version, businessKey: record.businessKey } });
    const supervision = definition.model.supervision;
    if (supervision && !options.parent) {
      const calendar = supervision.calendar ? this.#calendar(supervision.calendar) : ALWAYS;
      this.write({
        type: 'timer.insert',
        record: { id: this.deps.newId(), instanceId: record.id, definitionId: definition.id, activityId: definition.model.id, executionId: null, kind: 'clock', spec: JSON.stringify({ action: 'supervise' }), dueAt: addDuration(calendar, this.now, `P${supervision.days}D`), attempts: 0, lastError: null, createdAt: this.now },
      });
    }
    await this.#guard(() => live.start());
    return touched;
  }

  async #departmentOf(userId: string | null): Promise<string | null> {
    if (!userId || !this.deps.org) return null;
    return (await this.deps.org.org()).primaryDepartment(userId);
  }

  /** Run an engine action; engine failures become clear 4xx errors and the step is abandoned. */
  /**
   * Answer a wait (complete a task, deliver a message …). The engine must still
   * hold it; if it does not, the step works on stale state: re-run on fresh state.
   */
  async answer(touched: StepInstance, wait: Wait, action: (live: LiveInstance) => boolean): Promise<void> {
    touched.done.add(waitKey(wait));
    const answered = await this.act(touched, action);
    if (!answered) throw new ConflictError('instance', touched.record.id);
  }

  /**
   * The wait a row (task, timer, job, subscription) stands for. A cached engine
   * may be behind the row: then re-run the step on fresh state (ConflictError);
   * fresh state without it means the row's moment has passed.
   */
  findWait<K extends Wait['kind']>(touched: StepInstance, kind: K, matches: (w: Extract<Wait, { kind: K }>) => boolean): Extract<Wait, { kind: K }> | null {
    const wait = touched.record.waits.find((w): w is Extract<Wait, { kind: K }> => w.kind === kind && matches(w as Extract<Wait, { kind: K }>));
    if (!wait && touched.fromCache) throw new ConflictError('instance', touched.record.id);
    return wait ?? null;
  }

  async act<T>(touched: StepInstance, action: (live: LiveInstance) => T | Promise<T>): Promise<T> {
    const live = touched.live;
    if (!live) throw new WorkflowError('WF_ERR_INSTANCE_NOT_RUNNING', { instanceId: touched.record.id, state: touched.record.state });
    touched.dirty = true;
    return this.#guard(() => action(live));
  }

  /**
   * Move a running instance to another version of its process: its engine
   * state, with waiting activities renamed by `renames`, is recovered on the
   * target. Returns the waits the instance would have there; the caller checks
   * them before committing (a migration must not change what the case waits for).
   */
  async migrate(touched: StepInstance, target: CompiledDefinition, renames: ReadonlyMap<string, string>): Promise<WaitingElement[]> {
    const live = touched.live;
    if (!live) throw new WorkflowError('WF_ERR_INSTANCE_NOT_RUNNING', { instanceId: touched.record.id, state: touched.record.state });
    const record = touched.record;
    const startEventId = live.startEventId && target.model.elements[live.startEventId] ? live.startEventId : null;
    const moved = new LiveInstance(target, startEventId, live.variables, this.#scope(record));
    await this.#guard(() => moved.recover(LiveInstance.renameState(live.saveState(), renames)));
    const activities = [...new Set(record.waits.map((w) => w.activityId))].map((from) => {
      const to = renames.get(from) ?? from;
      return { from, to, name: target.model.userTasks[to]?.name ?? target.model.names[to] ?? null };
    });
    this.write({ type: 'instance.migrate', instanceId: record.id, definitionId: target.id, version: target.identity.version, activities });
    this.record({ instanceId: record.id, kind: 'instance.migrate', data: { fromVersion: record.version, toVersion: target.identity.version, ...(renames.size && { mapping: Object.fromEntries(renames) }) } });
    record.definitionId = target.id;
    record.version = target.identity.version;
    record.waits = record.waits.map((w) => ({ ...w, activityId: renames.get(w.activityId) ?? w.activityId }));
    touched.live = moved;
    touched.dirty = true;
    return moved.waiting();
  }

  /**
   * Return a case to an earlier user task: the engine is recovered with the
   * waiting task renamed to `target`, so the case re-enters it as if it flowed
   * there, and the task's rows are cancelled. The new task goes to `assignTo`
   * (who handled it last time) when given.
   */
  async moveBack(touched: StepInstance, wait: Extract<Wait, { kind: 'task' }>, target: string, assignTo: string | null): Promise<void> {
    const live = touched.live!;
    const moved = new LiveInstance(live.definition, live.startEventId, live.variables, this.#scope(touched.record));
    await this.#guard(() => moved.recover(LiveInstance.renameState(live.saveState(), new Map([[wait.activityId, target]]))));
    touched.live = moved;
    touched.record.waits = touched.record.waits.filter((w) => w !== wait);
    (touched.reopened ??= new Set()).add(waitKey(wait));
    if (assignTo) this.#assignOnOpen.set(`${touched.record.id}:${target}`, assignTo);
    // The node left keeps no clocks; the node re-entered gets its own (set now, so they stay).
    if (live.definition.model.userTasks[wait.activityId]?.sla) this.write({ type: 'timer.clocks-delete', instanceId: touched.record.id, executionId: wait.executionId, before: this.now });
    for (const taskId of taskRows(wait)) {
      this.write({ type: 'task.end', id: taskId, state: 'cancelled', at: this.now, by: this.actor, candidates: wait.candidates === true });
    }
    touched.dirty = true;
  }

  cancel(touched: StepInstance, reason: string | null): void {
    if (touched.record.state !== 'running') return;
    touched.record.state = 'cancelled';
    touched.record.endedAt = this.now;
    touched.dirty = true;
    this.record({ instanceId: touched.record.id, kind: 'instance.cancel', data: reason ? { reason } : null });
  }

  // ---- settling ---------------------------------------------------------------------

  /** Reconcile every touched instance with its engine until nothing moves any more. */
  async settle(): Promise<void> {
    for (let round = 0; ; round++) {
      const dirty = this.touched.filter((t) => t.dirty);
      if (!dirty.length) return;
      if (round > 1000) throw new Error('step does not settle');
      for (const t of dirty) await this.#settle(t);
    }
  }

  async #settle(t: StepInstance): Promise<void> {
    t.dirty = false;
    const running = t.record.state === 'running' && t.live !== null;
    const current = running ? t.live!.waiting() : [];
    const previous = new Map(t.record.waits.map((w) => [waitKey(w), w]));
    const next: Wait[] = [];
    for (const element of current) {
      const key = waitKey(element);
      const existing = previous.get(key);
      if (existing) {
        next.push(existing);
        previous.delete(key);
        continue;
      }
      const opened = await this.#open(t, element);
      if (opened) next.push(opened);
    }
    t.record.waits = next;
    for (const gone of previous.values()) {
      // A call activity left without its child finishing (interrupted, cancelled): cancel the child.
      if (gone.kind === 'call' && !t.done.has(waitKey(gone))) {
        const child = await this.load(gone.childInstanceId, { engine: false });
        this.cancel(child, 'parent moved on');
      }
    }
    if (running && t.live!.ended && !t.dirty) await this.#complete(t);
  }

  async #open(t: StepInstance, element: WaitingElement): Promise<Wait | null> {
    const live = t.live!;
    const instanceId = t.record.id;
    const key = waitKey(element);
    const rows = { writes: [] as Write[], history: [] as HistoryEvent[] };
    const at = { at: this.now, actor: this.actor, instanceId };
    switch (element.kind) {
      case 'task': {
        if (element.content.type === 'bpmn:ManualTask') {
          // Camunda passes through manual tasks; bpmn-elements waits on them.
          await this.act(t, (l) => l.signal(element.executionId, {}));
          return null;
        }
        const model = live.definition.model.userTasks[element.activityId];
        const form = model?.form;
        const formVersion = form ? (form.version ?? (await this.deps.forms.latestVersion(form.key))) : null;
        const sla = model?.sla ? this.slaOf(live, model) : null;
        const task = this.#newTask(t, element.activityId, element.executionId, element.content, formVersion, sla);
        if (model?.assignees) {
          const outcome = await this.#assign(t, task, model, element.content);
          if (outcome === 'skip') {
            this.record({ instanceId, kind: 'task.skip', activityId: element.activityId, data: { name: task.name, assignment: task.assignment } });
            await this.act(t, (l) => l.signal(element.executionId, {}));
            return null;
          }
          if (outcome === 'incident') {
            const incident = this.#unassignedIncident(task);
            rows.writes.push({ type: 'incident.insert', record: incident });
            rows.history.push({ ...at, kind: 'incident.open', activityId: task.activityId, taskId: task.id, data: { incidentId: incident.id, kind: 'task', message: incident.message } });
          }
        }
        const returnedTo = this.#assignOnOpen.get(`${instanceId}:${element.activityId}`);
        const sign = model && model.sign.mode !== 'or' && task.assignment && !task.assignment.fallback && !returnedTo ? this.#signState(task, model.sign) : null;
        if (returnedTo && !sign) Object.assign(task, { assignee: returnedTo, candidateUsers: [], candidateGroups: [] });
        const tasks = sign ? sign.open.map((o, i) => (i === 0 ? { ...task, assignee: o.userId, candidateUsers: [] } : signerRow(task, o.taskId, o.userId, this.now))) : [task];
        const notices: NoticeRecord[] = [];
        for (const row of tasks) {
          rows.writes.push({ type: 'task.insert', record: row });
          // 待办: to its holder, or to each candidate named.
          const title = `待办：${row.name ?? row.activityId}${t.record.businessKey ? `（${t.record.businessKey}）` : ''}`;
          for (const userId of row.assignee ? [row.assignee] : row.candidateUsers) notices.push(notice(this.#noticeSource, userId, 'task', title, null, { instanceId, taskId: row.id, channels: model?.notify ?? [] }));
          rows.history.push({ ...at, kind: 'task.create', activityId: row.activityId, taskId: row.id, data: { name: row.name, assignee: row.assignee, ...(row.assignment && { assignment: row.assignment }), ...(sign && { sign: sign.mode }) } });
        }
        if (notices.length) rows.writes.push({ type: 'notice.insert', records: notices });
        if (sla && task.dueAt !== null) rows.writes.push(...this.clockTimers(t.record, element.activityId, element.executionId, sla, task.createdAt, task.dueAt, new Set()));
        t.opened.set(key, rows);
        const candidates = !sign && task.candidateUsers.length + task.candidateGroups.length > 0;
        return { kind: 'task', activityId: element.activityId, executionId: element.executionId, taskId: task.id, ...(candidates && { candidates: true as const }), ...(sign && { sign }) };
      }
      case 'timer': {
        const timerId = this.deps.newId();
        rows.writes.push({
          type: 'timer.insert',
          record: { id: timerId, instanceId, definitionId: t.record.definitionId, activityId: element.activityId, executionId: element.executionId, kind: 'event', spec: element.spec, dueAt: element.dueAt, attempts: 0, lastError: null, createdAt: this.now },
        });
        t.opened.set(key, rows);
        return { kind: 'timer', activityId: element.activityId, executionId: element.executionId, timerId, dueAt: element.dueAt };
      }
      case 'job': {
        const model = live.definition.model.serviceTasks[element.activityId];
        const job: JobRecord = {
          id: this.deps.newId(),
          idempotencyKey: `${instanceId}:${element.executionId}`,
          instanceId,
          activityId: element.activityId,
          executionId: element.executionId,
          handler: element.handler,
          input: element.locals,
          state: 'pending',
          attempts: 0,
          maxAttempts: model?.retry.maxAttempts ?? 3,
          backoffMs: model?.retry.backoffMs ?? 10_000,
          runAt: this.now,
          lastError: null,
          createdAt: this.now,
          updatedAt: this.now,
        };
        rows.writes.push({ type: 'job.insert', record: job });
        t.opened.set(key, rows);
        return { kind: 'job', activityId: element.activityId, executionId: element.executionId, jobId: job.id, handler: job.handler };
      }
      case 'message': {
        const model = live.definition.model.messageCatches[element.activityId];
        const name = model?.messageName ?? String((element.content.message as { name?: string } | undefined)?.name ?? element.activityId);
        const correlationKey = model?.correlationKey
          ? this.#evaluate(live, element.activityId, model.correlationKey, element.content, (v) => toText(v, 255))
          : t.record.businessKey;
        const buffered = (await this.deps.store.findBufferedMessages(name, correlationKey, this.now))[0];
        if (buffered) {
          this.write({ type: 'message.delete', id: buffered.id });
          this.record({ instanceId, kind: 'message.receive', activityId: element.activityId, data: { name, correlationKey, buffered: true } });
          Object.assign(live.variables, buffered.variables);
          t.done.add(key);
          await this.act(t, (l) => l.signal(element.executionId, buffered.variables));
          return null;
        }
        const subscriptionId = this.deps.newId();
        rows.writes.push({
          type: 'subscription.insert',
          record: { id: subscriptionId, instanceId, definitionId: t.record.definitionId, kind: 'message', name, correlationKey, activityId: element.activityId, executionId: element.executionId, createdAt: this.now },
        });
        t.opened.set(key, rows);
        return { kind: 'message', activityId: element.activityId, executionId: element.executionId, subscriptionId, name, correlationKey };
      }
      case 'signal': {
        const name = live.definition.model.signalCatches[element.activityId]?.signalName ?? element.activityId;
        const subscriptionId = this.deps.newId();
        rows.writes.push({
          type: 'subscription.insert',
          record: { id: subscriptionId, instanceId, definitionId: t.record.definitionId, kind: 'signal', name, correlationKey: null, activityId: element.activityId, executionId: element.executionId, createdAt: this.now },
        });
        t.opened.set(key, rows);
        return { kind: 'signal', activityId: element.activityId, executionId: element.executionId, subscriptionId, name };
      }
      case 'call': {
        const child = await this.#startChild(t, element.activityId, element.executionId, element.content);
        return { kind: 'call', activityId: element.activityId, executionId: element.executionId, childInstanceId: child.record.id };
      }
    }
  }

  #newTask(t: StepInstance, activityId: string, executionId: string, content: ElementContent, formVersion: number | null, sla: Sla | null): TaskRecord {
    const live = t.live!;
    const model = live.definition.model.userTasks[activityId];
    const evaluate = <T>(text: string | null | undefined, convert: (v: unknown) => T, fallback: T): T =>
      text ? this.#evaluate(live, activityId, text, content, convert) : fallback;
    const calendar = sla?.calendar ?? evaluate(model?.calendar, (v) => this.#calendar(v), ALWAYS);
    const dueAt = sla ? addDuration(sla.calendar, this.now, sla.row.duration) : evaluate(model?.dueDate, (v) => toDueAt(v, this.now, calendar), null);
    return {
      id: this.deps.newId(),
      instanceId: t.record.id,
      definitionId: t.record.definitionId,
      processKey: t.record.processKey,
      businessKey: t.record.businessKey,
      departmentId: t.record.departmentId,
      activityId,
      executionId,
      name: model?.name ?? live.definition.model.names[activityId] ?? null,
      state: 'active',
      assignee: evaluate(model?.assignee, toUserId, null),
      candidateUsers: evaluate(model?.candidateUsers, toList, []),
      candidateGroups: evaluate(model?.candidateGroups, toList, []),
      formKey: model?.form ? model.form.key : evaluate(model?.formKey, (v) => toText(v, 255), null),
      formVersion,
      priority: evaluate(model?.priority, toPriority, DEFAULT_PRIORITY),
      dueAt,
      nearDueAt: dueAt === null ? null : nearDueAt(calendar, this.now, dueAt),
      createdAt: this.now,
      claimedAt: null,
      endedAt: null,
      endedBy: null,
      assignment: null,
      owner: null,
    };
  }

  /**
   * Resolve the task's assignee rules against the organisation and record how.
   * Nobody found: the admins become candidates, the task is skipped, or (the
   * default) it waits for an admin with an incident that says why.
   */
  async #assign(t: StepInstance, task: TaskRecord, model: UserTaskModel, content: ElementContent): Promise<'assigned' | 'skip' | 'incident'> {
    const live = t.live!;
    const text = this.#evaluate(live, task.activityId, model.assignees!, content, (v) => toText(v, 1000) ?? '');
    let rules;
    try {
      rules = parseRules(text);
    } catch (err) {
      throw new WorkflowError('WF_ERR_EXPRESSION', { elementId: task.activityId, expression: model.assignees!, detail: (err as Error).message });
    }
    const org = this.deps.org ? await this.deps.org.org() : null;
    const { users } = org ? resolveRules(rules, org, { initiator: t.record.startedBy, variables: live.variables }) : { users: [] };
    task.assignee = null;
    task.candidateUsers = [];
    task.candidateGroups = [];
    if (users.length) {
      if (users.length === 1 && model.assignMode !== 'candidates') task.assignee = users[0]!;
      else task.candidateUsers = users;
      task.assignment = { rule: text, users };
      return 'assigned';
    }
    if (model.fallback === 'skip') {
      task.assignment = { rule: text, users: [] };
      return 'skip';
    }
    task.candidateUsers = model.fallback === 'admin' && org ? org.usersWithRole('admin') : [];
    // Until an admin assigns it, only admins may take it: a task without candidates would be open to everyone.
    task.candidateGroups = ['admin', 'sysadmin'];
    task.assignment = { rule: text, users: [], fallback: model.fallback === 'admin' ? 'admin' : 'incident' };
    return model.fallback === 'admin' ? 'assigned' : 'incident';
  }

  /** Several signers found: one row each at once (all, share), or the first of them (sequential). */
  #signState(task: TaskRecord, rule: Exclude<SignRule, { mode: 'or' }>): SignState {
    const signers = task.assignment!.users;
    const first = rule.mode === 'sequential' ? signers.slice(0, 1) : signers;
    return {
      mode: rule.mode,
      threshold: rule.mode === 'share' ? rule.threshold : 1,
      signers,
      // The first signer's row is the task made for the node; the others are its copies.
      open: first.map((userId, i) => ({ taskId: i === 0 ? task.id : this.deps.newId(), userId })),
      votes: [],
    };
  }

  /** The SLA table of a task and the row (duration, calendar) the case's variable picks. */
  slaOf(live: LiveInstance, model: UserTaskModel): Sla {
    const table = this.deps.slas.get(model.sla!);
    if (!table) throw new WorkflowError('WF_ERR_STEP_FAILED', { elementId: model.id, detail: `there is no SLA table ${model.sla}` });
    try {
      const row = slaRow(table, live.variables);
      return { table, row, calendar: this.#calendar(row.calendar) };
    } catch (err) {
      throw new WorkflowError('WF_ERR_STEP_FAILED', { elementId: model.id, detail: (err as Error).message });
    }
  }

  /** Timer rows for a task wait's reminder and escalation steps (steps already taken are left out). */
  clockTimers(instance: InstanceRecord, activityId: string, executionId: string, { table, calendar }: Sla, from: number, dueAt: number, taken: ReadonlySet<number>): Write[] {
    return clocksOf(table, calendar, from, dueAt)
      .filter((c) => c.action !== 'escalate' || !taken.has(c.step))
      .map((clock) => ({
        type: 'timer.insert' as const,
        record: { id: this.deps.newId(), instanceId: instance.id, definitionId: instance.definitionId, activityId, executionId, kind: 'clock' as const, spec: JSON.stringify(clock), dueAt: Math.max(clock.at, this.now), attempts: 0, lastError: null, createdAt: this.now },
      }));
  }

  #unassignedIncident(task: TaskRecord): IncidentRecord {
    return {
      id: this.deps.newId(),
      instanceId: task.instanceId,
      activityId: task.activityId,
      executionId: task.executionId,
      kind: 'task',
      refId: task.id,
      message: `任务“${task.name ?? task.activityId}”的办理人规则 ${task.assignment?.rule} 没有找到任何人，请指定办理人`,
      state: 'open',
      createdAt: this.now,
      resolvedAt: null,
      resolvedBy: null,
    };
  }

  /** Evaluate a model attribute; a bad value fails the step naming the element and the expression. */
  #evaluate<T>(live: LiveInstance, elementId: string, text: string, content: ElementContent | null, convert: (v: unknown) => T): T {
    try {
      return convert(live.definition.template(text).evaluate(live.contextFor(content)));
    } catch (err) {
      if (err instanceof WorkflowError) throw err;
      throw new WorkflowError('WF_ERR_EXPRESSION', { elementId, expression: text, detail: (err as Error).message, ...(err instanceof ExpressionError && err.identifier && { identifier: err.identifier }) });
    }
  }

  /** wf:calendar's value: a known calendar's key. */
  #calendar(value: unknown): WorkingCalendar {
    const calendar = typeof value === 'string' ? this.deps.calendars.get(value.trim()) : undefined;
    if (!calendar) throw new Error(`there is no working calendar "${String(value)}"`);
    return calendar;
  }

  /** camunda:in/out expressions fail like any other model expression: naming the call activity. */
  #mapping<T>(elementId: string, evaluate: () => T): T {
    try {
      return evaluate();
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      throw new WorkflowError('WF_ERR_EXPRESSION', { elementId, expression: err.source, detail: err.message, ...(err.identifier && { identifier: err.identifier }) });
    }
  }

  async #startChild(parent: StepInstance, activityId: string, executionId: string, content: ElementContent): Promise<StepInstance> {
    const live = parent.live!;
    const model = live.definition.model.callActivities[activityId];
    if (!model) throw new WorkflowError('WF_ERR_STEP_FAILED', { elementId: activityId, detail: 'call activity without model' });
    let definition: CompiledDefinition;
    try {
      definition = await this.deps.definitions.find(model.calledElement, model.version ?? undefined);
    } catch (err) {
      if (err instanceof WorkflowError && err.code === 'WF_ERR_DEFINITION_NOT_FOUND') {
        throw new WorkflowError('WF_ERR_STEP_FAILED', { elementId: activityId, detail: `called process ${model.calledElement} is not deployed` });
      }
      throw err;
    }
    const startEventId = definition.noneStart;
    if (!startEventId) throw new WorkflowError('WF_ERR_STEP_FAILED', { elementId: activityId, detail: `called process ${model.calledElement} has no none start event` });
    const variables = this.#mapping(activityId, () => evaluateMappings(model.inputs, live.variables, live.contextFor(content), live.definition));
    const businessKey = model.businessKey ? this.#evaluate(live, activityId, model.businessKey, content, (v) => toText(v, 255)) : null;
    return this.create(definition, { variables, businessKey, startEventId, parent: { instanceId: parent.record.id, executionId } });
  }

  async #complete(t: StepInstance): Promise<void> {
    t.record.state = 'completed';
    t.record.endedAt = this.now;
    this.record({ instanceId: t.record.id, kind: 'instance.end' });
    const { parentId, parentExecutionId } = t.record;
    if (!parentId || !parentExecutionId) return;
    const parent = await this.load(parentId);
    if (parent.record.state !== 'running' || !parent.live) return;
    const wait = parent.record.waits.find((w) => w.kind === 'call' && w.executionId === parentExecutionId);
    if (!wait) return;
    const child = t.live!;
    parent.done.add(waitKey(wait));
    // Ended at an error end event: the error goes to the call activity when a boundary there catches it (Camunda).
    const thrown = [...child.events].reverse().find((e) => e.kind === 'activity.end' && child.definition.model.errorEnds[e.activityId]);
    const error = thrown && child.definition.model.errorEnds[thrown.activityId]!;
    const catchers = parent.live.definition.model.errorBoundaries[wait.activityId] ?? [];
    if (error && (catchers.includes(error.code) || catchers.includes(null))) {
      await this.act(parent, (l) => l.throwError(parentExecutionId, error.code, error.message ?? error.code));
      return;
    }
    const model = parent.live.definition.model.callActivities[wait.activityId];
    const outputs = model ? this.#mapping(wait.activityId, () => evaluateMappings(model.outputs, child.variables, child.contextFor(null), child.definition)) : {};
    Object.assign(parent.live.variables, outputs);
    await this.act(parent, (l) => l.signal(parentExecutionId, outputs));
  }

  // ---- committing -------------------------------------------------------------------

  writes(): Write[] {
    const writes: Write[] = [];
    const instances: Array<Extract<Write, { type: 'instance.insert' | 'instance.update' }>> = [];
    const history: HistoryEvent[] = [...this.#history];
    for (const t of this.#touched.values()) {
      const { record, before, live } = t;
      const running = record.state === 'running' && live !== null;
      if (live) {
        record.variables = JSON.parse(JSON.stringify(live.variables)) as Variables;
        for (const e of live.events) history.push({ instanceId: record.id, at: e.at, actor: this.actor, kind: e.kind, activityId: e.activityId });
        live.events = [];
      }
      history.push(...variableChanges(record.id, before?.variables ?? {}, record.variables, this.now, this.actor));
      const previous = new Map((before?.waits ?? []).map((w) => [waitKey(w), w]));
      const current = new Set(record.waits.map(waitKey));
      for (const w of record.waits) {
        const opened = previous.has(waitKey(w)) && !t.reopened?.has(waitKey(w)) ? undefined : t.opened.get(waitKey(w));
        if (opened) {
          writes.push(...opened.writes);
          history.push(...opened.history);
        }
      }
      for (const [key, w] of previous) if (!current.has(key)) this.#closeWrites(t, w, t.done.has(key), writes, history);
      record.rev = (before?.rev ?? 0) + 1;
      record.updatedAt = this.now;
      record.engineState = running ? live.saveState() : null;
      instances.push(before ? { type: 'instance.update', record, expectedRev: before.rev } : { type: 'instance.insert', record });
    }
    // Rows locked in one order by every step: two steps on a parent and its child cannot deadlock.
    instances.sort((a, b) => (a.record.id < b.record.id ? -1 : 1));
    writes.unshift(...instances);
    writes.push(...this.#writes);
    // An instance's end reads best after what led to it.
    const last = (e: HistoryEvent) => (e.kind === 'instance.end' || e.kind === 'instance.cancel' ? 1 : 0);
    history.sort((a, b) => last(a) - last(b));
    if (history.length) writes.push({ type: 'history', events: history });
    return writes;
  }

  #closeWrites(t: StepInstance, w: Wait, done: boolean, writes: Write[], history: HistoryEvent[]): void {
    const instanceId = t.record.id;
    switch (w.kind) {
      case 'task':
        if (t.live?.definition.model.userTasks[w.activityId]?.sla) writes.push({ type: 'timer.clocks-delete', instanceId, executionId: w.executionId, before: this.now + 1 });
        // A signed node has a row per signer: the one completed now, the others cancelled.
        for (const taskId of taskRows(w)) {
          const completed = done && (!w.sign || t.heldBy.has(taskId));
          writes.push({
            type: 'task.end',
            id: taskId,
            state: completed ? 'completed' : 'cancelled',
            at: this.now,
            by: completed ? this.actor : null,
            candidates: w.candidates === true,
            ...(completed && t.heldBy.has(taskId) && { assignee: t.heldBy.get(taskId) ?? null }),
          });
          if (!completed) history.push({ instanceId, at: this.now, actor: this.actor, kind: 'task.cancel', activityId: w.activityId, taskId });
        }
        return;
      case 'timer':
        writes.push({ type: 'timer.delete', id: w.timerId, guard: done, at: this.now });
        return;
      case 'job':
        if (!done) writes.push({ type: 'job.cancel', id: w.jobId, at: this.now });
        return;
      case 'message':
      case 'signal':
        writes.push({ type: 'subscription.delete', id: w.subscriptionId });
        return;
      case 'call':
        return;
    }
  }

  /**
   * Commit in one transaction; on success the loaded engines stay cached for the next step.
   * Returns the message waits it committed (the buffer is looked at again once others can see them).
   */
  async commit(): Promise<SubscriptionRecord[]> {
    const writes = this.writes();
    try {
      await this.deps.store.commit(writes);
    } catch (err) {
      this.abandon();
      throw err;
    }
    for (const t of this.#touched.values()) {
      if (t.live && t.record.state === 'running') this.deps.cache.put({ live: t.live, record: t.record });
    }
    if (writes.some((w) => w.type === 'job.insert' || (w.type === 'timer.insert' && w.record.dueAt <= this.now))) this.deps.onWork?.();
    return writes.flatMap((w) => (w.type === 'subscription.insert' && w.record.kind === 'message' && w.record.instanceId ? [w.record] : []));
  }

  /** Drop the step's engines: they hold uncommitted changes. */
  abandon(): void {
    for (const id of this.#touched.keys()) this.deps.cache.evict(id);
  }

  #scope(record: InstanceRecord) {
    return { instanceId: record.id, businessKey: record.businessKey, now: () => this.deps.clock.now() };
  }

  async #guard<T>(action: () => T | Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (err) {
      throw fromEngineFailure(err);
    }
  }
}

/** An engine failure, in the catalogue's terms. */
function fromEngineFailure(err: unknown): unknown {
  // A loop that never waits (gateway → task → gateway, the condition always true) runs the engine out of stack.
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return new WorkflowError('WF_ERR_STEP_FAILED', { elementId: '?', detail: 'the process loops without ever waiting (check the loop’s exit condition)' });
  }
  if (!(err instanceof EngineFailure)) return err;
  const elementId = err.elementId ?? '?';
  const reason = err.reason as { message?: string; source?: unknown } | undefined;
  if (reason instanceof ExpressionError) {
    return new WorkflowError('WF_ERR_EXPRESSION', { elementId, expression: reason.source, detail: reason.message, ...(reason.identifier && { identifier: reason.identifier }) });
  }
  const message = reason?.message ?? err.message;
  if (/no conditional flow taken/.test(message)) return new WorkflowError('WF_ERR_NO_OUTGOING_FLOW', { elementId });
  return new WorkflowError('WF_ERR_STEP_FAILED', { elementId, detail: message });
}

function variableChanges(instanceId: string, before: Variables, after: Variables, at: number, actor: string | null): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const [name, value] of Object.entries(after)) {
    if (Object.hasOwn(before, name) && JSON.stringify(before[name]) === JSON.stringify(value)) continue;
    events.push({ instanceId, at, actor, kind: 'variable.set', data: { name, value } });
  }
  return events;
}

/** Evaluated model attributes land in bounded columns: too long is the model's error, said clearly. */
function toText(value: unknown, max: number): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = String(value);
  if (text.length > max || text.includes('\u0000')) throw new Error(`the value is longer than ${max} characters or contains NUL`);
  return text;
}

const toUserId = (value: unknown): string | null => toText(value, 128);

/** Camunda writes candidate lists as "a, b" or as a collection. */
function toList(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const list = [...new Set(items.map((s) => s.trim()).filter(Boolean))];
  if (list.length > 200) throw new Error('more than 200 candidates');
  for (const item of list) toUserId(item);
  return list;
}

function toPriority(value: unknown): number {
  if (value === null || value === undefined || value === '') return DEFAULT_PRIORITY;
  const n = Number(value);
  if (!Number.isInteger(n) || Math.abs(n) > 2_147_483_647) throw new Error(`priority must be an integer, got ${String(value)}`);
  return n;
}

/** A due date: a Date, an ISO 8601 date-time, an ISO duration from now (P2D), or epoch milliseconds. */
function toDueAt(value: unknown, now: number, calendar: WorkingCalendar): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const text = String(value).trim();
  const duration = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.exec(text);
  // On a working calendar: working hours and working days (Friday 17:00 + PT4H = Monday 12:00).
  if (duration && !calendar.always) return addDuration(calendar, now, text);
  if (duration) {
    const n = (i: number) => Number.parseFloat(duration[i] ?? '0') || 0;
    const date = new Date(now);
    date.setUTCFullYear(date.getUTCFullYear() + n(1), date.getUTCMonth() + n(2), date.getUTCDate() + 7 * n(3) + n(4));
    return date.getTime() + ((n(6) * 60 + n(7)) * 60 + n(8)) * 1000;
  }
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) throw new Error(`"${text}" is neither an ISO 8601 date nor a duration`);
  return parsed;
}
