/** What may be done with a whole case from its page: withdraw, urge, copy, comment, cancel. */
import { App, Button, Checkbox, Dropdown, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { inboxChanged } from '../shell/usePolling.ts';
import { PeoplePicker } from '../forms/pickers.tsx';
import { CommentBox } from './CommentBox.tsx';
import type { CaseData } from './useCase.ts';

type Dialog = 'withdraw' | 'urge' | 'cc' | 'comment' | 'cancel' | null;

export function CaseOperations({ data, isInitiator, onDone }: { data: CaseData; isInitiator: boolean; onDone(text?: string): void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const { instance } = data;
  const running = instance.state === 'running';
  const waitingTask = instance.activities.find((a) => a.kind === 'task' && a.taskId);

  const run = async (call: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await call();
      setDialog(null);
      form.resetFields();
      inboxChanged();
      onDone(done);
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : t('error.network'));
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    const values = (await form.validateFields()) as {
      reason?: string;
      note?: string;
      userIds?: string[];
      needsSign?: boolean;
    };
    if (dialog === 'withdraw')
      await run(
        () =>
          api.post(`/api/instances/${instance.id}/withdraw`, {
            reason: values.reason || null,
          }),
        t('case.withdrawn'),
      );
    if (dialog === 'cancel')
      await run(
        () =>
          api.post(`/api/instances/${instance.id}/cancel`, {
            reason: values.reason || null,
          }),
        t('case.cancelled'),
      );
    if (dialog === 'urge' && waitingTask?.taskId)
      await run(
        () =>
          api.post(`/api/tasks/${waitingTask.taskId}/urge`, {
            note: values.note || null,
          }),
        t('case.urged'),
      );
    if (dialog === 'cc')
      await run(
        () =>
          api.post(`/api/instances/${instance.id}/cc`, {
            userIds: values.userIds,
            note: values.note || null,
            needsSign: !!values.needsSign,
          }),
        t('case.copied'),
      );
  };

  const items = [
    ...(running && isInitiator ? [{ key: 'withdraw', label: t('case.withdraw'), danger: true }] : []),
    ...(running && waitingTask && (isInitiator || can('task:urge')) ? [{ key: 'urge', label: t('case.urge') }] : []),
    { key: 'cc', label: t('case.cc') },
    ...(running && can('instance:manage') ? [{ key: 'cancel', label: t('case.cancel'), danger: true }] : []),
  ];
  const titles: Record<Exclude<Dialog, null>, string> = {
    withdraw: t('case.withdraw'),
    urge: t('case.urge'),
    cc: t('case.cc'),
    comment: t('case.comment'),
    cancel: t('case.cancel'),
  };
  return (
    <>
      <Button onClick={() => setDialog('comment')}>{t('case.comment')}</Button>{' '}
      <Dropdown menu={{ items, onClick: ({ key }) => setDialog(key as Dialog) }}>
        <Button>{t('common.more')}</Button>
      </Dropdown>
      <Modal
        open={dialog !== null}
        title={dialog ? titles[dialog] : ''}
        onCancel={() => setDialog(null)}
        onOk={() => void submit()}
        confirmLoading={busy}
        footer={dialog === 'comment' ? null : undefined}
        okButtonProps={{ danger: dialog === 'withdraw' || dialog === 'cancel' }}
        destroyOnHidden
      >
        {dialog === 'comment' ? (
          <CommentBox
            instanceId={instance.id}
            onDone={() => {
              setDialog(null);
              onDone();
            }}
          />
        ) : (
          <Form form={form} layout="vertical" preserve={false}>
            {(dialog === 'withdraw' || dialog === 'cancel') && (
              <Form.Item name="reason" label={t('case.reason')} rules={dialog === 'cancel' ? [{ required: true, message: t('case.reasonRequired') }] : []}>
                <Input.TextArea rows={3} maxLength={1000} />
              </Form.Item>
            )}
            {dialog === 'cc' && (
              <>
                <Form.Item name="userIds" label={t('case.ccTo')} rules={[{ required: true, message: t('case.ccRequired') }]}>
                  <PeoplePicker multiple />
                </Form.Item>
                <Form.Item name="needsSign" valuePropName="checked">
                  <Checkbox>{t('case.needsSign')}</Checkbox>
                </Form.Item>
              </>
            )}
            {(dialog === 'cc' || dialog === 'urge') && (
              <Form.Item name="note" label={t('case.note')}>
                <Input.TextArea rows={2} maxLength={1000} />
              </Form.Item>
            )}
          </Form>
        )}
      </Modal>
    </>
  );
}
