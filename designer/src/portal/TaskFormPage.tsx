/**
 * A step of my case that is mine to do — correct what the review found wrong,
 * send the originals (the tracking number), confirm receipt, rate — as the
 * flow's form for that step: only what the step lets me change is editable
 * (a correction: only the failed fields and materials, with the clerk's
 * request above them), the rest shown. Done, back to the case.
 */
import { Alert, App, Button, Skeleton } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import type { FieldIssue, FormData } from '../../../forms/index.ts';
import { api, ApiError } from '../api/client.ts';
import { errorText, useLoad } from '../api/load.ts';
import type { Instance, Task } from '../api/records.ts';
import { SchemaForm, useFormCheck, type FormView } from '../forms/index.ts';
import { useI18n } from '../i18n/index.tsx';
import { CorrectionRequest } from './parts.tsx';
import { WithApp } from './WithApp.tsx';

interface TaskForm {
  form: FormView;
  values: FormData;
  draft: { data: FormData; updatedAt: string } | null;
}

export function TaskFormPage() {
  return (
    <WithApp>
      <TaskForm />
    </WithApp>
  );
}

function TaskForm() {
  const { id = '', taskId = '' } = useParams();
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const loaded = useLoad(
    () =>
      Promise.all([
        api.get<Task>(`/api/tasks/${encodeURIComponent(taskId)}`),
        api.get<TaskForm>(`/api/tasks/${encodeURIComponent(taskId)}/form`),
        api.get<Instance>(`/api/instances/${encodeURIComponent(id)}`),
      ]),
    [id, taskId],
  );
  const [value, setValue] = useState<FormData>({});
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = loaded.data?.[1].form ?? null;
  const check = useFormCheck(form);
  useEffect(() => {
    if (loaded.data) setValue(loaded.data[1].draft?.data ?? loaded.data[1].values);
  }, [loaded.data]);
  const editable = useMemo(() => new Set(Object.entries(form?.access ?? {}).flatMap(([name, access]) => (access === 'editable' ? [name] : []))), [form]);

  if (loaded.error) return <Alert type="error" showIcon title={errorText(loaded.error, t)} />;
  if (!loaded.data || !form) return <Skeleton active paragraph={{ rows: 8 }} />;
  const [task, , instance] = loaded.data;

  const onChange = (next: FormData) => {
    setValue(next);
    if (tried && check) setIssues(check(next, 'submit').issues);
  };
  const submit = async () => {
    setTried(true);
    const outcome = check?.(value, 'submit');
    if (outcome && !outcome.valid) {
      setIssues(outcome.issues);
      return void message.error(t('portal.task.fix', { count: outcome.issues.length }));
    }
    setBusy(true);
    try {
      await api.post(`/api/tasks/${encodeURIComponent(taskId)}/form/submit`, { data: Object.fromEntries(Object.entries(value).filter(([name]) => editable.has(name))) });
      message.success(t('portal.task.done', { task: task.name ?? '' }));
      navigate(`/portal/cases/${encodeURIComponent(id)}`, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) setIssues(err.issues);
      message.error(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 className="portal-title">{task.name}</h1>
      {task.state !== 'active' && <Alert type="info" showIcon title={t('portal.task.notOpen')} style={{ marginBottom: 12 }} />}
      <CorrectionRequest variables={instance.variables} />
      <section className="portal-section portal-form">
        <SchemaForm form={form} value={value} onChange={onChange} issues={issues} disabled={task.state !== 'active'} />
      </section>
      {task.state === 'active' && (
        <div className="portal-action">
          <Button type="primary" size="large" block loading={busy} onClick={() => void submit()}>
            {t('portal.task.submit')}
          </Button>
        </div>
      )}
    </>
  );
}
