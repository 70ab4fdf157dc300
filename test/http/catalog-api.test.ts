import { expect } from 'chai';
import type express from 'express';
import readXlsxFile from 'read-excel-file/node';
import writeXlsxFile from 'write-excel-file/node';
import request from 'supertest';
import { silentLogger } from '../../engine/core/ports.ts';
import { createApp } from '../../engine/http/app.ts';
import { frontOf } from '../../engine/wiring.ts';
import { shippedCatalog } from '../../engine/catalog-content.ts';
import { connectorServer } from '../support/connectors.ts';
import { count } from '../support/databases.ts';
import { deployDemoForms } from '../support/forms.ts';
import { describeOnBothStores } from '../support/harness.ts';
import { seedDemoOrg } from '../support/org.ts';
import { trustedHeader } from '../support/trusted-header.ts';

const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describeOnBothStores('HTTP API: the service catalog', (ctx) => {
  let app: express.Express;
  beforeEach(async () => {
    const { wf, store } = ctx();
    app = createApp({ ...frontOf(wf), logger: silentLogger, authenticate: trustedHeader, ready: () => store.ping() });
  });
  const as = (method: 'post' | 'get', path: string, language = 'zh-CN') => request(app)[method](path).set('X-User-Id', 'qianduo').set('Accept-Language', language);
  const importFile = (bytes: Buffer, name: string, language = 'zh-CN') => as('post', '/api/catalog/import', language).attach('file', bytes, name);

  it('imports the catalog as JSON, exports a service as XLSX that imports back unchanged, and logs who changed what', async () => {
    const imported = await importFile(Buffer.from(JSON.stringify({ tables: await shippedCatalog() })), 'catalog.json');
    expect(imported.status, JSON.stringify(imported.body)).to.equal(200);
    expect(imported.body).to.include({ revision: 1 });
    const xlsx = await as('get', '/api/catalog/export?service=04009&format=xlsx').buffer(true).parse(binary).expect(200);
    expect(xlsx.headers['content-disposition']).to.include('catalog-04009.xlsx');
    const sheets = await readXlsxFile(xlsx.body as Buffer);
    expect(sheets.map((s) => s.sheet)).to.include.members(['业务类', '业务', '属性', '流程配置', '判断规则', '操作配置']);
    const nodes = sheets.find((s) => s.sheet === '流程配置')!.data;
    expect(nodes[0]!.slice(0, 4)).to.deep.equal(['业务编号', '顺序号', '节点名称', '节点类型']);
    const again = await importFile(xlsx.body as Buffer, 'catalog-04009.xlsx');
    expect(again.body, 'the round trip loses nothing').to.deep.equal({ revision: 1, changed: 0 });

    const json = await as('get', '/api/catalog/export?service=02017').expect(200);
    expect(json.body.tables.services.map((s: { number: string }) => s.number)).to.deep.equal(['02017']);
    expect(json.body.tables.classes.map((c: { code: string }) => c.code)).to.deep.equal(['02']);
    const changes = await as('get', '/api/catalog/changes?table=services&key=02017').expect(200);
    expect(changes.body.items[0]).to.include({ action: 'put', by: 'qianduo', revision: 1 });
  });

  it('refuses a sheet with a mistake with 422 naming sheet row and column in the caller’s language, and changes nothing', async () => {
    await importFile(Buffer.from(JSON.stringify(await shippedCatalog())), 'catalog.json').expect(200);
    const sheet = [
      ['业务类编号', '业务类名称', '启用状态'],
      ['07', '消防业务', '启用'],
      ['100', '网安业务', '启用'],
    ].map((row) => row.map((value) => ({ value, type: String })));
    const bytes = await writeXlsxFile([{ sheet: '业务类', data: sheet }]).toBuffer();
    const zh = await importFile(bytes, 'classes.xlsx');
    expect(zh.status).to.equal(422);
    expect(zh.body.error.code).to.equal('WF_ERR_CATALOG_INVALID');
    expect(zh.body.error.message).to.equal('服务目录有 1 处错误，未作任何修改：业务类 第 2 行（100）「业务类编号」：应为 01–99 的两位数字');
    const en = await importFile(bytes, 'classes.xlsx', 'en');
    expect(en.body.error.details.problems[0]).to.include({ table: 'classes', key: '100', column: 'code' });
    expect(en.body.error.message).to.equal('The catalog has 1 error(s); nothing was changed: Business classes row 2 (100), Class code: must be two digits, 01–99');
    expect((await as('get', '/api/catalog').expect(200)).body.revision).to.equal(1);

    const cell = await as('post', '/api/catalog/changes').send({ put: { services: [{ number: '09001', name: '测试', class: '04', type: '9' }] } });
    expect(cell.status).to.equal(422);
    expect(cell.body.error.details.problems.map((p: { row: number; column: string }) => [p.row, p.column])).to.deep.equal([[1, 'type']]);
    const table = await as('post', '/api/catalog/changes').send({ put: { nonsense: [] } });
    expect(table.status).to.equal(400);
    expect((await as('post', '/api/catalog/import').attach('file', Buffer.from('{"a": 1'), 'x.json')).body.error.code).to.equal('WF_ERR_VALIDATION');
    expect(await count(ctx().db, 'wf_catalog_changes')).to.be.greaterThan(0);
  });

  it('shows what a service compiles to, publishes it once, and deletes rows by key', async () => {
    const c = ctx();
    const server = await connectorServer(c); // publishing needs the SMS connector's operations
    after(() => server.close());
    await seedDemoOrg(c.org);
    await deployDemoForms(c.wf);
    await importFile(Buffer.from(JSON.stringify(await shippedCatalog())), 'catalog.json').expect(200);
    const compiled = await as('get', '/api/catalog/services/04002/compiled').expect(200);
    expect(compiled.body.processKey).to.equal('svc-04002');
    expect(compiled.body.bpmn).to.include('<bpmndi:BPMNDiagram');
    expect(compiled.body.forms.map((f: { key: string }) => f.key)).to.deep.equal(['svc-04002-apply', 'svc-04002-review']);
    const first = await as('post', '/api/catalog/services/04002/publish').send({});
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.body).to.include({ definitionId: 'svc-04002:1', created: true });
    expect((await as('post', '/api/catalog/services/04002/publish').send({})).body).to.include({ created: false });
    const statuses = (await as('get', '/api/catalog/services').expect(200)).body.items;
    expect(statuses.find((s: { service: string }) => s.service === '04002').publication).to.include({ definitionId: 'svc-04002:1', publishedBy: 'qianduo' });

    const removed = await as('post', '/api/catalog/changes').send({ delete: { reviewChecks: ['04002/c-photos'] } });
    expect(removed.body).to.include({ changed: 1 });
    const missing = await as('post', '/api/catalog/changes').send({ delete: { reviewChecks: ['04002/c-photos'] } });
    expect(missing.body.error).to.include({ code: 'WF_ERR_CATALOG_ROW_NOT_FOUND' });
    const dangling = await as('post', '/api/catalog/changes').send({ delete: { classes: ['04'] } });
    expect(dangling.status, 'a class still used by services').to.equal(422);
    expect((await as('get', '/api/catalog/services/99999/compiled')).status).to.equal(404);
  });

  it('finds a service’s handling offices by region and by part of the name or its pinyin initials', async () => {
    await importFile(Buffer.from(JSON.stringify(await shippedCatalog())), 'catalog.json').expect(200);
    const find = async (query: string) => ((await as('get', `/api/catalog/offices?${query}`).expect(200)).body.items as Array<{ code: string }>).map((o) => o.code);
    expect(await find('service=02017')).to.deep.equal(['xc-weidu-station', 'xc-jianan-station']);
    expect(await find('service=02017&region=411003')).to.deep.equal(['xc-jianan-station']);
    expect(await find('service=02017&q=西大街')).to.deep.equal(['xc-weidu-station']);
    expect(await find('q=cgpc')).to.deep.equal(['xc-jianan-station']); // 城关派出所
    expect(await find('region=4110')).to.have.length(7);
    expect((await as('get', '/api/catalog/offices?region=abc')).status).to.equal(400);
  });

  it('shows the service hall to anyone: open, published services by class with their guide, fees and steps; a closed one is gone', async () => {
    const c = ctx();
    const server = await connectorServer(c);
    after(() => server.close());
    await seedDemoOrg(c.org);
    await deployDemoForms(c.wf);
    await importFile(Buffer.from(JSON.stringify(await shippedCatalog())), 'catalog.json').expect(200);
    const anonymous = (path: string, language = 'zh-CN') => request(app).get(path).set('Accept-Language', language);
    expect((await anonymous('/api/hall').expect(200)).body.classes, 'nothing published yet').to.deep.equal([]);
    for (const number of ['04009', '04002', '02017']) await as('post', `/api/catalog/services/${number}/publish`).send({}).expect(200);

    const hall = (await anonymous('/api/hall').expect(200)).body.classes as Array<{ code: string; name: string; logo: string; services: Array<Record<string, unknown>> }>;
    expect(hall.map((cls) => [cls.code, cls.name, cls.services.map((s) => s.number)])).to.deep.equal([
      ['02', '治安业务', ['02017']],
      ['04', '交警业务', ['04002', '04009']],
    ]);
    expect(hall[1]!.logo).to.match(/^\/catalog\/images\/.+\.svg$/);
    expect(hall[1]!.services[1]).to.deep.include({ name: '禁行道路通行证核发', processKey: 'svc-04009', type: '1', fee: 15, timeLimitDays: 5, identityLevel: 1, pinyin: 'JXDLTXZHF' });

    const page = (await anonymous('/api/hall/services/04009').expect(200)).body;
    expect(page).to.deep.include({ className: '交警业务', courierFee: 22, returnsMaterials: true });
    expect(page.guide.slice(0, 2)).to.deep.equal([
      { item: 'basis', title: { 'zh-CN': '办事依据', en: 'Legal basis' }, content: '《中华人民共和国道路交通安全法》第三十九条' },
      { item: 'authority', title: { 'zh-CN': '决定机构', en: 'Deciding authority' }, content: '许昌市公安局交通警察支队' },
    ]);
    expect(page.steps, 'the main path by state, corrections and refusals aside').to.deep.equal(['待初审', '待缴费', '待寄送原件', '待收件', '办理中', '已寄出', '待确认收件', '待评价', '已办结']);
    expect(page.offices.map((o: { code: string }) => o.code)).to.include('traffic-window');
    expect(page, 'nothing of the flow’s insides').to.not.have.any.keys('nodes', 'operations', 'reviewChecks');

    await as('post', '/api/catalog/changes')
      .send({ put: { services: [{ ...(await shippedCatalog()).services!.find((s) => s.number === '02017'), status: '0' }] } })
      .expect(200);
    expect(
      (await anonymous('/api/hall').expect(200)).body.classes.map((cls: { code: string }) => cls.code),
      'a closed service, and its class with nothing left',
    ).to.deep.equal(['04']);
    const closed = await anonymous('/api/hall/services/02017', 'en').expect(404);
    expect(closed.body.error).to.deep.include({ code: 'WF_ERR_SERVICE_NOT_FOUND', message: 'The service hall has no service 02017 (not open, or closed)' });
    expect((await anonymous('/api/hall/services/..%2Fx')).status).to.equal(400);
  });
});
