/**
 * A table field: repeatable rows of the item schema's columns, each cell the
 * widget its column calls for, each cell's problem under it (`/items/2/amount`).
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Grid, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useRef, type ReactNode } from 'react';
import type { FieldUi, JsonSchema, Widget } from '../../../forms/index.ts';
import { useI18n } from '../i18n/index.tsx';
import { issuesUnder, labelOf, properties, widgetOf } from './schema.ts';
import type { WidgetProps } from './types.ts';

type Row = Record<string, unknown>;

export interface Column {
  name: string;
  schema: JsonSchema;
  ui: FieldUi | undefined;
  widget: Widget;
  label: string;
  required: boolean;
}

export function columnsOf(p: Pick<WidgetProps, 'schema' | 'form' | 'path'>, locale: 'zh-CN' | 'en'): Column[] {
  const item = (p.schema.items ?? {}) as JsonSchema;
  const required = new Set<string>(Array.isArray(item.required) ? item.required : []);
  return Object.entries(properties(item)).map(([name, schema]) => {
    const ui = p.form.ui?.fields?.[`${p.path}.${name}`];
    return { name, schema, ui, widget: widgetOf(schema, ui), label: labelOf(schema, ui, locale, name), required: required.has(name) };
  });
}

let keySequence = 0;

/** Column widths: the table scrolls sideways on a narrow screen rather than squeezing its inputs. */
const widthOf = (widget: Widget) =>
  widget === 'text' || widget === 'textarea' || widget === 'user' || widget === 'file' ? 200 : widget === 'date' || widget === 'money' || widget === 'number' || widget === 'integer' ? 150 : 170;
const INDEX_WIDTH = 56;
const REMOVE_WIDTH = 56;

export function TableWidget(p: WidgetProps & { renderCell(cell: WidgetProps): ReactNode }) {
  const { t, locale } = useI18n();
  const screens = Grid.useBreakpoint();
  const rows = (Array.isArray(p.value) ? p.value : []) as Row[];
  const columns = columnsOf(p, locale);
  const max = typeof p.schema.maxItems === 'number' ? p.schema.maxItems : Infinity;

  // Stable keys per row, so that deleting a row in the middle keeps the others' inputs.
  const keys = useRef<string[]>([]);
  if (keys.current.length !== rows.length) keys.current = rows.map((_, i) => keys.current[i] ?? `row-${++keySequence}`);

  const setRows = (next: Row[], nextKeys: string[]) => {
    keys.current = nextKeys;
    p.onChange(next.length ? next : undefined);
  };
  /** One cell changed from its latest value (two uploads in one table land together). */
  const updateCell = (index: number, column: string, change: (previous: unknown) => unknown) =>
    p.update((previous) => {
      const latest = (Array.isArray(previous) ? previous : []) as Row[];
      return latest.map((row, i) => {
        if (i !== index) return row;
        const copy = { ...row };
        const value = change(row[column]);
        if (value === undefined) delete copy[column];
        else copy[column] = value;
        return copy;
      });
    });

  const cell = (index: number, c: Column) => {
    const pointer = `${p.pointer}/${index}/${c.name}`;
    const issues = issuesUnder(p.issues, pointer);
    return (
      <div>
        {p.renderCell({
          ...p,
          path: `${p.path}.${c.name}`,
          pointer,
          id: `${p.id}-${index}-${c.name}`,
          schema: c.schema,
          ui: c.ui,
          widget: c.widget,
          label: c.label,
          ariaLabel: t('form.table.cell', { n: index + 1, label: c.label }),
          value: rows[index]?.[c.name],
          onChange: (v) => updateCell(index, c.name, () => v),
          update: (change) => updateCell(index, c.name, change),
          issues,
          invalid: issues.length > 0,
        })}
        {issues.map((i) => (
          <div key={i.message} role="alert">
            <Typography.Text type="danger" style={{ fontSize: 12 }}>
              {i.message}
            </Typography.Text>
          </div>
        ))}
      </div>
    );
  };
  const remove = (index: number) =>
    setRows(
      rows.filter((_, i) => i !== index),
      keys.current.filter((_, i) => i !== index),
    );
  const removeButton = (index: number) => <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('form.table.remove', { n: index + 1 })} onClick={() => remove(index)} />;
  const label = (c: Column) => (
    <span>
      {c.required && <span style={{ color: '#ff4d4f', marginInlineEnd: 4 }}>*</span>}
      {c.label}
    </span>
  );

  const tableColumns: ColumnsType<{ key: string; index: number }> = [
    { title: t('form.table.index'), key: 'index', width: INDEX_WIDTH, align: 'center', render: (_, r) => r.index + 1 },
    ...columns.map((c) => ({ title: label(c), key: c.name, width: widthOf(c.widget), render: (_: unknown, r: { index: number }) => cell(r.index, c) })),
    ...(p.disabled ? [] : [{ title: '', key: 'remove', width: REMOVE_WIDTH, fixed: 'right' as const, render: (_: unknown, r: { index: number }) => removeButton(r.index) }]),
  ];

  const add = !p.disabled && (
    <Button type="dashed" icon={<PlusOutlined />} onClick={() => setRows([...rows, {}], [...keys.current, `row-${++keySequence}`])} disabled={rows.length >= max} style={{ marginTop: 8 }} block>
      {t('form.table.add')}
    </Button>
  );

  // On a phone each row is a card of its fields, one under the other.
  if (!screens.md) {
    return (
      <div id={p.id} style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
        {rows.length === 0 && <Typography.Text type="secondary">{t('form.table.empty')}</Typography.Text>}
        {rows.map((_, index) => (
          <div key={keys.current[index] ?? index} style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: '8px 12px' }}>
            <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
              <Typography.Text strong>{t('form.table.row', { n: index + 1 })}</Typography.Text>
              {!p.disabled && removeButton(index)}
            </div>
            {columns.map((c) => (
              <div key={c.name} style={{ marginTop: 8 }}>
                <div style={{ marginBottom: 4 }}>{label(c)}</div>
                {cell(index, c)}
              </div>
            ))}
          </div>
        ))}
        {add}
      </div>
    );
  }

  return (
    <div id={p.id}>
      <Table
        size="small"
        bordered
        pagination={false}
        columns={tableColumns}
        dataSource={rows.map((_, index) => ({ key: keys.current[index] ?? String(index), index }))}
        tableLayout="fixed"
        scroll={{ x: INDEX_WIDTH + columns.reduce((sum, c) => sum + widthOf(c.widget), 0) + (p.disabled ? 0 : REMOVE_WIDTH) }}
        locale={{ emptyText: t('form.table.empty') }}
      />
      {add}
    </div>
  );
}
