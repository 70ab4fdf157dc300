/**
 * Voice call (语音通知) through a voice gateway: an automated call reads a
 * script (a configured template with {variables}, or a text) and listens for
 * one of the keys it accepts; nobody is in the loop. The gateway answers at
 * once with a call id and reports the outcome later as a signed notice.
 *
 * The gateway protocol: POST {baseUrl}/calls {requestId, phone, callerId,
 * script, keys, ringSeconds, record}, signed (X-Timestamp, X-Signature:
 * HMAC-SHA256 of timestamp and body with the API key), answered {callId}.
 * The request id is the job's idempotency key: a repeated request places no
 * second call. The outcome comes back signed the same way to
 * /api/callbacks/voice/outcome {callId, outcome, key?, recordingUrl?} and is
 * correlated to the flow waiting on the call id (message `voice.outcome`).
 */
import { t, CallbackRejected, ConnectorError, type Connector } from '../../engine/core/connectors/port.ts';
import { callSigned } from '../lib/http.ts';
import { fillTemplate } from '../lib/templates.ts';
import { readSignedNotice } from '../lib/signing.ts';
import { OUTCOMES, type VoiceOutcome } from './outcomes.ts';
import { voiceSimulator } from './simulator.ts';

export interface VoiceSettings {
  baseUrl: string;
  /** The number the callee sees (显示号码). */
  callerId: string;
  /** Scripts by key; {name} takes a variable. */
  templates: Record<string, string>;
  /** How long the phone rings before the gateway gives up and reports no-answer. */
  ringSeconds: number;
  perPhonePerHour: number;
  timeoutMs: number;
}

const PHONE = '^1[3-9]\\d{9}$';
const settingsOf = (config: { settings: Record<string, unknown> }) => config.settings as unknown as VoiceSettings;

/** The words the call reads out: a configured template filled with variables, or the text given. */
export function composeScript(settings: Pick<VoiceSettings, 'templates'>, input: { template?: string; text?: string; variables?: Record<string, unknown> }): string {
  const script = input.template !== undefined ? settings.templates[input.template] : input.text;
  if (script === undefined) throw new ConnectorError(`no voice template named ${input.template}`, false);
  return fillTemplate(script, input.variables, 'voice');
}

export function voiceConnector(): Connector {
  return {
    name: 'voice',
    title: t('语音通知', 'Voice call'),
    settings: {
      type: 'object',
      required: ['baseUrl', 'callerId', 'templates', 'ringSeconds', 'perPhonePerHour', 'timeoutMs'],
      properties: {
        baseUrl: { type: 'string', format: 'uri' },
        callerId: { type: 'string', pattern: '^\\d{5,20}$' },
        templates: { type: 'object', additionalProperties: { type: 'string', minLength: 1, maxLength: 500 } },
        ringSeconds: { type: 'integer', minimum: 1, maximum: 120 },
        perPhonePerHour: { type: 'integer', minimum: 1, maximum: 60 },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000 },
      },
    },
    secrets: ['apiKey'],
    defaults: (simulator) => ({
      settings: {
        baseUrl: simulator.baseUrl,
        callerId: '037412345678',
        templates: {
          expertConfirm: '{name}您好，这里是许昌市公安局。邀请您参加{meeting}评审，时间{time}。确认参加请按1，不能参加请按2。',
          reminder: '{name}您好，您参加的{meeting}评审将于{time}开始，请准时出席。',
        },
        ringSeconds: 45,
        perPhonePerHour: 3,
        timeoutMs: 5000,
      },
      secrets: { apiKey: 'voice-simulator-key' },
    }),
    operations: {
      call: {
        title: t('拨打语音通知', 'Place a voice call'),
        input: {
          type: 'object',
          required: ['phone'],
          oneOf: [{ required: ['template'] }, { required: ['text'] }],
          properties: {
            phone: { type: 'string', pattern: PHONE },
            template: { type: 'string' },
            text: { type: 'string', minLength: 1, maxLength: 500 },
            variables: { type: 'object' },
            /** The keys the call listens for; any other key makes it repeat the script. */
            keys: { type: 'array', items: { type: 'string', pattern: '^[0-9*#]$' }, uniqueItems: true, minItems: 1, maxItems: 12, default: ['1', '2'] },
            /** Keep a recording of the answered call. */
            record: { type: 'boolean' },
          },
        },
        async run(input, ctx) {
          const settings = settingsOf(ctx.config);
          const phone = String(input.phone);
          const script = composeScript(settings, input as Parameters<typeof composeScript>[1]);
          const keys = (input.keys as string[] | undefined) ?? ['1', '2'];
          await ctx.rateLimit(`phone:${phone}`, settings.perPhonePerHour, 3600_000);
          const body = JSON.stringify({ requestId: ctx.idempotencyKey, phone, callerId: settings.callerId, script, keys, ringSeconds: settings.ringSeconds, record: input.record === true });
          ctx.report({ request: { phone, script, keys } });
          const answer = await callSigned(`${settings.baseUrl}/calls`, ctx.config.secrets.apiKey, body, { signal: ctx.signal, timeoutMs: settings.timeoutMs });
          const callId = (answer.body as { callId?: unknown } | null)?.callId;
          if (typeof callId !== 'string') throw new ConnectorError('the voice gateway answered without a call id', true, answer.body);
          ctx.report({ response: answer.body });
          return { callId, voiceScript: script };
        },
      },
    },
    callbacks: {
      outcome: {
        title: t('通话结果', 'Call outcome'),
        // The outcome may beat the flow to its receive task (a busy line is reported at once).
        bufferSeconds: 600,
        parse(request, { config }) {
          const notice = readSignedNotice(config.secrets.apiKey, request) as { callId?: unknown; outcome?: unknown; key?: unknown; recordingUrl?: unknown };
          if (typeof notice.callId !== 'string' || !OUTCOMES.includes(notice.outcome as VoiceOutcome)) throw new CallbackRejected(t('不是外呼结果', 'not a call outcome'));
          if (notice.key !== undefined && notice.key !== null && (typeof notice.key !== 'string' || !/^[0-9*#]$/.test(notice.key))) throw new CallbackRejected(t('按键不是电话按键', 'the key pressed is not a phone key'));
          if (notice.recordingUrl !== undefined && notice.recordingUrl !== null && typeof notice.recordingUrl !== 'string') throw new CallbackRejected(t('录音不是引用地址', 'the recording is not a reference'));
          const key = notice.outcome === 'answered' ? ((notice.key as string | undefined) ?? null) : null;
          return {
            // A call ends once: a second notice for it is a replay.
            externalId: notice.callId,
            message: { name: 'voice.outcome', correlationKey: notice.callId, variables: { voiceOutcome: notice.outcome, voiceKey: key, voiceRecording: (notice.recordingUrl as string | undefined) ?? null } },
            reply: { status: 200, contentType: 'application/json', body: '{"code":0}' },
          };
        },
      },
    },
    simulator: voiceSimulator,
    // A voice gateway account dials a few lines at once; more calls wait for a free one.
    concurrency: 4,
  };
}
