/**
 * A catalog table as an editable grid: one control per cell (cells.tsx), what
 * a cell alone can be told shown under it as it is typed, the server's
 * problems under the cell (or on the row) they name; new, changed and removed
 * rows marked until saved — a removed row can be taken back until then.
 */
import { DeleteOutlined, ExclamationCircleOutlined, PlusOutlined, UndoOutlined } from '@ant-design/icons';
import { Button, Grid, Space, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import { useI18n, type Translate } from '../../i18n/index.tsx';
import { emptyText, useLoad } from '../shared.tsx';
import type { Dictionary } from '../types.ts';
import { api } from '../../api/client.ts';
import './catalog.css';
import { CellInput, CellText, type RefOption } from './cells.tsx';
import type { CatalogEditor, PlacedProblem } from './editor.ts';
import { blankRow, rowComplaints, stateOf, type Complaint, type GridRow, type RowState } from './model.ts';
import { columnOptions, referencedTables, type ColumnOptions } from './options.ts';
import type { ColumnSpec, TableSpec } from './types.ts';

export const complaintText = (t: Translate, c: Complaint) => t(c.key, c.values);

/** A column's width: enough for its control and for its heading. */
function widthOf(column: ColumnSpec, title: string, options?: ColumnOptions): number {
  const heading = [...title].reduce((w, ch) => w + (/[\u2e80-\uffff]/.test(ch) ? 14 : 7.5), 0) + 36;
  let control: number;
  switch (column.type) {
    case 'bool':
      control = 80;
      break;
    case 'int':
      control = options ? 150 : 100;
      break;
    case 'money':
      control = 120;
      break;
    case 'enum':
      control = 150;
      break;
    case 'list':
      control = 240;
      break;
    case 'code':
      control = options ? 190 : 150;
      break;
    case 'text':
      control = (column.max ?? 60) <= 30 ? 160 : (column.max ?? 60) <= 100 ? 200 : 240;
      break;
  }
  return Math.ceil(Math.max(control, heading));
}

const STATE_TAGS: Record<Exclude<RowState, 'same'>, { color: string; key: 'admin.catalog.row.new' | 'admin.catalog.row.changed' | 'admin.catalog.row.deleted' }> = {
  new: { color: 'green', key: 'admin.catalog.row.new' },
  changed: { color: 'blue', key: 'admin.catalog.row.changed' },
  deleted: { color: 'red', key: 'admin.catalog.row.deleted' },
};

interface CellProps {
  uid: string;
  column: ColumnSpec;
  value: unknown;
  /** What is wrong, one message a line: the cell's own complaint, then the server's. */
  errors: string;
  options?: RefOption[];
  suggest?: boolean;
  label: string;
  disabled: boolean;
  onCell(uid: string, column: string, value: unknown): void;
}

const GridCell = memo(function GridCell({ uid, column, value, errors, options, suggest, label, disabled, onCell }: CellProps) {
  return (
    <div>
      <CellInput column={column} value={value} options={options} suggest={suggest} label={label} invalid={!!errors} disabled={disabled} onChange={(v) => onCell(uid, column.name, v)} />
      {errors &&
        errors.split('\n').map((e, i) => (
          <div key={i} className="wf-cell-error">
            {e}
          </div>
        ))}
    </div>
  );
});

export interface CatalogGridProps {
  spec: TableSpec;
  rows: GridRow[];
  /** Columns not shown (the service's number, the same in every row). */
  hidden?: readonly string[];
  readOnly: boolean;
  tried: boolean;
  problems: PlacedProblem[];
  options: Record<string, ColumnOptions>;
  onCell(uid: string, column: string, value: unknown): void;
  onAdd(): void;
  onRemove(uid: string): void;
  onRestore(uid: string): void;
}

export function CatalogGrid({ spec, rows, hidden = [], readOnly, tried, problems, options, onCell, onAdd, onRemove, onRestore }: CatalogGridProps) {
  const { t, text } = useI18n();
  const screens = Grid.useBreakpoint();
  const wide = screens.md !== false;
  const shown = useMemo(() => spec.columns.filter((c) => !hidden.includes(c.name)), [spec, hidden]);
  // The table scrolls sideways: keyboard users reach it by Tab even when it holds no input (read-only).
  const scrollable = useRef<HTMLDivElement>(null);
  useEffect(() => {
    scrollable.current?.querySelectorAll<HTMLElement>('.ant-table-content, .ant-table-body').forEach((el) => {
      el.tabIndex = 0;
      el.setAttribute('aria-label', text(spec.title));
    });
  });

  const byRow = useMemo(() => {
    const map = new Map<string, PlacedProblem[]>();
    for (const p of problems) if (p.uid && p.table === spec.name) map.set(p.uid, [...(map.get(p.uid) ?? []), p]);
    return map;
  }, [problems, spec.name]);

  const columns: ColumnsType<GridRow> = [
    {
      title: t('admin.catalog.rowNumber'),
      key: '#',
      width: 96,
      fixed: wide ? 'left' : undefined,
      render: (_, row, index) => {
        const state = stateOf(spec, row);
        const rowLevel = (byRow.get(row.uid) ?? []).filter((p) => !p.column || !shown.some((c) => c.name === p.column));
        return (
          <Space size={4} wrap>
            <span>{index + 1}</span>
            {state !== 'same' && <Tag color={STATE_TAGS[state].color}>{t(STATE_TAGS[state].key)}</Tag>}
            {rowLevel.length > 0 && (
              <Tooltip title={rowLevel.map((p) => p.message).join('\n')}>
                <ExclamationCircleOutlined className="wf-row-problem" aria-label={rowLevel.map((p) => p.message).join(' ')} />
              </Tooltip>
            )}
          </Space>
        );
      },
    },
    ...shown.map((column, i) => {
      const title = text(column.title);
      const opts = options[column.name];
      return {
        key: column.name,
        width: widthOf(column, title, opts),
        fixed: wide && i === 0 && spec.key.includes(column.name) ? ('left' as const) : undefined,
        title: (
          <span>
            {title}
            {column.required && !readOnly && (
              <span className="wf-required" aria-hidden>
                {' *'}
              </span>
            )}
          </span>
        ),
        render: (_: unknown, row: GridRow, index: number) => {
          if (readOnly) return <CellText column={column} value={row.data[column.name]} options={opts?.options} />;
          const own = rowComplaints(spec, row, tried)[column.name];
          const theirs = (byRow.get(row.uid) ?? []).filter((p) => p.column === column.name).map((p) => p.message);
          const errors = [...(own ? [complaintText(t, own)] : []), ...theirs].join('\n');
          return (
            <GridCell
              uid={row.uid}
              column={column}
              value={row.data[column.name]}
              errors={errors}
              options={opts?.options}
              suggest={opts?.suggest}
              label={t('admin.catalog.cellLabel', { column: title, row: index + 1 })}
              disabled={!!row.deleted}
              onCell={onCell}
            />
          );
        },
      };
    }),
    ...(readOnly
      ? []
      : [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 72,
            fixed: wide ? ('right' as const) : undefined,
            render: (_: unknown, row: GridRow, index: number) =>
              row.deleted ? (
                <Tooltip title={t('admin.catalog.restore')}>
                  <Button type="text" size="small" icon={<UndoOutlined />} onClick={() => onRestore(row.uid)} aria-label={t('admin.catalog.restoreRow', { row: index + 1 })} />
                </Tooltip>
              ) : (
                <Tooltip title={t('common.delete')}>
                  <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => onRemove(row.uid)} aria-label={t('admin.catalog.deleteRow', { row: index + 1 })} />
                </Tooltip>
              ),
          },
        ]),
  ];
  const width = columns.reduce((w, c) => w + Number(c.width ?? 0), 0);

  return (
    <div ref={scrollable}>
      <Table<GridRow>
        size="small"
        rowKey="uid"
        tableLayout="fixed"
        dataSource={rows}
        columns={columns}
        scroll={{ x: width }}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false, showTotal: (total) => t('common.total', { total }) } : false}
        rowClassName={(row) => `wf-row-${stateOf(spec, row)}`}
        locale={{ emptyText: emptyText(t, false, t('admin.catalog.noRows')) }}
      />
      {!readOnly && (
        <Button type="dashed" block icon={<PlusOutlined />} onClick={onAdd} style={{ marginTop: 8 }}>
          {t('admin.catalog.addRow')}
        </Button>
      )}
    </div>
  );
}

