/**
 * Sign-in: staff with username + password, citizens with mobile + SMS code;
 * sessions for browsers (cookie + CSRF token) and API tokens for programs.
 * Only hashes of secrets are stored. Failed attempts are counted per account
 * and per client address; either locks for a while once it reaches its limit.
 */
import { createHash, randomBytes } from 'node:crypto';
import { WorkflowError } from '../errors.ts';
import type { Clock } from '../ports.ts';
import { actorOf, type Actor } from './actor.ts';
import type { OrgDirectory } from './directory.ts';
import type { OrgStore, SessionKind, SessionRecord, UserRecord } from './model.ts';
import { DUMMY_HASH, verifyPassword } from './passwords.ts';

export interface AuthConfig {
  /** A browser session ends after this long without a request … */
  sessionIdleMs: number;
  /** … and at the latest this long after sign-in. */
  sessionMaxMs: number;
  /** An API token's default lifetime. */
  tokenMs: number;
  /** Failed sign-ins allowed per account, and per client address, within `failureWindowMs`. */
  accountMaxFailures: number;
  addressMaxFailures: number;
  failureWindowMs: number;
  lockMs: number;
}

export const DEFAULT_AUTH: AuthConfig = {
  sessionIdleMs: 2 * 3600_000,
  sessionMaxMs: 12 * 3600_000,
  tokenMs: 90 * 24 * 3600_000,
  accountMaxFailures: 5,
  addressMaxFailures: 30,
  failureWindowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

/** How SMS sign-in codes go out and are checked: the SMS connector, wired by the composition root. */
export interface CodeChannel {
  send(mobile: string): Promise<void>;
  /** null when right; else why not (wrong, expired, too-many-tries, none-sent). */
  check(mobile: string, code: string): Promise<string | null>;
}

export interface SignedIn {
  actor: Actor;
  /** The secret the client keeps (cookie value or bearer token); shown once. */
  secret: string;
  session: SessionRecord;
}

/** A citizen met for the first time: what the composition root stores for them. */
export type NewCitizen = (mobile: string) => Promise<UserRecord>;

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');
const TOUCH_EVERY_MS = 60_000;
/**
 * Sessions read are kept this long in the process, so a request does not wait
 * for one more query (the inbox page's tail): a logout or a revoked token here
 * ends at once, one in another process within this time. A disabled user is
 * refused at once anyway (the organisation is checked on every request).
 */
const SESSION_CACHE_MS = 5_000;
const SESSION_CACHE_SIZE = 10_000;

export class Auth {
  constructor(
    private readonly store: OrgStore,
    private readonly directory: OrgDirectory,
    private readonly clock: Clock,
    private readonly config: AuthConfig = DEFAULT_AUTH,
    private readonly codes: CodeChannel | null = null,
    private readonly newCitizen: NewCitizen | null = null,
  ) {}

  readonly #sessions = new Map<string, { session: SessionRecord; readAt: number }>();

  async #session(idHash: string, now: number): Promise<SessionRecord | null> {
    const cached = this.#sessions.get(idHash);
    if (cached && now - cached.readAt < SESSION_CACHE_MS) return cached.session;
    const session = await this.store.getSession(idHash);
    if (this.#sessions.size >= SESSION_CACHE_SIZE) this.#sessions.clear();
    if (session) this.#sessions.set(idHash, { session, readAt: now });
    else this.#sessions.delete(idHash);
    return session;
  }

  #forget(idHash: string): void {
    this.#sessions.delete(idHash);
  }

  async login(username: string, password: string, address: string): Promise<SignedIn> {
    await this.#refuseWhenLocked(`ip:${address}`, 'address');
    const user = (await this.directory.org()).userByUsername(username.trim());
    if (user) await this.#refuseWhenLocked(`user:${user.id}`, 'account');
    const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    const actor = valid && user ? actorOf(await this.directory.org(), user.id) : null;
    if (!actor) {
      await this.#fail(`ip:${address}`, this.config.addressMaxFailures);
      if (user) await this.#fail(`user:${user.id}`, this.config.accountMaxFailures);
      throw new WorkflowError('WF_ERR_LOGIN_FAILED', {});
    }
    await this.store.clearLoginWindow(`user:${actor.id}`);
    return this.#open(actor, 'cookie', null, this.config.sessionIdleMs);
  }

  /** Send a sign-in code to a citizen's mobile (the SMS connector limits how often per number). */
  async sendCode(mobile: string, address: string): Promise<void> {
    await this.#refuseWhenLocked(`ip:${address}`, 'address');
    await this.#channel().send(mobile);
  }

  /** A citizen signs in with the code; first time: an account is made for the number. */
  async loginWithCode(mobile: string, code: string, address: string): Promise<SignedIn> {
    await this.#refuseWhenLocked(`ip:${address}`, 'address');
    const problem = await this.#channel().check(mobile, code);
    if (problem) {
      await this.#fail(`ip:${address}`, this.config.addressMaxFailures);
      throw new WorkflowError('WF_ERR_SMS_CODE_INVALID', { problem });
    }
    let user = (await this.directory.org()).userByMobile(mobile);
    if (!user) {
      if (!this.newCitizen) throw new WorkflowError('WF_ERR_LOGIN_FAILED', {});
      user = await this.newCitizen(mobile);
    }
    const actor = actorOf(await this.directory.org(), user.id);
    if (!actor) throw new WorkflowError('WF_ERR_LOGIN_FAILED', {});
    return this.#open(actor, 'cookie', null, this.config.sessionIdleMs);
  }

  /** A token for API clients (Authorization: Bearer …), with the rights of the user who makes it. */
  async createToken(actor: Actor, name: string, lifetimeMs = this.config.tokenMs): Promise<SignedIn> {
    return this.#open(actor, 'token', name, lifetimeMs);
  }

  /** The actor behind a cookie or bearer secret, or null (unknown, expired, user disabled). */
  async authenticate(secret: string, kind: SessionKind): Promise<{ actor: Actor; session: SessionRecord } | null> {
    const idHash = hashOf(secret);
    const now = this.clock.now();
    const session = await this.#session(idHash, now);
    if (!session || session.kind !== kind) return null;
    if (session.expiresAt <= now) {
      this.#forget(idHash);
      await this.store.deleteSession(idHash);
      return null;
    }
    const actor = actorOf(await this.directory.org(), session.userId);
    if (!actor) return null;
    if (kind === 'cookie' && now - session.lastSeenAt > TOUCH_EVERY_MS) {
      const expiresAt = Math.min(now + this.config.sessionIdleMs, session.createdAt + this.config.sessionMaxMs);
      await this.store.touchSession(idHash, now, expiresAt);
      session.lastSeenAt = now;
      session.expiresAt = expiresAt;
    }
    return { actor, session };
  }

  async logout(secret: string): Promise<void> {
    this.#forget(hashOf(secret));
    await this.store.deleteSession(hashOf(secret));
  }

  listTokens(userId: string): Promise<SessionRecord[]> {
    return this.store.listSessions(userId, 'token');
  }

  async revokeToken(userId: string, idHash: string): Promise<boolean> {
    const session = await this.store.getSession(idHash);
    if (!session || session.userId !== userId || session.kind !== 'token') return false;
    this.#forget(idHash);
    await this.store.deleteSession(idHash);
    return true;
  }

  async #open(actor: Actor, kind: SessionKind, name: string | null, lifetimeMs: number): Promise<SignedIn> {
    const secret = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const session: SessionRecord = {
      idHash: hashOf(secret),
      userId: actor.id,
      kind,
      name,
      csrf: kind === 'cookie' ? randomBytes(24).toString('base64url') : null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + lifetimeMs,
    };
    await this.store.insertSession(session);
    return { actor, secret, session };
  }

  #channel(): CodeChannel {
    if (!this.codes) throw new WorkflowError('WF_ERR_CONNECTOR_NOT_FOUND', { connector: 'sms' });
    return this.codes;
  }

  async #refuseWhenLocked(key: string, what: 'account' | 'address'): Promise<void> {
    const window = await this.store.getLoginWindow(key);
    const now = this.clock.now();
    if (!window?.lockedUntil || window.lockedUntil <= now) return;
    if (what === 'address') throw new WorkflowError('WF_ERR_RATE_LIMITED', { retryAfter: Math.ceil((window.lockedUntil - now) / 1000) });
    throw new WorkflowError('WF_ERR_ACCOUNT_LOCKED', { until: new Date(window.lockedUntil).toISOString() });
  }

  async #fail(key: string, max: number): Promise<void> {
    await this.store.addLoginFailure(key, this.clock.now(), this.config.failureWindowMs, max, this.config.lockMs);
  }
}
