import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * The real-name level (实名认证) each citizen reached through the identity
 * connector: 1 name + ID number + phone, 2 face comparison, 3 network ID with
 * card and face. A service names the level it needs; a lower one is asked to raise it first.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('wf_identity_levels', {
    user_id: { type: DataTypes.STRING(128), allowNull: false, primaryKey: true },
    level: { type: DataTypes.INTEGER, allowNull: false },
    verification_id: { type: DataTypes.STRING(128), allowNull: true },
    verified_at: { type: DataTypes.BIGINT, allowNull: false },
  });
}
