/**
 * A local business system. Told that a case is ready (POST /systems/<name>/ready,
 * signed), it keeps the hand-over once per request id, then pulls the case
 * the way the real one does — a signed syncBusInfo GET in XML — and keeps
 * what it got. A test plays its clerk deciding (POST /_decide): the system
 * pushes a signed UPDATE in XML, SOAP or JSON. Faults on demand at
 * POST /_control (fail: 503, timeout, decline: 409, late: the pull waits
 * delayMs, slow: kept at once, answered late).
 */
import { randomUUID } from 'node:crypto';
import type { SimRequest, SimResponse, Simulator, SimulatorContext } from '../../engine/core/connectors/port.ts';
import { signedHeaders } from '../lib/signing.ts';
import { hang, json, parseJson, pause, setControl, takeFault, readSignedRequest } from '../lib/simulator-kit.ts';
import { QUERIES } from './queries.ts';
import { SYSTEM_HEADER } from './sync.ts';
import { readAnswer, writeRequest, writeSoapCall } from './xml.ts';

const PULL_DELAY_MS = 20;

const signedAs = (ctx: SimulatorContext, system: string, body: string, contentType: string) => ({
  ...signedHeaders(ctx.config.secrets[`system:${system}`] ?? '', body, ctx.now()),
  'content-type': contentType,
  [SYSTEM_HEADER]: system,
});

async function ready(system: string, request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const read = readSignedRequest(ctx.config.secrets[`system:${system}`], request, ctx.now());
  if ('refused' in read) return read.refused;
  const body = read.body as { requestId?: unknown; caseId?: unknown };
  if (typeof body?.requestId !== 'string' || typeof body.caseId !== 'string') return json(400, { error: 'requestId and caseId are required' });
  const fault = await takeFault(ctx.records);
  if (fault?.fault === 'fail') return json(503, { error: 'business system busy' });
  if (fault?.fault === 'timeout') return hang();
  if (fault?.fault === 'decline') return json(409, { error: 'CASE_NOT_ACCEPTED', message: 'the system does not take this case' });
  const { record, inserted } = await ctx.records.putIfAbsent('handover', body.requestId, { system, caseId: body.caseId, ticket: `ticket-${randomUUID()}`, at: ctx.now() });
  if (inserted) setTimeout(() => void pull(system, body.requestId as string, body.caseId as string, ctx), fault?.fault === 'late' ? fault.delayMs : PULL_DELAY_MS).unref();
  if (fault?.fault === 'slow') await pause(fault.delayMs);
  return json(200, { ticket: record.data.ticket });
}

/** Read the case back through syncBusInfo, as the real system would; what came back is kept on the hand-over. */
async function pull(system: string, requestId: string, caseId: string, ctx: SimulatorContext): Promise<void> {
  const xml = writeRequest({ op: 'GET', source_id: caseId });
  let pulled: Record<string, unknown>;
  try {
    const response = await fetch(ctx.callbackUrl('syncBusInfo'), { method: 'POST', headers: signedAs(ctx, system, xml, 'text/xml; charset=utf-8'), body: xml, signal: AbortSignal.timeout(10_000) });
    pulled = { status: response.status, ...readAnswer(await response.text()) };
  } catch (err) {
    pulled = { error: String(err) };
  }
  const handover = await ctx.records.get('handover', requestId);
  if (handover) await ctx.records.put('handover', requestId, { ...handover.data, pulled });
}

