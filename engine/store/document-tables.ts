/** The DocumentStore port on SQL: electronic documents, and the citizens' real-name levels they rest on. */
import type { DocumentRecord } from '../core/model.ts';
import type { DocumentStore } from '../core/ports.ts';
import { CatalogTables } from './catalog-tables.ts';
import type { SqlExecutor } from './executors.ts';
import { num, type Row } from './rows.ts';

const toDocument = (r: Row): DocumentRecord => ({
  id: String(r.id),
  kind: String(r.kind),
  title: String(r.title),
  holder: String(r.holder),
  holderName: String(r.holder_name),
  instanceId: (r.instance_id as string | null) ?? null,
  data: JSON.parse(String(r.data)) as Record<string, string>,
  validFrom: num(r.valid_from),
  validTo: r.valid_to === null || r.valid_to === undefined ? null : num(r.valid_to),
  issuedAt: num(r.issued_at),
  revokedAt: r.revoked_at === null || r.revoked_at === undefined ? null : num(r.revoked_at),
  revokedBy: (r.revoked_by as string | null) ?? null,
});

/** Forms' and the catalog's tables first; the documents' here; SqlStore adds the runtime's. */
export class DocumentTables extends CatalogTables implements DocumentStore {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    super(sql);
    this.#sql = sql;
  }

  async insertDocument(d: DocumentRecord): Promise<void> {
    await this.#sql.batch(
      [
        {
          sql:
            'INSERT INTO wf_documents (id, kind, title, holder, holder_name, instance_id, data, valid_from, valid_to, issued_at, revoked_at, revoked_by) ' +
            'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL) ON CONFLICT (id) DO NOTHING',
          bind: [d.id, d.kind, d.title, d.holder, d.holderName, d.instanceId, JSON.stringify(d.data), d.validFrom, d.validTo, d.issuedAt],
        },
      ],
      () => undefined,
    );
  }

  async getDocument(id: string): Promise<DocumentRecord | null> {
    const [row] = await this.#sql.select('SELECT * FROM wf_documents WHERE id = $1', [id]);
    return row ? toDocument(row) : null;
  }

  async listDocuments(holder: string): Promise<DocumentRecord[]> {
    return (await this.#sql.select('SELECT * FROM wf_documents WHERE holder = $1 ORDER BY issued_at DESC, id', [holder])).map(toDocument);
  }

  async identityLevel(userId: string): Promise<number> {
    const [row] = await this.#sql.select('SELECT level FROM wf_identity_levels WHERE user_id = $1', [userId]);
    return row ? num(row.level) : 0;
  }

  async raiseIdentityLevel(userId: string, level: number, verificationId: string | null, at: number): Promise<void> {
    await this.#sql.batch(
      [
        {
          sql:
            'INSERT INTO wf_identity_levels (user_id, level, verification_id, verified_at) VALUES ($1, $2, $3, $4) ' +
            'ON CONFLICT (user_id) DO UPDATE SET level = excluded.level, verification_id = excluded.verification_id, verified_at = excluded.verified_at WHERE wf_identity_levels.level <= excluded.level',
          bind: [userId, level, verificationId, at],
        },
      ],
      () => undefined,
    );
  }

  async revokeDocument(id: string, at: number, by: string): Promise<boolean> {
    const [rows] = await this.#sql.batch(
      [{ sql: 'UPDATE wf_documents SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL RETURNING id', bind: [id, at, by], returnsRows: true }],
      () => undefined,
    );
    return (rows ?? []).length > 0;
  }
}
