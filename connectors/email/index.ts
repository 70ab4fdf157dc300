/**
 * E-mail over SMTP (nodemailer): templates with variables, attachments from
 * the case's files, and signed links back to the portal. The Message-ID is
 * derived from the job's idempotency key, so a repeated send is recognisable
 * as the same message (the simulator keeps it once).
 */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { t, ConnectorError, type Connector } from '../../engine/core/connectors/port.ts';
import { portalLink, portalUrlOf } from '../lib/portal.ts';
import { fillTemplate } from '../lib/templates.ts';
import { emailSimulator, startSmtpSimulator } from './simulator.ts';

export interface EmailSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  from: string;
  templates: Record<string, { subject: string; text: string }>;
  portalUrl: string;
  linkTtlHours: number;
  timeoutMs: number;
}

const fill = (text: string, variables: Record<string, unknown>) => fillTemplate(text, variables, 'e-mail');

/** SMTP answers 4xx for "try later", 5xx for "never"; a connection that fails may work later. */
function classify(err: unknown): ConnectorError {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const code = e.responseCode;
  if (code !== undefined) return new ConnectorError(`SMTP ${code}: ${e.message}`, code < 500);
  return new ConnectorError(`SMTP: ${e.code ?? ''} ${e.message ?? String(err)}`.trim(), true);
}

export function emailConnector(): Connector {
  return {
    name: 'email',
    title: t('电子邮件', 'E-mail'),
    settings: {
      type: 'object',
      required: ['host', 'port', 'secure', 'from', 'templates', 'portalUrl', 'linkTtlHours', 'timeoutMs'],
      properties: {
        host: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        secure: { type: 'boolean' },
        from: { type: 'string', minLength: 3 },
        templates: { type: 'object', additionalProperties: { type: 'object', required: ['subject', 'text'], properties: { subject: { type: 'string' }, text: { type: 'string' } } } },
        portalUrl: { type: 'string', format: 'uri' },
        linkTtlHours: { type: 'integer', minimum: 1, maximum: 24 * 90 },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 120_000 },
      },
    },
    secrets: ['user', 'password'],
    defaults: (simulator) => ({
      settings: {
        host: '127.0.0.1',
        port: simulator.port ?? 2525,
        secure: false,
        from: '许昌市公安局 <noreply@xuchang-police.example>',
        templates: {
          invitation: { subject: '评审邀请：{meeting}', text: '{name}，您好：\n\n诚邀您参加 {meeting} 评审。请点击下面的链接确认：\n{link}\n' },
          result: { subject: '办理结果：{service}', text: '{name}，您好：\n\n您申请的{service}业务已办结：{result}。\n查看详情：{link}\n' },
          account: { subject: '账号已开通', text: '{name}，您好：\n\n您的账号 {username} 已开通。首次登录请使用：{link}\n' },
        },
        // A link's path (/invitations/…, /cases/…) is a portal route.
        portalUrl: portalUrlOf(simulator.baseUrl),
        linkTtlHours: 72,
        timeoutMs: 10_000,
      },
      secrets: { user: 'workflow', password: 'smtp-simulator-password' },
    }),
    operations: {
      send: {
        title: t('发送邮件', 'Send an e-mail'),
        input: {
          type: 'object',
          required: ['to'],
          oneOf: [{ required: ['template'] }, { required: ['subject', 'text'] }],
          properties: {
            to: { type: 'string', format: 'email' },
            cc: { type: 'array', items: { type: 'string', format: 'email' }, maxItems: 20 },
            template: { type: 'string' },
            subject: { type: 'string', minLength: 1, maxLength: 200 },
            text: { type: 'string', minLength: 1, maxLength: 20_000 },
            variables: { type: 'object' },
            /** A portal path: becomes a signed link in the {link} variable. */
            linkPath: { type: 'string', pattern: '^/' },
            attachments: { type: 'array', maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 64 } },
          },
        },
        async run(input, ctx) {
          // SMTP has no request ids: a job that ran again after its mail went out answers as it did.
          const sent = await ctx.records.get('sent', ctx.idempotencyKey);
          if (sent) return sent.data;
          const settings = ctx.config.settings as unknown as EmailSettings;
          const variables: Record<string, unknown> = { ...((input.variables as Record<string, unknown> | undefined) ?? {}) };
          if (input.linkPath) variables.link = portalLink(ctx, settings.portalUrl, String(input.linkPath), settings.linkTtlHours * 3600_000);
          const template = input.template !== undefined ? settings.templates[String(input.template)] : { subject: String(input.subject), text: String(input.text) };
          if (!template) throw new ConnectorError(`no e-mail template named ${String(input.template)}`, false);
          const attachments = await Promise.all(
            ((input.attachments as string[] | undefined) ?? []).map(async (id) => {
              const file = await ctx.readFile(id);
              return { filename: file.name, content: file.bytes, contentType: file.contentType };
            }),
          );
          const messageId = `<${createHash('sha256').update(ctx.idempotencyKey).digest('hex').slice(0, 32)}@workflow.local>`;
          const message = {
            from: settings.from,
            to: String(input.to),
            ...(input.cc ? { cc: input.cc as string[] } : {}),
            subject: fill(template.subject, variables),
            text: fill(template.text, variables),
            messageId,
            attachments,
          };
          ctx.report({ request: { ...message, attachments: attachments.map((a) => ({ filename: a.filename, size: a.content.length })) } });
          const transport = nodemailer.createTransport({
            host: settings.host,
            port: settings.port,
            secure: settings.secure,
            ...(ctx.config.secrets.user && { auth: { user: ctx.config.secrets.user, pass: ctx.config.secrets.password ?? '' } }),
            connectionTimeout: settings.timeoutMs,
            greetingTimeout: settings.timeoutMs,
            socketTimeout: settings.timeoutMs,
          });
          try {
            const info = await transport.sendMail(message);
            ctx.report({ response: { response: info.response, accepted: info.accepted, rejected: info.rejected } });
            // Dying just here sends it once more, with the same Message-ID for the receiver to tell.
            return (await ctx.records.putIfAbsent('sent', ctx.idempotencyKey, { emailMessageId: messageId })).record.data;
          } catch (err) {
            throw classify(err);
          } finally {
            transport.close();
          }
        },
      },
    },
    simulator: emailSimulator,
    simulatorServer: startSmtpSimulator,
  };
}
