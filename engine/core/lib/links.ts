/**
 * Signed links back to the portal (an invitation in an e-mail or an SMS): the
 * path, the case and an expiry, signed with HMAC-SHA256 under the server's
 * link key. Connectors ask for one through their context (ctx.link); the
 * portal's answer page checks it here. A changed or expired link is refused;
 * a link's fingerprint names it in the case's history, so that it answers
 * once.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

interface LinkClaims {
  /** Path in the portal, e.g. /invitations/INV-1. */
  p: string;
  /** The case. */
  i: string;
  /** Expiry, epoch ms. */
  e: number;
}

export interface Link {
  path: string;
  instanceId: string;
  expiresAt: number;
}

const mac = (key: Uint8Array | string, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

export function signLink(key: Uint8Array | string, claims: Link): string {
  const payload = Buffer.from(JSON.stringify({ p: claims.path, i: claims.instanceId, e: claims.expiresAt } satisfies LinkClaims)).toString('base64url');
  return `${payload}.${mac(key, payload)}`;
}

/** The link's claims when it is signed under `key`, expired or not (the caller tells the two apart); null when it is not. */
export function readLink(key: Uint8Array | string, token: string): Link | null {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(key, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<LinkClaims>;
    if (typeof claims.p !== 'string' || typeof claims.i !== 'string' || typeof claims.e !== 'number') return null;
    return { path: claims.p, instanceId: claims.i, expiresAt: claims.e };
  } catch {
    return null;
  }
}

/** A short name for a link that does not reveal it (what the history keeps). */
export const linkFingerprint = (token: string): string => createHash('sha256').update(token).digest('base64url').slice(0, 22);
