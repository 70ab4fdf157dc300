/**
 * Real pages in Debian's Chromium, driven by playwright-core from mocha (never
 * a downloaded browser). The product runs in-process as `npm start` wires it,
 * with the web pages built first when their build is missing or stale. Each
 * page records what went wrong on it — console errors, uncaught exceptions,
 * failed requests — for the test to assert on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { ensureWebBuild } from '../../engine/web-build.ts';
import { DEMO_PASSWORD, startProduct, type Product, type Session } from './product.ts';
import { onCi } from './services.ts';
import { expect } from 'chai';
import { portalZh } from '../../designer/src/i18n/portal.zh-CN.ts';
import { zhCN } from '../../designer/src/i18n/zh-CN.ts';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/lib/chromium/chromium-headless-shell'].filter((p): p is string => !!p);
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export const chromiumPath = (): string | null => CANDIDATES.find((p) => fs.existsSync(p)) ?? null;

/** The phone most portal tests hold. */
export const PHONE = { width: 390, height: 844 };

/** Where the screenshots of this run go (looked at by people, not compared by tests). */
export const SCREENSHOTS = path.resolve('.tmp', 'screenshots');

export interface Trouble {
  consoleErrors: string[];
  pageErrors: string[];
  /** Requests that failed or answered ≥ 400, as "status METHOD path". */
  failed: string[];
}

export interface WebSession {
  page: Page;
  context: BrowserContext;
  trouble: Trouble;
  /** Open a path of the product and wait until the page has settled. */
  open(route: string): Promise<void>;
  /** Open it again (about 10 s at most) until `shown` is there: what a background job or a notice brings. */
  openUntil(route: string, shown: Locator): Promise<void>;
  screenshot(name: string): Promise<string>;
}

export interface Web {
  product: Product;
  browser: Browser;
  base: string;
  /** A fresh browser context signed in as `username` through the sign-in page. */
  as(username: string, options?: { viewport?: { width: number; height: number }; locale?: 'zh-CN' | 'en' }): Promise<WebSession>;
  /** Every session opened so far (for screenshots when a test fails). */
  sessions: WebSession[];
  /** A fresh context nobody is signed in to. */
  anonymous(options?: { viewport?: { width: number; height: number } }): Promise<WebSession>;
  /** A fresh context of a citizen signed in by SMS code (read at the simulator) — or in the session given —, on a phone unless told. */
  citizen(who: string | Session, options?: { viewport?: { width: number; height: number } }): Promise<WebSession>;
  close(): Promise<void>;
}

/**
 * Called first in a describe body: without Chromium the suite is skipped with
 * one line (under CI=true it fails: .ci/run installs it).
 */
export function needsChromium(suite: Mocha.Suite): void {
  if (chromiumPath()) return;
  if (!onCi()) {
    console.log(`  (browser tests skipped: no Chromium at ${CANDIDATES.join(' or ')}; apt-get install -y chromium fonts-noto-cjk)`);
    suite.pending = true;
    return;
  }
  suite.beforeAll('needs Chromium', () => {
    throw new Error('no Chromium: CI=true, so the browser suites fail instead of being skipped (.ci/run installs it with apt)');
  });
}

