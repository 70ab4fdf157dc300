import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { readAnswer, readDataDocument, writeRequest, writeSoapCall, XmlProblem } from '../../connectors/backend-sync/xml.ts';
import { signedHeaders } from '../../connectors/lib/signing.ts';
import { connectorServer, eventually, runOperation, type ConnectorServer } from '../support/connectors.ts';
import { describeOnBothStores } from '../support/harness.ts';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions/examples');
const page = { offset: 0, limit: 100 };

describe('syncBusInfo XML', () => {
  it('reads the request as the interface document writes it, blanks inside tags included', () => {
    const doc = '<?xml version="1.0" encoding="UTF-8"?>\n<data>\n<op> UPDATE</op>\n<source_id>XC-1</source_id>\n\t<state>approved</state>\n<detail>准予 &amp; 通行 &#x2713;</ detail >\n</data>';
    expect(readDataDocument(doc)).to.deep.equal({ fields: { op: ' UPDATE', source_id: 'XC-1', state: 'approved', detail: '准予 & 通行 ✓' }, soap: false });
    expect(readDataDocument('<data><op>GET</op><source_id><![CDATA[<XC-2>]]></source_id><detail/></data>').fields).to.deep.equal({ op: 'GET', source_id: '<XC-2>', detail: '' });
  });

  it('reads the same document as the xmlData of a SOAP call, and an answer wrapped either way', () => {
    const inner = writeRequest({ op: 'GET', source_id: 'XC-3' });
    expect(readDataDocument(writeSoapCall(inner))).to.deep.equal({ fields: { op: 'GET', source_id: 'XC-3' }, soap: true });
    expect(readAnswer('<?xml version="1.0"?>< DATA>< RESULT >1</ RESULT >< ERROR >办事ID不存在</ ERROR ></ DATA>')).to.deep.equal({ result: '1', error: '办事ID不存在', fields: {} });
  });

  it('refuses what is not the flat <data> document: other roots, nesting, stray text, repeats, DTDs, bad characters', () => {
    for (const bad of [
      '<order><op>GET</op></order>',
      '<data><op><x>GET</x></op></data>',
      '<data>GET<source_id>1</source_id></data>',
      '<data><op>GET</op><op>UPDATE</op></data>',
      '<!DOCTYPE data [<!ENTITY x "y">]><data><op>&x;</op></data>',
      '<data><op>&#0;</op></data>',
      '<data><op>GET</op>',
    ]) {
      expect(() => readDataDocument(bad), bad).to.throw(XmlProblem);
    }
  });
});

