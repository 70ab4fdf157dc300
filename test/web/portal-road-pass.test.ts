/**
 * The road pass (禁行道路通行证核发) end to end, the citizen in Chromium on a
 * phone and the clerk (周博) through the API: the application — begun on
 * another device and restored from its server draft — gets its materials
 * uploaded (an original promised on paper), is reviewed on the last step and
 * submitted; the clerk finds the ID card unreadable; the citizen sees the
 * request with the sample beside the one material that failed, replaces only
 * that, and resubmits; passed, the case waits at the cashier (its QR code),
 * paid through the payment provider's signed notice; the citizen types the
 * originals' tracking number; the clerk confirms them and issues the pass by
 * EMS; the citizen confirms receipt and rates; the e-pass is in 我的证照 and
 * its QR code's page says it is valid. Every page without console errors,
 * failed requests, untranslated keys or serious axe-core violations.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { PNG } from '../support/forms.ts';
import { button, expectClean, needsChromium, PHONE, shotsWhenFailed, startWeb, type Web, type WebSession } from '../support/browser.ts';
import type { Session } from '../support/product.ts';

const MOBILE = '13800000000';

/** What the citizen began on another device: everything but the materials and the declaration. */
const BEGUN = {
  office: 'traffic-window',
  materialClass: 'personal',
  applicantName: '刘芳',
  idNumber: '11010519491231002X',
  mobile: MOBILE,
  plateColour: 'blue',
  plateNumber: '豫K·A8M21',
  vehicleType: 'small-car',
  roads: ['wenfeng-rd'],
  validity: { start: '2027-01-10', end: '2027-02-10' },
  purpose: '运送建筑材料进入市区',
  sendMethod: 'courier',
  returnMethod: 'ems',
  recipientName: '刘芳',
  recipientIdNumber: '11010519491231002X',
  recipientMobile: MOBILE,
  recipientAddress: '许昌市魏都区文峰路 1 号',
  recipientPostcode: '461000',
};

/** The page as a citizen may meet it, on the phone (see expectClean). */
const clean = (session: WebSession, what: string) => expectClean(session, what, { width: PHONE.width });

const upload = (page: Page, material: string, name: string) =>
  page.locator('.wf-material', { hasText: material }).locator('input[type=file]').setInputFiles({ name, mimeType: 'image/png', buffer: PNG });

