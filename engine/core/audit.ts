/**
 * The audit trail: who did what, when, from where, and what changed. Rows and
 * each case's history form hash chains (the store keeps them); a signed
 * anchor of the chain heads is written every day with a key the database does
 * not hold; verification walks the chains and checks the anchors, reporting
 * the first row of each chain that was edited, deleted, inserted or re-ordered.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Page, PageRequest } from './model.ts';

export interface AuditEntry {
  at: number;
  actor: string | null;
  /** The client address of the request. */
  address: string | null;
  action: string;
  target: string | null;
  /** What changed: the input (secrets redacted), before and after where there was a before. */
  data: Record<string, unknown> | null;
}

export interface AuditRecord extends AuditEntry {
  id: number;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  address?: string;
  from?: number;
  to?: number;
}

export type ChainProblemKind = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'anchor';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** `audit:3`, `history:<instance id>`, or `anchor:<period>`. */
  chain: string;
  /** The row's number in its chain (where the problem shows). */
  seq: number | null;
  /** The row's id, when there is a row. */
  rowId: number | null;
  detail: string;
}

export interface ChainHeadRecord {
  chain: string;
  seq: number;
  hash: string;
}

export interface AnchorRecord {
  id: number;
  /** One anchor per period (e.g. a day): `2026-12-07`. */
  period: string;
  at: number;
  /** The heads that moved after this instant (and up to `at`) are listed. */
  since: number;
  heads: number;
  digest: string;
  keyId: string;
  signature: string;
}

/** What the store keeps of the audit trail and the chains (engine/store/audit-tables.ts). */
export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
  list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditRecord>>;
  /** Walk every chain against its head; the anchored heads are checked on the way. */
  walk(anchored: ReadonlyMap<string, ReadonlyMap<number, string>>): Promise<{ rows: number; chains: number; problems: ChainProblem[] }>;
  /** The heads that moved in (since, until]. */
  headsMoved(since: number, until: number): Promise<ChainHeadRecord[]>;
  /** False when the period has its anchor already (another process wrote it). */
  saveAnchor(anchor: Omit<AnchorRecord, 'id'>, heads: ChainHeadRecord[]): Promise<boolean>;
  anchors(): Promise<AnchorRecord[]>;
  anchorHeads(period: string): Promise<ChainHeadRecord[]>;
  /** Move audit rows older than `before` to the archive table (their chains stay whole across the two). */
  archive(before: number): Promise<number>;
}

/** Where anchors are copied outside the database (a file), so deleting one from the table shows too. */
export interface AnchorCopies {
  append(anchor: Omit<AnchorRecord, 'id'>): Promise<void>;
  /** The copies, and the line numbers of any that cannot be read. */
  read(): Promise<{ anchors: Array<Omit<AnchorRecord, 'id'>>; unreadable: number[] }>;
}

/** The key that signs anchors (Ed25519); the verifier needs only its public half. */
export class AnchorKey {
  readonly publicKey: KeyObject;
  readonly id: string;

