/**
 * Who calls: a bearer token (API clients) or the session cookie (browsers).
 * A cookie-authenticated request that changes something must echo the
 * session's CSRF token in X-CSRF-Token: another site can make the browser send
 * the cookie, but cannot read the token.
 */
import type { Request } from 'express';
import { WorkflowError } from '../core/errors.ts';
import type { Actor } from '../core/org/actor.ts';
import type { Auth } from '../core/org/auth.ts';
import type { SessionRecord } from '../core/org/model.ts';

export const SESSION_COOKIE = 'wf_session';

export interface Caller {
  actor: Actor;
  /** The secret presented, for logout. */
  secret: string | null;
  session: SessionRecord | null;
}

/** Decide who the request comes from; null: nobody signed in. Throws for a cookie request without its CSRF token. */
export type Authenticate = (req: Request) => Promise<Caller | null>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionAuthenticator(auth: Auth): Authenticate {
  return async (req) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (bearer) {
      const found = await auth.authenticate(bearer, 'token');
      if (!found) throw new WorkflowError('WF_ERR_UNAUTHENTICATED', {});
      return { ...found, actor: withAddress(found.actor, req), secret: bearer };
    }
    const cookie = cookieValue(req.get('cookie'), SESSION_COOKIE);
    if (!cookie) return null;
    const found = await auth.authenticate(cookie, 'cookie');
    if (!found) return null;
    if (!SAFE_METHODS.has(req.method) && req.get('x-csrf-token') !== found.session.csrf) throw new WorkflowError('WF_ERR_CSRF', {});
    return { ...found, actor: withAddress(found.actor, req), secret: cookie };
  };
}

/** The actor as it acts in this request: with the client's address, for the audit trail. */
const withAddress = (actor: Actor, req: Request): Actor => ({ ...actor, address: req.ip ?? req.socket.remoteAddress ?? 'unknown' });

export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** The session cookie: httpOnly (no script reads it), SameSite=Lax, Secure behind HTTPS. */
export function sessionCookie(secret: string, maxAgeMs: number, secure: boolean): string {
  return [`${SESSION_COOKIE}=${secret}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`, ...(secure ? ['Secure'] : [])].join('; ');
}
