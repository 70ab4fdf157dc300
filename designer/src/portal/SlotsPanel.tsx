/**
 * An appointment service's time slots on a day the citizen picks, each with
 * the places left at the hall's queue machine — before they choose a slot in
 * the form (the machine refuses a full one, and the case says so).
 */
import { Alert, DatePicker, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { errorText, useLoad } from '../api/load.ts';
import { useI18n } from '../i18n/index.tsx';
import { Section } from './parts.tsx';

interface Slots {
  date: string;
  items: Array<{ slot: string; quota: number; left: number }>;
}

/** Few places left from this many. */
const FEW = 3;

export function SlotsPanel({ number }: { number: string }) {
  const { t } = useI18n();
  const [day, setDay] = useState<Dayjs>(() => dayjs().add(1, 'day'));
  const date = day.format('YYYY-MM-DD');
  const slots = useLoad(() => api.get<Slots>(`/api/hall/services/${encodeURIComponent(number)}/slots`, { date }), [number, date]);
  return (
    <Section id="slots" title={t('portal.slots.title')}>
      <DatePicker
        value={day}
        onChange={(d) => d && setDay(d)}
        allowClear={false}
        disabledDate={(d) => d.isBefore(dayjs(), 'day')}
        size="large"
        style={{ width: '100%', marginBottom: 8 }}
        aria-label={t('portal.slots.date')}
      />
      {slots.error ? <Alert type="warning" showIcon title={errorText(slots.error, t)} /> : null}
      {slots.data?.items.map((s) => (
        <div key={s.slot} className="portal-row">
          <span className="portal-row-name">{s.slot}</span>
          {s.left === 0 ? <Tag color="red">{t('portal.slots.full')}</Tag> : <Tag color={s.left <= FEW ? 'orange' : 'green'}>{t('portal.slots.left', { count: s.left })}</Tag>}
        </div>
      ))}
    </Section>
  );
}
