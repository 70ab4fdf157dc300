/**
 * One service's page: its own row as a form, each of its own tables as an
 * editable grid (one save for all of them: the rows added or changed and the
 * keys removed, in one request), a preview of what the saved rows compile to,
 * publishing (with a confirmation when a hand-edited version would be
 * replaced), its export, and who changed what when.
 */
import { ApartmentOutlined, CloudUploadOutlined, NodeIndexOutlined } from '@ant-design/icons';
import { Alert, App, Breadcrumb, Button, Card, Col, Descriptions, Form, Modal, Result, Row as GridRow, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { NotFoundPage } from '../../pages/ErrorPages.tsx';
import { ErrorAlert, errorText, PageHeader, RefreshButton, useFail, useFilters, useLoad, UserName } from '../shared.tsx';
import { complaintText, EditorGrid } from './CatalogGrid.tsx';
import './catalog.css';
import { CellInput, CellText } from './cells.tsx';
import { ChangeLog } from './ChangeLog.tsx';
import { useCatalogData, useCatalogEditor, type CatalogEditor } from './editor.ts';
import { rowComplaints } from './model.ts';
import { columnOptions } from './options.ts';
import { Preview } from './Preview.tsx';
import { ProblemTable, RefusedAlert, reveal } from './problems.tsx';
import { SaveBar } from './SaveBar.tsx';
import { Sections, type Section } from './Sections.tsx';
import { ExportButton } from './transfer.tsx';
import { SERVICE_TABLES, versionOf, type CatalogProblem, type CompiledService, type PublishResult, type Row, type ServiceStatus, type TableSpec } from './types.ts';

const EDITED = ['services', ...SERVICE_TABLES];

export function ServicePage() {
  const { service = '' } = useParams();
  // Another service is another page: its own rows, nothing typed carried over.
  return <ServiceEditor key={service} service={service} />;
}

function ServiceEditor({ service }: { service: string }) {
  const { t, text, dateTime } = useI18n();
  const { can } = useSession();
  const filters = useFilters<'tab'>();
  const tab = filters.get('tab') || 'service';
  const data = useCatalogData();
  const statuses = useLoad(() => api.get<{ items: ServiceStatus[] }>('/api/catalog/services').then((r) => r.items), []);
  const scope = useCallback((table: string, row: Row) => (table === 'services' ? row.number === service : row.service === service), [service]);
  const editor = useCatalogEditor(data.data, EDITED, scope);
  const { message, modal } = App.useApp();
  const readOnly = !can('catalog:manage');
  /** A reload drops what was typed: asked first when there is any. */
  const confirmDiscard = (then: () => void) =>
    editor.dirty ? modal.confirm({ title: t('admin.catalog.reloadConfirm'), okText: t('admin.catalog.discard'), cancelText: t('common.cancel'), onOk: then }) : then();
  const specs = data.data?.specs;
  const saved = data.data?.snapshot.tables.services?.find((s) => s.number === service);
  const status = statuses.data?.find((s) => s.service === service);
  const className = data.data?.snapshot.tables.classes?.find((c) => c.code === saved?.class)?.name;

  const save = async () => {
    const result = await editor.save();
    if (!result) return;
    void message.success(t('admin.catalog.saved', { changed: result.changed, revision: result.revision }));
    data.reload();
    statuses.reload();
  };

  const open = (p: CatalogProblem) => {
    filters.set({ tab: p.table === 'services' ? null : p.table });
    reveal(p);
  };

  if (data.data && !saved) return <NotFoundPage />;

  /** A part's name with how many rows it has, and its unsaved changes or its problems. */
  const section = (key: string, table: string | null, title: string, content: () => ReactNode): Section => {
    const wrong = table ? editor.problems.filter((p) => p.table === table).length + (editor.tried ? editor.wrongIn(table) : 0) : 0;
    const dirty = table ? editor.dirtyIn(table) : 0;
    const count = table && table !== 'services' ? editor.rows(table).filter((r) => !r.deleted).length : null;
    const mark = wrong ? t('admin.catalog.tabProblems', { count: wrong }) : dirty ? t('admin.catalog.tabChanged', { count: dirty }) : null;
    return {
      key,
      text: [count === null ? title : t('admin.catalog.sectionCount', { title, count }), mark].filter(Boolean).join(' · '),
      label: (
        <span className="wf-section-label">
          <span className="wf-section-title">{title}</span>
          {count !== null && <span className="wf-secondary">{count}</span>}
          {mark && <Tag color={wrong ? 'red' : 'blue'}>{mark}</Tag>}
        </span>
      ),
      content,
    };
  };

  return (
    <>
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/admin/catalog">{t('admin.catalog.title')}</Link> }, { title: saved ? String(saved.name) : service }]} />
      <PageHeader
        title={saved ? t('admin.catalog.serviceTitle', { name: String(saved.name), number: service }) : service}
        description={
          saved && (
            <Space size={[8, 4]} wrap>
              <span>{t('admin.nameAndId', { name: String(className ?? saved.class), id: String(saved.class) })}</span>
              <span>{text(specs?.services?.columns.find((c) => c.name === 'type')?.values?.find((v) => v.value === saved.type)?.label)}</span>
              <Tag color={saved.status === '1' ? 'green' : undefined}>{text(specs?.services?.columns.find((c) => c.name === 'status')?.values?.find((v) => v.value === saved.status)?.label)}</Tag>
            </Space>
          )
        }
        extra={
          <>
            <RefreshButton
              onClick={() =>
                confirmDiscard(() => {
                  data.reload();
                  statuses.reload();
                })
              }
              loading={data.loading}
            />
            <ExportButton service={service} />
            {saved && can('definition:read') && <DesignerViews service={service} dirty={editor.dirty > 0} />}
            {can('catalog:manage') && can('definition:deploy') && can('form:deploy') && saved && (
              <PublishButton service={service} name={String(saved.name)} blocked={editor.dirty > 0} specs={specs} onPublished={statuses.reload} />
            )}
          </>
        }
      />
      <ErrorAlert error={data.error ?? statuses.error} onRetry={data.reload} />
      {status && <PublicationLine status={status} dateTime={dateTime} />}
      <RefusedAlert problems={editor.problems} specs={specs} onOpen={open} />
      <ErrorAlert error={editor.failure} />
      {!data.error && (
        <Card size="small" loading={!data.data}>
          {specs && data.data && (
            <Sections
              active={tab}
              onChange={(key) => filters.set({ tab: key === 'service' ? null : key })}
              groups={[
                {
                  title: t('admin.catalog.group.service'),
                  sections: [section('service', 'services', t('admin.catalog.tab.service'), () => <ServiceForm editor={editor} spec={specs.services!} specs={specs} readOnly={readOnly} />)],
                },
                {
                  title: t('admin.catalog.group.tables'),
                  sections: SERVICE_TABLES.filter((table) => specs[table]).map((table) =>
                    section(table, table, text(specs[table]!.title), () => <EditorGrid editor={editor} spec={specs[table]!} specs={specs} service={service} readOnly={readOnly} />),
                  ),
                },
                {
                  title: t('admin.catalog.group.publish'),
                  sections: [
                    section('preview', null, t('admin.catalog.tab.preview'), () => (
                      <Preview service={service} revision={data.data!.snapshot.revision} stale={editor.dirty > 0} status={status} specs={specs} />
                    )),
                    section('history', null, t('admin.catalog.tab.history'), () => <ChangeLog filter={{ service }} specs={specs} revision={data.data!.snapshot.revision} />),
                  ],
                },
              ]}
            />
          )}
        </Card>
      )}
      {!readOnly && <SaveBar editor={editor} onSave={save} />}
    </>
  );
}

/** What the service last published, and whether someone has deployed a hand-edited version since. */
function PublicationLine({ status, dateTime }: { status: ServiceStatus; dateTime(v: string): string }) {
  const { t } = useI18n();
  const p = status.publication;
  return (
    <>
      {status.handEditedVersion !== null && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('admin.catalog.handEditedHint', { version: status.handEditedVersion })} />}
      <Descriptions
        size="small"
        style={{ marginBottom: 16 }}
        column={{ xs: 1, sm: 2, lg: 4 }}
        items={[
          { key: 'process', label: t('admin.catalog.processKey'), children: <Typography.Text code>{status.processKey}</Typography.Text> },
          {
            key: 'version',
            label: t('admin.catalog.published'),
            children: p ? (
              <Space size={4} wrap>
                <Tag color="blue">{t('admin.catalog.version', { version: versionOf(p.definitionId) ?? '?' })}</Tag>
                {status.handEditedVersion !== null && <Tag color="orange">{t('admin.catalog.handEdited')}</Tag>}
              </Space>
            ) : (
              t('admin.catalog.unpublished')
            ),
          },
          ...(p
            ? [
                { key: 'at', label: t('admin.def.deployedAt'), children: dateTime(p.publishedAt) },
                { key: 'by', label: t('admin.def.deployedBy'), children: <UserName id={p.publishedBy} /> },
              ]
            : []),
        ]}
      />
    </>
  );
}

