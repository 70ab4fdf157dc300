import type { Clock } from '../../engine/core/ports.ts';

/** A clock tests move by hand. Starts at the real time: the engine computes timer due times from it. */
export class FakeClock implements Clock {
  #now = Date.now();
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
  /** Jump to an instant (a Friday afternoon, for due dates on a calendar). */
  set(at: number): void {
    this.#now = at;
  }
}
