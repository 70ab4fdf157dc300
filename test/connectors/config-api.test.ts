/** The admin's view of a connector's settings over HTTP: secrets sealed and never shown, mistakes named, concurrent edits refused. */
import { expect } from 'chai';
import { connectorServer, type ConnectorServer } from '../support/connectors.ts';
import { describeOnBothStores } from '../support/harness.ts';

describeOnBothStores('connector settings API', (ctx) => {
  let server: ConnectorServer;
  beforeEach(async () => {
    server = await connectorServer(ctx());
  });
  afterEach(() => server.close());

  const put = (body: unknown, lang = 'zh-CN') =>
    fetch(`${server.base}/api/connectors/sms/config`, { method: 'PUT', headers: { 'content-type': 'application/json', 'accept-language': lang, 'x-user-id': 'admin' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, text: await r.text() }));
  const view = async () => (await server.get('/api/connectors/sms/config')).json as { source: string; rev: number | null; secrets: Record<string, boolean>; settings: Record<string, unknown> };

  it('Given nothing configured, then the simulator is used; the first configuration of the real service does not inherit the simulator\'s key', async () => {
    const before = await view();
    expect(before).to.include({ source: 'defaults', rev: null });
    expect(before.secrets).to.deep.equal({ apiKey: true });
    const real = { ...before.settings, baseUrl: 'https://sms.example.gov.cn/v1' };
    const saved = await put({ settings: real });
    expect(saved.status, saved.text).to.equal(200);
    expect(JSON.parse(saved.text)).to.deep.include({ source: 'stored', rev: 1, secrets: { apiKey: false } });
    const keyed = await put({ settings: real, secrets: { apiKey: 'the-real-key' }, rev: 1 });
    expect(JSON.parse(keyed.text)).to.deep.include({ rev: 2, secrets: { apiKey: true } });
    expect(keyed.text).to.not.include('the-real-key');
    expect((await server.connectors.settings.config('sms')).secrets.apiKey, 'kept, sealed').to.equal('the-real-key');
    // Secrets left out stay.
    await put({ settings: { ...real, perPhonePerMinute: 3 }, rev: 2 });
    expect((await server.connectors.settings.config('sms')).secrets.apiKey).to.equal('the-real-key');
  });

  it('Given a mistake, then it is refused naming the field in the caller\'s language and nothing changes; a stale rev is 409', async () => {
    const { settings } = await view();
    const bad = await put({ settings: { ...settings, perPhonePerMinute: 0 } }, 'en');
    expect(bad.status).to.equal(400);
    expect(JSON.parse(bad.text).error).to.include({ code: 'WF_ERR_VALIDATION' });
    expect(JSON.parse(bad.text).error.message).to.include('settings.perPhonePerMinute');
    const unknown = await put({ settings, secrets: { password: 'x' } });
    expect(JSON.parse(unknown.text).error.message).to.include('secrets.password');
    expect((await view()).source).to.equal('defaults');
    await put({ settings });
    const stale = await put({ settings, rev: 7 });
    expect(stale.status).to.equal(409);
    expect(JSON.parse(stale.text).error.code).to.equal('WF_ERR_CONCURRENT_MODIFICATION');
  });
});
