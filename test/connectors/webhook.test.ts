import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { PermanentFailure } from '../../engine/core/handlers.ts';
import { signedHeaders } from '../../connectors/lib/signing.ts';
import { signedEvent } from '../../connectors/webhook/protocol.ts';
import { connectorServer, eventually, type ConnectorServer } from '../support/connectors.ts';
import { describeOnBothStores, type TestContext } from '../support/harness.ts';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions/examples');
const page = { offset: 0, limit: 100 };

interface Delivery {
  deliveryId: string;
  target: string;
  event: string;
  eventHeader: string;
  payload: Record<string, unknown>;
  requests: number;
}

describeOnBothStores('Webhooks', (ctx) => {
  let server: ConnectorServer;
  beforeEach(async () => {
    server = await connectorServer(ctx());
  });
  afterEach(() => server.close());

  const deliveries = async (target: string) => ((await server.get(`/sim/webhook/_deliveries?target=${target}`)).json as { items: Delivery[] }).items;
  const post = (c: TestContext, key: string, input: Record<string, unknown>) =>
    c.wf.services.handlers.get('webhook.post')!({ idempotencyKey: key, instanceId: 'i-1', businessKey: null, activityId: 'notify', attempt: 1, variables: {}, input, signal: new AbortController().signal, report: () => undefined });
  /** What a gas sensor posts, signed with the source's secret (or another). */
  const reading = async (id: string, event: Record<string, unknown>, options: { source?: string; secret?: string } = {}) => {
    const body = JSON.stringify(event);
    const secret = options.secret ?? (await server.connectors.settings.config('webhook')).secrets['source:gasSensors']!;
    const headers = { ...signedHeaders(secret, signedEvent(id, body), Date.now()), 'x-webhook-source': options.source ?? 'gasSensors', 'x-webhook-id': id };
    return server.post('/api/callbacks/webhook/inbound', body, headers);
  };
  const alarms = async () => (await ctx().wf.listInstances({ processKey: 'webhook-gas-alarm' }, page)).items;

  describe('outgoing', () => {
    it('Given a named target, then the event arrives signed with that target\'s secret, its delivery id being the job\'s key', async () => {
      const result = await post(ctx(), 'job-7:notify:1', { target: 'dutyRoom', event: 'hazard.raised', payload: { sensorId: 'GS-01', value: 40 } });
      expect(result).to.deep.equal({ webhookDeliveryId: 'job-7:notify:1', webhookStatus: 200 });
      const [delivery, ...others] = await deliveries('dutyRoom');
      expect(others).to.deep.equal([]);
      expect(delivery).to.include({ deliveryId: 'job-7:notify:1', event: 'hazard.raised', eventHeader: 'hazard.raised', requests: 1 });
      expect(delivery!.payload).to.deep.equal({ sensorId: 'GS-01', value: 40 });
    });

    it('Given a target signed with another target\'s secret, then the receiver refuses it and the job fails for good', async () => {
      // audit now points at the duty room's endpoint, but still signs with audit's secret.
      await server.tune('webhook', (settings) => {
        const targets = settings.targets as Record<string, { url: string }>;
        return { ...settings, targets: { ...targets, audit: { url: targets.dutyRoom!.url } } };
      });
      const error = (await post(ctx(), 'job-8', { target: 'audit', event: 'audit.entry', payload: {} }).catch((e: unknown) => e)) as Error;
      expect(error).to.be.instanceOf(PermanentFailure);
      expect(error.message).to.match(/401.*signature does not match/);
      expect(await deliveries('dutyRoom')).to.deep.equal([]);
    });

    it('Given an unknown target or a URL in the input, then the job fails for good without sending anything', async () => {
      const unknown = (await post(ctx(), 'job-9', { target: 'elsewhere', event: 'x.y', payload: {} }).catch((e: unknown) => e)) as Error;
      expect(unknown).to.be.instanceOf(PermanentFailure);
      expect(unknown.message).to.contain('no webhook target named elsewhere');
      const smuggled = await post(ctx(), 'job-10', { target: 'dutyRoom', event: 'x.y', payload: {}, url: 'http://attacker.example/' }).catch((e: unknown) => e as Error);
      expect(smuggled).to.be.instanceOf(PermanentFailure);
      expect(await deliveries('dutyRoom')).to.deep.equal([]);
    });
  });

  describe('inbound, with the gas alarm flow', () => {
    beforeEach(async () => {
      await ctx().wf.deploy(fs.readFileSync(path.join(EXAMPLES, 'webhook-gas-alarm.bpmn'), 'utf8'), 'analyst');
    });

    it('Given a reading over the threshold, then a hazard case starts, the duty room is told, and the same sensor\'s later readings go to that case until it reads normal', async () => {
      const c = ctx();
      await server.post('/sim/webhook/_emit', { source: 'gasSensors', id: 'evt-1', event: { sensorId: 'GS-07', value: 38, location: '3 号仓库' } });
      const [alarm] = await eventually('the hazard case', async () => ((await alarms()).length ? alarms() : null));
      expect(alarm!.businessKey).to.equal('GS-07');
      await c.work();
      expect(await c.waitingIn(alarm!.id)).to.deep.equal(['awaitNormal', 'stillHigh']);
      const [raised] = await deliveries('dutyRoom');
      expect(raised).to.include({ event: 'hazard.raised' });
      expect(raised!.payload).to.deep.equal({ sensorId: 'GS-07', value: 38, location: '3 号仓库' });

      expect((await reading('evt-2', { sensorId: 'GS-07', value: 31 })).status).to.equal(200);
      expect(await alarms(), 'still high: the same case').to.have.length(1);
      expect(await c.waitingIn(alarm!.id)).to.deep.equal(['awaitNormal', 'stillHigh']);
      expect((await c.instance(alarm!.id)).variables).to.deep.include({ reading: { sensorId: 'GS-07', value: 31 }, webhookEventId: 'evt-2', webhookSource: 'gasSensors' });

      await reading('evt-3', { sensorId: 'GS-07', value: 12 });
      await c.work();
      expect((await c.instance(alarm!.id)).state).to.equal('completed');
      expect((await deliveries('dutyRoom')).map((d) => d.event).sort()).to.deep.equal(['hazard.cleared', 'hazard.raised']);
      expect(await alarms()).to.have.length(1);
    });

    it('Given a normal reading, then a case starts and ends at once; given the same event again, then no second case starts', async () => {
      const c = ctx();
      const first = await reading('evt-10', { sensorId: 'GS-02', value: 4 });
      const again = await reading('evt-10', { sensorId: 'GS-02', value: 4 });
      expect(again.status).to.equal(200);
      expect(again.text).to.equal(first.text);
      const [one, ...more] = await alarms();
      expect(more).to.deep.equal([]);
      expect(one!.state).to.equal('completed');
      expect((await c.wf.history(one!.id, page)).items.filter((h) => h.kind === 'activity.end').map((h) => h.activityId)).to.include('normal');
      expect(await server.connectors.store.listCallbacks('webhook', 10)).to.have.length(1);
    });

    it('Given no normal reading within an hour, then someone goes on site', async () => {
      const c = ctx();
      await reading('evt-20', { sensorId: 'GS-09', value: 60 });
      await c.work();
      const [alarm] = await alarms();
      await c.advance(61 * 60_000);
      expect(await c.waitingIn(alarm!.id)).to.deep.equal(['onSite']);
    });

    it('Given an unknown source, a wrong signature, no event id or no sensor id, then the event is refused with 401 and nothing starts', async () => {
      const refusals = [
        await reading('evt-30', { sensorId: 'GS-01', value: 90 }, { source: 'constructor' }),
        await reading('evt-31', { sensorId: 'GS-01', value: 90 }, { secret: 'not-the-sources-secret' }),
        await reading('', { sensorId: 'GS-01', value: 90 }),
        await reading('evt-33', { value: 90 }),
      ];
      expect(refusals.map((r) => r.status)).to.deep.equal([401, 401, 401, 401]);
      expect(refusals.map((r) => (r.json as { error: { code: string } }).error.code)).to.deep.equal(Array(4).fill('WF_ERR_CALLBACK_REJECTED'));
      expect(JSON.stringify(refusals[0]!.json), 'in the caller’s language').to.contain('未知的 webhook 来源');
      expect(await alarms()).to.deep.equal([]);
      expect(await server.connectors.store.listCallbacks('webhook', 10)).to.deep.equal([]);
    });

    it('Given a captured event sent again under another id, then its signature does not hold and no second case starts', async () => {
      const body = JSON.stringify({ sensorId: 'GS-07', value: 95 });
      const secret = (await server.connectors.settings.config('webhook')).secrets['source:gasSensors']!;
      const headers = { ...signedHeaders(secret, signedEvent('evt-40', body), Date.now()), 'x-webhook-source': 'gasSensors' };
      expect((await server.post('/api/callbacks/webhook/inbound', body, { ...headers, 'x-webhook-id': 'evt-40' })).status).to.equal(200);
      expect((await server.post('/api/callbacks/webhook/inbound', body, { ...headers, 'x-webhook-id': 'evt-41' })).status).to.equal(401);
      expect(await alarms()).to.have.length(1);
    });
  });
});
