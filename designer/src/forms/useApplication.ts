/**
 * An application in progress (a start form): the form and the draft it
 * resumes, what the user typed, the problems to show (a field's once left,
 * all once submitting was tried, and the server's), the draft saved by hand
 * and every 30 s while changed, leaving asked about while unsaved, and the
 * submission. Shared by the workbench's start page and the portal's wizard.
 */
import { App } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FieldIssue, FormData } from '../../../forms/index.ts';
import { api, ApiError } from '../api/client.ts';
import { errorText } from '../api/load.ts';
import { useI18n } from '../i18n/index.tsx';
import { useLeaveGuard } from '../shell/leave-guard.ts';
import { fieldOf, distinctIssues, submittable } from './schema.ts';
import type { FormView } from './SchemaForm.tsx';
import { useFormCheck } from './useFormCheck.ts';

/** 自动暂存: how often a changed application is saved as a draft. */
export const AUTOSAVE_MS = 30_000;

export interface StartForm {
  processKey: string;
  version: number;
  form: FormView;
  draft: { data: FormData; updatedAt: string } | null;
}

export interface Saved {
  at: string;
  auto: boolean;
}

/** `key`: the process; `onSubmitted`: where to go once the case has started. */
export function useApplication(key: string, onSubmitted: (instanceId: string) => void) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const path = `/api/processes/${encodeURIComponent(key)}/start-form`;

  const [loaded, setLoaded] = useState<StartForm | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [value, setValue] = useState<FormData>({});
  const [restored, setRestored] = useState<string | null>(null);
  const [saved, setSaved] = useState<Saved | null>(null);
  const [saving, setSaving] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [autoBlocked, setAutoBlocked] = useState(false);
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
        if (!auto) message.error(errorText(err, t));
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
      message.success(t('start.form.submitted'));
      onSubmitted(instance.id);
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) {
        setServerIssues(err.issues);
        setReveal((n) => n + 1);
      }
      message.error(errorText(err, t));
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
      message.error(errorText(err, t));
    }
  };

  // The wizard's review step: every problem shows from then on, as if submitting had been tried.
  const review = () => setAttempted(true);

  return { loaded, error, form, check, value, issues, reveal, restored, saved, saving, submitting, autoBlocked, dirty, onChange, onFieldBlur, saveDraft, submit, discardDraft, review };
}
