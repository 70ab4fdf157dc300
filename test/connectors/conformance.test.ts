/**
 * What every connector must do, checked against its local simulator through
 * the real HTTP paths: a timeout or a 5xx may be retried, a refusal is final,
 * the same job run twice is one effect, a forged callback is refused, and a
 * replayed callback changes nothing.
 */
import fs from 'node:fs';
import { expect } from 'chai';
import type { HandlerContext } from '../../engine/core/handlers.ts';
import { PermanentFailure } from '../../engine/core/handlers.ts';
import { signedHeaders } from '../../connectors/lib/signing.ts';
import { signedEvent } from '../../connectors/webhook/protocol.ts';
import { makeIdNumber } from '../../forms/formats/chinese.ts';
import { hallDay } from '../../connectors/queue-number/halls.ts';
import { connectorServer, eventually, type ConnectorServer } from '../support/connectors.ts';
import { describeOnBothStores, type TestContext } from '../support/harness.ts';

interface Profile {
  connector: string;
  /** An operation with an effect at the service, and an input for it. */
  operation: string;
  input: Record<string, unknown>;
  /** How many effects the service has for that input. */
  effects(server: ConnectorServer): Promise<number>;
  /** A genuine notice of one of its callbacks, and the headers the service would sign it with (connectors with callbacks); `c` sets up what it refers to (a case). */
  notice?(server: ConnectorServer, c: TestContext): Promise<{ callback: string; body: string; headers: Record<string, string> }>;
  /** A notice a forger would send: right shape, wrong key. */
  forged?(server: ConnectorServer): { callback: string; body: string; headers: Record<string, string> };
}

