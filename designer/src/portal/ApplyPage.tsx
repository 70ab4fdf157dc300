/**
 * Applying for a service on a phone: the service's application form as a
 * wizard (office, materials, the business form, sending and return, fees —
 * the steps its sections give — and a last step to review it all), checked
 * by the server's own rules as the citizen goes; every problem listed, with a
 * jump to its step, before a submission can go; 暂存 keeps it on the server (it comes back after a
 * reload, on any device), 取消 deletes the draft. Submitted, the case opens.
 */
import { Alert, App, Button, Popconfirm, Skeleton, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../api/client.ts';
import { errorText, useLoad } from '../api/load.ts';
import { SchemaForm } from '../forms/index.ts';
import { useApplication } from '../forms/useApplication.ts';
import { useI18n } from '../i18n/index.tsx';
import type { Identity } from './identity.ts';
import { SlotsPanel } from './SlotsPanel.tsx';
import type { ServiceDetail } from './types.ts';
import { WithApp } from './WithApp.tsx';

export function ApplyPage() {
  const { number = '' } = useParams();
  const service = useLoad(() => api.get<ServiceDetail>(`/api/hall/services/${encodeURIComponent(number)}`), [number]);
  const { t } = useI18n();
  if (service.error) return <Alert type="error" showIcon title={errorText(service.error, t)} />;
  if (!service.data) return <Skeleton active paragraph={{ rows: 8 }} />;
  return (
    <WithApp>
      <Application
        title={service.data.name}
        processKey={service.data.processKey}
        leaveTo={`/portal/services/${service.data.number}`}
        before={service.data.type === '2' ? (application, fill) => <SlotsPanel number={service.data!.number} application={application} fill={fill} /> : undefined}
      />
    </WithApp>
  );
}

/** 实名认证: the process that raises my real-name level, applied for like any service. */
export function IdentityPage() {
  const { t } = useI18n();
  const identity = useLoad(() => api.get<Identity>('/api/me/identity'), []);
  if (identity.error) return <Alert type="error" showIcon title={errorText(identity.error, t)} />;
  if (!identity.data) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (!identity.data.processKey) return <Alert type="info" showIcon title={t('portal.identity.none')} />;
  return (
    <WithApp>
      <Application title={t('portal.identity.title')} processKey={identity.data.processKey} leaveTo="/portal/me" />
    </WithApp>
  );
}

/** `leaveTo`: where cancelling goes; `before`: what shows above the form (an appointment's places left), given the form's values and a way to fill some. */
function Application({
  title,
  processKey,
  leaveTo,
  before,
}: {
  title: string;
  processKey: string;
  leaveTo: string;
  before?: (application: Record<string, unknown>, fill: (values: Record<string, string>) => void) => ReactNode;
}) {
  const { t, dateTime } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const app = useApplication(processKey, (id) => navigate(`/portal/cases/${encodeURIComponent(id)}`, { replace: true }));

  if (app.error)
    return (
      <>
        <h1 className="portal-title">{title}</h1>
        <Alert type="error" showIcon title={app.error.message} style={{ marginBottom: 12 }} />
        {app.error.code === 'WF_ERR_IDENTITY_LEVEL' && (
          <Button type="primary" size="large" block onClick={() => navigate('/portal/identity')}>
            {t('portal.me.raise')}
          </Button>
        )}
      </>
    );
  if (!app.loaded || !app.form) return <Skeleton active paragraph={{ rows: 8 }} />;

  const cancel = async () => {
    if (app.restored || app.saved) await app.discardDraft();
    navigate(leaveTo);
  };
  const hint = app.saving ? t('start.form.saving') : app.saved ? t('start.form.savedAt', { time: dateTime(app.saved.at) }) : app.dirty ? t('portal.apply.unsaved') : null;

  return (
    <>
      <h1 className="portal-title">{title}</h1>
      {before?.(app.value, (values) => app.onChange({ ...app.value, ...values }))}
      {app.restored && <Alert type="info" showIcon title={t('start.form.restored', { time: dateTime(app.restored) })} style={{ marginBottom: 12 }} />}
      <section className="portal-section portal-form">
        <SchemaForm form={app.form} value={app.value} onChange={app.onChange} issues={app.issues} revealIssues={app.reveal} onFieldBlur={app.onFieldBlur} onReview={app.review} />
      </section>
      <div className="portal-action portal-apply-actions">
        {hint && (
          <Typography.Text type="secondary" aria-live="polite" className="portal-apply-hint">
            {hint}
          </Typography.Text>
        )}
        <div className="portal-apply-buttons">
          <Popconfirm
            title={t('portal.apply.cancelConfirm')}
            okText={t('portal.apply.cancel')}
            cancelText={t('portal.apply.keep')}
            okButtonProps={{ danger: true }}
            onConfirm={() => void cancel().catch((err: unknown) => message.error(errorText(err, t)))}
          >
            <Button size="large">{t('portal.apply.cancel')}</Button>
          </Popconfirm>
          <Button size="large" loading={app.saving} disabled={!app.check || app.submitting} onClick={() => void app.saveDraft(false)}>
            {t('start.form.saveDraft')}
          </Button>
          <Button type="primary" size="large" loading={app.submitting} disabled={!app.check} onClick={() => void app.submit()}>
            {t('start.form.submit')}
          </Button>
        </div>
      </div>
    </>
  );
}
