/**
 * An appointment service's time slots on a day the citizen picks, each with
 * the places left at the hall's queue machine. Beside an application, a slot
 * with places left is a button: picking it fills the application's day and
 * slot (the fields the server names), and the panel follows the day the
 * application holds. The machine still refuses a slot gone full meanwhile,
 * and the case says so.
 */
import { CheckOutlined } from '@ant-design/icons';
import { Alert, DatePicker, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { errorText, useLoad } from '../api/load.ts';
import { useI18n } from '../i18n/index.tsx';
import { Section } from './parts.tsx';

interface Slots {
  date: string;
  /** The application's fields a picked slot fills. */
  fields: { date: string | null; slot: string | null };
  items: Array<{ slot: string; quota: number; left: number }>;
}

/** Few places left from this many. */
const FEW = 3;

/** `application` and `fill`: the application beside the panel, and how to change it. */
export function SlotsPanel({ number, application, fill }: { number: string; application?: Record<string, unknown>; fill?(values: Record<string, string>): void }) {
  const { t } = useI18n();
  const [picked, setPicked] = useState<Dayjs>(() => dayjs().add(1, 'day'));
  const [fields, setFields] = useState<Slots['fields']>({ date: null, slot: null });
  // The day the application holds, once it holds one; else the one picked here.
  const held = fields.date ? application?.[fields.date] : undefined;
  const day = typeof held === 'string' && dayjs(held).isValid() ? dayjs(held) : picked;
  const date = day.format('YYYY-MM-DD');
  const chosen = fields.slot ? application?.[fields.slot] : undefined;
  const slots = useLoad(
    () =>
      api.get<Slots>(`/api/hall/services/${encodeURIComponent(number)}/slots`, { date }).then((s) => {
        setFields(s.fields);
        return s;
      }),
    [number, date],
  );
  const pickable = !!fill && !!slots.data?.fields.date && !!slots.data.fields.slot;
  const pick = (slot: string) => slots.data && fill?.({ [slots.data.fields.date!]: date, [slots.data.fields.slot!]: slot });
  const changeDay = (d: Dayjs) => {
    setPicked(d);
    // A new day: the application's day follows (the slots are the same each day).
    if (pickable && fields.date) fill?.({ [fields.date]: d.format('YYYY-MM-DD') });
  };

  return (
    <Section id="slots" title={t('portal.slots.title')}>
      <DatePicker
        value={day}
        onChange={(d) => d && changeDay(d)}
        allowClear={false}
        disabledDate={(d) => d.isBefore(dayjs(), 'day')}
        size="large"
        style={{ width: '100%', marginBottom: 8 }}
        aria-label={t('portal.slots.date')}
      />
      {pickable && <p className="portal-row-meta">{t('portal.slots.pick')}</p>}
      {slots.error ? <Alert type="warning" showIcon title={errorText(slots.error, t)} /> : null}
      {slots.data?.items.map((s) => {
        const tag = s.left === 0 ? <Tag color="red">{t('portal.slots.full')}</Tag> : <Tag color={s.left <= FEW ? 'orange' : 'green'}>{t('portal.slots.left', { count: s.left })}</Tag>;
        const isChosen = chosen === s.slot && held === date;
        if (!pickable || s.left === 0)
          return (
            <div key={s.slot} className="portal-row">
              <span className="portal-row-name">{s.slot}</span>
              {tag}
            </div>
          );
        return (
          <button key={s.slot} type="button" className={`portal-row portal-row-button${isChosen ? ' portal-row-chosen' : ''}`} aria-pressed={isChosen} onClick={() => pick(s.slot)}>
            <span className="portal-row-name">
              {isChosen && <CheckOutlined aria-hidden />} {s.slot}
            </span>
            {tag}
          </button>
        );
      })}
    </Section>
  );
}