export async function startWeb(env: Record<string, string> = {}): Promise<Web> {
  await ensureWebBuild();
  const product = await startProduct('sqlite', env);
  const browser = await chromium.launch({ executablePath: chromiumPath()!, args: FLAGS, headless: true });
  const base = product.base;

  const sessions: WebSession[] = [];
  const session = async (context: BrowserContext): Promise<WebSession> => {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const trouble: Trouble = { consoleErrors: [], pageErrors: [], failed: [] };
    page.on('console', (m) => {
      // A 4xx the page expected is reported by the browser as a console error too; requests are judged below.
      if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) trouble.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => trouble.pageErrors.push(e.message));
    page.on('requestfailed', (r) => {
      const why = r.failure()?.errorText ?? '';
      if (!/ERR_ABORTED/.test(why)) trouble.failed.push(`failed ${r.method()} ${new URL(r.url()).pathname} ${why}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) trouble.failed.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    const opened: WebSession = {
      page,
      context,
      trouble,
      async open(route) {
        await page.goto(base + route, { waitUntil: 'networkidle' });
      },
      async openUntil(route, shown) {
        await opened.open(route);
        for (let i = 0; i < 50 && !(await shown.count()); i++) {
          await page.waitForTimeout(200);
          await opened.open(route);
        }
        await shown.first().waitFor();
      },
      async screenshot(name) {
        fs.mkdirSync(SCREENSHOTS, { recursive: true });
        const file = path.join(SCREENSHOTS, `${name}.png`);
        await page.screenshot({ path: file, fullPage: true });
        return file;
      },
    };
    sessions.push(opened);
    return opened;
  };

  return {
    product,
    browser,
    base,
    sessions,
    async as(username, options = {}) {
      const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 900 }, locale: options.locale ?? 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const s = await session(context);
      await s.open('/login');
      await s.page.fill('#username', username);
      await s.page.fill('#password', DEMO_PASSWORD);
      await s.page.click('button[type=submit]');
      await s.page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await s.page.waitForLoadState('networkidle');
      // Signing in: the probe of /api/auth/me before it answers 401, as it should.
      s.trouble.failed = s.trouble.failed.filter((f) => f !== '401 GET /api/auth/me');
      return s;
    },
    async anonymous(options = {}) {
      const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      return session(context);
    },
    async citizen(who, options = {}) {
      const context = await browser.newContext({ viewport: options.viewport ?? PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const signedIn = typeof who === 'string' ? await product.loginCitizen(who) : who;
      const [name = '', value = ''] = signedIn.headers.cookie!.split(';')[0]!.split('=');
      await context.addCookies([{ name, value, url: base }]);
      return session(context);
    },
    async close() {
      await browser.close();
      await product.close();
    },
  };
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core run inside the page (evaluated through the debugger protocol, so the page's CSP stays as it is). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, evaluated in the page (whose DOM types this Node project does not have).
  const run = `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((result) =>
    result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200)) })))`;
  const violations = await page.evaluate<AxeViolation[]>(run);
  return violations;
}

/** Message keys shown as they are (a missing translation) in the page's text. */
export async function untranslatedKeys(page: Page, keys: Iterable<string>): Promise<string[]> {
  const text = await page.evaluate<string>('document.body.innerText');
  return [...keys].filter((key) => new RegExp(`(^|[^\\w.-])${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w.-])`).test(text));
}

/** A button's accessible name as antd renders it: two-character Chinese labels spaced (保 存), an icon's name perhaps first. */
export const buttonLabel = (text: string) => new RegExp(`(^|\\s)${[...text].join('\\s*')}\\s*$`);
export const button = (page: Page, text: string) => page.getByRole('button', { name: buttonLabel(text) });

/** Picks an option of an Ant Design select by its text, typed first where it searches: the list is virtual, and only what is drawn can be clicked. */
export async function pickOption(select: Locator, option: string, exact = false): Promise<void> {
  await select.click();
  if (await select.isEditable()) await select.fill(option);
  const item = select
    .page()
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: exact ? new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : option })
    .first();
  await item.waitFor();
  await select.page().waitForTimeout(250); // the list's opening animation: a click during it may be lost
  await item.click();
}

/** For afterEach: when a test failed, a screenshot of each page still open, their files named in the log. */
export function shotsWhenFailed(web: () => Web | undefined, prefix: string) {
  return async function (this: Mocha.Context) {
    const test = this.currentTest;
    const open = web()?.sessions.filter((s) => !s.page.isClosed());
    if (test?.state !== 'failed' || !open) return;
    const shots = await Promise.all(open.map((s, i) => s.screenshot(`failed-${prefix}-${test.title.slice(0, 20)}-${i}`).catch(() => '')));
    console.log(`      the pages when it failed: ${shots.filter(Boolean).join(', ')}`);
  };
}

/** Every message key of the portal's pages (the staff's and the portal's own catalogs). */
export const PORTAL_KEYS = [...Object.keys(zhCN), ...Object.keys(portalZh)];

/**
 * The page as a person may meet it: no uncaught error, console error or
 * failed request (but those `expected`), no message key shown untranslated,
 * no serious or critical axe-core violation, nothing wider than `width`.
 * The requests judged are forgotten: the next page is judged on its own.
 */
export async function expectClean(session: WebSession, what: string, options: { width: number; keys?: Iterable<string>; expected?: RegExp[] }): Promise<void> {
  const { page, trouble } = session;
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
  expect(trouble.pageErrors, `${what}: uncaught errors`).to.deep.equal([]);
  expect(trouble.consoleErrors, `${what}: console errors`).to.deep.equal([]);
  expect(
    trouble.failed.filter((f) => !(options.expected ?? []).some((e) => e.test(f))),
    `${what}: failed requests`,
  ).to.deep.equal([]);
  expect(await untranslatedKeys(page, options.keys ?? PORTAL_KEYS), `${what}: message keys shown as they are`).to.deep.equal([]);
  const serious = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${what}: axe-core`).to.deep.equal([]);
  expect(await page.evaluate<number>('document.documentElement.scrollWidth'), `${what}: no sideways scrolling`).to.be.at.most(options.width);
  trouble.failed = [];
}
