/**
 * What a service's saved rows compile to now: the process in the diagram
 * viewer, each form (application, review, approval) rendered as the workbench
 * renders it but read-only, and what each node became — its state, SMS,
 * operations and who acts. Rows the compiler cannot use are listed instead.
 */
import { Alert, Card, Empty, Segmented, Space, Spin, Table, Tag, Typography } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { api, ApiError } from '../../api/client.ts';
import { SchemaForm, type FormView } from '../../forms/SchemaForm.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorAlert, useLoad } from '../shared.tsx';
import { ProblemTable } from './problems.tsx';
import type { CatalogProblem, CompiledService, NodeBinding, ServiceStatus, TableSpec } from './types.ts';

const DiagramViewer = lazy(() => import('../../diagram/DiagramViewer.tsx'));
const NONE: string[] = [];
const NO_ISSUES: never[] = [];
const nothing = () => undefined;

/** The compiled forms' kinds, by the end of their key. */
const KINDS: Array<[string, MessageKey]> = [
  ['-apply', 'admin.catalog.preview.apply'],
  ['-review', 'admin.catalog.preview.review'],
  ['-approve', 'admin.catalog.preview.approve'],
];

const NODE_TYPES: Record<string, string> = { normal: 'default', approval: 'purple', decision: 'gold' };

export function Preview({ service, revision, stale, status, specs }: { service: string; revision: number; stale: boolean; status: ServiceStatus | undefined; specs: Record<string, TableSpec> }) {
  const { t, text } = useI18n();
  const compiled = useLoad(() => api.get<CompiledService>(`/api/catalog/services/${encodeURIComponent(service)}/compiled`), [service, revision]);
  const [picked, setPicked] = useState<string | null>(null);
  const forms = compiled.data?.forms ?? [];
  const form = forms.find((f) => f.key === picked) ?? forms[0];
  const problems = compiled.error instanceof ApiError && Array.isArray(compiled.error.details.problems) ? (compiled.error.details.problems as CatalogProblem[]) : null;
  const nodeType = specs.nodes?.columns.find((c) => c.name === 'type');

  const view = useMemo<FormView | null>(() => {
    if (!form) return null;
    const version = status?.publication?.forms.find((f) => f.key === form.key)?.version ?? 0;
    // Every section at once, not a wizard's one step at a time: the whole form is what is previewed.
    return { key: form.key, version, title: form.title, schema: form.schema, ui: { ...form.ui, wizard: false } } as FormView;
  }, [form, status]);

  const kindOf = (key: string, title: string) => {
    const kind = KINDS.find(([end]) => key.endsWith(end));
    return kind ? t(kind[1]) : title;
  };

  if (compiled.loading && !compiled.data) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  if (problems)
    return (
      <>
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('admin.catalog.preview.cannot', { count: problems.length })} description={t('admin.catalog.preview.cannotHint')} />
        <ProblemTable problems={problems} specs={specs} />
      </>
    );
  if (compiled.error) return <ErrorAlert error={compiled.error} onRetry={compiled.reload} />;
  const data = compiled.data;
  if (!data) return null;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {stale && <Alert type="info" showIcon title={t('admin.catalog.preview.stale')} />}
      <Card size="small" title={t('admin.catalog.preview.diagram', { key: data.processKey })}>
        <Suspense fallback={<Spin style={{ display: 'block', margin: '48px auto' }} />}>
          <DiagramViewer xml={data.bpmn} completed={NONE} current={NONE} legend={false} label={t('admin.catalog.preview.diagramLabel', { key: data.processKey })} />
        </Suspense>
      </Card>
      <Card
        size="small"
        title={t('admin.catalog.preview.forms')}
        extra={
          forms.length > 1 && (
            <Segmented
              size="small"
              aria-label={t('admin.catalog.preview.pickForm')}
              value={form?.key}
              onChange={(v) => setPicked(String(v))}
              options={forms.map((f) => ({ value: f.key, label: kindOf(f.key, text(f.title)) }))}
            />
          )
        }
      >
        {view ? (
          <>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
              {t('admin.catalog.preview.formHint', { title: text(view.title), key: view.key })}
            </Typography.Paragraph>
            <div style={{ maxWidth: 760 }}>
              <SchemaForm form={view} value={{}} onChange={nothing} issues={NO_ISSUES} disabled />
            </div>
          </>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.catalog.preview.noForms')} />
        )}
      </Card>
      <Card size="small" title={t('admin.catalog.preview.bindings')}>
        {/* Scrolls sideways on a phone: focusable, so that a keyboard can scroll it too. */}
        <div className="wf-scroll-region" tabIndex={0} role="region" aria-label={t('admin.catalog.preview.bindings')}>
          <Table<NodeBinding>
            style={{ minWidth: 760 }}
            size="small"
            rowKey="seq"
            dataSource={data.bindings}
            pagination={false}
            columns={[
              { title: t('admin.catalog.preview.seq'), dataIndex: 'seq', width: 70 },
              {
                title: t('admin.catalog.preview.node'),
                key: 'node',
                render: (_, b) => (
                  <Space orientation="vertical" size={2}>
                    <Space size={4} wrap>
                      <Typography.Text strong>{b.name}</Typography.Text>
                      <Tag color={NODE_TYPES[b.type]}>{text(nodeType?.values?.find((v) => v.value === b.type)?.label) || b.type}</Tag>
                    </Space>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {b.elements.join(' → ')}
                    </Typography.Text>
                  </Space>
                ),
              },
              { title: t('admin.catalog.preview.state'), key: 'state', width: 120, render: (_, b) => (b.state ? b.state.name : '—') },
              { title: t('admin.catalog.preview.sms'), key: 'sms', render: (_, b) => (b.sms ? b.sms.text : '—') },
              {
                title: t('admin.catalog.preview.operations'),
                key: 'operations',
                render: (_, b) =>
                  b.operations.length ? (
                    <Space size={[0, 4]} wrap>
                      {b.operations.map((o) => (
                        <Tag key={o.code} color={o.category === 'citizen' ? 'cyan' : o.category === 'system' ? 'purple' : 'blue'}>
                          {o.name}
                        </Tag>
                      ))}
                    </Space>
                  ) : (
                    '—'
                  ),
              },
              { title: t('admin.catalog.preview.assignees'), key: 'assignees', width: 200, render: (_, b) => <Assignees rule={b.assignees} /> },
            ]}
          />
        </div>
      </Card>
    </Space>
  );
}

/** Who acts at a node, in words where the rule is a known one, the rule itself underneath. */
function Assignees({ rule }: { rule: string | null }) {
  const { t } = useI18n();
  if (!rule) return <Typography.Text type="secondary">{t('admin.catalog.preview.system')}</Typography.Text>;
  const post = /^post:([^@]+)(?:@(.+))?$/.exec(rule);
  const words =
    rule === '${applicant}'
      ? t('admin.catalog.preview.applicant')
      : post
        ? post[2]
          ? t('admin.catalog.preview.postAt', { post: post[1]!, office: post[2] })
          : t('admin.catalog.preview.post', { post: post[1]! })
        : null;
  return (
    <Space orientation="vertical" size={0}>
      {words && <span>{words}</span>}
      <Typography.Text code style={{ fontSize: 12 }}>
        {rule}
      </Typography.Text>
    </Space>
  );
}
