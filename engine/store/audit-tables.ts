/**
 * The audit trail and the chains' verification on SQL. Audit rows are chained
 * by the database on one of eight chains by actor (chains.ts); the
 * organisation's writes add theirs through `auditStatements` in their own
 * transaction.
 */
import type { AnchorRecord, AuditEntry, AuditFilter, AuditRecord, AuditTrail, ChainHeadRecord, ChainProblem } from '../core/audit.ts';
import type { Page, PageRequest } from '../core/model.ts';
import { appendChained, auditChain, auditContent, chainHash, GENESIS, historyContent, type ChainHead } from './chains.ts';
import type { SqlExecutor } from './executors.ts';
import { json, num, strOrNull, type Row } from './rows.ts';
import { insert, isUniqueViolation, runGuarded, selectPage, Where, type GuardedStatement } from './sql.ts';

const AUDIT_FIELDS = 'id, at, actor, address, action, target, data, chain, seq, hash';
const PAGE = 5000;
const MAX_PROBLEMS = 1000;

/** The statements that append `entries` to the audit trail, each numbered and hashed by the database on its chain. */
export function auditStatements(entries: readonly AuditEntry[]): GuardedStatement[] {
  return entries.flatMap((e) => {
    const chain = auditChain(e.actor ?? e.address);
    const row = { at: e.at, actor: e.actor, address: e.address, action: e.action, target: e.target, data: e.data ? JSON.stringify(e.data) : null };
    return appendChained('wf_audit', chain, row, auditContent({ ...row, chain }), e.at);
  });
}

const toAudit = (r: Row): AuditRecord => ({
  id: num(r.id),
  at: num(r.at),
  actor: strOrNull(r.actor),
  address: strOrNull(r.address),
  action: String(r.action),
  target: strOrNull(r.target),
  data: r.data === null || r.data === undefined ? null : json(r.data),
});

const toAnchor = (r: Row): AnchorRecord => ({
  id: num(r.id),
  period: String(r.period),
  at: num(r.at),
  since: num(r.since),
  heads: num(r.heads),
  digest: String(r.digest),
  keyId: String(r.key_id),
  signature: String(r.signature),
});

/** Checks each chain's rows in order against its head and the anchored heads; the first problem of a chain is reported. */
class ChainWalk {
  rows = 0;
  chains = 0;
  readonly problems: ChainProblem[] = [];
  #chain: string | null = null;
  #head: ChainHead | undefined;
  #seq = 0;
  #hash = GENESIS;
  #lastId = 0;
  #failed = false;

  constructor(private readonly anchored: ReadonlyMap<string, ReadonlyMap<number, string>>) {}

