/**
 * How the store's SQL reaches the database. The SQL is the same for both
 * dialects ($1 … $n parameters); only the execution differs. Every write goes
 * through `batch`: the statements of one step, in one transaction.
 *
 * - SQLite: better-sqlite3, synchronous. A step's transaction runs start to
 *   finish in one call (no other work can interleave, so no in-process lock and
 *   no dirty reads), with prepared statements. Measured on the benchmark: about
 *   0.01 ms per statement, against 0.1 ms for the asynchronous sqlite3 driver
 *   and 0.7–2.4 ms through Sequelize's query path — see README, "Stack decisions".
 * - PostgreSQL: a pg pool of its own; transactions run concurrently on it.
 *   A batch travels as ONE simple-protocol query (BEGIN and every statement,
 *   values inlined as escaped literals), then COMMIT or ROLLBACK once verified:
 *   two round trips per step instead of one per statement. Measured on the
 *   benchmark: about 20 % more lifecycles per second.
 * Sequelize owns the schema and runs the migrations in both cases.
 */
import { createHash } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { ConflictError } from '../core/ports.ts';
import { WalCheckpointer, type CheckpointerOptions } from './wal-checkpointer.ts';
import { chainHash } from './chain-hash.ts';

export type Row = Record<string, unknown>;
export type Bind = readonly unknown[];

export interface BatchStatement {
  sql: string;
  bind: Bind;
  /** Collect the rows (RETURNING) for the verify step. */
  returnsRows?: boolean;
}

export interface SqlExecutor {
  select(sql: string, bind?: Bind): Promise<Row[]>;
  /**
   * Run statements as one transaction; `verify` sees the rows of each statement
   * (empty for those without returnsRows) and throws to roll everything back.
   */
  batch(statements: readonly BatchStatement[], verify: (rows: Row[][]) => void): Promise<Row[][]>;
  close(): Promise<void>;
}

// ---- PostgreSQL via pg ---------------------------------------------------------------------

export class PgExecutor implements SqlExecutor {
  readonly #pool: pg.Pool;

  constructor(url: string, max: number) {
    this.#pool = new pg.Pool({ connectionString: url, max });
  }

  /**
   * Reads run as named prepared statements: each connection plans a statement
   * text once and reuses the plan (an inbox page spent more time in planning
   * than in executing). The texts are the store's own, a bounded set.
   */
  async select(sql: string, bind: Bind = []): Promise<Row[]> {
    return (await this.#pool.query({ name: statementName(sql), text: sql, values: bind as unknown[] })).rows as Row[];
  }

  async batch(statements: readonly BatchStatement[], verify: (rows: Row[][]) => void): Promise<Row[][]> {
    const client = await this.#pool.connect();
    try {
      const text = ['BEGIN', ...statements.map((s) => inlineParameters(s.sql, s.bind))].join(';\n');
      // pg answers a multi-statement query with one result per statement, a single statement with one result.
      const answer = (await client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
      const rows = (Array.isArray(answer) ? answer : [answer]).slice(1).map((r) => r.rows as Row[]);
      verify(rows);
      await client.query('COMMIT');
      return rows;
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

  close(): Promise<void> {
    return this.#pool.end();
  }
}

/** `$n` → the n-th value as a PostgreSQL literal. Strings go through pg's escaping; nothing else is spliced. */
const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) statementNames.set(sql, (name = `wf_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`));
  return name;
}

function inlineParameters(sql: string, bind: Bind): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => pgLiteral(bind[Number(n) - 1]));
}

function pgLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot store ${value}`);
    return String(value);
  }
  if (typeof value === 'bigint') return String(value);
  if (Buffer.isBuffer(value)) return `'\\x${value.toString('hex')}'::bytea`;
  if (typeof value === 'string') return pg.escapeLiteral(value);
  throw new TypeError(`cannot store a ${typeof value} as a SQL value`);
}

// ---- SQLite via better-sqlite3 ----------------------------------------------------------------

const STATEMENT_CACHE = 256;

export class SqliteExecutor implements SqlExecutor {
  readonly #db: BetterSqlite3.Database;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();
  /** Null for a database in memory (a sandbox): nothing to checkpoint. */
  readonly #checkpointer: WalCheckpointer | null;

  /** A database file, or the image of one to work on in memory (`Buffer`: a simulation's sandbox, gone when closed). */
  constructor(source: string | Buffer, checkpoints: CheckpointerOptions = {}) {
    this.#db = new BetterSqlite3(source, { timeout: 10_000 });
    this.#db.pragma('foreign_keys = ON');
    // The hash chains' step (store/chains.ts), as PostgreSQL has it from migration 0006.
    this.#db.function('wf_chain_hash', { deterministic: true }, (previous, seq, content) => chainHash(String(previous), Number(seq), String(content)));
    if (typeof source !== 'string') {
      this.#checkpointer = null;
      return;
    }
    // WAL with synchronous=NORMAL: a commit survives a process crash; only an OS crash may lose the last ones.
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    // Checkpoints run on a worker thread (see wal-checkpointer.ts); back to SQLite's default should it stop.
    this.#db.pragma('wal_autocheckpoint = 0');
    this.#checkpointer = new WalCheckpointer(source, () => this.#db.open && this.#db.pragma('wal_autocheckpoint = 1000'), checkpoints);
  }

  select(sql: string, bind: Bind = []): Promise<Row[]> {
    try {
      return Promise.resolve(this.#prepared(sql).all(params(bind)) as Row[]);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  batch(statements: readonly BatchStatement[], verify: (rows: Row[][]) => void): Promise<Row[][]> {
    const transaction = this.#db.transaction(() => {
      const rows = statements.map((s) => {
        const statement = this.#prepared(s.sql);
        if (s.returnsRows) return statement.all(params(s.bind)) as Row[];
        statement.run(params(s.bind));
        return [];
      });
      verify(rows); // throwing here rolls the transaction back
      return rows;
    });
    try {
      return Promise.resolve(transaction.immediate());
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async close(): Promise<void> {
    await this.#checkpointer?.stop();
    this.#db.close(); // the last connection to close checkpoints what is left
  }

  #prepared(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      if (this.#statements.size >= STATEMENT_CACHE) this.#statements.delete(this.#statements.keys().next().value as string);
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

/** `$1 … $n` bind by name ("1" … "n"); booleans as 0/1, undefined as NULL. */
function params(bind: Bind): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  bind.forEach((value, i) => {
    named[i + 1] = value === undefined ? null : typeof value === 'boolean' ? Number(value) : value;
  });
  return named;
}