const PROFILES: Profile[] = [
  {
    connector: 'sms',
    operation: 'send',
    input: { phone: '13812345678', template: 'received', applicantName: '张三', serviceName: '禁行道路通行证' },
    effects: async (s) => ((await s.get('/sim/sms/_messages?phone=13812345678')).json as { items: unknown[] }).items.length,
    notice: async (s) => {
      const secret = (await s.connectors.settings.config('sms')).secrets.apiKey!;
      const body = JSON.stringify({ replyId: 'reply-conformance-1', phone: '13812345678', text: '同意', at: Date.now() });
      return { callback: 'reply', body, headers: signedHeaders(secret, body, Date.now()) };
    },
    forged: () => {
      const body = JSON.stringify({ replyId: 'reply-forged', phone: '13812345678', text: '同意', at: Date.now() });
      return { callback: 'reply', body, headers: signedHeaders('not-the-key', body, Date.now()) };
    },
  },
  {
    connector: 'email',
    operation: 'send',
    input: { to: 'expert@example.com', template: 'invitation', variables: { name: '王教授', meeting: '2026 年度专家评审' }, linkPath: '/invitations/1' },
    effects: async (s) => ((await s.get('/sim/email/_messages?to=expert@example.com')).json as { items: unknown[] }).items.length,
  },
  {
    connector: 'courier',
    operation: 'createShipment',
    input: {
      sender: { name: '许昌市公安局交警支队', phone: '0374-2961234', address: '河南省许昌市魏都区八一路 16 号' },
      recipient: { name: '张三', phone: '13812345678', address: '河南省许昌市建安区许繁路 12 号', postcode: '461100' },
      items: [{ name: '禁行道路通行证', quantity: 1 }],
    },
    effects: async (s) => ((await s.get('/sim/courier/_waybills?phone=13812345678')).json as { items: unknown[] }).items.length,
    notice: async (s) => {
      const secret = (await s.connectors.settings.config('courier')).secrets.appSecret!;
      const body = JSON.stringify({ eventId: 'EA000000000CN-1', trackingNo: 'EA000000000CN', event: 'pickedUp', at: Date.now(), location: '许昌市魏都区邮政营业部', seq: 1, trace: [] });
      return { callback: 'tracking', body, headers: signedHeaders(secret, body, Date.now()) };
    },
    forged: () => {
      const body = JSON.stringify({ eventId: 'EA000000000CN-2', trackingNo: 'EA000000000CN', event: 'delivered', at: Date.now(), location: '', seq: 2, trace: [] });
      return { callback: 'tracking', body, headers: signedHeaders('not-the-key', body, Date.now()) };
    },
  },
  {
    connector: 'queue',
    operation: 'issue',
    input: { hallId: 'xc-admin', matter: '身份证办理', date: hallDay(Date.now(), 1), slot: '10:00-11:00', name: '张三', phone: '13812345678' },
    effects: async (s) => ((await s.get('/sim/queue/_tickets?hallId=xc-admin')).json as { items: unknown[] }).items.length,
    notice: async (s) => {
      const secret = (await s.connectors.settings.config('queue')).secrets.apiKey!;
      const body = JSON.stringify({ noticeId: 'xc-admin-20260101-001-called-1', ticketId: 'xc-admin-20260101-001', number: 'B001', window: 3, at: Date.now() });
      return { callback: 'called', body, headers: signedHeaders(secret, body, Date.now()) };
    },
    forged: () => {
      const body = JSON.stringify({ noticeId: 'xc-admin-20260101-002-noShow', ticketId: 'xc-admin-20260101-002', number: 'B002', at: Date.now() });
      return { callback: 'noShow', body, headers: signedHeaders('not-the-key', body, Date.now()) };
    },
  },
  {
    connector: 'voice',
    operation: 'call',
    input: { phone: '13812345678', template: 'expertConfirm', variables: { name: '王教授', meeting: '2026 年度标准', time: '3月5日' } },
    effects: async (s) => ((await s.get('/sim/voice/_calls?phone=13812345678')).json as { items: unknown[] }).items.length,
    notice: async (s) => {
      const secret = (await s.connectors.settings.config('voice')).secrets.apiKey!;
      const body = JSON.stringify({ callId: 'call-conformance-1', outcome: 'answered', key: '1', recordingUrl: null, at: Date.now() });
      return { callback: 'outcome', body, headers: signedHeaders(secret, body, Date.now()) };
    },
    forged: () => {
      const body = JSON.stringify({ callId: 'call-forged', outcome: 'answered', key: '1', at: Date.now() });
      return { callback: 'outcome', body, headers: signedHeaders('not-the-key', body, Date.now()) };
    },
  },
  {
    connector: 'identity',
    operation: 'verify',
    input: { name: '张三', idNumber: makeIdNumber('411002', '19900307', 123), phone: '13812345678', level: 1 },
    effects: async (s) => ((await s.get(`/sim/identity/_checks?idNumber=${makeIdNumber('411002', '19900307', 123)}`)).json as { items: unknown[] }).items.length,
    notice: async (s) => {
      const secret = (await s.connectors.settings.config('identity')).secrets.apiKey!;
      const body = JSON.stringify({ comparisonId: 'cmp-conformance-1', face: { score: 0.91 }, at: Date.now() });
      return { callback: 'face', body, headers: signedHeaders(secret, body, Date.now()) };
    },
    forged: () => {
      const body = JSON.stringify({ comparisonId: 'cmp-forged', face: { score: 0.99 }, at: Date.now() });
      return { callback: 'face', body, headers: signedHeaders('not-the-key', body, Date.now()) };
    },
  },
  {
    connector: 'webhook',
    operation: 'post',
    input: { target: 'audit', event: 'conformance.check', payload: { case: 'C-1' } },
    effects: async (s) => ((await s.get('/sim/webhook/_deliveries?target=audit')).json as { items: unknown[] }).items.length,
    notice: async (s) => {
      const secret = (await s.connectors.settings.config('webhook')).secrets['source:gasSensors']!;
      const body = JSON.stringify({ sensorId: 'GS-C1', value: 3 });
      return { callback: 'inbound', body, headers: { ...signedHeaders(secret, signedEvent('evt-conformance-1', body), Date.now()), 'x-webhook-source': 'gasSensors', 'x-webhook-id': 'evt-conformance-1' } };
    },
    forged: () => {
      const body = JSON.stringify({ sensorId: 'GS-C1', value: 99 });
      return { callback: 'inbound', body, headers: { ...signedHeaders('not-the-key', signedEvent('evt-forged', body), Date.now()), 'x-webhook-source': 'gasSensors', 'x-webhook-id': 'evt-forged' } };
    },
  },
  {
    connector: 'backend',
    operation: 'handOver',
    input: { system: 'trafficSystem', caseId: 'XC-CONF-1' },
    effects: async (s) => ((await s.get('/sim/backend/_handovers')).json as { items: unknown[] }).items.length,
    // An UPDATE needs its case: one waiting for the business system.
    notice: async (s, c) => {
      await c.wf.deploy(fs.readFileSync(new URL('../../definitions/examples/backend-sync-road-permit.bpmn', import.meta.url), 'utf8'), 'analyst');
      await c.wf.start({ processKey: 'backend-sync-road-permit', businessKey: 'XC-CONF-2', variables: {} }, 'clerk');
      await c.work();
      const secret = (await s.connectors.settings.config('backend')).secrets['system:trafficSystem']!;
      const body = JSON.stringify({ op: 'UPDATE', caseId: 'XC-CONF-2', state: 'processing', detail: '已受理' });
      return { callback: 'sync', body, headers: { ...signedHeaders(secret, body, Date.now()), 'x-business-system': 'trafficSystem' } };
    },
    forged: () => {
      const body = JSON.stringify({ op: 'UPDATE', caseId: 'XC-CONF-2', state: 'approved' });
      return { callback: 'sync', body, headers: { ...signedHeaders('not-the-key', body, Date.now()), 'x-business-system': 'trafficSystem' } };
    },
  },
  {
    connector: 'payment',
    operation: 'createOrder',
    input: { amountFen: 1250, subject: '禁行道路通行证工本费', businessKey: 'CONF-PAY-1' },
    effects: async (s) => ((await s.get('/sim/payment/_orders')).json as { items: Array<{ businessKey: string }> }).items.filter((o) => o.businessKey === 'CONF-PAY-1').length,
    // A notice must name an order of ours, with its amount: one is created first.
    notice: async (s, c) => {
      const handle = c.wf.services.handlers.get('payment.createOrder')!;
      const { orderNo } = (await handle({ idempotencyKey: 'conf-pay-notice', instanceId: 'conformance', businessKey: null, activityId: 'pay', attempt: 1, variables: {}, input: { amountFen: 800, subject: '罚款' }, signal: new AbortController().signal, report: () => undefined })) as { orderNo: string };
      const secret = (await s.connectors.settings.config('payment')).secrets.apiKey!;
      const body = JSON.stringify({ noticeId: 'N-conformance-1', merchantId: 'xuchang-police', orderNo, status: 'paid', amountFen: 800, transactionId: 'T-conformance-1', paidAt: Date.now(), at: Date.now() });
      return { callback: 'notice', body, headers: signedHeaders(secret, body, Date.now()) };
    },
    forged: () => {
      const body = JSON.stringify({ noticeId: 'N-forged', merchantId: 'xuchang-police', orderNo: 'P202601010000000000', status: 'paid', amountFen: 1, transactionId: 'T-forged', paidAt: Date.now(), at: Date.now() });
      return { callback: 'notice', body, headers: signedHeaders('not-the-key', body, Date.now()) };
    },
  },
];

