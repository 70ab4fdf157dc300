/**
 * A local identity service with a small population registry of its own.
 * People registered at POST /_people {idNumber, name, phone?, portrait?
 * (base64), networkIdCode?} are checked for real: a wrong name, a phone not
 * theirs, another face (a low similarity), a wrong network ID are reported
 * as the service does. ID numbers set at POST /_failing {idNumbers} have no
 * record. Anyone else is who they say they are (so flows work offline).
 * Both are kept in the records, so every process sees them. One request id
 * is one (billed) check with one answer; faces compared with `notify` are
 * answered later through the signed face callback. Faults: POST /_control.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SimRequest, SimResponse, Simulator, SimulatorContext } from '../../engine/core/connectors/port.ts';
import { signedHeaders } from '../lib/signing.ts';
import { hang, json, parseJson, pause, setControl, takeFault, readSignedRequest } from '../lib/simulator-kit.ts';

const NOTICE_DELAY_MS = 50;
/** What the registry's unknown people score: a good match. */
const UNKNOWN_PERSON_SCORE = 0.93;
const SAME_PHOTO_SCORE = 0.97;

interface Person {
  name: string;
  phone?: string;
  /** SHA-256 of the portrait on file. */
  portrait?: string;
  networkIdCode?: string;
}

type Face = { score: number } | 'no-portrait';
type Entry = { kind: 'failing' } | { kind: 'registered'; person: Person } | { kind: 'unknown' };

const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function lookUp(ctx: SimulatorContext, idNumber: string): Promise<Entry> {
  const failing = ((await ctx.records.get('registry', 'failing'))?.data.idNumbers as string[] | undefined) ?? [];
  if (failing.includes(idNumber)) return { kind: 'failing' };
  const person = (await ctx.records.get('person', idNumber))?.data as Person | undefined;
  return person ? { kind: 'registered', person } : { kind: 'unknown' };
}

/**
 * The same picture is a near-certain match; another picture of a registered
 * person scores low, differently for each pair (a stand-in for a real model).
 */
function compareFace(entry: Entry, photo: Buffer): Face {
  if (entry.kind === 'unknown') return { score: UNKNOWN_PERSON_SCORE };
  if (entry.kind === 'failing' || !entry.person.portrait) return 'no-portrait';
  const taken = digest(photo);
  if (taken === entry.person.portrait) return { score: SAME_PHOTO_SCORE };
  const spread = createHash('sha256').update(`${entry.person.portrait}:${taken}`).digest().readUInt32BE(0) / 2 ** 32;
  return { score: Math.round((0.2 + spread * 0.4) * 100) / 100 };
}

function verifyChecks(entry: Entry, request: { name: string; phone?: string; photo?: Buffer; networkIdCode?: string }) {
  const person = entry.kind === 'registered' ? entry.person : null;
  const unregistered = entry.kind === 'unknown';
  return {
    identity: entry.kind === 'failing' ? 'no-record' : person && person.name !== request.name ? 'name-mismatch' : 'match',
    ...(request.phone !== undefined && { phone: unregistered || person?.phone === request.phone ? 'match' : 'mismatch' }),
    ...(request.photo && { face: compareFace(entry, request.photo) }),
    ...(request.networkIdCode !== undefined && { networkId: unregistered || (person?.networkIdCode !== undefined && person.networkIdCode === request.networkIdCode) ? 'valid' : 'invalid' }),
  };
}

/** A signed request to the service, or why it is refused; faults ordered at /_control apply here. */
async function admit(request: SimRequest, ctx: SimulatorContext): Promise<{ body: Record<string, unknown>; fault: Awaited<ReturnType<typeof takeFault>> } | SimResponse> {
  const read = readSignedRequest(ctx.config.secrets.apiKey, request, ctx.now());
  if ('refused' in read) return read.refused;
  const body = read.body as Record<string, unknown>;
  if (typeof body.requestId !== 'string' || typeof body.idNumber !== 'string') return json(400, { error: 'requestId and idNumber are required' });
  const fault = await takeFault(ctx.records);
  if (fault?.fault === 'fail') return json(503, { error: 'registry unavailable' });
  if (fault?.fault === 'timeout') return hang();
  if (fault?.fault === 'decline') return json(403, { error: 'NOT_AUTHORISED', message: 'this account may not make this check' });
  return { body, fault };
}

const photoBytes = (photo: unknown): Buffer | null => {
  const data = (photo as { data?: unknown } | null)?.data;
  return typeof data === 'string' && data ? Buffer.from(data, 'base64') : null;
};

