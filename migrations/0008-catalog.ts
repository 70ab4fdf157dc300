import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * The service catalog (catalog.md): every table's rows as JSON under their
 * table and key (the tables are small and their columns are the catalog's to
 * define: definitions/catalog/tables.ts), a head revision that serialises
 * writes (a change is checked against the whole catalog), the append-only log
 * of every change with who and when, and what each service last published.
 */
const str = (len: number, allowNull = true) => ({ type: DataTypes.STRING(len), allowNull });
const text = (allowNull = true) => ({ type: DataTypes.TEXT, allowNull });
const time = (allowNull = true) => ({ type: DataTypes.BIGINT, allowNull });

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('wf_catalog_head', {
    id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
    rev: { type: DataTypes.INTEGER, allowNull: false },
  });
  await qi.bulkInsert('wf_catalog_head', [{ id: 1, rev: 0 }]);

  await qi.createTable('wf_catalog_rows', {
    tbl: { type: DataTypes.STRING(32), allowNull: false, primaryKey: true },
    row_key: { type: DataTypes.STRING(200), allowNull: false, primaryKey: true },
    service: str(32),
    data: text(false),
    rev: { type: DataTypes.INTEGER, allowNull: false },
    updated_at: time(false),
    updated_by: str(128),
  });
  await qi.addIndex('wf_catalog_rows', ['service'], { name: 'wf_catalog_rows_service' });

  await qi.createTable('wf_catalog_changes', {
    id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
    revision: { type: DataTypes.INTEGER, allowNull: false },
    tbl: str(32, false),
    row_key: str(200, false),
    service: str(32),
    action: str(8, false),
    data: text(),
    at: time(false),
    by: str(128),
  });
  await qi.addIndex('wf_catalog_changes', ['tbl', 'row_key'], { name: 'wf_catalog_changes_row' });
  await qi.addIndex('wf_catalog_changes', ['service'], { name: 'wf_catalog_changes_service' });

  await qi.createTable('wf_catalog_publications', {
    service: { type: DataTypes.STRING(32), allowNull: false, primaryKey: true },
    definition_id: str(128, false),
    hash: str(64, false),
    forms: text(false),
    bindings: text(false),
    published_at: time(false),
    published_by: str(128),
  });
}
