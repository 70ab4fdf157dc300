/**
 * SLA tables (definitions/sla/*.json): a task's time limit picked by a case
 * variable (priority P1–P4), each row on its own working calendar, with a
 * reminder before the due time and escalation steps at shares of the time:
 *
 *   { "key": "incident-resolution", "name": { "zh-CN": "事件解决时限", "en": "Incident resolution" },
 *     "by": "priority",
 *     "rows": { "P1": { "duration": "PT1H", "calendar": "7x24" }, "P3": { "duration": "PT3H", "calendar": "office-hours" } },
 *     "remindBefore": "PT15M",
 *     "escalations": [ { "at": "50%", "action": "reassign", "to": "role:second-line" },
 *                      { "at": "100%", "action": "notify", "to": "role:management" } ] }
 *
 * `to` is an assignee rule (see org/assignee-rules.ts). Every mistake is refused naming its field.
 */
import { t, Explained, explain, invalid, type LocalizedText } from '../errors.ts';
import { parseRules } from '../org/assignee-rules.ts';
import { shareOf } from './due-state.ts';
import { list, object as record, readKey } from './read-calendar.ts';
import { addDuration, addWorkingTime, ALWAYS, workingTimeBetween, type WorkingCalendar } from './working-calendar.ts';

export interface SlaRow {
  duration: string;
  calendar: string;
}

export interface Escalation {
  /** Share of the SLA's working time (0.5 = half of it used; 1 = due). */
  at: number;
  /** reassign: the task goes to the people `to` names (as candidates); notify: they are told. */
  action: 'reassign' | 'notify';
  to: string;
}

export interface SlaTable {
  key: string;
  name: LocalizedText;
  by: string;
  rows: Record<string, SlaRow>;
  /** Working time before the due time when the holder is reminded (ms); null: no reminder. */
  remindBeforeMs: number | null;
  escalations: Escalation[];
}

/** A point on a task's SLA clock where something happens: a reminder, or an escalation step. */
export type SlaAlarm = { action: 'remind'; at: number } | { action: 'escalate'; at: number; step: number };

/** What rings on a task's clock: its SLA's alarms, and the moment it is overdue. */
export type TaskAlarm = SlaAlarm | { action: 'overdue'; at: number };

const HOURS_MINUTES = /^PT(?:(\d+)H)?(?:(\d+)M)?$/;

export function readSlaTable(input: unknown, isCalendar: (key: string) => boolean): SlaTable {
  const source = record(input, 'sla');
  const key = readKey(source.key);
  const name = record(source.name, 'name');
  if (typeof name['zh-CN'] !== 'string' || typeof name.en !== 'string') throw invalid('name', 'required', t('需要中文和英文名称', 'needs a zh-CN and an en name'));
  if (typeof source.by !== 'string' || !/^[A-Za-z_$][\w$]{0,127}$/.test(source.by)) throw invalid('by', 'pattern', t('应为变量名', 'should be a variable name'));
  const rows: Record<string, SlaRow> = {};
  for (const [value, raw] of Object.entries(record(source.rows, 'rows'))) {
    const row = record(raw, `rows.${value}`);
    if (typeof row.duration !== 'string') throw invalid(`rows.${value}.duration`, 'required', t('必填（如 PT4H、P3D）', 'is required (e.g. PT4H, P3D)'));
    const calendar = typeof row.calendar === 'string' ? row.calendar : '7x24';
    if (!isCalendar(calendar)) throw invalid(`rows.${value}.calendar`, 'exists', t(`工作日历 ${calendar} 不存在`, `there is no working calendar ${calendar}`));
    try {
      addDuration(ALWAYS, 0, row.duration);
    } catch (err) {
      const why = explain(err, '应为 ISO 8601 时长，如 PT4H、P3D');
      throw invalid(`rows.${value}.duration`, 'format', t(`不是可用的时长：${why['zh-CN']}`, `is not a usable duration: ${why.en}`));
    }
    rows[value] = { duration: row.duration, calendar };
  }
  if (!Object.keys(rows).length) throw invalid('rows', 'required', t('至少需要一行', 'needs at least one row'));
  let remindBeforeMs: number | null = null;
  if (source.remindBefore !== undefined) {
    const m = typeof source.remindBefore === 'string' ? HOURS_MINUTES.exec(source.remindBefore) : null;
    if (!m || (!m[1] && !m[2])) throw invalid('remindBefore', 'format', t('应为小时和分钟的时长，如 PT2H、PT30M', 'should be hours and minutes, e.g. PT2H, PT30M'));
    remindBeforeMs = (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60_000;
  }
  const escalations = list(source.escalations ?? [], 'escalations').map((raw, i): Escalation => {
    const field = `escalations[${i}]`;
    const e = record(raw, field);
    const share = typeof e.at === 'string' ? /^(\d{1,3})%$/.exec(e.at) : null;
    if (!share || Number(share[1]) < 1 || Number(share[1]) > 300) throw invalid(`${field}.at`, 'format', t('应为百分比，如 50%、100%', 'should be a share such as 50% or 100%'));
    if (e.action !== 'reassign' && e.action !== 'notify') throw invalid(`${field}.action`, 'enum', t('应为 reassign 或 notify', 'should be reassign or notify'));
    if (typeof e.to !== 'string') throw invalid(`${field}.to`, 'required', t('必填：办理人规则，如 role:second-line', 'is required: an assignee rule such as role:second-line'));
    try {
      parseRules(e.to);
    } catch (err) {
      const why = explain(err, '格式不对');
      throw invalid(`${field}.to`, 'rule', t(`不是办理人规则：${why['zh-CN']}`, `is not an assignee rule: ${why.en}`));
    }
    return { at: Number(share[1]) / 100, action: e.action, to: e.to };
  });
  return { key, name: { 'zh-CN': name['zh-CN'], en: name.en }, by: source.by, rows, remindBeforeMs, escalations: escalations.sort((a, b) => a.at - b.at) };
}

/** The row for a case: its `by` variable's value. */
export function slaRow(table: SlaTable, variables: Record<string, unknown>): SlaRow {
  const value = variables[table.by];
  const row = table.rows[String(value)];
  if (!row) throw new Explained(t(`时限表 ${table.key} 中没有 ${table.by} = ${JSON.stringify(value ?? null)} 的行（已有：${Object.keys(table.rows).join('、')}）`, `SLA table ${table.key} has no row for ${table.by} = ${JSON.stringify(value ?? null)} (rows: ${Object.keys(table.rows).join(', ')})`));
  return row;
}

/** The clocks of a task created at `from`, due at `dueAt`: the reminder, then each escalation step. */
export function clocksOf(table: SlaTable, calendar: WorkingCalendar, from: number, dueAt: number): SlaAlarm[] {
  const clocks: SlaAlarm[] = [];
  const total = workingTimeBetween(calendar, from, dueAt);
  if (table.remindBeforeMs !== null && total > table.remindBeforeMs) clocks.push({ action: 'remind', at: addWorkingTime(calendar, from, total - table.remindBeforeMs) });
  table.escalations.forEach((e, step) => clocks.push({ action: 'escalate', step, at: shareOf(calendar, from, dueAt, e.at) }));
  return clocks;
}

export class SlaRegistry {
  readonly #tables = new Map<string, SlaTable>();

  register(table: SlaTable): this {
    this.#tables.set(table.key, table);
    return this;
  }

  get(key: string): SlaTable | undefined {
    return this.#tables.get(key);
  }

  keys(): string[] {
    return [...this.#tables.keys()].sort();
  }
}