function context(c: TestContext, key: string, input: Record<string, unknown>, reports: unknown[] = []): HandlerContext {
  return {
    idempotencyKey: key,
    instanceId: 'conformance',
    businessKey: null,
    activityId: 'call',
    attempt: 1,
    variables: {},
    input,
    signal: new AbortController().signal,
    report: (details) => reports.push(details),
  };
}

for (const profile of PROFILES) {
  describeOnBothStores(`connector conformance: ${profile.connector}`, (ctx) => {
    let server: ConnectorServer;
    beforeEach(async () => {
      server = await connectorServer(ctx());
    });
    afterEach(() => server.close());

    const run = (key: string, input = profile.input) => ctx().wf.services.handlers.get(`${profile.connector}.${profile.operation}`)!(context(ctx(), key, input));
    const control = (body: object) => server.post(`/sim/${profile.connector}/_control`, body);

    it('Given a service that does not answer, when the operation runs, then it fails in time with an error that may be retried', async () => {
      await server.tune(profile.connector, (settings) => ({ ...settings, timeoutMs: 300 }));
      await control({ mode: 'timeout' });
      const error = (await run('conf-timeout').catch((e: unknown) => e)) as Error;
      expect(error).to.be.instanceOf(Error).and.not.instanceOf(PermanentFailure);
      // Our limit ended it, not the simulator's 65-second hang.
      expect(error.message).to.match(/no answer within 300 ms|timeout/i);
    });

    it('Given a service that fails (5xx), then the error may be retried; given a refusal (4xx), then it is final', async () => {
      await control({ mode: 'fail' });
      const busy = await run('conf-fail').catch((e: unknown) => e as Error);
      expect(busy).to.be.instanceOf(Error).and.not.instanceOf(PermanentFailure);
      await control({ mode: 'decline' });
      const refused = await run('conf-decline').catch((e: unknown) => e as Error);
      expect(refused).to.be.instanceOf(PermanentFailure);
      expect(await profile.effects(server), 'neither had an effect').to.equal(0);
    });

    it('Given the same job run twice (a retry after a lost answer), then the service acts once and both runs see the same result', async () => {
      const first = await run('conf-replay');
      const second = await run('conf-replay');
      expect(second).to.deep.equal(first);
      expect(await profile.effects(server)).to.equal(1);
      await run('conf-other');
      expect(await profile.effects(server), 'another job is another effect').to.equal(2);
    });

    // Connectors without callbacks (e-mail) have nothing to forge or replay.
    const withCallbacks = profile.notice && profile.forged ? it : () => undefined;

    withCallbacks('Given a forged callback, then it is refused with 401 and leaves no trace; a genuine one is accepted', async () => {
      const forged = profile.forged!(server);
      const refused = await server.post(`/api/callbacks/${profile.connector}/${forged.callback}`, forged.body, forged.headers);
      expect(refused.status).to.equal(401);
      expect((refused.json as { error: { code: string } }).error.code).to.equal('WF_ERR_CALLBACK_REJECTED');
      expect(await server.connectors.store.listCallbacks(profile.connector, 10)).to.deep.equal([]);
      const genuine = await profile.notice!(server, ctx());
      expect((await server.post(`/api/callbacks/${profile.connector}/${genuine.callback}`, genuine.body, genuine.headers)).status).to.equal(200);
      expect(await server.connectors.store.listCallbacks(profile.connector, 10)).to.have.length(1);
      const garbage = await server.post(`/api/callbacks/${profile.connector}/${genuine.callback}`, 'not json', genuine.headers);
      expect(garbage.status, 'a body that does not match its signature').to.equal(401);
    });

    withCallbacks('Given a genuine callback sent twice, then the second is answered the same and has no effect', async () => {
      const notice = await profile.notice!(server, ctx());
      const first = await server.post(`/api/callbacks/${profile.connector}/${notice.callback}`, notice.body, notice.headers);
      const second = await server.post(`/api/callbacks/${profile.connector}/${notice.callback}`, notice.body, notice.headers);
      expect(second.status).to.equal(first.status);
      expect(second.text).to.equal(first.text);
      const callbacks = await eventually('the callback record', async () => {
        const list = await server.connectors.store.listCallbacks(profile.connector, 10);
        return list.length === 1 && list[0]!.outcome !== 'received' ? list : null;
      });
      expect(callbacks).to.have.length(1);
    });
  });
}