describe('web: the road pass from application to e-pass, the citizen on a phone', function () {
  needsChromium(this);
  this.timeout(300_000);
  let web: Web;
  let clerk: Session;

  before(async () => {
    web = await startWeb({ WORKER: 'true' });
    clerk = await web.product.login('zhoubo');
  });
  after(async () => web?.close());
  afterEach(shotsWhenFailed(() => web, 'road-pass'));

  /** The clerk's task at `activityId` once the case gets there, claimed. */
  async function clerkTask(instanceId: string, activityId: string): Promise<string> {
    for (let i = 0; i < 150; i++) {
      const tasks = (await clerk.call('GET', `/api/tasks?instanceId=${instanceId}&state=active`)).body.items as Array<{ id: string; activityId: string; assignee: string | null }>;
      const task = tasks.find((t) => t.activityId === activityId);
      if (task) {
        if (!task.assignee) expect((await clerk.call('POST', `/api/tasks/${task.id}/claim`, {})).status).to.equal(200);
        return task.id;
      }
      // An SMS over the limit of five a minute to one phone waits for the next minute: let it come.
      if (i % 10 === 9) web.product.clock.advance(60_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the case did not reach ${activityId}`);
  }
  async function clerkSubmits(instanceId: string, activityId: string, data: Record<string, unknown>) {
    const id = await clerkTask(instanceId, activityId);
    const done = await clerk.call('POST', `/api/tasks/${id}/form/submit`, { data });
    expect(done.status, JSON.stringify(done.body)).to.equal(200);
  }

  it('applies, corrects the one failed material, pays, sends the originals, receives, rates and verifies the e-pass', async () => {
    const signedIn = await web.product.loginCitizen(MOBILE);
    const citizen = await web.citizen(signedIn);
    expect((await signedIn.call('PUT', '/api/processes/svc-04009/start-form/draft', { data: BEGUN })).status).to.equal(200);
    const { page } = citizen;

    // The application, restored; its materials uploaded on the phone.
    await citizen.open('/portal/apply/04009');
    await page.getByText(/已恢复/).waitFor();
    await button(page, '下一步').click();
    await page.getByText('第 2 步，共 6 步：申请材料').waitFor();
    expect(await page.locator('.wf-material', { hasText: '身份证正反面' }).locator('img').getAttribute('src'), 'the sample beside the material').to.equal('/catalog/images/sample-id-card.svg');
    await upload(page, '身份证正反面', '身份证.png');
    await page.locator('.wf-material', { hasText: '身份证正反面' }).getByText('身份证.png').waitFor();
    await upload(page, '机动车行驶证', '行驶证.png');
    await page.locator('.wf-material', { hasText: '机动车行驶证' }).getByText('行驶证.png').waitFor();
    await page.locator('.wf-material', { hasText: '机动车行驶证' }).getByText('我将递交纸质原件').click();
    await clean(citizen, 'the materials uploaded');
    await button(page, '下一步').click();
    await button(page, '下一步').click();
    await page.getByText('第 4 步，共 6 步：寄送与回寄').waitFor();
    expect(await page.getByLabel('原件寄往').inputValue(), 'where to post the originals').to.equal('许昌市公安局交警支队车管所服务窗口，许昌市魏都区劳动路 18 号，电话 0374-2345678');
    await citizen.screenshot('road-pass-delivery');
    await button(page, '下一步').click();
    await page.getByText('第 5 步，共 6 步：费用与承诺').waitFor();
    expect(await page.getByLabel('应缴合计').inputValue(), 'the fee with EMS').to.match(/37\.00/);
    await page.getByRole('switch', { name: /承诺所填信息真实有效/ }).click();
    await button(page, '下一步').click();
    await page.getByText('已填写完整，请核对无误后提交').waitFor();
    await clean(citizen, 'the review');
    await button(page, '提交申请').click();
    await page.waitForURL(/\/portal\/cases\/[\w-]+$/);
    const instanceId = new URL(page.url()).pathname.split('/').at(-1)!;
    await page.getByText('待初审').first().waitFor();
    await clean(citizen, 'the case, submitted');

    // The clerk finds the ID card unreadable: the citizen replaces that one material.
    await clerkSubmits(instanceId, 'n1', { reviewResult: 'correction', failedChecks: ['c-id'], reviewComment: '身份证背面不清晰' });
    await citizen.open(`/portal/cases/${instanceId}`);
    await page.getByText('身份证正反面：身份证照片不清晰或已过期，请重新上传').waitFor();
    await page.getByText('身份证背面不清晰').waitFor();
    await clean(citizen, 'the correction request');
    await button(page, '去补正材料').click();
    await page.waitForURL(/\/tasks\//);
    const idCard = page.locator('.wf-material', { hasText: '身份证正反面' });
    const licence = page.locator('.wf-material', { hasText: '机动车行驶证' });
    await idCard.locator('img').waitFor();
    expect(await licence.locator('input[type=file]').count(), 'the other material is read-only').to.equal(0);
    await licence.getByText('行驶证.png').waitFor(); // a stored file, by its name
    await idCard.getByRole('button', { name: /删除/ }).first().click();
    await upload(page, '身份证正反面', '身份证-清晰.png');
    await idCard.getByText('身份证-清晰.png').waitFor();
    await clean(citizen, 'the correction');
    await citizen.screenshot('road-pass-correction');
    await button(page, '提交').click();
    await page.waitForURL(`**/portal/cases/${instanceId}`);

    // Passed: the cashier's QR code; the provider's signed notice, not the page, says it is paid.
    await clerkSubmits(instanceId, 'n1', { reviewResult: 'pass', reviewComment: '材料齐全' });
    await citizen.open(`/portal/cases/${instanceId}`);
    await page.getByText('¥37.00').first().waitFor();
    await page.locator('.ant-qrcode').waitFor();
    await clean(citizen, 'the cashier');
    await citizen.screenshot('road-pass-cashier');
    // The bank declines the first attempt, and the second order runs out at the provider: each time the citizen pays again, on a new order.
    const orderOf = async () => (await clerk.call('GET', `/api/instances/${instanceId}`)).body.variables.orderNo as string;
    const admin = await web.product.login('admin');
    for (const [fault, body] of [
      ['/sim/payment/_fail', { reason: 'INSUFFICIENT_FUNDS' }],
      ['/sim/payment/_expire', {}],
    ] as const) {
      const before = await orderOf();
      expect((await admin.call('POST', fault, { orderNo: before, ...body })).status).to.be.oneOf([200, 202]);
      await citizen.openUntil(`/portal/cases/${instanceId}`, button(page, '去重新缴费'));
      await clean(citizen, `a payment that did not go through (${fault})`);
      await button(page, '去重新缴费').click();
      await page.waitForURL(/\/tasks\//);
      await button(page, '提交').click();
      await page.waitForURL(`**/portal/cases/${instanceId}`);
      for (let i = 0; i < 50 && !(await page.locator('.ant-qrcode').count()); i++) {
        if (i % 5 === 4) web.product.clock.advance(60_000); // the new order's SMS, over five a minute, waits for the next minute
        await page.waitForTimeout(200);
        await citizen.open(`/portal/cases/${instanceId}`);
      }
      expect(await orderOf(), 'a new order').to.not.equal(before);
    }
    await button(page, '去支付').click();
    await page.getByRole('button', { name: '确认支付 ¥37.00' }).click();
    await page.getByText('支付成功').waitFor();
    // The provider's page leads back to the case (its return URL); the notice, not the way back, says it is paid.
    await page.getByRole('link', { name: '完成，返回商户' }).click();
    await page.waitForURL(`**/portal/cases/${instanceId}`);
    await page.getByText('待寄送原件').first().waitFor({ timeout: 20_000 });

    // The originals go by courier: the citizen types the tracking number.
    await button(page, '去寄送原件').click();
    await page.waitForURL(/\/tasks\//);
    await page.getByLabel('原件快递单号').fill('EMS1234567890');
    await clean(citizen, 'sending the originals');
    await button(page, '提交').click();
    await page.waitForURL(`**/portal/cases/${instanceId}`);

    // The clerk confirms the originals, processes, issues the pass; it goes by EMS.
    await clerkSubmits(instanceId, 'n9', {});
    await clerkSubmits(instanceId, 'n10', { processResult: 'success' });
    await clerkSubmits(instanceId, 'n11', {});
    await citizen.open(`/portal/cases/${instanceId}`);
    for (let i = 0; i < 100 && !(await page.getByText('待确认收件').count()); i++) {
      web.product.clock.advance(60_000); // the SMS limit per phone per minute
      await page.waitForTimeout(300);
      await citizen.open(`/portal/cases/${instanceId}`);
    }
    await page.getByText('待确认收件').first().waitFor();
    await clean(citizen, 'the pass on its way');
    await button(page, '去确认收件').click();
    await page.waitForURL(/\/tasks\//);
    await button(page, '提交').click();
    await page.waitForURL(`**/portal/cases/${instanceId}`);
    await button(page, '去业务评价').click();
    await page.waitForURL(/\/tasks\//);
    await page.getByRole('radio', { name: '满意', exact: true }).check();
    await page.getByLabel('评价意见').fill('快递很快');
    await clean(citizen, 'rating');
    await button(page, '提交').click();
    await page.waitForURL(`**/portal/cases/${instanceId}`);
    await page.getByText('已办结').first().waitFor();
    await clean(citizen, 'the case, done');
    const done = (await clerk.call('GET', `/api/instances/${instanceId}`)).body;
    expect(done.variables, 'what the citizen did on the phone').to.include({ paymentStatus: 'paid', originalsTrackingNo: 'EMS1234567890', rating: '4', ratingComment: '快递很快' });
    await citizen.screenshot('road-pass-done');

    // The e-pass, and what its QR code's page says.
    await citizen.open('/portal/documents');
    await page.getByText('禁行道路通行证').first().waitFor();
    await clean(citizen, 'my documents');
    const [pass] = (await signedIn.call('GET', '/api/documents')).body.items as Array<{ code: string; kind: string }>;
    expect(pass!.kind).to.equal('road-pass');
    const anyone = await web.anonymous({ viewport: PHONE });
    await anyone.open(`/portal/verify/${pass!.code}`);
    await anyone.page.getByText('这份禁行道路通行证尚未生效：自 2027/01/10 起有效').waitFor(); // valid from the first day the citizen asked for
    await anyone.page.getByText('刘*').waitFor();
    await clean(anyone, 'the e-pass verified');
    await anyone.context.close();
    await citizen.context.close();
  });

  /** A file of the citizen's, uploaded for one material of a service's application. */
  async function uploadFor(session: Session, form: string, material: string): Promise<string> {
    const body = new FormData();
    body.set('file', new Blob([PNG], { type: 'image/png' }), `${material}.png`);
    body.set('form', form);
    body.set('field', 'materials');
    body.set('material', material);
    const res = await fetch(`${web.base}/api/files`, { method: 'POST', headers: session.headers, body });
    expect(res.status).to.equal(201);
    return ((await res.json()) as { id: string }).id;
  }

  it('a correction left for seven days closes the case, and the citizen sees it closed and is told; a free certificate never shows the cashier', async () => {
    let signedIn = await web.product.loginCitizen(MOBILE);
    const materials = {
      'id-card': { files: [await uploadFor(signedIn, 'svc-04009-apply', 'id-card')] },
      'vehicle-licence': { files: [await uploadFor(signedIn, 'svc-04009-apply', 'vehicle-licence')], paper: true },
    };
    const started = await signedIn.call('POST', '/api/processes/svc-04009/start-form/submit', { data: { ...BEGUN, materials, declaration: true } });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    const roadPass = started.body.id as string;
    await clerkSubmits(roadPass, 'n1', { reviewResult: 'correction', failedChecks: ['c-id'] });
    for (let i = 0; i < 100 && (await signedIn.call('GET', `/api/instances/${roadPass}`)).body.stateName !== '待补正'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    web.product.clock.advance(7 * 24 * 3600_000 + 1000);
    // A week later: new sessions.
    signedIn = await web.product.loginCitizen(MOBILE);
    clerk = await web.product.login('zhoubo');

    const free = await signedIn.call('POST', '/api/processes/svc-02017/start-form/submit', {
      data: {
        office: 'xc-weidu-station',
        materials: { letter: { files: [await uploadFor(signedIn, 'svc-02017-apply', 'letter')] } },
        orgName: '许昌市建设投资有限公司',
        creditCode: '91411000MA44XY1234',
        applicantName: '刘芳',
        mobile: MOBILE,
        subjectName: '刘洋',
        subjectIdNumber: '11010519491231002X',
        purpose: 'recruit',
        declaration: true,
      },
    });
    expect(free.status, JSON.stringify(free.body)).to.equal(201);
    await clerkSubmits(free.body.id, 'n1', { reviewResult: 'pass', reviewComment: '材料齐全' });

    const citizen = await web.citizen(signedIn);
    const { page } = citizen;
    await citizen.open(`/portal/cases/${roadPass}`);
    await citizen.openUntil(`/portal/cases/${roadPass}`, page.getByText('已关闭'));
    await page.getByText('已关闭').first().waitFor();
    expect(await page.getByText('需要您办理').count(), 'nothing left to do').to.equal(0);
    await clean(citizen, 'a case closed for want of a correction');
    await citizen.open('/portal/messages');
    await page.getByText('禁行道路通行证核发：已关闭').first().waitFor();
    await clean(citizen, 'the notice of the closing');

    await citizen.open(`/portal/cases/${free.body.id}`);
    await citizen.openUntil(`/portal/cases/${free.body.id}`, page.getByText('办理中'));
    await page.getByText('办理中').first().waitFor();
    expect(await page.getByRole('heading', { name: '缴费' }).count(), 'no cashier at a fee of 0').to.equal(0);
    expect(await page.getByText('进入“待缴费”').count(), 'never waited for a payment').to.equal(0);
    await clean(citizen, 'a free certificate past its review');
    await citizen.context.close();
  });
});
