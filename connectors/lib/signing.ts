/**
 * Request signing as payment and messaging gateways do it: HMAC-SHA256 over
 * the timestamp and the exact body bytes, sent in headers; checked in constant
 * time, within a clock skew, so a forged or replayed-later notice fails.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { t, CallbackRejected, type LocalizedText } from '../../engine/core/connectors/port.ts';

export const SIGNATURE_HEADER = 'x-signature';
export const TIMESTAMP_HEADER = 'x-timestamp';
const MAX_SKEW_MS = 5 * 60_000;

export function sign(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}\n`).update(body).digest('hex');
}

/** `signed`: the body, or whatever else the protocol signs with it (a webhook's event id). */
export function signedHeaders(secret: string, signed: string | Buffer, now: number): Record<string, string> {
  return { 'content-type': 'application/json', [TIMESTAMP_HEADER]: String(now), [SIGNATURE_HEADER]: sign(secret, now, signed) };
}

/** Why the signature does not hold, or null when it does. */
export function signatureProblem(secret: string | undefined, headers: Record<string, string | undefined>, body: Buffer, now: number): LocalizedText | null {
  if (!secret) return t('未配置密钥', 'no secret is configured');
  const signature = headers[SIGNATURE_HEADER];
  const timestamp = Number(headers[TIMESTAMP_HEADER]);
  if (!signature || !/^[0-9a-f]{64}$/.test(signature)) return t('签名缺失或格式不对', 'missing or malformed signature');
  if (!Number.isFinite(timestamp) || Math.abs(now - timestamp) > MAX_SKEW_MS) return t('时间戳缺失或与当前时间相差太大', 'timestamp missing or too far from now');
  const expected = Buffer.from(sign(secret, timestamp, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex')) ? null : t('签名不匹配', 'signature does not match');
}

/**
 * A signed notice's JSON body; CallbackRejected when the signature does not hold or the body is not a JSON object.
 * `signed`: what the protocol signs, when it is more than the body (a webhook's event id with it).
 */
export function readSignedNotice(secret: string | undefined, request: { headers: Record<string, string | undefined>; body: Buffer }, signed: Buffer = request.body): Record<string, unknown> {
  // Signatures carry the sender's wall-clock time, not the engine's clock.
  const problem = signatureProblem(secret, request.headers, signed, Date.now());
  if (problem) throw new CallbackRejected(problem);
  return readNotice(request.body);
}

/** A notice's JSON body; anything else is not a notice. */
export function readNotice(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new CallbackRejected(t('请求体不是 JSON 对象', 'the body is not a JSON object'));
}
