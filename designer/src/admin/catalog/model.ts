/**
 * The catalog editor's rows: what a cell alone can be told (the server checks
 * the rest against the whole catalog), a row's key, and what a save sends —
 * the rows added or changed (put) and the keys removed (delete), nothing else.
 */
import type { MessageKey } from '../../i18n/index.tsx';
import type { ColumnSpec, Row, TableSpec } from './types.ts';

/** A code: what other rows refer to (the server's rule). */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

export const isBlank = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);

/** A row's identity within its table: its key columns joined with "/". */
export const rowKey = (spec: TableSpec, row: Row): string => spec.key.map((column) => String(row[column] ?? '')).join('/');

/** A message key and its values: translated where it is shown. */
export interface Complaint {
  key: MessageKey;
  values?: Record<string, string | number>;
}

/** What is wrong with one cell on its own, or null. */
export function cellProblem(column: ColumnSpec, value: unknown): Complaint | null {
  if (isBlank(value)) return column.required ? { key: 'admin.catalog.check.required' } : null;
  switch (column.type) {
    case 'code':
      return typeof value === 'string' && CODE_PATTERN.test(value.trim()) ? null : { key: 'admin.catalog.check.code' };
    case 'text': {
      const length = [...String(value)].length;
      return column.max !== undefined && length > column.max ? { key: 'admin.catalog.check.maxLength', values: { max: column.max, length } } : null;
    }
    case 'int':
    case 'money': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) return { key: 'admin.catalog.check.number' };
      if (column.type === 'int' && !Number.isInteger(n)) return { key: 'admin.catalog.check.integer' };
      if (column.type === 'money' && Math.round(n * 100) !== Number((n * 100).toPrecision(12))) return { key: 'admin.catalog.check.cents' };
      if (column.min !== undefined && n < column.min) return { key: 'admin.catalog.check.min', values: { min: column.min } };
      if (column.max !== undefined && n > column.max) return { key: 'admin.catalog.check.max', values: { max: column.max } };
      return null;
    }
    case 'enum':
      return column.values?.some((v) => v.value === value) ? null : { key: 'admin.catalog.check.choice' };
    case 'list': {
      const bad = (Array.isArray(value) ? value : [value]).map(String).find((item) => !CODE_PATTERN.test(item));
      return bad === undefined ? null : { key: 'admin.catalog.check.listItem', values: { value: bad } };
    }
    case 'bool':
      return null;
  }
}

/** A cell as it is sent: text trimmed, an empty cell as null (the server fills in the column's default). */
function cleanCell(value: unknown): unknown {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');
  return value === undefined ? null : value;
}

/** The row with its table's columns only, cleaned. */
export function cleanRow(spec: TableSpec, row: Row): Row {
  return Object.fromEntries(spec.columns.map((c) => [c.name, cleanCell(row[c.name])]));
}

const comparable = (value: unknown) => {
  const clean = cleanCell(value);
  return isBlank(clean) ? null : clean;
};

export const sameCell = (a: unknown, b: unknown): boolean => JSON.stringify(comparable(a)) === JSON.stringify(comparable(b));

/** A row of an editor: what is typed, what the server holds (null for a new row), and which cells were touched. */
export interface GridRow {
  /** The row's identity in the editor (its key may change while typing). */
  uid: string;
  data: Row;
  saved: Row | null;
  savedKey: string | null;
  deleted?: boolean;
  /** Cells changed by hand: their "required" shows at once; the others' once a save was tried. */
  touched?: string[];
}

let next = 1;
export const newUid = (): string => `new-${next++}`;

export function gridRowsOf(spec: TableSpec, rows: Row[]): GridRow[] {
  return rows.map((row) => {
    const key = rowKey(spec, row);
    return { uid: `saved-${key}`, data: { ...row }, saved: row, savedKey: key };
  });
}

/** A new row: the column defaults, the first free number for a numbered row, and what the caller fixes (the service). */
export function blankRow(spec: TableSpec, rows: GridRow[], preset: Row): GridRow {
  const data: Row = {};
  for (const column of spec.columns) {
    if (column.default !== undefined) data[column.name] = column.default;
    else if (column.type === 'list') data[column.name] = [];
    else if (column.type === 'bool') data[column.name] = false;
    else data[column.name] = null;
  }
  // A numbered row (a node, a step of an approval chain) takes the first number not yet used.
  const last = spec.key[spec.key.length - 1];
  if (last && !(last in preset) && spec.columns.find((c) => c.name === last)?.type === 'int') {
    const used = new Set(rows.filter((r) => !r.deleted).map((r) => Number(r.data[last])));
    let n = 1;
    while (used.has(n)) n++;
    data[last] = n;
  }
  return { uid: newUid(), data: { ...data, ...preset }, saved: null, savedKey: null, touched: [] };
}

export type RowState = 'new' | 'changed' | 'deleted' | 'same';

export function stateOf(spec: TableSpec, row: GridRow): RowState {
  if (row.deleted) return 'deleted';
  if (!row.saved) return 'new';
  return spec.columns.every((c) => sameCell(row.data[c.name], row.saved![c.name])) ? 'same' : 'changed';
}

export interface TableChanges {
  put: Row[];
  /** The editor's row of each row in `put`, by position (a problem with no key names its row by position). */
  putUids: string[];
  delete: string[];
}

/** What a save sends for one table: rows added or changed, and the keys of rows removed (or re-keyed). */
export function changesOf(spec: TableSpec, rows: GridRow[]): TableChanges {
  const out: TableChanges = { put: [], putUids: [], delete: [] };
  for (const row of rows) {
    const state = stateOf(spec, row);
    if (state === 'deleted') {
      if (row.savedKey !== null) out.delete.push(row.savedKey);
      continue;
    }
    if (state === 'same') continue;
    const clean = cleanRow(spec, row.data);
    if (row.savedKey !== null && rowKey(spec, clean) !== row.savedKey) out.delete.push(row.savedKey);
    out.put.push(clean);
    out.putUids.push(row.uid);
  }
  // A key removed and written again is a replacement: the put alone says it.
  const written = new Set(out.put.map((r) => rowKey(spec, r)));
  out.delete = [...new Set(out.delete)].filter((key) => !written.has(key));
  return out;
}

/** The cells of a row an editor shows as wrong now: every cell's own complaint, "required" once touched or tried. */
export function rowComplaints(spec: TableSpec, row: GridRow, tried: boolean): Record<string, Complaint> {
  const out: Record<string, Complaint> = {};
  if (row.deleted) return out;
  for (const column of spec.columns) {
    const complaint = cellProblem(column, row.data[column.name]);
    if (!complaint) continue;
    const quiet = complaint.key === 'admin.catalog.check.required' && !tried && row.saved === null && !row.touched?.includes(column.name);
    if (!quiet) out[column.name] = complaint;
  }
  return out;
}

/** The rows as just saved: what they hold now is what the server holds (until the reload brings its own). */
export function markSaved(spec: TableSpec, rows: GridRow[]): GridRow[] {
  return rows.filter((r) => !r.deleted).map((r) => ({ ...r, saved: r.data, savedKey: rowKey(spec, r.data), touched: [] }));
}
