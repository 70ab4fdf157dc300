/**
 * 消息: my in-site notices, newest first, the unread ones marked; opening one
 * marks it read and goes to its case, when it is about one.
 */
import { Alert, Badge, Button, Empty, Skeleton } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, type Page } from '../api/client.ts';
import { errorText, useLoad } from '../api/load.ts';
import type { Notice } from '../api/records.ts';
import { useI18n } from '../i18n/index.tsx';

const PAGE = 30;

export function MessagesPage() {
  const { t, dateTime } = useI18n();
  const navigate = useNavigate();
  const [limit, setLimit] = useState(PAGE);
  const notices = useLoad(() => api.get<Page<Notice> & { unread: number }>('/api/notices', { limit }), [limit]);
  const open = async (n: Notice) => {
    if (!n.readAt) await api.post(`/api/notices/${encodeURIComponent(n.id)}/read`).catch(() => undefined);
    if (n.instanceId) navigate(`/portal/cases/${encodeURIComponent(n.instanceId)}`);
    else notices.reload();
  };
  const page = notices.data;
  return (
    <>
      <h1 className="portal-title">{t('portal.messages.title')}</h1>
      {notices.error ? <Alert type="error" showIcon title={errorText(notices.error, t)} /> : null}
      {!page && !notices.error ? <Skeleton active paragraph={{ rows: 5 }} /> : null}
      {page?.items.length === 0 && <Empty description={t('portal.messages.none')} />}
      {page && page.items.length > 0 && (
        <section className="portal-section">
          {page.items.map((n) => (
            <button key={n.id} type="button" className="portal-row portal-row-button" onClick={() => void open(n)}>
              <span className="portal-row-main">
                <span className="portal-row-name">
                  {!n.readAt && <Badge status="processing" text={<span className="portal-visually-hidden">{t('portal.messages.unread')}</span>} />} {n.title}
                </span>
                {n.body && <span className="portal-row-meta">{n.body}</span>}
                <span className="portal-row-meta">{dateTime(n.createdAt)}</span>
              </span>
            </button>
          ))}
          {page.total > page.items.length && (
            <Button block type="link" onClick={() => setLimit((n) => n + PAGE)}>
              {t('portal.cases.more', { count: page.total - page.items.length })}
            </Button>
          )}
        </section>
      )}
    </>
  );
}
