/**
 * The plain widgets: text of every kind (with the Chinese formats' input
 * help), numbers and money, dates, choices, the switch and computed values.
 */
import { Checkbox, DatePicker, Grid, Input, InputNumber, Radio, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, type ReactNode } from 'react';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { choicesOf, typeOf, type Choice } from './schema.ts';
import type { WidgetProps } from './types.ts';

const text = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));
const orUndefined = (value: string) => (value === '' ? undefined : value);
const status = (p: WidgetProps) => (p.invalid ? ('error' as const) : undefined);

function usePlaceholder(p: WidgetProps, fallback: MessageKey): string {
  const i18n = useI18n();
  return p.ui?.placeholder ? i18n.text(p.ui.placeholder) : i18n.t(fallback);
}

/** Text with a format's input help: what it accepts, how long, upper case where the format wants it. */
const FORMATTED: Partial<
  Record<WidgetProps['widget'], { placeholder: MessageKey; maxLength?: number; inputMode?: 'numeric' | 'tel' | 'email' | 'text'; upper?: boolean; type?: string; width?: number }>
> = {
  text: { placeholder: 'form.placeholder.input' },
  idNumber: { placeholder: 'form.placeholder.idNumber', maxLength: 18, upper: true, width: 320 },
  mobile: { placeholder: 'form.placeholder.mobile', maxLength: 11, inputMode: 'tel', type: 'tel', width: 320 },
  plate: { placeholder: 'form.placeholder.plate', maxLength: 9, upper: true, width: 320 },
  postcode: { placeholder: 'form.placeholder.postcode', maxLength: 6, inputMode: 'numeric', width: 200 },
  email: { placeholder: 'form.placeholder.email', inputMode: 'email', type: 'email', width: 420 },
  region: { placeholder: 'form.placeholder.regionCode', maxLength: 6, inputMode: 'numeric', width: 200 },
};

export function TextWidget(p: WidgetProps) {
  const spec = FORMATTED[p.widget] ?? FORMATTED.text!;
  const placeholder = usePlaceholder(p, spec.placeholder);
  const maxLength = typeof p.schema.maxLength === 'number' && p.schema.maxLength < 2000 ? p.schema.maxLength : spec.maxLength;
  return (
    <Input
      id={p.id}
      aria-label={p.ariaLabel}
      value={text(p.value)}
      onChange={(e) => p.onChange(orUndefined(spec.upper ? e.target.value.toUpperCase() : e.target.value))}
      onBlur={p.onBlur}
      disabled={p.disabled}
      placeholder={placeholder}
      maxLength={maxLength}
      inputMode={spec.inputMode}
      type={spec.type}
      autoComplete="off"
      status={status(p)}
      allowClear={!p.disabled}
      style={spec.width ? { maxWidth: spec.width } : undefined}
    />
  );
}

export function TextareaWidget(p: WidgetProps) {
  const placeholder = usePlaceholder(p, 'form.placeholder.input');
  const maxLength = typeof p.schema.maxLength === 'number' ? p.schema.maxLength : undefined;
  return (
    <Input.TextArea
      id={p.id}
      aria-label={p.ariaLabel}
      value={text(p.value)}
      onChange={(e) => p.onChange(orUndefined(e.target.value))}
      onBlur={p.onBlur}
      disabled={p.disabled}
      placeholder={placeholder}
      maxLength={maxLength}
      showCount={!p.disabled && maxLength !== undefined && maxLength <= 2000}
      autoSize={{ minRows: 3, maxRows: 10 }}
      status={status(p)}
    />
  );
}

/** Numbers as typed (the schema's bounds are the validation's to explain, not the control's to clamp). */
export function NumberWidget(p: WidgetProps) {
  const placeholder = usePlaceholder(p, 'form.placeholder.input');
  const unit = typeof p.schema['x-unit'] === 'string' ? p.schema['x-unit'] : undefined;
  const money = p.widget === 'money';
  return (
    <InputNumber<number>
      id={p.id}
      aria-label={p.ariaLabel}
      value={typeof p.value === 'number' ? p.value : null}
      onChange={(v) => p.onChange(v ?? undefined)}
      onBlur={p.onBlur}
      disabled={p.disabled}
      placeholder={placeholder}
      style={{ width: '100%', maxWidth: 320 }}
      precision={money ? 2 : p.widget === 'integer' || typeOf(p.schema) === 'integer' ? 0 : undefined}
      step={money ? 0.01 : 1}
      prefix={money ? '¥' : undefined}
      suffix={!money && unit ? unit : undefined}
      inputMode="decimal"
      status={status(p)}
    />
  );
}

const DATE = 'YYYY-MM-DD';
const parse = (value: unknown): Dayjs | null => {
  if (typeof value !== 'string' || !value) return null;
  const d = dayjs(value);
  return d.isValid() ? d : null;
};

export function DateWidget(p: WidgetProps) {
  const placeholder = usePlaceholder(p, 'form.placeholder.date');
  const screens = Grid.useBreakpoint();
  const withTime = p.widget === 'datetime';
  const value = useMemo(() => parse(p.value), [p.value]);
  return (
    <DatePicker
      id={p.id}
      aria-label={p.ariaLabel}
      value={value}
      onChange={(d) => p.onChange(d ? (withTime ? d.format() : d.format(DATE)) : undefined)}
      onBlur={p.onBlur}
      disabled={p.disabled}
      placeholder={placeholder}
      showTime={withTime ? { format: 'HH:mm' } : false}
      format={withTime ? 'YYYY-MM-DD HH:mm' : DATE}
      style={{ width: '100%', maxWidth: 320 }}
      status={status(p)}
      inputReadOnly={!screens.md}
    />
  );
}

