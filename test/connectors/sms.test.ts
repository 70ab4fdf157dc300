import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { composeText, type SmsSettings } from '../../connectors/sms/index.ts';
import { readLink } from '../../engine/core/lib/links.ts';
import { connectorServer, eventually, runOperation, type ConnectorServer } from '../support/connectors.ts';
import { describeOnBothStores } from '../support/harness.ts';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions/examples');
const page = { offset: 0, limit: 100 };

describe('SMS text', () => {
  const settings = { signature: '【许昌市公安局】', templates: { received: '快递的材料，已经收到', correction: '材料需要补正：{reason}' } } as unknown as SmsSettings;
  it('adds the applicant-and-service prefix and the signature suffix to the configured middle, as the catalog says', () => {
    expect(composeText(settings, { template: 'received', applicantName: '张三', serviceName: '禁行道路通行证' })).to.equal('张三，你申请的禁行道路通行证业务，快递的材料，已经收到，【许昌市公安局】');
    expect(composeText(settings, { text: '今日系统维护。' })).to.equal('今日系统维护，【许昌市公安局】');
    expect(composeText(settings, { template: 'correction', variables: { reason: '身份证背面不清晰' } })).to.equal('材料需要补正：身份证背面不清晰，【许昌市公安局】');
    expect(() => composeText(settings, { template: 'correction' })).to.throw('needs the variable reason');
    expect(() => composeText(settings, { template: 'nope' })).to.throw('no SMS template named nope');
  });
});

