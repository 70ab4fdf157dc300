/**
 * The whole page's tree, shared by the browser (main.tsx) and the server's
 * render of signed-in list pages (entry-server.tsx): languages, theme, the
 * session, and the apps by route — each app a chunk of its own.
 */
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, StrictMode, useEffect, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { session as transport } from './api/client.ts';
import { PreloadProvider, type Preloaded } from './api/preload.tsx';
import { SessionProvider, useSession } from './api/session.tsx';
import { I18nProvider, loadMessages, useI18n, type Locale } from './i18n/index.tsx';
import { ForbiddenPage, NotFoundPage } from './pages/ErrorPages.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { AppShell } from './shell/AppShell.tsx';
import { Loaded, Loading } from './shell/Loading.tsx';
import { THEME } from './theme.ts';

// Each app is a chunk of its own (a clerk never downloads the admin console), fetched with its messages at once.
export const APPS = {
  workbench: once(() => Promise.all([import('./workbench/WorkbenchRoutes.tsx'), loadMessages('workbench', 'forms')]).then(([app]) => app)),
  admin: once(() => Promise.all([import('./admin/AdminRoutes.tsx'), loadMessages('admin', 'workbench', 'forms')]).then(([app]) => app)),
  designer: once(() => Promise.all([import('./designer/DesignerRoutes.tsx'), loadMessages('designer', 'admin', 'forms')]).then(([app]) => app)),
};
const Workbench = lazy(APPS.workbench);
const Admin = lazy(APPS.admin);
const Designer = lazy(APPS.designer);

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => (loading ??= load());
}

function Themed({ children }: { children: ReactNode }) {
  const { locale, t } = useI18n();
  useEffect(() => {
    transport.setLocale(locale);
    dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
    document.documentElement.lang = locale;
    document.title = t('app.title');
  }, [locale, t]);
  return (
    <ConfigProvider locale={locale === 'zh-CN' ? zhCN : enUS} theme={THEME}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** Pages behind sign-in: nobody signed in goes to /login and comes back here afterwards. */
function SignedIn({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const location = useLocation();
  if (me === undefined) return <Loading />;
  if (me === null) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

function Home() {
  const { me } = useSession();
  if (me?.permissions.includes('task:read')) return <Navigate to="/workbench/todo" replace />;
  if (me?.menus.includes('org') || me?.menus.includes('operations')) return <Navigate to="/admin" replace />;
  return <Navigate to="/403" replace />;
}

function Root() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <SignedIn>
            <AppShell />
          </SignedIn>
        }
      >
        <Route index element={<Home />} />
        <Route
          path="workbench/*"
          element={
            <Loaded>
              <Workbench />
            </Loaded>
          }
        />
        <Route
          path="admin/*"
          element={
            <Loaded>
              <Admin />
            </Loaded>
          }
        />
        <Route
          path="designer/*"
          element={
            <Loaded>
              <Designer />
            </Loaded>
          }
        />
        <Route path="403" element={<ForbiddenPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** What the server rendered a page with: its language and zone, and the answers it fetched. */
export interface Rendered {
  locale: Locale;
  zone: string;
  preloaded: Preloaded;
}

/** The page: `Router` is the browser's router, or the server's fixed one. */
export function App({ Router, rendered }: { Router: (props: { children: ReactNode }) => ReactNode; rendered?: Rendered }) {
  return (
    <StrictMode>
      <I18nProvider rendered={rendered}>
        <Themed>
          <Router>
            <PreloadProvider value={rendered?.preloaded ?? {}}>
              <SessionProvider>
                <Root />
              </SessionProvider>
            </PreloadProvider>
          </Router>
        </Themed>
      </I18nProvider>
    </StrictMode>
  );
}
