/** The analyst's designer: the flows, each opened as BPMN or as an approval tree, and the forms; the views are chunks of their own. */
import { lazy, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useSession } from '../api/session.tsx';
import { ForbiddenPage, NotFoundPage } from '../pages/ErrorPages.tsx';
import { Loaded } from '../shell/Loading.tsx';
import { FlowsPage } from './FlowsPage.tsx';

const BpmnPage = lazy(() => import('./BpmnPage.tsx'));
const TreePage = lazy(() => import('./TreePage.tsx'));
const FormsListPage = lazy(() => import('./forms/FormsListPage.tsx'));
const FormDesignerPage = lazy(() => import('./forms/FormDesignerPage.tsx'));
const page = (element: ReactNode) => <Loaded>{element}</Loaded>;

export default function DesignerRoutes() {
  const { can } = useSession();
  if (!can('definition:read')) return <ForbiddenPage />;
  return (
    <Routes>
      <Route index element={<Navigate to="flows" replace />} />
      <Route path="flows" element={<FlowsPage />} />
      <Route path="bpmn/:key" element={page(<BpmnPage />)} />
      <Route path="tree/:key" element={page(<TreePage />)} />
      <Route path="forms" element={can('form:read') ? page(<FormsListPage />) : <ForbiddenPage />} />
      <Route path="forms/:key" element={can('form:read') ? page(<FormDesignerPage />) : <ForbiddenPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