/** The service's own row: each column a labelled control, its problems under it. */
function ServiceForm({ editor, spec, specs, readOnly }: { editor: CatalogEditor; spec: TableSpec; specs: Record<string, TableSpec>; readOnly: boolean }) {
  const { t, text } = useI18n();
  const row = editor.rows('services')[0];
  const { setCell } = editor;
  const sources = [editor.current('classes'), editor.current('offices')];
  const options = useMemo(() => columnOptions(specs, spec, (name) => editor.current(name), null), [specs, spec, ...sources]);
  if (!row) return null;
  const complaints = rowComplaints(spec, row, editor.tried);
  const theirs = editor.problems.filter((p) => p.uid === row.uid);
  const elsewhere = theirs.filter((p) => !p.column || !spec.columns.some((c) => c.name === p.column));
  return (
    <Form layout="vertical" component="div">
      {elsewhere.length > 0 && <ProblemTable problems={elsewhere} specs={specs} />}
      <GridRow gutter={[16, 0]}>
        {spec.columns.map((column) => {
          const id = `svc-${column.name}`;
          const own = complaints[column.name];
          const errors = [...(own ? [complaintText(t, own)] : []), ...theirs.filter((p) => p.column === column.name).map((p) => p.message)];
          const long = column.type === 'text' && (column.max ?? 0) > 100;
          const key = spec.key.includes(column.name);
          return (
            <Col key={column.name} xs={column.type === 'bool' ? 12 : 24} sm={long ? 24 : 12} lg={long ? ((column.max ?? 0) > 500 ? 24 : 12) : 8} xl={long ? ((column.max ?? 0) > 500 ? 24 : 12) : 6}>
              <Form.Item
                label={text(column.title)}
                htmlFor={id}
                required={column.required && !readOnly}
                validateStatus={errors.length ? 'error' : undefined}
                help={errors.length ? errors.join(' ') : undefined}
                extra={column.generated && !readOnly ? t('admin.catalog.generatedHint') : key && !readOnly ? t('admin.catalog.keyFixed') : undefined}
              >
                {readOnly ? (
                  <CellText column={column} value={row.data[column.name]} options={options[column.name]?.options} />
                ) : (
                  <CellInput
                    id={id}
                    size="middle"
                    column={column}
                    value={row.data[column.name]}
                    options={options[column.name]?.options}
                    suggest={options[column.name]?.suggest}
                    label={text(column.title)}
                    invalid={errors.length > 0}
                    disabled={key}
                    onChange={(v) => setCell('services', row.uid, column.name, v)}
                  />
                )}
              </Form.Item>
            </Col>
          );
        })}
      </GridRow>
    </Form>
  );
}

