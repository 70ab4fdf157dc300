/**
 * A local voice gateway playing the phone network. A placed call rings until
 * a test plays the callee (POST /_answer {callId | phone, key} or
 * {outcome: 'busy' | 'no-answer' | …}); a call nobody answers within its ring
 * time ends as no-answer by itself. The outcome goes to the signed outcome
 * callback. One request id is one call; faults on demand at POST /_control.
 */
import { createHash } from 'node:crypto';
import type { SimRequest, SimResponse, Simulator, SimulatorContext, StoredRecord } from '../../engine/core/connectors/port.ts';
import { signedHeaders } from '../lib/signing.ts';
import { hang, json, parseJson, pause, setControl, takeFault, readSignedRequest } from '../lib/simulator-kit.ts';
import { OUTCOMES, type VoiceOutcome } from './outcomes.ts';

const NOTICE_DELAY_MS = 50;
/** An empty number (空号) is known to the network at once. */
const FAILED_AFTER_MS = 100;

interface Call {
  callId: string;
  requestId: string;
  phone: string;
  script: string;
  keys: string[];
  record: boolean;
  placedAt: number;
  ringUntil: number;
  noticeDelayMs: number;
  requests: number;
}

interface Ending {
  outcome: VoiceOutcome;
  key: string | null;
  recordingUrl: string | null;
  at: number;
}

/** The call id follows from the request id, so a repeated request finds its call by key alone. */
const callIdFor = (requestId: string) => `call-${createHash('sha256').update(requestId).digest('hex').slice(0, 24)}`;

/**
 * End a ringing call, once: the first ending stored wins (the callee's key
 * and the ring timeout race, maybe in two processes) and is the one reported.
 */
async function endCall(ctx: SimulatorContext, call: Call, ending: Omit<Ending, 'at'>): Promise<Ending> {
  const { record, inserted } = await ctx.records.putIfAbsent('ending', call.callId, { ...ending, at: ctx.now() });
  const stored = record.data as unknown as Ending;
  if (inserted) {
    const notice = JSON.stringify({ callId: call.callId, requestId: call.requestId, phone: call.phone, outcome: stored.outcome, key: stored.key, recordingUrl: stored.recordingUrl, at: stored.at });
    ctx.notify(ctx.callbackUrl('outcome'), notice, signedHeaders(ctx.config.secrets.apiKey ?? '', notice, ctx.now() + call.noticeDelayMs), call.noticeDelayMs);
  }
  return stored;
}

/** After the ring time, a call still ringing is no-answer (checked again when the callee acts, in case this process died meanwhile). */
function ringOut(ctx: SimulatorContext, call: Call): void {
  setTimeout(() => {
    void (async () => {
      const now = (await ctx.records.get('call', call.callId))?.data as unknown as Call | undefined;
      if (now?.placedAt !== call.placedAt) return; // the records were emptied since (tests): not this call any more
      await endCall(ctx, call, { outcome: 'no-answer', key: null, recordingUrl: null });
    })().catch(() => undefined);
  }, Math.max(0, call.ringUntil - ctx.now())).unref();
}

async function place(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const read = readSignedRequest(ctx.config.secrets.apiKey, request, ctx.now());
  if ('refused' in read) return read.refused;
  const body = read.body as Partial<{ requestId: string; phone: string; script: string; keys: string[]; ringSeconds: number; record: boolean }>;
  if (!body?.requestId || !body.phone || !body.script || !Array.isArray(body.keys) || !body.keys.length) return json(400, { error: 'requestId, phone, script and keys are required' });
  const fault = await takeFault(ctx.records);
  if (fault?.fault === 'fail') return json(503, { error: 'all lines busy' });
  if (fault?.fault === 'timeout') return hang();
  if (fault?.fault === 'decline') return json(400, { error: 'NUMBER_BLOCKED', message: 'the number refuses automated calls' });
  const now = ctx.now();
  const fresh: Call = {
    callId: callIdFor(body.requestId),
    requestId: body.requestId,
    phone: body.phone,
    script: body.script,
    keys: body.keys.map(String),
    record: body.record === true,
    placedAt: now,
    ringUntil: now + Math.max(1, Number(body.ringSeconds) || 45) * 1000,
    noticeDelayMs: fault?.fault === 'late' ? fault.delayMs : NOTICE_DELAY_MS,
    requests: 1,
  };
  const { record, inserted } = await ctx.records.putIfAbsent('call', fresh.callId, fresh as unknown as Record<string, unknown>);
  const call = record.data as unknown as Call;
  // The same request again (a client retry): counted, no second call.
  if (!inserted) await ctx.records.put('call', call.callId, { ...call, requests: call.requests + 1 } as unknown as Record<string, unknown>);
  else if (fault?.fault === 'undeliverable') setTimeout(() => void endCall(ctx, call, { outcome: 'failed', key: null, recordingUrl: null }).catch(() => undefined), FAILED_AFTER_MS).unref();
  else ringOut(ctx, call);
  // Placed (and recorded) first, answered late: a client that gives up now asks again and gets this call.
  if (fault?.fault === 'slow') await pause(fault.delayMs);
  return json(200, { callId: call.callId, status: 'ringing' });
}

