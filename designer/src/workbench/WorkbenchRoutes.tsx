/** The workbench's pages, each a chunk of its own: the 待办 list does not wait for the form renderer or the diagram. */
import { lazy, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../pages/ErrorPages.tsx';
import { Loaded } from '../shell/Loading.tsx';

const TaskListPage = lazy(() => import('./TaskListPage.tsx').then((m) => ({ default: m.TaskListPage })));
const TaskPage = lazy(() => import('./TaskPage.tsx').then((m) => ({ default: m.TaskPage })));
const CasePage = lazy(() => import('./CasePage.tsx').then((m) => ({ default: m.CasePage })));
const NoticesPage = lazy(() => import('./NoticesPage.tsx').then((m) => ({ default: m.NoticesPage })));
const StartedPage = lazy(() => import('./StartedPage.tsx').then((m) => ({ default: m.StartedPage })));
const SupervisePage = lazy(() => import('./SupervisePage.tsx').then((m) => ({ default: m.SupervisePage })));
const StartPage = lazy(() => import('./StartPage.tsx').then((m) => ({ default: m.StartPage })));
const StartFormPage = lazy(() => import('./StartFormPage.tsx').then((m) => ({ default: m.StartFormPage })));

const page = (element: ReactNode) => <Loaded>{element}</Loaded>;

export default function WorkbenchRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="todo" replace />} />
      <Route path="todo" element={page(<TaskListPage key="todo" list="todo" />)} />
      <Route path="done" element={page(<TaskListPage key="done" list="done" />)} />
      <Route path="started" element={page(<StartedPage />)} />
      <Route path="cc" element={page(<NoticesPage key="cc" kind="cc" />)} />
      <Route path="notices" element={page(<NoticesPage key="all" />)} />
      <Route path="supervise" element={page(<SupervisePage />)} />
      <Route path="tasks/:id" element={page(<TaskPage />)} />
      <Route path="cases/:id" element={page(<CasePage />)} />
      <Route path="start" element={page(<StartPage />)} />
      <Route path="start/:key" element={page(<StartFormPage />)} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
