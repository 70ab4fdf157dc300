/**
 * A local mail server: a real SMTP listener (smtp-server) that asks for the
 * configured login, keeps each message once by its Message-ID, and refuses on
 * demand (POST /sim/email/_control: fail → 421, decline → 550, timeout → no
 * answer). GET /sim/email/_messages lists what arrived.
 */
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { RecordStore, Simulator, SimulatorContext } from '../../engine/core/connectors/port.ts';
import { json, setControl, takeFault } from '../lib/simulator-kit.ts';

export async function startSmtpSimulator(ctx: Pick<SimulatorContext, 'records' | 'config' | 'now'>): Promise<{ port: number; close(): Promise<void> }> {
  const { records } = ctx;
  const server = new SMTPServer({
    authOptional: false,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, callback) {
      if (auth.username === ctx.config.secrets.user && auth.password === ctx.config.secrets.password) callback(null, { user: auth.username });
      else callback(new Error('535 authentication failed'));
    },
    onData(stream, _session, callback) {
      void (async () => {
        const fault = await takeFault(records);
        if (fault?.fault === 'timeout') return; // never answer: the client gives up
        const parsed = await simpleParser(stream);
        if (fault?.fault === 'fail') return callback(Object.assign(new Error('mailbox busy, try later'), { responseCode: 421 }));
        if (fault?.fault === 'decline') return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        await keep(records, parsed, ctx.now());
        callback();
      })().catch((err: unknown) => callback(err as Error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function keep(records: RecordStore, mail: Awaited<ReturnType<typeof simpleParser>>, now: number): Promise<void> {
  const id = mail.messageId ?? `no-id-${now}`;
  const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address));
  const data = { messageId: id, from: mail.from?.text ?? '', to, subject: mail.subject ?? '', text: mail.text ?? '', attachments: mail.attachments.map((a) => ({ filename: a.filename, size: a.size, contentType: a.contentType })), deliveries: 1, at: now };
  const { record, inserted } = await records.putIfAbsent('message', id, data);
  if (!inserted) await records.put('message', id, { ...record.data, deliveries: Number(record.data.deliveries ?? 1) + 1 });
}

export const emailSimulator: Simulator = {
  async handle(request, ctx) {
    const route = `${request.method} ${request.path}`;
    if (route === 'GET /_messages') {
      const to = request.query.to;
      const items = (await ctx.records.list('message', 500)).map((r) => r.data).filter((m) => !to || (m.to as string[]).includes(to));
      return json(200, { items });
    }
    if (route === 'POST /_control') return setControl(ctx.records, request);
    return json(404, { error: `no ${route} here` });
  },
};
