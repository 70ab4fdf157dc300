/**
 * 发起申请: the processes the user may start, as cards, with the drafts they
 * saved (暂存) listed first so that an application half filled in is one click
 * from being finished — or thrown away.
 */
import { DeleteOutlined, EditOutlined, FileAddOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, App, Avatar, Button, Card, Col, Empty, Input, List, Popconfirm, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { Loading } from '../shell/Loading.tsx';
import { inboxChanged } from '../shell/usePolling.ts';

export interface StartableProcess {
  key: string;
  name: string | null;
  version: number;
  hasStartForm: boolean;
  /** The user's saved draft of its start form. */
  draft: { formKey: string; formVersion: number; updatedAt: string } | null;
}

export function StartPage() {
  const { t, dateTime, relative } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [processes, setProcesses] = useState<StartableProcess[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(() => {
    api.get<{ items: StartableProcess[] }>('/api/processes').then(
      (r) => {
        setProcesses(r.items);
        setError(null);
      },
      (err: unknown) => setError(err instanceof ApiError && err.status !== 0 ? err.message : t('error.network')),
    );
  }, [t]);
  useEffect(load, [load]);

  const nameOf = (p: StartableProcess) => p.name ?? p.key;
  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return (processes ?? []).filter((p) => !q || nameOf(p).toLowerCase().includes(q) || p.key.toLowerCase().includes(q));
  }, [processes, filter]);
  const drafts = useMemo(() => (processes ?? []).filter((p) => p.draft).sort((a, b) => (b.draft?.updatedAt ?? '').localeCompare(a.draft?.updatedAt ?? '')), [processes]);

  const discard = async (p: StartableProcess) => {
    setBusy(`discard:${p.key}`);
    try {
      await api.delete(`/api/processes/${encodeURIComponent(p.key)}/start-form/draft`);
      message.success(t('start.draft.discarded'));
      load();
    } catch (err) {
      message.error(err instanceof ApiError && err.status !== 0 ? err.message : t('error.network'));
    } finally {
      setBusy(null);
    }
  };

  /** A process whose start event shows no form starts at once. */
  const startDirectly = async (p: StartableProcess) => {
    setBusy(`start:${p.key}`);
    try {
      const instance = await api.post<{ id: string }>('/api/instances', { processKey: p.key });
      inboxChanged();
      message.success(t('start.started'));
      navigate(`/workbench/cases/${encodeURIComponent(instance.id)}`);
    } catch (err) {
      message.error(err instanceof ApiError && err.status !== 0 ? err.message : t('error.network'));
    } finally {
      setBusy(null);
    }
  };

  const open = (p: StartableProcess) => navigate(`/workbench/start/${encodeURIComponent(p.key)}`);

  if (error) return <Alert type="error" showIcon title={error} action={<Button onClick={load}>{t('start.retry')}</Button>} />;
  if (!processes) return <Loading />;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', justifyContent: 'space-between', gap: 12 }}>
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('start.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('start.subtitle')}</Typography.Text>
        </div>
        {processes.length > 6 && (
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('start.search')}
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            style={{ width: 260, maxWidth: '100%' }}
            aria-label={t('start.search')}
          />
        )}
      </div>

      {drafts.length > 0 && (
        <Card size="small" title={t('start.drafts', { count: drafts.length })}>
          <List
            dataSource={drafts}
            renderItem={(p) => (
              <List.Item
                actions={[
                  <Button key="resume" type="link" icon={<EditOutlined />} onClick={() => open(p)}>
                    {t('start.draft.resume')}
                  </Button>,
                  <Popconfirm
                    key="discard"
                    title={t('start.draft.discardConfirm')}
                    okText={t('start.draft.discard')}
                    cancelText={t('start.cancel')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => discard(p)}
                  >
                    <Button type="link" danger icon={<DeleteOutlined />} loading={busy === `discard:${p.key}`}>
                      {t('start.draft.discard')}
                    </Button>
                  </Popconfirm>,
                ]}
              >
                <List.Item.Meta
                  title={<Typography.Link onClick={() => open(p)}>{nameOf(p)}</Typography.Link>}
                  description={p.draft && t('start.draft.savedAt', { time: dateTime(p.draft.updatedAt), ago: relative(p.draft.updatedAt) })}
                />
              </List.Item>
            )}
          />
        </Card>
      )}

      {processes.length === 0 ? (
        <Empty description={t('start.empty')} />
      ) : shown.length === 0 ? (
        <Empty description={t('start.noMatch')} />
      ) : (
        <Row gutter={[16, 16]}>
          {shown.map((p) => (
            <Col key={p.key} xs={24} sm={12} lg={8} xxl={6}>
              <Card style={{ height: '100%' }} styles={{ body: { height: '100%', display: 'flex', flexDirection: 'column', gap: 12 } }}>
                <div style={{ display: 'flex', gap: 12, alignItems: 'flex-start' }}>
                  <Avatar shape="square" size={40} icon={<FileAddOutlined />} style={{ background: '#e6f4ff', color: '#1668dc', flex: 'none' }} />
                  <div style={{ minWidth: 0 }}>
                    <Typography.Title level={5} style={{ margin: 0 }} ellipsis={{ tooltip: nameOf(p) }}>
                      {nameOf(p)}
                    </Typography.Title>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('start.version', { version: p.version })}
                    </Typography.Text>
                  </div>
                </div>
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4, flex: 1, alignContent: 'flex-start' }}>
                  {p.draft && <Tag color="orange">{t('start.hasDraft')}</Tag>}
                  {!p.hasStartForm && <Tag>{t('start.noForm')}</Tag>}
                </div>
                {p.hasStartForm ? (
                  <Button type={p.draft ? 'default' : 'primary'} block onClick={() => open(p)}>
                    {p.draft ? t('start.draft.resume') : t('start.start')}
                  </Button>
                ) : (
                  <Popconfirm title={t('start.noForm.confirm', { name: nameOf(p) })} okText={t('start.start')} cancelText={t('start.cancel')} onConfirm={() => startDirectly(p)}>
                    <Button block loading={busy === `start:${p.key}`}>
                      {t('start.start')}
                    </Button>
                  </Popconfirm>
                )}
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </Space>
  );
}
