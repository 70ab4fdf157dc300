import sqlite3 from 'sqlite3';

/**
 * The sqlite3 module as Sequelize sees it, with two changes:
 * - Sequelize opens a new connection for every transaction and closes it after;
 *   here "close" parks the connection for the next transaction instead, which
 *   saves the open and the schema load on every step.
 * - every connection gets the pragmas the runtime relies on (set per connection
 *   in SQLite): WAL, synchronous=NORMAL (durable across process crashes; only an
 *   OS crash may lose the last commits) and a busy timeout.
 */
const PRAGMAS = 'PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;';

type OpenCallback = (err: Error | null) => void;

export function pooledSqlite3(maxIdle = 4): typeof sqlite3 {
  const idle = new Map<string, sqlite3.Database[]>();

  class PooledDatabase extends sqlite3.Database {
    #filename: string;
    constructor(filename: string, mode: number, callback: OpenCallback) {
      super(filename, mode, (err) => {
        if (err) return callback(err);
        this.exec(PRAGMAS, (pragmaErr) => callback(pragmaErr ?? null));
      });
      this.#filename = filename;
    }
    override close(callback?: (err: Error | null) => void): void {
      const parked = idle.get(this.#filename) ?? [];
      if (this.#filename === ':memory:' || parked.length >= maxIdle) return super.close(callback);
      parked.push(this);
      idle.set(this.#filename, parked);
      if (callback) process.nextTick(callback, null);
    }
    /** Really close, bypassing the pool (used at shutdown). */
    destroy(callback?: (err: Error | null) => void): void {
      super.close(callback);
    }
  }

  function Database(filename: string, mode: number, callback: OpenCallback): sqlite3.Database {
    const reused = idle.get(filename)?.pop();
    if (reused) {
      process.nextTick(callback, null);
      return reused;
    }
    return new PooledDatabase(filename, mode, callback);
  }

  const drain = async () => {
    const all = [...idle.values()].flat();
    idle.clear();
    await Promise.all(all.map((db) => new Promise<void>((resolve) => (db as PooledDatabase).destroy(() => resolve()))));
  };

  return Object.assign(Object.create(sqlite3) as typeof sqlite3, { Database, drain });
}

export function drainPool(driver: typeof sqlite3): Promise<void> {
  return (driver as unknown as { drain: () => Promise<void> }).drain();
}
