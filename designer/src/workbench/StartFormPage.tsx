/**
 * Filling in an application: the process's start form, checked in the browser
 * by the server's own rules as the user goes (a field's problem shows once the
 * user leaves it, every problem once they try to submit), saved as a draft by
 * hand or every 30 seconds when changed (自动暂存), submitted to start the case
 * — whose page opens next. A problem only the server can see (a file, a
 * dictionary changed meanwhile) comes back in its 422 and shows by its field.
 */
import { ArrowLeftOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Popconfirm, Result, Space, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { FieldIssue, FormData } from '../../../forms/index.ts';
import { api, ApiError } from '../api/client.ts';
import { distinctIssues, fieldOf, SchemaForm, submittable, useFormCheck, type FormView } from '../forms/index.ts';
import { useI18n } from '../i18n/index.tsx';
import { ForbiddenPage, NotFoundPage } from '../pages/ErrorPages.tsx';
import { Loading } from '../shell/Loading.tsx';
import { inboxChanged } from '../shell/usePolling.ts';
import { useLeaveGuard } from '../shell/leave-guard.ts';

/** 自动暂存: how often a changed application is saved as a draft. */
export const AUTOSAVE_MS = 30_000;

interface StartForm {
  processKey: string;
  version: number;
  form: FormView;
  draft: { data: FormData; updatedAt: string } | null;
}

interface Saved {
  at: string;
  auto: boolean;
}

const messageOf = (err: unknown, network: string) => (err instanceof ApiError && err.status !== 0 ? err.message : network);

export function StartFormPage() {
  const { key = '' } = useParams();
  const { t, text, dateTime } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const path = `/api/processes/${encodeURIComponent(key)}/start-form`;

  const [loaded, setLoaded] = useState<StartForm | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [value, setValue] = useState<FormData>({});
  const [restored, setRestored] = useState<string | null>(null);
  const [saved, setSaved] = useState<Saved | null>(null);
  const [saving, setSaving] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [autoBlocked, setAutoBlocked] = useState(false);
  const [starting, setStarting] = useState(false);
  const [processName, setProcessName] = useState<string | null>(null);
  // Which problems show: a field's once the user has left it, all of them once they tried to submit, and the server's.
  const [attempted, setAttempted] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [serverIssues, setServerIssues] = useState<FieldIssue[]>([]);
  const [reveal, setReveal] = useState(0);
  // Changes made, and how many of them the last saved draft holds.
  const edits = useRef(0);
  const savedEdits = useRef(0);
  const [dirty, setDirty] = useState(false);

  const form = loaded?.form ?? null;
  const check = useFormCheck(form);

  useEffect(() => {
    let live = true;
    setLoaded(null);
    setError(null);
    api.get<StartForm>(path).then(
      (r) => {
        if (!live) return;
        setLoaded(r);
        setValue(r.draft?.data ?? {});
        setRestored(r.draft?.updatedAt ?? null);
        setSaved(null);
      },
      (err: unknown) => {
        if (!live) return;
        setError(err instanceof ApiError ? err : new ApiError(0, 'WF_ERR_NETWORK', t('error.network'), undefined, {}));
        // A process without a start form is named as the list of processes names it.
        if (err instanceof ApiError && err.code === 'WF_ERR_NO_START_FORM') {
          api.get<{ items: Array<{ key: string; name: string | null }> }>('/api/processes').then(
            (r) => live && setProcessName(r.items.find((p) => p.key === key)?.name ?? null),
            () => undefined,
          );
        }
      },
    );
    return () => {
      live = false;
    };
  }, [path]);

  const live = useMemo(() => (check ? check(value, attempted ? 'submit' : 'draft') : null), [check, value, attempted]);
  const issues = useMemo(() => {
    const browser = (live?.issues ?? []).filter((i) => attempted || touched.has(fieldOf(i.pointer)));
    return distinctIssues([...serverIssues, ...browser]);
  }, [live, attempted, touched, serverIssues]);

  const onChange = (next: FormData) => {
    // The server's word on a field stands until the field changes.
    const changed = new Set(Object.keys({ ...value, ...next }).filter((f) => JSON.stringify(value[f]) !== JSON.stringify(next[f])));
    if (changed.size) setServerIssues((list) => list.filter((i) => !changed.has(fieldOf(i.pointer))));
    edits.current += 1;
    setDirty(true);
    setAutoBlocked(false);
    setValue(next);
  };
  const onFieldBlur = useCallback((field: string) => setTouched((s) => (s.has(field) ? s : new Set([...s, field]))), []);

  const valueRef = useRef(value);
  valueRef.current = value;
  const busy = useRef(false);

  const saveDraft = useCallback(
    async (auto: boolean) => {
      if (!form || !check || busy.current) return;
      const data = valueRef.current;
      const outcome = check(data, 'draft');
      if (!outcome.valid) {
        // A draft keeps what is missing, not what is wrong: the server would refuse it.
        if (auto) return setAutoBlocked(true);
        setTouched((s) => new Set([...s, ...outcome.issues.map((i) => fieldOf(i.pointer))]));
        setReveal((n) => n + 1);
        return void message.error(t('start.form.draftInvalid', { count: outcome.issues.length }));
      }
      busy.current = true;
      setSaving(true);
      const sent = edits.current;
      try {
        const draft = await api.put<{ updatedAt: string }>(`${path}/draft`, { data: submittable(form, data) });
        savedEdits.current = sent;
        setDirty(edits.current !== sent);
        setSaved({ at: draft.updatedAt, auto });
        if (!auto) message.success(t('start.form.draftSaved'));
      } catch (err) {
        if (err instanceof ApiError && err.issues.length) {
          setServerIssues(err.issues);
          if (auto) setAutoBlocked(true);
          else setReveal((n) => n + 1);
        }
        if (!auto) message.error(messageOf(err, t('error.network')));
      } finally {
        busy.current = false;
        setSaving(false);
      }
    },
    [form, check, path, message, t],
  );

  // 自动暂存: every 30 s while there are changes not yet saved.
  const autoSave = useRef(saveDraft);
  autoSave.current = saveDraft;
  useEffect(() => {
    const timer = setInterval(() => {
      if (edits.current !== savedEdits.current) void autoSave.current(true);
    }, AUTOSAVE_MS);
    return () => clearInterval(timer);
  }, []);

  // Leaving with unsaved changes asks first.
  useLeaveGuard(dirty);

  const submit = async () => {
    if (!form || !check) return;
    setAttempted(true);
    const outcome = check(value, 'submit');
    if (!outcome.valid) {
      setReveal((n) => n + 1);
      return void message.error(t('start.form.fixIssues', { count: outcome.issues.length }));
    }
    setSubmitting(true);
    busy.current = true;
    try {
      const instance = await api.post<{ id: string }>(`${path}/submit`, { data: submittable(form, outcome.data) });
      savedEdits.current = edits.current;
      setDirty(false);
      inboxChanged();
      message.success(t('start.form.submitted'));
      navigate(`/workbench/cases/${encodeURIComponent(instance.id)}`);
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) {
        setServerIssues(err.issues);
        setReveal((n) => n + 1);
      }
      message.error(messageOf(err, t('error.network')));
    } finally {
      busy.current = false;
      setSubmitting(false);
    }
  };

  const discardDraft = async () => {
    try {
      await api.delete(`${path}/draft`);
      setValue({});
      setRestored(null);
      setSaved(null);
      setAttempted(false);
      setTouched(new Set());
      setServerIssues([]);
      savedEdits.current = edits.current;
      setDirty(false);
      message.success(t('start.draft.discarded'));
    } catch (err) {
      message.error(messageOf(err, t('error.network')));
    }
  };

  /** A process whose start event shows no form starts at once. */
  const startDirectly = async () => {
    setStarting(true);
    try {
      const instance = await api.post<{ id: string }>('/api/instances', { processKey: key });
      inboxChanged();
      message.success(t('start.started'));
      navigate(`/workbench/cases/${encodeURIComponent(instance.id)}`);
    } catch (err) {
      message.error(messageOf(err, t('error.network')));
    } finally {
      setStarting(false);
    }
  };

  if (error?.code === 'WF_ERR_NO_START_FORM') {
    return (
      <Result
        status="info"
        title={t('start.noForm')}
        subTitle={t('start.noForm.confirm', { name: processName ?? key })}
        extra={
          <Space wrap>
            <Button type="primary" loading={starting} onClick={() => void startDirectly()}>
              {t('start.start')}
            </Button>
            <Link to="/workbench/start">
              <Button>{t('start.form.back')}</Button>
            </Link>
          </Space>
        }
      />
    );
  }
  if (error?.status === 404) return <NotFoundPage />;
  if (error?.status === 403) return <ForbiddenPage />;
  if (error) return <Alert type="error" showIcon title={error.message} />;
  if (!loaded || !form) return <Loading />;

  const hint = saving
    ? t('start.form.saving')
    : autoBlocked
      ? t('start.form.autoSaveBlocked')
      : dirty
        ? t('start.form.unsaved', { seconds: AUTOSAVE_MS / 1000 })
        : saved
          ? t(saved.auto ? 'start.form.autoSavedAt' : 'start.form.savedAt', { time: dateTime(saved.at) })
          : t('start.form.autoSave', { seconds: AUTOSAVE_MS / 1000 });

  return (
    <div style={{ maxWidth: 960 }}>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <div>
          <Link to="/workbench/start">
            <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
              {t('start.form.back')}
            </Button>
          </Link>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {text(form.title)}
          </Typography.Title>
        </div>
        {restored && (
          <Alert
            type="info"
            showIcon
            title={t('start.form.restored', { time: dateTime(restored) })}
            action={
              <Popconfirm title={t('start.draft.discardConfirm')} okText={t('start.draft.discard')} cancelText={t('start.cancel')} okButtonProps={{ danger: true }} onConfirm={discardDraft}>
                <Button size="small" danger>
                  {t('start.form.discardDraft')}
                </Button>
              </Popconfirm>
            }
          />
        )}
        <Card>
          <SchemaForm form={form} value={value} onChange={onChange} issues={issues} revealIssues={reveal} onFieldBlur={onFieldBlur} />
        </Card>
        <Card size="small" style={{ position: 'sticky', bottom: 0, zIndex: 2, boxShadow: '0 -2px 8px rgba(0,0,0,0.06)' }}>
          <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 12 }}>
            <Button type="primary" icon={<SendOutlined />} loading={submitting} disabled={!check} onClick={() => void submit()}>
              {t('start.form.submit')}
            </Button>
            <Button icon={<SaveOutlined />} loading={saving} disabled={!check || submitting} onClick={() => void saveDraft(false)}>
              {t('start.form.saveDraft')}
            </Button>
            <Typography.Text type={autoBlocked ? 'warning' : 'secondary'} style={{ fontSize: 12 }} aria-live="polite">
              {hint}
            </Typography.Text>
          </div>
        </Card>
      </Space>
    </div>
  );
}
