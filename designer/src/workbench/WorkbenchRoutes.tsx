import { Navigate, Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../pages/ErrorPages.tsx';
import { CasePage } from './CasePage.tsx';
import { NoticesPage } from './NoticesPage.tsx';
import { StartedPage } from './StartedPage.tsx';
import { StartFormPage } from './StartFormPage.tsx';
import { StartPage } from './StartPage.tsx';
import { SupervisePage } from './SupervisePage.tsx';
import { TaskListPage } from './TaskListPage.tsx';
import { TaskPage } from './TaskPage.tsx';

export default function WorkbenchRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="todo" replace />} />
      <Route path="todo" element={<TaskListPage key="todo" list="todo" />} />
      <Route path="done" element={<TaskListPage key="done" list="done" />} />
      <Route path="started" element={<StartedPage />} />
      <Route path="cc" element={<NoticesPage key="cc" kind="cc" />} />
      <Route path="notices" element={<NoticesPage key="all" />} />
      <Route path="supervise" element={<SupervisePage />} />
      <Route path="tasks/:id" element={<TaskPage />} />
      <Route path="cases/:id" element={<CasePage />} />
      <Route path="start" element={<StartPage />} />
      <Route path="start/:key" element={<StartFormPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
