/**
 * The frame around every staff page: the app's menu on the left; along the
 * top the product, the app switch, the bell (unread notices), the language
 * switch and the user (with their posts) who can sign out.
 */
import { BellOutlined, GlobalOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Badge, Button, Dropdown, Layout, Menu, Segmented, Space } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { api, type Page } from '../api/client.ts';
import { assignedTo, claimableBy } from '../api/inbox.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { menusFor } from './menus.tsx';
import { ADMIN_PERMISSIONS } from './routes.ts';
import { INBOX_CHANGED, usePolling } from './usePolling.ts';
import { leaveThen } from './leave-guard.ts';

const PhoneMenu = lazy(() => import('./PhoneMenu.tsx'));

/** The badges come after the page's own content: their requests and re-renders would hold up its first paint. */
const BADGES_AFTER_MS = 1500;

interface UserPosts {
  posts: Array<{ departmentName: string; post: string }>;
}

export function AppShell() {
  const { me, signOut, can } = useSession();
  const { t, locale, setLocale } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const [posts, setPosts] = useState<string[]>([]);
  const app = location.pathname.startsWith('/admin') ? 'admin' : location.pathname.startsWith('/designer') ? 'designer' : 'workbench';
  // Phones get the menu in a drawer opened from the header, not a side bar over the page. Which one shows is
  // the stylesheet's choice (wf-wide / wf-narrow), so a page the server rendered is right on a phone from its first paint.
  const [drawer, setDrawer] = useState(false);

  // The user's posts are read when their menu opens (nothing else on the page needs them).
  const loadPosts = (open: boolean) => {
    if (!open || !me || !can('org:read') || posts.length) return;
    api.get<UserPosts>(`/api/org/users/${encodeURIComponent(me.id)}`).then(
      (u) => setPosts(u.posts.map((p) => p.departmentName)),
      () => setPosts([]),
    );
  };

  const unread = usePolling(() => api.get<{ unread: number }>('/api/notices', { limit: 1 }).then((p) => p.unread), 20_000, [], INBOX_CHANGED, BADGES_AFTER_MS);
  const todo = usePolling(
    async () => {
      if (!me || !can('task:read')) return 0;
      const [mine, claimable] = await Promise.all([api.get<Page<unknown>>('/api/tasks', { ...assignedTo(me), limit: 1 }), api.get<Page<unknown>>('/api/tasks', { ...claimableBy(me), limit: 1 })]);
      return mine.total + claimable.total;
    },
    20_000,
    [me?.id],
    INBOX_CHANGED,
    BADGES_AFTER_MS,
  );

  const menus = menusFor(app, me?.permissions ?? [], t, todo.value ?? 0);
  const selected = menus.find((m) => location.pathname.startsWith(m.key))?.key;
  const apps = [
    ...(can('task:read') || can('instance:start') ? [{ value: 'workbench', label: t('shell.app.workbench') }] : []),
    ...(ADMIN_PERMISSIONS.some(can) ? [{ value: 'admin', label: t('shell.app.admin') }] : []),
    ...(can('definition:deploy') ? [{ value: 'designer', label: t('shell.app.designer') }] : []),
  ];
  // With the app switch in it, a phone's header has no room for the product's name and the user's: icons only.
  const crowded = apps.length > 1;

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selected ? [String(selected)] : []}
      items={menus}
      onClick={({ key }) => {
        setDrawer(false);
        leaveThen(() => navigate(key));
      }}
      style={{ borderInlineEnd: 0 }}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="wf-header">
        <Button className="wf-narrow" type="text" icon={<MenuOutlined style={{ color: '#fff' }} />} onClick={() => setDrawer(true)} aria-label={t('shell.menu')} />
        <Link
          to="/"
          className={crowded ? 'wf-wide' : undefined}
          style={{
            color: '#fff',
            fontWeight: 600,
            fontSize: 16,
            whiteSpace: 'nowrap',
          }}
        >
          {t('app.name')}
        </Link>
        {apps.length > 1 && (
          <Segmented
            size="small"
            value={app}
            options={apps}
            onChange={(v) => leaveThen(() => navigate(v === 'admin' ? '/admin' : v === 'designer' ? '/designer/flows' : '/workbench/todo'))}
            aria-label={t('shell.app.switch')}
          />
        )}
        <div style={{ flex: 1 }} />
        <Space size="middle">
          <Link to="/workbench/notices" aria-label={t('shell.notices', { count: unread.value ?? 0 })}>
            <Badge count={unread.value ?? 0} size="small" overflowCount={99}>
              <BellOutlined style={{ color: '#fff', fontSize: 18 }} />
            </Badge>
          </Link>
          <Button type="text" size="small" icon={<GlobalOutlined />} style={{ color: '#fff' }} onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')} aria-label={t('shell.switchLanguage')}>
            <span className="wf-wide">{t('shell.switchLanguage')}</span>
          </Button>
          <Dropdown
            onOpenChange={loadPosts}
            menu={{
              items: [
                {
                  key: 'posts',
                  disabled: true,
                  label: posts.length ? posts.join(' · ') : t(`role.kind.${me?.kind ?? 'staff'}` as 'role.kind.staff'),
                },
                { type: 'divider' },
                {
                  key: 'signout',
                  icon: <LogoutOutlined />,
                  label: t('shell.signOut'),
                },
              ],
              onClick: ({ key }) => {
                if (key === 'signout') leaveThen(() => void signOut().then(() => navigate('/login')));
              },
            }}
          >
            <Button type="text" icon={<UserOutlined />} style={{ color: '#fff' }} aria-label={me?.name}>
              <span className={crowded ? 'wf-wide' : undefined}>{me?.name}</span>
            </Button>
          </Dropdown>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider className="wf-wide" width={200} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
          {menu}
        </Layout.Sider>
        {drawer && (
          <Suspense fallback={null}>
            <PhoneMenu open={drawer} onClose={() => setDrawer(false)} title={t('app.name')}>
              {menu}
            </PhoneMenu>
          </Suspense>
        )}
        <Layout.Content style={{ padding: 16, minWidth: 0 }}>
          <main>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
