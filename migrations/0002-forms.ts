import { DataTypes, type QueryInterface } from 'sequelize';

/** Forms, dictionaries, drafts and uploaded files; the form version a task shows; incidents by what failed. */
const id = { type: DataTypes.STRING(64), allowNull: false, primaryKey: true };
const str = (len: number, allowNull = true) => ({ type: DataTypes.STRING(len), allowNull });
const text = (allowNull = true) => ({ type: DataTypes.TEXT, allowNull });
const time = (allowNull = true) => ({ type: DataTypes.BIGINT, allowNull });

export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('wf_forms', {
    id,
    key: str(64, false),
    version: { type: DataTypes.INTEGER, allowNull: false },
    title: text(false),
    hash: str(64, false),
    definition: text(false),
    deployed_at: time(false),
    deployed_by: str(128),
  });
  await qi.addIndex('wf_forms', ['key', 'version'], { unique: true, name: 'wf_forms_key_version' });
  await qi.addIndex('wf_forms', ['key', 'hash'], { name: 'wf_forms_key_hash' });

  await qi.createTable('wf_dictionaries', {
    key: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
    name: text(false),
    items: text(false),
    rev: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
    updated_at: time(false),
    updated_by: str(128),
  });

  // One draft per user and target (a task, or a process's start form).
  await qi.createTable('wf_form_drafts', {
    owner: { type: DataTypes.STRING(128), allowNull: false, primaryKey: true },
    target: { type: DataTypes.STRING(200), allowNull: false, primaryKey: true },
    form_key: str(64, false),
    form_version: { type: DataTypes.INTEGER, allowNull: false },
    data: text(false),
    updated_at: time(false),
  });

  await qi.createTable('wf_files', {
    id,
    owner: str(128, false),
    name: str(255, false),
    content_type: str(100, false),
    size: { type: DataTypes.BIGINT, allowNull: false },
    sha256: str(64, false),
    storage_key: str(255, false),
    instance_id: str(64),
    created_at: time(false),
  });
  await qi.addIndex('wf_files', ['instance_id'], { name: 'wf_files_instance' });
  await qi.addIndex('wf_files', ['owner', 'created_at'], { name: 'wf_files_owner' });

  await qi.addColumn('wf_tasks', 'form_version', { type: DataTypes.INTEGER, allowNull: true });
  // A job or timer that goes away resolves its open incident by this key.
  await qi.addIndex('wf_incidents', ['ref_id', 'state'], { name: 'wf_incidents_ref' });
}
