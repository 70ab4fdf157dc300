import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { chinaDate, ledgerOf, type LedgerEntry } from '../../connectors/payment/books.ts';
import { reconcile } from '../../connectors/payment/reconcile.ts';
import { signedHeaders } from '../../connectors/lib/signing.ts';
import { PermanentFailure } from '../../engine/core/handlers.ts';
import { connectorServer, eventually, type ConnectorServer } from '../support/connectors.ts';
import { describeOnBothStores, type TestContext } from '../support/harness.ts';

const DEFINITIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions');
const bpmn = (file: string) => fs.readFileSync(path.join(DEFINITIONS, file), 'utf8');
const page = { offset: 0, limit: 100 };
const DAY_MS = 24 * 3600_000;

describe('payment books and reconciliation', () => {
  const entry = (type: LedgerEntry['type'], id: string, amountFen: number): LedgerEntry => ({ type, id, orderNo: `P2026051200000000${id.slice(-2)}`, amountFen, at: 0 });

  it('cuts the business day at midnight Beijing time', () => {
    expect(chinaDate(Date.parse('2026-05-12T15:59:59Z'))).to.equal('2026-05-12');
    expect(chinaDate(Date.parse('2026-05-12T16:00:00Z'))).to.equal('2026-05-13');
  });

  it('matches lines by kind and id, and lists what is missing on either side and what differs, with the totals of both', () => {
    const ours = [entry('payment', 'T01', 1000), entry('payment', 'T02', 500), entry('refund', 'R01', 200), entry('payment', 'T03', 300)];
    const theirs = [entry('payment', 'T01', 1000), entry('payment', 'T02', 550), entry('refund', 'R01', 200), entry('payment', 'T09', 700), entry('refund', 'T03', 300)];
    const report = reconcile('2026-05-12', ours, theirs);
    expect(report.matched).to.equal(2);
    expect(report.amountMismatches).to.deep.equal([{ type: 'payment', id: 'T02', orderNo: 'P202605120000000002', oursFen: 500, providerFen: 550 }]);
    expect(report.missingOnOurSide.map((l) => `${l.type}:${l.id}`)).to.deep.equal(['payment:T09', 'refund:T03']);
    expect(report.missingAtProvider.map((l) => `${l.type}:${l.id}`), 'a refund line is not the payment of the same id').to.deep.equal(['payment:T03']);
    expect(report.totals).to.deep.equal({ ours: { paymentsFen: 1800, refundsFen: 200, netFen: 1600, lines: 4 }, provider: { paymentsFen: 2250, refundsFen: 500, netFen: 1750, lines: 5 } });
    expect(report.balanced).to.equal(false);
    expect(reconcile('2026-05-12', ours, ours).balanced).to.equal(true);
  });
});

