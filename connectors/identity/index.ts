/**
 * Identity check (实名认证 / 人像比对) through an identity service.
 *
 * `identity.verify` checks a person at the level a service needs (the
 * catalog's levels): 1 — name + ID number + phone registered to the person
 * (the SMS code is checked beforehand with sms.checkCode); 2 — name + ID
 * number + a face photo compared with the registry portrait; 3 — as 2, plus
 * the citizen's network ID credential (网证). It answers synchronously.
 *
 * `identity.compareFace` compares a case file's photo with the portrait of an
 * ID number. By default it answers synchronously (faceMatched, faceScore);
 * with `async: true` the service only accepts (faceCheckId, facePending) and
 * reports later through the signed `face` callback, correlated by faceCheckId
 * (message `identity.face`), for a flow that waits in a receive task.
 *
 * An ID number whose check digit is wrong never reaches the service: the
 * check fails with identityProblem `invalid-id-number` (nothing to pay for).
 * The protocol: POST {baseUrl}/verifications and {baseUrl}/faces/compare,
 * signed like the other gateways, with the job's idempotency key as request id.
 */
import { t, CallbackRejected, ConnectorError, type CaseFile, type Connector, type LocalizedText, type OperationContext } from '../../engine/core/connectors/port.ts';
import { idNumberProblem } from '../../forms/formats/chinese.ts';
import { callSigned } from '../lib/http.ts';
import { readSignedNotice } from '../lib/signing.ts';
import { identitySimulator } from './simulator.ts';

export interface IdentitySettings {
  baseUrl: string;
  /** A face similarity at or above this is the same person. */
  faceThreshold: number;
  timeoutMs: number;
}

/** Why a check did not pass; null when it did. */
export type IdentityProblem = 'invalid-id-number' | 'no-record' | 'name-mismatch' | 'phone-mismatch' | 'face-mismatch' | 'no-portrait' | 'network-id-invalid';

const MAX_PHOTO_BYTES = 512 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png'];

const MESSAGES: Record<IdentityProblem, LocalizedText> = {
  'invalid-id-number': t('身份证号码不正确', 'the ID number is not valid'),
  'no-record': t('查无此身份证号码的登记信息', 'no registration found for this ID number'),
  'name-mismatch': t('姓名与身份证号码不一致', 'the name does not match the ID number'),
  'phone-mismatch': t('该手机号码未登记在本人名下', 'the phone number is not registered to this person'),
  'face-mismatch': t('人像比对未通过：相似度低于阈值', 'face comparison failed: similarity below the threshold'),
  'no-portrait': t('登记信息中没有可比对的人像', 'the registry holds no portrait to compare with'),
  'network-id-invalid': t('网证凭证无效', 'the network ID credential is not valid'),
};

/** What the service found, check by check (the protocol's answer). */
interface Checks {
  identity: 'match' | 'name-mismatch' | 'no-record';
  phone?: 'match' | 'mismatch';
  face?: { score: number } | 'no-portrait';
  networkId?: 'valid' | 'invalid';
}

const settingsOf = (config: { settings: Record<string, unknown> }) => config.settings as unknown as IdentitySettings;

/** The first check that failed, in the order a clerk would look. */
export function problemOf(checks: Checks, threshold: number): IdentityProblem | null {
  if (checks.identity !== 'match') return checks.identity;
  if (checks.phone === 'mismatch') return 'phone-mismatch';
  if (checks.face === 'no-portrait') return 'no-portrait';
  if (checks.face && checks.face.score < threshold) return 'face-mismatch';
  if (checks.networkId === 'invalid') return 'network-id-invalid';
  return null;
}

const isFace = (value: unknown): value is NonNullable<Checks['face']> =>
  value === 'no-portrait' || (typeof value === 'object' && value !== null && typeof (value as { score?: unknown }).score === 'number');

const faceOutcome = (checks: Pick<Checks, 'face'>, threshold: number) => {
  const problem = checks.face === 'no-portrait' ? 'no-portrait' : checks.face && checks.face.score < threshold ? 'face-mismatch' : null;
  return { faceMatched: problem === null, faceScore: typeof checks.face === 'object' ? checks.face.score : null, faceProblem: problem, faceMessage: problem ? MESSAGES[problem] : null };
};

