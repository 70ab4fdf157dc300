/**
 * The engine's `environment.timers`, replaced: no timer is ever armed in this
 * process. A registration is recorded with its due time; the runtime persists it
 * as a timer row, and the scheduler fires it (on any worker, after any restart)
 * by recovering the instance and calling `fire`. No 24.8-day setTimeout limit.
 */

/** What bpmn-elements' TimerEventDefinition passes as the owner of a registration. */
interface TimerOwner {
  id: string;
  executionId: string;
  expireAt?: Date | string;
  timerType?: string;
  repeat?: number;
}

export interface TimerRegistration {
  readonly activityId: string;
  readonly executionId: string;
  readonly dueAt: number;
  readonly spec: string | null;
  readonly callback: (...args: unknown[]) => unknown;
  readonly args: unknown[];
}

export class DeferredTimers {
  readonly #byExecution = new Map<string, TimerRegistration>();

  /** `now` is the runtime's clock: a duration runs from it (bpmn-elements reads the wall clock). */
  constructor(private readonly now: () => number) {}

  /** bpmn-engine clears `executing` when an execution completes or stops. */
  get executing(): TimerRegistration[] {
    return [...this.#byExecution.values()];
  }

  register(owner: TimerOwner & Record<string, unknown>) {
    return {
      setTimeout: (callback: (...args: unknown[]) => unknown, delay: number, ...args: unknown[]) => this.#add(owner, callback, delay, args),
      clearTimeout: (ref: TimerRegistration | undefined) => this.clearTimeout(ref),
    };
  }

  setTimeout(): never {
    throw new Error('unowned timers cannot be persisted');
  }

  clearTimeout(ref: TimerRegistration | undefined): undefined {
    if (ref && this.#byExecution.get(ref.executionId) === ref) this.#byExecution.delete(ref.executionId);
    return undefined;
  }

  /** Fire a registered timer now; false when it is not (or no longer) registered. */
  fire(executionId: string): boolean {
    const registration = this.#byExecution.get(executionId);
    if (!registration) return false;
    this.#byExecution.delete(executionId);
    registration.callback(...registration.args);
    return true;
  }

  #add(owner: TimerOwner & Record<string, unknown>, callback: (...args: unknown[]) => unknown, delay: number, args: unknown[]): TimerRegistration {
    const type = owner.timerType;
    const dueAt = type === 'timeDate' && owner.expireAt ? new Date(owner.expireAt).getTime() : this.now() + delay;
    const spec = typeof type === 'string' && typeof owner[type] === 'string' ? (owner[type] as string) : null;
    const registration: TimerRegistration = { activityId: owner.id, executionId: owner.executionId, dueAt, spec, callback, args };
    this.#byExecution.set(owner.executionId, registration);
    return registration;
  }
}