/** Publishing: confirmed first; a hand-edited version in the way is replaced only when confirmed again; the outcome shown. */
function PublishButton({ service, name, blocked, specs, onPublished }: { service: string; name: string; blocked: boolean; specs: Record<string, TableSpec> | undefined; onPublished(): void }) {
  const { t } = useI18n();
  const { modal } = App.useApp();
  const fail = useFail();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PublishResult | null>(null);

  const publish = async (replaceHandEdited: boolean): Promise<void> => {
    setBusy(true);
    try {
      const published = await api.post<PublishResult>(`/api/catalog/services/${encodeURIComponent(service)}/publish`, replaceHandEdited ? { replaceHandEdited: true } : {});
      setResult(published);
      onPublished();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'WF_ERR_CATALOG_HAND_EDITED') {
        modal.confirm({
          title: t('admin.catalog.publish.handEditedTitle'),
          content: (
            <>
              <Typography.Paragraph>{errorText(err, t)}</Typography.Paragraph>
              <Typography.Paragraph style={{ marginBottom: 0 }}>{t('admin.catalog.publish.handEditedHint', { version: Number(err.details.version) || '?' })}</Typography.Paragraph>
            </>
          ),
          okText: t('admin.catalog.publish.replace'),
          okButtonProps: { danger: true },
          cancelText: t('common.cancel'),
          onOk: () => publish(true),
        });
      } else if (err instanceof ApiError && Array.isArray(err.details.problems)) {
        modal.error({
          width: 880,
          title: errorText(err, t),
          content: <ProblemTable problems={err.details.problems as CatalogProblem[]} specs={specs} />,
          okText: t('common.close'),
        });
      } else fail(err);
    } finally {
      setBusy(false);
    }
  };

  const ask = () =>
    modal.confirm({
      title: t('admin.catalog.publish.confirmTitle', { name }),
      content: t('admin.catalog.publish.confirmHint'),
      okText: t('admin.catalog.publish.button'),
      cancelText: t('common.cancel'),
      onOk: () => publish(false),
    });

  const version = result ? versionOf(result.definitionId) : null;
  return (
    <>
      <Tooltip title={blocked ? t('admin.catalog.publish.saveFirst') : undefined}>
        <Button type="primary" icon={<CloudUploadOutlined />} loading={busy} disabled={blocked} onClick={ask}>
          {t('admin.catalog.publish.button')}
        </Button>
      </Tooltip>
      {result && (
        <Modal
          open
          width={720}
          title={t('admin.catalog.publish.resultTitle', { name })}
          onCancel={() => setResult(null)}
          footer={<Button onClick={() => setResult(null)}>{t('common.close')}</Button>}
          destroyOnHidden
        >
          <Result
            status={result.created ? 'success' : 'info'}
            title={result.created ? t('admin.catalog.publish.created', { version: version ?? '?' }) : t('admin.catalog.publish.unchanged', { version: version ?? '?' })}
            subTitle={result.created ? t('admin.catalog.publish.createdHint') : t('admin.catalog.publish.unchangedHint')}
            style={{ padding: '8px 0 16px' }}
          />
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={[
              { key: result.processKey, kind: t('admin.catalog.publish.process'), version: version ?? 0, created: result.created },
              ...result.forms.map((f) => ({ key: f.key, kind: t('admin.catalog.publish.form'), version: f.version, created: f.created })),
            ]}
            columns={[
              { title: t('admin.catalog.publish.what'), dataIndex: 'kind', width: 90 },
              { title: t('admin.catalog.publish.key'), dataIndex: 'key', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
              { title: t('admin.def.version'), dataIndex: 'version', width: 90, render: (v: number) => <Tag color="blue">{t('admin.catalog.version', { version: v })}</Tag> },
              { title: t('admin.def.outcome'), dataIndex: 'created', width: 110, render: (c: boolean) => (c ? <Tag color="green">{t('admin.def.created')}</Tag> : <Tag>{t('admin.def.same')}</Tag>) },
            ]}
          />
        </Modal>
      )}
    </>
  );
}

/**
 * The service's other views: the flow its saved rows compile to now, opened in
 * the designer as BPMN or as an approval tree (which says why when the flow is
 * not of a tree's shape). The rows own it: edited there and deployed, it
 * detaches, as the publication line then shows.
 */
function DesignerViews({ service, dirty }: { service: string; dirty: boolean }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const open = async (view: 'bpmn' | 'tree') => {
    if (dirty) return void message.warning(t('admin.catalog.saveBeforeViews'));
    try {
      const compiled = await api.get<CompiledService>(`/api/catalog/services/${encodeURIComponent(service)}/compiled`);
      navigate(`/designer/${view}/${encodeURIComponent(compiled.processKey)}`, { state: { xml: compiled.bpmn } });
    } catch (err) {
      message.error(errorText(err, t));
    }
  };
  return (
    <Space.Compact>
      <Button icon={<NodeIndexOutlined />} onClick={() => void open('bpmn')}>
        {t('admin.catalog.viewBpmn')}
      </Button>
      <Button icon={<ApartmentOutlined />} onClick={() => void open('tree')}>
        {t('admin.catalog.viewTree')}
      </Button>
    </Space.Compact>
  );
}
