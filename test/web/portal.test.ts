/**
 * The citizen portal on a phone (390 × 844): the service hall by class, found
 * by pinyin initials; a service's page with its steps and guide; applying
 * asks to sign in by SMS code first (read at the SMS simulator) and comes
 * back to the application, which is saved as a draft, survives a reload and
 * is submitted; the case shows its state and progress in plain words, the
 * unread notice count shows in the tab bar; an appointment shows the places
 * left in each time slot; a service needing a higher
 * identity level offers to raise it first; another citizen typing the case's
 * address gets nothing of it; a QR code that is not a document verifies as
 * nothing. Every page without console errors, untranslated keys or serious
 * axe-core violations, and nothing wider than the phone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { hallDay } from '../../connectors/queue-number/halls.ts';
import { PNG } from '../support/forms.ts';
import { button, buttonLabel, expectClean, needsChromium, PHONE, shotsWhenFailed, startWeb, type Web, type WebSession } from '../support/browser.ts';

/** The page as a citizen may meet it, on the phone (see expectClean). */
const clean = (session: WebSession, what: string, expected: RegExp[] = []) => expectClean(session, what, { width: PHONE.width, expected });

/** Signs in on the portal's page with the code the SMS simulator received. */
async function signIn(web: Web, page: Page, mobile: string) {
  await page.getByLabel('手机号').fill(mobile);
  await button(page, '获取验证码').click();
  await page.getByRole('button', { name: /秒后重发/ }).waitFor();
  const sent = await web.product.inspect(`/sim/sms/_messages?phone=${mobile}`);
  const code = /验证码 (\d{6})/.exec(String((sent.body.items as Array<{ text: string }>)[0]?.text))![1]!;
  await page.getByLabel('验证码').fill(code);
  await button(page, '登录').click();
}

