/**
 * How the store's SQL reaches the database. The SQL is the same for both
 * dialects ($1 … $n parameters); only the execution differs:
 *
 * - PostgreSQL: through Sequelize (its pool and transactions).
 * - SQLite: through the sqlite3 driver directly, with prepared statements kept
 *   per connection, one writer connection (SQLite has one writer; transactions
 *   queue in-process instead of spinning on SQLITE_BUSY) and one reader
 *   connection (reads never see a transaction in flight). Measured on the
 *   benchmark's steps, Sequelize's SQLite path spent 0.7–2.4 ms per statement
 *   (a connection opened per transaction, a stack trace formatted per query);
 *   this path spends about 0.1 ms. Sequelize still runs the migrations.
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { Mutex } from '../core/lib/mutex.ts';
import { ConflictError } from '../core/ports.ts';

export type Row = Record<string, unknown>;
export type Bind = readonly unknown[];

/** A transaction in progress; only the executor that made it knows what is inside. */
export interface Tx {
  readonly kind: 'tx';
}

export interface BatchStatement {
  sql: string;
  bind: Bind;
  /** Collect the rows (RETURNING) for the verify step. */
  returnsRows?: boolean;
}

export interface SqlExecutor {
  select(sql: string, bind?: Bind, tx?: Tx): Promise<Row[]>;
  exec(sql: string, bind?: Bind, tx?: Tx): Promise<void>;
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Run statements as one transaction; `verify` sees the rows of each statement
   * (empty for those without returnsRows) and throws to roll everything back.
   */
  batch(statements: readonly BatchStatement[], verify: (rows: Row[][]) => void): Promise<void>;
  close(): Promise<void>;
}

// ---- PostgreSQL via pg ---------------------------------------------------------------------

interface PgTx extends Tx {
  client: pg.PoolClient;
}

/**
 * PostgreSQL through a pg pool of its own (Sequelize keeps the schema):
 * transactions run concurrently on the pool's connections.
 */
export class PgExecutor implements SqlExecutor {
  readonly #pool: pg.Pool;

  constructor(url: string, max: number) {
    this.#pool = new pg.Pool({ connectionString: url, max });
  }

  async select(sql: string, bind: Bind = [], tx?: Tx): Promise<Row[]> {
    const client = (tx as PgTx | undefined)?.client ?? this.#pool;
    return (await client.query(sql, bind as unknown[])).rows as Row[];
  }

  async exec(sql: string, bind: Bind = [], tx?: Tx): Promise<void> {
    const client = (tx as PgTx | undefined)?.client ?? this.#pool;
    await client.query(sql, bind as unknown[]);
  }

  async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work({ kind: 'tx', client } as PgTx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      // A deadlock or serialization failure is a lost race like any other: the step is re-run.
      const code = (err as { code?: string }).code;
      if (code === '40P01' || code === '40001') throw new ConflictError('transaction', code);
      throw err;
    } finally {
      client.release();
    }
  }

  batch(statements: readonly BatchStatement[], verify: (rows: Row[][]) => void): Promise<void> {
    return this.transaction(async (tx) => {
      const { client } = tx as PgTx;
      const rows: Row[][] = [];
      for (const s of statements) rows.push((await client.query(s.sql, s.bind as unknown[])).rows as Row[]);
      verify(rows);
    });
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

// ---- SQLite in memory via Sequelize ---------------------------------------------------------

interface SequelizeTx extends Tx {
  transaction: Transaction;
}

export class SequelizeExecutor implements SqlExecutor {
  constructor(private readonly sequelize: Sequelize) {}

  select(sql: string, bind: Bind = [], tx?: Tx): Promise<Row[]> {
    return this.sequelize.query(sql, { bind: [...bind], type: QueryTypes.SELECT, transaction: (tx as SequelizeTx | undefined)?.transaction }) as Promise<Row[]>;
  }

  async exec(sql: string, bind: Bind = [], tx?: Tx): Promise<void> {
    await this.sequelize.query(sql, { bind: [...bind], transaction: (tx as SequelizeTx | undefined)?.transaction });
  }

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.sequelize.transaction((transaction) => work({ kind: 'tx', transaction } as SequelizeTx));
  }

  batch(statements: readonly BatchStatement[], verify: (rows: Row[][]) => void): Promise<void> {
    return this.transaction(async (tx) => {
      const rows: Row[][] = [];
      for (const s of statements) rows.push(s.returnsRows ? await this.select(s.sql, s.bind, tx) : (await this.exec(s.sql, s.bind, tx), []));
      verify(rows);
    });
  }

  async close(): Promise<void> {
    // The Sequelize instance is closed by its owner.
  }
}

// ---- SQLite via sqlite3 --------------------------------------------------------------------

const PRAGMAS = 'PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;';
const STATEMENT_CACHE = 256;

/**
 * One sqlite3 connection with its prepared statements. Operations are issued
 * synchronously and, in serialized mode, run in issue order on the driver's
 * thread: a whole transaction can be queued at once.
 */
class Connection {
  readonly #statements = new Map<string, sqlite3.Statement>();

  private constructor(private readonly db: sqlite3.Database) {}

