/**
 * What a cell may refer to: the rows of the table its column names (`ref`),
 * a service's own rows within the service; and, for the columns that name a
 * node, a field or a material without a `ref`, the service's nodes (a choice)
 * or its fields and materials (suggestions: the compiled forms add fields of
 * their own); a field's dictionary, the stored dictionaries.
 */
import type { RefOption } from './cells.tsx';
import { rowKey } from './model.ts';
import type { ColumnSpec, Row, TableSpec } from './types.ts';

export interface ColumnOptions {
  options: RefOption[];
  suggest: boolean;
}

const nameOf = (row: Row, fallback: string): string => {
  for (const column of ['name', 'label', 'title']) if (typeof row[column] === 'string' && row[column]) return row[column] as string;
  return fallback;
};

const option = (value: string | number, label: string): RefOption => ({ value, label, search: `${label} ${value}`.toLowerCase() });

/** Columns naming a node (by its number) of the same service. */
const NODE_COLUMNS: Record<string, string[]> = {
  nodes: ['next', 'failNext', 'timeoutNext'],
  events: ['node', 'next'],
  rules: ['node', 'next'],
  approvals: ['node'],
};

/**
 * The options of every column of `spec` that refers to something; `rows(table)`
 * gives a table's rows as the page holds them (typed rows for the tables it
 * edits), `service` the service whose own rows count.
 */
export function columnOptions(
  specs: Record<string, TableSpec>,
  spec: TableSpec,
  rows: (table: string) => Row[],
  service: string | null,
  dictionaries: ReadonlyArray<{ key: string; name: string }> = [],
): Record<string, ColumnOptions> {
  const own = (table: string) => rows(table).filter((r) => service === null || r.service === service);
  const out: Record<string, ColumnOptions> = {};
  for (const column of spec.columns as ColumnSpec[]) {
    if (column.ref && specs[column.ref]) {
      const target = specs[column.ref]!;
      const list = target.perService ? own(target.name) : rows(target.name);
      out[column.name] = {
        options: list.map((r) => {
          const value = target.perService ? String(r.code ?? rowKey(target, r)) : rowKey(target, r);
          return option(value, nameOf(r, value));
        }),
        suggest: false,
      };
    } else if (NODE_COLUMNS[spec.name]?.includes(column.name)) {
      out[column.name] = { options: own('nodes').map((n) => option(Number(n.seq), `${String(n.seq)} ${nameOf(n, '')}`.trim())), suggest: false };
    } else if (spec.name === 'fields' && column.name === 'dictionary') {
      out[column.name] = { options: dictionaries.map((d) => option(d.key, d.name)), suggest: false };
    } else if (spec.name === 'nodes' && column.name === 'decisionField') {
      out[column.name] = { options: own('fields').map((f) => option(String(f.key), nameOf(f, String(f.key)))), suggest: true };
    } else if (spec.name === 'reviewChecks' && column.name === 'ref') {
      out[column.name] = {
        options: [...own('fields').map((f) => option(String(f.key), nameOf(f, String(f.key)))), ...own('materials').map((m) => option(String(m.code), nameOf(m, String(m.code))))],
        suggest: true,
      };
    }
  }
  return out;
}

/** The tables whose rows the options of `spec` come from. */
export function referencedTables(spec: TableSpec): string[] {
  const tables = new Set<string>();
  for (const column of spec.columns) if (column.ref) tables.add(column.ref);
  if (NODE_COLUMNS[spec.name]) tables.add('nodes');
  if (spec.name === 'nodes') tables.add('fields');
  if (spec.name === 'reviewChecks') tables.add('fields').add('materials');
  return [...tables].sort();
}
