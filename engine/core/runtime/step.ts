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
import { addDuration, ALWAYS } from '../calendar/working-calendar.ts';
import { WorkflowError, explain, t } from '../errors.ts';
import { ExpressionError } from '../expressions/index.ts';
import type { HistoryEvent, InstanceRecord, SubscriptionRecord, Variables, Wait } from '../model.ts';
import { ConflictError, type Write } from '../ports.ts';
import { calendarOf } from './attributes.ts';
import { returnToCaller } from './call-activities.ts';
import type { CompiledDefinition } from './compiled-definition.ts';
import { taskRows } from './countersign.ts';
import { EngineFailure, LiveInstance, type WaitingElement } from './live-instance.ts';
import { openWait } from './waits.ts';
import { notice } from '../notices.ts';
import { waitKey, type StepContext, type StepDeps, type StepInstance } from './step-context.ts';

export { waitKey, type Sla, type StepDeps, type StepInstance } from './step-context.ts';

export class Step implements StepContext {
  readonly now: number;
  readonly #touched = new Map<string, StepInstance>();
  readonly #writes: Write[] = [];
  readonly #history: HistoryEvent[] = [];
  /** `instanceId:activityId` → who the next task there goes to (a returned case goes back to its last handler). */
  readonly #assignOnOpen = new Map<string, string>();

  constructor(
    readonly deps: StepDeps,
    readonly actor: string | null,
  ) {
    this.now = deps.clock.now();
  }

  /** Who a task opened at the activity goes to because the case was returned there, if anyone. */
  returnedTo(instanceId: string, activityId: string): string | undefined {
    return this.#assignOnOpen.get(`${instanceId}:${activityId}`);
  }

  newId(): string {
    return this.deps.newId();
  }

  /** Notices made by the step carry its time. */
  readonly noticeSource = { newId: () => this.deps.newId(), clock: { now: () => this.now } };

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
      stateName: null,
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
      const calendar = supervision.calendar ? calendarOf(this.deps.calendars, supervision.calendar) : ALWAYS;
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
    if (wait.clocks || live.definition.model.userTasks[wait.activityId]?.sla) this.write({ type: 'timer.clocks-delete', instanceId: touched.record.id, executionId: wait.executionId, before: this.now });
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
      const opened = await openWait(this, t, element);
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
    if (running && t.live!.ended && !t.dirty) {
      t.record.state = 'completed';
      t.record.endedAt = this.now;
      this.record({ instanceId: t.record.id, kind: 'instance.end' });
      // 办结: the initiator of a case (not of a called one) is told.
      const { startedBy, parentId, businessKey } = t.record;
      if (startedBy && !parentId) {
        const what = `${t.live!.definition.identity.name ?? t.live!.definition.identity.key}${businessKey ? `（${businessKey}）` : ''}`;
        const state = t.record.stateName ? `（${t.record.stateName}）` : '';
        this.write({ type: 'notice.insert', records: [notice(this.noticeSource, startedBy, 'result', `办结：${what}${state}`, null, { instanceId: t.record.id })] });
      }
      await returnToCaller(this, t);
    }
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
        const states = live.definition.model.states;
        for (const e of live.events) {
          history.push({ instanceId: record.id, at: e.at, actor: this.actor, kind: e.kind, activityId: e.activityId });
          if (e.kind === 'activity.start' && states[e.activityId]) record.stateName = states[e.activityId]!;
        }
        live.events = [];
      }
      history.push(...variableChanges(record.id, before?.variables ?? {}, record.variables, this.now, this.actor));
      const moved = record.stateName !== (before?.stateName ?? null) && record.state === 'running';
      // A case's initiator hears of every change of its state (its end has the 办结 notice).
      if (moved && record.startedBy && !record.parentId && live) {
        const what = live.definition.identity.name ?? live.definition.identity.key;
        writes.push({ type: 'notice.insert', records: [notice(this.noticeSource, record.startedBy, 'state', `${what}：${record.stateName}`, null, { instanceId: record.id })] });
      }
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
        if (w.clocks || t.live?.definition.model.userTasks[w.activityId]?.sla) writes.push({ type: 'timer.clocks-delete', instanceId, executionId: w.executionId, before: this.now + 1 });
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
        writes.push({ type: 'notice.retract', instanceId, taskIds: taskRows(w) });
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
    return new WorkflowError('WF_ERR_STEP_FAILED', { elementId: '?', detail: t('流程陷入不停留的循环（请检查循环的退出条件）', 'the process loops without ever waiting (check the loop’s exit condition)') });
  }
  if (!(err instanceof EngineFailure)) return err;
  const elementId = err.elementId ?? '?';
  const reason = err.reason as { message?: string; source?: unknown } | undefined;
  if (reason instanceof ExpressionError) {
    return new WorkflowError('WF_ERR_EXPRESSION', { elementId, expression: reason.source, detail: reason.text, ...(reason.identifier && { identifier: reason.identifier }) });
  }
  const message = reason?.message ?? err.message;
  if (/no conditional flow taken/.test(message)) return new WorkflowError('WF_ERR_NO_OUTGOING_FLOW', { elementId });
  return new WorkflowError('WF_ERR_STEP_FAILED', { elementId, detail: explain(reason?.message ? reason : err, '引擎执行出错') });
}

function variableChanges(instanceId: string, before: Variables, after: Variables, at: number, actor: string | null): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const [name, value] of Object.entries(after)) {
    if (Object.hasOwn(before, name) && JSON.stringify(before[name]) === JSON.stringify(value)) continue;
    events.push({ instanceId, at, actor, kind: 'variable.set', data: { name, value } });
  }
  return events;
}
