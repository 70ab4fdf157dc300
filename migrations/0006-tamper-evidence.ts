import { DataTypes, QueryTypes, type QueryInterface } from 'sequelize';
import { auditChain, auditContent, chainHash, GENESIS, historyContent } from '../engine/store/chains.ts';

/**
 * A tamper-evident audit trail and case history (engine/store/chains.ts):
 * every row gets its number in its chain and its hash; wf_chains keeps the
 * audit chains' heads, each case's row its history's head; signed anchors of
 * the heads; an archive for audit rows past
 * their retention; the client address on audit rows; when an upload not
 * bound to a case expires. The organisation's
 * version moves to a counter of its own (it was the newest audit id, which
 * now moves with every sign-in). Rows written before this migration are
 * chained here, in the order they were written.
 */
const str = (len: number, allowNull = true) => ({ type: DataTypes.STRING(len), allowNull });
const text = (allowNull = true) => ({ type: DataTypes.TEXT, allowNull });
const big = (allowNull = true) => ({ type: DataTypes.BIGINT, allowNull });

const AUDIT_COLUMNS = {
  id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
  at: big(false),
  actor: str(128),
  address: str(64),
  action: str(64, false),
  target: str(255),
  data: text(),
  chain: str(32, false),
  seq: big(false),
  hash: str(64, false),
};

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const sequelize = qi.sequelize;
  const select = (sql: string, replacements: unknown[] = []) => sequelize.query<Record<string, unknown>>(sql, { type: QueryTypes.SELECT, replacements });

  if (sequelize.getDialect() === 'postgres') {
    // The chains' step, as engine/store/chains.ts computes it: SHA-256 of "previous\nseq\ncontent".
    await sequelize.query(`CREATE OR REPLACE FUNCTION wf_chain_hash(previous text, seq bigint, content text) RETURNS text
      LANGUAGE sql IMMUTABLE AS $$ SELECT encode(sha256(convert_to(previous || E'\\n' || seq::text || E'\\n' || content, 'UTF8')), 'hex') $$`);
  }
  await qi.createTable('wf_chains', {
    chain: { type: DataTypes.STRING(160), allowNull: false, primaryKey: true },
    seq: big(false),
    hash: str(64, false),
    updated_at: big(false),
  });
  // No index on updated_at: a head moves with every step, and an indexed column would make each move a non-HOT
  // update on PostgreSQL; the daily anchor reads the table through once instead.

  // The audit table is rebuilt with its new columns (SQLite cannot add NOT NULL columns to rows that exist).
  const audit = await select('SELECT * FROM wf_audit ORDER BY id');
  await qi.dropTable('wf_audit');
  await qi.createTable('wf_audit', AUDIT_COLUMNS);
  await qi.addIndex('wf_audit', ['at'], { name: 'wf_audit_at' });
  await qi.addIndex('wf_audit', ['chain', 'seq'], { name: 'wf_audit_chain', unique: true });
  await qi.addIndex('wf_audit', ['actor', 'at'], { name: 'wf_audit_actor' });
  await qi.createTable('wf_audit_archive', { ...AUDIT_COLUMNS, id: { type: DataTypes.BIGINT, primaryKey: true } });
  await qi.addIndex('wf_audit_archive', ['chain', 'seq'], { name: 'wf_audit_archive_chain', unique: true });

  const advance = (heads: Map<string, { seq: number; hash: string; at: number }>, chain: string, at: number, content: string) => {
    const head = heads.get(chain) ?? { seq: 0, hash: GENESIS, at };
    const seq = head.seq + 1;
    const hash = chainHash(head.hash, seq, content);
    heads.set(chain, { seq, hash, at: Math.max(head.at, at) });
    return { seq, hash };
  };
  const auditHeads = new Map<string, { seq: number; hash: string; at: number }>();
  for (const r of audit) {
    const chain = auditChain((r.actor as string | null) ?? null);
    const row = { id: r.id, at: r.at, actor: r.actor ?? null, address: null, action: r.action, target: r.target ?? null, data: r.data ?? null, chain };
    const { seq, hash } = advance(auditHeads, chain, Number(r.at), auditContent(row));
    await qi.bulkInsert('wf_audit', [{ ...row, seq, hash }]);
  }
  if (sequelize.getDialect() === 'postgres' && audit.length) {
    await sequelize.query(`SELECT setval(pg_get_serial_sequence('wf_audit', 'id'), (SELECT MAX(id) FROM wf_audit))`);
  }

  for (const [chain, head] of auditHeads) await qi.bulkInsert('wf_chains', [{ chain, seq: head.seq, hash: head.hash, updated_at: head.at }]);

  await qi.addColumn('wf_history', 'seq', big());
  await qi.addColumn('wf_history', 'hash', str(64));
  await qi.addColumn('wf_instances', 'history_seq', { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });
  await qi.addColumn('wf_instances', 'history_hash', str(64));
  const historyHeads = new Map<string, { seq: number; hash: string; at: number }>();
  for (const r of await select('SELECT * FROM wf_history ORDER BY instance_id, id')) {
    const { seq, hash } = advance(historyHeads, String(r.instance_id), Number(r.at), historyContent(r));
    await sequelize.query('UPDATE wf_history SET seq = ?, hash = ? WHERE id = ?', { replacements: [seq, hash, r.id] });
  }
  for (const [id, head] of historyHeads) await sequelize.query('UPDATE wf_instances SET history_seq = ?, history_hash = ? WHERE id = ?', { replacements: [head.seq, head.hash, id] });
  // No index on (instance_id, seq): the verifier walks a case's rows by (instance_id, id), which is indexed already;
  // one more index on the busiest table would cost every step.

  // Signed anchors: each lists the chain heads that moved since the one before (wf_anchor_heads, by period), signed over their digest.
  await qi.createTable('wf_anchors', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
    period: { type: DataTypes.STRING(32), allowNull: false, unique: true },
    at: big(false),
    since: big(false),
    heads: { type: DataTypes.INTEGER, allowNull: false },
    digest: str(64, false),
    key_id: str(64, false),
    signature: str(200, false),
  });
  await qi.createTable('wf_anchor_heads', {
    period: { type: DataTypes.STRING(32), allowNull: false, primaryKey: true },
    chain: { type: DataTypes.STRING(160), allowNull: false, primaryKey: true },
    seq: big(false),
    hash: str(64, false),
  });

  // Uploads never bound to a case expire (a draft that refers to one keeps it longer).
  await qi.addColumn('wf_files', 'expires_at', big());
  await sequelize.query('UPDATE wf_files SET expires_at = created_at + 86400000 WHERE instance_id IS NULL');
  await qi.addIndex('wf_files', ['expires_at'], { name: 'wf_files_expires' });

  await qi.createTable('wf_counters', {
    name: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
    value: big(false),
  });
  await qi.bulkInsert('wf_counters', [{ name: 'org', value: 1 }]);
}
