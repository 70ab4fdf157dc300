/**
 * The browser's start. A page the server rendered (a signed-in list, see
 * entry-server.tsx) is hydrated with the answers it was rendered with; any
 * other page is rendered here. Either way the page asked for starts loading
 * before the session is known: its app, its page's code and, once the user is
 * known, the first page of its list — side by side, not one after another.
 */
import { createRoot, hydrateRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import './global.css';
import { App, APPS, type Rendered } from './App.tsx';
import { api } from './api/client.ts';
import { defaultFilter, tabOf, taskListQuery, type TaskList } from './api/inbox.ts';
import { PRELOAD_ELEMENT_ID } from './api/preload.tsx';
import type { Me } from './api/session.tsx';

function startEarly(path: string, search: string): void {
  if (path.startsWith('/admin')) void APPS.admin();
  const list = /^\/workbench\/(todo|done)\/?$/.exec(path)?.[1] as TaskList | undefined;
  if (path.startsWith('/workbench')) void APPS.workbench();
  if (list) void import('./workbench/TaskListPage.tsx');
  if (path === '/login') return;
  // The list's request leaves the moment the user is known, not after the first render.
  void api
    .getShared<Me>('/api/auth/me')
    .then((me) => list && me.permissions.includes('task:read') && api.getShared('/api/tasks', taskListQuery(me, list, tabOf(search), defaultFilter(list), 1)))
    .catch(() => undefined);
}

const root = document.getElementById('root')!;
const text = document.getElementById(PRELOAD_ELEMENT_ID)?.textContent;
const rendered = text ? (JSON.parse(text) as Rendered) : undefined;
if (rendered) api.seed(rendered.preloaded);
startEarly(location.pathname, location.search);
if (rendered) hydrateRoot(root, <App Router={BrowserRouter} rendered={rendered} />);
else createRoot(root).render(<App Router={BrowserRouter} />);
