/**
 * A timer in words, as the properties panel shows it under the timer's
 * value: "3 天后", "每 10 分钟，共 3 次", "每个工作日 09:00" (Camunda's cron,
 * seconds first), "2026-12-31 09:00". What it cannot read is said so.
 */
import type { MessageKey } from '../../i18n/zh-CN.ts';

type T = (key: MessageKey, values?: Record<string, string | number>) => string;

/** The parts of an ISO 8601 duration, in the order its pattern captures them. */
const UNITS: MessageKey[] = [
  'designer.timer.years',
  'designer.timer.months',
  'designer.timer.weeks',
  'designer.timer.days',
  'designer.timer.hours',
  'designer.timer.minutes',
  'designer.timer.seconds',
];
const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** An ISO 8601 duration in words (P1DT2H → 1 天 2 小时), or null when it is not one. */
export function duration(text: string, t: T): string | null {
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return null;
  const parts = UNITS.flatMap((key, i) => (m[i + 1] ? [t(key, { n: Number(m[i + 1]) })] : []));
  return parts.length ? parts.join(t('designer.timer.join')) : null;
}

const DAYS: Record<string, MessageKey> = {
  'MON-FRI': 'designer.timer.workdays',
  '*': 'designer.timer.everyDay',
  '?': 'designer.timer.everyDay',
  'SAT,SUN': 'designer.timer.weekends',
};

/** Camunda's cron (seconds minutes hours day-of-month month day-of-week) in words, when it is a daily time. */
function cron(text: string, t: T): string | null {
  const fields = text.trim().split(/\s+/);
  if (fields.length < 6) return null;
  const [sec, min, hour, dom, month, dow] = fields;
  if (!/^\d+$/.test(min!) || !/^\d+$/.test(hour!) || sec !== '0' || month !== '*') return null;
  const at = `${hour!.padStart(2, '0')}:${min!.padStart(2, '0')}`;
  if (dom === '?' || dom === '*') {
    const days = DAYS[dow!.toUpperCase()];
    if (days) return t(days, { at });
  }
  if (/^\d+$/.test(dom!) && (dow === '?' || dow === '*')) return t('designer.timer.monthly', { day: Number(dom), at });
  return null;
}

export function describeTimer(kind: 'timeDuration' | 'timeCycle' | 'timeDate', text: string, t: T): string {
  const value = text.trim();
  if (!value) return t('designer.timer.empty');
  if (value.includes('${')) return t('designer.timer.expression');
  if (kind === 'timeDuration') {
    const d = duration(value, t);
    return d ? t('designer.timer.after', { duration: d }) : t('designer.timer.unknown');
  }
  if (kind === 'timeDate') {
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value);
    return m ? t('designer.timer.on', { date: m[1]!, time: m[2]! }) : t('designer.timer.unknown');
  }
  const repeat = /^R(\d*)\/(?:[^/]+\/)?(P[^/]+)$/.exec(value);
  if (repeat) {
    const d = duration(repeat[2]!, t);
    if (!d) return t('designer.timer.unknown');
    return repeat[1] ? t('designer.timer.everyTimes', { duration: d, times: Number(repeat[1]) }) : t('designer.timer.every', { duration: d });
  }
  return cron(value, t) ?? t('designer.timer.cron', { cron: value });
}

/** An SLA table in words: its limits by a variable's value, the reminder, the escalation steps. */
export function describeSla(
  table: { by: string; rows: Record<string, { duration: string; calendar: string }>; remindBeforeMs: number | null; escalations: Array<{ at: number; action: 'reassign' | 'notify'; to: string }> },
  t: T,
): string[] {
  const minutes = (ms: number) => duration(`PT${Math.round(ms / 60_000)}M`, t) ?? `${ms} ms`;
  return [
    t('designer.sla.rows', {
      by: table.by,
      rows: Object.entries(table.rows)
        .map(([value, row]) => t('designer.sla.row', { value, duration: duration(row.duration, t) ?? row.duration, calendar: row.calendar }))
        .join(t('designer.sla.separator')),
    }),
    table.remindBeforeMs === null ? t('designer.sla.noReminder') : t('designer.sla.reminder', { before: minutes(table.remindBeforeMs) }),
    ...table.escalations.map((e) => t(`designer.sla.${e.action}`, { at: `${Math.round(e.at * 100)}%`, to: e.to })),
  ];
}
