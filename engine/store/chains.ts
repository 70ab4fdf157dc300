/**
 * Hash chains over the append-only tables (the audit trail, each case's
 * history): every row carries its number in its chain and the SHA-256 of the
 * previous row's hash, its number and its content, so a row edited, deleted,
 * inserted or re-ordered breaks the chain where it happened. A chain's head
 * (last number and hash) is kept beside the rows and moved in the same
 * transaction. Chains are many — one per case, eight for the audit trail — so
 * concurrent writers on PostgreSQL rarely meet on one head.
 *
 * Two kinds of head. A case's history is chained here, in the step's process;
 * its head lives on the case's own row, moved by the update the step makes
 * anyway and guarded by the number it was read at (a step is serialised per
 * case already; another writer in between costs a retry). Audit rows are
 * chained by the database itself (`wf_chain_hash`, a SQL function on
 * PostgreSQL and a registered one on SQLite) under the lock of their head row
 * in wf_chains: many writers of one chain wait their turn instead of failing.
 */
import { chainHash, GENESIS } from './chain-hash.ts';
import type { SqlExecutor } from './executors.ts';

export { chainHash, GENESIS };
import { num, type Row } from './rows.ts';
import type { GuardedStatement } from './sql.ts';


export interface ChainHead {
  seq: number;
  hash: string;
}


/** The audit trail is spread over this many chains (by actor), so its writers do not queue on one head row. */
export const AUDIT_CHAINS = 8;

export function auditChain(actor: string | null): string {
  let h = 0;
  for (const ch of actor ?? '') h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `audit:${h % AUDIT_CHAINS}`;
}

/** The content of an audit row that its hash covers. */
export const auditContent = (r: Row) => JSON.stringify([r.chain, num(r.at), r.actor ?? null, r.address ?? null, r.action, r.target ?? null, r.data ?? null]);

/** The content of a history row that its hash covers. */
export const historyContent = (r: Row) => JSON.stringify([r.instance_id, num(r.at), r.kind, r.activity_id ?? null, r.task_id ?? null, r.actor ?? null, r.data ?? null]);

/**
 * Append one row to a chain the database advances: the head row made if
 * missing, moved on under its lock, and the row inserted with the head's new
 * number and hash. `row` holds the row's other columns; `content` what its hash covers.
 */
export function appendChained(table: string, chain: string, row: Row, content: string, at: number): GuardedStatement[] {
  const columns = Object.keys(row);
  const values = columns.map((_, i) => `$${i + 2}`);
  return [
    { sql: 'INSERT INTO wf_chains (chain, seq, hash, updated_at) VALUES ($1, 0, $2, $3) ON CONFLICT DO NOTHING', bind: [chain, GENESIS, at] },
    { sql: 'UPDATE wf_chains SET seq = seq + 1, hash = wf_chain_hash(hash, seq + 1, $2), updated_at = $3 WHERE chain = $1', bind: [chain, content, at] },
    {
      sql: `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}, chain, seq, hash) SELECT ${values.join(', ')}, chain, seq, hash FROM wf_chains WHERE chain = $1`,
      bind: [chain, ...columns.map((c) => row[c] ?? null)],
    },
  ];
}

const CACHE_SIZE = 20_000;

/**
 * The heads of the case histories' chains, kept on each case's wf_instances
 * row (history_seq, history_hash): a step's instance update moves its head
 * in the statement it runs anyway. This process remembers the heads it wrote
 * (a cache: a stale one costs a retry, never a fork). One per database.
 */
export class HistoryHeads {
  readonly #known = new Map<string, ChainHead>();

  constructor(private readonly sql: SqlExecutor) {}

  /** The heads of these cases; those in `fresh` start in this very transaction and have none yet. */
  async heads(instanceIds: readonly string[], fresh: ReadonlySet<string>): Promise<Map<string, ChainHead>> {
    const result = new Map<string, ChainHead>();
    const missing: string[] = [];
    for (const id of instanceIds) {
      const known = fresh.has(id) ? { seq: 0, hash: GENESIS } : this.#known.get(id);
      if (known) result.set(id, known);
      else missing.push(id);
    }
    if (missing.length) {
      const rows = await this.sql.select(`SELECT id, history_seq, history_hash FROM wf_instances WHERE id IN (${missing.map((_, i) => `$${i + 1}`).join(', ')})`, missing);
      for (const id of missing) result.set(id, { seq: 0, hash: GENESIS });
      for (const r of rows) result.set(String(r.id), { seq: num(r.history_seq), hash: r.history_hash === null ? GENESIS : String(r.history_hash) });
    }
    return result;
  }

  /** After a commit: the heads as written. */
  remember(heads: ReadonlyMap<string, ChainHead>): void {
    if (this.#known.size + heads.size > CACHE_SIZE) this.#known.clear();
    for (const [id, head] of heads) this.#known.set(id, head);
  }

  forget(instanceIds: Iterable<string>): void {
    for (const id of instanceIds) this.#known.delete(id);
  }
}

const perExecutor = new WeakMap<SqlExecutor, HistoryHeads>();

/** One HistoryHeads per database connection. */
export function historyHeadsOf(sql: SqlExecutor): HistoryHeads {
  let heads = perExecutor.get(sql);
  if (!heads) perExecutor.set(sql, (heads = new HistoryHeads(sql)));
  return heads;
}
