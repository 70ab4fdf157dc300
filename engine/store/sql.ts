/** SQL building blocks shared by the store's tables (numbered $n parameters, both dialects). */
import type { Page, PageRequest } from '../core/model.ts';
import { ConflictError } from '../core/ports.ts';
import type { BatchStatement, SqlExecutor } from './executors.ts';
import { num, type Row } from './rows.ts';

/** Collects WHERE clauses with numbered bind parameters ($1, $2 …) for both dialects. */
export class Where {
  readonly clauses: string[] = [];
  constructor(readonly bind: unknown[] = []) {}
  param(value: unknown): string {
    this.bind.push(value);
    return `$${this.bind.length}`;
  }
  add(clause: string): this {
    this.clauses.push(clause);
    return this;
  }
  eq(column: string, value: unknown): this {
    if (value !== undefined) this.clauses.push(`${column} = ${this.param(value)}`);
    return this;
  }
  toString(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

export interface GuardedStatement extends BatchStatement {
  /** When set, the statement must return a row, else the step lost a race. */
  guard?: { entity: string; id: string };
}

/** A multi-row INSERT with numbered parameters. */
export function insert(table: string, records: Row[]): GuardedStatement {
  const columns = Object.keys(records[0]!);
  const bind: unknown[] = [];
  const tuples = records.map((r) => `(${columns.map((c) => (bind.push(r[c] ?? null), `$${bind.length}`)).join(', ')})`);
  return { sql: `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`, bind };
}

/** Statements as one transaction; a guarded one that matched no row rolls it back with a ConflictError. */
export async function runGuarded(sql: SqlExecutor, statements: readonly GuardedStatement[]): Promise<void> {
  await sql.batch(statements, (results) => {
    statements.forEach((statement, i) => {
      if (statement.guard && !results[i]?.length) throw new ConflictError(statement.guard.entity, statement.guard.id);
    });
  });
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string };
  return e.name === 'SequelizeUniqueConstraintError' || e.code === '23505' || (/^SQLITE_CONSTRAINT/.test(e.code ?? '') && /UNIQUE/.test(e.message ?? ''));
}


/** One page of rows and the total count, in a stable order. */
export async function selectPage<T>(sql: SqlExecutor, table: string, where: Where, order: string, page: PageRequest, map: (r: Row) => T, columns = '*'): Promise<Page<T>> {
  const [countRow] = await sql.select(`SELECT COUNT(*) AS n FROM ${table} ${where}`, where.bind);
  const limit = where.param(page.limit);
  const offset = where.param(page.offset);
  const items = await sql.select(`SELECT ${columns} FROM ${table} ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`, where.bind);
  return { items: items.map(map), total: num(countRow?.n ?? 0), offset: page.offset, limit: page.limit };
}
