/**
 * 异常: failed jobs and timers that stopped their case, open ones first. An
 * open incident is retried (the job or timer runs again now); a failed job
 * opens on the jobs page, where it can also be given up.
 */
import { EyeOutlined, RedoOutlined } from '@ant-design/icons';
import { App, Button, Card, Input, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, type Page } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { emptyText, ErrorAlert, PageHeader, RefreshButton, ShortId, useFail, useFilters, useLoad, usePaging, UserName } from './shared.tsx';
import type { Incident } from './types.ts';

export function IncidentsPage() {
  const { t, dateTime } = useI18n();
  const navigate = useNavigate();
  const { modal, message } = App.useApp();
  const fail = useFail();
  const filters = useFilters<'state' | 'instanceId'>();
  const state = filters.get('state') || 'open';
  const [instanceDraft, setInstanceDraft] = useState(filters.get('instanceId'));
  const [total, setTotal] = useState<number>();
  const paging = usePaging(filters, total);
  const query = { state: state === 'all' ? undefined : state, instanceId: filters.get('instanceId') || undefined };
  const incidents = useLoad(async () => {
    const page = await api.get<Page<Incident>>('/api/incidents', { ...query, offset: paging.offset, limit: paging.limit });
    setTotal(page.total);
    return page;
  }, [JSON.stringify(query), paging.offset, paging.limit]);

  const retry = (incident: Incident) =>
    modal.confirm({
      title: t('admin.incident.retryTitle'),
      icon: <RedoOutlined />,
      content: incident.kind === 'job' ? t('admin.incident.retryJob') : t('admin.incident.retryTimer'),
      okText: t('admin.job.retry'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api.post(`/api/incidents/${encodeURIComponent(incident.id)}/retry`);
          void message.success(t('admin.incident.retried'));
          incidents.reload();
        } catch (err) {
          fail(err);
        }
      },
    });

  return (
    <>
      <PageHeader title={t('admin.incident.title')} description={t('admin.incident.description')} extra={<RefreshButton onClick={incidents.reload} loading={incidents.loading} />} />
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Segmented
            value={state}
            onChange={(v) => filters.set({ state: v === 'open' ? null : String(v) })}
            options={[
              { value: 'open', label: t('admin.incident.open') },
              { value: 'resolved', label: t('admin.incident.resolved') },
              { value: 'all', label: t('common.all') },
            ]}
          />
          <Input.Search allowClear placeholder={t('admin.case.id')} aria-label={t('admin.case.id')} value={instanceDraft} onChange={(e) => setInstanceDraft(e.target.value)} onSearch={(v) => filters.set({ instanceId: v.trim() })} style={{ width: 260 }} />
        </Space>
        <ErrorAlert error={incidents.error} onRetry={incidents.reload} />
        <Table<Incident>
          rowKey="id"
          loading={incidents.loading}
          dataSource={incidents.data?.items ?? []}
          pagination={paging.pagination}
          scroll={{ x: 1000 }}
          locale={{ emptyText: emptyText(t, !!query.instanceId, state === 'open' ? t('admin.incident.noneOpen') : t('admin.incident.empty')) }}
          columns={[
            { title: t('admin.incident.createdAt'), dataIndex: 'createdAt', width: 160, render: (v: string) => dateTime(v) },
            { title: t('admin.incident.kind'), dataIndex: 'kind', width: 90, render: (k: Incident['kind']) => <Tag color={k === 'job' ? 'volcano' : 'gold'}>{t(`admin.incident.kind.${k}`)}</Tag> },
            {
              title: t('admin.job.case'),
              key: 'case',
              width: 200,
              render: (_, i) => (
                <Space orientation="vertical" size={0}>
                  <Link to={`/workbench/cases/${encodeURIComponent(i.instanceId)}`}>
                    <ShortId value={i.instanceId} tail />
                  </Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {i.activityId}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('admin.incident.message'),
              dataIndex: 'message',
              ellipsis: { showTitle: false },
              render: (v: string) => (
                <Tooltip title={v} placement="topLeft">
                  <Typography.Text type="danger">{v}</Typography.Text>
                </Tooltip>
              ),
            },
            {
              title: t('admin.incident.state'),
              key: 'state',
              width: 170,
              render: (_, i) =>
                i.state === 'open' ? (
                  <Tag color="red">{t('admin.incident.open')}</Tag>
                ) : (
                  <Space orientation="vertical" size={0}>
                    <Tag color="green">{t('admin.incident.resolved')}</Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {dateTime(i.resolvedAt)} · <UserName id={i.resolvedBy} />
                    </Typography.Text>
                  </Space>
                ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 180,
              fixed: 'right',
              render: (_, i) => (
                <Space size={0}>
                  {i.state === 'open' && (
                    <Button type="link" size="small" icon={<RedoOutlined />} onClick={() => retry(i)}>
                      {t('admin.job.retry')}
                    </Button>
                  )}
                  {i.kind === 'job' && (
                    <Button type="link" size="small" icon={<EyeOutlined />} onClick={() => navigate(`/admin/jobs?state=all&instanceId=${encodeURIComponent(i.instanceId)}&job=${encodeURIComponent(i.refId)}`)}>
                      {t('admin.incident.openJob')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
