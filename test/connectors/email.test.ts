/** E-mail through a real SMTP listener started by the test: what was sent is read back as it arrived. */
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { verifyLink } from '../../connectors/email/links.ts';
import { PermanentFailure, type HandlerContext } from '../../engine/core/handlers.ts';
import { PDF } from '../support/forms.ts';
import { connectorServer, eventually, type ConnectorServer } from '../support/connectors.ts';
import { describeOnBothStores } from '../support/harness.ts';

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
    const settings = (await server.connectors.config('email')).settings;
    await server.connectors.putConfig('email', { settings: { ...settings, port: (smtp.server.address() as AddressInfo).port, portalUrl: 'https://portal.example.gov.cn' }, secrets: { user: 'mailer', password: 's3cret', linkKey: 'link-key' } }, undefined, 'admin');
  });
  afterEach(async () => {
    await server.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const send = (input: Record<string, unknown>, instanceId = 'case-1', key = `key-${Math.random()}`) =>
    ctx().wf.rt.handlers.get('email.send')!({ idempotencyKey: key, instanceId, businessKey: null, activityId: 'mail', attempt: 1, variables: {}, input, signal: new AbortController().signal, report: () => undefined } satisfies HandlerContext);

  it('Given a template, variables, a case file and a portal path, when sent, then the message arrives with its text, the attachment and a signed link that verifies', async () => {
    const c = ctx();
    await c.deploy('store-values');
    const instance = await c.start('store-values');
    const file = await c.wf.uploadFile({ name: '邀请函.pdf', bytes: PDF }, 'clerk');
    await c.store.commit([{ type: 'file.bind', id: file.id, owner: 'clerk', instanceId: instance.id }]);

    const result = await send({ to: 'expert@example.com', template: 'invitation', variables: { name: '王教授', meeting: '2026 年度专家评审' }, linkPath: '/invitations/confirm', attachments: [file.id] }, instance.id, 'job-1');

    const [mail] = await eventually('the message', async () => (arrived.length ? arrived : null));
    expect(mail!.subject).to.equal('评审邀请：2026 年度专家评审');
    expect(mail!.from?.value).to.deep.equal([{ name: '许昌市公安局', address: 'noreply@xuchang-police.example' }]);
    expect(mail!.messageId).to.equal(result!.emailMessageId);
    expect(mail!.attachments.map((a) => [a.filename, a.content.equals(PDF)])).to.deep.equal([['邀请函.pdf', true]]);
    const link = /https:\/\/portal\.example\.gov\.cn\/invitations\/confirm\?token=(\S+)/.exec(mail!.text ?? '');
    expect(link, mail!.text).to.not.equal(null);
    expect(verifyLink('link-key', link![1]!, Date.now())).to.deep.equal({ path: '/invitations/confirm', instanceId: instance.id });
    expect(verifyLink('link-key', link![1]!.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')), Date.now()), 'tampered').to.equal(null);
    expect(verifyLink('link-key', link![1]!, Date.now() + 73 * 3600_000), 'expired').to.equal(null);
    // Another case's file is not this job's to attach.
    expect(await send({ to: 'expert@example.com', subject: 'x', text: 'y', attachments: [file.id] }, 'another-case').catch((e: unknown) => e)).to.be.instanceOf(PermanentFailure);
  });

  it('Given the same job sent twice, then both carry one Message-ID, so the receiver can tell it is one message', async () => {
    await send({ to: 'a@example.com', subject: '通知', text: '正文' }, 'case-1', 'same-job');
    await send({ to: 'a@example.com', subject: '通知', text: '正文' }, 'case-1', 'same-job');
    await eventually('both deliveries', async () => arrived.length === 2);
    expect(arrived[0]!.messageId).to.equal(arrived[1]!.messageId);
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

  it('Given a flow with an e-mail task, when it runs as a job, then the message goes out and the case moves on', async () => {
    const c = ctx();
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="mail-d" targetNamespace="http://workflow.dev/test">
  <process id="mail-result" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="mail" />
    <serviceTask id="mail" camunda:type="external" camunda:topic="email.send">
      <extensionElements><camunda:inputOutput>
        <camunda:inputParameter name="to">\${email}</camunda:inputParameter>
        <camunda:inputParameter name="template">result</camunda:inputParameter>
        <camunda:inputParameter name="linkPath">/cases</camunda:inputParameter>
        <camunda:inputParameter name="variables"><camunda:map><camunda:entry key="name">\${name}</camunda:entry><camunda:entry key="service">禁行道路通行证</camunda:entry><camunda:entry key="result">已核发</camunda:entry></camunda:map></camunda:inputParameter>
      </camunda:inputOutput></extensionElements>
    </serviceTask>
    <sequenceFlow id="f2" sourceRef="mail" targetRef="e" /><endEvent id="e" />
  </process>
</definitions>`;
    await c.wf.deploy(xml, 'analyst');
    const instance = await c.start('mail-result', { email: 'zhangsan@example.com', name: '张三' });
    await c.work();
    await eventually('the message', async () => arrived.length === 1);
    expect(arrived[0]!.subject).to.equal('办理结果：禁行道路通行证');
    expect((await c.instance(instance.id)).state).to.equal('completed');
  });
});
