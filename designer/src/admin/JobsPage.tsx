/**
 * 作业: the jobs of service tasks (SMS, payments, back-end sync …) by state,
 * dead letters first: the jobs whose retries are spent. Each opens to every
 * attempt (what went out, what came back, the error, how long). A dead letter
 * is retried (through its incident), or given up: either the case goes on as
 * if the job had run — with what was done by hand as its result — or the
 * case is cancelled.
 */
import { ExclamationCircleOutlined, RedoOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Drawer, Form, Input, Modal, Radio, Segmented, Space, Table, Tag, Timeline, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { emptyText, ErrorAlert, JsonBlock, PageHeader, parseJson, RefreshButton, ShortId, useFail, useFilters, useFormFail, useLoad, usePaging } from './shared.tsx';
import { JOB_STATES, type Incident, type Job, type JobAttempt, type JobState } from './types.ts';

const STATE_COLORS: Record<JobState, string> = { pending: 'processing', done: 'success', failed: 'error', cancelled: 'default' };
const OUTCOME_COLORS: Record<JobAttempt['outcome'], string> = { done: 'green', 'bpmn-error': 'purple', retry: 'orange', deferred: 'blue', failed: 'red' };

/** The open incident of a dead letter: retrying it runs the job again. */
export async function retryJob(job: Pick<Job, 'id' | 'instanceId'>): Promise<void> {
  const open = await api.get<Page<Incident>>('/api/incidents', { instanceId: job.instanceId, state: 'open', limit: 200 });
  const incident = open.items.find((i) => i.refId === job.id);
  if (!incident) throw new Error('no-incident');
  await api.post(`/api/incidents/${encodeURIComponent(incident.id)}/retry`);
}

export function JobsPage() {
  const { t, dateTime } = useI18n();
  const { modal, message } = App.useApp();
  const fail = useFail();
  const filters = useFilters<'state' | 'handler' | 'instanceId' | 'job'>();
  const state = (filters.get('state') || 'failed') as JobState | 'all';
  const [total, setTotal] = useState<number>();
  const paging = usePaging(filters, total);
  const [handlerDraft, setHandlerDraft] = useState(filters.get('handler'));
  const [instanceDraft, setInstanceDraft] = useState(filters.get('instanceId'));
  const [cancelling, setCancelling] = useState<Pick<Job, 'id' | 'handler'> | null>(null);
  const query = { state: state === 'all' ? undefined : state, handler: filters.get('handler') || undefined, instanceId: filters.get('instanceId') || undefined };
  const jobs = useLoad(async () => {
    const page = await api.get<Page<Job>>('/api/jobs', { ...query, offset: paging.offset, limit: paging.limit });
    setTotal(page.total);
    return page;
  }, [JSON.stringify(query), paging.offset, paging.limit]);
  const opened = filters.get('job');
  const filtered = Boolean(query.handler || query.instanceId);

  const retry = (job: Pick<Job, 'id' | 'instanceId' | 'handler'>) =>
    modal.confirm({
      title: t('admin.job.retryTitle'),
      icon: <RedoOutlined />,
      content: t('admin.job.retryHint', { handler: job.handler }),
      okText: t('admin.job.retry'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await retryJob(job);
          void message.success(t('admin.job.retried'));
          jobs.reload();
        } catch (err) {
          if (err instanceof Error && err.message === 'no-incident') void message.error(t('admin.job.noIncident'));
          else fail(err);
        }
      },
    });

  return (
    <>
      <PageHeader title={t('admin.job.title')} description={t('admin.job.description')} extra={<RefreshButton onClick={jobs.reload} loading={jobs.loading} />} />
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Segmented
            value={state}
            onChange={(v) => filters.set({ state: v === 'failed' ? null : String(v) })}
            options={[...JOB_STATES.map((s) => ({ value: s, label: t(`admin.job.state.${s}`) })), { value: 'all', label: t('common.all') }]}
          />
          <Input.Search allowClear placeholder={t('admin.job.handler')} aria-label={t('admin.job.handler')} value={handlerDraft} onChange={(e) => setHandlerDraft(e.target.value)} onSearch={(v) => filters.set({ handler: v.trim() })} style={{ width: 200 }} />
          <Input.Search allowClear placeholder={t('admin.case.id')} aria-label={t('admin.case.id')} value={instanceDraft} onChange={(e) => setInstanceDraft(e.target.value)} onSearch={(v) => filters.set({ instanceId: v.trim() })} style={{ width: 240 }} />
        </Space>
        {state === 'failed' && (total ?? 0) > 0 && <Alert type="error" showIcon icon={<ExclamationCircleOutlined />} style={{ marginBottom: 12 }} title={t('admin.job.deadLetters', { count: total ?? 0 })} description={t('admin.job.deadLettersHint')} />}
        <ErrorAlert error={jobs.error} onRetry={jobs.reload} />
        <Table<Job>
          rowKey="id"
          loading={jobs.loading}
          dataSource={jobs.data?.items ?? []}
          pagination={paging.pagination}
          scroll={{ x: 1100 }}
          locale={{ emptyText: emptyText(t, filtered, state === 'failed' ? t('admin.job.noDeadLetters') : t('admin.job.empty')) }}
          columns={[
            { title: t('admin.job.handler'), dataIndex: 'handler', width: 180, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            { title: t('admin.job.state'), dataIndex: 'state', width: 100, render: (s: JobState) => <Tag color={STATE_COLORS[s]}>{t(`admin.job.state.${s}`)}</Tag> },
            {
              title: t('admin.job.case'),
              key: 'case',
              width: 200,
              render: (_, j) => (
                <Space orientation="vertical" size={0}>
                  <Link to={`/workbench/cases/${encodeURIComponent(j.instanceId)}`}>
                    <ShortId value={j.instanceId} tail />
                  </Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {j.activityId}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t('admin.job.attempts'), key: 'attempts', width: 100, render: (_, j) => `${j.attempts} / ${j.maxAttempts}` },
            {
              title: t('admin.job.lastError'),
              dataIndex: 'lastError',
              ellipsis: { showTitle: false },
              render: (v: string | null) =>
                v ? (
                  <Tooltip title={v} placement="topLeft">
                    <Typography.Text type="danger">{v}</Typography.Text>
                  </Tooltip>
                ) : (
                  '—'
                ),
            },
            { title: t('admin.job.updatedAt'), dataIndex: 'updatedAt', width: 160, render: (v: string) => dateTime(v) },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 210,
              fixed: 'right',
              render: (_, j) => (
                <Space size={0} separator={<Typography.Text type="secondary">|</Typography.Text>}>
                  <Button type="link" size="small" onClick={() => filters.set({ job: j.id, page: filters.get('page') || null })}>
                    {t('admin.job.attemptsView')}
                  </Button>
                  {j.state === 'failed' && (
                    <Button type="link" size="small" onClick={() => retry(j)}>
                      {t('admin.job.retry')}
                    </Button>
                  )}
                  {j.state === 'failed' && (
                    <Button type="link" size="small" danger onClick={() => setCancelling(j)}>
                      {t('admin.job.giveUp')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {opened && <JobDrawer id={opened} onClose={() => filters.set({ job: null, page: filters.get('page') || null })} onRetry={retry} onCancel={setCancelling} />}
      {cancelling && (
        <CancelJob
          job={cancelling}
          onClose={(done) => {
            setCancelling(null);
            if (done) jobs.reload();
          }}
        />
      )}
    </>
  );
}

function JobDrawer({ id, onClose, onRetry, onCancel }: { id: string; onClose(): void; onRetry(job: Pick<Job, 'id' | 'instanceId' | 'handler'>): void; onCancel(job: Pick<Job, 'id' | 'handler'>): void }) {
  const { t, dateTime } = useI18n();
  const job = useLoad(() => api.get<Omit<Job, 'attempts'> & { attempts: JobAttempt[] }>(`/api/jobs/${encodeURIComponent(id)}`), [id]);
  const j = job.data;
  return (
    <Drawer
      open
      size={780}
      title={t('admin.job.detailTitle')}
      onClose={onClose}
      loading={job.loading && !j}
      extra={
        j?.state === 'failed' && (
          <Space>
            <Button icon={<RedoOutlined />} onClick={() => onRetry(j)}>
              {t('admin.job.retry')}
            </Button>
            <Button danger icon={<StopOutlined />} onClick={() => onCancel(j)}>
              {t('admin.job.giveUp')}
            </Button>
          </Space>
        )
      }
    >
      <ErrorAlert error={job.error} onRetry={job.reload} />
      {j && (
        <>
          <Descriptions
            size="small"
            column={2}
            bordered
            items={[
              { key: 'id', label: t('admin.job.id'), children: <Typography.Text copyable style={{ fontSize: 12 }}>{j.id}</Typography.Text>, span: 2 },
              { key: 'handler', label: t('admin.job.handler'), children: <Typography.Text code>{j.handler}</Typography.Text> },
              { key: 'state', label: t('admin.job.state'), children: <Tag color={STATE_COLORS[j.state]}>{t(`admin.job.state.${j.state}`)}</Tag> },
              { key: 'case', label: t('admin.case.id'), children: <Link to={`/workbench/cases/${encodeURIComponent(j.instanceId)}`}>{j.instanceId}</Link>, span: 2 },
              { key: 'activity', label: t('admin.job.activity'), children: j.activityId },
              { key: 'attempts', label: t('admin.job.attempts'), children: `${j.attempts.length} / ${j.maxAttempts}` },
              { key: 'created', label: t('admin.job.createdAt'), children: dateTime(j.createdAt) },
              { key: 'runAt', label: t('admin.job.runAt'), children: dateTime(j.runAt) },
              { key: 'key', label: t('admin.job.idempotencyKey'), children: <Typography.Text style={{ fontSize: 12 }}>{j.idempotencyKey}</Typography.Text>, span: 2 },
            ]}
          />
          {j.lastError && <Alert type="error" showIcon style={{ marginTop: 12 }} title={t('admin.job.lastError')} description={j.lastError} />}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('admin.job.input')}
          </Typography.Title>
          <JsonBlock value={j.input} maxHeight={200} />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('admin.job.attemptList', { count: j.attempts.length })}
          </Typography.Title>
          {j.attempts.length === 0 ? (
            <Typography.Text type="secondary">{t('admin.job.noAttempts')}</Typography.Text>
          ) : (
            <Timeline
              items={j.attempts.map((a) => ({
                key: a.attempt,
                color: OUTCOME_COLORS[a.outcome],
                content: (
                  <div>
                    <Space wrap>
                      <Typography.Text strong>{t('admin.job.attemptN', { n: a.attempt })}</Typography.Text>
                      <Tag color={OUTCOME_COLORS[a.outcome]}>{t(`admin.job.outcome.${a.outcome}`)}</Tag>
                      <Typography.Text type="secondary">{dateTime(a.startedAt)}</Typography.Text>
                      <Typography.Text type="secondary">{t('admin.job.duration', { ms: a.durationMs })}</Typography.Text>
                      {a.worker && <Typography.Text type="secondary">{t('admin.job.worker', { worker: a.worker })}</Typography.Text>}
                    </Space>
                    {a.error && <Typography.Paragraph type="danger" style={{ margin: '4px 0' }}>{a.error}</Typography.Paragraph>}
                    <details style={{ marginTop: 4 }}>
                      <summary style={{ cursor: 'pointer', color: '#1668dc' }}>{t('admin.job.requestResponse')}</summary>
                      <Typography.Text type="secondary">{t('admin.job.request')}</Typography.Text>
                      <JsonBlock value={a.request} maxHeight={200} />
                      <Typography.Text type="secondary">{t('admin.job.response')}</Typography.Text>
                      <JsonBlock value={a.response} maxHeight={200} />
                    </details>
                  </div>
                ),
              }))}
            />
          )}
        </>
      )}
    </Drawer>
  );
}

interface CancelForm {
  then: 'continue' | 'cancel-instance';
  reason: string;
  variables: string;
}

/** Give up a dead letter: say why, and what was done by hand (the task goes on with it) or end the case. */
export function CancelJob({ job, onClose }: { job: Pick<Job, 'id' | 'handler'>; onClose(done: boolean): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<CancelForm>();
  const formFail = useFormFail(form);
  const [busy, setBusy] = useState(false);
  const then = Form.useWatch('then', form) ?? 'continue';
  return (
    <Modal
      open
      width={640}
      title={t('admin.job.giveUpTitle', { handler: job.handler })}
      okText={then === 'cancel-instance' ? t('admin.job.giveUpCancelCase') : t('admin.job.giveUpContinue')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('admin.job.giveUpWarning')} />
      <Form<CancelForm>
        form={form}
        layout="vertical"
        initialValues={{ then: 'continue', reason: '', variables: '' }}
        onFinish={async (values) => {
          let variables: unknown;
          try {
            variables = values.then === 'continue' ? parseJson(values.variables) : undefined;
          } catch (err) {
            form.setFields([{ name: 'variables', errors: [t('admin.conn.badJson', { detail: (err as Error).message })] }]);
            return;
          }
          if (variables !== undefined && (typeof variables !== 'object' || variables === null || Array.isArray(variables))) {
            form.setFields([{ name: 'variables', errors: [t('admin.job.variablesObject')] }]);
            return;
          }
          setBusy(true);
          try {
            await api.post(`/api/jobs/${encodeURIComponent(job.id)}/cancel`, { reason: values.reason.trim(), then: values.then, ...(variables !== undefined && { variables }) });
            void message.success(values.then === 'cancel-instance' ? t('admin.job.gaveUpCancelled') : t('admin.job.gaveUpContinued'));
            onClose(true);
          } catch (err) {
            formFail(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="then" label={t('admin.job.then')}>
          <Radio.Group>
            <Space orientation="vertical">
              <Radio value="continue">
                {t('admin.job.thenContinue')}
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('admin.job.thenContinueHint')}
                  </Typography.Text>
                </div>
              </Radio>
              <Radio value="cancel-instance">
                {t('admin.job.thenCancel')}
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('admin.job.thenCancelHint')}
                  </Typography.Text>
                </div>
              </Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="reason" label={t('admin.job.reason')} rules={[{ required: true, whitespace: true, message: t('admin.job.reasonRequired') }]}>
          <Input.TextArea rows={2} maxLength={1000} showCount placeholder={t('admin.job.reasonPlaceholder')} aria-label={t('admin.job.reasonPlaceholder')} />
        </Form.Item>
        {then === 'continue' && (
          <Form.Item name="variables" label={t('admin.job.byHand')} extra={t('admin.job.byHandHint')}>
            <Input.TextArea rows={5} style={{ fontFamily: 'monospace', fontSize: 12 }} placeholder={t('admin.job.byHandPlaceholder')} aria-label={t('admin.job.byHandPlaceholder')} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
