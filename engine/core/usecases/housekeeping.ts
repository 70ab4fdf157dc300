/**
 * Work a worker does now and then, beside timers and jobs: the daily signed
 * anchor of the audit and history chains, moving audit rows past their
 * retention to the archive, and deleting uploads never bound to a case.
 */
import { writeAnchor, type AnchorCopies, type AnchorKey, type AuditTrail } from '../audit.ts';
import type { Clock, Logger } from '../ports.ts';

export interface HousekeepingDeps {
  clock: Clock;
  trail: AuditTrail;
  key: AnchorKey;
  copies: AnchorCopies | null;
  anchorEveryMs: number;
  retentionMs: number;
  /** Delete uploads not bound to a case whose time ran out; how many went. */
  expireUploads(now: number): Promise<number>;
  logger: Logger;
}

/** Checked at most this often (the scheduler calls on every poll). */
const EVERY_MS = 60_000;

/** A scheduler task (Scheduler.also): does its rounds at most once a minute; answers how much it did. */
export function housekeeping(deps: HousekeepingDeps): () => Promise<number> {
  let next = 0;
  return async () => {
    const now = deps.clock.now();
    if (now < next) return 0;
    next = now + EVERY_MS;
    const anchor = await writeAnchor(deps.trail, deps.key, deps.copies, now, deps.anchorEveryMs);
    if (anchor) deps.logger.info({ period: anchor.period, heads: anchor.heads }, 'audit anchor signed');
    const archived = await deps.trail.archive(now - deps.retentionMs);
    if (archived) deps.logger.info({ archived }, 'audit rows archived');
    const expired = await deps.expireUploads(now);
    if (expired) deps.logger.info({ expired }, 'unbound uploads deleted');
    return (anchor ? 1 : 0) + archived + expired;
  };
}