/** A grid bound to a page's editor: its rows, their changes and the server's problems, for one table. */
export function EditorGrid({ editor, spec, specs, service, readOnly }: { editor: CatalogEditor; spec: TableSpec; specs: Record<string, TableSpec>; service: string | null; readOnly: boolean }) {
  const table = spec.name;
  const { setCell, setRows } = editor;
  const rows = editor.rows(table);
  const onCell = useCallback((uid: string, column: string, value: unknown) => setCell(table, uid, column, value), [setCell, table]);
  // Options follow the rows they list (a material class added here is offered at once), recomputed only when those change.
  const sources = referencedTables(spec).map((name) => editor.current(name));
  const dictionaries = useDictionaryNames(table === 'fields');
  const options = useMemo(() => columnOptions(specs, spec, (name) => editor.current(name), service, dictionaries), [specs, spec, service, dictionaries, ...sources]);
  return (
    <CatalogGrid
      spec={spec}
      rows={rows}
      hidden={service !== null ? ['service'] : []}
      readOnly={readOnly}
      tried={editor.tried}
      problems={editor.problems}
      options={options}
      onCell={onCell}
      onAdd={() => setRows(table, (rs) => [...rs, blankRow(spec, rs, service !== null ? { service } : {})])}
      onRemove={(uid) => setRows(table, (rs) => rs.flatMap((r) => (r.uid !== uid ? [r] : r.saved ? [{ ...r, deleted: true }] : [])))}
      onRestore={(uid) => setRows(table, (rs) => rs.map((r) => (r.uid === uid ? { ...r, deleted: false } : r)))}
    />
  );
}

/** The stored dictionaries' keys and names in the user's language, for a fields grid (none asked for otherwise). */
function useDictionaryNames(wanted: boolean): Array<{ key: string; name: string }> {
  const { locale } = useI18n();
  const loaded = useLoad(() => (wanted ? api.get<{ items: Dictionary[] }>('/api/dictionaries').then((r) => r.items) : Promise.resolve([])), [wanted]);
  return useMemo(() => (loaded.data ?? []).map((d) => ({ key: d.key, name: d.name[locale] || d.key })), [loaded.data, locale]);
}
