/** A comment with files on a case (评论): the text, and files uploaded first, then named in the comment. */
import { PaperClipOutlined } from '@ant-design/icons';
import { App, Button, Input, Space, Upload } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';

export function CommentBox({ instanceId, onDone }: { instanceId: string; onDone(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [files, setFiles] = useState<
    Array<{
      uid: string;
      name: string;
      id?: string;
      percent?: number;
      status?: 'uploading' | 'done' | 'error';
    }>
  >([]);
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    try {
      await api.post(`/api/instances/${instanceId}/comments`, {
        text: text.trim(),
        fileIds: files.filter((f) => f.id).map((f) => f.id),
      });
      setText('');
      setFiles([]);
      message.success(t('case.commented'));
      onDone();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : t('error.network'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Input.TextArea rows={3} maxLength={4000} showCount value={text} onChange={(e) => setText(e.target.value)} placeholder={t('case.commentPlaceholder')} aria-label={t('case.comment')} />
      <Upload
        fileList={files}
        customRequest={({ file, onProgress, onSuccess, onError }) => {
          api
            .upload<{ id: string }>('/api/files', file as File, (percent) => onProgress?.({ percent }))
            .then(
              (uploaded) => {
                setFiles((list) => list.map((f) => (f.uid === (file as { uid: string }).uid ? { ...f, id: uploaded.id, status: 'done' } : f)));
                onSuccess?.(uploaded);
              },
              (err: unknown) => {
                message.error(err instanceof ApiError ? err.message : t('error.network'));
                onError?.(err as Error);
              },
            );
        }}
        onChange={({ fileList }) =>
          setFiles((old) =>
            fileList.map((f) => ({
              uid: f.uid,
              name: f.name,
              percent: f.percent,
              status: f.status === 'removed' ? 'error' : f.status,
              id: old.find((o) => o.uid === f.uid)?.id,
            })),
          )
        }
      >
        <Button icon={<PaperClipOutlined />}>{t('case.attach')}</Button>
      </Upload>
      <Button type="primary" disabled={!text.trim() || files.some((f) => f.status === 'uploading')} loading={busy} onClick={() => void send()}>
        {t('case.sendComment')}
      </Button>
    </Space>
  );
}
