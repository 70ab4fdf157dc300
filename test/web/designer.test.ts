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
import path from 'node:path';
import { zhCN } from '../../designer/src/i18n/zh-CN.ts';
import { corpusDir } from '../support/corpus.ts';
import { expectClean, needsChromium, pickOption, shotsWhenFailed, startWeb, type Web, type WebSession } from '../support/browser.ts';

const KEYS = Object.keys(zhCN);
/** Drawn with the modeling API, as the issue allows: start → 部门审批 → gateway → 大额 / 小额 → end. */
const DRAW = `(() => {
  const m = window.__wfModeler;
  const modeling = m.get('modeling'), factory = m.get('elementFactory'), registry = m.get('elementRegistry'), moddle = m.get('moddle');
  const start = registry.get('start');
  const review = modeling.appendShape(start, factory.createShape({ type: 'bpmn:UserTask' }), { x: 330, y: 178 });
  modeling.updateProperties(review, { id: 'review', name: '部门审批' });
  const gateway = modeling.appendShape(review, factory.createShape({ type: 'bpmn:ExclusiveGateway' }), { x: 480, y: 178 });
  const large = modeling.appendShape(gateway, factory.createShape({ type: 'bpmn:UserTask' }), { x: 620, y: 90 });
  const small = modeling.appendShape(gateway, factory.createShape({ type: 'bpmn:UserTask' }), { x: 620, y: 270 });
  modeling.updateProperties(large, { id: 'large', name: '大额复核', 'wf:assignees': 'user:zhaoliu' });
  modeling.updateProperties(small, { id: 'small', name: '小额登记', 'wf:assignees': 'user:qianqi' });
  const end = modeling.appendShape(large, factory.createShape({ type: 'bpmn:EndEvent' }), { x: 800, y: 178 });
  modeling.connect(small, end);
  const [toLarge, toSmall] = gateway.outgoing;
  modeling.updateProperties(toLarge, { conditionExpression: moddle.create('bpmn:FormalExpression', { body: '\${amount > 5000}' }) });
  modeling.updateProperties(gateway, { default: toSmall.businessObject });
  return m.get('canvas').getRootElement().businessObject.id;
})()`;
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

    // A timer reads in words; a service task picks its handler by name.
    await s.open('/designer/bpmn/leave');
    await s.page.waitForSelector('[data-element-id="headApproval"]');
    const timer = await s.page.evaluate<string>(`window.__wfModeler.get('elementRegistry').filter((e) => e.businessObject.eventDefinitions?.[0]?.$type === 'bpmn:TimerEventDefinition')[0].id`);
    await select(s, timer);
    await s.page.locator('.bio-properties-panel-group-header', { hasText: '定时' }).first().click();
    await s.page.getByText('即：8 小时后').waitFor();

    // A flow compiled from the catalog says that its rows own it.
    const services = (await (await web.product.login('analyst')).call('GET', '/api/catalog/services')).body.items as Array<{ processKey: string; publication: unknown }>;
    await s.open(`/designer/bpmn/${services.find((x) => x.publication)!.processKey}`);
    await s.page.getByText('这个流程由服务目录生成，归目录的行管理').waitFor();
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

  it('an analyst draws a flow, picks the department head, binds a form with a read-only field and deploys; the clerk sees it so; a failing scenario blocks the next deploy', async () => {
    const s = await web.as('analyst', { viewport: WIDE });
    await s.open('/designer/bpmn/new');
    await s.page.waitForSelector('[data-element-id="start"]');
    const key = await s.page.evaluate<string>(DRAW);
    // The panel remembers which groups are open: a header is clicked only when its group is closed.
    const group = async (name: string) => {
      const header = s.page.locator('.bio-properties-panel-group-header', { hasText: name }).first();
      if (!(await header.evaluate((h) => h.classList.contains('open')))) await header.click();
    };

    // The start event and the review task get the form; the review's assignee is picked from the organisation.
    for (const id of ['start', 'review']) {
      await select(s, id);
      await group('表单与字段权限');
      await s.page.locator('select[name="wf-formRef"]').selectOption('expense-claim');
    }
    await s.page.locator('input[data-field="comment"][data-access="editable"]').check();
    await s.page.locator('input[data-field="approved"][data-access="editable"]').check();
    await group('处理人');
    await s.page.getByRole('button', { name: '从组织架构选择…' }).click();
    const dialog = s.page.getByRole('dialog', { name: '选择处理人' });
    await dialog.getByText('发起人的部门负责人').waitFor();
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    expect(await modelerXml(s)).to.match(/id="review"[^>]*wf:assignees="department-head"/);

    await s.page.getByText('没有发现问题').or(s.page.locator('.wf-problem')).first().waitFor();
    await s.page.getByRole('button', { name: /部\s*署/ }).click();
    const anyway = s.page.getByRole('button', { name: '仍然部署' });
    if (await anyway.isVisible({ timeout: 2000 }).catch(() => false)) await anyway.click();
    await s.page.getByText(`已部署 ${key} 第 1 版`).waitFor();

    const zhangsan = await web.product.login('zhangsan');
    const started = await zhangsan.call('POST', `/api/processes/${key}/start-form/submit`, { data: { title: '出差北京', items: [{ date: '2026-12-01', category: 'travel', amount: 6000 }] } });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    const taskId = started.body.activities.find((a: { kind: string }) => a.kind === 'task').taskId;
    const clerk = await web.as('lisi', { viewport: WIDE });
    await clerk.open(`/workbench/tasks/${taskId}`);
    await clerk.page.getByRole('textbox', { name: '报销事由' }).waitFor();
    expect(await clerk.page.getByRole('textbox', { name: '报销事由' }).isDisabled(), 'title read-only at the review').to.equal(true);
    expect(await clerk.page.getByRole('textbox', { name: '审批意见' }).isDisabled(), 'comment editable').to.equal(false);

    // A scenario expecting the wrong approver: run, it fails; deploying then asks for a reason.
    await s.page.getByRole('button', { name: '模拟运行' }).click();
    await s.page.getByRole('button', { name: '新增场景' }).click();
    const scenario = {
      start: { by: 'zhangsan', data: { title: '出差', items: [{ date: '2026-12-01', category: 'travel', amount: 9000 }] } },
      steps: [{ expect: 'assignee', task: 'review', user: 'wangwu' }],
    };
    await s.page.locator('.ant-segmented-item', { hasText: 'JSON' }).last().click();
    await s.page.getByRole('textbox', { name: /场景“场景 1”的内容/ }).fill(JSON.stringify(scenario));
    await s.page.getByRole('button', { name: '运行场景' }).click();
    await s.page.getByText('“review”交给了 lisi，不是 wangwu').waitFor();
    await s.page.locator('.ant-drawer-close').click();
    await s.page.getByRole('button', { name: /部\s*署/ }).click();
    if (await anyway.isVisible({ timeout: 2000 }).catch(() => false)) await anyway.click();
    await s.page.locator('.ant-modal-confirm-title', { hasText: '有场景未通过，未部署' }).waitFor();
    expect((await web.product.login('analyst').then((a) => a.call('GET', `/api/definitions/${key}/versions`))).body.versions).to.have.length(1);
    await expectClean(s, 'the BPMN view after a refused deploy', { width: WIDE.width, keys: KEYS, expected: [/422 POST \/api\/definitions$/] });
  });

  it('a service task: its operation picked by name, its inputs mapped from suggested variables and checked as typed; an SLA table in words', async () => {
    const s = await web.as('analyst', { viewport: WIDE });
    await s.open('/designer/bpmn/expense');
    await s.page.waitForSelector('[data-element-id="managerApproval"]');
    await s.page.getByText('没有发现问题').waitFor();
    await s.page.evaluate(`(() => {
      const m = window.__wfModeler, registry = m.get('elementRegistry');
      const pay = m.get('modeling').appendShape(registry.get('managerApproval'), m.get('elementFactory').createShape({ type: 'bpmn:ServiceTask' }), { x: 700, y: 420 });
      m.get('modeling').updateProperties(pay, { id: 'pay', name: '收费' });
    })()`);
    await select(s, 'pay');
    await s.page.locator('.bio-properties-panel-group-header', { hasText: '执行的操作' }).first().click();
    await s.page.locator('select[name="wf-handler-topic"]').selectOption('payment.createOrder');
    expect(await s.page.locator('select[name="wf-handler-topic"] option:checked').textContent()).to.equal('创建支付订单（payment.createOrder）');
    await s.page.locator('.wf-problem', { hasText: 'payment.createOrder 需要输入参数 amountFen, subject' }).waitFor();
    await s.page.locator('.bio-properties-panel-group-header', { hasText: '输入参数' }).first().click();
    const amount = s.page.locator('input[data-input="amountFen"]');
    expect(await s.page.locator('datalist option[value="${amount}"]').count(), 'the form fields suggested').to.equal(1);
    await amount.fill('5000');
    await s.page.getByText('直接写的内容是文本，这个输入要整数：请写成表达式，如 ${5000}').waitFor();
    await amount.fill('${title}');
    await s.page.getByText('title 是文本，这个输入要整数').waitFor();
    await amount.fill('${amount * 100}');
    await amount.press('Tab');
    await s.page.locator('input[data-input="subject"]').fill('费用报销');
    await s.page.locator('input[data-input="subject"]').press('Tab');
    expect(await modelerXml(s)).to.match(
      /<camunda:inputParameter name="amountFen">\$\{amount \* 100\}<\/camunda:inputParameter>\s*<camunda:inputParameter name="subject">费用报销<\/camunda:inputParameter>/,
    );
    await s.page.locator('.wf-problem', { hasText: 'payment.createOrder 需要输入参数' }).waitFor({ state: 'detached' });

    await select(s, 'managerApproval');
    await s.page.locator('.bio-properties-panel-group-header', { hasText: '办理时限' }).first().click();
    await s.page.locator('select[name="wf-sla"]').selectOption('incident-resolution');
    const summary = s.page.locator('[data-sla="incident-resolution"]');
    await summary.getByText('到期前 15 分钟提醒处理人').waitFor();
    expect(await summary.textContent())
      .to.contain('按 priority 取时限：P1 1 小时（7x24）')
      .and.contain('用时 50% 时转交 role:second-line')
      .and.contain('用时 100% 时通知 role:management');

    // Notices per event and channel, ticked in a matrix.
    await s.page.locator('.bio-properties-panel-group-header', { hasText: '处理人' }).first().click();
    await s.page.getByRole('checkbox', { name: '已逾期：短信' }).check();
    await s.page.getByRole('checkbox', { name: '超时升级：邮件' }).check();
    expect(await modelerXml(s)).to.match(/id="managerApproval"[^>]*wf:notify="overdue:sms; escalation:email"/);
    // The head of the department a field names when the case runs (the case's handling office).
    await s.page.getByRole('button', { name: '从组织架构选择…' }).click();
    const dialog = s.page.getByRole('dialog', { name: '选择处理人' });
    await pickOption(dialog.getByRole('combobox', { name: '规则类型' }).first(), '岗位', true);
    await dialog.getByRole('textbox', { name: '岗位', exact: true }).fill('dept-head');
    await pickOption(dialog.getByRole('combobox', { name: '岗位所在部门从哪里来' }), '由字段指定', true);
    await dialog.getByRole('textbox', { name: '岗位所在部门：由哪个字段指定' }).fill('handlingOffice');
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    expect(await modelerXml(s)).to.match(/id="managerApproval"[^>]*wf:assignees="post:dept-head@\$\{handlingOffice\}"/);
    await expectClean(s, 'the input mapping', { width: WIDE.width, keys: KEYS });
  });

  it('a scenario edited step by step: an expectation added by pickers fails with the reason, the token walks the path; removed, the scenario passes', async () => {
    const s = await web.as('analyst', { viewport: WIDE });
    await s.open('/designer/bpmn/leave');
    await s.page.waitForSelector('[data-element-id="headApproval"]');
    await s.page.getByRole('button', { name: '模拟运行' }).click();
    const drawer = s.page.getByRole('dialog', { name: '模拟运行' });
    // The saved scenario, read into steps: who it expects first, as a picker over the drawing's tasks.
    expect(await drawer.getByRole('combobox', { name: '第 1 步做什么' }).locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').textContent()).to.contain('期望：待办交给');
    await drawer.getByRole('textbox', { name: '第 1 步的用户名' }).waitFor();
    expect(await drawer.getByRole('textbox', { name: '第 1 步的用户名' }).inputValue()).to.equal('lisi');

    await pickOption(drawer.getByRole('combobox', { name: '添加一步…' }), '期望：待办交给');
    await pickOption(drawer.getByRole('combobox', { name: '第 5 步的任务' }), '人事备案 (hrRecord)');
    await drawer.getByRole('textbox', { name: '第 5 步的用户名' }).fill('wangwu');
    await drawer.getByRole('button', { name: '运行场景' }).click();
    await drawer.getByText('“hrRecord”交给了 sunqi，不是 wangwu').waitFor();
    await s.page.locator('.djs-element.wf-completed[data-element-id="headApproval"]').waitFor();
    await s.page.locator('.djs-element.wf-current[data-element-id="hrRecord"]').waitFor(); // the token's last stop: where it waits

    await drawer.getByRole('button', { name: '删除第 5 步' }).click();
    await drawer.getByRole('button', { name: '运行场景' }).click();
    await drawer.locator('.ant-tag', { hasText: '通过' }).waitFor();
    await expectClean(s, 'the scenario editor', { width: WIDE.width, keys: KEYS });
  });

  it('a Camunda Modeler file opens and keeps its camunda: attributes through a save', async () => {
    const corpus = corpusDir();
    const s = await web.as('analyst', { viewport: WIDE });
    await s.open('/designer/bpmn/new');
    await s.page.waitForSelector('[data-element-id="start"]');
    await s.page.locator('input[type="file"]').setInputFiles(path.join(corpus, 'camunda-bpm-examples__spring-boot-starter__example-twitter__src__main__resources__TwitterDemoProcess.bpmn'));
    await s.page.waitForFunction('window.__wfModeler.get("elementRegistry").getAll().length > 10');
    const xml = await modelerXml(s);
    for (const attribute of ['camunda:historyTimeToLive="P180D"', 'camunda:delegateExpression="#{tweetAdapter}"', 'camunda:assignee="demo"', 'camunda:formKey="embedded:app:forms/reviewTweet.html"'])
      expect(xml).to.include(attribute);
  });

  it('an approval tree built by clicks — a condition on the amount — deploys and routes over 5,000 to another approver', async () => {
    const s = await web.as('analyst', { viewport: WIDE });
    await s.open('/designer/tree/new');
    await s.page.getByRole('textbox', { name: '标识' }).fill('purchase_tree');
    await s.page.getByRole('textbox', { name: '名称' }).fill('采购审批');
    await s.page.getByRole('combobox', { name: '表单' }).click();
    await s.page.locator('.ant-select-item-option', { hasText: '费用报销' }).click();
    // + after the first approver → condition branches; the first branch: 合计金额 > 5000.
    await s.page.getByRole('button', { name: '在此添加节点' }).nth(1).click();
    await s.page.getByRole('menuitem', { name: '条件分支' }).click();
    await s.page.locator('.ant-drawer-close').click();
    await s.page.locator('[data-branch]').first().click();
    await s.page.getByRole('combobox', { name: '字段' }).click();
    await s.page.locator('.ant-select-item-option', { hasText: '合计金额' }).click();
    await s.page.getByRole('spinbutton', { name: '值' }).fill('5000');
    await s.page.locator('.ant-drawer-close').click();
    // In that branch, an approver named directly.
    const branch = s.page.locator('.wf-tree-branch').first();
    await branch.getByRole('button', { name: '在此添加节点' }).first().click();
    await s.page.getByRole('menuitem', { name: '审批人' }).click();
    await s.page.getByRole('textbox', { name: '节点名称' }).fill('财务总监审批');
    await s.page.getByRole('textbox', { name: '处理人规则' }).fill('user:zhaoliu');
    await s.page.locator('.ant-drawer-close').click();
    await s.page.getByText('财务总监审批').waitFor();
    const deploy = s.page.getByRole('button', { name: /部\s*署/ });
    // The server compiles the tree as it is edited: deploy opens once it has.
    for (let i = 0; i < 50 && !(await deploy.isEnabled()); i++) await s.page.waitForTimeout(200);
    await deploy.click();
    await s.page.getByText('已部署 purchase_tree 第 1 版').waitFor();
    await expectClean(s, 'the tree view', { width: WIDE.width, keys: KEYS });

    const zhangsan = await web.product.login('zhangsan');
    const lisi = await web.product.login('lisi');
    const apply = async (amount: number) => {
      const started = await zhangsan.call('POST', '/api/processes/purchase_tree/start-form/submit', { data: { title: '采购电脑', items: [{ date: '2026-12-01', category: 'travel', amount }] } });
      expect(started.status, JSON.stringify(started.body)).to.equal(201);
      const task = started.body.activities.find((a: { kind: string }) => a.kind === 'task').taskId;
      expect((await lisi.call('POST', `/api/tasks/${task}/complete`, { variables: { approved: true } })).status).to.be.oneOf([200, 204]);
      return (await zhangsan.call('GET', `/api/instances/${started.body.id}`)).body;
    };
    const large = await apply(6000);
    expect(large.activities.map((a: { name: string }) => a.name)).to.deep.equal(['财务总监审批']);
    const small = await apply(800);
    expect([small.state, small.activities]).to.deep.equal(['completed', []]);
  });

  it('versions: two compared on the diagram, and a running case moved to the newer after a dry run', async () => {
    const zhangsan = await web.product.login('zhangsan');
    const started = await zhangsan.call('POST', '/api/processes/expense/start-form/submit', { data: { title: '出差上海', items: [{ date: '2026-12-01', category: 'travel', amount: 300 }] } });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    const analyst = await web.product.login('analyst');
    const v1 = (await analyst.call('GET', '/api/definitions/expense/xml')).body as string;
    const v2 = v1.replace('name="总监审批"', 'name="财务总监审批"').replace('${amount &gt; 5000}', '${amount &gt; 5500}');
    expect((await analyst.call('POST', '/api/definitions', { xml: v2 })).status).to.equal(201);

    const s = await web.as('admin', { viewport: WIDE });
    await s.open('/designer/bpmn/expense');
    await s.page.waitForSelector('[data-element-id="managerApproval"]');
    await s.page.getByRole('button', { name: '版本' }).click();
    await s.page.getByRole('button', { name: /比\s*较/ }).click();
    await s.page.getByText('修改 2').waitFor();
    await s.page.locator('.ant-drawer .wf-diff-changed[data-element-id="directorApproval"]').waitFor();
    await s.page.getByText('部门经理审批（1 件）').waitFor();
    await s.page.getByRole('button', { name: '试迁移（不改动）' }).click();
    await s.page.getByText('试迁移通过：1 件可以迁移').waitFor();
    await s.page.getByRole('button', { name: /^迁\s*移$/ }).click();
    await s.page
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /确\s*定/ })
      .click();
    await s.page.getByText('已迁移 1 件').waitFor();
    const moved = (await zhangsan.call('GET', `/api/instances/${started.body.id}`)).body;
    expect(moved.definitionId).to.equal('expense:2');
    await expectClean(s, 'versions', { width: WIDE.width, keys: KEYS });
  });
});
