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
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../api/client.ts';
import { errorText } from '../api/load.ts';
import { SchemaForm } from '../forms/index.ts';
import { AUTOSAVE_MS, useApplication } from '../forms/useApplication.ts';
import { useI18n } from '../i18n/index.tsx';
import { ForbiddenPage, NotFoundPage } from '../pages/ErrorPages.tsx';
import { Loading } from '../shell/Loading.tsx';
import { inboxChanged } from '../shell/usePolling.ts';

export function StartFormPage() {
  const { key = '' } = useParams();
  const { t, text, dateTime } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();

  const { loaded, error, form, check, value, issues, reveal, restored, saved, saving, submitting, autoBlocked, dirty, onChange, onFieldBlur, saveDraft, submit, discardDraft } = useApplication(
    key,
    (id) => {
      inboxChanged();
      navigate(`/workbench/cases/${encodeURIComponent(id)}`);
    },
  );
  const [starting, setStarting] = useState(false);
  const [processName, setProcessName] = useState<string | null>(null);

  // A process without a start form is named as the list of processes names it.
  useEffect(() => {
    if (error?.code !== 'WF_ERR_NO_START_FORM') return;
    let live = true;
    api.get<{ items: Array<{ key: string; name: string | null }> }>('/api/processes').then(
      (r) => live && setProcessName(r.items.find((p) => p.key === key)?.name ?? null),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [error, key]);

  /** A process whose start event shows no form starts at once. */
  const startDirectly = async () => {
    setStarting(true);
    try {
      const instance = await api.post<{ id: string }>('/api/instances', { processKey: key });
      inboxChanged();
      message.success(t('start.started'));
      navigate(`/workbench/cases/${encodeURIComponent(instance.id)}`);
    } catch (err) {
      message.error(errorText(err, t));
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
