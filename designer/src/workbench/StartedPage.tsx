/** 我发起的: the cases I started, where each stands, and withdraw while nobody has acted on it. */
import { App, Card, Select, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError, type Page } from '../api/client.ts';
import { useProcessNames } from '../api/directory.ts';
import type { Instance } from '../api/records.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { STATE_COLORS } from './CasePage.tsx';

const PAGE_SIZE = 20;

export function StartedPage() {
  const { t, dateTime, list } = useI18n();
  const { me } = useSession();
  const { message } = App.useApp();
  const processes = useProcessNames();
  const [state, setState] = useState<string>();
  const [processKey, setProcessKey] = useState<string>();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<Instance>>();
  const [loading, setLoading] = useState(false);
  const load = useCallback(async () => {
    if (!me) return;
    setLoading(true);
    try {
      setData(
        await api.get<Page<Instance>>('/api/instances', {
          startedBy: me.id,
          state,
          processKey,
          offset: (page - 1) * PAGE_SIZE,
          limit: PAGE_SIZE,
        }),
      );
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : t('error.network'));
    } finally {
      setLoading(false);
    }
  }, [me, state, processKey, page, message, t]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <Card title={t('menu.started')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('list.process')}
          aria-label={t('list.process')}
          value={processKey}
          onChange={(v) => (setProcessKey(v), setPage(1))}
          options={[...processes].map(([value, label]) => ({ value, label }))}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('case.state')}
          aria-label={t('case.state')}
          value={state}
          onChange={(v) => (setState(v), setPage(1))}
          options={['running', 'completed', 'cancelled'].map((s) => ({
            value: s,
            label: t(`case.state.${s}` as 'case.state.running'),
          }))}
        />
      </Space>
      <Table<Instance>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        scroll={{ x: 800 }}
        locale={{ emptyText: t('list.emptyStarted') }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { total }),
        }}
        columns={[
          {
            title: t('case.process'),
            key: 'p',
            render: (_, i) => <Link to={`/workbench/cases/${i.id}`}>{processes.get(i.processKey) ?? i.processKey}</Link>,
          },
          {
            title: t('case.businessKey'),
            key: 'b',
            render: (_, i) => i.businessKey ?? '',
          },
          {
            title: t('case.state'),
            key: 's',
            width: 100,
            render: (_, i) => <Tag color={STATE_COLORS[i.state]}>{i.stateName ?? t(`case.state.${i.state}`)}</Tag>,
          },
          {
            title: t('case.current'),
            key: 'c',
            render: (_, i) => list(i.activities.filter((a) => a.kind === 'task').map((a) => a.name ?? a.activityId)),
          },
          {
            title: t('case.startedAt'),
            key: 't',
            width: 170,
            render: (_, i) => dateTime(i.startedAt),
          },
          {
            title: t('common.actions'),
            key: 'a',
            width: 90,
            render: (_, i) => <Link to={`/workbench/cases/${i.id}`}>{t('common.view')}</Link>,
          },
        ]}
      />
    </Card>
  );
}
