/**
 * The admin console: one page per area, each behind the permission its menu
 * entry needs (menus.tsx shows the same entries); /admin opens the first one
 * where the user may change something (an analyst: the definitions), else the
 * first they may see. The service catalog's pages are a chunk of their own.
 */
import { lazy, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useSession } from '../api/session.tsx';
import { ForbiddenPage, NotFoundPage } from '../pages/ErrorPages.tsx';
import { Loaded } from '../shell/Loading.tsx';
import { AuditPage } from './AuditPage.tsx';
import { CasesPage } from './CasesPage.tsx';
import { ConnectorsPage } from './ConnectorsPage.tsx';
import { DefinitionsPage } from './DefinitionsPage.tsx';
import { DepartmentsPage } from './DepartmentsPage.tsx';
import { DictionariesPage } from './DictionariesPage.tsx';
import { FormsPage } from './FormsPage.tsx';
import { ImportPage } from './ImportPage.tsx';
import { IncidentsPage } from './IncidentsPage.tsx';
import { JobsPage } from './JobsPage.tsx';
import { RolesPage } from './RolesPage.tsx';
import { Guard } from './shared.tsx';
import { UsersPage } from './UsersPage.tsx';

const CatalogPage = lazy(() => import('./catalog/CatalogPage.tsx').then((m) => ({ default: m.CatalogPage })));
const ServicePage = lazy(() => import('./catalog/ServicePage.tsx').then((m) => ({ default: m.ServicePage })));
const TablePage = lazy(() => import('./catalog/TablePage.tsx').then((m) => ({ default: m.TablePage })));
const lazyPage = (page: ReactNode) => <Loaded>{page}</Loaded>;

type Can = (permission: string) => boolean;

/** `manages`: the page is where the user changes things (not only reads) — /admin opens the first such. */
const PAGES: Array<{ path: string; allowed: (can: Can) => boolean; manages?: (can: Can) => boolean; page: React.ReactNode }> = [
  { path: 'departments', allowed: (can) => can('org:read'), manages: (can) => can('org:manage'), page: <DepartmentsPage /> },
  { path: 'users', allowed: (can) => can('org:read'), manages: (can) => can('org:manage'), page: <UsersPage /> },
  { path: 'roles', allowed: (can) => can('org:read'), manages: (can) => can('role:manage'), page: <RolesPage /> },
  { path: 'import', allowed: (can) => can('org:manage'), page: <ImportPage /> },
  // An analyst keeps dictionaries too, but starts at the definitions.
  { path: 'dictionaries', allowed: (can) => can('dictionary:manage'), manages: (can) => can('dictionary:manage') && !can('definition:deploy'), page: <DictionariesPage /> },
  { path: 'definitions', allowed: (can) => can('definition:read'), manages: (can) => can('definition:deploy'), page: <DefinitionsPage /> },
  { path: 'forms', allowed: (can) => can('form:read') && can('definition:read'), manages: (can) => can('form:deploy'), page: <FormsPage /> },
  // After the definitions: an analyst (who may deploy) still starts there.
  { path: 'catalog', allowed: (can) => can('catalog:read'), manages: (can) => can('catalog:manage'), page: lazyPage(<CatalogPage />) },
  { path: 'catalog/services/:service', allowed: (can) => can('catalog:read'), manages: () => false, page: lazyPage(<ServicePage />) },
  { path: 'catalog/tables/:table', allowed: (can) => can('catalog:read'), manages: () => false, page: lazyPage(<TablePage />) },
  { path: 'connectors', allowed: (can) => can('connector:manage'), page: <ConnectorsPage /> },
  { path: 'jobs', allowed: (can) => can('incident:manage'), page: <JobsPage /> },
  { path: 'incidents', allowed: (can) => can('incident:manage'), page: <IncidentsPage /> },
  { path: 'audit', allowed: (can) => can('audit:read'), page: <AuditPage /> },
  { path: 'cases', allowed: (can) => can('instance:manage'), page: <CasesPage /> },
];

function FirstPage() {
  const { can } = useSession();
  const first = PAGES.find((p) => p.allowed(can) && (p.manages ?? p.allowed)(can)) ?? PAGES.find((p) => p.allowed(can));
  return first ? <Navigate to={first.path} replace /> : <ForbiddenPage />;
}

export default function AdminRoutes() {
  return (
    <Routes>
      <Route index element={<FirstPage />} />
      {PAGES.map((p) => (
        <Route key={p.path} path={p.path} element={<Guard allowed={p.allowed}>{p.page}</Guard>} />
      ))}
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
