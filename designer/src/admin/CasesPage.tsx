/**
 * 案件管理: every case, newest first, filtered by process and version, state,
 * business key and who started it; each opens on the workbench's case page.
 * A running case can be cancelled (撤销) with a reason — it and the cases it
 * called end, and the reason stays in its history.
 */
import { StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, type Page } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { UserSelect } from './org.tsx';
import { emptyText, ErrorAlert, PageHeader, RefreshButton, ShortId, useFilters, useFormFail, useLoad, usePaging, UserName } from './shared.tsx';
import { INSTANCE_STATES, type Definition, type Instance, type InstanceState } from './types.ts';

const STATE_COLORS: Record<InstanceState, string> = { running: 'processing', completed: 'success', cancelled: 'default' };

type FilterKey = 'processKey' | 'version' | 'state' | 'businessKey' | 'startedBy';

export function CasesPage() {
  const { t, dateTime } = useI18n();
  const navigate = useNavigate();
  const filters = useFilters<FilterKey>();
  const [total, setTotal] = useState<number>();
  const paging = usePaging(filters, total);
  const [businessDraft, setBusinessDraft] = useState(filters.get('businessKey'));
  const [cancelling, setCancelling] = useState<Instance | null>(null);
  const definitions = useLoad(() => api.get<Page<Definition>>('/api/definitions', { latest: true, limit: 200 }).then((p) => p.items), []);
  const names = useMemo(() => new Map((definitions.data ?? []).map((d) => [d.key, d.name ?? d.key])), [definitions.data]);
  const version = Number(filters.get('version')) || undefined;
  const query = {
    processKey: filters.get('processKey') || undefined,
    version: filters.get('processKey') ? version : undefined,
    state: filters.get('state') || undefined,
    businessKey: filters.get('businessKey') || undefined,
    startedBy: filters.get('startedBy') || undefined,
  };
  const cases = useLoad(async () => {
    const page = await api.get<Page<Instance>>('/api/instances', { ...query, offset: paging.offset, limit: paging.limit });
    setTotal(page.total);
    return page;
  }, [JSON.stringify(query), paging.offset, paging.limit]);
  const filtered = Object.values(query).some((v) => v !== undefined);

  return (
    <>
      <PageHeader title={t('admin.case.title')} description={t('admin.case.description')} extra={<RefreshButton onClick={cases.reload} loading={cases.loading} />} />
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('admin.case.process')}
            aria-label={t('admin.case.process')}
            value={query.processKey}
            onChange={(v: string | undefined) => filters.set({ processKey: v, version: null })}
            options={(definitions.data ?? []).map((d) => ({ value: d.key, label: t('admin.nameAndId', { name: d.name ?? d.key, id: d.key }) }))}
            style={{ width: 260 }}
          />
          <InputNumber min={1} precision={0} placeholder={t('admin.case.version')} aria-label={t('admin.case.version')} disabled={!query.processKey} value={query.version ?? null} onChange={(v) => filters.set({ version: v ?? null })} style={{ width: 100 }} />
          <Select allowClear placeholder={t('admin.case.state')} aria-label={t('admin.case.state')} value={query.state} onChange={(v: string | undefined) => filters.set({ state: v })} options={INSTANCE_STATES.map((s) => ({ value: s, label: t(`admin.state.${s}`) }))} style={{ width: 120 }} />
          <Input.Search allowClear placeholder={t('admin.case.businessKey')} aria-label={t('admin.case.businessKey')} value={businessDraft} onChange={(e) => setBusinessDraft(e.target.value)} onSearch={(v) => filters.set({ businessKey: v.trim() })} style={{ width: 200 }} />
          <UserSelect value={query.startedBy ?? null} onChange={(v) => filters.set({ startedBy: v })} placeholder={t('admin.case.startedBy')} style={{ width: 180 }} />
          {filtered && (
            <Button
              onClick={() => {
                setBusinessDraft('');
                filters.set({ processKey: null, version: null, state: null, businessKey: null, startedBy: null });
              }}
            >
              {t('common.reset')}
            </Button>
          )}
        </Space>
        <ErrorAlert error={cases.error} onRetry={cases.reload} />
        <Table<Instance>
          rowKey="id"
          loading={cases.loading}
          dataSource={cases.data?.items ?? []}
          pagination={paging.pagination}
          scroll={{ x: 1200 }}
          locale={{ emptyText: emptyText(t, filtered, t('admin.case.empty')) }}
          columns={[
            {
              title: t('admin.case.process'),
              key: 'process',
              width: 220,
              render: (_, c) => (
                <Space orientation="vertical" size={0}>
                  <Link to={`/workbench/cases/${encodeURIComponent(c.id)}`}>{names.get(c.processKey) ?? c.processKey}</Link>
                  <Space size={4}>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      v{c.version}
                    </Typography.Text>
                    <ShortId value={c.id} tail />
                  </Space>
                </Space>
              ),
            },
            { title: t('admin.case.businessKey'), dataIndex: 'businessKey', width: 140, render: (v: string | null) => v ?? '—' },
            { title: t('admin.case.state'), dataIndex: 'state', width: 90, render: (s: InstanceState) => <Tag color={STATE_COLORS[s]}>{t(`admin.state.${s}`)}</Tag> },
            {
              title: t('admin.case.current'),
              key: 'current',
              minWidth: 160,
              render: (_, c) =>
                c.activities.length ? (
                  <Space size={[0, 4]} wrap>
                    {c.activities.map((a) => (
                      <Tooltip key={`${a.activityId}:${a.taskId ?? a.jobId ?? ''}`} title={a.activityId}>
                        <Tag color={a.kind === 'job' ? 'volcano' : a.kind === 'task' ? 'blue' : undefined}>{a.name ?? a.activityId}</Tag>
                      </Tooltip>
                    ))}
                  </Space>
                ) : (
                  '—'
                ),
            },
            { title: t('admin.case.startedBy'), dataIndex: 'startedBy', width: 120, render: (v: string | null) => <UserName id={v} /> },
            { title: t('admin.case.startedAt'), dataIndex: 'startedAt', width: 150, render: (v: string) => dateTime(v) },
            { title: t('admin.case.endedAt'), dataIndex: 'endedAt', width: 150, render: (v: string | null) => (v ? dateTime(v) : '—') },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 130,
              fixed: 'right',
              render: (_, c) => (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => navigate(`/workbench/cases/${encodeURIComponent(c.id)}`)}>
                    {t('common.view')}
                  </Button>
                  {c.state === 'running' && (
                    <Button type="link" size="small" danger icon={<StopOutlined />} onClick={() => setCancelling(c)}>
                      {t('admin.case.cancel')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {cancelling && (
        <CancelCase
          instance={cancelling}
          processName={names.get(cancelling.processKey) ?? cancelling.processKey}
          onClose={(done) => {
            setCancelling(null);
            if (done) cases.reload();
          }}
        />
      )}
    </>
  );
}

function CancelCase({ instance, processName, onClose }: { instance: Instance; processName: string; onClose(done: boolean): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const formFail = useFormFail(form);
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={t('admin.case.cancelTitle', { name: processName })}
      okText={t('admin.case.cancelOk')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('admin.case.cancelWarning')} description={instance.businessKey ? t('admin.case.cancelWhich', { key: instance.businessKey, id: instance.id }) : t('admin.case.cancelWhichId', { id: instance.id })} />
      <Form
        form={form}
        layout="vertical"
        onFinish={async (values) => {
          setBusy(true);
          try {
            await api.post(`/api/instances/${encodeURIComponent(instance.id)}/cancel`, { reason: values.reason.trim() });
            void message.success(t('admin.case.cancelled'));
            onClose(true);
          } catch (err) {
            formFail(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="reason" label={t('admin.case.reason')} rules={[{ required: true, whitespace: true, message: t('admin.case.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={1000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
