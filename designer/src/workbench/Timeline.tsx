/**
 * The case's history as people tell it: who did what at which node, when,
 * with the comment and files. Engine-level entries (activities, variables,
 * timers) are shown only on request.
 */
import { PaperClipOutlined } from '@ant-design/icons';
import { Space, Switch, Timeline as AntTimeline, Typography } from 'antd';
import { useState } from 'react';
import type { HistoryEntry } from '../api/records.ts';
import { useUserNames } from '../api/directory.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';

const PEOPLE_KINDS = new Set([
  'instance.start',
  'instance.end',
  'instance.cancel',
  'instance.withdraw',
  'instance.cc',
  'instance.supervise',
  'task.create',
  'task.claim',
  'task.unclaim',
  'task.complete',
  'task.transfer',
  'task.delegate',
  'task.resolve',
  'task.sign-add',
  'task.vote',
  'task.return',
  'task.urge',
  'task.overdue',
  'task.escalate',
  'comment',
  'incident.open',
]);

const COLORS: Record<string, string> = {
  'task.return': 'orange',
  'instance.cancel': 'red',
  'instance.withdraw': 'red',
  'task.overdue': 'red',
  'incident.open': 'red',
  'instance.end': 'green',
  'task.complete': 'green',
};

/** The comment and decision a history entry carries, wherever the kind keeps them. */
function said(entry: HistoryEntry): {
  decision?: boolean;
  text?: string;
  files?: string[];
} {
  const data = entry.data ?? {};
  const variables = (data.variables ?? {}) as Record<string, unknown>;
  const text = [data.text, data.reason, data.note, variables.comment, data.comment].find((v) => typeof v === 'string' && v.trim()) as string | undefined;
  const decision = typeof variables.approved === 'boolean' ? variables.approved : typeof data.approved === 'boolean' ? data.approved : undefined;
  const files = Array.isArray(data.files) ? (data.files as string[]) : undefined;
  return { decision, text, files };
}

export function CaseTimeline({ entries, nodeNames }: { entries: HistoryEntry[]; nodeNames: Record<string, string> }) {
  const { t, dateTime } = useI18n();
  const [all, setAll] = useState(false);
  const names = useUserNames(entries.flatMap((e) => [e.actor, ...(['to', 'userId', 'assignee'] as const).map((k) => (typeof e.data?.[k] === 'string' ? (e.data[k] as string) : null))]));
  const shown = all ? entries : entries.filter((e) => PEOPLE_KINDS.has(e.kind));
  const who = (id: string | null | undefined) => (id ? (names[id] ?? id) : t('history.system'));
  return (
    <div>
      <Space style={{ marginBottom: 12 }}>
        <Switch size="small" checked={all} onChange={setAll} aria-label={t('history.showAll')} />
        <Typography.Text type="secondary">{t('history.showAll')}</Typography.Text>
      </Space>
      <AntTimeline
        items={shown.map((entry) => {
          const { decision, text, files } = said(entry);
          const node = entry.activityId ? (nodeNames[entry.activityId] ?? entry.activityId) : '';
          const key = `history.${entry.kind}` as MessageKey;
          const label = t(key) === key ? entry.kind : t(key);
          const to = typeof entry.data?.to === 'string' ? who(entry.data.to) : typeof entry.data?.userId === 'string' ? who(entry.data.userId) : '';
          return {
            key: entry.id,
            color: decision === false ? 'red' : (COLORS[entry.kind] ?? 'blue'),
            content: (
              <div>
                {entry.kind === 'task.create' ? (
                  <div>
                    <Typography.Text strong>{t('common.quoted', { text: node })}</Typography.Text>
                    {typeof entry.data?.assignee === 'string' ? t('history.awaits', { name: who(entry.data.assignee) }) : t('history.awaitsClaim')}
                  </div>
                ) : (
                  <div>
                    <Typography.Text strong>{who(entry.actor)}</Typography.Text> {label}
                    {node && <Typography.Text type="secondary">{t('common.quoted', { text: node })}</Typography.Text>}
                    {to && ` → ${to}`}
                    {decision !== undefined && <Typography.Text type={decision ? 'success' : 'danger'}> · {t(decision ? 'task.approved' : 'task.rejected')}</Typography.Text>}
                  </div>
                )}
                {text && <Typography.Paragraph style={{ margin: '4px 0', whiteSpace: 'pre-wrap' }}>{text}</Typography.Paragraph>}
                {files?.map((id) => (
                  <div key={id}>
                    <a href={`/api/files/${encodeURIComponent(id)}`}>
                      <PaperClipOutlined /> {t('history.file')}
                    </a>
                  </div>
                ))}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {dateTime(entry.at)}
                </Typography.Text>
              </div>
            ),
          };
        })}
      />
    </div>
  );
}