/** The clerk's decision, pushed as UPDATE in the format asked for. */
async function decide(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const body = parseJson(request.body) as { system?: unknown; caseId?: unknown; state?: unknown; detail?: unknown; format?: unknown } | null;
  if (typeof body?.system !== 'string' || typeof body.caseId !== 'string' || typeof body.state !== 'string') return json(400, { error: 'system, caseId and state are required' });
  const detail = typeof body.detail === 'string' ? body.detail : '';
  const fields = { op: 'UPDATE', source_id: body.caseId, state: body.state, detail };
  const format = body.format ?? 'xml';
  if (format === 'json') {
    const text = JSON.stringify({ op: 'UPDATE', caseId: body.caseId, state: body.state, detail });
    ctx.notify(ctx.callbackUrl('sync'), text, signedAs(ctx, body.system, text, 'application/json'), 0);
  } else if (format === 'xml' || format === 'soap') {
    const text = format === 'soap' ? writeSoapCall(writeRequest(fields)) : writeRequest(fields);
    ctx.notify(ctx.callbackUrl('syncBusInfo'), text, signedAs(ctx, body.system, text, 'text/xml; charset=utf-8'), 0);
  } else return json(400, { error: 'format is xml, soap or json' });
  return json(202, { pushed: true });
}

/** The study platform's hours (满分教育): what a driver has studied so far, a session at a time (POST /_study). */
const REQUIRED_STUDY_HOURS = 12;
async function studyHours(idNumber: string, ctx: SimulatorContext): Promise<SimResponse> {
  const done = (await ctx.records.get('study', idNumber))?.data.hours;
  return json(200, { variables: { studyHours: typeof done === 'number' ? done : 0, studyHoursRequired: REQUIRED_STUDY_HOURS } });
}

async function study(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const body = parseJson(request.body) as { idNumber?: unknown; hours?: unknown } | null;
  if (typeof body?.idNumber !== 'string' || typeof body.hours !== 'number' || body.hours <= 0 || body.hours > 8)
    return json(400, { error: 'idNumber and hours (a session of at most 8) are required' });
  const done = (await ctx.records.get('study', body.idNumber))?.data.hours;
  const hours = (typeof done === 'number' ? done : 0) + body.hours;
  await ctx.records.put('study', body.idNumber, { hours });
  return json(200, { idNumber: body.idNumber, hours });
}

/** A query (业务查询), signed like a hand-over, answered from the system's canned data (study hours: from what was studied). */
function query(system: string, request: SimRequest, ctx: SimulatorContext): SimResponse | Promise<SimResponse> {
  const read = readSignedRequest(ctx.config.secrets[`system:${system}`], request, ctx.now());
  if ('refused' in read) return read.refused;
  const body = read.body as { query?: unknown; params?: unknown };
  const params = (body?.params && typeof body.params === 'object' ? body.params : {}) as Record<string, unknown>;
  if (system === 'trafficSystem' && body?.query === 'studyHours') return typeof params.idNumber === 'string' ? studyHours(params.idNumber, ctx) : json(400, { error: 'idNumber is required' });
  const answer = QUERIES[system]?.[String(body?.query)];
  if (!answer) return json(404, { error: 'NO_SUCH_QUERY', message: `${system} answers no query ${String(body?.query)}` });
  const result = answer((body.params && typeof body.params === 'object' ? body.params : {}) as Record<string, unknown>);
  return 'error' in result ? json(result.status, { error: result.error }) : json(200, { variables: result.variables });
}

async function handovers(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const caseId = request.query.caseId;
  const items = (await ctx.records.list('handover', 500)).map((r): Record<string, unknown> => ({ requestId: r.key, ...r.data })).filter((h) => !caseId || h.caseId === caseId);
  return json(200, { items });
}

export const backendSimulator: Simulator = {
  async handle(request, ctx) {
    const readyFor = /^\/systems\/([A-Za-z][A-Za-z0-9_-]{0,63})\/ready$/.exec(request.path);
    if (request.method === 'POST' && readyFor) return ready(readyFor[1]!, request, ctx);
    const queryFor = /^\/systems\/([A-Za-z][A-Za-z0-9_-]{0,63})\/query$/.exec(request.path);
    if (request.method === 'POST' && queryFor) return query(queryFor[1]!, request, ctx);
    const route = `${request.method} ${request.path}`;
    if (route === 'POST /_decide') return decide(request, ctx);
    if (route === 'POST /_study') return study(request, ctx);
    if (route === 'GET /_handovers') return handovers(request, ctx);
    if (route === 'POST /_control') return setControl(ctx.records, request);
    return json(404, { error: `no ${route} here` });
  },
};
