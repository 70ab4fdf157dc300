/**
 * The BPMN view: bpmn-js's modeler in the page's language with the
 * properties panel (the panel's groups, Camunda's, and ours for the wf:
 * extension), the server's linter run on every change (markers on the
 * elements and a list below), deploy refused while there are errors and
 * confirmed past warnings, and a .bpmn file from Camunda Modeler opened or the
 * drawing saved as one.
 */
import { ApartmentOutlined, CloudUploadOutlined, DownloadOutlined, ExperimentOutlined, FolderOpenOutlined, HistoryOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Empty, Input, List, Space, Tag, Tooltip, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, type Page } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { useI18n, type LocalizedText, type MessageKey } from '../i18n/index.tsx';
import { errorText, PageHeader } from '../admin/shared.tsx';
import { ruleProblem } from './rules.ts';
import { blankDiagram, createModeler, type Modeler, type ModelerElement } from './modeler/modeler.ts';
import type { SlaTableView, WfCatalog } from './modeler/wf-properties.ts';

/** GET /api/designer/vocabulary. */
interface Vocabulary {
  extensions: { wf: object };
  calendars: string[];
  slas: string[];
  handlers: string[];
  operations: Array<{ handler: string; title: LocalizedText; input: Record<string, unknown> }>;
  slaTables: Array<Omit<SlaTableView, 'name'> & { name: LocalizedText }>;
}
import './designer.css';

export interface LintProblem {
  rule: string;
  elementId?: string;
  line?: number;
  message: string;
}
interface Lint {
  errors: LintProblem[];
  warnings: LintProblem[];
}

const LINT_DELAY_MS = 600;
// Opened on demand: the modeler shows without the organisation pickers and the results' tables.
const AssigneeRuleModal = lazy(() => import('./AssigneeRuleModal.tsx').then((m) => ({ default: m.AssigneeRuleModal })));
const ScenarioPanel = lazy(() => import('./ScenarioPanel.tsx').then((m) => ({ default: m.ScenarioPanel })));
const VersionsDrawer = lazy(() => import('./VersionsDrawer.tsx').then((m) => ({ default: m.VersionsDrawer })));

