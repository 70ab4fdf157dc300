/**
 * The outbox of notices: what goes beyond the site goes out here, after the
 * step that made the notice committed. The routing rule of the source: a user
 * who is online (used the site in the last few minutes) or has read the notice
 * gets it in-app only; a user who is away gets the SMS. E-mail goes when the
 * node asks for it. Each notice is sent once per channel (its id is the
 * connector's idempotency key).
 */
import type { ConnectorRuntime } from '../connector-runtime.ts';
import type { NoticeRecord } from '../model.ts';
import type { Runtime } from '../runtime-context.ts';

/** Seen on the site within this long: online. */
export const ONLINE_MS = 5 * 60_000;
const LEASE_MS = 60_000;

export interface Presence {
  /** When the user last used a browser session that is still valid; null: not signed in. */
  lastSeenAt(userId: string, now: number): Promise<number | null>;
}

export async function deliverNotices(rt: Runtime, connectors: ConnectorRuntime, presence: Presence, limit = 20): Promise<number> {
  const batch = await rt.store.leaseNoticesToSend(rt.clock.now(), limit, LEASE_MS);
  for (const notice of batch) {
    let outcome: string;
    try {
      outcome = await deliver(rt, connectors, presence, notice);
    } catch (err) {
      outcome = `failed: ${err instanceof Error ? err.message : String(err)}`;
      rt.logger.warn({ notice: notice.id, user: notice.userId, err: outcome }, 'notice not sent');
    }
    await rt.store.noticeSent(notice.id, rt.clock.now(), outcome);
  }
  return batch.length;
}

async function deliver(rt: Runtime, connectors: ConnectorRuntime, presence: Presence, notice: NoticeRecord): Promise<string> {
  const user = rt.org ? (await rt.org.org()).user(notice.userId) : undefined;
  if (!user || user.status !== 'active') return 'site';
  const text = notice.body ? `${notice.title}：${notice.body}` : notice.title;
  const done: string[] = [];
  if (notice.channels.includes('sms')) {
    const now = rt.clock.now();
    const seen = await presence.lastSeenAt(user.id, now);
    if (notice.readAt !== null || (seen !== null && now - seen < ONLINE_MS)) done.push('site');
    else if (!user.mobile) done.push('sms: no mobile number');
    else {
      await connectors.invoke('sms', 'send', { phone: user.mobile, text }, `notice:${notice.id}:sms`);
      done.push('sms');
    }
  }
  if (notice.channels.includes('email')) {
    if (!user.email) done.push('email: no address');
    else {
      await connectors.invoke('email', 'send', { to: user.email, subject: notice.title, text }, `notice:${notice.id}:email`);
      done.push('email');
    }
  }
  return done.join(', ') || 'site';
}