  static open(file: string, serialized: boolean): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(file, (err) => {
        if (err) return reject(err);
        db.exec(PRAGMAS, (pragmaErr) => {
          if (pragmaErr) return reject(pragmaErr);
          if (serialized) db.serialize();
          resolve(new Connection(db));
        });
      });
    });
  }

  all(sql: string, bind: Bind): Promise<Row[]> {
    const statement = this.#prepared(sql);
    return new Promise((resolve, reject) => statement.all(values(bind), (err, rows) => (err ? reject(err) : resolve(rows as Row[]))));
  }

  run(sql: string, bind: Bind): Promise<void> {
    const statement = this.#prepared(sql);
    return new Promise((resolve, reject) => statement.run(values(bind), (err) => (err ? reject(err) : resolve())));
  }

  /** Queue a statement with a plain callback (rows only when asked for). */
  queue(sql: string, bind: Bind, returnsRows: boolean, callback: (err: Error | null, rows?: Row[]) => void): void {
    const statement = this.#prepared(sql);
    if (returnsRows) statement.all(values(bind), (err, rows) => callback(err, rows as Row[]));
    else statement.run(values(bind), (err) => callback(err));
  }

  async close(): Promise<void> {
    for (const statement of this.#statements.values()) await new Promise((resolve) => statement.finalize(() => resolve(undefined)));
    this.#statements.clear();
    await new Promise<void>((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }

  /** Prepared once per connection; the prepare itself is queued, so this returns at once. */
  #prepared(sql: string): sqlite3.Statement {
    let statement = this.#statements.get(sql);
    if (statement) return statement;
    if (this.#statements.size >= STATEMENT_CACHE) {
      const [oldestSql, oldest] = this.#statements.entries().next().value as [string, sqlite3.Statement];
      this.#statements.delete(oldestSql);
      oldest.finalize();
    }
    statement = this.db.prepare(numbered(sql));
    this.#statements.set(sql, statement);
    return statement;
  }
}

/**
 * The store writes `$1 … $n`; to SQLite those are names (bound by name, slowly).
 * `?1 … ?n` are numbered positions: the same SQL, bound straight from the array.
 */
const positional = new Map<string, string>();
function numbered(sql: string): string {
  let converted = positional.get(sql);
  if (converted === undefined) {
    converted = sql.replace(/\$(\d+)/g, '?$1');
    if (positional.size < 1024) positional.set(sql, converted);
  }
  return converted;
}

function values(bind: Bind): unknown[] {
  return bind.map((value) => (value === undefined ? null : typeof value === 'boolean' ? Number(value) : value));
}

interface PendingBatch {
  statements: readonly BatchStatement[];
  verify: (rows: Row[][]) => void;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const MAX_GROUP = 64;

export class SqliteExecutor implements SqlExecutor {
  readonly #writeLock = new Mutex();

  private constructor(
    private readonly writer: Connection,
    private readonly reader: Connection,
  ) {}

  static async open(file: string): Promise<SqliteExecutor> {
    return new SqliteExecutor(await Connection.open(file, true), await Connection.open(file, false));
  }

  select(sql: string, bind: Bind = [], tx?: Tx): Promise<Row[]> {
    return (tx ? this.writer : this.reader).all(sql, bind);
  }

  exec(sql: string, bind: Bind = [], tx?: Tx): Promise<void> {
    if (!tx) return this.transaction((t) => this.exec(sql, bind, t));
    return this.writer.run(sql, bind);
  }

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#writeLock.run(async () => {
      await this.writer.run('BEGIN IMMEDIATE', []);
      try {
        const result = await work({ kind: 'tx' });
        await this.writer.run('COMMIT', []);
        return result;
      } catch (err) {
        await this.writer.run('ROLLBACK', []).catch(() => undefined);
        throw err;
      }
    });
  }

  /**
   * Group commit. Batches that arrive while the writer is busy are committed
   * together in one transaction, each statement queued on the driver at once (no
   * event-loop round trip per statement). If any batch of a group fails its
   * checks, the group is rolled back and its batches are committed one by one,
   * so a batch's outcome never depends on its neighbours.
   */
  batch(statements: readonly BatchStatement[], verify: (rows: Row[][]) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ statements, verify, resolve, reject });
      if (this.#pending.length === 1) void this.#writeLock.run(() => this.#flush());
    });
  }

  readonly #pending: PendingBatch[] = [];

  async #flush(): Promise<void> {
    const group = this.#pending.splice(0, MAX_GROUP);
    if (this.#pending.length) void this.#writeLock.run(() => this.#flush());
    if (!group.length) return;
    if (group.length > 1) {
      try {
        await this.#commit(group);
        for (const b of group) b.resolve();
        return;
      } catch {
        // fall through: one at a time, each with its own outcome
      }
    }
    for (const b of group) await this.#commit([b]).then(b.resolve, b.reject);
  }

  /** One transaction for the given batches; throws (after ROLLBACK) if any statement or check fails. */
  async #commit(batches: PendingBatch[]): Promise<void> {
    // BEGIN alone first: were it to fail, queued statements would run outside a transaction.
    await this.writer.run('BEGIN IMMEDIATE', []);
    const rows: Row[][][] = batches.map((b) => b.statements.map(() => []));
    let failure: unknown = null;
    // Every statement queued at once; one promise for all of them rather than one each.
    await new Promise<void>((resolve) => {
      let pending = 0;
      batches.forEach((b, i) =>
        b.statements.forEach((s, j) => {
          pending++;
          this.writer.queue(s.sql, s.bind, s.returnsRows === true, (err, result) => {
            if (err) failure ??= err;
            else if (result) rows[i]![j] = result;
            if (--pending === 0) resolve();
          });
        }),
      );
      if (pending === 0) resolve();
    });
    try {
      if (failure) throw failure;
      batches.forEach((b, i) => b.verify(rows[i]!));
    } catch (err) {
      await this.writer.run('ROLLBACK', []).catch(() => undefined);
      throw err;
    }
    await this.writer.run('COMMIT', []).catch(async (err: unknown) => {
      await this.writer.run('ROLLBACK', []).catch(() => undefined);
      throw err;
    });
  }

  async close(): Promise<void> {
    await this.#writeLock.run(async () => {
      await this.writer.close();
      await this.reader.close();
    });
  }
}
