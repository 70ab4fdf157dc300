/**
 * Signed-in lists (待办, 已办) come from the server with their rows in the
 * page (engine/http/prerender.ts, designer/src/entry-server.tsx): each
 * visitor's own rows only, never stored by a cache, no inline script; any
 * other page, a visitor not signed in or one whose time zone is not known yet
 * gets the page as built. In Chromium the rows are there before any script
 * runs (in the frame for the screen's width), and the page then works as if
 * the browser had rendered it. The portal's service hall comes rendered to
 * everyone (portal/entry-server.tsx), signed in or not.
 */
import { expect } from 'chai';
import { pathToFileURL } from 'node:url';
import { PORTAL_RENDERER, WEB_RENDERER } from '../../engine/web-build.ts';
import type { Session } from '../support/product.ts';
import { needsChromium, startWeb, type Web } from '../support/browser.ts';

const ZONE = 'wf_zone=Asia%2FShanghai; wf_locale=zh-CN';

describe('web: signed-in lists rendered by the server', function () {
  needsChromium(this);
  this.timeout(120_000);
  let web: Web;
  let lisi: Session;
  let taskId: string;

  before(async () => {
    web = await startWeb();
    const zhangsan = await web.product.login('zhangsan');
    const started = await zhangsan.call('POST', '/api/processes/leave/start-form/submit', { data: { leaveType: 'annual', startDate: '2027-02-01', endDate: '2027-02-02', reason: '服务端渲染' } });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    taskId = started.body.activities.find((a: { kind: string }) => a.kind === 'task').taskId;
    lisi = await web.product.login('lisi');
  });
  after(async () => web?.close());

  const page = async (path: string, cookie: string) => {
    const res = await fetch(web.base + path, { headers: { cookie, accept: 'text/html' } });
    return { res, html: await res.text() };
  };

  it('李四’s 待办 arrives with his task in it, styles first, private and without inline script; 张三’s does not hold it', async () => {
    const { res, html } = await page('/workbench/todo', `${lisi.headers.cookie}; ${ZONE}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('cache-control')).to.equal('private, no-store');
    expect(html).to.contain(`data-row-key="${taskId}"`);
    expect(html).to.contain('id="wf-preload"');
    expect(html).to.contain('<html lang="zh-CN"');
    expect(html.indexOf('<style')).to.be.lessThan(html.indexOf('</head>'));
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(
      scripts.filter((s) => !/type="(module|application\/json)"/.test(s)),
      'inline scripts',
    ).to.deep.equal([]);
    // The page's scripts come after the rows, so the rows are painted before any script is compiled.
    expect(html.indexOf('type="module"')).to.be.greaterThan(html.indexOf(`data-row-key="${taskId}"`));

    const zhangsan = await web.product.login('zhangsan');
    const other = await page('/workbench/todo', `${zhangsan.headers.cookie}; ${ZONE}`);
    expect(other.html).to.contain('id="wf-preload"');
    expect(other.html).not.to.contain(taskId);
  });

  it('in English when the visitor chose English', async () => {
    const { html } = await page('/workbench/todo', `${lisi.headers.cookie}; wf_zone=Europe%2FBerlin; wf_locale=en`);
    expect(html).to.contain('<html lang="en"');
    expect(html).to.contain('id="wf-preload"');
    expect(html).to.match(/>To do</);
  });

  it('not signed in, no time zone yet, a forged zone, or another page: the page as built', async () => {
    const cases: Array<[string, string]> = [
      ['/workbench/todo', ZONE],
      ['/workbench/todo', 'wf_session=forged; ' + ZONE],
      ['/workbench/todo', lisi.headers.cookie!],
      ['/workbench/todo', `${lisi.headers.cookie}; wf_zone=Mars%2FOlympus`],
      ['/workbench/started', `${lisi.headers.cookie}; ${ZONE}`],
      ['/admin', `${lisi.headers.cookie}; ${ZONE}`],
    ];
    for (const [path, cookie] of cases) {
      const { res, html } = await page(path, cookie);
      expect(res.status, `${path} with ${cookie}`).to.equal(200);
      expect(html, `${path} with ${cookie}`).to.contain('<div id="root"></div>');
      expect(html).not.to.contain('wf-preload');
      expect(html, 'the page’s scripts').to.contain('type="module"');
      // Tried and given up (the forged session) or not tried: either way no shared cache keeps it.
      expect(res.headers.get('cache-control')).to.match(/^(no-cache|private, no-store)$/);
    }
  });

  it('in Chromium: the rows show with scripts off, and with them on the page hydrates without an error and works', async () => {
    const session = await web.as('lisi'); // signing in through the page writes the zone cookie
    const cookies = await session.context.cookies(web.base);
    expect(cookies.map((c) => c.name)).to.include.members(['wf_zone', 'wf_locale']);

    const noScript = await web.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1440, height: 900 } });
    await noScript.addCookies(cookies);
    const still = await noScript.newPage();
    await still.goto(web.base + '/workbench/todo');
    expect(await still.locator(`tr[data-row-key="${taskId}"]`).isVisible()).to.equal(true);
    expect(await still.locator(`tr[data-row-key="${taskId}"]`).innerText()).to.contain('请假');
    expect(await still.locator('.ant-layout-sider').isVisible(), 'the side menu on a wide screen').to.equal(true);
    await noScript.close();
    // On a phone the first paint already has the phone's frame: the menu button, no side menu.
    const phone = await web.browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    await phone.addCookies(cookies);
    const small = await phone.newPage();
    await small.goto(web.base + '/workbench/todo');
    expect(await small.locator(`tr[data-row-key="${taskId}"]`).isVisible()).to.equal(true);
    expect(await small.locator('.ant-layout-sider').isVisible(), 'the side menu on a phone').to.equal(false);
    expect(await small.locator('header button.wf-narrow').isVisible(), 'the menu button on a phone').to.equal(true);
    await phone.close();

    await session.open('/workbench/todo');
    expect(await session.page.evaluate("document.getElementById('wf-preload') !== null"), 'rendered by the server').to.equal(true);
    await session.page.locator(`tr[data-row-key="${taskId}"] a`).first().click();
    await session.page.waitForURL(`**/workbench/tasks/${taskId}`);
    await session.page.waitForLoadState('networkidle');
    expect(session.trouble).to.deep.equal({ consoleErrors: [], pageErrors: [], failed: [] });
  });

  it('the renderer: text from the answers cannot close the data block, and a failing answer renders nothing', async () => {
    const renderer = (await import(pathToFileURL(WEB_RENDERER).href)) as {
      render(r: { url: string; cookies: string; get(path: string): Promise<unknown> }): Promise<{ root: string; after: string } | null>;
    };
    const hostile = '</script><script>alert(1)</script><!--';
    const me = { id: 'u1', name: hostile, kind: 'staff', roles: [], permissions: ['task:read'], menus: [], dataScope: 'self', departments: [], groups: [], csrfToken: null, expiresAt: null };
    const task = {
      id: 't1',
      name: hostile,
      activityId: 'a',
      processKey: 'p',
      businessKey: hostile,
      instanceId: 'i',
      initiator: null,
      assignee: 'u1',
      owner: null,
      endedBy: null,
      candidateUsers: [],
      candidateGroups: [],
      dueAt: null,
      dueState: null,
      createdAt: '2026-12-07T08:00:00Z',
    };
    const answers = (list: () => unknown) => async (path: string) => (path === '/api/auth/me' ? me : path.startsWith('/api/tasks') ? list() : Promise.reject(new Error('404')));

    const page = await renderer.render({ url: '/workbench/todo', cookies: ZONE, get: answers(() => ({ items: [task], total: 1, offset: 0, limit: 20 })) });
    expect(page).to.not.equal(null);
    expect(page!.after.match(/<\/script>/g)).to.have.length(1);
    expect(page!.after).not.to.contain('<!--');
    const data = JSON.parse(page!.after.replace(/^<script[^>]*>/, '').replace(/<\/script>$/, ''));
    expect(data.preloaded['/api/auth/me'].name).to.equal(hostile);
    expect(page!.root).not.to.contain('<script');
    expect(page!.root).to.contain('&lt;/script&gt;');

    let failure: unknown;
    await renderer.render({ url: '/workbench/todo', cookies: ZONE, get: answers(() => Promise.reject(new Error('500'))) }).catch((err: unknown) => (failure = err));
    expect(String(failure)).to.contain('500');
  });

  describe('the portal’s service hall', () => {
    const PHONE = { width: 390, height: 844 };
    const inlineScripts = (html: string) => (html.match(/<script\b[^>]*>/g) ?? []).filter((s) => !/type="(module|application\/json)"/.test(s));

    it('arrives with its classes and services to anyone, in the language last chosen, styles first and without inline script', async () => {
      const { res, html } = await page('/portal', '');
      expect(res.status).to.equal(200);
      expect(res.headers.get('cache-control')).to.equal('private, no-store');
      expect(html).to.contain('id="wf-preload"');
      expect(html).to.contain('<html lang="zh-CN"');
      expect(html).to.contain('href="/portal/services/');
      expect(html).to.contain('禁行道路通行证核发');
      expect(html.indexOf('<style')).to.be.lessThan(html.indexOf('</head>'));
      expect(inlineScripts(html)).to.deep.equal([]);
      expect(html.indexOf('type="module"')).to.be.greaterThan(html.indexOf('href="/portal/services/'));

      const english = await page('/portal/', 'wf_locale=en');
      expect(english.html).to.contain('<html lang="en"');
      expect(english.html).to.match(/>Services</);
    });

    it('every other portal page comes as built', async () => {
      for (const path of ['/portal/cases', '/portal/services/nope', '/portal/login']) {
        const { res, html } = await page(path, '');
        expect(res.status, path).to.equal(200);
        expect(html, path).to.contain('<div id="root"></div>');
        expect(html, path).not.to.contain('wf-preload');
      }
    });

    it('in Chromium: the services show with scripts off; with them on the hall hydrates without an error, its search filters and a service opens', async () => {
      const noScript = await web.browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
      const still = await noScript.newPage();
      await still.goto(web.base + '/portal');
      expect(await still.locator('.portal-row').count()).to.be.greaterThan(5);
      expect(await still.locator('.portal-row').first().isVisible()).to.equal(true);
      expect(await still.locator('.portal-tabs').isVisible(), 'the tab bar').to.equal(true);
      await noScript.close();

      const visitor = await web.anonymous({ viewport: PHONE });
      await visitor.open('/portal');
      expect(await visitor.page.evaluate("document.getElementById('wf-preload') !== null"), 'rendered by the server').to.equal(true);
      const all = await visitor.page.locator('.portal-row').count();
      await visitor.page.getByRole('textbox', { name: '搜索业务名称或拼音首字母' }).fill('jx');
      await visitor.page.waitForFunction(`document.querySelectorAll('.portal-row').length < ${all}`);
      await visitor.page.locator('.portal-row').first().click();
      await visitor.page.waitForURL('**/portal/services/**');
      await visitor.page.waitForLoadState('networkidle');
      expect(visitor.trouble).to.deep.equal({ consoleErrors: [], pageErrors: [], failed: [] });
    });

    it('the renderer: names from the catalog cannot close the data block', async () => {
      const renderer = (await import(pathToFileURL(PORTAL_RENDERER).href)) as {
        render(r: { url: string; cookies: string; get(path: string): Promise<unknown> }): Promise<{ root: string; after: string } | null>;
      };
      const hostile = '</script><script>alert(1)</script><!--';
      const hall = { classes: [{ code: 'c', name: hostile, logo: null, services: [{ number: 'S1', name: hostile, type: '1', fee: 0, timeLimitDays: 1, pinyin: '', wubi: '' }] }] };
      const rendered = await renderer.render({ url: '/portal', cookies: '', get: async () => hall });
      expect(rendered!.after.match(/<\/script>/g)).to.have.length(1);
      expect(rendered!.root).not.to.contain('<script');
      expect(rendered!.root).to.contain('&lt;/script&gt;');
      expect(await renderer.render({ url: '/portal/cases', cookies: '', get: async () => hall })).to.equal(null);
    });
  });
});
