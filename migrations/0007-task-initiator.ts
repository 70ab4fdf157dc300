import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * Who started a task's case, copied onto the task (as its department is) so
 * that an inbox shows and filters it from one table: "张三's leave request".
 * Tasks written before are filled in from their cases.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('wf_tasks', 'initiator', { type: DataTypes.STRING(128), allowNull: true });
  await qi.sequelize.query('UPDATE wf_tasks SET initiator = (SELECT started_by FROM wf_instances WHERE wf_instances.id = wf_tasks.instance_id)');
}
