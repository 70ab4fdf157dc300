import zlib from 'node:zlib';
import { Engine } from 'bpmn-engine';
import { ExpressionError, evaluateCondition, EXECUTION_FACADE, type ExecutionFacade, type ExpressionContext, type Resolution } from '../expressions/index.ts';
import type { Variables } from '../model.ts';
import type { CompiledDefinition } from './compiled-definition.ts';
import { DeferredTimers } from './deferred-timers.ts';
import { evaluateParameters } from './parameters.ts';
import { renameActivities } from './rename-activities.ts';

/**
 * One process instance loaded into a bpmn-engine Engine. Process variables are
 * owned here, not by the engine: bpmn-elements copies variables per scope (a
 * sub-process gets a snapshot that is thrown away), Camunda has one process
 * scope. Every expression the engine evaluates is answered from these
 * variables, so conditions, timers and collections see what Camunda would.
 */

/** The part of an element api message the runtime reads. */
export interface ElementContent {
  id: string;
  executionId: string;
  type?: string;
  isMultiInstance?: boolean;
  isRootScope?: boolean;
  index?: number;
  loopCardinality?: number;
  loopOutput?: unknown[];
  isSequential?: boolean;
  /** Local variables from camunda:inputParameter, formatted in on enter. */
  wfLocals?: Variables;
  [key: string]: unknown;
}

interface ElementApi {
  id: string;
  type: string;
  executionId: string;
  content: ElementContent;
  owner: { id: string; type: string; execution?: { getPostponed(): ElementApi[] } };
  getPostponed(): ElementApi[];
  signal(payload?: unknown): void;
  sendApiMessage(type: string, content: unknown): void;
}

interface ActivityLike {
  id: string;
  type: string;
  behaviour: Record<string, unknown>;
  broker: {
    publish(exchange: string, routingKey: string, content: unknown): void;
    subscribeTmp(exchange: string, pattern: string, fn: (routingKey: string, message: { content: ElementContent }) => void, options: object): void;
    cancel(consumerTag: string): void;
  };
  emitFatal(error: unknown, content: unknown): void;
}

export interface ServiceCall {
  activityId: string;
  executionId: string;
  locals: Variables;
  callback: (err: unknown, output?: unknown) => void;
}

export type WaitingElement =
  | { kind: 'task'; activityId: string; executionId: string; content: ElementContent }
  | { kind: 'message'; activityId: string; executionId: string; content: ElementContent }
  | { kind: 'signal'; activityId: string; executionId: string; content: ElementContent }
  | { kind: 'call'; activityId: string; executionId: string; content: ElementContent }
  | { kind: 'timer'; activityId: string; executionId: string; dueAt: number; spec: string | null }
  | { kind: 'job'; activityId: string; executionId: string; handler: string; locals: Variables };

export interface EngineEvent {
  kind: 'activity.start' | 'activity.end';
  activityId: string;
  executionId: string;
  at: number;
}

/** The engine stopped with an error: the step must not be committed. */
export class EngineFailure extends Error {
  constructor(
    readonly elementId: string | null,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = 'EngineFailure';
  }
}

export interface InstanceScope {
  instanceId: string;
  businessKey: string | null;
  now(): number;
}

const SERVICE_TYPES = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']);
const TASK_TYPES = new Set(['bpmn:UserTask', 'bpmn:ManualTask']);
const noLogger = () => ({ debug() {}, warn() {}, error() {} });
export const MULTI_INSTANCE_BATCH = 1000;

interface SavedState {
  /** The start event the instance began at (selects the source variant). */
  s: string | null;
  d: unknown[];
}

export class LiveInstance {
  readonly engine: Engine;
  readonly timers: DeferredTimers;
  readonly serviceCalls = new Map<string, ServiceCall>();
  /** Activity starts and ends since the last drain, for history. */
  events: EngineEvent[] = [];
  #failure: EngineFailure | null = null;
  #expressionFailure: EngineFailure | null = null;
  #lastError: { elementId: string; error: unknown } | null = null;
  readonly #facade: ExecutionFacade;

