/**
 * 表单设计: a form drawn from the palette into sections (or wizard steps),
 * each field set in the panel on the right; a live preview rendered and
 * validated by the very renderer and library the workbench and the portal
 * use; the JSON Schema + UI schema the server stores, and the TypeScript type
 * of its data. The forms library lints it as it is edited (problems mark the
 * fields); deploy makes a new version (the same content keeps its version).
 * An existing form — any version, or a JSON file — opens and edits without loss.
 */
import { CloudUploadOutlined, DownloadOutlined, FolderOpenOutlined, PlusOutlined, RedoOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Drawer, Empty, Form, Grid, Input, Select, Space, Switch, Tabs, Typography, Upload } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { FormCompiler, type FormDefinition, type FormProblem, type Widget } from '../../../../forms/index.ts';
import { formType } from '../../../../forms/typescript.ts';
import { api, type Page } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { translate, useI18n, type MessageKey } from '../../i18n/index.tsx';
import { errorText, PageHeader } from '../../admin/shared.tsx';
import type { FormDetail, FormSummary } from '../../admin/types.ts';
import { FieldPanel, Bilingual, type DictionaryRef } from './FieldPanel.tsx';
import { FormCanvas, Palette, widgetName } from './FormCanvas.tsx';
import { FormPreview } from './FormPreview.tsx';
import { addField, addSection, blankForm, groupsOf, moveField, patchSection, removeField, removeSection, setWizard, shiftSection, otherRules, type Place, type StarterWords } from './form-edit.ts';
import '../designer.css';

/** Edits of one control within this long make one step of undo (typing a label is one edit). */
const COALESCE_MS = 1000;
const HISTORY = 100;

/** A catalog's text in both languages: a new field is labelled so, whichever language the page shows. */
const bothLanguages = (key: MessageKey, values?: Record<string, string | number>) => ({ 'zh-CN': translate('zh-CN', key, values), en: translate('en', key, values) });
const starterWords = (): StarterWords => ({
  option: (n) => bothLanguages('designer.form.starter.option', { n }),
  material: bothLanguages('designer.form.starter.material'),
  name: bothLanguages('designer.form.starter.name'),
  amount: bothLanguages('designer.form.starter.amount'),
  unit: translate('zh-CN', 'designer.form.starter.unit'),
});

interface History {
  past: FormDefinition[];
  present: FormDefinition;
  future: FormDefinition[];
  tag?: string;
  at: number;
}

/** The field a lint problem is about (`/schema/properties/x/…`, `/ui/fields/x/…`). */
function fieldOfProblem(pointer: string): string | null {
  const m = /^\/(?:schema\/properties|ui\/fields)\/([^/.]+)/.exec(pointer);
  return m?.[1]?.replace(/~1/g, '/').replace(/~0/g, '~') ?? null;
}

function isFormDefinition(value: unknown): value is FormDefinition {
  const v = value as FormDefinition | null;
  return !!v && typeof v === 'object' && typeof v.key === 'string' && !!v.title && typeof v.schema === 'object' && v.schema !== null;
}