describeOnBothStores('Back-end sync (业务系统对接)', (ctx) => {
  let server: ConnectorServer;
  beforeEach(async () => {
    server = await connectorServer(ctx());
    await ctx().wf.deploy(fs.readFileSync(path.join(EXAMPLES, 'backend-sync-road-permit.bpmn'), 'utf8'), 'analyst');
  });
  afterEach(() => server.close());

  const application = { applicantName: '张三', idNumber: '411002199001011234', plateNumber: '豫K12345', route: '许昌市区禁行路段', validFrom: '2026-03-01', validTo: '2026-03-31' };
  const start = (caseId: string) => ctx().wf.start({ processKey: 'backend-sync-road-permit', businessKey: caseId, variables: application }, 'clerk');
  const secret = async () => (await server.connectors.settings.config('backend')).secrets['system:trafficSystem']!;
  /** What the business system sends, signed with its secret (or another). */
  const send = async (callback: 'sync' | 'syncBusInfo', body: string, options: { system?: string; key?: string } = {}) =>
    server.post(`/api/callbacks/backend/${callback}`, body, {
      ...signedHeaders(options.key ?? (await secret()), body, Date.now()),
      'content-type': callback === 'sync' ? 'application/json' : 'text/xml',
      'x-business-system': options.system ?? 'trafficSystem',
    });
  const handovers = async (caseId: string) =>
    ((await server.get(`/sim/backend/_handovers?caseId=${caseId}`)).json as { items: Array<{ ticket: string; pulled?: { status: number; result: string; fields: Record<string, string> } }> }).items;
  const messagesReceived = async (instanceId: string) => (await ctx().wf.history(instanceId, page)).items.filter((h) => h.kind === 'message.receive').length;

  it('Given a case handed over, then the business system pulls it in XML with only the variables it may see, and its UPDATEs move the case to approval', async () => {
    const c = ctx();
    const instance = await start('XC-2026-0001');
    await c.work();
    expect(await c.waitingIn(instance.id)).to.deep.equal(['awaitDecision', 'noWord']);
    const [handover] = await eventually('the pull', async () => ((await handovers('XC-2026-0001'))[0]?.pulled ? handovers('XC-2026-0001') : null));
    expect((await c.instance(instance.id)).variables.backendTicket).to.equal(handover!.ticket);
    expect(handover!.pulled).to.deep.include({ status: 200, result: '0' });
    // The system pulls as soon as it is told, which may be before the hand-over job's step has committed.
    const { waiting_in: waitingIn, ...fields } = handover!.pulled!.fields;
    expect(waitingIn).to.be.oneOf(['awaitDecision,noWord', 'handOver']);
    expect(fields).to.deep.equal({
      source_id: 'XC-2026-0001',
      process_key: 'backend-sync-road-permit',
      case_state: 'running',
      started_at: new Date((await c.instance(instance.id)).startedAt).toISOString(),
      applicantName: '张三',
      plateNumber: '豫K12345',
      route: '许昌市区禁行路段',
      validFrom: '2026-03-01',
      validTo: '2026-03-31',
    });

    await server.post('/sim/backend/_decide', { system: 'trafficSystem', caseId: 'XC-2026-0001', state: 'processing', detail: '已受理，审核中', format: 'xml' });
    await eventually('the progress', async () => (await c.instance(instance.id)).variables.backendState === 'processing');
    expect(await c.waitingIn(instance.id), 'progress keeps it waiting').to.deep.equal(['awaitDecision', 'noWord']);

    await server.post('/sim/backend/_decide', { system: 'trafficSystem', caseId: 'XC-2026-0001', state: 'approved', detail: '准予通行', format: 'soap' });
    await eventually('the decision', async () => (await c.instance(instance.id)).state === 'completed');
    expect((await c.instance(instance.id)).variables).to.include({ backendState: 'approved', backendDetail: '准予通行', backendSystem: 'trafficSystem' });
    expect((await c.wf.history(instance.id, page)).items.filter((h) => h.kind === 'activity.end').map((h) => h.activityId)).to.include('approved');
  });

  it('Given the JSON endpoint, then GET answers the case, and an UPDATE sent twice is answered alike and counted once', async () => {
    const c = ctx();
    const instance = await start('XC-2026-0002');
    await c.work();
    const pulled = await send('sync', JSON.stringify({ op: 'GET', caseId: 'XC-2026-0002' }));
    expect(pulled.status).to.equal(200);
    const { case: found } = pulled.json as { case: { state: string; waitingIn: string[]; variables: Record<string, unknown> } };
    expect(found).to.include({ state: 'running' });
    expect(found.variables).to.not.have.property('idNumber');
    expect(found.variables).to.include({ plateNumber: '豫K12345' });

    const update = JSON.stringify({ op: 'UPDATE', caseId: 'XC-2026-0002', state: 'processing', detail: '材料审核中' });
    const first = await send('sync', update);
    const again = await send('sync', update);
    expect([first.status, again.status]).to.deep.equal([200, 200]);
    expect(again.text).to.equal(first.text);
    expect(first.json).to.deep.equal({ result: 0 });
    expect(await messagesReceived(instance.id)).to.equal(1);

    await send('sync', JSON.stringify({ op: 'UPDATE', caseId: 'XC-2026-0002', state: 'rejected', detail: '路线不在许可范围' }));
    expect((await c.instance(instance.id)).state).to.equal('completed');
    expect((await c.wf.history(instance.id, page)).items.filter((h) => h.kind === 'activity.end').map((h) => h.activityId)).to.include('rejected');
    expect((await server.connectors.store.listCallbacks('backend', 10)).map((cb) => cb.outcome)).to.deep.equal(['delivered', 'delivered']);
  });

  it('Given bad requests, then each is a clear 4xx in its own format, and none is recorded or moves the case', async () => {
    const c = ctx();
    const instance = await start('XC-2026-0003');
    await c.work();
    const xml = (fields: Record<string, string>) => writeRequest(fields);
    const cases: Array<[string, Promise<{ status: number; text: string }>, number, RegExp]> = [
      ['unknown system', send('syncBusInfo', xml({ op: 'GET', source_id: 'XC-2026-0003' }), { system: 'archive' }), 401, /未知的业务系统/],
      ['wrong key', send('syncBusInfo', xml({ op: 'GET', source_id: 'XC-2026-0003' }), { key: 'not-the-key' }), 401, /signature does not match/],
      ['not XML', send('syncBusInfo', '{"op":"GET"}'), 400, /XML 格式不正确/],
      ['unknown op', send('syncBusInfo', xml({ op: 'DELETE', source_id: 'XC-2026-0003' })), 400, /op 只能是 GET 或 UPDATE/],
      ['no state', send('syncBusInfo', xml({ op: 'UPDATE', source_id: 'XC-2026-0003' })), 400, /state/],
      ['unknown case', send('syncBusInfo', xml({ op: 'UPDATE', source_id: 'XC-0000', state: 'approved' })), 404, /办事ID XC-0000 不存在/],
      ['unknown case, pulled', send('syncBusInfo', xml({ op: 'GET', source_id: 'XC-0000' })), 404, /办事ID XC-0000 不存在/],
    ];
    for (const [what, answer, status, error] of cases) {
      const { status: got, text } = await answer;
      expect(got, what).to.equal(status);
      const read = readAnswer(text);
      expect(read.result, what).to.equal('1');
      expect(read.error, what).to.match(error);
    }
    const json = await send('sync', JSON.stringify({ op: 'UPDATE', caseId: 'XC-2026-0003', state: '' }));
    expect(json.status).to.equal(400);
    expect((json.json as { result: number; error: { 'zh-CN': string; en: string } }).error.en).to.contain('UPDATE needs a state');
    expect((await send('sync', 'not json', { key: 'not-the-key' })).status).to.equal(401);
    expect(await server.connectors.store.listCallbacks('backend', 10)).to.deep.equal([]);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['awaitDecision', 'noWord']);
  });

  it('Given a system whose settings name other processes, then it cannot see or update this case', async () => {
    await server.tune(
      'backend',
      (settings) => ({ ...settings, systems: { ...(settings.systems as object), archive: { url: 'http://127.0.0.1:9/ready', processKeys: ['archive-transfer'], variables: ['idNumber'] } } }),
      { 'system:archive': 'archive-key' },
    );
    expect((await server.connectors.settings.view('backend')).secrets).to.include({ 'system:trafficSystem': true, 'system:archive': true });
    await start('XC-2026-0004');
    const pulled = await send('sync', JSON.stringify({ op: 'GET', caseId: 'XC-2026-0004' }), { system: 'archive', key: 'archive-key' });
    expect(pulled.status).to.equal(404);
    expect(pulled.text).to.not.contain('411002199001011234');
    expect((await send('sync', JSON.stringify({ op: 'UPDATE', caseId: 'XC-2026-0004', state: 'approved' }), { system: 'archive', key: 'archive-key' })).status).to.equal(404);
  });

  it('Given a second system that may see the case, then its UPDATE does not answer for the system the case was handed to', async () => {
    const c = ctx();
    await server.tune(
      'backend',
      (settings) => ({ ...settings, systems: { ...(settings.systems as object), archive: { url: 'http://127.0.0.1:9/ready', processKeys: ['backend-sync-road-permit'], variables: [] } } }),
      { 'system:archive': 'archive-key' },
    );
    const instance = await start('XC-2026-0006');
    await c.work();
    expect(await c.waitingIn(instance.id)).to.deep.equal(['awaitDecision', 'noWord']);
    const other = await send('sync', JSON.stringify({ op: 'UPDATE', caseId: 'XC-2026-0006', state: 'approved', detail: '档案已归档' }), { system: 'archive', key: 'archive-key' });
    expect(other.status).to.equal(200);
    expect(await c.waitingIn(instance.id), 'still waiting for the traffic system').to.deep.equal(['awaitDecision', 'noWord']);
    await send('sync', JSON.stringify({ op: 'UPDATE', caseId: 'XC-2026-0006', state: 'approved', detail: '准予许可' }));
    expect((await c.instance(instance.id)).variables).to.include({ backendSystem: 'trafficSystem', backendDetail: '准予许可' });
  });

  it('Given no word from the business system in three days, then a clerk chases it and the case waits again', async () => {
    const c = ctx();
    const instance = await start('XC-2026-0005');
    await c.work();
    await c.advance(3 * 24 * 3600_000 + 1000);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['chase']);
    await c.complete(instance.id, 'chase');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['awaitDecision', 'noWord']);
  });

  const query = (input: Record<string, unknown>) => runOperation(ctx(), 'backend.query', input, { key: `q-${JSON.stringify(input)}`, instanceId: 'direct' });

  it('Given a query (业务查询), then the system answers it signed, the same question alike; an unknown query or a system without a query address fails', async () => {
    const asked = { system: 'trafficSystem', query: 'violations', params: { plateNumber: '豫K·E1357' } };
    expect(await query(asked)).to.deep.equal({ plateLocal: true, violationCount: 2, violationPoints: 1, fineAmount: 200 });
    expect(await query({ ...asked, params: { plateNumber: '豫K·E1357' } })).to.deep.equal(await query(asked));
    const unknown = await query({ system: 'trafficSystem', query: 'horoscope' }).then(
      () => null,
      (e: Error) => e,
    );
    expect(unknown?.message).to.match(/404|horoscope/);
    await server.tune(
      'backend',
      (settings) => ({ ...settings, systems: { ...(settings.systems as object), archive: { url: 'http://127.0.0.1:9/ready', processKeys: ['archive-transfer'], variables: [] } } }),
      { 'system:archive': 'archive-key' },
    );
    const noAddress = await query({ system: 'archive', query: 'anything' }).then(
      () => null,
      (e: Error) => e,
    );
    expect(noAddress?.message).to.include('answers queries');
  });
});