  constructor(private readonly privateKey: KeyObject | null, publicKey?: KeyObject) {
    this.publicKey = publicKey ?? createPublicKey(privateKey!);
    this.id = createHash('sha256').update(this.publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
  }

  /** From a PEM private key (PKCS#8). */
  static fromPem(pem: string): AnchorKey {
    return new AnchorKey(createPrivateKey(pem));
  }

  sign(text: string): string {
    if (!this.privateKey) throw new Error('this anchor key can only verify');
    return sign(null, Buffer.from(text), this.privateKey).toString('base64');
  }

  verify(text: string, signature: string): boolean {
    try {
      return verify(null, Buffer.from(text), this.publicKey, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  }
}

/** The digest an anchor signs: its period, its window, and every head it lists, sorted. */
export function anchorDigest(anchor: Pick<AnchorRecord, 'period' | 'at' | 'since'>, heads: readonly ChainHeadRecord[]): string {
  const hash = createHash('sha256').update(`${anchor.period}\n${anchor.at}\n${anchor.since}\n`);
  for (const h of [...heads].sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0))) hash.update(`${h.chain} ${h.seq} ${h.hash}\n`);
  return hash.digest('hex');
}

const signedText = (a: Pick<AnchorRecord, 'period' | 'at' | 'since' | 'digest' | 'keyId'>) => `wf-anchor/1 ${a.period} ${a.at} ${a.since} ${a.digest} ${a.keyId}`;

const DAY_MS = 24 * 3600_000;

/** The period an instant belongs to: the UTC date (a daily anchor), or the hour when anchoring more often. */
export function anchorPeriod(at: number, everyMs: number): string {
  return everyMs >= DAY_MS ? new Date(at).toISOString().slice(0, 10) : new Date(Math.floor(at / everyMs) * everyMs).toISOString().slice(0, 16);
}

/** Anchor the heads that moved since the last anchor; null when this period is anchored already. */
export async function writeAnchor(trail: AuditTrail, key: AnchorKey, copies: AnchorCopies | null, now: number, everyMs: number): Promise<Omit<AnchorRecord, 'id'> | null> {
  const period = anchorPeriod(now, everyMs);
  const existing = await trail.anchors();
  const last = existing[existing.length - 1];
  if (last?.period === period) return null;
  const since = last?.at ?? 0;
  const heads = await trail.headsMoved(since, now);
  const digest = anchorDigest({ period, at: now, since }, heads);
  const unsigned = { period, at: now, since, heads: heads.length, digest, keyId: key.id };
  const anchor = { ...unsigned, signature: key.sign(signedText(unsigned)) };
  if (!(await trail.saveAnchor(anchor, heads))) return null;
  await copies?.append(anchor);
  return anchor;
}

export interface AuditReport {
  ok: boolean;
  rows: number;
  chains: number;
  anchors: number;
  problems: ChainProblem[];
}

/**
 * Check everything: each anchor's signature (with the trusted key) and
 * digest, the copies outside the database against the table, then every
 * chain row by row and against the anchored heads.
 */
export async function verifyAudit(trail: AuditTrail, key: AnchorKey, copies: AnchorCopies | null): Promise<AuditReport> {
  const problems: ChainProblem[] = [];
  const anchors = await trail.anchors();
  const anchored = new Map<string, Map<number, string>>();
  const anchorProblem = (period: string, detail: string) => problems.push({ kind: 'anchor', chain: `anchor:${period}`, seq: null, rowId: null, detail });
  for (const anchor of anchors) {
    const heads = await trail.anchorHeads(anchor.period);
    if (anchor.keyId !== key.id || !key.verify(signedText(anchor), anchor.signature)) {
      anchorProblem(anchor.period, 'the signature is not the anchor key’s');
      continue;
    }
    if (anchorDigest(anchor, heads) !== anchor.digest || heads.length !== anchor.heads) {
      anchorProblem(anchor.period, 'the anchored heads were changed');
      continue;
    }
    for (const h of heads) {
      let seqs = anchored.get(h.chain);
      if (!seqs) anchored.set(h.chain, (seqs = new Map()));
      seqs.set(h.seq, h.hash);
    }
  }
  if (copies) {
    const byPeriod = new Map(anchors.map((a) => [a.period, a]));
    const copied = await copies.read();
    for (const line of copied.unreadable) anchorProblem(`line ${line}`, 'a copy of an anchor cannot be read (the copies were altered)');
    for (const copy of copied.anchors) {
      const stored = byPeriod.get(copy.period);
      if (!stored) anchorProblem(copy.period, 'the anchor was deleted from the database');
      else if (stored.digest !== copy.digest || stored.signature !== copy.signature) anchorProblem(copy.period, 'the anchor differs from its copy');
    }
  }
  const walked = await trail.walk(anchored);
  problems.push(...walked.problems);
  return { ok: problems.length === 0, rows: walked.rows, chains: walked.chains, anchors: anchors.length, problems };
}

/** Field names whose values never reach the audit trail: passwords, secrets, tokens, keys of services, sign-in codes. */
const SECRET = /(password|secret|token|apikey|privatekey|linkkey)$|^code$/i;

/** A copy of `value` with secrets replaced by `***` (their presence stays visible). */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '…';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'secrets' && v && typeof v === 'object') out[k] = Object.fromEntries(Object.keys(v).map((s) => [s, '***']));
      else out[k] = SECRET.test(k) && (typeof v === 'string' || typeof v === 'number') ? '***' : redact(v, depth + 1);
    }
    return out;
  }
  if (typeof value === 'string' && value.length > 500) return `${value.slice(0, 500)}…`;
  return value;
}