describeOnBothStores('payment in flows', (ctx) => {
  let server: ConnectorServer;
  beforeEach(async () => {
    server = await connectorServer(ctx());
    await ctx().wf.deploy(bpmn('demo/payment.bpmn'), 'analyst');
  });
  afterEach(() => server.close());

  const key = async () => (await server.connectors.settings.config('payment')).secrets.apiKey!;
  const records = () => server.connectors.store.records('payment');
  const notices = async () => (await server.connectors.store.listCallbacks('payment', 50)).filter((cb) => cb.outcome !== 'received');
  const simOrder = async (orderNo: string) => ((await server.get('/sim/payment/_orders')).json as { items: Array<Record<string, unknown>> }).items.find((o) => o.orderNo === orderNo);
  const pay = (orderNo: string) => server.post(`/sim/payment/pay/${orderNo}`, '', { 'content-type': 'application/x-www-form-urlencoded' });
  const handler = (c: TestContext, name: string) => (idempotencyKey: string, input: Record<string, unknown>) =>
    c.wf.services.handlers.get(`payment.${name}`)!({ idempotencyKey, instanceId: 'direct', businessKey: 'CASE-DIRECT', activityId: 'a', attempt: 1, variables: {}, input, signal: new AbortController().signal, report: () => undefined });
  const refused = (promise: Promise<unknown>) => promise.then(() => expect.fail('should be refused'), (e: unknown) => e as Error);

  /** A fee case past the clerk's review, its order created and the case waiting for the notice. */
  async function feeCase(c: TestContext, feeFen = 1250) {
    const instance = await c.wf.start({ processKey: 'fee-payment', businessKey: `CASE-${feeFen}`, variables: { feeFen, feeSubject: '禁行道路通行证工本费' } }, 'clerk');
    await c.complete(instance.id, 'review');
    await c.work();
    expect(await c.waitingIn(instance.id)).to.deep.equal(['unpaid', 'waitPayment']);
    const variables = (await c.instance(instance.id)).variables as { orderNo: string; payUrl: string; qrPayload: string; orderExpiresAt: string };
    return { id: instance.id, ...variables };
  }

  /** A paid order made by the handler directly (no flow waits for it). */
  async function paidOrder(c: TestContext, job: string, amountFen: number) {
    const { orderNo } = (await handler(c, 'createOrder')(job, { amountFen, subject: '罚款' })) as { orderNo: string };
    await pay(orderNo);
    await eventually('the paid notice', async () => (await notices()).some((n) => n.externalId.startsWith(`notice:${orderNo}:paid:`)));
    return orderNo;
  }

  it('Given a fee case, when the citizen pays on the cashier page, then the signed notice moves the case on with the payment', async () => {
    const c = ctx();
    const order = await feeCase(c);
    expect(order.orderNo).to.match(/^P\d{18}$/);
    expect(order.payUrl).to.equal(`${server.base}/sim/payment/pay/${order.orderNo}`);
    expect(order.qrPayload).to.contain(order.orderNo);
    expect(Date.parse(order.orderExpiresAt) - Date.now()).to.be.within(29 * 60_000, 30 * 60_000);
    expect(await simOrder(order.orderNo)).to.include({ amountFen: 1250, subject: '禁行道路通行证工本费', businessKey: 'CASE-1250', status: 'open' });
    const cashier = await fetch(order.payUrl);
    expect(await cashier.text()).to.contain('¥12.50').and.contain('待支付');

    expect((await pay(order.orderNo)).status).to.equal(200);
    await eventually('the case to reach the issuing', async () => (await c.waitingIn(order.id)).includes('issue'));
    const variables = (await c.instance(order.id)).variables;
    expect(variables).to.include({ paymentStatus: 'paid', paidAmountFen: 1250 });
    expect(variables.transactionId).to.equal((await simOrder(order.orderNo))!.transactionId);
    expect(Date.parse(String(variables.paidAt))).to.be.closeTo(Date.now(), 10_000);
    // The case moves before the notice's record is closed.
    await eventually('the notice recorded', async () => (await notices()).length > 0);
    expect((await notices()).map((n) => [n.externalId.replace(/:T\d+$/, ''), n.outcome])).to.deep.equal([[`notice:${order.orderNo}:paid`, 'delivered']]);
    const booked = await ledgerOf(records(), chinaDate(Date.parse(String(variables.paidAt))));
    expect(booked.map((e) => [e.type, e.id, e.amountFen])).to.deep.equal([['payment', variables.transactionId, 1250]]);
    expect((await pay(order.orderNo)).status, 'paying twice').to.equal(409);
  });

  it('Given a notice whose amount was tampered with, or that names an order we never made, then it is refused and the case keeps waiting', async () => {
    const c = ctx();
    const order = await feeCase(c);
    const genuine = { noticeId: 'N-1', merchantId: 'xuchang-police', orderNo: order.orderNo, status: 'paid', amountFen: 1250, transactionId: 'T-forged', paidAt: Date.now(), at: Date.now() };
    const signed = (notice: object) => key().then((k) => ({ body: JSON.stringify(notice), headers: signedHeaders(k, JSON.stringify(notice), Date.now()) }));
    const post = (n: { body: string; headers: Record<string, string> }) => server.post('/api/callbacks/payment/notice', n.body, n.headers);

    const original = await signed(genuine);
    const altered = await post({ body: original.body.replace('"amountFen":1250', '"amountFen":1'), headers: original.headers });
    expect(altered.status, 'altered after signing').to.equal(401);
    const wrongAmount = await post(await signed({ ...genuine, amountFen: 1 }));
    expect(wrongAmount.status, 'signed, but not the order amount').to.equal(401);
    expect((wrongAmount.json as { error: { message: string } }).error.message).to.contain('1250');
    expect((await post(await signed({ ...genuine, orderNo: 'P202601010000000000' }))).status, 'an order we never made').to.equal(401);
    expect((await post(await signed({ ...genuine, merchantId: 'someone-else' }))).status, 'another merchant').to.equal(401);

    expect(await c.waitingIn(order.id)).to.deep.equal(['unpaid', 'waitPayment']);
    expect(await server.connectors.store.listCallbacks('payment', 10)).to.deep.equal([]);
    expect(await ledgerOf(records(), chinaDate(Date.now()))).to.deep.equal([]);
  });

  it('Given a second signed "paid" notice for a paid order under a new transaction id, then it is answered success, not booked, and kept as an anomaly to refund', async () => {
    const c = ctx();
    const order = await feeCase(c, 5000);
    await pay(order.orderNo);
    await eventually('the case to move', async () => (await c.waitingIn(order.id)).includes('issue'));
    const paid = (await c.instance(order.id)).variables as { transactionId: string; paidAt: string };
    const notice = (transactionId: string) => JSON.stringify({ noticeId: `N-${transactionId}`, merchantId: 'xuchang-police', orderNo: order.orderNo, status: 'paid', amountFen: 5000, transactionId, paidAt: Date.now(), at: Date.now() });
    const second = notice('T20261207999999999');
    // Two of them at once, as a provider's retries can arrive: neither is booked.
    const answers = await Promise.all([second, notice('T20261207888888888')].map((body) => key().then((k) => server.post('/api/callbacks/payment/notice', body, signedHeaders(k, body, Date.now())))));
    expect(answers.map((a) => [a.status, a.text])).to.deep.equal([[200, 'success'], [200, 'success']]);
    const ledger = await ledgerOf(records(), chinaDate(Date.parse(paid.paidAt)));
    expect(ledger.map((e) => [e.type, e.id, e.amountFen]), 'one payment in our books').to.deep.equal([['payment', paid.transactionId, 5000]]);
    const report = await server.get('/api/connectors/payment/reports/anomalies');
    expect(report.status).to.equal(200);
    const items = (report.json as { items: Array<{ orderNo: string; transactionId: string; bookedTransactionId: string; amountFen: number; instanceId: string }> }).items;
    expect(items.map((i) => [i.orderNo, i.transactionId, i.bookedTransactionId, i.amountFen, i.instanceId]).sort()).to.deep.equal(
      [
        [order.orderNo, 'T20261207888888888', paid.transactionId, 5000, order.id],
        [order.orderNo, 'T20261207999999999', paid.transactionId, 5000, order.id],
      ].sort(),
    );
    expect(await c.waitingIn(order.id), 'the case went on once').to.deep.equal(['issue']);
  });

  it('Given the notice sent again (the provider did not hear our success), then it is answered success again and changes nothing', async () => {
    const c = ctx();
    const order = await feeCase(c);
    await pay(order.orderNo);
    await eventually('the case to move', async () => (await c.waitingIn(order.id)).includes('issue'));
    // The case moves before the notice's record is closed: wait for both.
    const [first] = await eventually('the notice recorded', async () => {
      const taken = await notices();
      return taken.length ? taken : null;
    });
    const again = await server.post('/api/callbacks/payment/notice', first!.payload, signedHeaders(await key(), first!.payload, Date.now()));
    expect([again.status, again.text]).to.deep.equal([200, 'success']);
    // A second "paid" for the same order under another notice id is the same payment.
    const other = JSON.stringify({ ...JSON.parse(first!.payload), noticeId: 'N-other' });
    expect((await server.post('/api/callbacks/payment/notice', other, signedHeaders(await key(), other, Date.now()))).text).to.equal('success');
    expect(await notices()).to.have.length(1);
    expect(await ledgerOf(records(), chinaDate(Date.now()))).to.have.length(1);
    expect(await c.waitingIn(order.id)).to.deep.equal(['issue']);
    const history = (await c.wf.history(order.id, page)).items;
    expect(history.filter((h) => h.kind === 'activity.end' && h.activityId === 'waitPayment')).to.have.length(1);
  });

  it('Given a citizen who pays before the case waits (the order shown at the counter), then the notice is kept and taken when the case arrives', async () => {
    const c = ctx();
    await c.wf.deploy(
      `<?xml version="1.0" encoding="UTF-8"?>
      <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:wf="http://workflow.dev/schema/bpmn/1.0" id="d" targetNamespace="t">
        <message id="m" name="payment-notice" />
        <process id="counter-fee" isExecutable="true">
          <startEvent id="s" /><sequenceFlow id="a" sourceRef="s" targetRef="wait" />
          <receiveTask id="wait" messageRef="m" wf:correlationKey="\${orderNo}" /><sequenceFlow id="b" sourceRef="wait" targetRef="issue" />
          <userTask id="issue" /><sequenceFlow id="c" sourceRef="issue" targetRef="e" /><endEvent id="e" />
        </process>
      </definitions>`,
      'analyst',
    );
    const orderNo = await paidOrder(c, 'counter-1', 2000);
    expect((await notices()).map((n) => n.outcome)).to.deep.equal(['buffered']);
    const instance = await c.wf.start({ processKey: 'counter-fee', variables: { orderNo } }, 'clerk');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['issue']);
    expect((await c.instance(instance.id)).variables).to.include({ paymentStatus: 'paid', paidAmountFen: 2000 });
  });

  it('Given a failed attempt, then the case waits for another; given the order expiring at the provider, then the closed notice ends the case', async () => {
    const c = ctx();
    const order = await feeCase(c);
    expect((await server.post('/sim/payment/_fail', { orderNo: order.orderNo, reason: 'INSUFFICIENT_FUNDS' })).status).to.equal(202);
    await eventually('the failure to reach the case', async () => (await c.instance(order.id)).variables.paymentStatus === 'failed');
    expect((await c.instance(order.id)).variables).to.include({ paymentFailure: 'INSUFFICIENT_FUNDS' });
    expect(await c.waitingIn(order.id)).to.deep.equal(['unpaid', 'waitPayment']);

    expect((await server.post('/sim/payment/_expire', { orderNo: order.orderNo })).json).to.include({ status: 'closed' });
    await eventually('the case to close', async () => (await c.instance(order.id)).state === 'completed');
    const ended = (await c.wf.history(order.id, page)).items.filter((h) => h.kind === 'activity.end').map((h) => h.activityId);
    expect(ended).to.include('closed').and.not.include('issue');
    expect((await pay(order.orderNo)).status, 'a closed order cannot be paid').to.equal(409);
    expect(await ledgerOf(records(), chinaDate(Date.now()))).to.deep.equal([]);
  });

  it('Given no payment in 30 minutes, then the case closes the order; had the citizen paid in that moment, the close says so and the case goes on', async () => {
    const c = ctx();
    const unpaid = await feeCase(c, 1000);
    // The second order's notice is held back: the case's timer fires before it arrives.
    await server.post('/sim/payment/_control', { mode: 'late', delayMs: 120_000 });
    const raced = await feeCase(c, 2000);
    await pay(raced.orderNo);
    await c.advance(31 * 60_000);
    expect((await c.instance(unpaid.id)).state).to.equal('completed');
    expect((await c.instance(unpaid.id)).variables).to.include({ paymentStatus: 'closed' });
    expect(await simOrder(unpaid.orderNo)).to.include({ status: 'closed' });
    expect((await pay(unpaid.orderNo)).status).to.equal(409);
    expect(await c.waitingIn(raced.id)).to.deep.equal(['issue']);
    expect((await c.instance(raced.id)).variables).to.include({ paymentStatus: 'paid' });
    expect((await ledgerOf(records(), chinaDate(Date.now()))).map((e) => e.orderNo), 'the payment the close found is booked').to.deep.equal([raced.orderNo]);
  });

  it('Given a paid order, then refunds add up to at most what was paid, a retried refund job is one refund, and an unpaid order has nothing to refund', async () => {
    const c = ctx();
    const refund = handler(c, 'refund');
    const orderNo = await paidOrder(c, 'fine-1', 1000);
    const first = await refund('refund-1', { orderNo, amountFen: 400, reason: '多收' });
    expect(first).to.include({ refundAmountFen: 400, refundedTotalFen: 400 });
    expect(await refund('refund-1', { orderNo, amountFen: 400 }), 'the same job again').to.deep.equal(first);
    const tooMuch = await refused(refund('refund-2', { orderNo, amountFen: 700 }));
    expect(tooMuch).to.be.instanceOf(PermanentFailure);
    expect(tooMuch.message).to.contain('超过可退金额 600 分').and.contain('600 fen left');
    const rest = await refund('refund-3', { orderNo });
    expect(rest, 'the rest').to.include({ refundAmountFen: 600, refundedTotalFen: 1000 });
    expect(await refund('refund-3', { orderNo }), 'the rest, the job retried after it went through').to.deep.equal(rest);
    expect((await refused(refund('refund-4', { orderNo, amountFen: 1 }))).message).to.contain('已全额退款');
    expect(await handler(c, 'query')('query-1', { orderNo })).to.include({ paymentStatus: 'paid', paidAmountFen: 1000, refundedAmountFen: 1000 });

    // The provider holds the line too, whatever our books say.
    const body = JSON.stringify({ merchantId: 'xuchang-police', requestId: 'outside-1', orderNo, amountFen: 1 });
    const provider = await server.post('/sim/payment/refunds', body, signedHeaders(await key(), body, Date.now()));
    expect([provider.status, (provider.json as { error: string }).error]).to.deep.equal([409, 'REFUND_EXCEEDS_PAID']);

    const { orderNo: open } = (await handler(c, 'createOrder')('open-1', { amountFen: 500, subject: '罚款' })) as { orderNo: string };
    expect((await refused(refund('refund-5', { orderNo: open, amountFen: 100 }))).message).to.contain('尚未支付');
    const booked = await ledgerOf(records(), chinaDate(Date.now()));
    expect(booked.filter((e) => e.type === 'refund').map((e) => e.amountFen).sort()).to.deep.equal([400, 600]);
  });

  it("Given the provider's statement with a line we never booked, a changed amount and a missing line, then the reconciliation reports each and is stored", async () => {
    const c = ctx();
    const today = chinaDate(Date.now());
    const a = await paidOrder(c, 'day-1', 1000);
    const b = await paidOrder(c, 'day-2', 2500);
    const d = await paidOrder(c, 'day-3', 300);
    await handler(c, 'refund')('day-refund', { orderNo: a, amountFen: 100 });
    const balanced = (await handler(c, 'reconcile')('rec-1', { date: today })) as { reconciliation: { matched: number; totals: unknown }; reconciliationBalanced: boolean };
    expect(balanced.reconciliationBalanced).to.equal(true);
    expect(balanced.reconciliation.matched).to.equal(4);

    const txn = async (orderNo: string) => String((await simOrder(orderNo))!.transactionId);
    const plant = (line: object) => server.post('/sim/payment/_statement', { date: today, ...line });
    await plant({ type: 'payment', id: 'T-unknown', orderNo: 'P202601010000000000', amountFen: 990 });
    await plant({ type: 'payment', id: await txn(b), orderNo: b, amountFen: 2400 });
    await plant({ type: 'payment', id: await txn(d), amountFen: null });
    const result = (await handler(c, 'reconcile')('rec-2', { date: today })) as { reconciliation: Record<string, unknown>; reconciliationBalanced: boolean };
    const report = result.reconciliation as { matched: number; missingOnOurSide: LedgerEntry[]; missingAtProvider: LedgerEntry[]; amountMismatches: unknown[]; totals: { ours: { netFen: number }; provider: { netFen: number } } };
    expect(result.reconciliationBalanced).to.equal(false);
    expect(report.matched).to.equal(2);
    expect(report.missingOnOurSide.map((l) => [l.id, l.amountFen])).to.deep.equal([['T-unknown', 990]]);
    expect(report.missingAtProvider.map((l) => l.orderNo)).to.deep.equal([d]);
    expect(report.amountMismatches).to.deep.equal([{ type: 'payment', id: await txn(b), orderNo: b, oursFen: 2500, providerFen: 2400 }]);
    expect([report.totals.ours.netFen, report.totals.provider.netFen]).to.deep.equal([3700, 4290]);
    expect((await records().get('reconciliation', today))!.data).to.deep.equal(report);
  });

  it('Given the example definition, then every day at 01:00 Beijing time it reconciles the day before, and a day that does not balance goes to finance', async () => {
    const c = ctx();
    await c.wf.deploy(bpmn('examples/payment-reconciliation.bpmn'), 'analyst');
    const now = c.clock.now();
    const oneAm = Date.parse(`${chinaDate(now)}T01:00:00+08:00`);
    const firstRun = oneAm > now ? oneAm : oneAm + DAY_MS;
    const checked = chinaDate(firstRun - DAY_MS);
    await server.post('/sim/payment/_statement', { date: checked, type: 'payment', id: 'T-night', orderNo: 'P202601010000000000', amountFen: 500 });
    await c.advance(Math.max(0, firstRun - now - 1000));
    expect((await c.wf.listInstances({ processKey: 'payment-reconciliation' }, page)).items, 'not yet').to.have.length(0);
    await c.advance(2000);
    const [run] = (await c.wf.listInstances({ processKey: 'payment-reconciliation' }, page)).items;
    expect(await c.waitingIn(run!.id)).to.deep.equal(['investigate']);
    expect((await c.instance(run!.id)).variables).to.include({ reconciliationDate: checked, reconciliationBalanced: false });
    await c.advance(DAY_MS);
    const runs = (await c.wf.listInstances({ processKey: 'payment-reconciliation' }, page)).items;
    expect(runs).to.have.length(2);
    const next = runs.find((r) => r.id !== run!.id)!;
    expect((await c.instance(next.id)).variables).to.include({ reconciliationDate: chinaDate(firstRun), reconciliationBalanced: true });
    expect((await c.instance(next.id)).state).to.equal('completed');
  });
});
