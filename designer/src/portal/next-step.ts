/**
 * What a case waits for from its citizen: a task of theirs (补正材料, 寄送原件,
 * 确认收件, 业务评价 — named by the flow), or a payment (the case waits for the
 * payment notice of an order it made). Nothing service-specific: the flow's
 * names and the payment connector's variables say it all.
 */
import type { Instance, Task } from '../api/records.ts';

export type NextStep = { kind: 'task'; taskId: string; label: string } | { kind: 'pay'; label: string };

/** The payment a case waits for: an order made and no notice of it paid yet. */
export function awaitsPayment(instance: Pick<Instance, 'state' | 'variables' | 'activities'>): boolean {
  const v = instance.variables;
  return instance.state === 'running' && typeof v.payUrl === 'string' && v.paymentStatus !== 'paid' && instance.activities.some((a) => a.kind === 'message');
}

export function nextStepOf(instance: Instance, myTasks: Task[], payLabel: string): NextStep | null {
  const task = myTasks.find((t) => t.instanceId === instance.id && t.state === 'active');
  if (task) return { kind: 'task', taskId: task.id, label: task.name ?? task.activityId };
  if (awaitsPayment(instance)) return { kind: 'pay', label: payLabel };
  return null;
}
