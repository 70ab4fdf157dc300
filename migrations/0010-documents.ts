import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * Electronic documents (电子证照) a case issues — an e-pass, an e-licence —
 * held by a person, valid for a time, revocable, verified by anyone holding
 * the signed code of its QR (the verification page shows holder, masked, and validity).
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('wf_documents', {
    id: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
    kind: { type: DataTypes.STRING(64), allowNull: false },
    title: { type: DataTypes.STRING(128), allowNull: false },
    holder: { type: DataTypes.STRING(128), allowNull: false },
    holder_name: { type: DataTypes.STRING(64), allowNull: false },
    instance_id: { type: DataTypes.STRING(64), allowNull: true },
    data: { type: DataTypes.TEXT, allowNull: false },
    valid_from: { type: DataTypes.BIGINT, allowNull: false },
    valid_to: { type: DataTypes.BIGINT, allowNull: true },
    issued_at: { type: DataTypes.BIGINT, allowNull: false },
    revoked_at: { type: DataTypes.BIGINT, allowNull: true },
    revoked_by: { type: DataTypes.STRING(128), allowNull: true },
  });
  await qi.addIndex('wf_documents', ['holder', 'issued_at'], { name: 'wf_documents_holder' });
  await qi.addIndex('wf_documents', ['instance_id'], { name: 'wf_documents_instance' });
}