describe('web: the citizen portal', function () {
  needsChromium(this);
  this.timeout(180_000);
  let web: Web;

  before(async () => {
    web = await startWeb({ WORKER: 'true' });
  });
  after(async () => web?.close());
  afterEach(shotsWhenFailed(() => web, 'portal'));

  it('a citizen finds a service, signs in by SMS code, applies (a draft kept across a reload), and follows the case', async () => {
    const visitor = await web.anonymous({ viewport: PHONE });
    const { page } = visitor;
    await visitor.open('/portal');
    await page.getByRole('heading', { name: '户政业务' }).waitFor();
    expect(await page.getByRole('link', { name: /行政大厅排号/ }).innerText(), 'an appointment service is marked').to.contain('预约');
    await clean(visitor, 'the hall');
    await page.getByLabel('搜索业务名称或拼音首字母').fill('hzzn');
    expect(await page.locator('.portal-row-name').allInnerTexts(), 'found by its pinyin initials').to.deep.equal(['户政智能咨询']);
    await page.getByRole('link', { name: /户政智能咨询/ }).click();
    await page.getByRole('heading', { name: '户政智能咨询' }).waitFor();
    await page.getByRole('heading', { name: '办理流程' }).waitFor();
    await clean(visitor, 'a service page');

    await button(page, '立即办理').click();
    await page.waitForURL('**/portal/login?next=%2Fportal%2Fapply%2F01019');
    await page.getByLabel('手机号').fill('1381234');
    await button(page, '登录').click();
    await page.getByText('请输入 11 位手机号').waitFor();
    await clean(visitor, 'the sign-in page, a short number refused');
    await signIn(web, page, '13912340001');
    await page.waitForURL('**/portal/apply/01019');
    await page.getByRole('heading', { name: '户政智能咨询' }).waitFor();

    await page.getByLabel('称呼').fill('赵女士');
    await page.getByLabel('手机号码').fill('13912340001');
    await page.getByLabel('您的问题').fill('户口迁移需要带什么材料？');
    await button(page, '暂存').click();
    await page
      .getByText(/已暂存/)
      .first()
      .waitFor();
    await page.reload({ waitUntil: 'networkidle' });
    await page.getByText(/已恢复/).waitFor();
    expect(await page.getByLabel('您的问题').inputValue(), 'the draft came back').to.equal('户口迁移需要带什么材料？');
    await clean(visitor, 'the application, restored');
    await button(page, '提交申请').click();
    await page.getByText('承诺所填信息真实有效：必填').waitFor(); // taken to the step with what is missing
    await clean(visitor, 'the application, the missing declaration flagged');
    await page.getByRole('switch', { name: /承诺所填信息真实有效/ }).click();
    await button(page, '提交申请').click();
    await page.waitForURL(/\/portal\/cases\/[\w-]+$/);
    const caseUrl = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: '户政智能咨询' }).waitFor();
    await page.locator('.ant-timeline').getByText('提交申请').waitFor();
    await page
      .getByText('进入“已答复”')
      .waitFor({ timeout: 15_000 })
      .catch(async () => {
        await page.reload({ waitUntil: 'networkidle' });
        await page.getByText('进入“已答复”').waitFor();
      });
    // The answer itself, as the service's result says it (not in the case's variables only).
    const answer = await page.getByRole('region', { name: '办理结果' }).innerText();
    expect(answer, 'the knowledge base’s answer').to.match(/^办理结果\s+\S.{9,}/s);
    await clean(visitor, 'the case');

    await page.getByRole('link', { name: /我的办件/ }).click();
    await page.locator('.ant-segmented-item', { hasText: '已办结' }).click();
    await page.getByRole('link', { name: /户政智能咨询/ }).waitFor();
    expect(await page.locator('.portal-tabs').getByText('1 条未读消息').count(), 'the unread count, said to screen readers too').to.equal(1);
    await clean(visitor, 'my cases');
    await page.getByRole('link', { name: /消息/ }).click();
    await page.locator('.portal-row-button').first().waitFor();
    await clean(visitor, 'messages');
    await page.getByRole('link', { name: /我的证照/ }).click();
    await page.getByText('还没有电子证照').waitFor();
    await clean(visitor, 'documents, none');

    await visitor.open('/portal/services/01020');
    await page.getByRole('heading', { name: '各时段余号' }).waitFor();
    expect(await page.locator('.portal-row', { hasText: '09:00-10:00' }).innerText(), 'the places left at the hall’s machine').to.contain('余 10 个');
    await clean(visitor, 'an appointment’s slots');
    await visitor.open('/portal/apply/01020');
    await page.getByText('办理本业务需要1级实名认证，你目前为0级，请先完成实名认证').waitFor();
    await clean(visitor, 'applying below the identity level', [/^403 GET \/api\/processes\/svc-01020\/start-form$/]);

    await visitor.open('/portal/services/04004');
    await page.getByText('办理本业务需要 2 级实名认证，您目前为 0 级').waitFor();
    await button(page, '提升实名认证等级').click();
    await page.waitForURL('**/portal/identity');
    await page.getByRole('heading', { name: '实名认证' }).waitFor();
    await clean(visitor, 'raising the identity level');
    await page.getByRole('link', { name: /我的/ }).last().click();
    await page.getByText('无需认证').waitFor();
    await clean(visitor, 'me');

    const other = await web.anonymous({ viewport: PHONE });
    await other.open(caseUrl);
    await signIn(web, other.page, '13912340002');
    await other.page.waitForURL(`**${caseUrl}`);
    await other.page.locator('.ant-alert-error').waitFor();
    expect(await other.page.getByText('提交申请').count(), 'nothing of another’s case').to.equal(0);
    await clean(other, 'another’s case', [/^(403|404) GET \/api\//]);

    await other.open('/portal/verify/ABC.forged');
    await other.page.getByText('无法核验这个二维码').waitFor();
    await clean(other, 'a forged QR code', [/^(403|404) GET \/api\//]);
    await visitor.context.close();
    await other.context.close();
  });

  it('the application’s last step reviews it all, read-only, every missing item listed with a jump to its step', async () => {
    const citizen = await web.citizen('13800000000');
    const { page } = citizen;
    await citizen.open('/portal/apply/04009');
    await page.getByText('第 1 步，共 6 步：办理单位').waitFor();
    await page.getByRole('radio', { name: '许昌市公安局交警支队车管所服务窗口' }).check();
    for (let step = 2; step <= 6; step++) {
      await button(page, '下一步').click();
      await page.getByText(new RegExp(`第 ${step} 步，共 6 步`)).waitFor();
    }
    await page.getByText('第 6 步，共 6 步：核对提交').waitFor();
    expect(await page.getByRole('radio', { name: '许昌市公安局交警支队车管所服务窗口' }).isChecked(), 'what was chosen shows').to.equal(true);
    expect(await page.getByRole('radio', { name: '许昌市公安局交警支队车管所服务窗口' }).isDisabled(), 'read-only').to.equal(true);
    const missing = page.locator('.ant-alert-error li');
    await missing.first().waitFor();
    expect(await page.locator('.ant-alert-error').innerText()).to.match(/还有 \d+ 处需要修改/);
    expect(await missing.count(), 'every missing item listed').to.be.greaterThan(2);
    await clean(citizen, 'the review step');
    await citizen.screenshot('portal-apply-review');
    const first = await missing.first().innerText();
    await missing.first().getByRole('button').click();
    await page.getByText(/第 [2-5] 步，共 6 步/).waitFor();
    await page.getByText(first).first().waitFor();
    await citizen.context.close();
  });

  it('a citizen books a hall queue number — a date and a slot with its places left — sees the number on the case, and cancels it', async () => {
    const citizen = await web.citizen('13800000000');
    const { page } = citizen;
    const date = hallDay(web.product.clock.now(), 1); // the panel shows tomorrow first
    await citizen.open('/portal/apply/01020');
    await page.getByText('第 1 步，共 3 步：申报信息').waitFor();
    await page.getByLabel('姓名').fill('刘芳');
    await page.getByLabel('身份证号码').fill('11010519491231002X');
    await page.getByLabel('手机号码').fill('13800000000');
    await page.getByLabel('办理事项').click();
    await page.locator('.ant-select-item-option', { hasText: '居住证办理' }).click();
    // A slot with places left, tapped in the panel, fills the application's day and slot.
    await page.getByRole('button', { name: /14:00-15:00\s*余 \d+ 个/ }).click();
    await page.getByRole('button', { name: /14:00-15:00/, pressed: true }).waitFor();
    expect(await page.locator('#wf-svc-01020-apply-appointmentDate').inputValue()).to.equal(date);
    expect(await page.locator('.ant-form-item', { hasText: '预约时段' }).innerText()).to.contain('14:00-15:00');
    await button(page, '下一步').click();
    await page.getByRole('switch', { name: /承诺所填信息真实有效/ }).click();
    await button(page, '下一步').click();
    await page.getByText('已填写完整，请核对无误后提交').waitFor();
    await clean(citizen, 'booking a number, reviewed');
    await button(page, '提交申请').click();
    await page.waitForURL(/\/portal\/cases\/[\w-]+$/);
    const caseUrl = new URL(page.url()).pathname;
    await citizen.openUntil(caseUrl, page.getByRole('region', { name: '办理结果' }));
    const told = await page.getByRole('region', { name: '办理结果' }).innerText();
    expect(told).to.match(new RegExp(`排队号 [A-Z]\\d{3}：${date} 14:00-15:00，许昌市公安局行政服务大厅`));
    await clean(citizen, 'the number on the case');
    await citizen.screenshot('portal-queue-number');

    await button(page, '去查看或取消排号').click();
    await page.waitForURL(/\/tasks\//);
    await page.getByLabel('取消原因').fill('临时有事');
    await clean(citizen, 'cancelling the number');
    await button(page, '提交').click();
    await page.waitForURL(`**${caseUrl}`);
    await citizen.openUntil(caseUrl, page.getByText('已取消'));
    await page.getByText('已取消').first().waitFor();
    expect(await page.getByRole('region', { name: '办理结果' }).count(), 'a cancelled number is not shown').to.equal(0);
    await clean(citizen, 'the number cancelled');
    await citizen.context.close();
  });

  it('a citizen raises their real-name level to 2 with a photo, is told the result on the case, and 我的 shows the new level', async () => {
    const citizen = await web.citizen('13912340003');
    const { page } = citizen;
    await citizen.open('/portal/identity');
    await page.getByRole('radio', { name: '二级：另加人像比对' }).check();
    await page.getByRole('textbox', { name: '姓名' }).fill('陈静');
    await page.getByRole('textbox', { name: '身份证号码' }).fill('110105194912310046');
    await page.getByRole('textbox', { name: '手机号码' }).fill('13912340003');
    await page.locator('input[type=file]').setInputFiles({ name: '本人照片.png', mimeType: 'image/png', buffer: PNG });
    await page.getByText('本人照片.png').waitFor();
    await clean(citizen, 'raising the level, filled in');
    await button(page, '提交申请').click();
    await page.waitForURL(/\/portal\/cases\/[\w-]+$/);
    const caseUrl = new URL(page.url()).pathname;
    await citizen.openUntil(caseUrl, page.getByRole('region', { name: '办理结果' }));
    expect(await page.getByRole('region', { name: '办理结果' }).innerText()).to.contain('实名认证通过，您现在是 2 级实名用户');
    await clean(citizen, 'the level raised');
    await citizen.open('/portal/me');
    await page.getByText('二级：人像比对').waitFor();
    await citizen.context.close();
  });

  it('a service with many offices: the citizen finds one by the place or by its initials, each shown with its address', async () => {
    const analyst = await web.product.login('analyst');
    const { tables } = (await analyst.call('GET', '/api/catalog')).body as { tables: { services: Array<Record<string, unknown>> } };
    const service = tables.services.find((s) => s.number === '02017')!;
    const offices = ['xc-weidu-station', 'xc-jianan-station', 'xc-yuzhou-traffic', 'xc-admin-hall', 'xc-vehicle-hall'];
    expect((await analyst.call('POST', '/api/catalog/changes', { put: { services: [{ ...service, offices }] } })).status).to.equal(200);
    expect((await analyst.call('POST', '/api/catalog/services/02017/publish', {})).status).to.equal(200);

    const citizen = await web.citizen('13800000000');
    const { page } = citizen;
    await citizen.open('/portal/apply/02017');
    const office = page.getByRole('combobox', { name: '办理单位' });
    await office.click();
    await office.fill('禹州');
    const options = page.locator('.ant-select-item-option');
    const settled = () => citizen.page.waitForFunction("document.querySelectorAll('.ant-select-item-option').length === 1"); // the server's answer shown
    await settled();
    await citizen.screenshot('portal-office-picker');
    expect(await options.allInnerTexts(), 'by the place: the one in 禹州, with its address').to.deep.equal(['禹州市公安局交通警察大队\n禹州市钧州大道 200 号']);
    await office.fill('xdj');
    await options.filter({ hasText: '魏都分局西大街派出所' }).waitFor();
    await settled();
    await options.first().click();
    expect(await page.locator('.ant-form-item', { hasText: '办理单位' }).innerText(), 'chosen').to.contain('魏都分局西大街派出所');
    await clean(citizen, 'an office among many, found');
    await citizen.context.close();
  });

  it('an expert opens the invitation’s link from the e-mail, reads what is asked, accepts once — confirmed first — and the link then shows the answer', async () => {
    const admin = await web.product.login('admin');
    const xml = fs.readFileSync(path.resolve('definitions/examples/email-expert-invitation.bpmn'), 'utf8');
    expect((await admin.call('POST', '/api/definitions', { xml })).status).to.be.oneOf([200, 201]);
    const started = await admin.call('POST', '/api/instances', {
      processKey: 'email-expert-invitation',
      variables: { expertEmail: 'chen@example.com', expertName: '陈教授', meeting: '2026 年度专家评审', invitationId: 'INV-W1' },
    });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    let link: string | undefined;
    for (let i = 0; i < 100 && !link; i++) {
      const mails = (await web.product.inspect('/sim/email/_messages?to=chen%40example.com')).body.items as Array<{ text: string }>;
      link = mails.map((m) => /https?:\/\/\S+\/portal\/invitations\/INV-W1\?token=\S+/.exec(m.text)?.[0]).find(Boolean);
      if (!link) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(link, 'the letter’s link').to.be.a('string');

    const expert = await web.anonymous({ viewport: PHONE });
    const { page } = expert;
    await expert.open(new URL(link!).pathname + new URL(link!).search);
    await page.getByRole('heading', { name: '专家评审邮件邀请' }).waitFor();
    await page.getByText('陈教授，您好：诚邀您参加“2026 年度专家评审”。').waitFor();
    await page.getByText(/链接有效期至 .+，只能答复一次/).waitFor();
    await clean(expert, 'an invitation');
    await expert.screenshot('portal-invitation');

    await page.getByLabel('留言（可不填）').fill('准时参加');
    await button(page, '接受').click();
    await page.getByText('确认接受邀请？').waitFor();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: buttonLabel('接受') })
      .click();
    await page
      .getByRole('status')
      .filter({ hasText: /您已于 .+ 接受邀请/ })
      .waitFor();
    await page.getByText('您的留言：准时参加').waitFor();
    await clean(expert, 'an invitation answered');
    await expert.screenshot('portal-invitation-answered');
    expect((await admin.call('GET', `/api/instances/${started.body.id}`)).body.state).to.equal('completed');

    await page.reload();
    await page
      .getByRole('status')
      .filter({ hasText: /您已于 .+ 接受邀请/ })
      .waitFor();
    expect(await button(page, '接受').count(), 'no second answer').to.equal(0);
    await expert.open('/portal/invitations/INV-W1');
    await page.getByText('链接不完整：请打开邀请中的完整链接').waitFor();
    await clean(expert, 'a link without its token');
    await expert.context.close();
  });
});
