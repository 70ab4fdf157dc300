/**
 * The outbox of notices: what goes beyond the site goes out here, after the
 * step that made the notice committed. The routing rule of the source: a user
 * who is online (used the site in the last few minutes) or has read the notice
 * gets it in-app only; a user who is away gets the SMS. E-mail goes when the
 * node asks for it. Each notice is sent once per channel (its id is the
 * connector's idempotency key).
 */
import type { ConnectorCalls } from '../connectors/port.ts';
import type { NoticeRecord } from '../model.ts';
import type { Services } from '../services.ts';

/** Seen on the site within this long: online. */
export const ONLINE_MS = 5 * 60_000;
const LEASE_MS = 60_000;

export interface Presence {
  /** When the user last used a browser session that is still valid; null: not signed in. */
  lastSeenAt(userId: string, now: number): Promise<number | null>;
}

export async function deliverNotices(services: Services, connectors: ConnectorCalls, presence: Presence, limit = 20): Promise<number> {
  const batch = await services.store.leaseNoticesToSend(services.clock.now(), limit, LEASE_MS);
  for (const notice of batch) {
    let outcome: string;
    try {
      outcome = await deliver(services, connectors, presence, notice);
    } catch (err) {
      outcome = `failed: ${err instanceof Error ? err.message : String(err)}`;
      services.logger.warn({ notice: notice.id, user: notice.userId, err: outcome }, 'notice not sent');
    }
    await services.store.noticeSent(notice.id, services.clock.now(), outcome);
  }
  return batch.length;
}

async function deliver(services: Services, connectors: ConnectorCalls, presence: Presence, notice: NoticeRecord): Promise<string> {
  const user = services.org ? (await services.org.org()).user(notice.userId) : undefined;
  if (!user || user.status !== 'active') return 'site';
  const text = notice.body ? `${notice.title}：${notice.body}` : notice.title;
  const done: string[] = [];
  if (notice.channels.includes('sms')) {
    const now = services.clock.now();
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