  constructor(
    readonly definition: CompiledDefinition,
    readonly startEventId: string | null,
    public variables: Variables,
    readonly scope: InstanceScope,
  ) {
    this.timers = new DeferredTimers(() => scope.now());
    this.#facade = {
      [EXECUTION_FACADE]: true,
      getVariable: (name) => (Object.hasOwn(this.variables, name) ? this.variables[name] : null),
      hasVariable: (name) => Object.hasOwn(this.variables, name),
      getProcessBusinessKey: () => this.scope.businessKey,
    };
    this.engine = new Engine({
      name: definition.identity.key,
      sourceContext: definition.source(startEventId),
      Logger: noLogger,
      // batchSize: a parallel multi-instance opens this many instances at once (bpmn-elements' default is 50; Camunda opens all).
      settings: { disableTrackState: true, batchSize: MULTI_INSTANCE_BATCH },
      timers: this.timers,
      expressions: { resolveExpression: (text: unknown, context: { content?: ElementContent }) => this.#resolveExpression(text, context) },
      extensions: { workflow: (activity: ActivityLike) => this.#extend(activity) },
    } as unknown as ConstructorParameters<typeof Engine>[0]);
    this.#listenForFailure();
  }

  // ---- lifecycle ------------------------------------------------------------

  async start(): Promise<void> {
    await this.engine.execute({ listener: this.#listener } as never);
    this.#throwIfFailed();
  }

  async recover(state: Buffer): Promise<void> {
    const saved = JSON.parse(zlib.inflateRawSync(state).toString('utf8')) as SavedState;
    this.engine.recover({ definitions: saved.d } as never);
    await this.engine.resume({ listener: this.#listener } as never);
    this.#throwIfFailed();
  }

  /** Compact persisted state: no definition source, no variables (stored apart), deflated. */
  saveState(): Buffer {
    const execution = this.engine.execution as unknown as { definitions: Array<{ getState(): unknown }> };
    const saved: SavedState = { s: this.startEventId, d: execution.definitions.map((d) => d.getState()) };
    // Level 1: a third of the time of the default for a few percent more bytes.
    return zlib.deflateRawSync(JSON.stringify(saved), { level: 1 });
  }

  /** The same saved state with activities renamed (migration to a version where they have other ids). */
  static renameState(state: Buffer, renames: ReadonlyMap<string, string>): Buffer {
    if (!renames.size) return state;
    const saved = JSON.parse(zlib.inflateRawSync(state).toString('utf8')) as SavedState;
    return zlib.deflateRawSync(JSON.stringify({ s: saved.s, d: renameActivities(saved.d, renames) }), { level: 1 });
  }

  get ended(): boolean {
    return this.engine.state === 'idle';
  }

  static readStartEvent(state: Buffer): string | null {
    return (JSON.parse(zlib.inflateRawSync(state).toString('utf8')) as SavedState).s;
  }

  // ---- actions --------------------------------------------------------------

  /** Complete a waiting user task, receive task, message/signal catch or start event. */
  signal(executionId: string, payload: Variables = {}): boolean {
    const api = this.#postponed().find((a) => a.executionId === executionId);
    if (!api) return false;
    api.signal(payload);
    this.#throwIfFailed();
    return true;
  }

  /** Deliver a BPMN error to a waiting element (a call activity whose child failed). */
  throwError(executionId: string, code: string, message: string): boolean {
    const api = this.#postponed().find((a) => a.executionId === executionId);
    if (!api) return false;
    api.sendApiMessage('error', { message, code });
    this.#throwIfFailed();
    return true;
  }

  fireTimer(executionId: string): boolean {
    const fired = this.timers.fire(executionId);
    this.#throwIfFailed();
    return fired;
  }

  /** Answer a service task: output, or an error (a `code` makes it a BPMN error a boundary can catch). */
  resolveService(executionId: string, error: { code: string; message: string } | null): boolean {
    const call = this.serviceCalls.get(executionId);
    if (!call) return false;
    this.serviceCalls.delete(executionId);
    if (error) call.callback(Object.assign(new Error(error.message), { code: error.code }));
    else call.callback(null, {});
    this.#throwIfFailed();
    return true;
  }

  // ---- what the instance waits for --------------------------------------------

  waiting(): WaitingElement[] {
    const result: WaitingElement[] = [];
    for (const api of this.#postponed()) {
      const content = api.content;
      const ownerType = api.owner.type;
      const isLoopRoot = content.isMultiInstance === true && content.index === undefined;
      if (isLoopRoot || content.isSubProcess) continue;
      const base = { activityId: api.owner.id, executionId: api.executionId, content };
      if (TASK_TYPES.has(ownerType)) result.push({ kind: 'task', ...base });
      else if (ownerType === 'bpmn:CallActivity') result.push({ kind: 'call', ...base });
      else if (content.message) result.push({ kind: 'message', ...base });
      else if (content.signal) result.push({ kind: 'signal', ...base });
    }
    for (const timer of this.timers.executing) {
      result.push({ kind: 'timer', activityId: timer.activityId, executionId: timer.executionId, dueAt: timer.dueAt, spec: timer.spec });
    }
    for (const call of this.serviceCalls.values()) {
      const handler = this.definition.model.serviceTasks[call.activityId]?.handler ?? call.activityId;
      result.push({ kind: 'job', activityId: call.activityId, executionId: call.executionId, handler, locals: call.locals });
    }
    return result;
  }

  /** Expression context for evaluating model attributes of a waiting element (assignee, correlation key …). */
  contextFor(content: ElementContent | null): ExpressionContext {
    return { resolve: (name) => this.#resolve(name, content) };
  }

  // ---- engine plumbing --------------------------------------------------------

  #postponed(): ElementApi[] {
    const out: ElementApi[] = [];
    const seen = new Set<string>();
    const walk = (apis: ElementApi[]) => {
      for (const api of apis) {
        if (seen.has(api.executionId)) continue;
        seen.add(api.executionId);
        out.push(api);
        if (api.content.isSubProcess) walk(api.getPostponed().filter((a) => a.executionId !== api.executionId));
        else if (api.content.isMultiInstance && api.owner.execution) walk(api.owner.execution.getPostponed());
      }
    };
    const execution = this.engine.execution as unknown as { getPostponed(): ElementApi[] } | null;
    if (execution) walk(execution.getPostponed());
    return out;
  }

  /**
   * Engine events arrive through the engine's `listener` (called for every
   * event, no broker queue in between): activity starts and ends for history,
   * errors to report.
   */
  readonly #listener = {
    emit: (routingKey: string, api: { content: ElementContent } | undefined) => {
      const content = api?.content;
      if (!content) return;
      if (routingKey === 'activity.start' || routingKey === 'activity.end') {
        this.events.push({ kind: routingKey, activityId: content.id, executionId: content.executionId, at: this.scope.now() });
      } else if (routingKey === 'activity.error') {
        // Not fatal by itself: an error boundary may catch it. Remembered to name the element if it is not.
        this.#lastError = { elementId: content.id, error: (content as { error?: unknown }).error };
      }
    },
  };

  /** The engine failed: no boundary caught an error. */
  #listenForFailure(): void {
    const broker = this.engine.broker as unknown as ActivityLike['broker'];
    broker.subscribeTmp(
      'event',
      'engine.error',
      (_routingKey, message) => {
        this.#failure ??= this.#expressionFailure ?? new EngineFailure(this.#lastError?.elementId ?? null, this.#lastError?.error ?? message.content);
      },
      { noAck: true, consumerTag: '_workflow-error' },
    );
  }

  #throwIfFailed(): void {
    const failure = this.#failure ?? (this.engine.state === 'error' ? new EngineFailure(this.#lastError?.elementId ?? null, this.#lastError?.error ?? 'engine error') : null);
    this.#lastError = null;
    this.#expressionFailure = null;
    if (failure) throw failure;
  }

  #extend(activity: ActivityLike): { activate(message: { fields: { routingKey: string }; content: ElementContent }): void; deactivate(): void } | undefined {
    if (SERVICE_TYPES.has(activity.type)) activity.behaviour.Service = this.#hostService();
    const io = this.definition.model.inputOutput[activity.id];
    if (!io || activity.type === 'bpmn:Process') return undefined;
    const tag = `_workflow-io-${activity.id}`;
    return {
      activate: (message) => {
        if (message.fields.routingKey === 'run.enter') {
          try {
            const locals = evaluateParameters(io.inputs, this.definition, this.contextFor(message.content));
            activity.broker.publish('format', 'run.workflow.io', { wfLocals: locals });
          } catch (err) {
            activity.emitFatal(err, message.content);
          }
        }
        activity.broker.cancel(tag);
        activity.broker.subscribeTmp(
          'event',
          'activity.execution.completed',
          (_routingKey, completed) => {
            if (completed.content.id !== activity.id || !io.outputs.length) return;
            try {
              Object.assign(this.variables, evaluateParameters(io.outputs, this.definition, this.contextFor(completed.content)));
            } catch (err) {
              activity.emitFatal(err, completed.content);
            }
          },
          { noAck: true, consumerTag: tag },
        );
      },
      deactivate: () => activity.broker.cancel(tag),
    };
  }

  /** Every service-like task calls this: the call becomes a job, answered later by resolveService. */
  #hostService() {
    const calls = this.serviceCalls;
    return class HostService {
      constructor(readonly activity: ActivityLike) {}
      execute(message: { content: ElementContent }, callback: ServiceCall['callback']): void {
        const { id, executionId, wfLocals } = message.content;
        calls.set(executionId, { activityId: id, executionId, locals: wfLocals ?? {}, callback });
      }
      discard(message: { content: ElementContent }): void {
        calls.delete(message.content.executionId);
      }
      stop(message: { content: ElementContent }): void {
        calls.delete(message.content.executionId);
      }
    };
  }

