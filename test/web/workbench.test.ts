/**
 * The clerk's workbench through its pages only, signed in as each person in
 * turn: a leave request from 张三 through 李四 and the deputy director to HR;
 * a return to an earlier node; transfer, and delegate and back; batch
 * approval with one task failing; the case page's diagram with the current
 * node marked.
 */
import { expect } from 'chai';
import { button, buttonLabel, needsChromium, shotsWhenFailed, startWeb, type Web, type WebSession } from '../support/browser.ts';

describe('web: the workbench', function () {
  needsChromium(this);
  this.timeout(120_000);
  let web: Web;

  before(async () => {
    web = await startWeb();
  });
  after(async () => web?.close());
  afterEach(shotsWhenFailed(() => web, 'workbench'));

  /** A leave request started by 张三 (through the API: the start form page has its own test). */
  async function leave(days = 2, reason = '回家探亲'): Promise<{ caseId: string; taskId: string }> {
    const zhangsan = await web.product.login('zhangsan');
    const end = new Date(Date.UTC(2027, 0, 4 + days - 1)).toISOString().slice(0, 10);
    const data = { leaveType: 'annual', startDate: '2027-01-04', endDate: end, reason, ...(days > 3 && { handover: 'wangwu' }) };
    const started = await zhangsan.call('POST', '/api/processes/leave/start-form/submit', { data });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    return { caseId: started.body.id, taskId: started.body.activities.find((a: { kind: string }) => a.kind === 'task').taskId };
  }

  /** From the 待办 list (mine or claimable) to the task of this case, claimed if it had to be. */
  async function openTask(s: WebSession, taskId: string, claimable = false): Promise<void> {
    await s.open('/workbench/todo');
    if (claimable) {
      await s.page.getByText(/可认领/).click();
      await s.page
        .locator(`tr[data-row-key="${taskId}"]`)
        .getByRole('button', { name: buttonLabel('认领') })
        .click();
    } else {
      await s.page.locator(`tr[data-row-key="${taskId}"] a`).first().click();
    }
    await s.page.waitForURL(`**/workbench/tasks/${taskId}`);
    await s.page.waitForLoadState('networkidle');
  }

  async function approve(s: WebSession, comment?: string): Promise<void> {
    if (comment) await s.page.getByLabel('审批意见').first().fill(comment);
    await button(s.page, '同意').click();
    await s.page.waitForURL('**/workbench/todo');
  }

  async function pickUser(s: WebSession, name: string): Promise<void> {
    const search = s.page.getByRole('dialog').getByRole('combobox').first();
    await search.click();
    await search.pressSequentially(name, { delay: 30 });
    await s.page.locator('.ant-select-item-option', { hasText: name }).first().click();
  }

  async function taskState(taskId: string) {
    const admin = await web.product.login('admin');
    return (await admin.call('GET', `/api/tasks/${taskId}`)).body;
  }

  /** Pick a date in an antd date field by typing it (desktop), as a clerk would. */
  async function date(s: WebSession, id: string, value: string) {
    const input = s.page.locator(`#${id}`);
    await input.click();
    await input.fill(value);
    await input.press('Enter');
  }

  it('the start form: three mistakes show the server’s three Chinese messages by their fields, then it is accepted', async () => {
    const zhangsan = await web.as('zhangsan');
    await zhangsan.open('/workbench/start/leave');
    await zhangsan.page.getByText('年休假', { exact: true }).click();
    await date(zhangsan, 'wf-leave-request-startDate', '2027-02-10');
    await date(zhangsan, 'wf-leave-request-endDate', '2027-02-08');
    await zhangsan.page.fill('#wf-leave-request-reason', '回');
    await zhangsan.page.fill('#wf-leave-request-mobile', '1380013');
    await button(zhangsan.page, '提交申请').click();
    const errors = zhangsan.page.locator('.ant-form-item-explain-error');
    await errors.first().waitFor();
    const shown = (await errors.allInnerTexts()).sort();
    const api = await web.product.login('zhangsan');
    const server = (
      await api.call('POST', '/api/processes/leave/start-form/validate', {
        mode: 'submit',
        data: { leaveType: 'annual', startDate: '2027-02-10', endDate: '2027-02-08', reason: '回', mobile: '1380013' },
      })
    ).body;
    expect(server.issues.map((i: { message: string }) => i.message).sort(), 'word for word the server’s').to.deep.equal(shown);
    expect(shown).to.have.length(3);
    for (const text of shown) expect(text).to.match(/[\u4e00-\u9fff]/);
    await zhangsan.screenshot('scenario-start-form-mistakes');
    await date(zhangsan, 'wf-leave-request-endDate', '2027-02-11');
    await zhangsan.page.fill('#wf-leave-request-reason', '回老家探亲');
    await zhangsan.page.fill('#wf-leave-request-mobile', '13800138000');
    expect(await zhangsan.page.inputValue('#wf-leave-request-days'), 'computed as the user types').to.equal('2');
    await button(zhangsan.page, '提交申请').click();
    await zhangsan.page.waitForURL(/\/workbench\/cases\//);
    expect(await zhangsan.page.locator('.ant-descriptions').first().innerText()).to.contain('部门负责人审批');
    expect(zhangsan.trouble.pageErrors.concat(zhangsan.trouble.consoleErrors)).to.deep.equal([]);
  });

  it('a long leave from 张三’s start form goes through 李四 and the deputy director to HR, each in their own browser', async () => {
    const zhangsan = await web.as('zhangsan');
    await zhangsan.open('/workbench/start/leave');
    await zhangsan.page.getByText('事假', { exact: true }).click();
    await date(zhangsan, 'wf-leave-request-startDate', '2027-03-01');
    await date(zhangsan, 'wf-leave-request-endDate', '2027-03-05');
    await zhangsan.page.fill('#wf-leave-request-reason', '家中有事');
    await zhangsan.page.locator('#wf-leave-request-handover').click();
    await zhangsan.page.locator('#wf-leave-request-handover').pressSequentially('王五', { delay: 30 });
    await zhangsan.page.locator('.ant-select-item-option', { hasText: '王五' }).first().click();
    await button(zhangsan.page, '提交申请').click();
    await zhangsan.page.waitForURL(/\/workbench\/cases\//);
    const caseId = new URL(zhangsan.page.url()).pathname.split('/').pop()!;
    const taskId = (await (await web.product.login('admin')).call('GET', `/api/tasks?instanceId=${caseId}&state=active`)).body.items[0].id;

    const lisi = await web.as('lisi');
    await openTask(lisi, taskId);
    // The request is shown, read-only.
    await lisi.page.waitForFunction("document.body.innerText.includes('家中有事') || [...document.querySelectorAll('input, textarea')].some((e) => e.value === '家中有事')");
    await approve(lisi, '同意，注意交接');
    await lisi.screenshot('scenario-leave-lisi-done');

    const wangwu = await web.as('wangwu');
    const deputy = (await (await web.product.login('admin')).call('GET', `/api/tasks?instanceId=${caseId}&state=active`)).body.items[0];
    expect(deputy).to.include({ activityId: 'deputyApproval', assignee: 'wangwu' });
    await openTask(wangwu, deputy.id);
    await approve(wangwu);

    const sunqi = await web.as('sunqi');
    const hr = (await (await web.product.login('admin')).call('GET', `/api/tasks?instanceId=${caseId}&state=active`)).body.items[0];
    expect(hr).to.include({ activityId: 'hrRecord', assignee: null });
    await openTask(sunqi, hr.id, true);
    await button(sunqi.page, '提交').click();
    await sunqi.page.waitForURL('**/workbench/todo');

    await zhangsan.open('/workbench/started');
    await zhangsan.page.locator('tr', { hasText: '已办结' }).first().waitFor();
    await zhangsan.open(`/workbench/cases/${caseId}`);
    const timeline = await zhangsan.page.locator('.ant-timeline').innerText();
    for (const who of ['张三', '李四', '王五', '孙琪']) expect(timeline).to.contain(who);
    expect(timeline).to.contain('同意，注意交接');
    await zhangsan.screenshot('scenario-leave-case');
    for (const s of [lisi, wangwu, sunqi, zhangsan]) expect(s.trouble.pageErrors.concat(s.trouble.consoleErrors)).to.deep.equal([]);
  });

  it('HR returns the case to the department head, who sees it again in 待办', async () => {
    const { caseId, taskId } = await leave(2);
    const lisi = await web.as('lisi');
    await openTask(lisi, taskId);
    await approve(lisi);
    const hr = (await (await web.product.login('admin')).call('GET', `/api/tasks?instanceId=${caseId}&state=active`)).body.items[0];
    const sunqi = await web.as('sunqi');
    await openTask(sunqi, hr.id, true);
    await button(sunqi.page, '更多操作').click();
    await sunqi.page.getByRole('menuitem', { name: '退回', exact: true }).click();
    const dialog = sunqi.page.getByRole('dialog');
    await expect(await dialog.locator('.ant-select-content').innerText()).to.contain('部门负责人审批');
    await dialog.getByLabel('说明').fill('请核对请假天数');
    await dialog.getByRole('button', { name: buttonLabel('确定') }).click();
    await sunqi.page.waitForURL('**/workbench/todo');

    const back = (await (await web.product.login('admin')).call('GET', `/api/tasks?instanceId=${caseId}&state=active`)).body.items[0];
    expect(back).to.include({ activityId: 'headApproval', assignee: 'lisi' });
    await lisi.open('/workbench/todo');
    expect(await lisi.page.locator(`tr[data-row-key="${back.id}"]`).innerText()).to.contain('部门负责人审批');
    await lisi.open(`/workbench/cases/${caseId}`);
    expect(await lisi.page.locator('.ant-timeline').innerText()).to.contain('请核对请假天数');
  });

  it('transfer to 赵六, who delegates to 钱七; the task comes back to 赵六 to finish', async () => {
    const { taskId } = await leave(1);
    const lisi = await web.as('lisi');
    await openTask(lisi, taskId);
    await button(lisi.page, '更多操作').click();
    await lisi.page.getByRole('menuitem', { name: '转办' }).click();
    await pickUser(lisi, '赵六');
    await lisi.page
      .getByRole('dialog')
      .getByRole('button', { name: buttonLabel('确定') })
      .click();
    await lisi.page.waitForURL('**/workbench/todo');
    expect(await taskState(taskId)).to.include({ assignee: 'zhaoliu' });

    const zhaoliu = await web.as('zhaoliu');
    await openTask(zhaoliu, taskId);
    await button(zhaoliu.page, '更多操作').click();
    await zhaoliu.page.getByRole('menuitem', { name: '委派' }).click();
    await pickUser(zhaoliu, '钱七');
    await zhaoliu.page
      .getByRole('dialog')
      .getByRole('button', { name: buttonLabel('确定') })
      .click();
    await zhaoliu.page.waitForURL('**/workbench/todo');
    expect(await taskState(taskId)).to.include({ assignee: 'qianqi', owner: 'zhaoliu' });

    const qianqi = await web.as('qianqi');
    await qianqi.open('/workbench/todo');
    expect(await qianqi.page.locator(`tr[data-row-key="${taskId}"]`).innerText()).to.contain('赵六 委派');
    await openTask(qianqi, taskId);
    await approve(qianqi, '已核实');
    expect(await taskState(taskId), 'back with its owner').to.include({ assignee: 'zhaoliu', state: 'active' });
    await openTask(zhaoliu, taskId);
    await approve(zhaoliu);
    expect(await taskState(taskId)).to.include({ state: 'completed', endedBy: 'zhaoliu' });
  });

  it('batch approval reports each task; the one withdrawn meanwhile fails with its reason', async () => {
    const cases = [await leave(1, '批量一'), await leave(1, '批量二'), await leave(1, '批量三')];
    const lisi = await web.as('lisi');
    await lisi.open('/workbench/todo');
    const zhangsan = await web.product.login('zhangsan');
    expect((await zhangsan.call('POST', `/api/instances/${cases[1]!.caseId}/withdraw`, { reason: '不请了' })).status).to.equal(200);
    for (const c of cases) await lisi.page.locator(`tr[data-row-key="${c.taskId}"] input[type=checkbox]`).check();
    await button(lisi.page, '批量同意').click();
    await lisi.page
      .getByRole('dialog')
      .getByRole('button', { name: buttonLabel('同意') })
      .click();
    const result = lisi.page.getByRole('dialog', { name: '批量审批结果' });
    await result.waitFor();
    const text = await result.innerText();
    expect(text).to.contain('成功 2 项，失败 1 项');
    expect(await result.locator('tr', { hasText: '未完成' }).count()).to.equal(1);
    await lisi.screenshot('scenario-batch');
    expect((await taskState(cases[0]!.taskId)).state).to.equal('completed');
    expect((await taskState(cases[2]!.taskId)).state).to.equal('completed');
  });

  it('the case page shows the diagram with the current node marked and the finished ones', async () => {
    const { caseId } = await leave(2);
    const zhangsan = await web.as('zhangsan');
    await zhangsan.open(`/workbench/cases/${caseId}`);
    await zhangsan.page.getByRole('tab', { name: '流程图' }).click();
    const current = zhangsan.page.locator('[data-element-id="headApproval"].wf-current');
    await current.waitFor();
    expect(await zhangsan.page.locator('[data-element-id="start"].wf-completed').count()).to.equal(1);
    expect(await zhangsan.page.locator('.wf-current').count()).to.be.greaterThan(0);
    await zhangsan.screenshot('scenario-diagram');
  });

  it('a session that ends sends the clerk to sign in and back to the page they were on', async () => {
    const lisi = await web.as('lisi');
    await lisi.open('/workbench/done');
    // The session ends elsewhere (signed out in another tab): the next request finds it gone.
    await lisi.page.evaluate("fetch('/api/auth/me').then((r) => r.json()).then((me) => fetch('/api/auth/logout', { method: 'POST', headers: { 'X-CSRF-Token': me.csrfToken } }))");
    await lisi.page.getByRole('menuitem', { name: /我发起的/ }).click();
    await lisi.page.waitForURL(/\/login\?next=/);
    await lisi.page.getByText('登录已过期，请重新登录').waitFor();
    await lisi.page.fill('#username', 'lisi');
    await lisi.page.fill('#password', 'Demo2026');
    await lisi.page.click('button[type=submit]');
    await lisi.page.waitForURL('**/workbench/started');
  });
});
