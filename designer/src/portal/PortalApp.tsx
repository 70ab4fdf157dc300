/**
 * The portal's tree, shared by the browser (main.tsx) and the server's render
 * of the hall (entry-server.tsx): language, theme, session, and its pages by
 * route under /portal. The service hall comes with the first script; every other page is
 * a chunk of its own, fetched when opened. Pages of one's own (cases,
 * documents, messages) ask to sign in first and come back afterwards.
 */
import { ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { lazy, useEffect, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { session as transport } from '../api/client.ts';
import { PreloadProvider, type Preloaded } from '../api/preload.tsx';
import { SessionProvider, useSession } from '../api/session.tsx';
import { I18nProvider, loadMessages, useI18n, type Locale } from '../i18n/index.tsx';
import { Loaded, Loading } from '../shell/Loading.tsx';
import { THEME } from '../theme.ts';
import { HallPage } from './HallPage.tsx';
import { PortalShell } from './PortalShell.tsx';

const ServicePage = lazy(() => import('./ServicePage.tsx').then((m) => ({ default: m.ServicePage })));
const SignInPage = lazy(() => import('./SignInPage.tsx').then((m) => ({ default: m.SignInPage })));
const CasesPage = lazy(() => import('./CasesPage.tsx').then((m) => ({ default: m.CasesPage })));
const CasePage = lazy(() => import('./CasePage.tsx').then((m) => ({ default: m.CasePage })));
// Pages with forms bring the forms' words (and the forms library) when first opened.
const withForms = <T,>(page: Promise<T>) => Promise.all([page, loadMessages('forms')]).then(([m]) => m);
const ApplyPage = lazy(() => withForms(import('./ApplyPage.tsx')).then((m) => ({ default: m.ApplyPage })));
const IdentityPage = lazy(() => withForms(import('./ApplyPage.tsx')).then((m) => ({ default: m.IdentityPage })));
const TaskFormPage = lazy(() => withForms(import('./TaskFormPage.tsx')).then((m) => ({ default: m.TaskFormPage })));
const DocumentsPage = lazy(() => import('./DocumentsPage.tsx').then((m) => ({ default: m.DocumentsPage })));
const InvitationPage = lazy(() => import('./InvitationPage.tsx').then((m) => ({ default: m.InvitationPage })));
const VerifyPage = lazy(() => import('./VerifyPage.tsx').then((m) => ({ default: m.VerifyPage })));
const MessagesPage = lazy(() => import('./MessagesPage.tsx').then((m) => ({ default: m.MessagesPage })));
const MePage = lazy(() => import('./MePage.tsx').then((m) => ({ default: m.MePage })));
const NotFound = lazy(() => import('./PortalNotFound.tsx').then((m) => ({ default: m.PortalNotFound })));

function Themed({ children }: { children: ReactNode }) {
  const { locale, t } = useI18n();
  useEffect(() => {
    transport.setLocale(locale);
    document.documentElement.lang = locale;
    document.title = t('portal.title');
  }, [locale, t]);
  return (
    // No antd App here: its message, modal and notification code loads with the pages that use them (WithApp).
    <ConfigProvider locale={locale === 'zh-CN' ? zhCN : enUS} theme={THEME}>
      {children}
    </ConfigProvider>
  );
}

/** One's own pages: nobody signed in goes to the sign-in page, and comes back here afterwards. */
function Mine({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const location = useLocation();
  if (me === undefined) return <Loading />;
  if (me === null) return <Navigate to={`/portal/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <Loaded>{children}</Loaded>;
}

const open = (page: ReactNode) => <Loaded>{page}</Loaded>;

/** What the server rendered the hall with (portal/entry-server.tsx): its language and the hall's answer. */
export interface PortalRendered {
  locale: Locale;
  preloaded: Preloaded;
}

export function PortalApp({ rendered }: { rendered?: PortalRendered }) {
  return (
    <I18nProvider rendered={rendered}>
      <PreloadProvider value={rendered?.preloaded ?? {}}>
        <SessionProvider anonymousOk>
          <Themed>
            <Routes>
              <Route path="/portal" element={<PortalShell />}>
                <Route index element={<HallPage />} />
                <Route path="services/:number" element={open(<ServicePage />)} />
                <Route path="login" element={open(<SignInPage />)} />
                <Route path="verify/:code" element={open(<VerifyPage />)} />
                <Route path="invitations/:key" element={open(<InvitationPage />)} />
                <Route path="apply/:number" element={<Mine>{<ApplyPage />}</Mine>} />
                <Route path="cases" element={<Mine>{<CasesPage />}</Mine>} />
                <Route path="cases/:id" element={<Mine>{<CasePage />}</Mine>} />
                <Route path="cases/:id/tasks/:taskId" element={<Mine>{<TaskFormPage />}</Mine>} />
                <Route path="documents" element={<Mine>{<DocumentsPage />}</Mine>} />
                <Route path="messages" element={<Mine>{<MessagesPage />}</Mine>} />
                <Route path="me" element={<Mine>{<MePage />}</Mine>} />
                <Route path="identity" element={<Mine>{<IdentityPage />}</Mine>} />
                <Route path="*" element={open(<NotFound />)} />
              </Route>
              <Route path="*" element={<Navigate to="/portal" replace />} />
            </Routes>
          </Themed>
        </SessionProvider>
      </PreloadProvider>
    </I18nProvider>
  );
}
