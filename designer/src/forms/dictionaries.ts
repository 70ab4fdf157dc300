/**
 * The dictionaries a form's choice fields use (`x-dictionary`), fetched from
 * `GET /api/dictionaries/:key` once and kept for a minute (admins edit them;
 * the server reads them live too). The same copy feeds the options of the
 * widgets and the browser's validation.
 */
import { useEffect, useMemo, useState } from 'react';
import type { JsonSchema } from '../../../forms/index.ts';
import { api } from '../api/client.ts';
import type { LocalizedText } from '../i18n/index.tsx';

export interface DictionaryItem {
  value: string;
  label: LocalizedText;
  /** Kept for stored values, no longer offered. */
  disabled?: boolean;
}

export interface Dictionary {
  key: string;
  name: LocalizedText;
  items: DictionaryItem[];
}

/** Key → dictionary; a key whose dictionary could not be read is absent. */
export type Dictionaries = Record<string, Dictionary>;

const KEEP_MS = 60_000;
const cache = new Map<string, { at: number; promise: Promise<Dictionary | null> }>();

export function loadDictionary(key: string): Promise<Dictionary | null> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < KEEP_MS) return hit.promise;
  const promise = api.get<Dictionary>(`/api/dictionaries/${encodeURIComponent(key)}`).catch(() => null);
  cache.set(key, { at: Date.now(), promise });
  return promise;
}

/** Every dictionary key named anywhere in the schema (fields, table columns, list items). */
export function dictionaryKeys(schema: JsonSchema | undefined): string[] {
  const keys = new Set<string>();
  const visit = (s: unknown) => {
    if (!s || typeof s !== 'object') return;
    if (Array.isArray(s)) return s.forEach(visit);
    const node = s as JsonSchema;
    if (typeof node['x-dictionary'] === 'string') keys.add(node['x-dictionary']);
    for (const [k, v] of Object.entries(node)) if (k !== 'x-dictionary' && k !== 'x-materials') visit(v);
  };
  visit(schema);
  return [...keys].sort();
}

/** The dictionaries of a schema; null while loading. */
export function useDictionaries(schema: JsonSchema | undefined): Dictionaries | null {
  const keys = useMemo(() => dictionaryKeys(schema), [schema]);
  const joined = keys.join('\n');
  const [loaded, setLoaded] = useState<{ joined: string; value: Dictionaries } | null>(null);
  useEffect(() => {
    let live = true;
    const wanted = joined ? joined.split('\n') : [];
    Promise.all(wanted.map(loadDictionary)).then((list) => {
      if (!live) return;
      const value: Dictionaries = {};
      list.forEach((d, i) => {
        const key = wanted[i];
        if (d && key !== undefined) value[key] = d;
      });
      setLoaded({ joined, value });
    });
    return () => {
      live = false;
    };
  }, [joined]);
  return loaded && loaded.joined === joined ? loaded.value : null;
}
