/**
 * The inbox operations on one task beyond approving: return (to the nodes the
 * definition allows), transfer, delegate, add a signer before or after, and
 * giving back a claimed task.
 */
import { App, Button, Dropdown, Form, Input, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../api/client.ts';
import type { Task } from '../api/records.ts';
import { useI18n } from '../i18n/index.tsx';
import { inboxChanged } from '../shell/usePolling.ts';
import { PeoplePicker } from '../forms/pickers.tsx';

type Operation = 'return' | 'transfer' | 'delegate' | 'signer' | 'unclaim';

export function TaskOperations({ task, onDone }: { task: Task; onDone(text: string, leave: boolean): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState<Operation | null>(null);
  const [targets, setTargets] = useState<Array<{ activityId: string; name: string | null }>>([]);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();

  const start = async (op: Operation) => {
    if (op === 'unclaim') {
      await run(() => api.post(`/api/tasks/${task.id}/unclaim`, {}), t('task.unclaimed'), true);
      return;
    }
    if (op === 'return') {
      try {
        const { items } = await api.get<{
          items: Array<{ activityId: string; name: string | null }>;
        }>(`/api/tasks/${task.id}/return-targets`);
        if (!items.length) return void message.warning(t('task.noReturnTarget'));
        setTargets(items);
        form.setFieldsValue({ to: items.at(-1)?.activityId });
      } catch (err) {
        return void message.error(err instanceof ApiError ? err.message : t('error.network'));
      }
    }
    setOpen(op);
  };
  const run = async (call: () => Promise<unknown>, done: string, leave: boolean) => {
    setBusy(true);
    try {
      await call();
      setOpen(null);
      inboxChanged();
      onDone(done, leave);
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : t('error.network'));
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    const v = (await form.validateFields()) as {
      to?: string;
      reason?: string;
      userId?: string;
      position?: 'before' | 'after';
    };
    if (open === 'return')
      await run(
        () =>
          api.post(`/api/tasks/${task.id}/return`, {
            to: v.to,
            reason: v.reason,
          }),
        t('task.returned'),
        true,
      );
    if (open === 'transfer')
      await run(
        () =>
          api.post(`/api/tasks/${task.id}/transfer`, {
            userId: v.userId,
            reason: v.reason || null,
          }),
        t('task.transferred'),
        true,
      );
    if (open === 'delegate')
      await run(
        () =>
          api.post(`/api/tasks/${task.id}/delegate`, {
            userId: v.userId,
            reason: v.reason || null,
          }),
        t('task.delegated'),
        true,
      );
    if (open === 'signer')
      await run(
        () =>
          api.post(`/api/tasks/${task.id}/signers`, {
            userId: v.userId,
            position: v.position,
          }),
        t('task.signerAdded'),
        v.position === 'before',
      );
  };
  const titles: Record<Exclude<Operation, 'unclaim'>, string> = {
    return: t('task.return'),
    transfer: t('task.transfer'),
    delegate: t('task.delegate'),
    signer: t('task.addSigner'),
  };

  return (
    <>
      <Dropdown
        menu={{
          items: [
            { key: 'return', label: t('task.return') },
            { key: 'transfer', label: t('task.transfer') },
            { key: 'delegate', label: t('task.delegate') },
            { key: 'signer', label: t('task.addSigner') },
            ...(task.candidateUsers.length + task.candidateGroups.length > 0 || task.claimedAt ? [{ key: 'unclaim', label: t('task.unclaim') }] : []),
          ],
          onClick: ({ key }) => void start(key as Operation),
        }}
      >
        <Button>{t('task.moreOperations')}</Button>
      </Dropdown>
      <Modal
        open={open !== null && open !== 'unclaim'}
        title={open && open !== 'unclaim' ? titles[open] : ''}
        onCancel={() => setOpen(null)}
        onOk={() => void submit()}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} initialValues={{ position: 'after', to: targets.at(-1)?.activityId }}>
          {open === 'return' && (
            <Form.Item name="to" label={t('task.returnTo')} rules={[{ required: true }]}>
              <Select
                options={targets.map((n) => ({
                  value: n.activityId,
                  label: n.name ?? n.activityId,
                }))}
              />
            </Form.Item>
          )}
          {(open === 'transfer' || open === 'delegate' || open === 'signer') && (
            <Form.Item
              name="userId"
              label={t(open === 'signer' ? 'task.signer' : open === 'transfer' ? 'task.transferTo' : 'task.delegateTo')}
              rules={[{ required: true, message: t('task.pickSomeone') }]}
            >
              <PeoplePicker />
            </Form.Item>
          )}
          {open === 'signer' && (
            <Form.Item name="position" label={t('task.signerPosition')}>
              <Radio.Group
                options={[
                  { value: 'before', label: t('task.signerBefore') },
                  { value: 'after', label: t('task.signerAfter') },
                ]}
              />
            </Form.Item>
          )}
          {open !== 'signer' && (
            <Form.Item name="reason" label={t('task.reason')} rules={open === 'return' ? [{ required: true, message: t('task.reasonRequired') }] : []}>
              <Input.TextArea rows={3} maxLength={1000} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
