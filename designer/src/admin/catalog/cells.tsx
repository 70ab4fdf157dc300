/**
 * One cell's control, chosen by its column's type: a choice list for an enum,
 * a switch for yes/no, a number box for numbers and money, a list of the
 * referenced rows for a code or list that refers to another table, tags for
 * a free list, a text box (growing for long texts) otherwise.
 */
import { AutoComplete, Input, InputNumber, Select, Switch, Typography } from 'antd';
import { memo } from 'react';
import { useI18n } from '../../i18n/index.tsx';
import type { ColumnSpec } from './types.ts';

/** A row another cell may refer to: its code (or number) and its name. */
export interface RefOption {
  value: string | number;
  label: string;
  /** What the list is searched by: the name and the code. */
  search: string;
}

export interface CellInputProps {
  column: ColumnSpec;
  value: unknown;
  onChange(value: unknown): void;
  /** The rows the cell may refer to. */
  options?: RefOption[];
  /** The options only suggest (the cell may hold another value). */
  suggest?: boolean;
  /** The control's accessible name. */
  label: string;
  id?: string;
  invalid?: boolean;
  disabled?: boolean;
  size?: 'small' | 'middle';
}

/** Texts longer than this get a box that grows with them. */
const LONG_TEXT = 100;

const optionView = (o: RefOption) => ({ value: o.value, label: o.label, search: o.search });

function renderOption(option: { data: { label?: unknown; value?: unknown } }) {
  const { label, value } = option.data;
  return (
    <span style={{ display: 'flex', gap: 8, justifyContent: 'space-between' }}>
      <span>{String(label)}</span>
      {String(label) !== String(value) && <span className="wf-secondary">{String(value)}</span>}
    </span>
  );
}

export const CellInput = memo(function CellInput({ column, value, onChange, options, suggest, label, id, invalid, disabled, size = 'small' }: CellInputProps) {
  const { text } = useI18n();
  const status = invalid ? 'error' : undefined;
  const common = { id, 'aria-label': label, disabled, size, status } as const;
  const search = { optionFilterProp: 'search' };
  /** One of the referenced rows (a node number, a code). */
  const refSelect = (choices: RefOption[], chosen: string | number | null) => (
    <Select
      {...common}
      style={{ width: '100%' }}
      showSearch={search}
      allowClear={!column.required}
      value={chosen}
      onChange={(v: string | number | undefined) => onChange(v ?? null)}
      options={choices.map(optionView)}
      optionRender={renderOption}
      popupMatchSelectWidth={false}
    />
  );

  switch (column.type) {
    case 'bool':
      return <Switch id={id} size="small" aria-label={label} checked={value === true} disabled={disabled} onChange={(on) => onChange(on)} />;
    case 'enum':
      return (
        <Select
          {...common}
          style={{ width: '100%' }}
          allowClear={!column.required}
          value={typeof value === 'string' ? value : null}
          onChange={(v: string | undefined) => onChange(v ?? null)}
          options={(column.values ?? []).map((v) => ({ value: v.value, label: text(v.label) }))}
          popupMatchSelectWidth={false}
        />
      );
    case 'list':
      return (
        <Select
          {...common}
          style={{ width: '100%' }}
          mode={options && !suggest ? 'multiple' : 'tags'}
          showSearch={search}
          value={Array.isArray(value) ? value : []}
          onChange={(v: string[]) => onChange(v)}
          options={options?.map(optionView)}
          optionRender={renderOption}
          tokenSeparators={[',', '\uff0c']}
          popupMatchSelectWidth={false}
          maxTagCount="responsive"
        />
      );
    case 'int':
    case 'money':
      if (options && column.type === 'int') return refSelect(options, typeof value === 'number' ? value : null);
      return (
        <InputNumber
          {...common}
          style={{ width: '100%' }}
          controls={false}
          prefix={column.type === 'money' ? '¥' : undefined}
          value={typeof value === 'number' ? value : null}
          onChange={(v) => onChange(typeof v === 'number' ? v : null)}
        />
      );
    case 'code':
      if (options && !suggest) return refSelect(options, typeof value === 'string' ? value : null);
      if (options)
        return (
          <AutoComplete
            {...common}
            style={{ width: '100%' }}
            value={typeof value === 'string' ? value : ''}
            onChange={(v: string) => onChange(v)}
            options={options.map((o) => ({ value: String(o.value), label: renderOption({ data: o }) }))}
            showSearch={{
              filterOption: (input, option) =>
                String(option?.value ?? '')
                  .toLowerCase()
                  .includes(input.toLowerCase()),
            }}
            popupMatchSelectWidth={false}
          />
        );
      return <Input {...common} value={typeof value === 'string' ? value : value == null ? '' : String(value)} onChange={(e) => onChange(e.target.value)} spellCheck={false} />;
    case 'text':
      if ((column.max ?? 0) > LONG_TEXT)
        return (
          <Input.TextArea
            {...common}
            autoSize={{ minRows: 1, maxRows: size === 'small' ? 3 : 8 }}
            value={typeof value === 'string' ? value : value == null ? '' : String(value)}
            onChange={(e) => onChange(e.target.value)}
          />
        );
      return <Input {...common} value={typeof value === 'string' ? value : value == null ? '' : String(value)} onChange={(e) => onChange(e.target.value)} />;
  }
});

/** A cell shown, not edited (for those who may only read, and in the change log). */
export function CellText({ column, value, options }: { column: ColumnSpec; value: unknown; options?: RefOption[] }) {
  const { t, text, money } = useI18n();
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return <Typography.Text type="secondary">—</Typography.Text>;
  const named = (v: unknown) => options?.find((o) => o.value === v)?.label ?? String(v);
  switch (column.type) {
    case 'bool':
      return <span>{value === true ? t('common.yes') : t('common.no')}</span>;
    case 'enum':
      return <span>{text(column.values?.find((v) => v.value === value)?.label) || String(value)}</span>;
    case 'money':
      return <span>{typeof value === 'number' ? money(value) : String(value)}</span>;
    case 'list':
      return <span>{(Array.isArray(value) ? value : [value]).map(named).join(t('common.listSeparator'))}</span>;
    default:
      return <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{named(value)}</span>;
  }
}