  problem(kind: ChainProblem['kind'], chain: string, seq: number | null, rowId: number | null, detail: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ kind, chain, seq, rowId, detail });
  }

  /** The next row of a chain (by number, or in the order written); `head` is its chain's head as stored. */
  row(chain: string, head: ChainHead | undefined, seq: number, id: number, content: string, hash: string): void {
    if (chain !== this.#chain) {
      this.end();
      this.#chain = chain;
      this.#head = head;
    }
    this.rows++;
    if (this.#failed) return;
    const fail = (kind: ChainProblem['kind'], detail: string) => {
      this.problem(kind, chain, seq, id, detail);
      this.#failed = true;
    };
    if (seq === this.#seq) return fail('inserted', `row ${id} repeats number ${seq} of the chain`);
    if (seq < this.#seq) return fail('reordered', `row ${id} (number ${seq}) was written after number ${this.#seq}`);
    if (!head || seq > head.seq) return fail('inserted', `row ${id} (number ${seq}) lies past the chain's head (${head?.seq ?? 'none'})`);
    if (seq > this.#seq + 1) return fail('deleted', `rows ${this.#seq + 1}–${seq - 1} of the chain are missing before row ${id}`);
    if (chainHash(this.#hash, seq, content) !== hash) return fail('edited', `row ${id} does not match its hash (edited, or put in with a made-up hash)`);
    if (id < this.#lastId) return fail('reordered', `row ${id} (number ${seq}) was written before the row that precedes it`);
    const anchoredHash = this.anchored.get(chain)?.get(seq);
    if (anchoredHash !== undefined && anchoredHash !== hash) return fail('edited', `row ${id} differs from the signed anchor (the chain was rewritten)`);
    this.#seq = seq;
    this.#hash = hash;
    this.#lastId = id;
  }

  /** The current chain ended: its last row must be its head, and every anchored row must have been there. */
  end(): void {
    const chain = this.#chain;
    if (chain === null) return;
    this.chains++;
    const head = this.#head;
    if (!this.#failed && head) {
      if (head.seq > this.#seq) this.problem('deleted', chain, this.#seq + 1, null, `rows ${this.#seq + 1}–${head.seq} at the end of the chain are missing`);
      else if (head.hash !== this.#hash) this.problem('edited', chain, head.seq, null, 'the chain’s last row does not match its head');
      for (const seq of this.anchored.get(chain)?.keys() ?? []) if (seq > this.#seq) this.problem('deleted', chain, seq, null, `row ${seq}, in a signed anchor, is missing`);
    }
    this.#chain = null;
    this.#seq = 0;
    this.#hash = GENESIS;
    this.#lastId = 0;
    this.#failed = false;
  }

  /** A chain with a head and not one row left. */
  emptied(chain: string, head: ChainHead): void {
    this.chains++;
    this.problem('deleted', chain, 1, null, `all ${head.seq} rows of the chain are missing`);
  }
}

const headOf = (seq: unknown, hash: unknown): ChainHead => ({ seq: num(seq), hash: hash === null || hash === undefined ? GENESIS : String(hash) });

export class AuditTables implements AuditTrail {
  constructor(private readonly sql: SqlExecutor) {}

  async record(entry: AuditEntry): Promise<void> {
    await runGuarded(this.sql, auditStatements([entry]));
  }

  list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditRecord>> {
    const where = new Where().eq('actor', filter.actor).eq('action', filter.action).eq('address', filter.address);
    if (filter.from !== undefined) where.add(`at >= ${where.param(filter.from)}`);
    if (filter.to !== undefined) where.add(`at < ${where.param(filter.to)}`);
    return selectPage(this.sql, 'wf_audit', where, 'id DESC', page, toAudit, AUDIT_FIELDS);
  }

  async walk(anchored: ReadonlyMap<string, ReadonlyMap<number, string>>): Promise<{ rows: number; chains: number; problems: ChainProblem[] }> {
    const walk = new ChainWalk(anchored);
    // The audit trail: eight chains, their heads in wf_chains; each runs through the archive, then the table.
    const auditHeads = new Map((await this.sql.select('SELECT chain, seq, hash FROM wf_chains')).map((r) => [String(r.chain), headOf(r.seq, r.hash)]));
    const chains = new Set([...auditHeads.keys(), ...(await this.sql.select('SELECT DISTINCT chain FROM wf_audit UNION SELECT DISTINCT chain FROM wf_audit_archive')).map((r) => String(r.chain))]);
    for (const chain of [...chains].sort()) {
      let rows = 0;
      for (const table of ['wf_audit_archive', 'wf_audit']) {
        for await (const page of this.#pages(`SELECT ${AUDIT_FIELDS} FROM ${table}`, 'seq', new Where([chain]).add('chain = $1'))) {
          for (const r of page) walk.row(chain, auditHeads.get(chain), num(r.seq), num(r.id), auditContent(r), String(r.hash));
          rows += page.length;
        }
      }
      walk.end();
      if (!rows) walk.emptied(chain, auditHeads.get(chain)!);
    }

    // Each case's history in the order it was written; its head on the case's row, read a page of cases at a time.
    for (const r of await this.sql.select('SELECT id, instance_id FROM wf_history WHERE seq IS NULL OR hash IS NULL LIMIT 100')) {
      walk.problem('inserted', `history:${String(r.instance_id)}`, null, num(r.id), `row ${num(r.id)} carries no chain number or hash`);
    }
    for await (const page of this.#pages('SELECT * FROM wf_history', 'instance_id', new Where().add('seq IS NOT NULL AND hash IS NOT NULL'))) {
      const ids = [...new Set(page.map((r) => String(r.instance_id)))];
      const heads = new Map((await this.sql.select(`SELECT id, history_seq, history_hash FROM wf_instances WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`, ids)).map((r) => [String(r.id), headOf(r.history_seq, r.history_hash)]));
      for (const r of page) walk.row(`history:${String(r.instance_id)}`, heads.get(String(r.instance_id)), num(r.seq), num(r.id), historyContent(r), String(r.hash));
    }
    walk.end();
    const emptied = await this.sql.select('SELECT id, history_seq, history_hash FROM wf_instances i WHERE history_seq > 0 AND NOT EXISTS (SELECT 1 FROM wf_history h WHERE h.instance_id = i.id) LIMIT 1000');
    for (const r of emptied) walk.emptied(`history:${String(r.id)}`, headOf(r.history_seq, r.history_hash));
    return { rows: walk.rows, chains: walk.chains, problems: walk.problems };
  }

  /** Rows in (`key`, id) order, a page at a time (keyset paging on indexed columns): an audit chain by number, the history by case. */
  async *#pages(from: string, key: 'seq' | 'instance_id', where: Where): AsyncGenerator<Row[]> {
    let after: [string | number, number] | null = null;
    for (;;) {
      const page = new Where([...where.bind]);
      for (const clause of where.clauses) page.add(clause);
      if (after) {
        const [k, i] = after.map((v) => page.param(v));
        page.add(`(${key} > ${k} OR (${key} = ${k} AND id > ${i}))`);
      }
      const rows = await this.sql.select(`${from} ${page} ORDER BY ${key}, id LIMIT ${PAGE}`, page.bind);
      if (rows.length) yield rows;
      if (rows.length < PAGE) return;
      const last = rows[rows.length - 1]!;
      after = [key === 'seq' ? num(last.seq) : String(last.instance_id), num(last.id)];
    }
  }

  async headsMoved(since: number, until: number): Promise<ChainHeadRecord[]> {
    const audit = await this.sql.select('SELECT chain, seq, hash FROM wf_chains WHERE updated_at > $1 AND updated_at <= $2', [since, until]);
    const history = await this.sql.select('SELECT id, history_seq, history_hash FROM wf_instances WHERE history_seq > 0 AND updated_at > $1 AND updated_at <= $2', [since, until]);
    return [
      ...audit.map((r) => ({ chain: String(r.chain), seq: num(r.seq), hash: String(r.hash) })),
      ...history.map((r) => ({ chain: `history:${String(r.id)}`, seq: num(r.history_seq), hash: String(r.history_hash) })),
    ];
  }

  async saveAnchor(anchor: Omit<AnchorRecord, 'id'>, heads: ChainHeadRecord[]): Promise<boolean> {
    const row = { period: anchor.period, at: anchor.at, since: anchor.since, heads: anchor.heads, digest: anchor.digest, key_id: anchor.keyId, signature: anchor.signature };
    const listed: GuardedStatement[] = [];
    for (let i = 0; i < heads.length; i += 500) listed.push(insert('wf_anchor_heads', heads.slice(i, i + 500).map((h) => ({ period: anchor.period, chain: h.chain, seq: h.seq, hash: h.hash }))));
    try {
      await runGuarded(this.sql, [insert('wf_anchors', [row]), ...listed]);
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async anchors(): Promise<AnchorRecord[]> {
    return (await this.sql.select('SELECT * FROM wf_anchors ORDER BY at, id')).map(toAnchor);
  }

  async anchorHeads(period: string): Promise<ChainHeadRecord[]> {
    const rows = await this.sql.select('SELECT chain, seq, hash FROM wf_anchor_heads WHERE period = $1', [period]);
    return rows.map((r) => ({ chain: String(r.chain), seq: num(r.seq), hash: String(r.hash) }));
  }

  async archive(before: number): Promise<number> {
    const [moved] = await this.sql.batch(
      [
        { sql: `INSERT INTO wf_audit_archive (${AUDIT_FIELDS}) SELECT ${AUDIT_FIELDS} FROM wf_audit WHERE at < $1 RETURNING id`, bind: [before], returnsRows: true },
        { sql: 'DELETE FROM wf_audit WHERE at < $1', bind: [before] },
      ],
      () => undefined,
    );
    return moved?.length ?? 0;
  }
}