/** `x-date-range`: { start, end } as dates. */
export function DateRangeWidget(p: WidgetProps) {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const range = (p.value && typeof p.value === 'object' ? p.value : {}) as { start?: unknown; end?: unknown };
  // The same value while it is the same: a new one would throw away a start typed but not yet confirmed.
  const value = useMemo(() => [parse(range.start), parse(range.end)] as [Dayjs | null, Dayjs | null], [range.start, range.end]);
  return (
    <DatePicker.RangePicker
      id={p.id}
      aria-label={p.ariaLabel}
      value={value}
      onChange={(dates) => {
        const [start, end] = dates ?? [];
        p.onChange(start || end ? { ...(start && { start: start.format(DATE) }), ...(end && { end: end.format(DATE) }) } : undefined);
      }}
      onBlur={p.onBlur}
      disabled={p.disabled}
      placeholder={[t('form.placeholder.start'), t('form.placeholder.end')]}
      format={DATE}
      style={{ width: '100%', maxWidth: 420 }}
      status={status(p)}
      inputReadOnly={!screens.md}
    />
  );
}

/** The choices to offer: retired dictionary items only when already chosen. */
function offered(choices: Choice[], value: unknown): Choice[] {
  const chosen = Array.isArray(value) ? value : [value];
  return choices.filter((c) => !c.retired || chosen.includes(c.value));
}

function useChoices(p: WidgetProps): Choice[] {
  const { locale, t } = useI18n();
  return offered(choicesOf(p.schema, p.dictionaries, locale, [t('form.yes'), t('form.no')]), p.value);
}

export function SelectWidget(p: WidgetProps) {
  const placeholder = usePlaceholder(p, 'form.placeholder.select');
  const choices = useChoices(p);
  const multiple = typeOf(p.schema) === 'array';
  const options = choices.map((c) => ({ value: c.value as string, label: c.label, disabled: c.retired }));
  return (
    <Select
      id={p.id}
      aria-label={p.ariaLabel}
      mode={multiple ? 'multiple' : undefined}
      value={(multiple ? (Array.isArray(p.value) ? p.value : []) : (p.value ?? undefined)) as string}
      onChange={(v: unknown) => p.onChange(Array.isArray(v) && v.length === 0 ? undefined : (v ?? undefined))}
      onBlur={p.onBlur}
      disabled={p.disabled}
      placeholder={placeholder}
      options={options}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      style={{ width: '100%', maxWidth: multiple ? undefined : 420 }}
      status={status(p)}
      loading={p.dictionaries === null && typeof (p.schema['x-dictionary'] ?? p.schema.items?.['x-dictionary']) === 'string'}
    />
  );
}

export function RadioWidget(p: WidgetProps) {
  const choices = useChoices(p);
  return (
    <Radio.Group
      id={p.id}
      aria-label={p.ariaLabel}
      value={p.value}
      onChange={(e) => p.onChange(e.target.value as unknown)}
      disabled={p.disabled}
      options={choices.map((c) => ({ value: c.value, label: c.label, disabled: c.retired }))}
    />
  );
}

/** A list of choices (an array), or one tick for a yes/no field. */
export function CheckboxWidget(p: WidgetProps) {
  const choices = useChoices(p);
  if (typeOf(p.schema) === 'boolean') {
    return (
      <Checkbox id={p.id} aria-label={p.ariaLabel} checked={p.value === true} onChange={(e) => p.onChange(e.target.checked)} disabled={p.disabled}>
        {p.label}
      </Checkbox>
    );
  }
  const value = Array.isArray(p.value) ? p.value : [];
  return (
    <div id={p.id}>
      <Checkbox.Group
        value={value as string[]}
        onChange={(v) => p.onChange(v.length ? v : undefined)}
        disabled={p.disabled}
        options={choices.map((c) => ({ value: c.value as string, label: c.label, disabled: c.retired }))}
      />
    </div>
  );
}

export function SwitchWidget(p: WidgetProps) {
  const { t } = useI18n();
  return (
    <Switch id={p.id} aria-label={p.ariaLabel} checked={p.value === true} onChange={(on) => p.onChange(on)} disabled={p.disabled} checkedChildren={t('form.yes')} unCheckedChildren={t('form.no')} />
  );
}

/** A computed value: read-only, as the server computes it, as the user types. */
export function ComputedWidget(p: WidgetProps) {
  const { t, money } = useI18n();
  const unit = typeof p.schema['x-unit'] === 'string' ? p.schema['x-unit'] : '';
  const isMoney = p.schema.format === 'money' || unit === '元'; // a unit in form schemas, not shown
  let shown: ReactNode = '';
  if (typeof p.value === 'number') shown = isMoney ? money(p.value) : `${p.value}${unit ? ` ${unit}` : ''}`;
  else if (p.value !== undefined && p.value !== null) shown = text(p.value);
  // A computed text (an address to post to) is shown whole, on as many lines as it takes.
  if (p.schema.type === 'string')
    return <Input.TextArea id={p.id} aria-label={p.ariaLabel} value={shown as string} readOnly variant="filled" autoSize placeholder={t('form.computed.pending')} status={status(p)} aria-readonly />;
  return (
    <Input id={p.id} aria-label={p.ariaLabel} value={shown as string} readOnly variant="filled" placeholder={t('form.computed.pending')} style={{ maxWidth: 320 }} status={status(p)} aria-readonly />
  );
}
