/**
 * The form designer in Chromium: fields dragged from the palette (and one
 * added by a click), one made to show and be required only under a condition
 * on another, the live preview rendering it and validating in Chinese with
 * the server's own words, a deploy, and the deployed form opening back
 * unchanged; a shipped form opened and deployed without an edit keeps its version.
 */
import { expect } from 'chai';
import { zhCN } from '../../designer/src/i18n/zh-CN.ts';
import { expectClean, needsChromium, PHONE, pickOption, shotsWhenFailed, startWeb, type Web } from '../support/browser.ts';

const KEYS = Object.keys(zhCN);
const WIDE = { width: 1440, height: 900 };

describe('web: the form designer', function () {
  needsChromium(this);
  this.timeout(180_000);
  let web: Web;
  before(async () => (web = await startWeb()));
  after(async () => web?.close());
  afterEach(shotsWhenFailed(() => web, 'form-designer'));

  it('builds a form with a conditional field; the preview shows it only when the condition holds and validates it in Chinese; it deploys', async () => {
    const s = await web.as('analyst', { viewport: WIDE });
    await s.open('/designer/forms/new');
    const { page } = s;
    const palette = (name: string) => page.locator('.wf-form-palette-item', { hasText: name });
    const panel = page.getByRole('complementary', { name: '字段属性' });

    await page.getByRole('textbox', { name: '表单标识' }).fill('trip-request');
    await page.getByRole('textbox', { name: '表单名称 · 中文' }).fill('出差申请');
    await page.getByRole('textbox', { name: '表单名称 · English' }).fill('Trip request');

    // Dragged in: a single choice, then an ID number below it.
    await palette('单选').dragTo(page.locator('.wf-form-drop').first());
    await page.locator('[data-field="radio1"]').waitFor();
    await panel.getByRole('textbox', { name: '标题 · 中文' }).fill('是否出差');
    await panel.getByRole('tab', { name: '设置' }).click();
    await panel.getByRole('textbox', { name: '第 1 项的中文' }).fill('出差');
    await panel.getByRole('textbox', { name: '第 2 项的中文' }).fill('不出差');
    await palette('身份证号').dragTo(page.locator('.wf-form-drop').first());
    await page.locator('[data-field="idNumber1"]').waitFor();

    // Clicked: lands after the selected field; shown and required only when 是否出差 is 出差.
    await page.locator('[data-field="radio1"]').click();
    await palette('单行文本').click();
    await page.locator('[data-field="text1"]').waitFor();
    expect(await page.locator('.wf-form-field').evaluateAll((els) => els.map((e) => e.getAttribute('data-field')))).to.deep.equal(['radio1', 'text1', 'idNumber1']);
    await panel.getByRole('textbox', { name: '标题 · 中文' }).fill('目的地');
    await panel.getByRole('textbox', { name: '标题 · English' }).fill('Destination');
    await panel.getByRole('tab', { name: '校验' }).click();
    await panel.getByRole('radio', { name: '满足条件时必填' }).check();
    await pickOption(panel.getByRole('combobox', { name: '条件', exact: true }), '等于', true);
    await pickOption(panel.getByRole('combobox', { name: '条件值' }), '出差', true);
    await panel.getByRole('tab', { name: '显示' }).click();
    await panel.getByRole('radio', { name: '满足条件时显示' }).check();
    await pickOption(panel.getByRole('combobox', { name: '条件', exact: true }), '等于', true);
    await pickOption(panel.getByRole('combobox', { name: '条件值' }), '出差', true);
    const field = page.locator('[data-field="text1"]');
    await field.getByText('条件必填').waitFor();
    await field.getByText('条件显示').waitFor();
    expect(await page.locator('.wf-designer-alert').count(), 'no lint problems').to.equal(0);

    // The TypeScript type follows.
    await page.getByRole('tab', { name: 'TypeScript' }).click();
    await page.getByText('export interface TripRequest {').waitFor();
    expect(await page.locator('.wf-form-code').textContent()).to.contain('radio1?: "a" | "b";');

    // The preview: hidden until 出差 is picked; then required, in the server's words.
    await page.getByRole('tab', { name: '预览' }).click();
    const preview = page.locator('.wf-form-preview');
    await preview.getByText('是否出差').waitFor();
    expect(await preview.getByRole('textbox', { name: '目的地' }).count()).to.equal(0);
    await preview.getByRole('textbox', { name: '身份证号' }).fill('110101199003071234');
    await preview.getByRole('radio', { name: '出差', exact: true }).check();
    await preview.getByRole('textbox', { name: '目的地' }).waitFor();
    await preview.getByRole('button', { name: /校\s*验/ }).click();
    await preview.getByText('目的地：必填').waitFor();
    await preview.getByText(/身份证号：.*校验位/).waitFor();
    await preview.getByRole('textbox', { name: '目的地' }).fill('北京');
    await preview.getByRole('textbox', { name: '身份证号' }).fill('110101199003071233');
    await preview.getByText('目的地：必填').waitFor({ state: 'detached' });
    await preview.getByRole('radio', { name: '不出差' }).check();
    await preview.getByText('校验通过，可以提交').waitFor();
    await expectClean(s, 'the form designer', { width: WIDE.width, keys: KEYS });

    // Deployed; the server holds exactly what the designer shows, and it opens back so.
    await page.getByRole('button', { name: /部\s*署/ }).click();
    await page.getByText('已部署为第 1 版').waitFor();
    const analyst = await web.product.login('analyst');
    const stored = (await analyst.call('GET', '/api/forms/trip-request')).body.definition;
    expect(stored.schema.properties.text1.title).to.equal('目的地');
    expect(stored.ui.fields.text1.visibleWhen).to.deep.equal({ field: 'radio1', equals: 'a' });
    expect(stored.schema.allOf).to.deep.equal([{ if: { properties: { radio1: { const: 'a' } }, required: ['radio1'] }, then: { required: ['text1'] } }]);
    await s.open('/designer/forms/trip-request');
    await page.locator('[data-field="text1"]').waitFor();
    expect(await page.getByText('有未部署的修改').count()).to.equal(0);
    await page.getByRole('button', { name: /部\s*署/ }).click();
    await page.getByText('内容与最新版本相同，仍是第 1 版').waitFor();
  });

  it('opens a shipped form, keeps it whole through a move and back, and a field edit makes a new version', async () => {
    const s = await web.as('analyst', { viewport: WIDE });
    await s.open('/designer/forms/leave-request');
    const { page } = s;
    await page.locator('[data-field="reason"]').waitFor();
    expect(await page.locator('.wf-designer-alert').count(), 'the shipped form lints clean').to.equal(0);
    await page.locator('[data-field="reason"]').click();
    await page.getByRole('button', { name: '下移', exact: true }).click();
    await page.getByRole('button', { name: '上移', exact: true }).click();
    await page.getByRole('button', { name: /部\s*署/ }).click();
    await page.getByText('内容与最新版本相同，仍是第 1 版').waitFor();
    const panel = page.getByRole('complementary', { name: '字段属性' });
    await panel.getByRole('textbox', { name: '填写说明 · 中文' }).fill('请写明去向');
    await page.getByRole('button', { name: /部\s*署/ }).click();
    await page.getByText('已部署为第 2 版').waitFor();
    const stored = (await (await web.product.login('analyst')).call('GET', '/api/forms/leave-request')).body.definition;
    expect(stored.ui.fields.reason.help['zh-CN']).to.equal('请写明去向');
    expect(stored.schema.properties.days['x-computed'], 'the computation kept').to.deep.equal({ fn: 'daysBetween', args: ['startDate', 'endDate'], inclusive: true });

    // On a phone the settings open in a drawer over the canvas.
    const phone = await web.as('analyst', { viewport: PHONE });
    await phone.open('/designer/forms/leave-request');
    await phone.page.locator('[data-field="reason"]').click();
    await phone.page.getByRole('dialog').getByRole('textbox', { name: '填写说明 · 中文' }).waitFor();
    await expectClean(phone, 'the form designer on a phone', { width: PHONE.width, keys: KEYS });
  });
});