describeOnBothStores('SMS in flows', (ctx) => {
  let server: ConnectorServer;
  beforeEach(async () => {
    server = await connectorServer(ctx());
    await ctx().wf.deploy(fs.readFileSync(path.join(EXAMPLES, 'sms-approval.bpmn'), 'utf8'), 'analyst');
  });
  afterEach(() => server.close());

  const start = (phone: string) => ctx().wf.start({ processKey: 'sms-approval', variables: { approverPhone: phone, changeTitle: '核心交换机重启' } }, 'engineer');
  const sent = async (phone: string) => ((await server.get(`/sim/sms/_messages?phone=${phone}`)).json as { items: Array<{ text: string }> }).items;
  /** One SMS operation run as a job of `instanceId` would run it. */
  const call = (name: string, key: string, input: Record<string, unknown>, instanceId = 'x') => runOperation(ctx(), `sms.${name}`, input, { key, instanceId });

  it('Given an emergency change, when the approver replies 同意 by SMS, then the change is approved', async () => {
    const c = ctx();
    const instance = await start('13912345678');
    await c.work();
    expect((await sent('13912345678')).map((m) => m.text)).to.deep.equal(['紧急变更 核心交换机重启 待您审批，回复"同意"或"不同意"，【许昌市公安局】']);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['awaitReply', 'noAnswer']);
    await server.post('/sim/sms/_reply', { phone: '13912345678', text: '同意。' });
    await eventually('the reply to be taken', async () => (await c.instance(instance.id)).state === 'completed');
    const history = (await c.wf.history(instance.id, page)).items;
    expect(history.filter((h) => h.kind === 'activity.end').map((h) => h.activityId)).to.include('approved');
    expect((await c.instance(instance.id)).variables).to.include({ smsAnswer: '同意', smsReply: '同意。' });
  });

  it('Given a portal path, when sent, then the SMS carries a link back to the portal signed for this case, valid 72 hours', async () => {
    const c = ctx();
    const instance = await start('13912345670');
    const input = { phone: '13912345671', template: 'invitationLink', variables: { name: '王教授', meeting: '2026 年度专家评审' }, linkPath: '/invitations/INV-9' };
    await call('send', 'job-link', input, instance.id);
    const [text] = (await sent('13912345671')).map((m) => m.text);
    const link = /^王教授，诚邀您参加 2026 年度专家评审，请打开链接确认：http:\/\/\S+\/portal\/invitations\/INV-9\?token=(\S+)，【许昌市公安局】$/.exec(text ?? '');
    expect(link, text).to.not.equal(null);
    const claims = readLink(c.wf.services.linkKey, link![1]!);
    expect(claims).to.include({ path: '/invitations/INV-9', instanceId: instance.id });
    expect(claims!.expiresAt - c.clock.now()).to.equal(72 * 3600_000);
  });

  it('Given no reply within 30 minutes, then the change goes to a person; a late reply from someone else is recorded but moves nothing', async () => {
    const c = ctx();
    const instance = await start('13912345679');
    await c.work();
    await c.advance(31 * 60_000);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['escalate']);
    await server.post('/sim/sms/_reply', { phone: '13900000000', text: '同意' });
    const [callback] = await eventually('the stray reply', async () => {
      const replies = (await server.connectors.store.listCallbacks('sms', 10)).filter((cb) => cb.externalId.startsWith('reply:') && cb.outcome !== 'received');
      return replies.length ? replies : null;
    });
    expect(callback!.outcome).to.equal('unmatched');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['escalate']);
  });

  it('Given more messages to one phone than the per-minute limit, then the extra ones wait for the next minute instead of failing', async () => {
    const c = ctx();
    await server.tune('sms', (settings) => ({ ...settings, perPhonePerMinute: 2 }));
    const instances = await Promise.all([1, 2, 3].map(() => start('13912340000')));
    await c.work();
    expect(await sent('13912340000')).to.have.length(2);
    const deferred = (await c.wf.services.store.listJobs({ state: 'pending' }, page)).items;
    expect(deferred).to.have.length(1);
    expect((await c.wf.services.store.listJobAttempts(deferred[0]!.id)).map((a) => a.outcome)).to.deep.equal(['deferred']);
    await c.advance(61_000);
    expect(await sent('13912340000')).to.have.length(3);
    for (const i of instances) expect(await c.waitingIn(i.id)).to.deep.equal(['awaitReply', 'noAnswer']);
  });

  it('Given a verification code, then the right code passes once, a wrong one counts a try, and it expires after five minutes', async () => {
    const c = ctx();
    const handler = (name: string) => c.wf.services.handlers.get(`sms.${name}`)!;
    const call = (name: string, key: string, input: Record<string, unknown>) =>
      handler(name)({ idempotencyKey: key, instanceId: 'x', businessKey: null, activityId: 'a', attempt: 1, variables: {}, input, signal: new AbortController().signal, report: () => undefined });
    await call('sendCode', 'code-1', { phone: '13812345678', purpose: 'login' });
    await call('sendCode', 'code-1', { phone: '13812345678', purpose: 'login' }); // a retried job: no second code
    const messages = await sent('13812345678');
    expect(messages).to.have.length(1);
    const code = /验证码 (\d{6})/.exec(messages[0]!.text)![1]!;
    expect(await call('checkCode', 'check-1', { phone: '13812345678', purpose: 'login', code: code === '000000' ? '111111' : '000000' })).to.deep.equal({ codeValid: false, codeProblem: 'wrong' });
    expect(await call('checkCode', 'check-2', { phone: '13812345678', purpose: 'login', code })).to.deep.equal({ codeValid: true });
    expect(await call('checkCode', 'check-3', { phone: '13812345678', purpose: 'login', code }), 'used up').to.deep.equal({ codeValid: false, codeProblem: 'none-sent' });
    await call('sendCode', 'code-2', { phone: '13812345678', purpose: 'login' });
    const second = /验证码 (\d{6})/.exec((await sent('13812345678'))[0]!.text)![1]!;
    c.clock.advance(5 * 60_000 + 1);
    expect(await call('checkCode', 'check-4', { phone: '13812345678', purpose: 'login', code: second })).to.deep.equal({ codeValid: false, codeProblem: 'expired' });
  });

  it('Given the first send of a code fails, then the retried job sends the same code once; a check run twice by one job answers the same', async () => {
    await server.post('/sim/sms/_control', { mode: 'fail' });
    expect(await call('sendCode', 'code-9', { phone: '13812340009', purpose: 'login' }).catch((e: unknown) => e)).to.be.instanceOf(Error);
    expect(await sent('13812340009'), 'nothing went out').to.have.length(0);
    await call('sendCode', 'code-9', { phone: '13812340009', purpose: 'login' });
    await call('sendCode', 'code-9', { phone: '13812340009', purpose: 'login' });
    const messages = await sent('13812340009');
    expect(messages).to.have.length(1);
    const code = /验证码 (\d{6})/.exec(messages[0]!.text)![1]!;
    const check = () => call('checkCode', 'check-9', { phone: '13812340009', purpose: 'login', code });
    expect(await check()).to.deep.equal({ codeValid: true });
    expect(await check(), 'the same job again').to.deep.equal({ codeValid: true });
    expect(await call('checkCode', 'check-10', { phone: '13812340009', purpose: 'login', code }), 'another check').to.deep.equal({ codeValid: false, codeProblem: 'none-sent' });
  });
});