/** The ID number is checked here, before anything is sent (or paid for). */
function invalidId(idNumber: string, ctx: OperationContext): LocalizedText | null {
  const reason = idNumberProblem(idNumber, new Date(ctx.now()));
  if (reason) ctx.report({ request: { idNumber: mask(idNumber) }, response: { refused: reason } });
  return reason;
}

async function photoOf(fileId: string, ctx: OperationContext): Promise<{ contentType: string; data: string }> {
  const file: CaseFile = await ctx.readFile(fileId);
  if (!PHOTO_TYPES.includes(file.contentType)) throw new ConnectorError(`the photo must be a JPEG or PNG, not ${file.contentType}`, false);
  if (file.bytes.length > MAX_PHOTO_BYTES) throw new ConnectorError(`the photo is larger than ${MAX_PHOTO_BYTES / 1024} KB`, false);
  return { contentType: file.contentType, data: file.bytes.toString('base64') };
}

/** An ID number in the attempt's record: enough to recognise, not enough to reuse. */
const mask = (idNumber: string) => `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`;

async function ask(ctx: OperationContext, path: string, payload: Record<string, unknown>, logged: Record<string, unknown>): Promise<Record<string, unknown>> {
  const settings = settingsOf(ctx.config);
  const body = JSON.stringify({ requestId: ctx.idempotencyKey, ...payload });
  ctx.report({ request: logged });
  const answer = await callSigned(`${settings.baseUrl}${path}`, ctx.config.secrets.apiKey, body, { signal: ctx.signal, timeoutMs: settings.timeoutMs });
  ctx.report({ response: answer.body });
  if (!answer.body || typeof answer.body !== 'object') throw new ConnectorError('the identity service answered without a result', true, answer.body);
  return answer.body as Record<string, unknown>;
}

const NAME = { type: 'string', minLength: 1, maxLength: 50 };
const ID_NUMBER = { type: 'string', pattern: '^\\d{17}[\\dXx]$' };
const FILE_ID = { type: 'string', minLength: 1, maxLength: 64 };

