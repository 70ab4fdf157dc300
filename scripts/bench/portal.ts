/**
 * The portal row: the service hall's largest contentful paint on a phone, as
 * the issue measures it — Debian's Chromium (playwright-core) at 390 × 844
 * with the CPU slowed four times and DevTools' "Fast 3G" network (562.5 ms
 * round trip, 1.44 Mbit/s down, 675 Kbit/s up), 20 loads with a cold cache
 * each (a fresh context), the product as `npm start` wires it (demo data,
 * the shipped catalog published) on SQLite. LCP is read off the page's own
 * PerformanceObserver once the page has loaded and the hall has painted its
 * services. Target: p75 ≤
 * 2.5 s.
 */
import { chromium } from 'playwright-core';
import { ensureWebBuild } from '../../engine/web-build.ts';
import { startDemoServer } from './demo-server.ts';
import { percentile } from './stats.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** DevTools' "Fast 3G" preset. */
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.44 * 1024 * 1024) / 8, uploadThroughput: (675 * 1024) / 8 };
const CPU_SLOWDOWN = 4;
const TARGET_MS = 2500;

/**
 * The page's largest contentful paint so far, in ms from navigation start —
 * once there is one (a page the server rendered has its rows in the document
 * before they are painted).
 */
const LCP = `new Promise((resolve) => {
  let last = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) last = e.startTime; }).observe({ type: 'largest-contentful-paint', buffered: true });
  const settle = () => (last > 0 ? resolve(last) : setTimeout(settle, 50));
  setTimeout(settle, 50);
})`;

export async function benchPortal(options: { loads: number; log(line: string): void }) {
  await ensureWebBuild(options.log);
  const { base, close } = await startDemoServer('portal');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const samples: number[] = [];
  try {
    for (let i = 0; i < options.loads; i++) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', FAST_3G);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
      await page.goto(`${base}/portal`);
      await page.locator('.portal-row').first().waitFor({ timeout: 60_000 });
      samples.push(Math.round(await page.evaluate<number>(LCP)));
      await context.close();
      options.log(`portal load ${i + 1}/${options.loads}: LCP ${samples.at(-1)} ms`);
    }
  } finally {
    await browser.close();
    await close();
  }
  const p75 = percentile(samples, 0.75);
  return { loads: samples.length, lcpP50Ms: percentile(samples, 0.5), lcpP75Ms: p75, targetMs: TARGET_MS, met: p75 <= TARGET_MS };
}
