/**
 * Signed links back to the portal: the path, the case and an expiry, signed
 * with HMAC-SHA256. The portal checks them with verifyLink; a changed or
 * expired link is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

interface LinkClaims {
  /** Path in the portal, e.g. /cases/123/correction. */
  p: string;
  /** The case. */
  i: string;
  /** Expiry, epoch ms. */
  e: number;
}

const mac = (key: string, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

export function signLink(key: string, claims: { path: string; instanceId: string; expiresAt: number }): string {
  const payload = Buffer.from(JSON.stringify({ p: claims.path, i: claims.instanceId, e: claims.expiresAt } satisfies LinkClaims)).toString('base64url');
  return `${payload}.${mac(key, payload)}`;
}

export function verifyLink(key: string, token: string, now: number): { path: string; instanceId: string } | null {
  const [payload, signature] = token.split('.');
  if (!payload || !signature) return null;
  const expected = Buffer.from(mac(key, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkClaims;
    return claims.e >= now ? { path: claims.p, instanceId: claims.i } : null;
  } catch {
    return null;
  }
}
