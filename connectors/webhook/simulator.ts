/**
 * Both ends of a webhook, played locally. As a receiver (POST /receive/<target>)
 * it checks the target's signature, keeps each delivery id once (a repeat is
 * counted and answered alike) and misbehaves on POST /_control (fail: 503,
 * timeout: no answer, decline: 422, slow: kept at once, answered late). As a
 * sender it plays a source's device: POST /_emit {source, id?, event} posts
 * the event, signed with the source's secret, to the inbound callback.
 */
import { randomUUID } from 'node:crypto';
import type { SimRequest, SimResponse, Simulator, SimulatorContext } from '../../engine/core/connectors/port.ts';
import { signatureProblem, signedHeaders } from '../lib/signing.ts';
import { hang, json, parseJson, pause, setControl, takeFault } from '../lib/simulator-kit.ts';
import { EVENT_HEADER, ID_HEADER, SOURCE_HEADER, signedEvent } from './protocol.ts';

async function receive(target: string, request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const secret = ctx.config.secrets[`target:${target}`];
  if (!secret) return json(404, { error: `no endpoint for ${target}` });
  const problem = signatureProblem(secret, request.headers, request.body, ctx.now());
  if (problem) return json(401, { error: problem.en });
  const deliveryId = request.headers[ID_HEADER];
  const body = parseJson(request.body) as { id?: unknown; event?: unknown; payload?: unknown } | null;
  if (!deliveryId || body?.id !== deliveryId || typeof body.event !== 'string') return json(400, { error: `a JSON event whose id is the ${ID_HEADER} header is required` });
  const fault = await takeFault(ctx.records);
  if (fault?.fault === 'fail') return json(503, { error: 'receiver unavailable' });
  if (fault?.fault === 'timeout') return hang();
  if (fault?.fault === 'decline') return json(422, { error: 'event refused by the receiver' });
  const { record, inserted } = await ctx.records.putIfAbsent('delivery', deliveryId, { target, event: body.event, eventHeader: request.headers[EVENT_HEADER] ?? null, payload: body.payload ?? null, receivedAt: ctx.now(), requests: 1 });
  if (!inserted) await ctx.records.put('delivery', deliveryId, { ...record.data, requests: Number(record.data.requests) + 1 });
  if (fault?.fault === 'slow') await pause(fault.delayMs);
  return json(200, { received: deliveryId });
}

async function emit(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const body = parseJson(request.body) as { source?: unknown; id?: unknown; event?: unknown } | null;
  if (typeof body?.source !== 'string' || !body.event || typeof body.event !== 'object') return json(400, { error: 'source and event are required' });
  const secret = ctx.config.secrets[`source:${body.source}`] ?? 'unknown-source';
  const id = typeof body.id === 'string' ? body.id : `evt-${randomUUID()}`;
  const text = JSON.stringify(body.event);
  ctx.notify(ctx.callbackUrl('inbound'), text, { ...signedHeaders(secret, signedEvent(id, text), ctx.now()), [SOURCE_HEADER]: body.source, [ID_HEADER]: id }, 0);
  return json(202, { id });
}

async function deliveries(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const target = request.query.target;
  const items = (await ctx.records.list('delivery', 500)).map((r): Record<string, unknown> => ({ deliveryId: r.key, ...r.data })).filter((d) => !target || d.target === target);
  return json(200, { items });
}

export const webhookSimulator: Simulator = {
  async handle(request, ctx) {
    const receiving = /^\/receive\/([A-Za-z][A-Za-z0-9_-]{0,63})$/.exec(request.path);
    if (request.method === 'POST' && receiving) return receive(receiving[1]!, request, ctx);
    const route = `${request.method} ${request.path}`;
    if (route === 'POST /_emit') return emit(request, ctx);
    if (route === 'GET /_deliveries') return deliveries(request, ctx);
    if (route === 'POST /_control') return setControl(ctx.records, request);
    return json(404, { error: `no ${route} here` });
  },
};
