/**
 * 表单: every form with its versions; a version opens to its fields (label in
 * the user's language, type, required, dictionary) and the definition as
 * deployed. A form definition (JSON) is deployed from a file; an unchanged
 * one keeps its version.
 */
import { CloudUploadOutlined, EyeOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Drawer, Input, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { emptyText, ErrorAlert, JsonBlock, PageHeader, RefreshButton, ShortId, useFail, useLoad, UserName } from './shared.tsx';
import type { Definition, DefinitionVersion, FormDetail, FormSummary } from './types.ts';

interface FieldSchema {
  type?: string | string[];
  format?: string;
  title?: string;
  'x-title-en'?: string;
  'x-dictionary'?: string;
  'x-file'?: unknown;
  'x-computed'?: unknown;
  items?: FieldSchema;
}

interface FieldRow {
  name: string;
  label: string;
  type: string;
  required: boolean;
  dictionary: string | null;
  extra: string[];
}

function fieldsOf(definition: unknown, locale: string): FieldRow[] {
  const schema = (definition as { schema?: { properties?: Record<string, FieldSchema>; required?: string[] } } | null)?.schema;
  const required = new Set(schema?.required ?? []);
  return Object.entries(schema?.properties ?? {}).map(([name, f]) => ({
    name,
    label: (locale === 'en' ? f['x-title-en'] : undefined) ?? f.title ?? name,
    type: [Array.isArray(f.type) ? f.type.join('|') : (f.type ?? 'any'), f.format].filter(Boolean).join(' · '),
    required: required.has(name),
    dictionary: f['x-dictionary'] ?? null,
    extra: [...(f['x-file'] ? ['file'] : []), ...(f['x-computed'] ? ['computed'] : [])],
  }));
}

/** The forms a BPMN file refers to (camunda:formRef, or a plain camunda:formKey). */
function formRefs(xml: string): string[] {
  if (!xml) return [];
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const keys = new Set<string>();
  for (const el of doc.getElementsByTagName('*')) {
    for (const a of el.attributes) if ((a.localName === 'formRef' || a.localName === 'formKey') && a.value.trim()) keys.add(a.value.trim());
  }
  return [...keys];
}

interface Use {
  key: string;
  name: string;
  running: number;
}

/** Which processes (their latest versions) use each form, with their running cases. */
function useFormUsage() {
  return useLoad(async () => {
    const latest = await api.get<Page<Definition>>('/api/definitions', { latest: true, limit: 200 });
    const processes = await Promise.all(
      latest.items.map(async (d) => {
        const key = encodeURIComponent(d.key);
        const [xml, versions] = await Promise.all([api.get<string>(`/api/definitions/${key}/xml`).catch(() => ''), api.get<{ versions: DefinitionVersion[] }>(`/api/definitions/${key}/versions`).then((r) => r.versions, () => [])]);
        return { key: d.key, name: d.name ?? d.key, running: versions.reduce((n, v) => n + (v.instances.running ?? 0), 0), forms: formRefs(typeof xml === 'string' ? xml : '') };
      }),
    );
    const usage = new Map<string, Use[]>();
    for (const p of processes) for (const f of p.forms) usage.set(f, [...(usage.get(f) ?? []), { key: p.key, name: p.name, running: p.running }]);
    return usage;
  }, []);
}

export function FormsPage() {
  const { t, text, dateTime } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const fail = useFail();
  const [search, setSearch] = useState('');
  const [viewing, setViewing] = useState<{ key: string; version: number } | null>(null);
  const [versions, setVersions] = useState<Record<string, FormSummary[]>>({});
  const forms = useLoad(() => api.get<Page<FormSummary>>('/api/forms', { latest: true, limit: 200 }).then((p) => p.items), []);
  const usage = useFormUsage();
  const casesLink = can('instance:manage');
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (forms.data ?? []).filter((f) => !q || f.key.toLowerCase().includes(q) || Object.values(f.title).some((s) => s?.toLowerCase().includes(q)));
  }, [forms.data, search]);

  const loadVersions = (key: string) =>
    api.get<Page<FormSummary>>('/api/forms', { key, limit: 200 }).then(
      (p) => setVersions((v) => ({ ...v, [key]: [...p.items].sort((a, b) => b.version - a.version) })),
      fail,
    );

  const deploy = async (file: File) => {
    let definition: unknown;
    try {
      definition = JSON.parse(await file.text());
    } catch (err) {
      void message.error(t('admin.form.notJson', { file: file.name, detail: (err as Error).message }));
      return;
    }
    try {
      const result = await api.post<FormSummary & { created: boolean }>('/api/forms', definition);
      void message.success(result.created ? t('admin.form.deployed', { key: result.key, version: result.version }) : t('admin.form.unchanged', { key: result.key, version: result.version }));
      forms.reload();
      if (versions[result.key]) void loadVersions(result.key);
    } catch (err) {
      fail(err);
    }
  };

  return (
    <>
      <PageHeader
        title={t('admin.form.title')}
        description={t('admin.form.description')}
        extra={
          <>
            <RefreshButton onClick={() => (forms.reload(), usage.reload())} loading={forms.loading} />
            {can('form:deploy') && (
              <Upload
                accept=".json,application/json"
                showUploadList={false}
                beforeUpload={(file) => {
                  void deploy(file);
                  return false;
                }}
              >
                <Button type="primary" icon={<CloudUploadOutlined />}>
                  {t('admin.form.deploy')}
                </Button>
              </Upload>
            )}
          </>
        }
      />
      <ErrorAlert error={forms.error} onRetry={forms.reload} />
      <Card size="small">
        <Input.Search allowClear placeholder={t('admin.form.search')} aria-label={t('admin.form.search')} value={search} onChange={(e) => setSearch(e.target.value)} style={{ width: 280, marginBottom: 12 }} />
        <Table<FormSummary>
          rowKey="key"
          loading={forms.loading}
          dataSource={shown}
          pagination={shown.length > 20 ? { pageSize: 20, showTotal: (total) => t('common.total', { total }) } : false}
          locale={{ emptyText: emptyText(t, !!search.trim(), t('admin.form.empty')) }}
          expandable={{
            onExpand: (expanded, f) => {
              if (expanded) void loadVersions(f.key);
            },
            expandedRowRender: (f) => (
              <Table<FormSummary>
                size="small"
                rowKey="version"
                loading={!versions[f.key]}
                dataSource={versions[f.key] ?? []}
                pagination={false}
                columns={[
                  { title: t('admin.def.version'), dataIndex: 'version', width: 90, render: (v: number) => <Tag color={v === f.version ? 'blue' : undefined}>v{v}</Tag> },
                  { title: t('admin.form.formTitle'), key: 'title', render: (_, v) => text(v.title) },
                  { title: t('admin.def.deployedAt'), dataIndex: 'deployedAt', width: 170, render: (v: string) => dateTime(v) },
                  { title: t('admin.def.deployedBy'), dataIndex: 'deployedBy', width: 120, render: (v: string | null) => <UserName id={v} /> },
                  { title: t('admin.def.hash'), dataIndex: 'hash', width: 130, render: (v: string) => <ShortId value={v} /> },
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 100,
                    render: (_, v) => (
                      <Button type="link" size="small" icon={<EyeOutlined />} onClick={() => setViewing({ key: v.key, version: v.version })}>
                        {t('common.view')}
                      </Button>
                    ),
                  },
                ]}
              />
            ),
          }}
          columns={[
            {
              title: t('admin.form.formTitle'),
              key: 'title',
              render: (_, f) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Text strong>{text(f.title)}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {f.key}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t('admin.def.latest'), dataIndex: 'version', width: 110, render: (v: number) => <Tag color="blue">v{v}</Tag> },
            {
              title: t('admin.form.usedBy'),
              key: 'usedBy',
              render: (_, f) => {
                const uses = usage.data?.get(f.key) ?? [];
                if (!usage.data) return '—';
                if (!uses.length) return <Typography.Text type="secondary">{t('admin.form.unused')}</Typography.Text>;
                return (
                  <Space size={[0, 4]} wrap>
                    {uses.map((u) => {
                      const tag = (
                        <Tag key={u.key} color={u.running ? 'processing' : undefined}>
                          {t('admin.form.use', { name: u.name, running: u.running })}
                        </Tag>
                      );
                      return casesLink && u.running ? (
                        <Link key={u.key} to={`/admin/cases?processKey=${encodeURIComponent(u.key)}&state=running`}>
                          {tag}
                        </Link>
                      ) : (
                        tag
                      );
                    })}
                  </Space>
                );
              },
            },
            {
              title: t('admin.def.deployedAt'),
              key: 'deployed',
              width: 200,
              render: (_, f) => (
                <Space orientation="vertical" size={0}>
                  <span>{dateTime(f.deployedAt)}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    <UserName id={f.deployedBy} />
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 100,
              render: (_, f) => (
                <Button type="link" size="small" icon={<EyeOutlined />} onClick={() => setViewing({ key: f.key, version: f.version })}>
                  {t('common.view')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {viewing && <FormViewer formKey={viewing.key} version={viewing.version} onClose={() => setViewing(null)} />}
    </>
  );
}

function FormViewer({ formKey, version, onClose }: { formKey: string; version: number; onClose(): void }) {
  const { t, text, locale, dateTime } = useI18n();
  const form = useLoad(() => api.get<FormDetail>(`/api/forms/${encodeURIComponent(formKey)}/versions/${version}`), [formKey, version]);
  const fields = useMemo(() => fieldsOf(form.data?.definition, locale), [form.data, locale]);
  return (
    <Drawer open size={820} title={form.data ? `${text(form.data.title)} · v${version}` : formKey} onClose={onClose} destroyOnHidden loading={form.loading}>
      <ErrorAlert error={form.error} onRetry={form.reload} />
      {form.data && (
        <>
          <Descriptions
            size="small"
            column={2}
            style={{ marginBottom: 16 }}
            items={[
              { key: 'key', label: t('admin.form.key'), children: form.data.key },
              { key: 'version', label: t('admin.def.version'), children: `v${form.data.version}` },
              { key: 'at', label: t('admin.def.deployedAt'), children: dateTime(form.data.deployedAt) },
              { key: 'by', label: t('admin.def.deployedBy'), children: <UserName id={form.data.deployedBy} /> },
            ]}
          />
          <Tabs
            items={[
              {
                key: 'fields',
                label: t('admin.form.fields', { count: fields.length }),
                children: (
                  <Table<FieldRow>
                    size="small"
                    rowKey="name"
                    dataSource={fields}
                    pagination={false}
                    columns={[
                      { title: t('admin.form.field'), dataIndex: 'name', width: 160, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
                      { title: t('admin.form.label'), dataIndex: 'label' },
                      { title: t('admin.form.type'), dataIndex: 'type', width: 150 },
                      { title: t('admin.import.required'), dataIndex: 'required', width: 70, render: (v: boolean) => (v ? <Tag color="red">{t('common.yes')}</Tag> : null) },
                      {
                        title: t('admin.form.more'),
                        key: 'more',
                        width: 170,
                        render: (_, f) => (
                          <Space size={[0, 4]} wrap>
                            {f.dictionary && <Tag color="cyan">{t('admin.form.dictionary', { key: f.dictionary })}</Tag>}
                            {f.extra.map((x) => (
                              <Tag key={x}>{x === 'file' ? t('admin.form.file') : t('admin.form.computed')}</Tag>
                            ))}
                          </Space>
                        ),
                      },
                    ]}
                  />
                ),
              },
              { key: 'json', label: t('admin.form.definition'), children: <JsonBlock value={form.data.definition} maxHeight={560} /> },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}
