/**
 * Where jobs wait to be run. The wf_jobs row, written in the same transaction
 * as the step that created it, is the outbox and the truth: a queue only
 * decides who runs a job, and when. Two back ends share this interface and one
 * test suite: the database itself (leases with SKIP LOCKED, the embedded
 * default) and BullMQ on Redis (engine/queue/bullmq.ts).
 */
import type { JobRecord } from './model.ts';
import type { Services } from './services.ts';
import { runJob } from './usecases/jobs.ts';

export interface JobQueue {
  readonly kind: 'database' | 'bullmq';
  /** One look: move due jobs on (the database queue runs them, a relay hands them over). Returns how many moved. */
  tick(now: number): Promise<number>;
  /** Start consuming (BullMQ's workers); the database queue runs within tick. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface QueueOptions {
  workerId: string;
  /** Jobs leased per look. */
  batchSize: number;
  /** How long a leased job is this worker's; a crashed worker's jobs come back after it. */
  leaseMs: number;
  /** Jobs run at the same time by this worker (each handler may allow fewer). */
  concurrency: number;
}

/** The embedded default: jobs leased from the database and run here. */
export class DatabaseJobQueue implements JobQueue {
  readonly kind = 'database';

  constructor(
    private readonly services: Services,
    private readonly options: QueueOptions,
  ) {}

  async tick(now: number): Promise<number> {
    const { workerId, batchSize, leaseMs, concurrency } = this.options;
    const jobs = await this.services.store.leaseDueJobs(now, batchSize, workerId, leaseMs);
    const byHandler = new Map<string, JobRecord[]>();
    for (const job of jobs) {
      const list = byHandler.get(job.handler);
      if (list) list.push(job);
      else byHandler.set(job.handler, [job]);
    }
    // Each handler within its own limit, all handlers within the worker's.
    await Promise.all(
      [...byHandler].map(([handler, list]) =>
        runPool(list.map((job) => () => runJob(this.services, job, workerId)), this.services.handlers.concurrency(handler, concurrency), (err) =>
          this.services.logger.error({ err: String(err), handler }, 'job crashed'),
        ),
      ),
    );
    return jobs.length;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}
}

export async function runPool(work: Array<() => Promise<void>>, concurrency: number, onError: (err: unknown) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const item = work[next++]!;
      try {
        await item();
      } catch (err) {
        onError(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(concurrency, 1), work.length) }, worker));
}
