/**
 * The state of a page that edits catalog rows: the tables' columns and the
 * rows as the server holds them, the rows as typed, and one save for all the
 * page's tables — one POST of the rows added or changed and the keys removed.
 * The server's problems are placed on the rows they name (by key, or by their
 * place in what was sent); a cell changed again drops its problem.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError } from '../../api/client.ts';
import { useLoad, type Loaded } from '../shared.tsx';
import { changesOf, gridRowsOf, markSaved, rowComplaints, rowKey, stateOf, type GridRow, type TableChanges } from './model.ts';
import type { CatalogProblem, CatalogSnapshot, EditResult, Row, TableSpec } from './types.ts';
import { useLeaveGuard } from '../../shell/leave-guard.ts';

const NONE: Row[] = [];

let specsLoad: Promise<Record<string, TableSpec>> | null = null;

/** The tables and their columns: the same for the whole session, asked once. */
export function loadSpecs(): Promise<Record<string, TableSpec>> {
  specsLoad ??= api.get<{ items: TableSpec[] }>('/api/catalog/tables').then(
    (r) => Object.fromEntries(r.items.map((s) => [s.name, s])),
    (err: unknown) => {
      specsLoad = null;
      throw err;
    },
  );
  return specsLoad;
}

export interface CatalogData {
  specs: Record<string, TableSpec>;
  snapshot: CatalogSnapshot;
}

export function useCatalogData(): Loaded<CatalogData> {
  return useLoad(async () => {
    const [specs, snapshot] = await Promise.all([loadSpecs(), api.get<CatalogSnapshot>('/api/catalog')]);
    return { specs, snapshot };
  }, []);
}

/** A server problem and the editor's row it names (null: a row the page does not show, or none). */
export interface PlacedProblem extends CatalogProblem {
  uid: string | null;
}

export interface CatalogEditor {
  rows(table: string): GridRow[];
  setRows(table: string, update: (rows: GridRow[]) => GridRow[]): void;
  /** One cell typed: the row marked touched there, the server's problem on it dropped. */
  setCell(table: string, uid: string, column: string, value: unknown): void;
  changes: Record<string, TableChanges>;
  /** Rows added, changed or removed, over all tables. */
  dirty: number;
  dirtyIn(table: string): number;
  /** Cells wrong on their own, per table (what keeps a save from being sent). */
  wrongIn(table: string): number;
  tried: boolean;
  problems: PlacedProblem[];
  /** A save failed for another reason (a row removed meanwhile, the network): the server's words. */
  failure: unknown;
  saving: boolean;
  /** Sends the changes; true when saved (the caller reloads), false when refused or not sent. */
  save(): Promise<EditResult | null>;
  discard(): void;
  /** Rows of a table as they stand in the editor (those it edits) or on the server (the others). */
  current(table: string): Row[];
}

/**
 * `tables`: the tables this page edits; `scope`: which of their rows (a
 * service's own). The rows start again whenever the snapshot is reloaded.
 */
