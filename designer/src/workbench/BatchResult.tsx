import { Alert, Modal, Table, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n/index.tsx';

export interface BatchOutcome {
  succeeded: number;
  failed: number;
  results: Array<{
    taskId: string;
    ok: boolean;
    task?: { name: string | null };
    error?: { message: string };
  }>;
}

/** What a batch approval did, task by task: the failures with the server's reason. */
export function BatchResult({ outcome, names, onClose }: { outcome: BatchOutcome | null; names: Record<string, string>; onClose(): void }) {
  const { t } = useI18n();
  return (
    <Modal open={!!outcome} title={t('list.batchResult')} onOk={onClose} onCancel={onClose} cancelButtonProps={{ style: { display: 'none' } }} width={640}>
      {outcome && (
        <>
          <Alert type={outcome.failed ? 'warning' : 'success'} showIcon title={t('list.batchSummary', { ok: outcome.succeeded, failed: outcome.failed })} style={{ marginBottom: 12 }} />
          <Table
            rowKey="taskId"
            size="small"
            pagination={false}
            dataSource={outcome.results}
            columns={[
              {
                title: t('list.col.task'),
                key: 'task',
                render: (_, r) => (r.ok ? (names[r.taskId] ?? r.task?.name ?? r.taskId) : <Link to={`/workbench/tasks/${r.taskId}`}>{names[r.taskId] ?? r.taskId}</Link>),
              },
              {
                title: t('list.col.outcome'),
                key: 'ok',
                render: (_, r) => (r.ok ? <Tag color="green">{t('list.batchOk')}</Tag> : <Tag color="red">{t('list.batchFailed')}</Tag>),
              },
              {
                title: t('list.col.reason'),
                key: 'reason',
                render: (_, r) => r.error?.message ?? '',
              },
            ]}
          />
        </>
      )}
    </Modal>
  );
}
