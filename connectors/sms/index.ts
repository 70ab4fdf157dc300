/**
 * SMS (短信) through an SMS gateway: templates whose configured middle gets
 * the applicant-and-service prefix and the signature suffix; verification
 * codes; signed links back to the portal (an invitation answered by link);
 * delivery reports and citizens' replies as signed callbacks.
 *
 * The gateway protocol: POST {baseUrl}/messages {requestId, phone, text},
 * signed (X-Timestamp, X-Signature: HMAC-SHA256 of timestamp and body with
 * the API key), answered {messageId}. The request id is the job's idempotency
 * key: the gateway sends a repeated request once. Notices come back signed
 * the same way to /api/callbacks/sms/report and /api/callbacks/sms/reply.
 */
import { createHash, createHmac } from 'node:crypto';
import { t, CallbackRejected, ConnectorError, type Connector, type OperationContext } from '../../engine/core/connectors/port.ts';
import { callSigned } from '../lib/http.ts';
import { portalLink, portalUrlOf } from '../lib/portal.ts';
import { fillTemplate } from '../lib/templates.ts';
import { readSignedNotice } from '../lib/signing.ts';
import { smsSimulator } from './simulator.ts';

export interface SmsSettings {
  baseUrl: string;
  /** The suffix every message ends with, e.g. 【许昌市公安局】. */
  signature: string;
  /** Configured middles by key ("快递的材料，已经收到"); {name} takes a variable. */
  templates: Record<string, string>;
  perPhonePerMinute: number;
  codeTtlSeconds: number;
  codeMaxTries: number;
  timeoutMs: number;
  /** Where a message's link (`linkPath`) leads: the portal's address. */
  portalUrl?: string;
  linkTtlHours?: number;
}

const PHONE = '^1[3-9]\\d{9}$';

const settingsOf = (ctx: { config: { settings: Record<string, unknown> } }) => ctx.config.settings as unknown as SmsSettings;

/** Prefix (applicant + service) + configured middle + suffix (signature), as the catalog says. */
export function composeText(settings: SmsSettings, input: { template?: string; text?: string; variables?: Record<string, unknown>; applicantName?: string; serviceName?: string }): string {
  const middle = input.template !== undefined ? settings.templates[input.template] : input.text;
  if (middle === undefined) throw new ConnectorError(`no SMS template named ${input.template}`, false);
  const filled = fillTemplate(middle, input.variables, 'SMS');
  const prefix = input.applicantName && input.serviceName ? `${input.applicantName}，你申请的${input.serviceName}业务，` : '';
  return `${prefix}${filled.replace(/[，,。]$/, '')}，${settings.signature}`;
}

async function deliver(ctx: OperationContext, phone: string, text: string, logged: string): Promise<string> {
  const settings = settingsOf(ctx);
  await ctx.rateLimit(`phone:${phone}`, settings.perPhonePerMinute, 60_000);
  const body = JSON.stringify({ requestId: ctx.idempotencyKey, phone, text });
  ctx.report({ request: { phone, text: logged } });
  const answer = await callSigned(`${settings.baseUrl}/messages`, ctx.config.secrets.apiKey, body, { signal: ctx.signal, timeoutMs: settings.timeoutMs });
  const messageId = (answer.body as { messageId?: unknown } | null)?.messageId;
  if (typeof messageId !== 'string') throw new ConnectorError('the gateway answered without a message id', true, answer.body);
  ctx.report({ response: answer.body });
  return messageId;
}

const codeKey = (purpose: string, phone: string) => `${purpose}:${phone}`;
const hashCode = (code: string, salt: string) => createHash('sha256').update(`${salt}:${code}`).digest('hex');

