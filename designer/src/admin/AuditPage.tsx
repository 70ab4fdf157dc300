/**
 * 审计日志: who did what, when, from where, and what changed — newest first,
 * filtered by person, action, client address and time (the filters stay in
 * the address, to be linked). A record opens to its data (before and after,
 * side by side, where there was a before). The same filters export CSV for
 * Excel; the integrity check walks the hash chains and signed anchors and
 * reports the first row of each chain that was tampered with.
 */
import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Button, Card, Col, DatePicker, Input, Modal, Result, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, queryString, type Page } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { UserSelect } from './org.tsx';
import { emptyText, ErrorAlert, JsonBlock, known, PageHeader, RefreshButton, useFilters, useLoad, usePaging, UserName } from './shared.tsx';
import type { AuditRecord, AuditReport } from './types.ts';

/** The actions the server records, offered in the filter (any other can be typed). */
const ACTIONS = [
  'auth.login',
  'auth.login.failed',
  'auth.logout',
  'auth.sms-login',
  'auth.sms-login.failed',
  'auth.sms-code.refused',
  'auth.token.create',
  'auth.token.revoke',
  'access.denied',
  'department.create',
  'department.update',
  'department.delete',
  'user.create',
  'user.update',
  'user.roles',
  'user.citizen',
  'role.create',
  'role.update',
  'role.builtin',
  'org.import',
  'org.load',
  'definition.deploy',
  'form.deploy',
  'dictionary.put',
  'connector.config',
  'instance.start',
  'instance.cancel',
  'instance.withdraw',
  'instance.migrate',
  'instance.variables',
  'instance.comment',
  'instance.cc',
  'task.claim',
  'task.unclaim',
  'task.complete',
  'task.complete-batch',
  'task.transfer',
  'task.delegate',
  'task.return',
  'task.add-signer',
  'task.urge',
  'incident.retry',
  'job.cancel',
  'message.correlate',
  'signal.broadcast',
  'file.read-others',
  'audit.export',
  'audit.verify',
] as const;

const DANGER = new Set(['auth.login.failed', 'auth.sms-login.failed', 'auth.sms-code.refused', 'access.denied', 'department.delete', 'instance.cancel', 'job.cancel']);

type FilterKey = 'actor' | 'action' | 'address' | 'from' | 'to';

