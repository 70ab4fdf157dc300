/**
 * The analyst's designer in Chromium: the BPMN view in Chinese (every label
 * the modeler and the panel show for the demo flows is in the dictionary), a
 * field made hidden by a click in the permission matrix and kept in the
 * XML with the Camunda attributes, a broken assignee rule typed into the
 * panel marked by the server's linter and blocking deploy until it is fixed;
 * the approval-tree view reading a hand-drawn flow back as a tree, and saying
 * why another cannot be one.
 */
import { expect } from 'chai';
import { zhCN } from '../../designer/src/i18n/zh-CN.ts';
import { expectClean, needsChromium, shotsWhenFailed, startWeb, type Web, type WebSession } from '../support/browser.ts';

const KEYS = Object.keys(zhCN);
const WIDE = { width: 1440, height: 900 };

// The page's modeler (BpmnPage puts it on window for tests); evaluated as text, the tests being compiled without the DOM's types.
const modelerXml = (s: WebSession) => s.page.evaluate<string>('window.__wfModeler.saveXML({ format: false }).then((r) => r.xml)');
const select = (s: WebSession, id: string) => s.page.evaluate(`(() => { const m = window.__wfModeler; m.get('selection').select(m.get('elementRegistry').get('${id}')); })()`);

describe('web: the designer', function () {
  needsChromium(this);
  this.timeout(180_000);
  let web: Web;
  before(async () => (web = await startWeb()));
  after(async () => web?.close());
  afterEach(shotsWhenFailed(() => web, 'designer'));

  it('the BPMN view: Chinese throughout, field permissions by click, the linter marking a bad rule and blocking deploy', async () => {
    const s = await web.as('analyst', { viewport: WIDE });
    await s.open('/designer/bpmn/expense');
    await s.page.waitForSelector('[data-element-id="managerApproval"]');
    await s.page.getByText('没有发现问题').waitFor();
    await select(s, 'managerApproval');
    for (const group of ['表单与字段权限', '处理人', '办理人分配', '常规']) await s.page.locator('.bio-properties-panel-group-header', { hasText: group }).first().click();
    await s.page.locator('input[data-field="comment"][data-access="hidden"]').check();
    const xml = await modelerXml(s);
    expect(xml).to.match(/id="managerApproval"[^>]*wf:hidden="comment"/);
    expect(xml, 'Camunda attributes kept').to.match(/id="managerApproval"[^>]*camunda:dueDate="P2D"/);
    const missing = await s.page.evaluate<string[]>('[...window.__wfUntranslated]');
    expect(missing, 'modeler templates without Chinese').to.deep.equal([]);

    const rule = s.page.getByRole('textbox', { name: '处理人规则' });
    await rule.fill('boss');
    await s.page.locator('.wf-problem', { hasText: '不是处理人规则' }).waitFor();
    expect(await s.page.locator('.djs-element.wf-lint-error[data-element-id="managerApproval"]').count()).to.equal(1);
    expect(await s.page.getByRole('button', { name: /部\s*署/ }).isDisabled()).to.equal(true);
    await rule.fill('department-head');
    await s.page.getByText('没有发现问题').waitFor();
    expect(await s.page.getByRole('button', { name: /部\s*署/ }).isDisabled()).to.equal(false);
    await expectClean(s, 'the BPMN view', { width: WIDE.width, keys: KEYS });
  });

  it('the tree view reads a hand-drawn flow as a tree and refuses another with the reason', async () => {
    const s = await web.as('analyst', { viewport: WIDE });
    await s.open('/designer/tree/expense');
    await s.page.locator('[data-node="managerApproval"]').waitFor();
    expect(await s.page.locator('[data-node="directorApproval"]').count()).to.equal(1);
    expect(await s.page.locator('.wf-tree-branch-card').count(), 'the amount condition and otherwise').to.equal(2);
    await s.page.getByText('以下设置审批流视图不保存').waitFor();
    await expectClean(s, 'the tree view', { width: WIDE.width, keys: KEYS });
    await s.open('/designer/tree/road-pass');
    await s.page.getByText('这个流程不能用审批流视图显示').waitFor();
    await s.page.getByRole('button', { name: '用 BPMN 视图打开' }).click();
    await s.page.waitForSelector('.djs-container');
  });
});