async function checkCode(ctx: OperationContext, key: string, code: string): Promise<Record<string, unknown>> {
  const stored = (await ctx.records.get('code', key))?.data as { hash: string; salt: string; expiresAt: number; tries: number; used?: boolean } | undefined;
  if (!stored || stored.used) return { codeValid: false, codeProblem: 'none-sent' };
  if (ctx.now() > stored.expiresAt) return { codeValid: false, codeProblem: 'expired' };
  if (stored.tries >= settingsOf(ctx).codeMaxTries) return { codeValid: false, codeProblem: 'too-many-tries' };
  const valid = hashCode(code, stored.salt) === stored.hash;
  await ctx.records.put('code', key, { ...stored, tries: stored.tries + 1, used: valid });
  return valid ? { codeValid: true } : { codeValid: false, codeProblem: 'wrong' };
}

/** Six digits only this job can have: derived from the job's key under the connector's secret. */
function jobCode(secret: string | undefined, idempotencyKey: string): string {
  if (!secret) throw new ConnectorError('no apiKey is configured for SMS', false);
  return String(createHmac('sha256', secret).update(`code:${idempotencyKey}`).digest().readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

export function smsConnector(): Connector {
  return {
    name: 'sms',
    title: t('短信', 'SMS'),
    settings: {
      type: 'object',
      required: ['baseUrl', 'signature', 'templates', 'perPhonePerMinute', 'codeTtlSeconds', 'codeMaxTries', 'timeoutMs'],
      properties: {
        baseUrl: { type: 'string', format: 'uri' },
        signature: { type: 'string', minLength: 2, maxLength: 30 },
        templates: { type: 'object', additionalProperties: { type: 'string', minLength: 1, maxLength: 300 } },
        perPhonePerMinute: { type: 'integer', minimum: 1, maximum: 100 },
        codeTtlSeconds: { type: 'integer', minimum: 30, maximum: 3600 },
        codeMaxTries: { type: 'integer', minimum: 1, maximum: 20 },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000 },
        portalUrl: { type: 'string', format: 'uri' },
        linkTtlHours: { type: 'integer', minimum: 1, maximum: 24 * 90 },
      },
    },
    secrets: ['apiKey'],
    defaults: (simulator) => ({
      settings: {
        baseUrl: simulator.baseUrl,
        signature: '【许昌市公安局】',
        templates: {
          received: '快递的材料，已经收到',
          accepted: '已受理，请留意办理进度',
          correction: '材料需要补正：{reason}',
          done: '已办结，{how}',
          emergencyChange: '紧急变更 {change} 待您审批，回复"同意"或"不同意"',
          expertInvitation: '邀请您参加 {meeting} 评审，回复 1 确认，2 拒绝',
          invitationLink: '{name}，诚邀您参加 {meeting}，请打开链接确认：{link}',
        },
        portalUrl: portalUrlOf(simulator.baseUrl),
        linkTtlHours: 72,
        perPhonePerMinute: 5,
        codeTtlSeconds: 300,
        codeMaxTries: 5,
        timeoutMs: 5000,
      },
      secrets: { apiKey: 'sms-simulator-key' },
    }),
    operations: {
      send: {
        title: t('发送短信', 'Send an SMS'),
        input: {
          type: 'object',
          required: ['phone'],
          oneOf: [{ required: ['template'] }, { required: ['text'] }],
          properties: {
            phone: { type: 'string', pattern: PHONE },
            template: { type: 'string' },
            text: { type: 'string', minLength: 1, maxLength: 300 },
            variables: { type: 'object' },
            applicantName: { type: 'string', maxLength: 50 },
            serviceName: { type: 'string', maxLength: 100 },
            linkPath: { type: 'string', pattern: '^/' },
          },
        },
        async run(input, ctx) {
          const settings = settingsOf(ctx);
          const variables = { ...((input.variables as Record<string, unknown> | undefined) ?? {}) };
          if (input.linkPath) {
            if (!settings.portalUrl) throw new ConnectorError('no portalUrl is configured: an SMS cannot carry a portal link', false);
            variables.link = portalLink(ctx, settings.portalUrl, String(input.linkPath), (settings.linkTtlHours ?? 72) * 3600_000);
          }
          const text = composeText(settings, { ...(input as Parameters<typeof composeText>[1]), variables });
          return { messageId: await deliver(ctx, String(input.phone), text, text), smsText: text };
        },
      },
      sendCode: {
        title: t('发送验证码', 'Send a verification code'),
        input: { type: 'object', required: ['phone', 'purpose'], properties: { phone: { type: 'string', pattern: PHONE }, purpose: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,31}$' } } },
        async run(input, ctx) {
          const settings = settingsOf(ctx);
          const phone = String(input.phone);
          const key = codeKey(String(input.purpose), phone);
          // Every attempt of this job has the same code, kept only hashed: a retry after a failed send sends it
          // again (the gateway sends one request id once), and a code already taken into use is not reset.
          const code = jobCode(ctx.config.secrets.apiKey, ctx.idempotencyKey);
          const salt = ctx.idempotencyKey;
          const hash = hashCode(code, salt);
          const { record, inserted } = await ctx.records.putIfAbsent('code-request', ctx.idempotencyKey, { key, hash, salt, expiresAt: ctx.now() + settings.codeTtlSeconds * 1000 });
          const expiresAt = Number(record.data.expiresAt);
          if (inserted) await ctx.records.put('code', key, { hash, salt, expiresAt, tries: 0 });
          const text = `验证码 ${code}，${Math.round(settings.codeTtlSeconds / 60)} 分钟内有效，请勿告诉他人，${settings.signature}`;
          await deliver(ctx, phone, text, text.replace(code, '******'));
          return { codeSent: true, codeExpiresAt: new Date(expiresAt).toISOString() };
        },
      },
      checkCode: {
        title: t('核对验证码', 'Check a verification code'),
        input: {
          type: 'object',
          required: ['phone', 'purpose', 'code'],
          properties: { phone: { type: 'string', pattern: PHONE }, purpose: { type: 'string' }, code: { type: 'string', pattern: '^\\d{6}$' } },
        },
        async run(input, ctx) {
          ctx.report({ request: { phone: input.phone, purpose: input.purpose, code: '******' } });
          // This job checked before (its step did not commit): the same answer, not a second try that finds the code used.
          const earlier = await ctx.records.get('code-check', ctx.idempotencyKey);
          if (earlier) return earlier.data;
          const answer = await checkCode(ctx, codeKey(String(input.purpose), String(input.phone)), String(input.code));
          return (await ctx.records.putIfAbsent('code-check', ctx.idempotencyKey, answer)).record.data;
        },
      },
    },
    callbacks: {
      report: {
        title: t('送达回执', 'Delivery report'),
        // The report can beat the flow to its receive task: the gateway answers before the job's step commits.
        bufferSeconds: 120,
        parse(request, { config }) {
          const notice = readSignedNotice(config.secrets.apiKey, request) as { messageId?: string; status?: string };
          if (typeof notice.messageId !== 'string' || (notice.status !== 'delivered' && notice.status !== 'failed')) throw new CallbackRejected(t('不是短信回执', 'not a delivery report'));
          return {
            externalId: `${notice.messageId}:${notice.status}`,
            message: { name: 'sms.report', correlationKey: notice.messageId, variables: { smsStatus: notice.status } },
            reply: { status: 200, contentType: 'text/plain', body: 'OK' },
          };
        },
      },
      reply: {
        title: t('短信回复', 'Reply'),
        bufferSeconds: 0,
        parse(request, { config }) {
          const notice = readSignedNotice(config.secrets.apiKey, request) as { replyId?: string; phone?: string; text?: string };
          if (typeof notice.replyId !== 'string' || typeof notice.phone !== 'string' || typeof notice.text !== 'string') throw new CallbackRejected(t('不是短信回复', 'not a reply'));
          const answer = notice.text.trim().replace(/[。.!！\s]+$/, '');
          return {
            externalId: notice.replyId,
            // Waiting flows correlate on the phone number they wrote to.
            message: { name: 'sms.reply', correlationKey: notice.phone, variables: { smsReply: notice.text, smsAnswer: answer } },
            reply: { status: 200, contentType: 'text/plain', body: 'OK' },
          };
        },
      },
    },
    simulator: smsSimulator,
  };
}
