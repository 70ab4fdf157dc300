/**
 * 流程定义: each process with its latest version and how many of its cases
 * run, finished or were cancelled (per version when opened), the BPMN of any
 * version to download, and the cases of a version a click away. A `.bpmn` file
 * is deployed here: the linter's problems are listed by element (its type and
 * name read from the file), errors refusing the deploy, warnings of a
 * deployed version.
 */
import { CloudUploadOutlined, DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Card, Input, Modal, Result, Space, Table, Tag, Tooltip, Typography, Upload } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError, type Page } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { useI18n, type Translate } from '../i18n/index.tsx';
import { emptyText, ErrorAlert, errorText, known, PageHeader, RefreshButton, ShortId, useLoad, UserName } from './shared.tsx';
import type { Definition, DefinitionVersion, DeployedDefinition, InstanceState, LintProblem } from './types.ts';

const sum = (versions: DefinitionVersion[] | undefined, state: InstanceState) => (versions ?? []).reduce((n, v) => n + (v.instances[state] ?? 0), 0);

function xmlHref(key: string, version?: number) {
  return `/api/definitions/${encodeURIComponent(key)}/xml${version ? `?version=${version}` : ''}`;
}

export function DefinitionsPage() {
  const { t, dateTime } = useI18n();
  const { can } = useSession();
  const [search, setSearch] = useState('');
  const [deploying, setDeploying] = useState(false);
  const definitions = useLoad(async () => {
    const latest = await api.get<Page<Definition>>('/api/definitions', { latest: true, limit: 200 });
    // Instance counts per version, for every process at once (a handful of processes; each answer is one grouped count).
    const versions = await Promise.all(latest.items.map((d) => api.get<{ versions: DefinitionVersion[] }>(`/api/definitions/${encodeURIComponent(d.key)}/versions`).then((r) => r.versions, () => undefined)));
    return latest.items.map((d, i) => ({ ...d, versions: versions[i] }));
  }, []);
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (definitions.data ?? []).filter((d) => !q || d.key.toLowerCase().includes(q) || (d.name ?? '').toLowerCase().includes(q));
  }, [definitions.data, search]);
  const casesLink = can('instance:manage');

  const count = (n: number, state: InstanceState, key: string, version?: number) => {
    const body = state === 'running' ? <Badge status={n ? 'processing' : 'default'} text={String(n)} /> : <span>{n}</span>;
    if (!casesLink || !n) return body;
    return <Link to={`/admin/cases?processKey=${encodeURIComponent(key)}&state=${state}${version ? `&version=${version}` : ''}`}>{body}</Link>;
  };

  return (
    <>
      <PageHeader
        title={t('admin.def.title')}
        description={t('admin.def.description')}
        extra={
          <>
            <RefreshButton onClick={definitions.reload} loading={definitions.loading} />
            {can('definition:deploy') && (
              <Button type="primary" icon={<CloudUploadOutlined />} onClick={() => setDeploying(true)}>
                {t('admin.def.deploy')}
              </Button>
            )}
          </>
        }
      />
      <ErrorAlert error={definitions.error} onRetry={definitions.reload} />
      <Card size="small">
        <Input.Search allowClear placeholder={t('admin.def.search')} aria-label={t('admin.def.search')} value={search} onChange={(e) => setSearch(e.target.value)} style={{ width: 280, marginBottom: 12 }} />
        <Table
          rowKey="key"
          loading={definitions.loading}
          dataSource={shown}
          pagination={shown.length > 20 ? { pageSize: 20, showTotal: (total) => t('common.total', { total }) } : false}
          locale={{ emptyText: emptyText(t, !!search.trim(), t('admin.def.empty')) }}
          expandable={{
            expandRowByClick: false,
            expandedRowRender: (d) => (
              <Table<DefinitionVersion>
                size="small"
                rowKey="version"
                dataSource={d.versions ?? []}
                pagination={false}
                columns={[
                  { title: t('admin.def.version'), dataIndex: 'version', width: 90, render: (v: number) => <Tag color={v === d.version ? 'blue' : undefined}>v{v}</Tag> },
                  { title: t('admin.def.deployedAt'), dataIndex: 'deployedAt', width: 170, render: (v: string) => dateTime(v) },
                  { title: t('admin.def.deployedBy'), dataIndex: 'deployedBy', width: 120, render: (v: string | null) => <UserName id={v} /> },
                  { title: t('admin.def.hash'), dataIndex: 'hash', width: 130, render: (v: string) => <ShortId value={v} /> },
                  { title: t('admin.state.running'), key: 'running', width: 90, render: (_, v) => count(v.instances.running ?? 0, 'running', d.key, v.version) },
                  { title: t('admin.state.completed'), key: 'completed', width: 90, render: (_, v) => count(v.instances.completed ?? 0, 'completed', d.key, v.version) },
                  { title: t('admin.state.cancelled'), key: 'cancelled', width: 90, render: (_, v) => count(v.instances.cancelled ?? 0, 'cancelled', d.key, v.version) },
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_, v) => (
                      <a href={xmlHref(d.key, v.version)} download={`${d.key}-v${v.version}.bpmn`}>
                        <DownloadOutlined /> {t('admin.def.download')}
                      </a>
                    ),
                  },
                ]}
              />
            ),
          }}
          columns={[
            {
              title: t('admin.def.name'),
              key: 'name',
              render: (_, d) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Text strong>{d.name ?? d.key}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {d.key}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('admin.def.latest'),
              key: 'version',
              width: 130,
              render: (_, d) => (
                <Space size={4}>
                  <Tag color="blue">v{d.version}</Tag>
                  {d.versions && d.versions.length > 1 && <Typography.Text type="secondary">{t('admin.def.versions', { count: d.versions.length })}</Typography.Text>}
                </Space>
              ),
            },
            { title: t('admin.state.running'), key: 'running', width: 90, render: (_, d) => (d.versions ? count(sum(d.versions, 'running'), 'running', d.key) : '—') },
            { title: t('admin.state.completed'), key: 'completed', width: 90, render: (_, d) => (d.versions ? count(sum(d.versions, 'completed'), 'completed', d.key) : '—') },
            { title: t('admin.state.cancelled'), key: 'cancelled', width: 90, render: (_, d) => (d.versions ? count(sum(d.versions, 'cancelled'), 'cancelled', d.key) : '—') },
            {
              title: t('admin.def.deployedAt'),
              key: 'deployed',
              width: 190,
              render: (_, d) => (
                <Space orientation="vertical" size={0}>
                  <span>{dateTime(d.deployedAt)}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    <UserName id={d.deployedBy} />
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 130,
              render: (_, d) => (
                <a href={xmlHref(d.key)} download={`${d.key}-v${d.version}.bpmn`}>
                  <DownloadOutlined /> {t('admin.def.download')}
                </a>
              ),
            },
          ]}
        />
      </Card>
      {deploying && (
        <DeployModal
          onClose={(changed) => {
            setDeploying(false);
            if (changed) definitions.reload();
          }}
        />
      )}
    </>
  );
}

