import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * The state name of a case (wf:state on the node it reached: 待初审, 待补正,
 * 已办结 …), kept with the case and copied onto each task it creates, so that
 * every list shows and filters it from its own table.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('wf_instances', 'state_name', { type: DataTypes.STRING(64), allowNull: true });
  await qi.addColumn('wf_tasks', 'state_name', { type: DataTypes.STRING(64), allowNull: true });
  await qi.addIndex('wf_instances', ['state_name'], { name: 'wf_instances_state_name' });
}
