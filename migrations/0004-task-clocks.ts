import { DataTypes, type QueryInterface } from 'sequelize';

/** When a task becomes near due (a share of its SLA used, on its working calendar), so inboxes can filter on it. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('wf_tasks', 'near_due_at', { type: DataTypes.BIGINT, allowNull: true });
  await qi.addIndex('wf_tasks', ['state', 'near_due_at'], { name: 'wf_tasks_state_near_due' });
}
