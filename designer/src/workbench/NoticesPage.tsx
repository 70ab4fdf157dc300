/**
 * Notices (通知) and copies to me (抄送我的): unread first, marked read when
 * opened or by hand; a notice that must be signed for (签收) shows its text
 * once signed.
 */
import { App, Badge, Button, Card, List, Segmented, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError, type Page } from '../api/client.ts';
import type { Notice } from '../api/records.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { inboxChanged } from '../shell/usePolling.ts';

const PAGE_SIZE = 20;

export function NoticesPage({ kind }: { kind?: 'cc' }) {
  const { t, dateTime, relative } = useI18n();
  const { message } = App.useApp();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<Notice> & { unread?: number }>();
  const [loading, setLoading] = useState(false);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(
        await api.get<Page<Notice> & { unread: number }>('/api/notices', {
          kind,
          unread: unreadOnly || undefined,
          offset: (page - 1) * PAGE_SIZE,
          limit: PAGE_SIZE,
        }),
      );
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : t('error.network'));
    } finally {
      setLoading(false);
    }
  }, [kind, unreadOnly, page, message, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (notice: Notice, action: 'read' | 'sign') => {
    try {
      await api.post(`/api/notices/${notice.id}/${action}`, {});
      inboxChanged();
      if (action === 'sign') message.success(t('notice.signed'));
      void load();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : t('error.network'));
    }
  };
  const markAllRead = async () => {
    for (const n of (data?.items ?? []).filter((n) => !n.readAt && !(n.needsSign && !n.signedAt))) await api.post(`/api/notices/${n.id}/read`, {}).catch(() => undefined);
    inboxChanged();
    void load();
  };
  const kindLabel = (k: string) => {
    const key = `notice.kind.${k}` as MessageKey;
    return t(key) === key ? k : t(key);
  };

  return (
    <Card
      title={t(kind === 'cc' ? 'menu.cc' : 'menu.notices')}
      extra={
        <Space>
          <Segmented
            value={unreadOnly ? 'unread' : 'all'}
            onChange={(v) => {
              setUnreadOnly(v === 'unread');
              setPage(1);
            }}
            options={[
              { value: 'all', label: t('common.all') },
              { value: 'unread', label: t('notice.unread') },
            ]}
          />
          <Button onClick={() => void markAllRead()}>{t('notice.markAllRead')}</Button>
        </Space>
      }
    >
      <List<Notice>
        loading={loading}
        dataSource={data?.items ?? []}
        locale={{
          emptyText: t(kind === 'cc' ? 'notice.emptyCc' : 'notice.empty'),
        }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          onChange: setPage,
          showTotal: (total) => t('common.total', { total }),
          showSizeChanger: false,
        }}
        renderItem={(n) => {
          const link = n.taskId ? `/workbench/tasks/${n.taskId}` : n.instanceId ? `/workbench/cases/${n.instanceId}` : null;
          const mustSign = n.needsSign && !n.signedAt;
          return (
            <List.Item
              actions={[
                mustSign ? (
                  <Button key="sign" type="primary" size="small" onClick={() => void act(n, 'sign')}>
                    {t('notice.sign')}
                  </Button>
                ) : !n.readAt ? (
                  <Button key="read" size="small" onClick={() => void act(n, 'read')}>
                    {t('notice.markRead')}
                  </Button>
                ) : null,
              ].filter(Boolean)}
            >
              <List.Item.Meta
                avatar={<Badge dot={!n.readAt} />}
                title={
                  <Space wrap>
                    <Tag>{kindLabel(n.kind)}</Tag>
                    {link ? (
                      <Link to={link} onClick={() => !n.readAt && !mustSign && void act(n, 'read')}>
                        {n.title}
                      </Link>
                    ) : (
                      n.title
                    )}
                    {n.needsSign && <Tag color={n.signedAt ? 'green' : 'orange'}>{t(n.signedAt ? 'notice.signedTag' : 'notice.needsSign')}</Tag>}
                  </Space>
                }
                description={
                  <>
                    {mustSign ? (
                      <Typography.Text type="secondary">{t('notice.signToRead')}</Typography.Text>
                    ) : (
                      n.body && <Typography.Paragraph style={{ marginBottom: 4 }}>{n.body}</Typography.Paragraph>
                    )}
                    <Typography.Text type="secondary" title={dateTime(n.createdAt)}>
                      {relative(n.createdAt)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          );
        }}
      />
    </Card>
  );
}
