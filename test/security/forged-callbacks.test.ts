/**
 * Forged notices: with the simulators off, a connector nobody configured has
 * no secret at all, so a "paid" notice signed with the simulator's published
 * key — or with none — is refused, and the admin page says why.
 */
import { expect } from 'chai';
import { signedHeaders } from '../../connectors/lib/signing.ts';
import { BACKENDS } from '../support/databases.ts';
import { startProduct, type Product } from '../support/product.ts';
import { needs } from '../support/services.ts';

/** The payment simulator's key, as published in connectors/payment/index.ts. */
const SIMULATOR_KEY = 'payment-simulator-key';

for (const backend of BACKENDS) {
  describe(`security: forged callbacks [${backend}]`, function () {
    needs(this, backend);
    this.timeout(60_000);
    let p: Product;

    before(async () => {
      p = await startProduct(backend, { SIMULATORS: 'false' });
    });

    after(async () => {
      await p?.close();
    });

    const notice = JSON.stringify({ noticeId: 'N-1', merchantId: 'xuchang-police', orderNo: 'P202612070000000001', status: 'paid', amountFen: 5000, transactionId: 'T1', paidAt: Date.now(), at: Date.now() });

    it('refuses a notice signed with the simulator’s published key, or unsigned, when nobody configured the connector', async () => {
      for (const headers of [signedHeaders(SIMULATOR_KEY, notice, Date.now()), { 'content-type': 'application/json' }]) {
        const answer = await fetch(`${p.base}/api/callbacks/payment/notice`, { method: 'POST', headers, body: notice });
        expect(answer.status).to.equal(401);
        expect(((await answer.json()) as { error: { code: string; message: string } }).error).to.include({ code: 'WF_ERR_CALLBACK_REJECTED' });
      }
      const recorded = await p.server.db.executor.select(`SELECT COUNT(*) AS n FROM wf_callbacks WHERE connector = 'payment'`);
      expect(Number(recorded[0]!.n), 'nothing recorded').to.equal(0);
    });

    it('tells the admin on the connector’s page that its callbacks are refused, and serves no simulator', async () => {
      const admin = await p.login('admin');
      const view = await admin.call('GET', '/api/connectors/payment/config');
      expect(view.body.source).to.equal('defaults');
      expect(view.body.secrets).to.deep.equal({ apiKey: false });
      expect(view.body.warnings.join(' ')).to.include('apiKey').and.include('回调');
      const english = await fetch(`${p.base}/api/connectors/payment/config`, { headers: { ...admin.headers, 'accept-language': 'en' } });
      expect(JSON.stringify(await english.json())).to.include('every callback is refused');
      expect((await admin.call('GET', '/sim/payment/_orders')).status, 'no simulator routes').to.equal(404);
    });

    it('accepts the signature once an admin configures the real key (the notice then fails only on its unknown order)', async () => {
      const admin = await p.login('admin');
      const current = await admin.call('GET', '/api/connectors/payment/config');
      expect((await admin.call('PUT', '/api/connectors/payment/config', { settings: current.body.settings, secrets: { apiKey: 'a-real-merchant-key-0123456789' } })).status).to.equal(200);
      const answer = await fetch(`${p.base}/api/callbacks/payment/notice`, { method: 'POST', headers: signedHeaders('a-real-merchant-key-0123456789', notice, Date.now()), body: notice });
      expect(answer.status).to.equal(401);
      expect(((await answer.json()) as { error: { message: string } }).error.message).to.include('本系统没有创建过订单 P202612070000000001');
      const view = await admin.call('GET', '/api/connectors/payment/config');
      expect(view.body.warnings).to.deep.equal([]);
      // The change is audited with which secret changed, never its value.
      const audit = await admin.call('GET', '/api/audit?action=connector.config');
      expect(audit.body.items).to.have.length(1);
      const text = JSON.stringify(audit.body.items[0]);
      expect(text).to.include('apiKey').and.not.include('a-real-merchant-key');
      expect(audit.body.items[0].data.before.secrets).to.deep.equal({ apiKey: false });
      expect(audit.body.items[0].data.after.secrets).to.deep.equal({ apiKey: true });
    });
  });
}
