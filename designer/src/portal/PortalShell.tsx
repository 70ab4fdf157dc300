/**
 * The portal's frame, phone first: a header with the product's name and the
 * language switch, the page, and a tab bar at the bottom (办事大厅, 我的办件,
 * 我的证照, 消息 with the unread count, 我的) — 56 px high, each tab a touch
 * target of its own. On a wide screen the same column sits in the middle.
 */
import { AppstoreOutlined, BellOutlined, FileDoneOutlined, IdcardOutlined, UserOutlined } from '@ant-design/icons';
import { Badge } from 'antd';
import type { ReactNode } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router-dom';
import { api } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { usePolling } from '../shell/usePolling.ts';

const TABS: Array<{ to: string; label: MessageKey; icon: ReactNode; end?: boolean }> = [
  { to: '/portal', label: 'portal.tab.hall', icon: <AppstoreOutlined />, end: true },
  { to: '/portal/cases', label: 'portal.tab.cases', icon: <FileDoneOutlined /> },
  { to: '/portal/documents', label: 'portal.tab.documents', icon: <IdcardOutlined /> },
  { to: '/portal/messages', label: 'portal.tab.messages', icon: <BellOutlined /> },
  { to: '/portal/me', label: 'portal.tab.me', icon: <UserOutlined /> },
];

export function PortalShell() {
  const { t, locale, setLocale } = useI18n();
  const { me } = useSession();
  const { pathname } = useLocation();
  // Unread notices: asked again every 30 s while the page is seen, and on every page change.
  const unread = usePolling(() => (me ? api.get<{ unread: number }>('/api/notices', { limit: 1 }).then((page) => page.unread) : Promise.resolve(0)), 30_000, [me?.id, pathname]).value ?? 0;
  return (
    <div className="portal">
      <header className="portal-header">
        <Link to="/portal" className="portal-brand">
          {t('portal.brand')}
        </Link>
        <button type="button" className="portal-language" onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}>
          {t('shell.switchLanguage')}
        </button>
      </header>
      <main className="portal-main">
        <Outlet />
      </main>
      <nav className="portal-tabs" aria-label={t('portal.tabs')}>
        {TABS.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={tab.end} className={({ isActive }) => `portal-tab${isActive ? ' portal-tab-active' : ''}`}>
            <span className="portal-tab-icon" aria-hidden>
              {tab.to === '/portal/messages' ? (
                <Badge count={unread} size="small" offset={[6, -2]}>
                  {tab.icon}
                </Badge>
              ) : (
                tab.icon
              )}
            </span>
            <span>{t(tab.label)}</span>
            {tab.to === '/portal/messages' && unread > 0 && <span className="portal-visually-hidden">{t('portal.unread', { count: unread })}</span>}
          </NavLink>
        ))}
      </nav>
    </div>
  );
}
