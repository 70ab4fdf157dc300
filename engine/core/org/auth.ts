/**
 * Sign-in: staff with username + password, citizens with mobile + SMS code;
 * sessions for browsers (cookie + CSRF token) and API tokens for programs.
 * Only hashes of secrets are stored. Failed attempts are counted per account
 * and per client address; either locks for a while once it reaches its limit.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuditTrail } from '../audit.ts';
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
  /** Sign-in codes one client address may ask for (all numbers together) within `codeWindowMs`. */
  codesPerClient: number;
  codeWindowMs: number;
}

export const DEFAULT_AUTH: AuthConfig = {
  sessionIdleMs: 2 * 3600_000,
  sessionMaxMs: 12 * 3600_000,
  tokenMs: 90 * 24 * 3600_000,
  accountMaxFailures: 5,
  addressMaxFailures: 30,
  failureWindowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  codesPerClient: 5,
  codeWindowMs: 3600_000,
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

export interface AuthDeps {
  store: OrgStore;
  directory: OrgDirectory;
  clock: Clock;
  config?: AuthConfig;
  /** SMS sign-in codes (citizens); absent: no SMS sign-in. */
  codes?: CodeChannel;
  newCitizen?: NewCitizen;
  /** Sign-ins, failures, sign-outs and tokens are recorded here. */
  audit?: AuditTrail;
}

export class Auth {
  private readonly store: OrgStore;
  private readonly directory: OrgDirectory;
  private readonly clock: Clock;
  private readonly config: AuthConfig;
  private readonly codes: CodeChannel | null;
  private readonly newCitizen: NewCitizen | null;
  private readonly audit: AuditTrail | null;

  constructor(deps: AuthDeps) {
    this.store = deps.store;
    this.directory = deps.directory;
    this.clock = deps.clock;
    this.config = deps.config ?? DEFAULT_AUTH;
    this.codes = deps.codes ?? null;
    this.newCitizen = deps.newCitizen ?? null;
    this.audit = deps.audit ?? null;
  }

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
    const user = (await this.directory.org()).userByUsername(username.trim());
    try {
      await this.#refuseWhenLocked(`ip:${address}`, 'address');
      if (user) await this.#refuseWhenLocked(`user:${user.id}`, 'account');
      const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      const actor = valid && user ? actorOf(await this.directory.org(), user.id) : null;
      if (!actor) {
        await this.#fail(`ip:${address}`, this.config.addressMaxFailures);
        if (user) await this.#fail(`user:${user.id}`, this.config.accountMaxFailures);
        throw new WorkflowError('WF_ERR_LOGIN_FAILED', {});
      }
      await this.store.clearLoginWindow(`user:${actor.id}`);
      await this.#record('auth.login', actor.id, address, null, null);
      return await this.#open(actor, 'cookie', null, this.config.sessionIdleMs);
    } catch (err) {
      if (err instanceof WorkflowError) await this.#record('auth.login.failed', user?.id ?? null, address, username.slice(0, 64), { code: err.code });
      throw err;
    }
  }

  /**
   * Send a sign-in code to a citizen's mobile (the SMS connector limits how
   * often per number; one client address asks for a few numbers at most). A
   * staff member's number gets no code — SMS is never their way in — but the
   * answer is the same, so it does not tell whose number it is.
   */
  async sendCode(mobile: string, address: string): Promise<void> {
    await this.#refuseWhenLocked(`ip:${address}`, 'address');
    await this.#refuseWhenLocked(`codes:${address}`, 'address');
    const user = (await this.directory.org()).userByMobile(mobile);
    await this.store.addLoginFailure(`codes:${address}`, this.clock.now(), this.config.codeWindowMs, this.config.codesPerClient, this.config.codeWindowMs);
    if (user && user.kind !== 'citizen') {
      await this.#record('auth.sms-code.refused', user.id, address, null, { reason: 'not a citizen account' });
      return;
    }
    await this.#channel().send(mobile);
  }

  /** A citizen signs in with the code; first time: an account is made for the number. Staff accounts never sign in this way. */
  async loginWithCode(mobile: string, code: string, address: string): Promise<SignedIn> {
    const found = (await this.directory.org()).userByMobile(mobile);
    try {
      await this.#refuseWhenLocked(`ip:${address}`, 'address');
      if (found) await this.#refuseWhenLocked(`user:${found.id}`, 'account');
      // Checked before the code, and answered as a wrong code would be: nothing tells a staff number apart.
      const problem = found && found.kind !== 'citizen' ? 'wrong' : await this.#channel().check(mobile, code);
      if (problem) {
        await this.#fail(`ip:${address}`, this.config.addressMaxFailures);
        if (found) await this.#fail(`user:${found.id}`, this.config.accountMaxFailures);
        throw new WorkflowError('WF_ERR_SMS_CODE_INVALID', { problem });
      }
      const user = found ?? (this.newCitizen ? await this.newCitizen(mobile) : null);
      const actor = user && actorOf(await this.directory.org(), user.id);
      if (!actor) throw new WorkflowError('WF_ERR_LOGIN_FAILED', {});
      await this.store.clearLoginWindow(`user:${actor.id}`);
      await this.#record('auth.sms-login', actor.id, address, null, null);
      return await this.#open(actor, 'cookie', null, this.config.sessionIdleMs);
    } catch (err) {
      if (err instanceof WorkflowError) await this.#record('auth.sms-login.failed', found?.id ?? null, address, `${mobile.slice(0, 3)}****${mobile.slice(-4)}`, { code: err.code });
      throw err;
    }
  }

  /** A token for API clients (Authorization: Bearer …), with the rights of the user who makes it. */
  async createToken(actor: Actor, name: string, lifetimeMs = this.config.tokenMs): Promise<SignedIn> {
    const signedIn = await this.#open(actor, 'token', name, lifetimeMs);
    await this.#record('auth.token.create', actor.id, actor.address ?? null, signedIn.session.idHash, { name, expiresAt: signedIn.session.expiresAt });
    return signedIn;
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

  async logout(secret: string, actor: Actor): Promise<void> {
    this.#forget(hashOf(secret));
    await this.store.deleteSession(hashOf(secret));
    await this.#record('auth.logout', actor.id, actor.address ?? null, null, null);
  }

  listTokens(userId: string): Promise<SessionRecord[]> {
    return this.store.listSessions(userId, 'token');
  }

  async revokeToken(actor: Actor, idHash: string): Promise<boolean> {
    const session = await this.store.getSession(idHash);
    if (!session || session.userId !== actor.id || session.kind !== 'token') return false;
    this.#forget(idHash);
    await this.store.deleteSession(idHash);
    await this.#record('auth.token.revoke', actor.id, actor.address ?? null, idHash, { name: session.name });
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

  async #record(action: string, actor: string | null, address: string | null, target: string | null, data: Record<string, unknown> | null): Promise<void> {
    await this.audit?.record({ at: this.clock.now(), actor, address, action, target, data });
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
