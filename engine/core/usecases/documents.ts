/**
 * Electronic documents (电子证照): issued by a case's `documents.issue` step
 * to the case's initiator, listed to their holder, revoked by an admin, and
 * verified by anyone who holds the code of the document's QR — the document's
 * id and an HMAC of it, so that an id alone (guessed, or read off a list)
 * verifies nothing. The verification shows the holder's name masked.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { WorkflowError } from '../errors.ts';
import type { HandlerContext } from '../handlers.ts';
import type { DocumentRecord } from '../model.ts';
import type { Services } from '../services.ts';

const DAY = 86_400_000;

export const documentCode = (key: Uint8Array, id: string) => `${id}.${createHmac('sha256', key).update(id).digest('base64url').slice(0, 22)}`;

/** 张三 → 张*，王小明 → 王*明. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

const date = (text: unknown): number | null => (typeof text === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00+08:00`) : null);

/** The step's input: kind, title, holderName, and validFrom/validTo (YYYY-MM-DD) or validDays; `data`: what the document says. */
export async function issueDocument(services: Services, key: Uint8Array, ctx: HandlerContext): Promise<{ documentId: string; documentCode: string }> {
  const input = ctx.input;
  const instance = await services.store.getInstance(ctx.instanceId);
  if (!instance?.startedBy) throw new Error('a document is issued to the initiator of a case; this case has none');
  const now = services.clock.now();
  const validFrom = date(input.validFrom) ?? now;
  const validTo = date(input.validTo) ?? (typeof input.validDays === 'number' || typeof input.validDays === 'string' ? validFrom + Number(input.validDays) * DAY : null);
  const data = input.data && typeof input.data === 'object' ? Object.fromEntries(Object.entries(input.data as object).map(([k, v]) => [k, String(v)])) : {};
  // The same job tried again issues the same document.
  const id = `DZ${createHash('sha256').update(ctx.idempotencyKey).digest('hex').slice(0, 18).toUpperCase()}`;
  const record: DocumentRecord = {
    id,
    kind: String(input.kind ?? 'document'),
    title: String(input.title ?? input.kind ?? '电子证照').slice(0, 128),
    holder: instance.startedBy,
    holderName: String(input.holderName ?? instance.startedBy).slice(0, 64),
    instanceId: instance.id,
    data,
    validFrom,
    validTo,
    issuedAt: now,
    revokedAt: null,
    revokedBy: null,
  };
  await services.store.insertDocument(record);
  return { documentId: id, documentCode: documentCode(key, id) };
}

export type DocumentStatus = 'valid' | 'expired' | 'revoked' | 'not-yet-valid';

export function statusOf(d: DocumentRecord, now: number): DocumentStatus {
  if (d.revokedAt !== null) return 'revoked';
  if (d.validTo !== null && now >= d.validTo + DAY) return 'expired'; // valid through its last day
  if (now < d.validFrom) return 'not-yet-valid';
  return 'valid';
}

export interface Verification {
  status: DocumentStatus;
  id: string;
  kind: string;
  title: string;
  holderName: string;
  data: Record<string, string>;
  validFrom: number;
  validTo: number | null;
  issuedAt: number;
}

/** What the QR's code says; a code that is not one (forged, mistyped) is WF_ERR_DOCUMENT_NOT_FOUND. */
export async function verifyDocument(services: Services, key: Uint8Array, code: string): Promise<Verification> {
  const [id = '', signature = ''] = code.split('.');
  const expected = documentCode(key, id).split('.')[1]!;
  const ok = signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
  const document = ok ? await services.store.getDocument(id) : null;
  if (!document) throw new WorkflowError('WF_ERR_DOCUMENT_NOT_FOUND', { id: id.slice(0, 40) });
  const { kind, title, data, validFrom, validTo, issuedAt } = document;
  return { status: statusOf(document, services.clock.now()), id, kind, title, holderName: maskName(document.holderName), data, validFrom, validTo, issuedAt };
}
