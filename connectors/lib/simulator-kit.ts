/**
 * What every simulator shares: faults on demand (POST /_control), JSON
 * answers, and reading signed requests the way the service would.
 */
import type { RecordStore, SimRequest, SimResponse } from '../../engine/core/connectors/port.ts';
import { signatureProblem } from './signing.ts';

/**
 * fail: 5xx; timeout: no answer; decline: 4xx refusal; late: notices come after delayMs;
 * undeliverable: accepted, then reported failed; slow: accepted at once, answered after delayMs.
 */
export type Fault = 'fail' | 'timeout' | 'decline' | 'late' | 'undeliverable' | 'slow';
const FAULTS: readonly Fault[] = ['fail', 'timeout', 'decline', 'late', 'undeliverable', 'slow'];

interface Control {
  mode: Fault | 'normal';
  /** How many more calls the fault applies to (then back to normal). */
  remaining: number;
  delayMs: number;
}

export const json = (status: number, body: unknown): SimResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** POST /_control {mode, count?, delayMs?}: the next `count` calls misbehave (kept in the records: every process sees it). */
export async function setControl(records: RecordStore, request: SimRequest): Promise<SimResponse> {
  const body = parseJson(request.body) as Partial<{ mode: string; count: number; delayMs: number }> | null;
  const mode = body?.mode;
  if (mode !== 'normal' && !FAULTS.includes(mode as Fault)) return json(400, { error: `mode must be one of normal, ${FAULTS.join(', ')}` });
  const control: Control = { mode: mode as Control['mode'], remaining: Math.max(1, Math.floor(body?.count ?? 1)), delayMs: Math.max(0, Math.floor(body?.delayMs ?? 2000)) };
  await records.put('control', 'faults', control as unknown as Record<string, unknown>);
  return json(200, control);
}

/** The fault for this call, if one is ordered; using it up counts it down. */
export async function takeFault(records: RecordStore): Promise<{ fault: Fault; delayMs: number } | null> {
  const stored = (await records.get('control', 'faults'))?.data as Control | undefined;
  if (!stored || stored.mode === 'normal' || stored.remaining <= 0) return null;
  await records.put('control', 'faults', { ...stored, remaining: stored.remaining - 1 } as unknown as Record<string, unknown>);
  return { fault: stored.mode, delayMs: stored.delayMs };
}

/** Signature first, then the body, as a gateway checks them: a 401 or 400 to answer, or the request's JSON object. */
export function readSignedRequest(secret: string | undefined, request: SimRequest, now: number): { body: Record<string, unknown> } | { refused: SimResponse } {
  const problem = signatureProblem(secret, request.headers, request.body, now);
  if (problem) return { refused: json(401, { error: 'INVALID_SIGNATURE', message: problem.en }) };
  const body = parseJson(request.body);
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { refused: json(400, { error: 'BAD_REQUEST', message: 'a JSON object is required' }) };
  return { body: body as Record<string, unknown> };
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}

export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** A "timeout": the service takes longer than any client waits. */
export const hang = (ms = 65_000) => new Promise<SimResponse>((resolve) => setTimeout(() => resolve(json(504, { error: 'gateway timeout' })), ms).unref());
