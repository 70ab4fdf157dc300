/**
 * 连接器: each connector's settings in this environment, its secrets (which
 * are set — never their values; a new value replaces the old one, which
 * cannot be read back), its operations, its callbacks with what became of the
 * recent ones, and its reports. A connector nobody configured talks to the
 * local simulator; the server's warnings say what an admin must know.
 */
import { ApiOutlined, CheckCircleFilled, ExclamationCircleFilled, LockOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Empty, Form, Input, InputNumber, List, Row, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { emptyText, ErrorAlert, JsonBlock, known, PageHeader, RefreshButton, useFilters, useFormFail, useLoad } from './shared.tsx';
import type { CallbackRecord, ConnectorConfig, ConnectorInfo } from './types.ts';

export function ConnectorsPage() {
  const { t, text } = useI18n();
  const filters = useFilters<'connector'>();
  const connectors = useLoad(() => api.get<{ items: ConnectorInfo[] }>('/api/connectors').then((r) => r.items), []);
  const chosen = filters.get('connector') || connectors.data?.[0]?.name || '';
  const connector = connectors.data?.find((c) => c.name === chosen);

  return (
    <>
      <PageHeader title={t('admin.conn.title')} description={t('admin.conn.description')} extra={<RefreshButton onClick={connectors.reload} loading={connectors.loading} />} />
      <ErrorAlert error={connectors.error} onRetry={connectors.reload} />
      <Row gutter={16}>
        <Col xs={24} lg={6}>
          <Card size="small" title={t('admin.conn.list')} loading={connectors.loading && !connectors.data} styles={{ body: { padding: 0 } }}>
            <List
              dataSource={connectors.data ?? []}
              locale={{ emptyText: emptyText(t, false, t('admin.conn.empty')) }}
              renderItem={(c) => (
                <List.Item
                  onClick={() => filters.set({ connector: c.name })}
                  style={{ cursor: 'pointer', paddingInline: 16, background: c.name === chosen ? '#e6f4ff' : undefined }}
                  aria-current={c.name === chosen ? 'true' : undefined}
                  tabIndex={0}
                  onKeyDown={(e) => e.key === 'Enter' && filters.set({ connector: c.name })}
                >
                  <List.Item.Meta avatar={<ApiOutlined style={{ fontSize: 18, color: '#1668dc', marginTop: 4 }} />} title={text(c.title)} description={c.name} />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={18}>{connector ? <ConnectorDetail key={connector.name} connector={connector} /> : !connectors.loading && <Card size="small"><Empty description={t('admin.conn.pick')} /></Card>}</Col>
      </Row>
    </>
  );
}

type Kind = 'string' | 'number' | 'boolean' | 'json';
const kindOf = (v: unknown): Kind => (typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'json');

function ConnectorDetail({ connector }: { connector: ConnectorInfo }) {
  const { t, text, dateTime, list } = useI18n();
  const { modal, message } = App.useApp();
  const [form] = Form.useForm<Record<string, unknown>>();
  const formFail = useFormFail(form);
  const config = useLoad(() => api.get<ConnectorConfig>(`/api/connectors/${encodeURIComponent(connector.name)}/config`), [connector.name]);
  const callbacks = useLoad(() => (connector.callbacks.length ? api.get<{ items: CallbackRecord[] }>(`/api/connectors/${encodeURIComponent(connector.name)}/callbacks`).then((r) => r.items) : Promise.resolve([])), [connector.name]);
  const [busy, setBusy] = useState(false);
  const [extraSecrets, setExtraSecrets] = useState<string[]>([]);
  const [newSecret, setNewSecret] = useState('');
  const settings = config.data?.settings;
  const kinds = useMemo(() => Object.fromEntries(Object.entries(settings ?? {}).map(([k, v]) => [k, kindOf(v)])), [settings]);
  const secretNames = [...Object.keys(config.data?.secrets ?? {}), ...extraSecrets.filter((s) => !(s in (config.data?.secrets ?? {})))];

  useEffect(() => {
    if (!settings) return;
    form.resetFields();
    form.setFieldsValue({
      settings: Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, kindOf(v) === 'json' ? JSON.stringify(v, null, 2) : v])),
      secrets: {},
    });
  }, [settings, form]);

  const save = async (values: { settings?: Record<string, unknown>; secrets?: Record<string, string | undefined> }) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values.settings ?? {})) {
      if (kinds[k] !== 'json') {
        if (v !== null && v !== undefined && v !== '') out[k] = v;
        continue;
      }
      try {
        out[k] = JSON.parse(String(v));
      } catch (err) {
        form.setFields([{ name: ['settings', k], errors: [t('admin.conn.badJson', { detail: (err as Error).message })] }]);
        return;
      }
    }
    const secrets = Object.fromEntries(Object.entries(values.secrets ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    const send = async () => {
      setBusy(true);
      try {
        await api.put(`/api/connectors/${encodeURIComponent(connector.name)}/config`, { settings: out, ...(Object.keys(secrets).length && { secrets }), ...(config.data?.rev != null && { rev: config.data.rev }) });
        void message.success(t('admin.conn.saved'));
        setExtraSecrets([]);
        config.reload();
      } catch (err) {
        formFail(err);
      } finally {
        setBusy(false);
      }
    };
    if (Object.keys(secrets).length) {
      modal.confirm({
        title: t('admin.conn.replaceTitle', { count: Object.keys(secrets).length }),
        content: t('admin.conn.replaceHint', { names: list(Object.keys(secrets)) }),
        okText: t('admin.conn.replaceOk'),
        okButtonProps: { danger: true },
        cancelText: t('common.cancel'),
        onOk: send,
      });
    } else await send();
  };

  return (
    <Card
      size="small"
      title={
        <Space>
          {text(connector.title)}
          <Typography.Text type="secondary">{connector.name}</Typography.Text>
          {config.data && (config.data.source === 'stored' ? <Tag color="green">{t('admin.conn.stored', { rev: config.data.rev ?? 0 })}</Tag> : <Tag color="orange">{t('admin.conn.defaults')}</Tag>)}
          {connector.simulator && <Tag>{t('admin.conn.hasSimulator')}</Tag>}
        </Space>
      }
      extra={config.data && <Typography.Text type="secondary">{t('admin.conn.environment', { env: config.data.environment })}</Typography.Text>}
      loading={config.loading && !config.data}
    >
      <ErrorAlert error={config.error} onRetry={config.reload} />
      {config.data?.warnings.map((w) => (
        <Alert key={w} type="warning" showIcon title={w} style={{ marginBottom: 8 }} />
      ))}
      <Tabs
        items={[
          {
            key: 'settings',
            label: t('admin.conn.settings'),
            children: config.data && (
              <Form form={form} layout="vertical" onFinish={save}>
                <Row gutter={16}>
                  {Object.entries(config.data.settings).map(([k, v]) => (
                    <Col key={k} span={kindOf(v) === 'json' ? 24 : 12}>
                      <Form.Item name={['settings', k]} label={<Typography.Text code>{k}</Typography.Text>} valuePropName={kindOf(v) === 'boolean' ? 'checked' : 'value'}>
                        {kindOf(v) === 'string' ? <Input /> : kindOf(v) === 'number' ? <InputNumber style={{ width: '100%' }} /> : kindOf(v) === 'boolean' ? <Switch /> : <Input.TextArea autoSize={{ minRows: 3, maxRows: 14 }} style={{ fontFamily: 'monospace', fontSize: 12 }} />}
                      </Form.Item>
                    </Col>
                  ))}
                </Row>
                <Typography.Title level={5}>
                  <LockOutlined /> {t('admin.conn.secrets')}
                </Typography.Title>
                <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                  {t('admin.conn.secretsHint')}
                </Typography.Paragraph>
                {config.data.source === 'defaults' && secretNames.length > 0 && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('admin.conn.firstSave')} />}
                {secretNames.length === 0 && <Typography.Paragraph type="secondary">{t('admin.conn.noSecrets')}</Typography.Paragraph>}
                {secretNames.map((name) => {
                  const set = config.data?.secrets[name] ?? false;
                  return (
                    <Form.Item
                      key={name}
                      name={['secrets', name]}
                      label={
                        <Space>
                          <Typography.Text code>{name}</Typography.Text>
                          {set ? (
                            <Tag icon={<CheckCircleFilled />} color="green">
                              {t('admin.conn.secretSet')}
                            </Tag>
                          ) : (
                            <Tag icon={<ExclamationCircleFilled />} color="orange">
                              {t('admin.conn.secretUnset')}
                            </Tag>
                          )}
                        </Space>
                      }
                    >
                      <Input.Password autoComplete="new-password" placeholder={set ? t('admin.conn.secretReplace') : t('admin.conn.secretNew')} visibilityToggle={false} style={{ maxWidth: 480 }} />
                    </Form.Item>
                  );
                })}
                <Space style={{ marginBottom: 24 }}>
                  <Input placeholder={t('admin.conn.secretName')} aria-label={t('admin.conn.secretName')} value={newSecret} onChange={(e) => setNewSecret(e.target.value)} style={{ width: 240 }} />
                  <Button
                    icon={<PlusOutlined />}
                    disabled={!newSecret.trim() || secretNames.includes(newSecret.trim())}
                    onClick={() => {
                      setExtraSecrets((s) => [...s, newSecret.trim()]);
                      setNewSecret('');
                    }}
                  >
                    {t('admin.conn.addSecret')}
                  </Button>
                </Space>
                <div>
                  <Space>
                    <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy}>
                      {t('common.save')}
                    </Button>
                    <Button onClick={() => (setExtraSecrets([]), config.reload())}>{t('admin.conn.discard')}</Button>
                  </Space>
                </div>
              </Form>
            ),
          },
          {
            key: 'operations',
            label: t('admin.conn.operations', { count: connector.operations.length }),
            children: (
              <Table
                size="small"
                rowKey="handler"
                dataSource={connector.operations}
                pagination={false}
                expandable={{ expandedRowRender: (op) => <JsonBlock value={op.input} /> }}
                columns={[
                  { title: t('admin.conn.operation'), key: 'title', render: (_, op) => text(op.title) },
                  { title: t('admin.conn.handler'), dataIndex: 'handler', render: (v: string) => <Typography.Text code copyable>{v}</Typography.Text> },
                ]}
              />
            ),
          },
          ...(connector.callbacks.length
            ? [
                {
                  key: 'callbacks',
                  label: t('admin.conn.callbacks', { count: connector.callbacks.length }),
                  children: (
                    <>
                      <Table
                        size="small"
                        rowKey="name"
                        dataSource={connector.callbacks}
                        pagination={false}
                        style={{ marginBottom: 16 }}
                        columns={[
                          { title: t('admin.conn.callback'), key: 'title', render: (_, c) => text(c.title) },
                          { title: t('admin.conn.address'), dataIndex: 'path', render: (v: string) => <Typography.Text code copyable={{ text: `${window.location.origin}${v}` }}>{v}</Typography.Text> },
                        ]}
                      />
                      <div style={{ display: 'flex', alignItems: 'center', marginBottom: 8 }}>
                        <Typography.Text strong style={{ flex: 1 }}>
                          {t('admin.conn.recent')}
                        </Typography.Text>
                        <RefreshButton onClick={callbacks.reload} loading={callbacks.loading} />
                      </div>
                      <ErrorAlert error={callbacks.error} onRetry={callbacks.reload} />
                      <Table<CallbackRecord>
                        size="small"
                        rowKey="id"
                        loading={callbacks.loading}
                        dataSource={callbacks.data ?? []}
                        pagination={{ pageSize: 10, showSizeChanger: false }}
                        locale={{ emptyText: emptyText(t, false, t('admin.conn.noCallbacks')) }}
                        expandable={{ expandedRowRender: (c) => <JsonBlock value={c.payload} /> }}
                        columns={[
                          { title: t('admin.conn.receivedAt'), dataIndex: 'receivedAt', width: 170, render: (v: string) => dateTime(v) },
                          { title: t('admin.conn.externalId'), dataIndex: 'externalId', ellipsis: true },
                          { title: t('admin.conn.outcome'), dataIndex: 'outcome', width: 110, render: (o: CallbackRecord['outcome']) => <Tag color={o === 'delivered' ? 'green' : o === 'failed' ? 'red' : o === 'unmatched' ? 'orange' : 'blue'}>{known(t, `admin.conn.outcome.${o}`, o)}</Tag> },
                          { title: t('admin.conn.detail'), dataIndex: 'detail', ellipsis: true, render: (v: string | null) => v ?? '—' },
                        ]}
                      />
                    </>
                  ),
                },
              ]
            : []),
          ...connector.reports.map((r) => ({ key: `report:${r.name}`, label: text(r.title), children: <Report path={r.path} /> })),
        ]}
      />
    </Card>
  );
}

function Report({ path }: { path: string }) {
  const { t, dateTime } = useI18n();
  const report = useLoad(() => api.get<{ items: Array<{ key: string; recordedAt: string } & Record<string, unknown>> }>(path).then((r) => r.items), [path]);
  return (
    <>
      <ErrorAlert error={report.error} onRetry={report.reload} />
      <Table
        size="small"
        rowKey="key"
        loading={report.loading}
        dataSource={report.data ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        locale={{ emptyText: emptyText(t, false, t('admin.conn.noRecords')) }}
        expandable={{ expandedRowRender: (r) => <JsonBlock value={r} /> }}
        columns={[
          { title: t('admin.conn.recordedAt'), dataIndex: 'recordedAt', width: 170, render: (v: string) => dateTime(v) },
          { title: t('admin.conn.recordKey'), dataIndex: 'key' },
        ]}
      />
    </>
  );
}