export function identityConnector(): Connector {
  return {
    name: 'identity',
    title: t('实名认证与人像比对', 'Identity check'),
    settings: {
      type: 'object',
      required: ['baseUrl', 'faceThreshold', 'timeoutMs'],
      properties: {
        baseUrl: { type: 'string', format: 'uri' },
        faceThreshold: { type: 'number', minimum: 0.5, maximum: 0.99 },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000 },
      },
    },
    secrets: ['apiKey'],
    defaults: (simulator) => ({
      settings: { baseUrl: simulator.baseUrl, faceThreshold: 0.8, timeoutMs: 8000 },
      secrets: { apiKey: 'identity-simulator-key' },
    }),
    operations: {
      verify: {
        title: t('实名核验', 'Verify an identity'),
        input: {
          type: 'object',
          required: ['name', 'idNumber', 'level'],
          properties: {
            name: NAME,
            idNumber: ID_NUMBER,
            phone: { type: 'string', pattern: '^1[3-9]\\d{9}$' },
            level: { type: 'integer', enum: [1, 2, 3] },
            /** A case file: the citizen's face photo (levels 2 and 3). */
            photo: FILE_ID,
            /** The network ID credential (网证) the citizen's app shows (level 3). */
            networkIdCode: { type: 'string', pattern: '^[A-Za-z0-9]{8,64}$' },
          },
          allOf: [
            { if: { properties: { level: { const: 1 } } }, then: { required: ['phone'] } },
            { if: { properties: { level: { const: 2 } } }, then: { required: ['photo'] } },
            { if: { properties: { level: { const: 3 } } }, then: { required: ['photo', 'networkIdCode'] } },
          ],
        },
        async run(input, ctx) {
          const idNumber = String(input.idNumber).toUpperCase();
          const level = Number(input.level);
          const invalid = invalidId(idNumber, ctx);
          if (invalid) return { identityPassed: false, identityLevel: 0, identityProblem: 'invalid-id-number', identityMessage: { 'zh-CN': `身份证号码：${invalid['zh-CN']}`, en: `ID number: ${invalid.en}` } };
          const photo = level >= 2 ? await photoOf(String(input.photo), ctx) : undefined;
          const payload = { level, name: input.name, idNumber, ...(input.phone !== undefined && { phone: input.phone }), ...(photo && { photo }), ...(level === 3 && { networkIdCode: input.networkIdCode }) };
          const answer = await ask(ctx, '/verifications', payload, { ...payload, idNumber: mask(idNumber), ...(photo && { photo: { contentType: photo.contentType, base64Length: photo.data.length } }), ...(level === 3 && { networkIdCode: '******' }) });
          if (typeof answer.verificationId !== 'string' || !answer.checks || typeof answer.checks !== 'object') throw new ConnectorError('the identity service answered without its checks', true, answer);
          const checks = answer.checks as Checks;
          if ((level >= 2 && !isFace(checks.face)) || (input.phone !== undefined && !checks.phone)) throw new ConnectorError('the identity service left out a check it was asked for', true, answer);
          const problem = problemOf(checks, settingsOf(ctx.config).faceThreshold);
          return {
            verificationId: answer.verificationId,
            identityPassed: problem === null,
            identityLevel: problem === null ? level : 0,
            identityProblem: problem,
            identityMessage: problem ? MESSAGES[problem] : null,
            ...(checks.face !== undefined && { faceScore: typeof checks.face === 'object' ? checks.face.score : null }),
          };
        },
      },
      compareFace: {
        title: t('人像比对', 'Compare a face'),
        input: {
          type: 'object',
          required: ['idNumber', 'photo'],
          properties: {
            idNumber: ID_NUMBER,
            photo: FILE_ID,
            /** Let the service answer later through the `face` callback (correlate on faceCheckId). */
            async: { type: 'boolean' },
          },
        },
        async run(input, ctx) {
          const idNumber = String(input.idNumber).toUpperCase();
          const invalid = invalidId(idNumber, ctx);
          if (invalid) return { faceMatched: false, faceScore: null, faceProblem: 'invalid-id-number', faceMessage: MESSAGES['invalid-id-number'], facePending: false };
          const photo = await photoOf(String(input.photo), ctx);
          const later = input.async === true;
          const answer = await ask(ctx, '/faces/compare', { idNumber, photo, notify: later }, { idNumber: mask(idNumber), photo: { contentType: photo.contentType, base64Length: photo.data.length }, notify: later });
          const faceCheckId = answer.comparisonId;
          if (typeof faceCheckId !== 'string') throw new ConnectorError('the identity service answered without a comparison id', true, answer);
          if (answer.status === 'pending') return { faceCheckId, facePending: true };
          if (answer.status !== 'done' || !isFace(answer.face)) throw new ConnectorError('the identity service answered neither a result nor pending', true, answer);
          return { faceCheckId, facePending: false, ...faceOutcome(answer as Pick<Checks, 'face'>, settingsOf(ctx.config).faceThreshold) };
        },
      },
    },
    callbacks: {
      face: {
        title: t('人像比对结果', 'Face comparison result'),
        // The result may come before the flow reaches its receive task.
        bufferSeconds: 600,
        parse(request, { config }) {
          const notice = readSignedNotice(config.secrets.apiKey, request) as { comparisonId?: unknown; face?: unknown };
          const face = notice.face;
          if (typeof notice.comparisonId !== 'string' || !isFace(face)) throw new CallbackRejected(t('不是人脸比对结果', 'not a face comparison result'));
          return {
            externalId: notice.comparisonId,
            message: { name: 'identity.face', correlationKey: notice.comparisonId, variables: { facePending: false, ...faceOutcome({ face }, settingsOf(config).faceThreshold) } },
            reply: { status: 200, contentType: 'application/json', body: '{"code":0}' },
          };
        },
      },
    },
    simulator: identitySimulator,
    // Face comparison is the slow, metered part of the service: a few at a time per worker.
    concurrency: 4,
  };
}