export function AuditPage() {
  const { t, dateTime } = useI18n();
  const filters = useFilters<FilterKey>();
  const [total, setTotal] = useState<number>();
  const paging = usePaging(filters, total);
  const [addressDraft, setAddressDraft] = useState(filters.get('address'));
  const [actionDraft, setActionDraft] = useState(filters.get('action'));
  const [verifying, setVerifying] = useState(false);
  const query = { actor: filters.get('actor') || undefined, action: filters.get('action') || undefined, address: filters.get('address') || undefined, from: filters.get('from') || undefined, to: filters.get('to') || undefined };
  const records = useLoad(async () => {
    const page = await api.get<Page<AuditRecord>>('/api/audit', { ...query, offset: paging.offset, limit: paging.limit });
    setTotal(page.total);
    return page;
  }, [JSON.stringify(query), paging.offset, paging.limit]);
  const filtered = Object.values(query).some(Boolean);
  const actionLabel = (action: string) => known(t, `admin.audit.action.${action}`, action);
  const from = filters.get('from');
  const to = filters.get('to');

  return (
    <>
      <PageHeader
        title={t('admin.audit.title')}
        description={t('admin.audit.description')}
        extra={
          <>
            <RefreshButton onClick={records.reload} loading={records.loading} />
            <Button icon={<SafetyCertificateOutlined />} onClick={() => setVerifying(true)}>
              {t('admin.audit.verify')}
            </Button>
            <Button icon={<DownloadOutlined />} href={`/api/audit/export${queryString(query)}`} download="audit.csv">
              {t('admin.audit.export')}
            </Button>
          </>
        }
      />
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <UserSelect value={query.actor ?? null} onChange={(v) => filters.set({ actor: v })} placeholder={t('admin.audit.actor')} style={{ width: 200 }} />
          <AutoComplete
            allowClear
            value={actionDraft}
            onChange={(v: string | undefined) => {
              setActionDraft(v ?? '');
              if (!v) filters.set({ action: null });
            }}
            onSelect={(v: string | undefined) => filters.set({ action: v })}
            onBlur={() => actionDraft !== filters.get('action') && filters.set({ action: actionDraft.trim() })}
            options={ACTIONS.map((a) => ({ value: a, label: t('admin.nameAndId', { name: actionLabel(a), id: a }) }))}
            showSearch={{ filterOption: (input, option) => String(option?.label ?? '').toLowerCase().includes(input.toLowerCase()) }}
            placeholder={t('admin.audit.action')}
            aria-label={t('admin.audit.action')}
            style={{ width: 260 }}
            popupMatchSelectWidth={320}
          />
          <Input.Search allowClear placeholder={t('admin.audit.address')} aria-label={t('admin.audit.address')} value={addressDraft} onChange={(e) => setAddressDraft(e.target.value)} onSearch={(v) => filters.set({ address: v.trim() })} style={{ width: 200 }} />
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            allowEmpty={[true, true]}
            value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
            onChange={(range) => filters.set({ from: range?.[0]?.toISOString() ?? null, to: range?.[1]?.toISOString() ?? null })}
            placeholder={[t('admin.audit.from'), t('admin.audit.to')]}
            aria-label={t('admin.audit.from')}
          />
          {filtered && (
            <Button
              onClick={() => {
                setAddressDraft('');
                setActionDraft('');
                filters.set({ actor: null, action: null, address: null, from: null, to: null });
              }}
            >
              {t('common.reset')}
            </Button>
          )}
        </Space>
        <ErrorAlert error={records.error} onRetry={records.reload} />
        <Table<AuditRecord>
          rowKey="id"
          size="middle"
          loading={records.loading}
          dataSource={records.data?.items ?? []}
          pagination={paging.pagination}
          scroll={{ x: 1000 }}
          locale={{ emptyText: emptyText(t, filtered, t('admin.audit.empty')) }}
          expandable={{ expandedRowRender: (r) => <AuditData data={r.data} />, rowExpandable: (r) => r.data !== null }}
          columns={[
            { title: t('admin.audit.at'), dataIndex: 'at', width: 170, render: (v: string) => dateTime(v) },
            { title: t('admin.audit.actor'), dataIndex: 'actor', width: 130, render: (v: string | null) => <UserName id={v} /> },
            { title: t('admin.audit.address'), dataIndex: 'address', width: 150, render: (v: string | null) => (v ? <Typography.Text style={{ fontSize: 12 }}>{v.replace(/^::ffff:/, '')}</Typography.Text> : '—') },
            {
              title: t('admin.audit.action'),
              dataIndex: 'action',
              width: 290,
              render: (a: string) => (
                <Space size={4}>
                  <Tag color={DANGER.has(a) ? 'red' : 'blue'} style={{ cursor: 'pointer' }} onClick={() => (setActionDraft(a), filters.set({ action: a }))}>
                    {actionLabel(a)}
                  </Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {a}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t('admin.audit.target'), dataIndex: 'target', ellipsis: true, render: (v: string | null) => v ?? '—' },
            { title: '#', dataIndex: 'id', width: 80, render: (v: number) => <Typography.Text type="secondary">{v}</Typography.Text> },
          ]}
        />
      </Card>
      {verifying && <VerifyModal onClose={() => setVerifying(false)} />}
    </>
  );
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** A record's data: what changed field by field (before → after), then all of it. */
function AuditData({ data }: { data: Record<string, unknown> | null }) {
  const { t } = useI18n();
  if (!data) return null;
  const { before, after, ...rest } = data;
  if (!before || !after || typeof before !== 'object' || typeof after !== 'object') return <JsonBlock value={data} />;
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const changed = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => k in a && JSON.stringify(b[k]) !== JSON.stringify(a[k]) && k !== 'updatedAt');
  return (
    <>
      <Typography.Text strong>{t('admin.audit.changes', { count: changed.length })}</Typography.Text>
      {changed.length > 0 && (
        <Table
          size="small"
          rowKey="field"
          style={{ margin: '8px 0' }}
          pagination={false}
          dataSource={changed.map((field) => ({ field, before: show(b[field]), after: show(a[field]) }))}
          columns={[
            { title: t('admin.audit.field'), dataIndex: 'field', width: 160, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            { title: t('admin.audit.before'), dataIndex: 'before', render: (v: string) => <Typography.Text delete type="secondary" style={{ wordBreak: 'break-all' }}>{v}</Typography.Text> },
            { title: t('admin.audit.after'), dataIndex: 'after', render: (v: string) => <Typography.Text style={{ wordBreak: 'break-all' }}>{v}</Typography.Text> },
          ]}
        />
      )}
      <details style={{ marginTop: 8 }}>
        <summary style={{ cursor: 'pointer', color: '#1668dc' }}>{t('admin.audit.whole')}</summary>
        <Row gutter={12} style={{ marginTop: 8 }}>
          <Col span={12}>
            <Typography.Text type="secondary">{t('admin.audit.before')}</Typography.Text>
            <JsonBlock value={before} />
          </Col>
          <Col span={12}>
            <Typography.Text type="secondary">{t('admin.audit.after')}</Typography.Text>
            <JsonBlock value={after} />
          </Col>
        </Row>
        {Object.keys(rest).length > 0 && (
          <div style={{ marginTop: 8 }}>
            <JsonBlock value={rest} />
          </div>
        )}
      </details>
    </>
  );
}

function VerifyModal({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const report = useLoad(() => api.get<AuditReport>('/api/audit/verify'), []);
  const r = report.data;
  return (
    <Modal open width={760} title={t('admin.audit.verifyTitle')} onCancel={onClose} footer={<Button onClick={onClose}>{t('common.close')}</Button>} destroyOnHidden>
      <ErrorAlert error={report.error} onRetry={report.reload} />
      {report.loading && <Alert type="info" showIcon title={t('admin.audit.verifying')} />}
      {r && (
        <>
          <Result status={r.ok ? 'success' : 'error'} title={r.ok ? t('admin.audit.intact') : t('admin.audit.tampered', { count: r.problems.length })} style={{ padding: '8px 0' }} />
          <Row gutter={16} style={{ marginBottom: 16, textAlign: 'center' }}>
            <Col span={8}>
              <Statistic title={t('admin.audit.rows')} value={r.rows} />
            </Col>
            <Col span={8}>
              <Statistic title={t('admin.audit.chains')} value={r.chains} />
            </Col>
            <Col span={8}>
              <Statistic title={t('admin.audit.anchors')} value={r.anchors} />
            </Col>
          </Row>
          {r.problems.length > 0 && (
            <Table
              size="small"
              rowKey={(p) => `${p.chain}:${p.seq ?? ''}:${p.kind}`}
              dataSource={r.problems}
              pagination={false}
              columns={[
                { title: t('admin.audit.problemKind'), dataIndex: 'kind', width: 110, render: (k: string) => <Tag color="red">{known(t, `admin.audit.problem.${k}`, k)}</Tag> },
                { title: t('admin.audit.chain'), dataIndex: 'chain', width: 200 },
                { title: t('admin.audit.seq'), dataIndex: 'seq', width: 80, render: (v: number | null) => v ?? '—' },
                { title: t('admin.audit.detail'), dataIndex: 'detail' },
              ]}
            />
          )}
          {r.ok && (
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t('admin.audit.intactHint')}
            </Typography.Paragraph>
          )}
        </>
      )}
    </Modal>
  );
}
