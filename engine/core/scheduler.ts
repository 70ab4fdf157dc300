/**
 * Fires due timers and moves due jobs on (through the job queue). Timers are
 * leased in the database, so any number of processes can run a scheduler:
 * each item goes to one of them, and an item whose worker died is taken again
 * when its lease runs out.
 */
import type { TimerRecord } from './model.ts';
import { DatabaseJobQueue, runPool, type JobQueue } from './queue.ts';
import type { Services } from './services.ts';
import { fireTimer } from './usecases/jobs.ts';

export interface SchedulerOptions {
  workerId: string;
  /** Longest sleep between looks at the database. */
  pollMs: number;
  /** Items leased per look: no more than run at once, so none waits out its lease in our queue. */
  batchSize: number;
  /** How long a leased item is ours; a crashed worker's items come back after this. */
  leaseMs: number;
  /** Items run at the same time. */
  concurrency: number;
}

export const DEFAULT_SCHEDULER: Omit<SchedulerOptions, 'workerId'> = { pollMs: 1000, batchSize: 8, leaseMs: 5 * 60_000, concurrency: 8 };

export class Scheduler {
  readonly options: SchedulerOptions;
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #poked = false;
  #ticks = 0;

  readonly queue: JobQueue;
  /** Other work done on every look (the notices' outbox). */
  readonly #also: Array<() => Promise<number>> = [];

  constructor(
    private readonly services: Services,
    options: Partial<SchedulerOptions> & { workerId: string },
    queue?: (options: SchedulerOptions) => JobQueue,
  ) {
    this.options = { ...DEFAULT_SCHEDULER, ...options };
    this.queue = queue ? queue(this.options) : new DatabaseJobQueue(services, this.options);
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    await this.queue.start();
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.poke();
    await this.#loop;
    this.#loop = null;
    await this.queue.stop();
  }

  /** Look now (new work was just committed). */
  poke(): void {
    this.#poked = true;
    this.#wake?.();
  }

  /** Do `work` on every look as well; it returns how many items it handled. */
  also(work: () => Promise<number>): this {
    this.#also.push(work);
    return this;
  }

  /** One look: lease what is due and run it. Returns how many items ran. */
  async tick(): Promise<number> {
    const { services } = this;
    const now = services.clock.now();
    const { workerId, batchSize, leaseMs } = this.options;
    if (++this.#ticks % 60 === 0) await services.store.deleteExpiredMessages(now);
    let also = 0;
    for (const work of this.#also) also += await work().catch((err: unknown) => (services.logger.error({ err: String(err) }, 'scheduler work failed'), 0));
    const next = await services.store.nextDueAt();
    if (next === null || next > now) return also;
    const timers = await services.store.leaseDueTimers(now, batchSize, workerId, leaseMs);
    const [, jobs] = await Promise.all([
      runPool(timers.map((t: TimerRecord) => () => fireTimer(services, t, workerId)), this.options.concurrency, (err) => services.logger.error({ err: String(err) }, 'timer crashed')),
      this.queue.tick(now),
    ]);
    return timers.length + jobs + also;
  }

  /** Tests and tools: tick until nothing is due. */
  async runUntilIdle(maxTicks = 1000): Promise<void> {
    for (let i = 0; i < maxTicks; i++) if ((await this.tick()) === 0) return;
    throw new Error('scheduler did not become idle');
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let ran = 0;
      try {
        this.#poked = false;
        ran = await this.tick();
      } catch (err) {
        this.services.logger.error({ err: String(err) }, 'scheduler tick failed');
      }
      if (ran > 0 || this.#poked || !this.#running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
  }
}
