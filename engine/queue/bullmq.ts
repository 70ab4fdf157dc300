/**
 * The job queue on BullMQ (Redis), for several processes on several machines.
 *
 * The wf_jobs rows stay the outbox and the truth. A relay (every worker runs
 * one, inside the scheduler's tick) leases due rows for dispatch and adds them
 * to a BullMQ queue per handler, under a job id made of the row's id and due
 * time, so a row handed over twice (a relay died between the two) is one
 * BullMQ job. BullMQ's workers run them, one handler per queue with its own
 * concurrency; a worker that dies leaves a stalled job that BullMQ hands to
 * another. What a job did is committed by runJob, guarded by the row's state:
 * a second delivery finds the job done and does nothing; a handler call that
 * was repeated carried the same idempotency key.
 */
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { JobQueue, QueueOptions } from '../core/queue.ts';
import type { Services } from '../core/services.ts';
import { runJob } from '../core/usecases/jobs.ts';

export interface BullOptions extends QueueOptions {
  redisUrl: string;
  /** Key prefix: processes sharing one Redis and one database use the same one. */
  prefix?: string;
}

/** Jobs due this soon are handed over now, with BullMQ's delay for the rest of the wait. */
const HORIZON_MS = 30_000;

interface Payload {
  jobId: string;
  runAt: number;
}

export class BullJobQueue implements JobQueue {
  readonly kind = 'bullmq';
  readonly #queues = new Map<string, Queue<Payload>>();
  readonly #workers: Worker<Payload>[] = [];
  readonly #connection: ConnectionOptions;

  constructor(
    private readonly services: Services,
    private readonly options: BullOptions,
  ) {
    const url = new URL(options.redisUrl);
    this.#connection = {
      host: url.hostname,
      port: Number(url.port || 6379),
      ...(url.password && { password: decodeURIComponent(url.password) }),
      ...(url.username && { username: decodeURIComponent(url.username) }),
      ...(url.pathname.length > 1 && { db: Number(url.pathname.slice(1)) }),
      maxRetriesPerRequest: null,
    };
  }

  /** The relay: hand due jobs to their handler's queue. */
  async tick(now: number): Promise<number> {
    const jobs = await this.services.store.leaseJobsForDispatch(now + HORIZON_MS, now, this.options.batchSize * 4, this.options.leaseMs);
    await Promise.all(
      jobs.map((job) =>
        // No process here has the handler: run it, so it fails as it would anywhere (no worker would ever take it).
        !this.services.handlers.has(job.handler) ? runJob(this.services, job, this.options.workerId) : this.#queue(job.handler).add('run', { jobId: job.id, runAt: job.runAt }, { jobId: `${job.id}.${job.runAt}`, delay: Math.max(0, job.runAt - now), removeOnComplete: { age: 3600 }, removeOnFail: { age: 86_400 } }),
      ),
    );
    return jobs.length;
  }

  async start(): Promise<void> {
    for (const handler of this.services.handlers.names()) {
      const concurrency = this.services.handlers.concurrency(handler, this.options.concurrency);
      const worker = new Worker<Payload>(queueName(handler), (job) => this.#run(job.data), {
        connection: this.#connection,
        prefix: this.options.prefix ?? 'wf',
        concurrency,
        // Longer than any handler may take (it is aborted then): BullMQ only calls a job stalled when its worker died,
        // and looks for those as often, so a dead worker's job runs again within about twice this.
        lockDuration: this.services.config.handlerTimeoutMs + 5000,
        stalledInterval: Math.min(30_000, this.services.config.handlerTimeoutMs + 5000),
      });
      worker.on('error', (err) => this.services.logger.error({ err: String(err), handler }, 'queue worker error'));
      this.#workers.push(worker);
    }
    await Promise.all(this.#workers.map((w) => w.waitUntilReady()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.close()));
    await Promise.all([...this.#queues.values()].map((q) => q.close()));
    this.#workers.length = 0;
    this.#queues.clear();
  }

  /** Run the row if it is still the one handed over: pending, and due when it was dispatched. */
  async #run(payload: Payload): Promise<void> {
    const job = await this.services.store.getJob(payload.jobId);
    if (!job || job.state !== 'pending' || job.runAt !== payload.runAt) return;
    await runJob(this.services, job, this.options.workerId);
  }

  #queue(handler: string): Queue<Payload> {
    let queue = this.#queues.get(handler);
    if (!queue) {
      queue = new Queue<Payload>(queueName(handler), { connection: this.#connection, prefix: this.options.prefix ?? 'wf' });
      this.#queues.set(handler, queue);
    }
    return queue;
  }
}

/** BullMQ queue names may not hold ':'. */
const queueName = (handler: string) => `jobs-${handler.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