export default function BpmnPage() {
  const { key = 'new' } = useParams();
  const { t, text, locale } = useI18n();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const canvasHost = useRef<HTMLDivElement>(null);
  const panelHost = useRef<HTMLDivElement>(null);
  const modeler = useRef<Modeler | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [lint, setLint] = useState<Lint | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [picking, setPicking] = useState<{ element: ModelerElement; attr: string } | null>(null);
  const [deploying, setDeploying] = useState(false);
  const [simulating, setSimulating] = useState(false);
  const [versions, setVersions] = useState(false);
  const [title, setTitle] = useState<string>('');
  /** The catalog service a compiled flow comes from: its rows own it. */
  const [fromCatalog, setFromCatalog] = useState<string | null>(null);
  const deploys = can('definition:deploy');
  const given = (location.state as { xml?: string } | null)?.xml;

  /** The drawing as it is now and what the linter finds in it (shown on the diagram and below); null when it cannot be read. */
  const runLint = useCallback(async (): Promise<{ xml: string; found: Lint } | null> => {
    const m = modeler.current;
    if (!m || !deploys) return null;
    const xml = await m.xml();
    try {
      const found = await api.post<Lint>('/api/definitions/lint', { xml });
      if (modeler.current !== m) return null;
      setLint(found);
      m.mark(found.errors, found.warnings);
      return { xml, found };
    } catch (err) {
      setLint({ errors: [{ rule: 'malformed', message: errorText(err, t) }], warnings: [] });
      return null;
    }
  }, [deploys, t]);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    void (async () => {
      try {
        const [xml, vocabulary, forms] = await Promise.all([
          given ? Promise.resolve(given) : key === 'new' ? Promise.resolve(blankDiagram(t('designer.bpmn.newName'))) : api.get<string>(`/api/definitions/${encodeURIComponent(key)}/xml`),
          api.get<Vocabulary>('/api/designer/vocabulary'),
          api.get<Page<{ key: string; title: Record<string, string> | string }>>('/api/forms', { latest: true, limit: 200 }).catch(() => ({ items: [] })),
        ]);
        if (cancelled || !canvasHost.current || !panelHost.current) return;
        const catalog: WfCatalog = {
          t: (k, values) => t(k, values),
          forms: forms.items.map((f) => ({ key: f.key, title: typeof f.title === 'string' ? f.title : (f.title[locale] ?? f.title['zh-CN'] ?? f.key) })),
          calendars: vocabulary.calendars,
          slas: vocabulary.slas,
          handlers: vocabulary.handlers,
          operations: vocabulary.operations.map((o) => ({ handler: o.handler, title: text(o.title), input: o.input })),
          slaTables: vocabulary.slaTables.map((s) => ({ ...s, name: text(s.name) })),
          fields: (formKey) => fieldsOf(formKey, locale),
          ruleProblem: (text) => ruleProblem(text, t),
        };
        const m = await createModeler({ canvas: canvasHost.current, panel: panelHost.current, locale, catalog, wf: vocabulary.extensions.wf });
        if (cancelled) return m.destroy();
        modeler.current = m;
        m.on('wf.pick', (e) => setPicking(e as { element: ModelerElement; attr: string }));
        m.on('commandStack.changed', () => {
          clearTimeout(timer);
          timer = setTimeout(() => void runLint(), LINT_DELAY_MS);
          setTitle(m.processName());
        });
        await m.open(xml);
        setFromCatalog(/Compiled from the service catalog \(业务 ([^)]+)\)/.exec(xml)?.[1] ?? null); // not shown: the compiler's comment in the file
        setTitle(m.processName());
        void runLint();
      } catch (err) {
        if (!cancelled) setFailed(errorText(err, t));
      }
    })();
    return () => {
      cancelled = true;
      clearTimeout(timer);
      modeler.current?.destroy();
      modeler.current = null;
    };
    // The modeler is made once per opened flow and language; `t` changes with the language.
  }, [key, locale, given]);

  const openFile = async (file: File) => {
    try {
      await modeler.current?.open(await file.text());
      setTitle(modeler.current?.processName() ?? '');
      void runLint();
    } catch (err) {
      void message.error(t('designer.bpmn.openFailed', { reason: errorText(err, t) }));
    }
  };

  const download = async () => {
    const m = modeler.current;
    if (!m) return;
    const url = URL.createObjectURL(new Blob([await m.xml()], { type: 'application/xml' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `${m.processKey() ?? 'process'}.bpmn` });
    a.click();
    URL.revokeObjectURL(url);
  };

  const deploy = async () => {
    const m = modeler.current;
    if (!m) return;
    const checked = await runLint();
    if (!checked) return;
    const { xml, found } = checked;
    if (found.errors.length) return void message.error(t('designer.deploy.refused', { count: found.errors.length }));
    const go = async (scenarioOverride?: string) => {
      setDeploying(true);
      try {
        const result = await api.post<{ definitions: Array<{ key: string; version: number; created: boolean }> }>('/api/definitions', { xml, ...(scenarioOverride && { scenarioOverride }) });
        const d = result.definitions[0];
        void message.success(d?.created ? t('designer.deploy.done', { key: d.key, version: d.version }) : t('designer.deploy.unchanged'));
        if (d && key !== d.key) navigate(`/designer/bpmn/${encodeURIComponent(d.key)}`, { replace: true });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'WF_ERR_SCENARIOS_FAILED') overrideScenarios(err.message, go);
        else void message.error(errorText(err, t));
      } finally {
        setDeploying(false);
      }
    };
    if (!found.warnings.length) return go();
    modal.confirm({
      title: t('designer.deploy.warningsTitle', { count: found.warnings.length }),
      content: (
        <ul className="wf-designer-warnings">
          {found.warnings.map((w, i) => (
            <li key={i}>{w.elementId ? t('designer.labelled', { label: m.nameOf(w.elementId), text: w.message }) : w.message}</li>
          ))}
        </ul>
      ),
      okText: t('designer.deploy.anyway'),
      cancelText: t('common.cancel'),
      onOk: () => go(),
    });
  };

  /** A saved scenario failed: deploying anyway takes a reason (kept in the audit trail). */
  const overrideScenarios = (why: string, go: (reason: string) => Promise<void>) => {
    let reason = '';
    modal.confirm({
      title: t('designer.deploy.scenariosFailed'),
      width: 560,
      content: (
        <>
          <Typography.Paragraph>{why}</Typography.Paragraph>
          <Input.TextArea aria-label={t('designer.deploy.overrideReason')} placeholder={t('designer.deploy.overrideReason')} onChange={(e) => (reason = e.target.value)} />
        </>
      ),
      okText: t('designer.deploy.override'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => (reason.trim() ? go(reason.trim()) : Promise.reject(new Error(t('designer.deploy.overrideReason')))),
    });
  };

  const errors = lint?.errors.length ?? 0;
  const problems = [...(lint?.errors.map((p) => ({ ...p, level: 'error' as const })) ?? []), ...(lint?.warnings.map((p) => ({ ...p, level: 'warning' as const })) ?? [])];

  return (
    <div className="wf-designer">
      <PageHeader
        title={title || t('designer.bpmn.title')}
        description={t('designer.bpmn.description')}
        extra={
          <Space wrap>
            <Button icon={<ApartmentOutlined />} onClick={async () => navigate(`/designer/tree/${encodeURIComponent(key)}`, { state: { xml: await modeler.current?.xml() } })}>
              {t('designer.view.tree')}
            </Button>
            <Button icon={<HistoryOutlined />} disabled={key === 'new'} onClick={() => setVersions(true)}>
              {t('designer.versions.title')}
            </Button>
            <Button icon={<ExperimentOutlined />} disabled={!deploys} onClick={() => setSimulating(true)}>
              {t('designer.sim.title')}
            </Button>
            <Button icon={<FolderOpenOutlined />} onClick={() => fileInput.current?.click()}>
              {t('designer.bpmn.openFile')}
            </Button>
            <input
              ref={fileInput}
              type="file"
              accept=".bpmn,.xml"
              hidden
              aria-label={t('designer.bpmn.openFile')}
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void openFile(file);
              }}
            />
            <Button icon={<DownloadOutlined />} onClick={() => void download()}>
              {t('designer.bpmn.download')}
            </Button>
            {deploys && (
              <Tooltip title={errors ? t('designer.deploy.fixFirst', { count: errors }) : undefined}>
                <Button type="primary" icon={<CloudUploadOutlined />} disabled={errors > 0} loading={deploying} onClick={() => void deploy()}>
                  {t('designer.deploy.button')}
                </Button>
              </Tooltip>
            )}
          </Space>
        }
      />
      {failed ? <Typography.Text type="danger">{failed}</Typography.Text> : null}
      {fromCatalog && (
        <Alert
          type="warning"
          showIcon
          className="wf-designer-alert"
          message={t('designer.bpmn.fromCatalog')}
          description={t('designer.bpmn.fromCatalogHint')}
          action={<Link to={`/admin/catalog/services/${encodeURIComponent(fromCatalog)}`}>{t('designer.bpmn.openRows')}</Link>}
        />
      )}
      <div className="wf-designer-body">
        <div className="wf-designer-canvas" ref={canvasHost} role="application" aria-label={t('designer.bpmn.canvas')} />
        <aside className="wf-designer-panel" ref={panelHost} aria-label={t('designer.bpmn.properties')} />
      </div>
      <section className="wf-designer-problems" aria-label={t('designer.lint.title')}>
        <Typography.Title level={5}>
          {t('designer.lint.title')} <Badge count={errors} showZero color={errors ? 'red' : 'green'} /> <Badge count={lint?.warnings.length ?? 0} color="orange" />
        </Typography.Title>
        {problems.length ? (
          <List
            size="small"
            dataSource={problems}
            renderItem={(p) => (
              <List.Item>
                <button type="button" className="wf-problem" onClick={() => p.elementId && modeler.current?.select(p.elementId)}>
                  <Tag color={p.level === 'error' ? 'red' : 'orange'}>{t(`designer.lint.${p.level}` as MessageKey)}</Tag>
                  {p.elementId ? <strong>{modeler.current?.nameOf(p.elementId) ?? p.elementId}</strong> : null}
                  {p.line ? <span className="wf-problem-line">{t('designer.lint.line', { line: p.line })}</span> : null}
                  <span>{p.message}</span>
                </button>
              </List.Item>
            )}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={lint ? t('designer.lint.clean') : t('common.loading')} />
        )}
      </section>
      <Suspense fallback={null}>
        {simulating && modeler.current && <ScenarioPanel modeler={modeler.current} onClose={() => setSimulating(false)} />}
        {versions && <VersionsDrawer processKey={key} onClose={() => setVersions(false)} />}
        {picking && (
          <AssigneeRuleModal
            value={String(picking.element.businessObject.get(picking.attr) ?? '')}
            onCancel={() => setPicking(null)}
            onOk={(rule) => {
              modeler.current?.update(picking.element, { [picking.attr]: rule || undefined });
              setPicking(null);
            }}
          />
        )}
      </Suspense>
    </div>
  );
}

const formFields = new Map<string, Promise<Array<{ name: string; title: string; type: string | null }>>>();
interface FieldSchema {
  title?: string;
  'x-title-en'?: string;
  type?: string | string[];
}

/** A form's fields, titled in the page's language, with their JSON type (for the input mapping's checks). */
function fieldsOf(formKey: string, locale: 'zh-CN' | 'en') {
  const key = `${formKey}|${locale}`;
  if (!formFields.has(key))
    formFields.set(
      key,
      api.get<{ definition: { schema: { properties?: Record<string, FieldSchema> } } }>(`/api/forms/${encodeURIComponent(formKey)}`).then(
        (f) =>
          Object.entries(f.definition.schema.properties ?? {}).map(([name, p]) => ({
            name,
            title: (locale === 'en' ? p['x-title-en'] : undefined) ?? p.title ?? name,
            type: (Array.isArray(p.type) ? p.type.find((x) => x !== 'null') : p.type) ?? null,
          })),
        () => [],
      ),
    );
  return formFields.get(key)!;
}
