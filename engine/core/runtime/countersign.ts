/**
 * Nodes several people sign: countersign (all must approve, one rejection
 * rejects), a share of them (60% approve), or one after another in order —
 * configured by wf:sign, or made by adding a signer (加签) to a task. The rules
 * here are pure: who signs next, and whether the votes so far decide.
 */
import type { SignState, TaskRecord, Wait } from '../model.ts';

type TaskWait = Extract<Wait, { kind: 'task' }>;

/** The task rows a task wait has open: one per signer waiting, or its one task. */
export const taskRows = (wait: TaskWait): string[] => (wait.sign ? wait.sign.open.map((o) => o.taskId) : [wait.taskId]);

/** Whether an active task row is one of the wait's. */
export const holdsTask = (wait: TaskWait, taskId: string): boolean => taskRows(wait).includes(taskId);

/** true: approved; false: rejected; null: not decided yet. */
export function decision(sign: SignState): boolean | null {
  const total = sign.signers.length;
  const approvals = sign.votes.filter((v) => v.approved).length;
  const rejections = sign.votes.length - approvals;
  if (sign.mode === 'share') {
    const needed = Math.max(1, Math.ceil(sign.threshold * total - 1e-9));
    if (approvals >= needed) return true;
    return rejections > total - needed ? false : null;
  }
  if (rejections > 0) return false;
  return approvals >= total ? true : null;
}

/** Sequential: the signer whose turn comes after the votes so far (null: none left). Parallel nodes open every row at once. */
export function nextSigner(sign: SignState): string | null {
  if (sign.mode !== 'sequential' || sign.open.length) return null;
  return sign.signers[sign.votes.length] ?? null;
}

/** A signer's row: the node's task, held by them. */
export function signerRow(template: TaskRecord, id: string, userId: string, now: number): TaskRecord {
  return { ...template, id, assignee: userId, candidateUsers: [], candidateGroups: [], owner: null, createdAt: now, claimedAt: null, endedAt: null, endedBy: null, state: 'active' };
}

/** The variable a signed node leaves its votes in: `<activityId>Votes`. */
export const votesVariable = (activityId: string) => `${activityId}Votes`;
