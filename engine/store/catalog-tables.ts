/** The CatalogStore port on SQL: catalog rows as JSON by table and key, the change log, publications. */
import type { CatalogChangeRecord, CatalogPublicationRecord, CatalogRowRecord, Page, PageRequest } from '../core/model.ts';
import type { CatalogChange, CatalogStore } from '../core/ports.ts';
import type { SqlExecutor } from './executors.ts';
import { FormTables } from './form-tables.ts';
import { num, type Row } from './rows.ts';
import { insert, runGuarded, selectPage, Where, type GuardedStatement } from './sql.ts';

const json = (text: unknown) => (text === null || text === undefined ? null : (JSON.parse(String(text)) as Record<string, unknown>));

const toChange = (r: Row): CatalogChangeRecord => ({
  id: num(r.id),
  revision: num(r.revision),
  table: String(r.tbl),
  key: String(r.row_key),
  service: (r.service as string | null) ?? null,
  action: r.action as 'put' | 'delete',
  data: json(r.data),
  at: num(r.at),
  by: (r.by as string | null) ?? null,
});

const toPublication = (r: Row): CatalogPublicationRecord => ({
  service: String(r.service),
  definitionId: String(r.definition_id),
  hash: String(r.hash),
  forms: JSON.parse(String(r.forms)) as CatalogPublicationRecord['forms'],
  bindings: JSON.parse(String(r.bindings)) as unknown,
  publishedAt: num(r.published_at),
  publishedBy: (r.published_by as string | null) ?? null,
});

/** Forms' tables first (FormTables), the catalog's here; SqlStore adds the runtime's. */
export class CatalogTables extends FormTables implements CatalogStore {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    super(sql);
    this.#sql = sql;
  }

  async loadCatalog(): Promise<{ revision: number; rows: CatalogRowRecord[] }> {
    const [head] = await this.#sql.select('SELECT rev FROM wf_catalog_head WHERE id = 1');
    const rows = await this.#sql.select('SELECT * FROM wf_catalog_rows ORDER BY tbl, row_key');
    return {
      revision: num(head?.rev ?? 0),
      rows: rows.map((r) => ({
        table: String(r.tbl),
        key: String(r.row_key),
        service: (r.service as string | null) ?? null,
        data: json(r.data)!,
        rev: num(r.rev),
        updatedAt: num(r.updated_at),
        updatedBy: (r.updated_by as string | null) ?? null,
      })),
    };
  }

  async writeCatalog(revision: number, changes: readonly CatalogChange[], at: number, by: string | null): Promise<number> {
    const statements: GuardedStatement[] = [
      { sql: 'UPDATE wf_catalog_head SET rev = rev + 1 WHERE id = 1 AND rev = $1 RETURNING rev', bind: [revision], returnsRows: true, guard: { entity: 'catalog', id: String(revision) } },
    ];
    for (const c of changes) {
      statements.push(
        c.data === null
          ? { sql: 'DELETE FROM wf_catalog_rows WHERE tbl = $1 AND row_key = $2', bind: [c.table, c.key] }
          : {
              sql:
                'INSERT INTO wf_catalog_rows (tbl, row_key, service, data, rev, updated_at, updated_by) VALUES ($1, $2, $3, $4, 1, $5, $6) ' +
                'ON CONFLICT (tbl, row_key) DO UPDATE SET service = excluded.service, data = excluded.data, rev = wf_catalog_rows.rev + 1, updated_at = excluded.updated_at, updated_by = excluded.updated_by',
              bind: [c.table, c.key, c.service, JSON.stringify(c.data), at, by],
            },
      );
    }
    if (changes.length)
      statements.push(
        insert(
          'wf_catalog_changes',
          changes.map((c) => ({
            revision: revision + 1,
            tbl: c.table,
            row_key: c.key,
            service: c.service,
            action: c.data === null ? 'delete' : 'put',
            data: c.data === null ? null : JSON.stringify(c.data),
            at,
            by,
          })),
        ),
      );
    await runGuarded(this.#sql, statements);
    return revision + 1;
  }

  listCatalogChanges(filter: { table?: string; key?: string; service?: string }, page: PageRequest): Promise<Page<CatalogChangeRecord>> {
    const where = new Where().eq('tbl', filter.table).eq('row_key', filter.key).eq('service', filter.service);
    return selectPage(this.#sql, 'wf_catalog_changes', where, 'id DESC', page, toChange);
  }

  async getPublication(service: string): Promise<CatalogPublicationRecord | null> {
    const [row] = await this.#sql.select('SELECT * FROM wf_catalog_publications WHERE service = $1', [service]);
    return row ? toPublication(row) : null;
  }

  async listPublications(): Promise<CatalogPublicationRecord[]> {
    return (await this.#sql.select('SELECT * FROM wf_catalog_publications ORDER BY service')).map(toPublication);
  }

  async putPublication(p: CatalogPublicationRecord): Promise<void> {
    const values = [p.service, p.definitionId, p.hash, JSON.stringify(p.forms), JSON.stringify(p.bindings), p.publishedAt, p.publishedBy];
    await this.#sql.batch(
      [
        {
          sql:
            'INSERT INTO wf_catalog_publications (service, definition_id, hash, forms, bindings, published_at, published_by) VALUES ($1, $2, $3, $4, $5, $6, $7) ' +
            'ON CONFLICT (service) DO UPDATE SET definition_id = excluded.definition_id, hash = excluded.hash, forms = excluded.forms, bindings = excluded.bindings, published_at = excluded.published_at, published_by = excluded.published_by',
          bind: values,
        },
      ],
      () => undefined,
    );
  }
}
