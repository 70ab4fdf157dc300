/**
 * The service catalog's pages: an analyst opens 服务目录 from the menu,
 * changes a field's label of 随手拍 (04002), saves and publishes — version 2
 * appears while a case started before stays on version 1; a version deployed
 * by hand since is replaced only once confirmed; a mistake only the
 * server can see (a class code 100) is refused with its message under the
 * cell it names, nothing saved; fixed, it saves, and the row is deleted
 * again; an import with a mistake lists it by table, row and column; the
 * pages in English, and no serious axe-core violation on any of them.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { zhCN } from '../../designer/src/i18n/zh-CN.ts';
import { axeViolations, button, buttonLabel, needsChromium, shotsWhenFailed, startWeb, untranslatedKeys, type Web, type WebSession } from '../support/browser.ts';
import { PNG } from '../support/forms.ts';
import { DEMO_PASSWORD, type Session } from '../support/product.ts';

const KEYS = Object.keys(zhCN);

/** Presses a button of a confirmation once it has opened (a click during its opening animation may be lost). */
async function answer(page: Page, dialog: string, text: string) {
  const opened = page.getByRole('dialog', { name: dialog });
  await opened.waitFor();
  await page.waitForTimeout(400);
  await opened.getByRole('button', { name: buttonLabel(text) }).click();
}

/** A 随手拍 report by a citizen, through the API as the phone would send it: the photo first, then the form. */
async function report(web: Web, citizen: Session): Promise<{ id: string; definitionId: string }> {
  const form = new FormData();
  form.append('form', 'svc-04002-apply');
  form.append('field', 'materials');
  form.append('material', 'photos');
  form.append('file', new Blob([PNG], { type: 'image/png' }), 'photo.png');
  const uploaded = await fetch(`${web.base}/api/files`, { method: 'POST', headers: citizen.headers, body: form });
  expect(uploaded.status).to.equal(201);
  const photo = (await uploaded.json()) as { id: string };
  const answers: Record<string, unknown> = {
    office: 'traffic-window',
    materials: { photos: { files: [photo.id] } },
    applicantName: '刘芳',
    mobile: '13800000000',
    plateNumber: '豫K12345',
    behaviour: 'parking',
    location: '劳动路口',
    happenedOn: '2026-12-01',
    declaration: true,
  };
  // The fields the form has (an office to pick only when the service has several).
  const fields = Object.keys((await citizen.call('GET', '/api/processes/svc-04002/start-form')).body.form.schema.properties);
  const data = Object.fromEntries(Object.entries(answers).filter(([name]) => fields.includes(name)));
  const started = await citizen.call('POST', '/api/processes/svc-04002/start-form/submit', { data });
  expect(started.status, JSON.stringify(started.body)).to.equal(201);
  return started.body;
}

