/**
 * 督办: the open tasks of my departments (my data scope), overdue and near-due
 * first; urge the holder, or give the task to someone else, from the list.
 */
import { App, Button, Card, Form, Input, Modal, Segmented, Space, Table } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError, type Page } from '../api/client.ts';
import { useProcessNames, useUserNames } from '../api/directory.ts';
import type { Task } from '../api/records.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { PeoplePicker } from '../forms/pickers.tsx';
import { DueTag } from './DueTag.tsx';

const PAGE_SIZE = 20;

export function SupervisePage() {
  const { t, relative } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const processes = useProcessNames();
  const [dueState, setDueState] = useState<string>('overdue');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<Task>>();
  const [loading, setLoading] = useState(false);
  const [target, setTarget] = useState<{
    task: Task;
    action: 'urge' | 'reassign';
  } | null>(null);
  const [form] = Form.useForm();
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(
        await api.get<Page<Task>>('/api/tasks', {
          state: 'active',
          dueState: dueState === 'all' ? undefined : dueState,
          sort: 'due',
          order: 'asc',
          offset: (page - 1) * PAGE_SIZE,
          limit: PAGE_SIZE,
        }),
      );
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : t('error.network'));
    } finally {
      setLoading(false);
    }
  }, [dueState, page, message, t]);
  useEffect(() => {
    void load();
  }, [load]);
  const names = useUserNames((data?.items ?? []).map((task) => task.assignee));

  const submit = async () => {
    if (!target) return;
    const v = (await form.validateFields()) as {
      note?: string;
      userId?: string;
    };
    try {
      if (target.action === 'urge')
        await api.post(`/api/tasks/${target.task.id}/urge`, {
          note: v.note || null,
        });
      else if (target.task.assignee)
        await api.post(`/api/tasks/${target.task.id}/transfer`, {
          userId: v.userId,
          reason: v.note || null,
        });
      else
        await api.post(`/api/tasks/${target.task.id}/claim`, {
          userId: v.userId,
        });
      message.success(t(target.action === 'urge' ? 'case.urged' : 'task.transferred'));
      setTarget(null);
      void load();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : t('error.network'));
    }
  };

  return (
    <Card
      title={t('menu.supervise')}
      extra={
        <Segmented
          value={dueState}
          onChange={(v) => (setDueState(v), setPage(1))}
          options={[
            { value: 'overdue', label: t('task.overdue') },
            { value: 'near-due', label: t('task.nearDue') },
            { value: 'all', label: t('common.all') },
          ]}
        />
      }
    >
      <Table<Task>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('list.emptySupervise') }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { total }),
        }}
        columns={[
          {
            title: t('list.col.task'),
            key: 'n',
            render: (_, task) => <Link to={`/workbench/cases/${task.instanceId}`}>{task.name ?? task.activityId}</Link>,
          },
          {
            title: t('case.process'),
            key: 'p',
            render: (_, task) => processes.get(task.processKey) ?? task.processKey,
          },
          {
            title: t('list.col.holder'),
            key: 'h',
            render: (_, task) => (task.assignee ? (names[task.assignee] ?? task.assignee) : t('list.unclaimed')),
          },
          {
            title: t('list.col.due'),
            key: 'd',
            render: (_, task) => <DueTag dueAt={task.dueAt} dueState={task.dueState} />,
          },
          {
            title: t('list.col.received'),
            key: 'c',
            render: (_, task) => relative(task.createdAt),
          },
          {
            title: t('common.actions'),
            key: 'a',
            width: 170,
            render: (_, task) => (
              <Space>
                <Button size="small" onClick={() => (form.resetFields(), setTarget({ task, action: 'urge' }))}>
                  {t('case.urge')}
                </Button>
                {can('task:assign') && (
                  <Button size="small" onClick={() => (form.resetFields(), setTarget({ task, action: 'reassign' }))}>
                    {t('list.reassign')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal open={!!target} title={t(target?.action === 'urge' ? 'case.urge' : 'list.reassign')} onCancel={() => setTarget(null)} onOk={() => void submit()} destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false}>
          {target?.action === 'reassign' && (
            <Form.Item name="userId" label={t('task.transferTo')} rules={[{ required: true, message: t('task.pickSomeone') }]}>
              <PeoplePicker />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('case.note')}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
