/** For admins: the case's jobs with their attempts, and its open incidents, with retry and cancel. */
import { App, Button, Form, Input, Modal, Radio, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type Page } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';

interface Job {
  id: string;
  activityId: string;
  handler: string;
  state: string;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
}
interface Incident {
  id: string;
  activityId: string;
  kind: string;
  message: string;
  state: string;
  createdAt: string;
}

const JOB_COLORS: Record<string, string> = {
  pending: 'processing',
  done: 'success',
  failed: 'error',
  cancelled: 'default',
};

export function CaseJobs({ instanceId, onChanged }: { instanceId: string; onChanged(): void }) {
  const { t, dateTime } = useI18n();
  const { message } = App.useApp();
  const [jobs, setJobs] = useState<Job[]>([]);
  const [incidents, setIncidents] = useState<Incident[]>([]);
  const [cancelling, setCancelling] = useState<Job | null>(null);
  const [form] = Form.useForm();
  const load = useCallback(() => {
    void api.get<Page<Job>>('/api/jobs', { instanceId, limit: 100 }).then(
      (p) => setJobs(p.items),
      () => setJobs([]),
    );
    void api.get<Page<Incident>>('/api/incidents', { instanceId, limit: 100 }).then(
      (p) => setIncidents(p.items),
      () => setIncidents([]),
    );
  }, [instanceId]);
  useEffect(load, [load]);
  const act = async (call: () => Promise<unknown>) => {
    try {
      await call();
      message.success(t('common.done'));
      load();
      onChanged();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : t('error.network'));
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <Table<Incident>
        rowKey="id"
        size="small"
        title={() => t('case.incidents')}
        pagination={false}
        dataSource={incidents}
        locale={{ emptyText: t('case.noIncidents') }}
        columns={[
          { title: t('case.node'), dataIndex: 'activityId' },
          { title: t('case.incidentMessage'), dataIndex: 'message' },
          {
            title: t('case.state'),
            dataIndex: 'state',
            render: (s: string) => <Tag color={s === 'open' ? 'red' : 'default'}>{t(s === 'open' ? 'case.incidentOpen' : 'case.incidentResolved')}</Tag>,
          },
          {
            title: t('list.col.received'),
            dataIndex: 'createdAt',
            render: (v: string) => dateTime(v),
          },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_, i) =>
              i.state === 'open' && (
                <Button size="small" onClick={() => void act(() => api.post(`/api/incidents/${i.id}/retry`, {}))}>
                  {t('case.retry')}
                </Button>
              ),
          },
        ]}
      />
      <Table<Job>
        rowKey="id"
        size="small"
        title={() => t('case.jobs')}
        pagination={false}
        dataSource={jobs}
        locale={{ emptyText: t('case.noJobs') }}
        columns={[
          { title: t('case.node'), dataIndex: 'activityId' },
          { title: t('case.handler'), dataIndex: 'handler' },
          {
            title: t('case.state'),
            dataIndex: 'state',
            render: (s: string) => <Tag color={JOB_COLORS[s]}>{s}</Tag>,
          },
          {
            title: t('case.attempts'),
            key: 'n',
            render: (_, j) => `${j.attempts} / ${j.maxAttempts}`,
          },
          {
            title: t('case.lastError'),
            dataIndex: 'lastError',
            ellipsis: true,
          },
          {
            title: t('case.runAt'),
            dataIndex: 'runAt',
            render: (v: string) => dateTime(v),
          },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_, j) =>
              (j.state === 'pending' || j.state === 'failed') && (
                <Button size="small" danger onClick={() => setCancelling(j)}>
                  {t('case.cancelJob')}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={!!cancelling}
        title={t('case.cancelJob')}
        onCancel={() => setCancelling(null)}
        destroyOnHidden
        onOk={() =>
          void form.validateFields().then((v: { reason: string; then: string }) =>
            act(() =>
              api.post(`/api/jobs/${cancelling!.id}/cancel`, {
                reason: v.reason,
                then: v.then,
              }),
            ).then(() => setCancelling(null)),
          )
        }
      >
        <Form form={form} layout="vertical" initialValues={{ then: 'continue' }} preserve={false}>
          <Form.Item name="reason" label={t('case.doneByHand')} rules={[{ required: true, message: t('case.reasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
          <Form.Item name="then" label={t('case.then')}>
            <Radio.Group
              options={[
                { value: 'continue', label: t('case.thenContinue') },
                { value: 'cancel-instance', label: t('case.thenCancel') },
              ]}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