export default function FormDesignerPage() {
  const { key = 'new' } = useParams();
  const { t, text, dateTime } = useI18n();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const [history, setHistory] = useState<History | null>(null);
  const [saved, setSaved] = useState<FormDefinition | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [section, setSection] = useState<string | null>(null);
  const [versions, setVersions] = useState<FormSummary[]>([]);
  const [dictionaries, setDictionaries] = useState<DictionaryRef[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [deploying, setDeploying] = useState(false);
  const [tab, setTab] = useState('design');
  const deploys = can('form:deploy');
  // Narrower than a laptop, the settings open in a drawer over the canvas.
  const wide = Grid.useBreakpoint().lg !== false;
  const def = history?.present ?? null;
  const words = useMemo(starterWords, []);

  const open = (form: FormDefinition) => {
    setHistory({ past: [], present: form, future: [], at: 0 });
    setSelected(null);
    setSection(null);
  };

  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const [list, forms] = await Promise.all([
          api.get<{ items: DictionaryRef[] }>('/api/dictionaries').then((r) => r.items),
          key === 'new' ? Promise.resolve({ items: [] }) : api.get<Page<FormSummary>>('/api/forms', { key, limit: 200 }),
        ]);
        if (!live) return;
        setDictionaries(list);
        setVersions(forms.items);
        if (key === 'new') return open(blankForm(`form-${Math.random().toString(36).slice(2, 7)}`, { 'zh-CN': t('designer.form.newTitle'), en: 'New form' }));
        const latest = await api.get<FormDetail>(`/api/forms/${encodeURIComponent(key)}`);
        if (!live) return;
        open(latest.definition as FormDefinition);
        setSaved(latest.definition as FormDefinition);
      } catch (err) {
        if (live) setFailed(errorText(err, t));
      }
    })();
    return () => {
      live = false;
    };
  }, [key]);

  const change = (next: FormDefinition, tag?: string) =>
    setHistory((h) => {
      if (!h) return h;
      const now = Date.now();
      const merge = tag !== undefined && tag === h.tag && now - h.at < COALESCE_MS;
      return { past: merge ? h.past : [...h.past, h.present].slice(-HISTORY), present: next, future: [], tag, at: now };
    });
  const undo = () => setHistory((h) => (h?.past.length ? { past: h.past.slice(0, -1), present: h.past[h.past.length - 1]!, future: [h.present, ...h.future], at: 0 } : h));
  const redo = () => setHistory((h) => (h?.future.length ? { past: [...h.past, h.present], present: h.future[0]!, future: h.future.slice(1), at: 0 } : h));

  useEffect(() => {
    const keys = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea, [contenteditable="true"]')) return; // the field's own undo
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        if (e.shiftKey) redo();
        else undo();
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        redo();
      }
    };
    window.addEventListener('keydown', keys);
    return () => window.removeEventListener('keydown', keys);
  }, []);

  // The forms library's lint, as the server will run it at deploy (dictionaries: the stored ones).
  const compiler = useMemo(() => {
    const known = new Set((dictionaries ?? []).map((d) => d.key));
    return new FormCompiler({ dictionaries: { exists: (k) => known.has(k), has: () => true } });
  }, [dictionaries]);
  const problems: FormProblem[] = useMemo(() => (def && dictionaries ? compiler.lint(def) : []), [def, compiler, dictionaries]);
  const faulty = useMemo(() => new Set(problems.map((p) => fieldOfProblem(p.pointer)).filter((f): f is string => f !== null)), [problems]);
  const typeText = useMemo(() => (def && !problems.length ? formType(def) : ''), [def, problems]);
  const dirty = !!def && JSON.stringify(def) !== JSON.stringify(saved);

  const place = (): Place => {
    const groups = def ? groupsOf(def) : [];
    const group = groups.find((g) => selected && g.fields.includes(selected)) ?? groups.find((g) => g.id === section) ?? groups[groups.length - 1];
    const at = group && selected ? group.fields.indexOf(selected) + 1 : (group?.fields.length ?? 0);
    return { section: group?.id ?? null, index: at < 0 ? (group?.fields.length ?? 0) : at };
  };
  const add = (widget: Widget, at: Place = place()) => {
    if (!def) return;
    const made = addField(def, widget, bothLanguages(widgetName(widget)), at, words);
    change(made.def);
    setSelected(made.key);
    setSection(null);
  };

  const deploy = async () => {
    if (!def) return;
    setDeploying(true);
    try {
      const result = await api.post<FormSummary & { created: boolean }>('/api/forms', def);
      message.success(result.created ? t('designer.form.deployed', { version: result.version }) : t('designer.form.unchanged', { version: result.version }));
      setSaved(def);
      setVersions((await api.get<Page<FormSummary>>('/api/forms', { key: def.key, limit: 200 })).items);
      if (key !== def.key) navigate(`/designer/forms/${encodeURIComponent(def.key)}`, { replace: true });
    } catch (err) {
      message.error(errorText(err, t));
    } finally {
      setDeploying(false);
    }
  };

  const openVersion = (version: number) => {
    const load = async () => {
      const detail = await api.get<FormDetail>(`/api/forms/${encodeURIComponent(key)}/versions/${version}`);
      open(detail.definition as FormDefinition);
      setSaved(detail.definition as FormDefinition);
    };
    if (!dirty) return void load().catch((err: unknown) => message.error(errorText(err, t)));
    modal.confirm({ title: t('designer.form.discard'), okText: t('designer.form.discardOk'), onOk: () => load().catch((err: unknown) => message.error(errorText(err, t))) });
  };

  const importFile = async (file: File) => {
    try {
      const parsed = JSON.parse(await file.text()) as unknown;
      if (!isFormDefinition(parsed)) throw new Error(t('designer.form.importShape'));
      open(parsed);
      message.success(t('designer.form.imported', { key: parsed.key }));
    } catch (err) {
      message.error(t('designer.form.importFailed', { reason: (err as Error).message }));
    }
    return false;
  };

  const download = () => {
    if (!def) return;
    const url = URL.createObjectURL(new Blob([`${JSON.stringify(def, null, 2)}\n`], { type: 'application/json' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `${def.key}.json` });
    a.click();
    URL.revokeObjectURL(url);
  };

  if (failed) return <Alert type="error" showIcon title={failed} />;
  if (!def || !dictionaries) return <Card loading />;

  const sectionDef = section ? def.ui?.sections?.find((s) => s.id === section) : undefined;
  const groups = groupsOf(def);
  const sectionIndex = groups.findIndex((g) => g.id === section);
  const unknownRules = otherRules(def);
  const isNew = key === 'new';
  const panel = (
    <>
      {selected && def.schema.properties?.[selected] ? (
        <FieldPanel key={selected} def={def} field={selected} dictionaries={dictionaries} words={words} onChange={change} onRenamed={setSelected} />
      ) : sectionDef ? (
        <Form layout="vertical" component="div">
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('designer.form.section')}
          </Typography.Title>
          <Bilingual
            label={t('designer.form.sectionTitle')}
            value={sectionDef.title}
            onChange={(v) => change(patchSection(def, sectionDef.id, { title: v ?? { 'zh-CN': '', en: '' } }), `section:${sectionDef.id}`)}
          />
          <Space wrap>
            <Button disabled={sectionIndex <= 0} onClick={() => change(shiftSection(def, sectionDef.id, -1))}>
              {t('designer.form.moveUp')}
            </Button>
            <Button disabled={sectionIndex >= (def.ui?.sections?.length ?? 0) - 1} onClick={() => change(shiftSection(def, sectionDef.id, 1))}>
              {t('designer.form.moveDown')}
            </Button>
            <Button
              danger
              onClick={() => {
                change(removeSection(def, sectionDef.id));
                setSection(null);
              }}
            >
              {t('designer.form.removeSection')}
            </Button>
          </Space>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            {t('designer.form.sectionHint')}
          </Typography.Paragraph>
        </Form>
      ) : (
        <Empty description={t('designer.form.pickField')} />
      )}
    </>
  );

  return (
    <>
      <PageHeader
        title={`${t('designer.form.title')} · ${text(def.title) || def.key}`}
        description={t('designer.form.description')}
        extra={
          <Space wrap>
            <Button icon={<UndoOutlined />} aria-label={t('designer.form.undo')} title={t('designer.form.undo')} disabled={!history?.past.length} onClick={undo} />
            <Button icon={<RedoOutlined />} aria-label={t('designer.form.redo')} title={t('designer.form.redo')} disabled={!history?.future.length} onClick={redo} />
            {versions.length > 0 && (
              <Select
                aria-label={t('designer.form.version')}
                style={{ width: 220 }}
                placeholder={t('designer.form.version')}
                value={undefined}
                onChange={openVersion}
                options={versions.map((v) => ({ value: v.version, label: t('designer.form.versionOf', { version: v.version, at: dateTime(v.deployedAt) }) }))}
              />
            )}
            <Upload accept=".json,application/json" showUploadList={false} beforeUpload={importFile}>
              <Button icon={<FolderOpenOutlined />}>{t('designer.form.import')}</Button>
            </Upload>
            <Button icon={<DownloadOutlined />} onClick={download}>
              {t('designer.form.download')}
            </Button>
            {deploys && (
              <Button
                type="primary"
                icon={<CloudUploadOutlined />}
                loading={deploying}
                disabled={problems.length > 0}
                title={problems.length ? t('designer.deploy.fixFirst', { count: problems.length }) : undefined}
                onClick={deploy}
              >
                {t('designer.deploy.button')}
              </Button>
            )}
          </Space>
        }
      />
      <Card size="small" className="wf-form-meta">
        <Form layout="inline" component="div">
          <Form.Item label={t('designer.form.formKey')}>
            <Input
              aria-label={t('designer.form.formKey')}
              value={def.key}
              disabled={!isNew}
              onChange={(e) => change({ ...def, key: e.target.value.trim() }, 'form:key')}
              className="wf-form-meta-key"
            />
          </Form.Item>
          <Form.Item label={t('designer.form.formTitle')}>
            <Space.Compact>
              <Input
                aria-label={`${t('designer.form.formTitle')} · ${t('designer.form.zh')}`}
                value={def.title['zh-CN']}
                onChange={(e) => change({ ...def, title: { ...def.title, 'zh-CN': e.target.value } }, 'form:zh')}
                className="wf-form-meta-title"
              />
              <Input
                aria-label={`${t('designer.form.formTitle')} · ${t('designer.form.en')}`}
                value={def.title.en}
                onChange={(e) => change({ ...def, title: { ...def.title, en: e.target.value } }, 'form:en')}
                className="wf-form-meta-title"
              />
            </Space.Compact>
          </Form.Item>
          <Form.Item label={t('designer.form.wizard')}>
            <Switch aria-label={t('designer.form.wizard')} checked={def.ui?.wizard === true} disabled={!def.ui?.sections?.length} onChange={(on) => change(setWizard(def, on))} />
          </Form.Item>
          <Button
            icon={<PlusOutlined />}
            onClick={() => {
              const made = addSection(def, { 'zh-CN': t('designer.form.sectionName', { n: (def.ui?.sections?.length ?? 0) + 1 }), en: `Section ${(def.ui?.sections?.length ?? 0) + 1}` });
              change(made.def);
              setSection(made.id);
              setSelected(null);
            }}
          >
            {t('designer.form.addSection')}
          </Button>
          {dirty && <Typography.Text type="warning">{t('designer.form.dirty')}</Typography.Text>}
        </Form>
      </Card>
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          className="wf-designer-alert"
          style={{ marginTop: 12 }}
          title={t('designer.form.problems', { count: problems.length })}
          description={
            <ul className="wf-designer-warnings">
              {problems.map((p) => {
                const field = fieldOfProblem(p.pointer);
                return (
                  <li key={`${p.pointer}${p.message.en}`}>
                    {field && def.schema.properties?.[field] ? (
                      <button type="button" className="wf-problem" onClick={() => setSelected(field)}>
                        <strong>{field}</strong> {text(p.message)}
                      </button>
                    ) : (
                      <>
                        <code>{p.pointer}</code> {text(p.message)}
                      </>
                    )}
                  </li>
                );
              })}
            </ul>
          }
        />
      )}
      {unknownRules.length > 0 && <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('designer.form.otherRules', { count: unknownRules.length })} />}
      <div className="wf-form-designer">
        <Palette onAdd={(w) => add(w)} />
        <div className="wf-form-center">
          <Tabs
            activeKey={tab}
            onChange={setTab}
            items={[
              {
                key: 'design',
                label: t('designer.form.tab.design'),
                children: (
                  <FormCanvas
                    def={def}
                    selected={selected}
                    faulty={faulty}
                    onSelect={(k) => {
                      setSelected(k);
                      setSection(null);
                    }}
                    onSelectSection={(id) => {
                      setSection(id);
                      setSelected(null);
                    }}
                    onAdd={add}
                    onMove={(k, to) => change(moveField(def, k, to))}
                    onRemove={(k) => {
                      change(removeField(def, k));
                      setSelected(null);
                      message.info({ content: t('designer.form.removed', { key: k }), key: 'removed' });
                    }}
                  />
                ),
              },
              { key: 'preview', label: t('designer.form.tab.preview'), children: <FormPreview def={def} problems={problems.length} /> },
              { key: 'json', label: 'JSON', children: <pre className="wf-code wf-form-code">{JSON.stringify(def, null, 2)}</pre> },
              {
                key: 'ts',
                label: 'TypeScript',
                children: typeText ? (
                  <>
                    <Typography.Paragraph type="secondary">{t('designer.form.tsHint')}</Typography.Paragraph>
                    <pre className="wf-code wf-form-code">{typeText}</pre>
                  </>
                ) : (
                  <Empty description={t('designer.form.fixForType')} />
                ),
              },
            ]}
          />
        </div>
        {wide ? (
          <aside className="wf-form-panel" aria-label={t('designer.form.panel')}>
            {panel}
          </aside>
        ) : (
          <Drawer
            open={!!(selected || section)}
            onClose={() => {
              setSelected(null);
              setSection(null);
            }}
            title={t('designer.form.panel')}
            placement="bottom"
            size="large"
          >
            {panel}
          </Drawer>
        )}
      </div>
    </>
  );
}
