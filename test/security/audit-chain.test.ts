/**
 * The tamper-evident audit trail and case history: rows edited, deleted,
 * back-dated, inserted or re-ordered directly in SQL are each found by the
 * verifier, on both stores; a chain rewritten whole (hashes recomputed, head
 * moved) is found by the signed anchor; rows moved to the archive stay
 * verifiable; and many writers of one chain at once all get their row.
 */
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { expect } from 'chai';
import { AnchorKey, verifyAudit, writeAnchor, type AuditReport } from '../../engine/core/audit.ts';
import { AnchorFile } from '../../engine/store/anchor-file.ts';
import { AuditTables } from '../../engine/store/audit-tables.ts';
import { chainHash, GENESIS, historyContent } from '../../engine/store/chains.ts';
import { describeOnBothStores } from '../support/harness.ts';
import { tempDir } from '../support/services.ts';

const DAY = 24 * 3600_000;
const key = new AnchorKey(generateKeyPairSync('ed25519').privateKey);

describeOnBothStores('security: tamper-evident audit trail and history', (ctx) => {
  let trail: AuditTables;
  let copies: AnchorFile;
  const check = () => verifyAudit(trail, key, copies);
  const sql = (text: string, bind: unknown[] = []) => ctx().db.executor.batch([{ sql: text, bind }], () => undefined);
  const select = (text: string, bind: unknown[] = []) => ctx().db.executor.select(text, bind);
  const kinds = (report: AuditReport) => report.problems.map((p) => `${p.kind}:${p.chain.replace(/:.*/, '')}`);

  /** A few audit rows by two people, and two finished cases with their history. */
  async function seed(): Promise<string[]> {
    const c = ctx();
    trail = new AuditTables(c.db.executor);
    copies = new AnchorFile(path.join(tempDir('anchors'), 'anchors.jsonl'));
    for (let i = 0; i < 6; i++) await trail.record({ at: c.clock.now() + i, actor: i % 2 ? 'lisi' : 'zhangsan', address: '10.0.0.7', action: 'task.complete', target: `t${i}`, data: { input: { approved: i % 3 === 0 } } });
    await c.deploy('approval');
    const ids: string[] = [];
    for (const key of ['A-1', 'A-2']) {
      const instance = await c.start('approval', { amount: 10, type: 'office', applicant: 'zhangsan' }, key);
      await c.complete(instance.id, 'submit', {}, 'zhangsan');
      await c.complete(instance.id, 'manager', {}, 'lisi');
      ids.push(instance.id);
    }
    return ids;
  }

  it('verifies an untouched trail and history, with the rows and chains it walked', async () => {
    await seed();
    const report = await check();
    expect(report.problems).to.deep.equal([]);
    expect(report.ok).to.equal(true);
    expect(report.rows).to.be.above(6);
    expect(report.chains).to.be.at.least(4);
  });

  it('finds an audit row edited in place, naming its chain and number', async () => {
    await seed();
    const [row] = await select(`SELECT id, chain, seq FROM wf_audit WHERE target = 't2'`);
    await sql(`UPDATE wf_audit SET data = '{"input":{"approved":true}}' WHERE id = $1`, [row!.id]);
    const report = await check();
    expect(report.ok).to.equal(false);
    expect(report.problems).to.have.length(1);
    expect(report.problems[0]).to.include({ kind: 'edited', chain: String(row!.chain), seq: Number(row!.seq), rowId: Number(row!.id) });
  });

  it('finds a back-dated audit row', async () => {
    await seed();
    await sql(`UPDATE wf_audit SET at = at - 86400000 WHERE target = 't3'`);
    expect(kinds(await check())).to.deep.equal(['edited:audit']);
  });

  it('finds an audit row deleted from the middle of its chain', async () => {
    await seed();
    await sql(`DELETE FROM wf_audit WHERE target = 't2'`);
    const report = await check();
    expect(report.problems.map((p) => p.kind)).to.deep.equal(['deleted']);
    expect(report.problems[0]!.detail).to.match(/missing/);
  });

  it('finds an audit row deleted from the end of its chain', async () => {
    await seed();
    await sql(`DELETE FROM wf_audit WHERE target = 't5'`);
    expect((await check()).problems.map((p) => p.kind)).to.deep.equal(['deleted']);
  });

  it('finds a row added after the head of its chain', async () => {
    await seed();
    const [last] = await select(`SELECT chain, seq, hash FROM wf_audit WHERE target = 't5'`);
    await sql(`INSERT INTO wf_audit (at, actor, address, action, target, data, chain, seq, hash) VALUES (1, 'mallory', NULL, 'user.update', 'mallory', NULL, $1, $2, $3)`, [last!.chain, Number(last!.seq) + 1, last!.hash]);
    expect((await check()).problems.map((p) => p.kind)).to.deep.equal(['inserted']);
  });

  it('finds rows of a chain swapped in order', async () => {
    await seed();
    // The two first rows of lisi's chain exchange their numbers and hashes: the order they were written in no longer holds.
    const rows = await select(`SELECT id, seq, hash FROM wf_audit WHERE actor = 'lisi' ORDER BY seq`);
    const [a, b] = [rows[0]!, rows[1]!];
    await sql(`UPDATE wf_audit SET seq = -1 WHERE id = $1`, [a.id]);
    await sql(`UPDATE wf_audit SET seq = $2, hash = $3 WHERE id = $1`, [b.id, a.seq, a.hash]);
    await sql(`UPDATE wf_audit SET seq = $2, hash = $3 WHERE id = $1`, [a.id, b.seq, b.hash]);
    const report = await check();
    expect(report.ok).to.equal(false);
    expect(report.problems[0]!.kind).to.be.oneOf(['edited', 'reordered']);
  });

  it('finds case history edited or back-dated', async () => {
    const [first, second] = await seed();
    await sql(`UPDATE wf_history SET actor = 'mallory' WHERE instance_id = $1 AND kind = 'task.complete'`, [first]);
    await sql(`UPDATE wf_history SET at = at - 3600000 WHERE id = (SELECT MIN(id) FROM wf_history WHERE instance_id = $1)`, [second]);
    const report = await check();
    expect(report.problems.map((p) => `${p.kind}:${p.chain}`).sort()).to.deep.equal([`edited:history:${first}`, `edited:history:${second}`].sort());
  });

  it('finds case history deleted', async () => {
    const [id] = await seed();
    await sql(`DELETE FROM wf_history WHERE id = (SELECT MAX(id) FROM wf_history WHERE instance_id = $1)`, [id]);
    expect((await check()).problems.map((p) => `${p.kind}:${p.chain}`)).to.deep.equal([`deleted:history:${id}`]);
  });

  it('finds case history inserted', async () => {
    const [id] = await seed();
    await sql(`INSERT INTO wf_history (instance_id, at, kind, actor) VALUES ($1, 1, 'comment', 'mallory')`, [id]);
    expect((await check()).problems.map((p) => p.kind)).to.deep.equal(['inserted']);
  });

  it('finds a chain rewritten whole — hashes recomputed, head moved — by its signed anchor', async () => {
    const [id] = await seed();
    const anchor = await writeAnchor(trail, key, copies, ctx().clock.now(), DAY);
    expect(anchor).to.not.equal(null);
    expect(await writeAnchor(trail, key, copies, ctx().clock.now(), DAY), 'one anchor per day').to.equal(null);
    // The attacker drops the last history row and rebuilds the chain so that it verifies on its own.
    await sql(`DELETE FROM wf_history WHERE id = (SELECT MAX(id) FROM wf_history WHERE instance_id = $1)`, [id]);
    await sql(`UPDATE wf_history SET actor = 'mallory' WHERE instance_id = $1`, [id]);
    let previous = GENESIS;
    let last = 0;
    for (const row of await select('SELECT * FROM wf_history WHERE instance_id = $1 ORDER BY seq', [id])) {
      previous = chainHash(previous, Number(row.seq), historyContent(row));
      last = Number(row.seq);
      await sql('UPDATE wf_history SET hash = $2 WHERE id = $1', [row.id, previous]);
    }
    await sql('UPDATE wf_instances SET history_seq = $2, history_hash = $3 WHERE id = $1', [id, last, previous]);
    const report = await check();
    expect(report.ok).to.equal(false);
    expect(report.problems.map((p) => p.chain)).to.deep.equal([`history:${id}`]);
    expect(report.problems[0]!.detail).to.match(/anchor/);
  });

  it('finds an anchor whose listed heads were changed, or that was deleted (its copy outside the database remains)', async () => {
    await seed();
    await writeAnchor(trail, key, copies, ctx().clock.now(), DAY);
    await sql('DELETE FROM wf_anchor_heads');
    expect((await check()).problems.map((p) => p.kind)).to.deep.equal(['anchor']);
    await sql('DELETE FROM wf_anchors');
    const report = await check();
    expect(report.problems.map((p) => p.kind)).to.deep.equal(['anchor']);
    expect(report.problems[0]!.detail).to.match(/deleted/);
  });

  it('does not count an anchor signed with another key', async () => {
    await seed();
    const other = new AnchorKey(generateKeyPairSync('ed25519').privateKey);
    await writeAnchor(trail, other, null, ctx().clock.now(), DAY);
    expect((await check()).problems.map((p) => p.kind)).to.deep.equal(['anchor']);
  });

  it('keeps the chains verifiable after old audit rows move to the archive', async () => {
    const c = ctx();
    await seed();
    c.clock.advance(400 * DAY);
    await trail.record({ at: c.clock.now(), actor: 'zhangsan', address: null, action: 'auth.login', target: null, data: null });
    expect(await trail.archive(c.clock.now() - 365 * DAY)).to.equal(6);
    expect(Number((await select('SELECT COUNT(*) AS n FROM wf_audit'))[0]!.n)).to.equal(1);
    expect((await check()).problems).to.deep.equal([]);
    await sql(`UPDATE wf_audit_archive SET actor = 'mallory' WHERE target = 't0'`);
    expect(kinds(await check())).to.deep.equal(['edited:audit']);
  });

  it('gives every one of many concurrent writers of one chain its row, in one unbroken chain', async () => {
    await seed();
    const c = ctx();
    await Promise.all(Array.from({ length: 40 }, (_, i) => trail.record({ at: c.clock.now(), actor: 'busy-service', address: null, action: 'instance.start', target: `i${i}`, data: null })));
    expect(Number((await select(`SELECT COUNT(*) AS n FROM wf_audit WHERE actor = 'busy-service'`))[0]!.n)).to.equal(40);
    expect((await check()).ok).to.equal(true);
  });
});
