/**
 * Every page as every demo role: signed in through the sign-in page, each
 * page of the role's menus opened (and a task, a case and a page that does
 * not exist) — no console error, no uncaught exception, no failed request,
 * no message key shown untranslated, no serious or critical axe-core
 * violation. Screenshots of each main page land in .tmp/screenshots.
 */
import { expect } from 'chai';
import { zhCN } from '../../designer/src/i18n/zh-CN.ts';
import { routesFor } from '../../designer/src/shell/routes.ts';
import { axeViolations, needsChromium, SCREENSHOTS, startWeb, untranslatedKeys, type Web, type WebSession } from '../support/browser.ts';

const ROLES = ['admin', 'analyst', 'zhangsan', 'lisi', 'chenjun'];
const KEYS = Object.keys(zhCN);

describe('web: every page as every role', function () {
  needsChromium(this);
  this.timeout(240_000);
  let web: Web;
  let caseId: string;
  let taskId: string;
  const shot = new Set<string>();

  before(async () => {
    web = await startWeb();
    const zhangsan = await web.product.login('zhangsan');
    const started = await zhangsan.call('POST', '/api/processes/leave/start-form/submit', { data: { leaveType: 'annual', startDate: '2026-12-10', endDate: '2026-12-11', reason: '回家探亲' } });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    caseId = started.body.id;
    taskId = started.body.activities.find((a: { kind: string }) => a.kind === 'task').taskId;
  });
  after(async () => {
    await web?.close();
    console.log(`      screenshots: ${SCREENSHOTS}`);
  });

  async function check(session: WebSession, route: string, label: string) {
    await session.open(route);
    await session.page.waitForTimeout(300); // lazy chunks and their first requests
    await session.page.waitForLoadState('networkidle');
    const { trouble } = session;
    expect(trouble.pageErrors, `${label}: uncaught errors`).to.deep.equal([]);
    expect(trouble.consoleErrors, `${label}: console errors`).to.deep.equal([]);
    expect(trouble.failed, `${label}: failed requests`).to.deep.equal([]);
    expect(await untranslatedKeys(session.page, KEYS), `${label}: message keys shown as they are`).to.deep.equal([]);
    const serious = (await axeViolations(session.page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious, `${label}: axe-core`).to.deep.equal([]);
  }

  for (const username of ROLES) {
    it(`${username}: every page of the menus, a task, a case and a 404 page`, async () => {
      const session = await web.as(username);
      const me = await session.page.evaluate<{ permissions: string[] }>("fetch('/api/auth/me').then((r) => r.json())");
      const routes = routesFor(me.permissions).map((r) => r.path);
      expect(routes.length, 'a menu').to.be.greaterThan(0);
      for (const route of [...routes, `/workbench/cases/${caseId}`, ...(username === 'lisi' ? [`/workbench/tasks/${taskId}`] : []), '/workbench/no-such-page']) {
        await check(session, route, `${username} ${route}`);
        const name = route
          .replace(/^\//, '')
          .replace(/[/:]/g, '-')
          .replace(/-[0-9a-f-]{36}$/, '');
        if (!shot.has(name)) {
          shot.add(name);
          await session.screenshot(name);
        }
      }
      await session.context.close();
    });
  }

  it('the task page on a phone (390×844) and the sign-in page', async () => {
    const phone = await web.as('lisi', { viewport: { width: 390, height: 844 } });
    await check(phone, `/workbench/tasks/${taskId}`, 'phone task page');
    await phone.screenshot('phone-task');
    const anonymous = await web.anonymous();
    // The page asks who is signed in once it has rendered, which a busy machine may leave until after the network fell idle.
    await Promise.all([anonymous.page.waitForResponse((r) => r.url().endsWith('/api/auth/me')), anonymous.open('/login')]);
    expect(anonymous.trouble.failed).to.deep.equal(['401 GET /api/auth/me']);
    await anonymous.screenshot('login');
    await phone.context.close();
    await anonymous.context.close();
  });
});