async function verify(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const admitted = await admit(request, ctx);
  if ('status' in admitted) return admitted;
  const { body, fault } = admitted;
  const photo = photoBytes(body.photo);
  if (typeof body.name !== 'string' || ![1, 2, 3].includes(Number(body.level)) || (Number(body.level) >= 2 && !photo)) return json(400, { error: 'name, level and (from level 2) photo are required' });
  const idNumber = String(body.idNumber);
  const checks = verifyChecks(await lookUp(ctx, idNumber), {
    name: body.name,
    ...(typeof body.phone === 'string' && { phone: body.phone }),
    ...(photo && { photo }),
    ...(typeof body.networkIdCode === 'string' && { networkIdCode: body.networkIdCode }),
  });
  const { record } = await ctx.records.putIfAbsent('verification', String(body.requestId), { verificationId: `ver-${randomUUID()}`, idNumber, level: Number(body.level), checks, at: ctx.now() });
  if (fault?.fault === 'slow') await pause(fault.delayMs);
  // A repeated request id gets the first answer, even if the registry changed since.
  return json(200, { verificationId: record.data.verificationId, checks: record.data.checks });
}

async function compare(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const admitted = await admit(request, ctx);
  if ('status' in admitted) return admitted;
  const { body, fault } = admitted;
  const photo = photoBytes(body.photo);
  if (!photo) return json(400, { error: 'photo is required' });
  const later = body.notify === true;
  const face = compareFace(await lookUp(ctx, String(body.idNumber)), photo);
  const { record, inserted } = await ctx.records.putIfAbsent('comparison', String(body.requestId), { comparisonId: `cmp-${randomUUID()}`, idNumber: String(body.idNumber), face, notify: later, at: ctx.now() });
  const stored = record.data as { comparisonId: string; face: Face; notify: boolean };
  if (inserted && stored.notify) {
    const notice = JSON.stringify({ comparisonId: stored.comparisonId, requestId: body.requestId, face: stored.face, at: ctx.now() });
    const delay = fault?.fault === 'late' ? fault.delayMs : NOTICE_DELAY_MS;
    ctx.notify(ctx.callbackUrl('face'), notice, signedHeaders(ctx.config.secrets.apiKey ?? '', notice, ctx.now() + delay), delay);
  }
  if (fault?.fault === 'slow') await pause(fault.delayMs);
  return json(200, stored.notify ? { comparisonId: stored.comparisonId, status: 'pending' } : { comparisonId: stored.comparisonId, status: 'done', face: stored.face });
}

async function register(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const body = parseJson(request.body) as Partial<{ idNumber: string; name: string; phone: string; portrait: string; networkIdCode: string }> | null;
  if (!body?.idNumber || !body.name) return json(400, { error: 'idNumber and name are required' });
  const person: Person = { name: body.name, ...(body.phone && { phone: body.phone }), ...(body.portrait && { portrait: digest(Buffer.from(body.portrait, 'base64')) }), ...(body.networkIdCode && { networkIdCode: body.networkIdCode }) };
  await ctx.records.put('person', body.idNumber, person as unknown as Record<string, unknown>);
  return json(200, { idNumber: body.idNumber, ...person });
}

async function setFailing(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const body = parseJson(request.body) as { idNumbers?: unknown } | null;
  if (!Array.isArray(body?.idNumbers) || !body.idNumbers.every((id) => typeof id === 'string')) return json(400, { error: 'idNumbers must be a list of ID numbers' });
  await ctx.records.put('registry', 'failing', { idNumbers: body.idNumbers });
  return json(200, { idNumbers: body.idNumbers });
}

async function checks(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const idNumber = request.query.idNumber;
  const kinds = ['verification', 'comparison'] as const;
  const items = (await Promise.all(kinds.map(async (kind) => (await ctx.records.list(kind, 500)).map((r) => ({ kind, requestId: r.key, ...r.data }) as { kind: string; requestId: string; idNumber?: unknown })))).flat();
  return json(200, { items: items.filter((c) => !idNumber || c.idNumber === idNumber) });
}

export const identitySimulator: Simulator = {
  async handle(request, ctx) {
    const route = `${request.method} ${request.path}`;
    if (route === 'POST /verifications') return verify(request, ctx);
    if (route === 'POST /faces/compare') return compare(request, ctx);
    if (route === 'POST /_people') return register(request, ctx);
    if (route === 'POST /_failing') return setFailing(request, ctx);
    if (route === 'GET /_checks') return checks(request, ctx);
    if (route === 'POST /_control') return setControl(ctx.records, request);
    return json(404, { error: `no ${route} here` });
  },
};
