import type { HandlerInputs } from '../../definitions/bpmn/analyse.ts';
import type { Variables } from './model.ts';

/**
 * Service-task handlers, registered by name. A service task names its handler
 * (camunda:topic, camunda:delegateExpression or bpmn-engine's implementation);
 * the runtime runs it as a job, at least once, always with the same
 * idempotency key for the same task execution.
 */
export interface HandlerContext {
  idempotencyKey: string;
  instanceId: string;
  businessKey: string | null;
  activityId: string;
  /** 1 on the first attempt. */
  attempt: number;
  /** Process variables when the job runs, plus the task's camunda:inputParameter values. */
  variables: Readonly<Variables>;
  input: Readonly<Variables>;
  /** Aborted when the attempt runs out of time (RuntimeConfig.handlerTimeoutMs). */
  signal: AbortSignal;
  /** What this attempt sent and got back, for its record on the case (default: the input and the result). */
  report(details: { request?: unknown; response?: unknown }): void;
}

/** What a handler returns: variables to set on the process (or under the task's resultVariable). */
export type HandlerResult = Variables | void;

export type Handler = (ctx: HandlerContext) => Promise<HandlerResult>;

/** Throw this from a handler to raise a BPMN error that an error boundary event can catch. */
export class BpmnErrorSignal extends Error {
  constructor(
    readonly code: string,
    message = code,
  ) {
    super(message);
    this.name = 'BpmnErrorSignal';
  }
}

/** Throw this when retrying cannot help (bad request, declined): the job fails at once. */
export class PermanentFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentFailure';
  }
}

/**
 * Throw this when the call may not happen yet (a rate limit, a provider's
 * quiet hours): the job runs again at `at`, and the attempt does not count
 * against its retries.
 */
export class RetryLater extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

export interface HandlerOptions {
  /** At most this many jobs of the handler run at once in one worker process. */
  concurrency?: number;
  /** The inputs it reads, for the deploy-time check of a task's input mapping. */
  inputs?: HandlerInputs;
  /** What the designer shows of it: its name in both languages and its input's JSON Schema (a connector operation's). */
  title?: { 'zh-CN': string; en: string };
  input?: Record<string, unknown>;
}

export class HandlerRegistry {
  readonly #handlers = new Map<string, Handler>();
  readonly #options = new Map<string, HandlerOptions>();

  register(name: string, handler: Handler, options: HandlerOptions = {}): this {
    if (this.#handlers.has(name)) throw new Error(`handler ${name} is already registered`);
    this.#handlers.set(name, handler);
    this.#options.set(name, options);
    return this;
  }

  options(name: string): HandlerOptions {
    return this.#options.get(name) ?? {};
  }

  has(name: string): boolean {
    return this.#handlers.has(name);
  }

  get(name: string): Handler | undefined {
    return this.#handlers.get(name);
  }

  /** How many of its jobs may run at once in a worker that runs at most `most`. */
  concurrency(name: string, most: number): number {
    return Math.min(most, this.options(name).concurrency ?? most);
  }

  names(): string[] {
    return [...this.#handlers.keys()].sort();
  }
}