interface Outcome {
  file: string;
  xml: string;
  deployed?: DeployedDefinition[];
  problems?: LintProblem[];
  error?: string;
}

/** What the file says of an element: its BPMN type and name. */
function describeElement(xml: string, id: string | undefined, t: Translate): { type: string; name: string | null } | null {
  if (!id) return null;
  try {
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    const element = [...doc.getElementsByTagName('*')].find((e) => e.getAttribute('id') === id);
    if (!element) return null;
    return { type: known(t, `admin.bpmn.${element.localName}`, element.localName), name: element.getAttribute('name') };
  } catch {
    return null;
  }
}

function ProblemTable({ problems, xml }: { problems: LintProblem[]; xml: string }) {
  const { t } = useI18n();
  // By element, in the order of the file (the whole file's problems first); problems of one element together.
  const firstLine = new Map<string, number>();
  for (const p of problems) firstLine.set(p.elementId ?? '', Math.min(firstLine.get(p.elementId ?? '') ?? Infinity, p.elementId ? (p.line ?? Infinity) : -1));
  const sorted = [...problems].sort((a, b) => firstLine.get(a.elementId ?? '')! - firstLine.get(b.elementId ?? '')! || (a.elementId ?? '').localeCompare(b.elementId ?? '') || (a.line ?? 0) - (b.line ?? 0));
  const rows = sorted.map((p, i) => ({ ...p, key: i, span: i > 0 && (sorted[i - 1]!.elementId ?? '') === (p.elementId ?? '') ? 0 : sorted.filter((q) => (q.elementId ?? '') === (p.elementId ?? '')).length }));
  return (
    <Table
      size="small"
      rowKey="key"
      dataSource={rows}
      pagination={false}
      scroll={{ y: 360 }}
      columns={[
        {
          title: t('admin.def.element'),
          key: 'element',
          width: 220,
          onCell: (p) => ({ rowSpan: p.span }),
          render: (_, p) => {
            if (!p.elementId) return <Typography.Text type="secondary">{t('admin.def.wholeFile')}</Typography.Text>;
            const element = describeElement(xml, p.elementId, t);
            return (
              <Space orientation="vertical" size={0}>
                <Typography.Text code>{p.elementId}</Typography.Text>
                {element && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {element.type}
                    {element.name ? ` · ${element.name}` : ''}
                  </Typography.Text>
                )}
              </Space>
            );
          },
        },
        { title: t('admin.def.line'), dataIndex: 'line', width: 70, render: (v?: number) => v ?? '—' },
        { title: t('admin.def.problem'), dataIndex: 'message' },
        { title: t('admin.def.rule'), dataIndex: 'rule', width: 170, render: (v?: string) => v && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{v}</Typography.Text> },
      ]}
    />
  );
}

