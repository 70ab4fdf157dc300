/**
 * Names for ids, fetched once per page load and shared: process keys to their
 * names, user ids to people's names. A name that cannot be read shows the id.
 */
import { useEffect, useState } from 'react';
import { api, type Page } from './client.ts';

interface DefinitionRow {
  key: string;
  name: string | null;
}
interface UserRow {
  id: string;
  name: string;
}

let processes: Promise<Map<string, string>> | null = null;
const users = new Map<string, Promise<string>>();

export function processNames(): Promise<Map<string, string>> {
  processes ??= api.get<Page<DefinitionRow>>('/api/definitions', { limit: 200 }).then(
    (page) => new Map(page.items.map((d) => [d.key, d.name ?? d.key])),
    () => new Map(),
  );
  return processes;
}

export function userName(id: string): Promise<string> {
  let name = users.get(id);
  if (!name) {
    name = api.get<UserRow>(`/api/org/users/${encodeURIComponent(id)}`).then(
      (u) => u.name,
      () => id,
    );
    users.set(id, name);
  }
  return name;
}

export function useProcessNames(): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    void processNames().then(setNames);
  }, []);
  return names;
}

/** Names of the given user ids (ids stand in until they arrive). */
export function useUserNames(ids: Array<string | null | undefined>): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const wanted = [...new Set(ids.filter((id): id is string => !!id))].sort().join('\u0000');
  useEffect(() => {
    if (!wanted) return;
    const list = wanted.split('\u0000');
    void Promise.all(list.map(async (id) => [id, await userName(id)] as const)).then((pairs) => setNames((old) => ({ ...old, ...Object.fromEntries(pairs) })));
  }, [wanted]);
  return names;
}

/** Users matching a search, for pickers. */
export async function searchUsers(keyword: string): Promise<UserRow[]> {
  const page = await api.get<Page<UserRow>>('/api/org/users', {
    keyword: keyword || undefined,
    limit: 20,
  });
  return page.items;
}