  #resolveExpression(text: unknown, context: { content?: ElementContent } | undefined): unknown {
    if (typeof text !== 'string') return text;
    const content = context?.content ?? null;
    try {
      const template = this.definition.template(text);
      const ctx = this.contextFor(content);
      return this.definition.conditions.has(text) ? evaluateCondition(template, ctx) : template.evaluate(ctx);
    } catch (err) {
      // bpmn-elements reports the failure without the expression; remember it for the error message.
      if (err instanceof ExpressionError && !this.#expressionFailure) this.#expressionFailure = new EngineFailure(content?.id ?? null, err);
      throw err;
    }
  }

  #resolve(name: string, content: ElementContent | null): Resolution {
    if (content) {
      const locals = content.wfLocals;
      if (locals && Object.hasOwn(locals, name)) return { found: true, value: locals[name] };
      if (content.isMultiInstance) {
        const loop = loopVariable(this.definition.model.multiInstance[content.id]?.elementVariable ?? null, name, content);
        if (loop) return loop;
      }
    }
    if (Object.hasOwn(this.variables, name)) return { found: true, value: this.variables[name] };
    if (name === 'execution') return { found: true, value: this.#facade };
    // bpmn-engine's own expression style: ${environment.variables.x}
    if (name === 'environment') return { found: true, value: { variables: this.variables } };
    return { found: false };
  }
}

/** Camunda's multi-instance variables, derived from what bpmn-elements passes. */
function loopVariable(elementVariable: string | null, name: string, content: ElementContent): Resolution | null {
  if (elementVariable && name === elementVariable && Object.hasOwn(content, name)) return { found: true, value: content[name] };
  const total = content.loopCardinality ?? 0;
  const outputs = content.loopOutput ?? [];
  // Not-yet-completed iterations are holes, which a saved and recovered state turns into null.
  const completed = Object.keys(outputs).filter((k) => outputs[Number(k)] != null).length;
  switch (name) {
    case 'loopCounter':
      return content.index === undefined ? null : { found: true, value: content.index };
    case 'nrOfInstances':
      return { found: true, value: total };
    case 'nrOfCompletedInstances':
      return { found: true, value: completed };
    case 'nrOfActiveInstances':
      return { found: true, value: content.isSequential ? (completed < total ? 1 : 0) : Math.min(total - completed, MULTI_INSTANCE_BATCH) };
    default:
      return null;
  }
}