async function clean(session: WebSession, what: string) {
  // The pointer off the button just pressed, its colour back from hover (axe judges the colours of the moment).
  await session.page.mouse.move(0, 0);
  await session.page.waitForTimeout(300);
  expect(session.trouble.pageErrors, `${what}: uncaught errors`).to.deep.equal([]);
  expect(session.trouble.consoleErrors, `${what}: console errors`).to.deep.equal([]);
  expect(await untranslatedKeys(session.page, KEYS), `${what}: message keys shown as they are`).to.deep.equal([]);
  const serious = (await axeViolations(session.page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${what}: axe-core`).to.deep.equal([]);
}

describe('web: the service catalog', function () {
  needsChromium(this);
  this.timeout(180_000);
  let web: Web;

  before(async () => {
    web = await startWeb();
  });
  after(async () => web?.close());
  afterEach(shotsWhenFailed(() => web, 'catalog'));

  it('an analyst changes a field label of 随手拍, saves and publishes: version 2, while a case started before stays on version 1', async () => {
    const citizen = await web.product.loginCitizen('13800000000'); // the demo citizen: identified at level 1, as 随手拍 needs
    const before = await report(web, citizen);
    expect(before.definitionId).to.equal('svc-04002:1');

    const analyst = await web.as('analyst');
    const { page } = analyst;
    await analyst.open('/admin');
    await page.waitForURL('**/admin/definitions'); // an analyst still starts at the definitions
    await page.getByRole('menuitem', { name: '服务目录' }).click();
    await page.waitForURL('**/admin/catalog');
    await page.getByRole('link', { name: '随手拍' }).click();
    await page.waitForURL('**/admin/catalog/services/04002');
    await page.getByRole('heading', { name: '随手拍（04002）' }).waitFor();
    await clean(analyst, 'the service page');

    await page.getByRole('menuitem', { name: /属性/ }).click();
    const location = page.locator('tr', { has: page.locator('input[value="location"]') });
    const labelCell = location.getByLabel(/「显示名称」/);
    expect(await labelCell.inputValue()).to.equal('地点');
    // What a cell alone can say shows as it is typed, and keeps the save from being sent.
    await labelCell.fill('');
    expect(await location.locator('.wf-cell-error').innerText()).to.equal('必填');
    await button(page, '保存').click();
    await page.getByText('还有 1 处需要修改，改好后才能保存').waitFor();
    await labelCell.fill('违法地点');
    expect(await location.locator('.wf-cell-error').count()).to.equal(0);
    await page.getByText('有 1 行修改尚未保存').waitFor();
    await clean(analyst, 'the fields tab, changed');
    await button(page, '保存').click();
    await page.getByText('已保存：修改 1 行，目录修订号 2').waitFor();

    const api = await web.product.login('analyst');
    const { body: catalog } = await api.call('GET', '/api/catalog');
    expect(catalog.tables.fields.find((f: { service: string; key: string }) => f.service === '04002' && f.key === 'location').label).to.equal('违法地点');

    // The preview follows the saved rows: the application form shows the new label.
    await page.getByRole('menuitem', { name: '预览' }).click();
    await page.locator('.wf-diagram svg').first().waitFor();
    await page.getByText('违法地点').first().waitFor();
    await clean(analyst, 'the preview');

    await button(page, '发布').click();
    await answer(page, '发布“随手拍”？', '发布');
    await page.getByText('已发布为第 2 版').waitFor();
    expect(await page.getByRole('dialog', { name: '发布“随手拍”', exact: true }).innerText()).to.match(/svc-04002-apply\s+第 2 版\s+新版本/);
    await analyst.screenshot('catalog-published');
    await page
      .locator('.ant-modal-footer')
      .getByRole('button', { name: buttonLabel('关闭') })
      .click();

    const versions = (await api.call('GET', '/api/definitions/svc-04002/versions')).body.versions.map((v: { version: number }) => v.version);
    expect(versions).to.have.members([1, 2]);
    const running = await api.call('GET', `/api/instances/${before.id}`);
    expect(running.body.definitionId, 'the case started before stays on its version').to.equal('svc-04002:1');
    const after = await report(web, citizen);
    expect(after.definitionId, 'a new case takes the new version').to.equal('svc-04002:2');

    // The list says so, and the change log has who changed what.
    await page.getByRole('menuitem', { name: '修改记录' }).click();
    const change = page.locator('tr', { hasText: '04002/location' }).first(); // newest first
    await change.getByText('钱多多').waitFor();
    expect(await change.innerText()).to.match(/属性[\s\S]*违法地点/);
    await analyst.open('/admin/catalog');
    expect(await page.locator('tr[data-row-key="04002"]').innerText()).to.match(/第 2 版[\s\S]*钱多多/);
    expect(analyst.trouble.failed).to.deep.equal([]);
    await analyst.context.close();
  });

  it('a version deployed by hand since is replaced only when the analyst confirms it', async () => {
    const api = await web.product.login('analyst');
    const latest = (await api.call('GET', '/api/definitions/svc-04002/versions')).body.versions.length as number;
    const xml = (await api.call('GET', '/api/definitions/svc-04002/xml')).body as string;
    const deployed = await api.call('POST', '/api/definitions', { xml: xml.replace('name="审核线索"', 'name="审核线索（手工修改）"') });
    expect(deployed.status, JSON.stringify(deployed.body)).to.equal(201);

    const analyst = await web.as('analyst');
    const { page } = analyst;
    await analyst.open('/admin/catalog');
    expect(await page.locator('tr[data-row-key="04002"]').innerText()).to.include('手工修改');
    await analyst.open('/admin/catalog/services/04002');
    await page.getByText(`流程已被手工修改并发布为第 ${latest + 1} 版`).waitFor();
    await button(page, '发布').click();
    await answer(page, '发布“随手拍”？', '发布');
    await page
      .getByRole('dialog', { name: '替换手工修改的流程？' })
      .getByText(`替换手工修改的第 ${latest + 1} 版`)
      .waitFor();
    await clean(analyst, 'the confirmation');
    await answer(page, '替换手工修改的流程？', '替换并发布');
    await page.getByText(`已发布为第 ${latest + 2} 版`).waitFor();
    expect(analyst.trouble.failed, 'the refusal that asked for the confirmation').to.deep.equal(['409 POST /api/catalog/services/04002/publish']);
    expect((await api.call('GET', '/api/catalog/services')).body.items.find((s: { service: string }) => s.service === '04002').handEditedVersion).to.equal(null);
    await analyst.context.close();
  });

  it('a class code 100 is refused with the server’s message naming the row and column, nothing saved; fixed, it saves; the new row deleted again', async () => {
    const analyst = await web.as('analyst');
    const { page } = analyst;
    await analyst.open('/admin/catalog/tables/classes');
    await button(page, '添加一行').click();
    await page.getByLabel('第 6 行「业务类编号」').fill('100');
    await page.getByLabel('第 6 行「业务类名称」').fill('网安业务');
    await button(page, '保存').click();
    const message = '业务类 第 1 行（100）「业务类编号」：应为 01–99 的两位数字';
    await page.locator('.wf-cell-error', { hasText: message }).waitFor();
    await page.getByText('保存未成功：有 1 处错误，没有修改任何数据').waitFor();
    expect(await page.locator('.ant-alert-error').first().innerText()).to.include(message);
    expect(analyst.trouble.failed).to.deep.equal(['422 POST /api/catalog/changes']);
    analyst.trouble.failed = [];
    await clean(analyst, 'the refused save');
    const api = await web.product.login('analyst');
    const codes = async () => (await api.call('GET', '/api/catalog')).body.tables.classes.map((c: { code: string }) => c.code);
    expect(await codes(), 'nothing saved').to.deep.equal(['01', '02', '03', '04', '05']);

    await page.getByLabel('第 6 行「业务类编号」').fill('06');
    expect(await page.locator('.wf-cell-error').count(), 'the problem goes with the change').to.equal(0);
    await button(page, '保存').click();
    await page
      .getByText(/已保存：修改 1 行/)
      .last()
      .waitFor();
    expect(await codes()).to.deep.equal(['01', '02', '03', '04', '05', '06']);

    await page.getByRole('button', { name: '删除第 6 行' }).click();
    await page.getByText('将删除').waitFor();
    await button(page, '保存').click();
    await page
      .getByText(/已保存：修改 1 行/)
      .last()
      .waitFor();
    expect(await codes()).to.deep.equal(['01', '02', '03', '04', '05']);
    expect(analyst.trouble.failed).to.deep.equal([]);
    await analyst.context.close();
  });

  it('an import with a mistake lists it by table, row and column; the export downloads; the pages in English', async () => {
    const analyst = await web.as('analyst');
    const { page } = analyst;
    await analyst.open('/admin/catalog');
    const exported = await page.request.get(`${web.base}/api/catalog/export?format=json`);
    expect(exported.status()).to.equal(200);
    expect(((await exported.json()) as { tables: { services: Array<{ number: string }> } }).tables.services.map((s) => s.number)).to.include('04002');

    await button(page, '导入').click();
    const file = JSON.stringify({ tables: { smsTemplates: [{ code: 'late', name: '逾期提醒' }] } });
    await page.locator('input[type=file]').setInputFiles({ name: 'catalog.json', mimeType: 'application/json', buffer: Buffer.from(file, 'utf8') });
    await page.getByText('catalog.json 有 1 处错误，未导入任何数据').waitFor();
    expect(await page.getByRole('dialog').locator('.ant-table').innerText()).to.match(/短信内容配置\s+late\s+短信内容（中间部分）\s+短信内容配置 第 1 行（late）「短信内容（中间部分）」：必填/);
    await clean(analyst, 'the refused import');
    analyst.trouble.failed = [];
    await page
      .locator('.ant-modal-footer')
      .getByRole('button', { name: buttonLabel('关闭') })
      .click();

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Service catalog' }).waitFor();
    await clean(analyst, 'the list in English');
    await page.getByRole('link', { name: '随手拍' }).click();
    await page.getByRole('menuitem', { name: /Flow nodes/ }).click();
    await page.getByRole('columnheader', { name: 'Node name' }).waitFor();
    await clean(analyst, 'the flow nodes in English');
    await page.getByRole('button', { name: '中文' }).click();
    await analyst.context.close();
  });

  it('three views of one service: its rows, then the flow they compile to in the BPMN view (a node renamed in the rows shows there) and in the tree view (which says why it is not a tree)', async () => {
    const api = await web.product.login('analyst');
    const snapshot = (await api.call('GET', '/api/catalog')).body;
    const node = (snapshot.tables.nodes as Array<Record<string, unknown>>).find((n) => n.service === '02018' && n.name === '身份核验')!;
    const renamed = await api.call('POST', '/api/catalog/changes', { put: { nodes: [{ ...node, name: '身份核验（改名）' }] } });
    expect(renamed.status, JSON.stringify(renamed.body)).to.equal(200);

    const analyst = await web.as('analyst');
    const { page } = analyst;
    await analyst.open('/admin/catalog/services/02018');
    await page.getByRole('button', { name: buttonLabel('BPMN 视图') }).click();
    await page.waitForSelector('.djs-container');
    await page.getByText('这个流程由服务目录生成，归目录的行管理').waitFor();
    await page.locator('.djs-element', { hasText: '身份核验（改名）' }).first().waitFor();
    await page.goBack();
    await page.getByRole('button', { name: buttonLabel('审批流视图') }).click();
    await page.getByText('这个流程不能用审批流视图显示').waitFor();
    await clean(analyst, 'the tree view of a catalog service');
  });

  it('typed rows stay unless the analyst agrees to leave them; a field’s dictionary is picked from the stored ones; a reader sees the rows and changes nothing', async () => {
    const analyst = await web.as('analyst');
    const { page } = analyst;
    await analyst.open('/admin/catalog/services/04009');
    await page.getByRole('heading', { name: '禁行道路通行证核发（04009）' }).waitFor();
    await page.getByRole('menuitem', { name: /属性/ }).click();
    const colour = page.locator('tr', { has: page.locator('input[value="plateColour"]') });
    await colour.getByLabel(/「字典」/).click();
    await page.getByRole('option', { name: /号牌颜色/ }).waitFor();
    await page.keyboard.press('Escape');

    const labelCell = colour.getByLabel(/「显示名称」/);
    await labelCell.fill('号牌颜色（改）');
    await page.getByRole('menuitem', { name: '服务目录' }).click();
    await answer(page, '离开此页？', '留在此页');
    expect(new URL(page.url()).pathname).to.equal('/admin/catalog/services/04009');
    expect(await labelCell.inputValue(), 'the typed row stays').to.equal('号牌颜色（改）');
    await clean(analyst, 'the question before leaving');
    await page.getByRole('link', { name: '服务目录' }).first().click(); // the breadcrumb: an in-app link
    await answer(page, '离开此页？', '离开，不保存');
    await page.waitForURL((u) => u.pathname === '/admin/catalog');
    await analyst.context.close();

    const admin = await web.product.login('admin');
    expect((await admin.call('PUT', '/api/org/roles/catalog-reader', { name: { 'zh-CN': '服务目录查阅', en: 'Catalog reader' }, permissions: ['catalog:read'], dataScope: 'own' })).status).to.equal(
      200,
    );
    expect(
      (await admin.call('PUT', '/api/org/users/reader', { name: '查阅员', password: DEMO_PASSWORD, posts: [{ departmentId: 'office', post: 'staff' }], roles: ['catalog-reader'] })).status,
    ).to.equal(200);
    const reader = await web.as('reader');
    await reader.open('/admin/catalog/services/04009');
    await reader.page.getByRole('heading', { name: '禁行道路通行证核发（04009）' }).waitFor();
    await reader.page.getByRole('menuitem', { name: /属性/ }).click();
    const row = reader.page.locator('tr', { hasText: 'plateColour' });
    expect(await row.innerText()).to.contain('号牌颜色');
    expect(await reader.page.locator('.ant-table input, .ant-table .ant-select').count(), 'the cells are text, not inputs').to.equal(0);
    expect(await button(reader.page, '保存').count(), 'nothing to save').to.equal(0);
    expect(await button(reader.page, '发布').count(), 'nothing to publish').to.equal(0);
    expect(await reader.page.getByRole('button', { name: /新增/ }).count(), 'no rows to add').to.equal(0);
    await clean(reader, 'the service page, read-only');
    await reader.context.close();
  });
});
