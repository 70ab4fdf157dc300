/**
 * 服务目录: every service configured as catalog rows — its number, name,
 * class, type and whether it is open, what it last published (and whether a
 * hand-edited version has replaced it since) — searchable by name, number or
 * pinyin code; the whole catalog exported or imported as JSON or XLSX; a new
 * service added; and the tables every service shares, each a page of its own.
 */
import { AppstoreOutlined, EditOutlined, EyeOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Form, Input, Modal, Row as GridRow, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, ApiError } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { emptyText, ErrorAlert, PageHeader, RefreshButton, useFail, useFilters, useLoad, UserName } from '../shared.tsx';
import './catalog.css';
import { useCatalogData } from './editor.ts';
import { CODE_PATTERN } from './model.ts';
import { ProblemTable } from './problems.tsx';
import { ExportButton, ImportModal } from './transfer.tsx';
import { SHARED_TABLES, versionOf, type CatalogProblem, type Row, type ServiceStatus, type TableSpec } from './types.ts';

interface ServiceItem {
  number: string;
  name: string;
  pinyin: string;
  wubi: string;
  className: string;
  classCode: string;
  type: string;
  status: string;
  state: ServiceStatus | undefined;
}

const enumLabel = (spec: TableSpec | undefined, column: string, value: unknown) => spec?.columns.find((c) => c.name === column)?.values?.find((v) => v.value === value)?.label;

export function CatalogPage() {
  const { t, text, dateTime } = useI18n();
  const { can } = useSession();
  const filters = useFilters<'q'>();
  const search = filters.get('q');
  const [importing, setImporting] = useState(false);
  const [adding, setAdding] = useState(false);
  const data = useCatalogData();
  const statuses = useLoad(() => api.get<{ items: ServiceStatus[] }>('/api/catalog/services').then((r) => r.items), []);
  const manage = can('catalog:manage');
  const specs = data.data?.specs;
  const tables = data.data?.snapshot.tables;

  const services = useMemo<ServiceItem[]>(() => {
    const classes = new Map((tables?.classes ?? []).map((c) => [String(c.code), String(c.name)]));
    const states = new Map((statuses.data ?? []).map((s) => [s.service, s]));
    return (tables?.services ?? []).map((s) => ({
      number: String(s.number),
      name: String(s.name),
      pinyin: String(s.pinyin ?? ''),
      wubi: String(s.wubi ?? ''),
      classCode: String(s.class),
      className: classes.get(String(s.class)) ?? String(s.class),
      type: String(s.type ?? ''),
      status: String(s.status ?? ''),
      state: states.get(String(s.number)),
    }));
  }, [tables, statuses.data]);

  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    if (!q) return services;
    return services.filter((s) => [s.number, s.name, s.pinyin, s.wubi, s.className].some((v) => v.toLowerCase().includes(q)));
  }, [services, search]);

  const reload = () => {
    data.reload();
    statuses.reload();
  };

  return (
    <>
      <PageHeader
        title={t('admin.catalog.title')}
        description={t('admin.catalog.description')}
        extra={
          <>
            <RefreshButton onClick={reload} loading={data.loading || statuses.loading} />
            <ExportButton />
            {manage && (
              <Button icon={<ImportOutlined />} onClick={() => setImporting(true)}>
                {t('admin.catalog.import.button')}
              </Button>
            )}
            {manage && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} disabled={!specs}>
                {t('admin.catalog.add')}
              </Button>
            )}
          </>
        }
      />
      <ErrorAlert error={data.error ?? statuses.error} onRetry={reload} />
      <Card
        size="small"
        style={{ marginBottom: 16 }}
        title={
          <Space>
            <AppstoreOutlined />
            {t('admin.catalog.shared')}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('admin.catalog.sharedHint')}</Typography.Paragraph>
        <GridRow gutter={[12, 12]}>
          {SHARED_TABLES.map((name) => (
            <Col key={name} xs={12} sm={8} lg={4}>
              <Link to={`/admin/catalog/tables/${name}`} className="wf-table-link">
                <Typography.Text strong style={{ color: 'inherit' }}>
                  {text(specs?.[name]?.title) || name}
                </Typography.Text>
                <span className="wf-secondary" style={{ fontSize: 12 }}>
                  {t('admin.catalog.rows', { count: tables?.[name]?.length ?? 0 })}
                </span>
              </Link>
            </Col>
          ))}
        </GridRow>
      </Card>
      <Card size="small">
        <Input.Search
          allowClear
          placeholder={t('admin.catalog.search')}
          aria-label={t('admin.catalog.search')}
          defaultValue={search}
          onChange={(e) => filters.set({ q: e.target.value })}
          style={{ width: 320, maxWidth: '100%', marginBottom: 12 }}
        />
        <Table<ServiceItem>
          className="wf-scroll-x"
          rowKey="number"
          loading={data.loading}
          dataSource={shown}
          pagination={shown.length > 50 ? { pageSize: 50, showTotal: (total) => t('common.total', { total }) } : false}
          locale={{ emptyText: emptyText(t, !!search.trim(), t('admin.catalog.empty')) }}
          columns={[
            { title: t('admin.catalog.number'), dataIndex: 'number', width: 110, render: (v: string) => <Link to={`/admin/catalog/services/${encodeURIComponent(v)}`}>{v}</Link> },
            {
              title: t('admin.catalog.name'),
              key: 'name',
              width: 220,
              render: (_, s) => (
                <Space orientation="vertical" size={0}>
                  <Link to={`/admin/catalog/services/${encodeURIComponent(s.number)}`}>
                    <Typography.Text strong style={{ color: 'inherit' }}>
                      {s.name}
                    </Typography.Text>
                  </Link>
                  {s.pinyin && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {s.pinyin}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            { title: t('admin.catalog.class'), key: 'class', width: 170, render: (_, s) => t('admin.nameAndId', { name: s.className, id: s.classCode }) },
            { title: t('admin.catalog.type'), key: 'type', width: 120, render: (_, s) => text(enumLabel(specs?.services, 'type', s.type)) || s.type },
            {
              title: t('admin.catalog.status'),
              key: 'status',
              width: 100,
              render: (_, s) => <Tag color={s.status === '1' ? 'green' : undefined}>{text(enumLabel(specs?.services, 'status', s.status)) || s.status}</Tag>,
            },
            {
              title: t('admin.catalog.published'),
              key: 'published',
              width: 240,
              render: (_, s) => <PublishedCell state={s.state} loading={statuses.loading} dateTime={dateTime} />,
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 100,
              render: (_, s) => (
                <Link to={`/admin/catalog/services/${encodeURIComponent(s.number)}`}>
                  {manage ? <EditOutlined /> : <EyeOutlined />} {manage ? t('common.edit') : t('common.view')}
                </Link>
              ),
            },
          ]}
        />
      </Card>
      {importing && (
        <ImportModal
          specs={specs}
          onClose={(changed) => {
            setImporting(false);
            if (changed) reload();
          }}
        />
      )}
      {adding && specs && tables && <NewServiceModal spec={specs.services!} classes={tables.classes ?? []} taken={services.map((s) => s.number)} onClose={() => setAdding(false)} />}
    </>
  );
}

function PublishedCell({ state, loading, dateTime }: { state: ServiceStatus | undefined; loading: boolean; dateTime(v: string): string }) {
  const { t } = useI18n();
  if (!state) return loading ? null : <Typography.Text type="secondary">—</Typography.Text>;
  const p = state.publication;
  return (
    <Space orientation="vertical" size={0}>
      <Space size={4} wrap>
        {p ? <Tag color="blue">{t('admin.catalog.version', { version: versionOf(p.definitionId) ?? '?' })}</Tag> : <Typography.Text type="secondary">{t('admin.catalog.unpublished')}</Typography.Text>}
        {state.handEditedVersion !== null && (
          <Tooltip title={t('admin.catalog.handEditedHint', { version: state.handEditedVersion })}>
            <Tag color="orange">{t('admin.catalog.handEdited')}</Tag>
          </Tooltip>
        )}
      </Space>
      {p && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {dateTime(p.publishedAt)} · <UserName id={p.publishedBy} />
        </Typography.Text>
      )}
    </Space>
  );
}

