/**
 * The server's render of the portal's service hall: a phone paints the
 * classes and services from the page itself, before its scripts have arrived
 * (on a slow network, a second and more), and the browser then hydrates them
 * (main.tsx) with the same answer. The hall is public, so every visitor's
 * first page gets it, signed in or not; the visitor's language comes from the
 * cookie their last visit wrote. Every other portal page is rendered by the
 * browser.
 */
import { createCache, extractStyle } from '@ant-design/cssinjs';
import { StaticRouter } from 'react-router-dom';
import { requestKey } from '../api/client.ts';
import { addMessages } from '../i18n/index.tsx';
import { portalEn } from '../i18n/portal.en.ts';
import { portalZh } from '../i18n/portal.zh-CN.ts';
import { cookieValues, localeOf, renderPage, type RenderedPage, type RenderRequest } from '../render/server.tsx';
import { HALL } from './HallPage.tsx';
import { PortalApp, type PortalRendered } from './PortalApp.tsx';

addMessages(portalZh, portalEn);

const HALL_PAGE = /^\/portal\/?$/;

/** Ant Design's styles, generated once and kept for every later render (see entry-server.tsx). */
const styles = createCache();
export const styleElements = (): string => extractStyle(styles);

/** Whether this page is the hall, and in which language. */
export function renders(address: string, cookieHeader: string) {
  if (!HALL_PAGE.test(new URL(address, 'http://page').pathname)) return null;
  return { locale: localeOf(cookieValues(cookieHeader)) };
}

/** The hall with its classes and services, or null when it is not the hall. */
export async function render(request: RenderRequest): Promise<RenderedPage | null> {
  const plan = renders(request.url, request.cookies);
  if (!plan) return null;
  const key = requestKey(HALL);
  const rendered: PortalRendered = { locale: plan.locale, preloaded: { [key]: await request.get(key, plan.locale) } };
  const path = new URL(request.url, 'http://page').pathname;
  return renderPage(
    <StaticRouter location={path}>
      <PortalApp rendered={rendered} />
    </StaticRouter>,
    styles,
    rendered,
  );
}
