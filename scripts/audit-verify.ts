/**
 * npm run audit:verify — walk the hash chains of the audit trail and of every
 * case history in DATABASE_URL, check the signed anchors with the anchor key
 * (AUDIT_ANCHOR_KEY, or the key file beside the data), and report the first
 * row of each chain that was edited, deleted, inserted or re-ordered. Exits 1
 * when anything is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AnchorKey, verifyAudit } from '../engine/core/audit.ts';
import { loadConfig } from '../engine/config.ts';
import { AnchorFile } from '../engine/store/anchor-file.ts';
import { AuditTables } from '../engine/store/audit-tables.ts';
import { openDatabase } from '../engine/store/connect.ts';

const config = loadConfig({ ...process.env, DEMO: 'false' });
const keyFile = path.resolve(config.filesDir, '..', 'audit-anchor.pem');
const pem = config.auditAnchorKey ?? (fs.existsSync(keyFile) ? fs.readFileSync(keyFile, 'utf8') : null);
if (!pem) {
  console.error(`no anchor key: set AUDIT_ANCHOR_KEY or keep ${keyFile}`);
  process.exit(2);
}
const db = await openDatabase(config.databaseUrl);
try {
  const report = await verifyAudit(new AuditTables(db.executor), AnchorKey.fromPem(pem), new AnchorFile(config.auditAnchorFile));
  console.log(`${report.ok ? 'OK' : 'TAMPERED'}: ${report.rows} rows in ${report.chains} chains, ${report.anchors} signed anchors`);
  for (const p of report.problems) console.log(`  ${p.kind.padEnd(9)} ${p.chain}${p.seq === null ? '' : ` #${p.seq}`}${p.rowId === null ? '' : ` (row ${p.rowId})`}: ${p.detail}`);
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await db.close();
}
