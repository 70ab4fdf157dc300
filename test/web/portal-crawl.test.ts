/**
 * Every portal page, for a visitor and for a signed-in citizen with a case,
 * at the three sizes (360×640 and 390×844 phones, a 1440×900 screen):
 * no console error, no uncaught exception, no failed request, no message key
 * shown untranslated, no serious or critical axe-core violation, nothing
 * wider than the screen, and every link and button of the page's own at
 * least 44 px high on a phone (a link in a sentence, and the clear button
 * inside a 44 px field, aside). Screenshots land in .tmp/screenshots.
 */
import { expect } from 'chai';
import { hallDay } from '../../connectors/queue-number/halls.ts';
import { expectClean, needsChromium, startWeb, type Web, type WebSession } from '../support/browser.ts';

const SIZES = [
  { width: 360, height: 640 },
  { width: 390, height: 844 },
  { width: 1440, height: 900 },
];
const MOBILE = '13800000000';

/** Touch targets of the page itself (the tab bar, rows, buttons) shorter than 44 px, by their text. */
const SMALL_TARGETS = `[...document.querySelectorAll('main a, main button, nav a')]
  .filter((e) => e.offsetParent !== null && getComputedStyle(e).visibility !== 'hidden' && e.getBoundingClientRect().height < 44)
  .filter((e) => !e.closest('.ant-tag, .ant-alert, p, .ant-input-affix-wrapper'))
  .map((e) => (e.textContent || e.getAttribute('aria-label') || e.className).trim().slice(0, 30))`;

describe('web: every portal page at every size', function () {
  needsChromium(this);
  this.timeout(300_000);
  let web: Web;
  let caseId: string;

  before(async () => {
    web = await startWeb({ WORKER: 'true' });
    const citizen = await web.product.loginCitizen(MOBILE);
    const data = { applicantName: '刘芳', idNumber: '11010519491231002X', mobile: MOBILE, matter: '身份证办理', appointmentDate: hallDay(Date.now(), 2), slot: '10:00-11:00', declaration: true };
    const started = await citizen.call('POST', '/api/processes/svc-01020/start-form/submit', { data });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    caseId = started.body.id;
  });
  after(async () => web?.close());

  async function check(session: WebSession, route: string, size: { width: number; height: number }, label: string) {
    await session.open(route);
    await session.page.waitForTimeout(300);
    await session.page.waitForLoadState('networkidle');
    const where = `${label} ${route} at ${size.width}×${size.height}`;
    await expectClean(session, where, { width: size.width });
    if (size.width < 600) expect(await session.page.evaluate<string[]>(SMALL_TARGETS), `${where}: touch targets under 44 px`).to.deep.equal([]);
    if (size.width === 360) await session.screenshot(`portal-crawl${route.replace(/[/?=.]+/g, '-')}`);
  }

  for (const size of SIZES) {
    it(`${size.width}×${size.height}: a visitor’s pages, then a citizen’s`, async () => {
      const visitor = await web.anonymous({ viewport: size });
      for (const route of ['/portal', '/portal/services/04009', '/portal/services/01020', '/portal/login', '/portal/invitations/INV-0', '/portal/no-such-page'])
        await check(visitor, route, size, 'visitor');
      await visitor.context.close();

      const citizen = await web.citizen(MOBILE, { viewport: size });
      for (const route of ['/portal', '/portal/cases', `/portal/cases/${caseId}`, '/portal/apply/04009', '/portal/documents', '/portal/messages', '/portal/me', '/portal/identity'])
        await check(citizen, route, size, 'citizen');
      await citizen.context.close();
    });
  }
});
