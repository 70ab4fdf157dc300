/**
 * SQLite copies its write-ahead log back into the database file in a
 * checkpoint, which by default runs inside the commit that crosses 1000 pages:
 * on the committing thread, with fsyncs. Measured on the benchmark, that was
 * 40 % of the store's time per step. Here a worker thread with its own
 * connection checkpoints instead, beside the writer (WAL mode allows it), so
 * steps do not wait for it.
 *
 * Under sustained writes a passive checkpoint never catches up with the end of
 * the log, so the log would only grow; past `maxWalPages` the worker runs one
 * TRUNCATE checkpoint, which holds writers back for that moment and empties it.
 * Should the worker stop, the writer's own automatic checkpoints come back.
 */
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export interface CheckpointerOptions {
  intervalMs?: number;
  maxWalPages?: number;
}

// Plain CommonJS, evaluated in the worker: it needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 10000 });
const timer = setInterval(() => {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  if (result && result.log > workerData.maxWalPages) db.pragma('wal_checkpoint(TRUNCATE)');
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class WalCheckpointer {
  readonly #worker: Worker;
  #stopping = false;

  /** `onFailure` runs when the worker dies: the writer must checkpoint for itself again. */
  constructor(file: string, onFailure: (err: unknown) => void, options: CheckpointerOptions = {}) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver, intervalMs: options.intervalMs ?? 200, maxWalPages: options.maxWalPages ?? 16_384 },
    });
    this.#worker.on('error', (err) => {
      if (!this.#stopping) onFailure(err);
    });
    this.#worker.on('exit', (code) => {
      if (!this.#stopping) onFailure(new Error(`WAL checkpointer exited with code ${code}`));
    });
    this.#worker.unref(); // never what keeps a process alive
  }

  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    const exited = once(this.#worker, 'exit');
    // Unref'd, the worker would not keep the process alive until it has exited: a closing process would end
    // with nothing left to run and an unsettled close (exit code 13) instead of finishing its shutdown.
    this.#worker.ref();
    this.#worker.postMessage('stop');
    await exited;
  }
}
