/** E-mail through a real SMTP listener started by the test: what was sent is read back as it arrived. */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { PermanentFailure } from '../../engine/core/handlers.ts';
import { readLink } from '../../engine/core/lib/links.ts';
import { PDF } from '../support/forms.ts';
import { connectorServer, eventually, runOperation, type ConnectorServer } from '../support/connectors.ts';
import { describeOnBothStores } from '../support/harness.ts';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions/examples');

describeOnBothStores('e-mail over SMTP', (ctx) => {
  let server: ConnectorServer;
  let smtp: SMTPServer;
  let answer: { code: number; message: string } | null;
  const arrived: ParsedMail[] = [];

  beforeEach(async () => {
    arrived.length = 0;
    answer = null;
    smtp = new SMTPServer({
      authOptional: false,
      disabledCommands: ['STARTTLS'],
      onAuth: (auth, _s, done) => (auth.username === 'mailer' && auth.password === 's3cret' ? done(null, { user: 'mailer' }) : done(new Error('535 no'))),
      onData: (stream, _s, done) => {
        simpleParser(stream).then((mail) => {
          if (answer) return done(Object.assign(new Error(answer.message), { responseCode: answer.code }));
          arrived.push(mail);
          done();
        }, done);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    server = await connectorServer(ctx());
    const settings = (await server.connectors.settings.config('email')).settings;
    await server.connectors.settings.put(
      'email',
      { settings: { ...settings, port: (smtp.server.address() as AddressInfo).port, portalUrl: 'https://portal.example.gov.cn' }, secrets: { user: 'mailer', password: 's3cret' } },
      undefined,
      'admin',
    );
  });
  afterEach(async () => {
    await server.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const send = (input: Record<string, unknown>, instanceId = 'case-1', key = `key-${Math.random()}`) => runOperation(ctx(), 'email.send', input, { key, instanceId });

  it('Given a template, variables, a case file and a portal path, when sent, then the message arrives with its text, the attachment and a signed link that verifies', async () => {
    const c = ctx();
    await c.deploy('store-values');
    const instance = await c.start('store-values');
    const file = await c.wf.uploadFile({ name: '邀请函.pdf', bytes: PDF }, 'clerk');
    await c.store.commit([{ type: 'file.bind', id: file.id, owner: 'clerk', instanceId: instance.id }]);

    const result = await send(
      { to: 'expert@example.com', template: 'invitation', variables: { name: '王教授', meeting: '2026 年度专家评审' }, linkPath: '/invitations/confirm', attachments: [file.id] },
      instance.id,
      'job-1',
    );

    const [mail] = await eventually('the message', async () => (arrived.length ? arrived : null));
    expect(mail!.subject).to.equal('评审邀请：2026 年度专家评审');
    expect(mail!.from?.value).to.deep.equal([{ name: '许昌市公安局', address: 'noreply@xuchang-police.example' }]);
    expect(mail!.messageId).to.equal(result!.emailMessageId);
    expect(mail!.attachments.map((a) => [a.filename, a.content.equals(PDF)])).to.deep.equal([['邀请函.pdf', true]]);
    const link = /https:\/\/portal\.example\.gov\.cn\/invitations\/confirm\?token=(\S+)/.exec(mail!.text ?? '');
    expect(link, mail!.text).to.not.equal(null);
    // Signed with the server's link key, for the link time the settings give (72 hours).
    const claims = readLink(c.wf.services.linkKey, link![1]!);
    expect(claims).to.include({ path: '/invitations/confirm', instanceId: instance.id });
    expect(claims!.expiresAt - Date.now()).to.be.within(71.9 * 3600_000, 72 * 3600_000);
    expect(
      readLink(
        c.wf.services.linkKey,
        link![1]!.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')),
      ),
      'tampered',
    ).to.equal(null);
    expect(readLink(Buffer.alloc(32, 1), link![1]!), 'another server’s').to.equal(null);
    // Another case's file is not this job's to attach.
    expect(await send({ to: 'expert@example.com', subject: 'x', text: 'y', attachments: [file.id] }, 'another-case').catch((e: unknown) => e)).to.be.instanceOf(PermanentFailure);
  });

  it('Given the same job run twice, then the mail goes out once and both runs answer the same Message-ID', async () => {
    const first = await send({ to: 'a@example.com', subject: '通知', text: '正文' }, 'case-1', 'same-job');
    const second = await send({ to: 'a@example.com', subject: '通知', text: '正文' }, 'case-1', 'same-job');
    await eventually('the delivery', async () => arrived.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(arrived).to.have.length(1);
    expect(second).to.deep.equal(first);
    expect(arrived[0]!.messageId).to.equal(first!.emailMessageId);
  });

  it('Given the server refuses for good (550), then the job fails at once; for now (421) or unreachable, it may be retried', async () => {
    answer = { code: 550, message: 'mailbox unavailable' };
    expect(await send({ to: 'gone@example.com', subject: 's', text: 't' }).catch((e: unknown) => e)).to.be.instanceOf(PermanentFailure);
    answer = { code: 421, message: 'try later' };
    const later = await send({ to: 'busy@example.com', subject: 's', text: 't' }).catch((e: unknown) => e);
    expect(later).to.be.instanceOf(Error).and.not.instanceOf(PermanentFailure);
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    const down = await send({ to: 'x@example.com', subject: 's', text: 't' }).catch((e: unknown) => e);
    expect(down).to.be.instanceOf(Error).and.not.instanceOf(PermanentFailure);
    smtp = new SMTPServer({ authOptional: true });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  });

  it('Given the invitation example, when it runs, then the letter goes out with its portal link, and the answer from the portal decides; no answer in two days goes to the secretary', async () => {
    const c = ctx();
    await c.wf.deploy(fs.readFileSync(path.join(EXAMPLES, 'email-expert-invitation.bpmn'), 'utf8'), 'analyst');
    const invite = (invitationId: string) => c.start('email-expert-invitation', { expertEmail: 'wang@example.com', expertName: '王教授', meeting: '2026 年度专家评审', invitationId });
    const accepting = await invite('INV-1');
    const silent = await invite('INV-2');
    await c.work();
    await eventually('both letters', async () => arrived.length === 2);
    const letter = arrived.find((m) => m.text?.includes('/invitations/INV-1'))!;
    expect(letter.subject).to.equal('评审邀请：2026 年度专家评审');
    const token = /\/invitations\/INV-1\?token=(\S+)/.exec(letter.text ?? '')![1]!;
    expect(readLink(c.wf.services.linkKey, token)).to.include({ path: '/invitations/INV-1', instanceId: accepting.id });
    expect(await c.waitingIn(accepting.id)).to.deep.equal(['awaitReply', 'noReply']);

    await c.wf.correlate({ name: 'expert.reply', correlationKey: 'INV-1', variables: { accepted: true } }, 'portal');
    expect((await c.instance(accepting.id)).state).to.equal('completed');
    expect((await c.wf.history(accepting.id, { offset: 0, limit: 100 })).items.some((h) => h.kind === 'activity.end' && h.activityId === 'confirmed')).to.equal(true);

    await c.advance(2 * 24 * 3600_000 + 1000);
    expect(await c.waitingIn(silent.id)).to.deep.equal(['phone']);
  });
});
