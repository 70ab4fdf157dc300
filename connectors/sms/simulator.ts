/**
 * A local SMS gateway. It checks the signature like the gateway, sends each
 * request id once (a repeat gets the first message id), reports delivery
 * later through the signed report callback, and lets a test play the citizen
 * replying (POST /_reply). Faults on demand: POST /_control.
 */
import { randomUUID } from 'node:crypto';
import type { SimRequest, SimResponse, Simulator, SimulatorContext } from '../../engine/core/connectors/port.ts';
import { signedHeaders } from '../lib/signing.ts';
import { hang, json, parseJson, pause, setControl, takeFault, readSignedRequest } from '../lib/simulator-kit.ts';

const REPORT_DELAY_MS = 50;

async function send(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const secret = ctx.config.secrets.apiKey;
  const read = readSignedRequest(secret, request, ctx.now());
  if ('refused' in read) return read.refused;
  const body = read.body as { requestId?: string; phone?: string; text?: string };
  if (!body?.requestId || !body.phone || !body.text) return json(400, { error: 'requestId, phone and text are required' });
  const fault = await takeFault(ctx.records);
  if (fault?.fault === 'fail') return json(503, { error: 'gateway busy' });
  if (fault?.fault === 'timeout') return hang();
  if (fault?.fault === 'decline') return json(400, { error: 'PHONE_BLOCKED', message: 'the number refuses messages' });
  const { record, inserted } = await ctx.records.putIfAbsent('message', body.requestId, { messageId: `sms-${randomUUID()}`, phone: body.phone, text: body.text, at: ctx.now(), requests: 1 });
  const messageId = String(record.data.messageId);
  // The same request again (a client retry): counted, not sent again.
  if (!inserted) await ctx.records.put('message', body.requestId, { ...record.data, requests: Number(record.data.requests ?? 1) + 1 });
  if (inserted) {
    const report = JSON.stringify({ messageId, requestId: body.requestId, phone: body.phone, status: fault?.fault === 'undeliverable' ? 'failed' : 'delivered', at: ctx.now() });
    const delay = fault?.fault === 'late' ? fault.delayMs : REPORT_DELAY_MS;
    ctx.notify(ctx.callbackUrl('report'), report, signedHeaders(secret ?? '', report, ctx.now() + delay), delay);
  }
  // Accepted (and recorded) first, answered late: a client that gives up or dies now sends again, and gets this message id.
  if (fault?.fault === 'slow') await pause(fault.delayMs);
  return json(200, { messageId, status: 'accepted' });
}

/** The citizen answers: the gateway forwards the reply, signed, to the reply callback. */
async function reply(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const body = parseJson(request.body) as { phone?: string; text?: string } | null;
  if (!body?.phone || !body.text) return json(400, { error: 'phone and text are required' });
  const notice = JSON.stringify({ replyId: `reply-${randomUUID()}`, phone: body.phone, text: body.text, at: ctx.now() });
  ctx.notify(ctx.callbackUrl('reply'), notice, signedHeaders(ctx.config.secrets.apiKey ?? '', notice, ctx.now()), 0);
  return json(202, { forwarded: true });
}

async function messages(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const all = await ctx.records.list('message', 500);
  const phone = request.query.phone;
  return json(200, { items: all.map((r) => ({ requestId: r.key, ...r.data })).filter((m) => !phone || (m as { phone?: unknown }).phone === phone) });
}

export const smsSimulator: Simulator = {
  async handle(request, ctx) {
    const route = `${request.method} ${request.path}`;
    if (route === 'POST /messages') return send(request, ctx);
    if (route === 'POST /_reply') return reply(request, ctx);
    if (route === 'GET /_messages') return messages(request, ctx);
    if (route === 'POST /_control') return setControl(ctx.records, request);
    return json(404, { error: `no ${route} here` });
  },
};
