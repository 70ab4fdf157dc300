import { Tag } from 'antd';
import { useI18n } from '../i18n/index.tsx';

/** A task's due date, marked when near due (orange) or overdue (red). */
export function DueTag({ dueAt, dueState }: { dueAt: string | null; dueState: 'on-time' | 'near-due' | 'overdue' | null }) {
  const { t, dateTime, relative } = useI18n();
  if (!dueAt) return <span>{t('task.noDue')}</span>;
  const color = dueState === 'overdue' ? 'red' : dueState === 'near-due' ? 'orange' : undefined;
  return (
    // The exact time as the browser's own tooltip: twenty list rows need no tooltip component each.
    // suppressHydrationWarning: "in 3 hours" may have moved on between the server's render and the browser's.
    <span style={{ whiteSpace: 'nowrap' }} title={dateTime(dueAt)} suppressHydrationWarning>
      {color ? <Tag color={color}>{t(dueState === 'overdue' ? 'task.overdue' : 'task.nearDue')}</Tag> : null}
      {relative(dueAt)}
    </span>
  );
}
