/** The list's further filters: who started the case, and due dates. */
import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../i18n/index.tsx';
import { PeoplePicker } from '../forms/pickers.tsx';

interface Props {
  initiator?: string;
  dueAfter?: string;
  dueBefore?: string;
  onChange(patch: { initiator?: string; dueAfter?: string; dueBefore?: string }): void;
}

export default function MoreFilters({ initiator, dueAfter, dueBefore, onChange }: Props) {
  const { t } = useI18n();
  return (
    <>
      <div style={{ width: 300 }}>
        <PeoplePicker value={initiator} placeholder={t('list.initiator')} ariaLabel={t('list.initiator')} onChange={(v) => onChange({ initiator: typeof v === 'string' ? v : undefined })} />
      </div>
      <DatePicker.RangePicker
        aria-label={t('list.dueRange')}
        placeholder={[t('list.dueFrom'), t('list.dueTo')]}
        value={[dueAfter ? dayjs(dueAfter) : null, dueBefore ? dayjs(dueBefore) : null]}
        onChange={(dates) => onChange({ dueAfter: dates?.[0]?.startOf('day').toISOString(), dueBefore: dates?.[1]?.endOf('day').toISOString() })}
      />
    </>
  );
}