function DeployModal({ onClose }: { onClose(changed: boolean): void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [changed, setChanged] = useState(false);

  const deploy = async (file: File) => {
    setBusy(true);
    setOutcome(null);
    const xml = await file.text();
    try {
      const result = await api.post<{ definitions: DeployedDefinition[] }>('/api/definitions', { xml });
      setOutcome({ file: file.name, xml, deployed: result.definitions });
      if (result.definitions.some((d) => d.created)) setChanged(true);
    } catch (err) {
      if (err instanceof ApiError && Array.isArray(err.details.problems)) setOutcome({ file: file.name, xml, problems: err.details.problems as LintProblem[], error: errorText(err, t) });
      else setOutcome({ file: file.name, xml, error: errorText(err, t) });
    } finally {
      setBusy(false);
    }
  };

  const warnings = (outcome?.deployed ?? []).flatMap((d) => d.warnings);

  return (
    <Modal open width={920} title={t('admin.def.deployTitle')} onCancel={() => onClose(changed)} footer={<Button onClick={() => onClose(changed)}>{t('common.close')}</Button>} destroyOnHidden mask={{ closable: false }}>
      <Upload.Dragger
        accept=".bpmn,.xml,application/xml,text/xml"
        multiple={false}
        showUploadList={false}
        disabled={busy}
        beforeUpload={(file) => {
          void deploy(file);
          return false;
        }}
        style={{ marginBottom: 16 }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{busy ? t('admin.def.deploying') : t('admin.def.drop')}</p>
        <p className="ant-upload-hint">{t('admin.def.dropHint')}</p>
      </Upload.Dragger>
      {outcome?.deployed && (
        <>
          <Result
            status={outcome.deployed.some((d) => d.created) ? 'success' : 'info'}
            title={outcome.deployed.some((d) => d.created) ? t('admin.def.deployed', { file: outcome.file }) : t('admin.def.unchanged')}
            style={{ padding: '8px 0' }}
          />
          <Table<DeployedDefinition>
            size="small"
            rowKey="id"
            dataSource={outcome.deployed}
            pagination={false}
            columns={[
              { title: t('admin.def.name'), key: 'name', render: (_, d) => t('admin.nameAndId', { name: d.name ?? d.key, id: d.key }) },
              { title: t('admin.def.version'), dataIndex: 'version', width: 90, render: (v: number) => <Tag color="blue">v{v}</Tag> },
              { title: t('admin.def.outcome'), dataIndex: 'created', width: 140, render: (c: boolean) => (c ? <Tag color="green">{t('admin.def.created')}</Tag> : <Tag>{t('admin.def.same')}</Tag>) },
              { title: t('admin.def.warnings'), key: 'warnings', width: 100, render: (_, d) => (d.warnings.length ? <Tag color="orange">{d.warnings.length}</Tag> : '—') },
            ]}
          />
          {warnings.length > 0 && (
            <>
              <Alert type="warning" showIcon style={{ margin: '16px 0 8px' }} title={t('admin.def.warningsTitle', { count: warnings.length })} />
              <ProblemTable problems={warnings} xml={outcome.xml} />
            </>
          )}
        </>
      )}
      {outcome?.error && (
        <>
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 8 }}
            title={outcome.problems ? t('admin.def.refused', { file: outcome.file, count: outcome.problems.length }) : t('admin.def.failed', { file: outcome.file })}
            description={outcome.problems ? t('admin.def.refusedHint') : outcome.error}
          />
          {outcome.problems && <ProblemTable problems={outcome.problems} xml={outcome.xml} />}
        </>
      )}
      {!outcome && !busy && (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          <Tooltip title={t('admin.def.versionHintMore')}>{t('admin.def.versionHint')}</Tooltip>
        </Typography.Paragraph>
      )}
    </Modal>
  );
}