async function findCall(ctx: SimulatorContext, by: { callId?: string; phone?: string }): Promise<Call | null> {
  if (by.callId) return ((await ctx.records.get('call', by.callId))?.data as unknown as Call | undefined) ?? null;
  // By phone: the latest call to it that is still ringing.
  const calls = (await ctx.records.list('call', 500)).map((r: StoredRecord) => r.data as unknown as Call).filter((c) => c.phone === by.phone);
  const ended = new Set((await ctx.records.list('ending', 500)).map((r) => r.key));
  return calls.filter((c) => !ended.has(c.callId)).sort((a, b) => b.placedAt - a.placedAt)[0] ?? null;
}

/** The callee (or the network) acts: presses a key, hangs up, is busy, does not pick up. */
async function answer(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const body = parseJson(request.body) as Partial<{ callId: string; phone: string; key: string; outcome: string }> | null;
  if (!body?.callId && !body?.phone) return json(400, { error: 'callId or phone is required' });
  const outcome = (body.outcome ?? 'answered') as VoiceOutcome;
  if (!OUTCOMES.includes(outcome)) return json(400, { error: `outcome must be one of ${OUTCOMES.join(', ')}` });
  const call = await findCall(ctx, body);
  if (!call) return json(404, { error: 'no such ringing call' });
  const ended = (await ctx.records.get('ending', call.callId))?.data as unknown as Ending | undefined;
  if (ended) return json(409, { error: 'the call has ended', ...ended });
  if (ctx.now() > call.ringUntil) return json(409, { error: 'the call has ended', ...(await endCall(ctx, call, { outcome: 'no-answer', key: null, recordingUrl: null })) });
  const key = outcome === 'answered' && body.key !== undefined ? String(body.key) : null;
  // Another key makes the script play again: the call goes on.
  if (key !== null && !call.keys.includes(key)) return json(422, { error: `key ${key} is not one the call listens for; the script is played again`, keys: call.keys });
  const recordingUrl = outcome === 'answered' && call.record ? `${String(ctx.config.settings.baseUrl)}/recordings/${call.callId}.wav` : null;
  return json(200, { callId: call.callId, ...(await endCall(ctx, call, { outcome, key, recordingUrl })) });
}

/** A recording as the gateway keeps it: a short WAV (silence) for an answered, recorded call. */
async function recording(callId: string, ctx: SimulatorContext): Promise<SimResponse> {
  const ending = (await ctx.records.get('ending', callId))?.data as unknown as Ending | undefined;
  if (!ending?.recordingUrl) return json(404, { error: 'no recording of that call' });
  const samples = Buffer.alloc(8000); // one second of 8 kHz 8-bit silence
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples.length, 40);
  return { status: 200, headers: { 'content-type': 'audio/wav' }, body: Buffer.concat([header, samples.fill(0x80)]) };
}

async function calls(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const endings = new Map((await ctx.records.list('ending', 500)).map((r) => [r.key, r.data]));
  const phone = request.query.phone;
  const items = (await ctx.records.list('call', 500)).map((r) => r.data as unknown as Call).filter((c) => !phone || c.phone === phone);
  return json(200, { items: items.map((c) => ({ ...c, ending: endings.get(c.callId) ?? null })) });
}

export const voiceSimulator: Simulator = {
  async handle(request, ctx) {
    const route = `${request.method} ${request.path}`;
    if (route === 'POST /calls') return place(request, ctx);
    if (route === 'POST /_answer') return answer(request, ctx);
    if (route === 'GET /_calls') return calls(request, ctx);
    if (route === 'POST /_control') return setControl(ctx.records, request);
    const recorded = /^GET \/recordings\/(call-[0-9a-f]{24})\.wav$/.exec(route);
    if (recorded) return recording(recorded[1]!, ctx);
    return json(404, { error: `no ${route} here` });
  },
};