interface NewService {
  number: string;
  name: string;
  class: string;
  type: string;
}

/** A new service: the four cells it cannot do without; the rest on its page. */
function NewServiceModal({ spec, classes, taken, onClose }: { spec: TableSpec; classes: Row[]; taken: string[]; onClose(): void }) {
  const { t, text } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const fail = useFail();
  const [form] = Form.useForm<NewService>();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<CatalogProblem[]>([]);
  const title = (name: string) => text(spec.columns.find((c) => c.name === name)?.title);

  const submit = async (values: NewService) => {
    setBusy(true);
    setProblems([]);
    try {
      const row = { number: values.number.trim(), name: values.name.trim(), class: values.class, type: values.type };
      await api.post('/api/catalog/changes', { put: { services: [row] } });
      void message.success(t('admin.catalog.added', { name: row.name }));
      navigate(`/admin/catalog/services/${encodeURIComponent(row.number)}`);
    } catch (err) {
      const listed = err instanceof ApiError && Array.isArray(err.details.problems) ? (err.details.problems as CatalogProblem[]) : null;
      if (!listed) fail(err);
      else {
        form.setFields(listed.filter((p) => p.table === 'services' && p.column && p.column in values).map((p) => ({ name: p.column as keyof NewService, errors: [p.message] })));
        setProblems(listed.filter((p) => !(p.table === 'services' && p.column && p.column in values)));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('admin.catalog.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('admin.catalog.addOk')}
      confirmLoading={busy}
      destroyOnHidden
      mask={{ closable: false }}
      width={640}
    >
      <Typography.Paragraph type="secondary">{t('admin.catalog.addHint')}</Typography.Paragraph>
      <Form<NewService> form={form} name="new-service" layout="vertical" onFinish={submit} initialValues={{ type: '1' }}>
        <GridRow gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="number"
              label={title('number')}
              rules={[
                { required: true, message: t('admin.catalog.check.required') },
                { pattern: CODE_PATTERN, message: t('admin.catalog.check.code') },
                { validator: (_, v: string) => (v && taken.includes(v.trim()) ? Promise.reject(new Error(t('admin.catalog.numberTaken'))) : Promise.resolve()) },
              ]}
            >
              <Input spellCheck={false} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={title('name')} rules={[{ required: true, whitespace: true, message: t('admin.catalog.check.required') }]}>
              <Input maxLength={60} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="class" label={title('class')} rules={[{ required: true, message: t('admin.catalog.check.required') }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={classes.map((c) => ({ value: String(c.code), label: t('admin.nameAndId', { name: String(c.name), id: String(c.code) }) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="type" label={title('type')} rules={[{ required: true, message: t('admin.catalog.check.required') }]}>
              <Select options={(spec.columns.find((c) => c.name === 'type')?.values ?? []).map((v) => ({ value: v.value, label: text(v.label) }))} />
            </Form.Item>
          </Col>
        </GridRow>
      </Form>
      {problems.length > 0 && <ProblemTable problems={problems} specs={{ services: spec }} />}
    </Modal>
  );
}
