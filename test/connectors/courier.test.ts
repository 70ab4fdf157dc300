import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { signedHeaders } from '../../connectors/lib/signing.ts';
import { s10CheckDigit, s10Number, s10Problem } from '../../connectors/courier/tracking.ts';
import { PermanentFailure } from '../../engine/core/handlers.ts';
import { connectorServer, eventually, type ConnectorServer } from '../support/connectors.ts';
import { describeOnBothStores, type TestContext } from '../support/harness.ts';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions/examples');
const DAY = 86_400_000;

describe('EMS tracking numbers (UPU S10)', () => {
  it('computes the check digit with the S10 weights and catches a mistyped digit', () => {
    expect(s10CheckDigit('47312482')).to.equal(9); // the UPU's own example, AA473124829GB
    expect(s10Problem('AA473124829GB')).to.equal(null);
    expect(s10Problem('AA473124828GB')).to.equal('the check digit does not match');
    expect(s10Problem('SF1234567890123'), 'other carriers’ numbers are taken as they are').to.equal(null);
    expect(s10Number('EA', '00000001')).to.equal('EA000000014CN');
  });
});

const person = (name: string, phone: string) => ({ name, phone, address: '河南省许昌市魏都区七一路 88 号' });

describeOnBothStores('courier in flows', (ctx) => {
  let server: ConnectorServer;
  beforeEach(async () => {
    server = await connectorServer(ctx());
    await ctx().wf.deploy(fs.readFileSync(path.join(EXAMPLES, 'courier-originals.bpmn'), 'utf8'), 'analyst');
  });
  afterEach(() => server.close());

  const call = async (c: TestContext, operation: string, key: string, input: Record<string, unknown>) =>
    (await c.wf.services.handlers.get(`courier.${operation}`)!({ idempotencyKey: key, instanceId: 'x', businessKey: null, activityId: 'a', attempt: 1, variables: {}, input, signal: new AbortController().signal, report: () => undefined })) as Record<string, unknown>;
  const move = (trackingNo: string, event: string, extra: object = {}) => server.post('/sim/courier/_event', { trackingNo, event, ...extra });
  const waybill = async (trackingNo: string) => ((await server.get(`/sim/courier/_waybills?trackingNo=${trackingNo}`)).json as { items: Array<{ status: string; order: { codAmountFen: number } }> }).items[0];
  const start = (originalsTrackingNo: string, deliveryDays = 5) => ctx().wf.start({ processKey: 'courier-originals', variables: { originalsTrackingNo, deliveryDays } }, 'citizen');
  const variables = async (id: string) => (await ctx().instance(id)).variables;
  const settled = (id: string, what: string, probe: (v: Record<string, unknown>) => boolean) => eventually(what, async () => probe(await variables(id)));
  const trackingCallbacks = async () => (await server.connectors.store.listCallbacks('courier', 50)).filter((cb) => cb.outcome !== 'received');

  it('Given a return delivery with cash on delivery, when it is cancelled before pick-up, then the courier cancels it and the parcel can no longer be picked up', async () => {
    const c = ctx();
    const created = await call(c, 'createShipment', 'ship-1', { sender: person('许昌市公安局交警支队', '0374-2961234'), recipient: person('张三', '13812345678'), items: [{ name: '禁行道路通行证', quantity: 1 }], codAmountFen: 2200 });
    const trackingNo = String(created.trackingNo);
    expect(s10Problem(trackingNo), 'a valid EMS number').to.equal(null);
    expect((await waybill(trackingNo))!.order.codAmountFen).to.equal(2200);
    expect(await call(c, 'cancel', 'cancel-1', { trackingNo })).to.deep.equal({ courierStatus: 'cancelled' });
    expect(await call(c, 'cancel', 'cancel-1', { trackingNo }), 'a retried cancel').to.deep.equal({ courierStatus: 'cancelled' });
    expect((await waybill(trackingNo))!.status).to.equal('cancelled');
    expect((await move(trackingNo, 'pickedUp')).status).to.equal(409);
  });

  it('Given a parcel already picked up, when the shipment is cancelled, then the refusal is final and says why', async () => {
    const c = ctx();
    const { trackingNo } = await call(c, 'createShipment', 'ship-2', { sender: person('许昌市公安局交警支队', '0374-2961234'), recipient: person('李四', '13812345679'), items: [{ name: '边境地区通行证' }] });
    expect((await move(String(trackingNo), 'pickedUp')).json).to.include({ pushed: true });
    const error = await call(c, 'cancel', 'cancel-2', { trackingNo }).then(() => new Error('it did not fail'), (e: unknown) => e as Error);
    expect(error).to.be.instanceOf(PermanentFailure);
    expect(error.message).to.contain('已揽收，不能再取消').and.contain('already picked up');
    expect((await waybill(String(trackingNo)))!.status).to.equal('pickedUp');
  });

  it('Given originals mailed by the citizen, then pick-up and transit keep the latest state without ending the wait, a repeated notice counts once, and delivery goes to the clerk', async () => {
    const c = ctx();
    const trackingNo = s10Number('EB', '20260315');
    const instance = await start(trackingNo.toLowerCase()); // typed in lower case by the citizen
    await c.work();
    expect(await variables(instance.id)).to.include({ trackingNo, courierStatus: 'unknown' });
    expect(await c.waitingIn(instance.id)).to.deep.equal(['moved', 'notDelivered', 'wasDelivered', 'wasReturned']);

    await move(trackingNo, 'pickedUp', { location: '郑州市金水区邮政营业部' });
    await settled(instance.id, 'the pick-up', (v) => v.courierStatus === 'pickedUp');
    await move(trackingNo, 'inTransit', { location: '许昌邮件处理中心', repeat: 2 });
    await settled(instance.id, 'the transit', (v) => v.courierLocation === '许昌邮件处理中心');
    expect(await c.waitingIn(instance.id), 'still waiting for the outcome').to.include('wasDelivered');

    await move(trackingNo, 'delivered');
    await eventually('the delivery', async () => (await c.activeTasks(instance.id)).some((t) => t.activityId === 'confirmReceipt'));
    const v = await variables(instance.id);
    expect(v.courierStatus).to.equal('delivered');
    expect((v.courierTrace as Array<{ event: string }>).map((e) => e.event)).to.deep.equal(['pickedUp', 'inTransit', 'delivered']);
    const callbacks = await eventually('every notice handled', async () => {
      const list = await trackingCallbacks();
      return list.length === 3 ? list : null;
    });
    expect(callbacks.map((cb) => cb.outcome), 'the transit notice sent twice is one callback').to.deep.equal(['delivered', 'delivered', 'delivered']);
    const history = (await c.wf.history(instance.id, { offset: 0, limit: 200 })).items;
    expect(history.filter((h) => h.kind === 'message.receive')).to.have.length(3);
  });

  it('Given a parcel returned to the sender, then a clerk contacts the citizen', async () => {
    const c = ctx();
    const trackingNo = s10Number('EB', '20260316');
    const instance = await start(trackingNo);
    await c.work();
    await move(trackingNo, 'pickedUp');
    await settled(instance.id, 'the pick-up', (v) => v.courierStatus === 'pickedUp');
    await move(trackingNo, 'returned');
    await eventually('the return', async () => (await c.waitingIn(instance.id)).includes('contactCitizen'));
    expect(await variables(instance.id)).to.include({ courierStatus: 'returned' });
  });

  it('Given nothing delivered within the days allowed, then the case is chased; a late delivery is kept a while but moves nothing', async () => {
    const c = ctx();
    const trackingNo = s10Number('EB', '20260317');
    const instance = await start(trackingNo, 3);
    await c.work();
    await c.advance(2 * DAY);
    expect(await c.waitingIn(instance.id)).to.include('wasDelivered');
    await c.advance(DAY + 1000);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['chase']);
    await move(trackingNo, 'pickedUp');
    await move(trackingNo, 'delivered');
    await eventually('both notices', async () => ((await trackingCallbacks()).length === 2 ? true : null));
    // Kept for a wait that may still come (bufferSeconds), none does: the chase stays.
    expect((await trackingCallbacks()).map((cb) => cb.outcome)).to.deep.equal(['buffered', 'buffered']);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['chase']);
  });

  it('Given a parcel that arrived before the citizen typed in its number, then subscribing sends where it is now and the flow goes on', async () => {
    const c = ctx();
    const trackingNo = s10Number('EB', '20260318');
    expect((await move(trackingNo, 'pickedUp')).json, 'nobody tracks it yet').to.include({ pushed: false });
    await move(trackingNo, 'delivered');
    const instance = await start(trackingNo);
    await c.work();
    await eventually('the delivery', async () => (await c.waitingIn(instance.id)).includes('confirmReceipt'));
    expect((await variables(instance.id)).courierTrace).to.have.length(2);
  });

  it('Given a notice overtaken by a newer one, then it is recorded but the latest state stays', async () => {
    const c = ctx();
    const trackingNo = s10Number('EB', '20260319');
    const instance = await start(trackingNo);
    await c.work();
    const secret = (await server.connectors.settings.config('courier')).secrets.appSecret!;
    const notice = (seq: number, event: string, location: string) => {
      const body = JSON.stringify({ eventId: `${trackingNo}-${seq}`, trackingNo, event, at: Date.now(), location, seq, trace: [] });
      return server.post('/api/callbacks/courier/tracking', body, signedHeaders(secret, body, Date.now()));
    };
    expect((await notice(2, 'inTransit', '许昌邮件处理中心')).status).to.equal(200);
    expect((await notice(1, 'pickedUp', '郑州市金水区邮政营业部')).status).to.equal(200);
    expect(await variables(instance.id)).to.include({ courierStatus: 'inTransit', courierLocation: '许昌邮件处理中心' });
    expect((await trackingCallbacks()).map((cb) => cb.outcome).sort()).to.deep.equal(['delivered', 'unmatched']);
  });

  it('Given a signed notice whose trace is malformed, then it is refused with 401 and nothing is recorded', async () => {
    const trackingNo = s10Number('EB', '20260320');
    const secret = (await server.connectors.settings.config('courier')).secrets.appSecret!;
    for (const trace of [[null], [{ event: 'pickedUp' }], [{ event: 'teleported', at: Date.now() }]]) {
      const body = JSON.stringify({ eventId: `${trackingNo}-1`, trackingNo, event: 'pickedUp', at: Date.now(), location: '郑州', seq: 1, trace });
      const refused = await server.post('/api/callbacks/courier/tracking', body, signedHeaders(secret, body, Date.now()));
      expect(refused.status, JSON.stringify(trace)).to.equal(401);
    }
    expect(await server.connectors.store.listCallbacks('courier', 10)).to.deep.equal([]);
    expect(await server.connectors.store.records('courier').get('tracking', trackingNo)).to.equal(null);
  });

  it('Given a mistyped EMS number, then tracking it fails at once instead of waiting days', async () => {
    const right = s10Number('EB', '20260318');
    const mistyped = `${right.slice(0, 10)}${(Number(right[10]) + 1) % 10}CN`;
    const error = await call(ctx(), 'subscribe', 'sub-typo', { trackingNo: mistyped }).then(() => new Error('it did not fail'), (e: unknown) => e as Error);
    expect(error).to.be.instanceOf(PermanentFailure);
    expect(error.message).to.contain('校验位不符');
  });
});
