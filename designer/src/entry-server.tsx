/**
 * The server's render of a signed-in list page (待办, 已办): the first rows
 * arrive in the page itself, painted before any script has run, and the
 * browser then hydrates them (main.tsx) with the same answers. The server
 * fetches those answers from its own API with the visitor's cookie
 * (engine/http/prerender.ts), so every check a browser's request meets
 * applies here too. Any other page, or a visitor not signed in, or one whose
 * time zone is not known yet (the cookie is written by the first page they
 * load), gets the page unrendered.
 */
import { createCache, extractStyle } from '@ant-design/cssinjs';
import type { ReactNode } from 'react';
import { StaticRouter } from 'react-router-dom';
import { App, APPS, type Rendered } from './App.tsx';
import { requestKey, type Page } from './api/client.ts';
import { PROCESS_NAMES, userPath } from './api/directory.ts';
import { defaultFilter, tabOf, taskListQuery, type TaskList } from './api/inbox.ts';
import type { Task } from './api/records.ts';
import type { Me } from './api/session.tsx';
import { COOKIE, type Locale } from './i18n/index.tsx';
import { cookieValues, localeOf, renderPage, type RenderedPage, type RenderRequest } from './render/server.tsx';

const LIST_PAGE = /^\/workbench\/(todo|done)\/?$/;

// The list pages' code and messages load with the renderer, not on the first visitor's request.
const loaded = Promise.all([APPS.workbench(), import('./workbench/TaskListPage.tsx')]);

/**
 * Whether this page is one the server renders, for a visitor whose time zone
 * is known — decided before any answer is asked for, so that the page's head
 * (its styles) can go out at once — and in which language.
 */
export function renders(address: string, cookieHeader: string): { locale: Locale; zone: string } | null {
  const url = new URL(address, 'http://page');
  const cookies = cookieValues(cookieHeader);
  const zone = cookies.get(COOKIE.zone);
  if (!LIST_PAGE.test(url.pathname) || !zone || !isTimeZone(zone)) return null;
  return { locale: localeOf(cookies), zone };
}

/**
 * Ant Design's styles, generated once per component and theme and kept for
 * every later render (they depend on neither the visitor nor the rows): a
 * render takes a quarter of the time. A page carries every style generated so
 * far, a set that stops growing; the browser's Ant Design finds them there and
 * does not generate them again.
 */
const styles = createCache();

/** Ant Design's styles generated so far, as <style> elements. */
export const styleElements = (): string => extractStyle(styles);

/** The page with the visitor's answers, or null when it is not one to render (see renders) or the visitor may not read tasks. */
export async function render(request: RenderRequest): Promise<RenderedPage | null> {
  const plan = renders(request.url, request.cookies);
  if (!plan) return null;
  const { locale, zone } = plan;
  const url = new URL(request.url, 'http://page');
  const list = LIST_PAGE.exec(url.pathname)![1] as TaskList;
  const preloaded: Record<string, unknown> = {};
  const get = async <T,>(key: string, optional = false): Promise<T | undefined> => {
    try {
      return (preloaded[key] = (await request.get(key, locale)) as T);
    } catch (err) {
      if (optional) return undefined; // the page shows what it shows without it (an id for a name)
      throw err;
    }
  };

  await loaded;
  const me = await get<Me>(requestKey('/api/auth/me'), true);
  if (!me?.permissions.includes('task:read')) return null;
  const [page] = await Promise.all([
    get<Page<Task>>(requestKey('/api/tasks', taskListQuery(me, list, tabOf(url.search), defaultFilter(list), 1))),
    get(requestKey(PROCESS_NAMES.path, PROCESS_NAMES.query), true),
  ]);
  const people = new Set((page?.items ?? []).flatMap((task) => [task.initiator, task.assignee, task.endedBy, task.owner]).filter((id): id is string => !!id));
  await Promise.all([...people].map((id) => get(requestKey(userPath(id)), true)));

  const rendered: Rendered = { locale, zone, preloaded };
  const Router = ({ children }: { children: ReactNode }) => <StaticRouter location={url.pathname + url.search}>{children}</StaticRouter>;
  return renderPage(<App Router={Router} rendered={rendered} />, styles, rendered);
}

/** Zones found valid (a formatter per check costs a millisecond; there are a few hundred zones). */
const ZONES = new Set<string>();
function isTimeZone(zone: string): boolean {
  if (ZONES.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    ZONES.add(zone);
    return true;
  } catch {
    return false;
  }
}