export function useCatalogEditor(data: CatalogData | undefined, tables: readonly string[], scope: (table: string, row: Row) => boolean): CatalogEditor {
  const [drafts, setDrafts] = useState<Record<string, GridRow[]>>({});
  const [tried, setTried] = useState(false);
  const [problems, setProblems] = useState<PlacedProblem[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const scopeRef = useRef(scope);
  scopeRef.current = scope;
  const tablesKey = tables.join(',');

  useEffect(() => {
    if (!data) return;
    const next: Record<string, GridRow[]> = {};
    for (const table of tablesKey.split(',')) {
      const spec = data.specs[table];
      if (spec)
        next[table] = gridRowsOf(
          spec,
          (data.snapshot.tables[table] ?? []).filter((row) => scopeRef.current(table, row)),
        );
    }
    setDrafts(next);
    setTried(false);
    setProblems([]);
    setFailure(null);
  }, [data, tablesKey]);

  const changes = useMemo(() => {
    const out: Record<string, TableChanges> = {};
    if (!data) return out;
    for (const [table, rows] of Object.entries(drafts)) out[table] = changesOf(data.specs[table]!, rows);
    return out;
  }, [data, drafts]);
  // Rows added, changed or removed in the editor (a re-keyed row is one, though it sends a delete and a put).
  const edited = useMemo(() => {
    const out: Record<string, number> = {};
    if (!data) return out;
    for (const [table, rows] of Object.entries(drafts)) out[table] = rows.filter((r) => stateOf(data.specs[table]!, r) !== 'same' && !(r.deleted && !r.saved)).length;
    return out;
  }, [data, drafts]);
  const dirty = Object.values(edited).reduce((n, c) => n + c, 0);

  const wrong = useMemo(() => {
    const out: Record<string, number> = {};
    if (!data) return out;
    for (const [table, rows] of Object.entries(drafts)) out[table] = rows.reduce((n, r) => n + Object.keys(rowComplaints(data.specs[table]!, r, true)).length, 0);
    return out;
  }, [data, drafts]);

  const setRows = useCallback((table: string, update: (rows: GridRow[]) => GridRow[]) => setDrafts((d) => ({ ...d, [table]: update(d[table] ?? []) })), []);
  const setCell = useCallback(
    (table: string, uid: string, column: string, value: unknown) => {
      setRows(table, (rows) =>
        rows.map((r) => (r.uid === uid ? { ...r, data: { ...r.data, [column]: value }, touched: r.touched?.includes(column) ? r.touched : [...(r.touched ?? []), column] } : r)),
      );
      setProblems((ps) => (ps.some((p) => p.uid === uid && p.column === column) ? ps.filter((p) => !(p.uid === uid && p.column === column)) : ps));
    },
    [setRows],
  );

  // Typed rows are lost when the page is left: the user is asked first.
  useLeaveGuard(dirty > 0);

  const save = async (): Promise<EditResult | null> => {
    if (!data || !dirty) return null;
    setTried(true);
    setFailure(null);
    if (Object.values(wrong).some((n) => n > 0)) return null;
    const put: Record<string, Row[]> = {};
    const del: Record<string, string[]> = {};
    for (const [table, c] of Object.entries(changes)) {
      if (c.put.length) put[table] = c.put;
      if (c.delete.length) del[table] = c.delete;
    }
    setSaving(true);
    try {
      const result = await api.post<EditResult>('/api/catalog/changes', { ...(Object.keys(put).length && { put }), ...(Object.keys(del).length && { delete: del }) });
      setProblems([]);
      setTried(false);
      setDrafts((d) => Object.fromEntries(Object.entries(d).map(([table, rows]) => [table, markSaved(data.specs[table]!, rows)])));
      return result;
    } catch (err) {
      const listed = err instanceof ApiError && Array.isArray(err.details.problems) ? (err.details.problems as CatalogProblem[]) : null;
      if (listed) setProblems(listed.map((p) => ({ ...p, uid: place(p) })));
      else setFailure(err);
      return null;
    } finally {
      setSaving(false);
    }
  };

  /** The editor's row a problem names: by its key, else by its place in the rows sent. */
  const place = (p: CatalogProblem): string | null => {
    const spec = data?.specs[p.table];
    const rows = drafts[p.table];
    if (!spec || !rows) return null;
    if (p.key !== null) {
      const found = rows.find((r) => !r.deleted && rowKey(spec, r.data) === p.key);
      if (found) return found.uid;
    }
    return changes[p.table]?.putUids[p.row - 1] ?? null;
  };

  const discard = () => {
    if (!data) return;
    setDrafts((d) =>
      Object.fromEntries(
        Object.keys(d).map((table) => [
          table,
          gridRowsOf(
            data.specs[table]!,
            (data.snapshot.tables[table] ?? []).filter((row) => scope(table, row)),
          ),
        ]),
      ),
    );
    setTried(false);
    setProblems([]);
    setFailure(null);
  };

  // The same array for the same rows: what options are computed from.
  const currentCache = useRef(new WeakMap<GridRow[], Row[]>());
  const current = (table: string): Row[] => {
    const rows = drafts[table];
    if (!rows) return data?.snapshot.tables[table] ?? NONE;
    let out = currentCache.current.get(rows);
    if (!out) currentCache.current.set(rows, (out = rows.filter((r) => !r.deleted).map((r) => r.data)));
    return out;
  };

  return {
    rows: (table) => drafts[table] ?? [],
    setRows,
    setCell,
    changes,
    dirty,
    dirtyIn: (table) => edited[table] ?? 0,
    wrongIn: (table) => wrong[table] ?? 0,
    tried,
    problems,
    failure,
    saving,
    save,
    discard,
    current,
  };
}
