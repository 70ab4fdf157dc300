/**
 * Names for ids, fetched once per page load and shared: process keys to their
 * names, user ids to people's names. A name that cannot be read shows the id.
 */
import { useContext, useEffect, useState } from 'react';
import { api, requestKey, type Page } from './client.ts';
import { PreloadContext, usePreloaded, type Preloaded } from './preload.tsx';

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

/** The requests behind the names (the server preloads them for the pages it renders: entry-server.tsx). */
export const PROCESS_NAMES = { path: '/api/definitions', query: { limit: 200 } } as const;
export const userPath = (id: string) => `/api/org/users/${encodeURIComponent(id)}`;

const byKey = (page: Page<DefinitionRow>) => new Map(page.items.map((d) => [d.key, d.name ?? d.key]));

export function processNames(): Promise<Map<string, string>> {
  processes ??= api.getShared<Page<DefinitionRow>>(PROCESS_NAMES.path, PROCESS_NAMES.query).then(byKey, () => new Map());
  return processes;
}

export function userName(id: string): Promise<string> {
  let name = users.get(id);
  if (!name) {
    name = api.getShared<UserRow>(userPath(id)).then(
      (u) => u.name,
      () => id,
    );
    users.set(id, name);
  }
  return name;
}

export function useProcessNames(): Map<string, string> {
  const rendered = usePreloaded<Page<DefinitionRow>>(PROCESS_NAMES.path, PROCESS_NAMES.query);
  const [names, setNames] = useState<Map<string, string>>(() => (rendered ? byKey(rendered) : new Map()));
  useEffect(() => {
    void processNames().then(setNames);
  }, []);
  return names;
}

/** Names of the given user ids (ids stand in until they arrive). */
export function useUserNames(ids: Array<string | null | undefined>): Record<string, string> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))].sort().join('\u0000');
  const preloaded = useContext(PreloadContext);
  const [names, setNames] = useState<Record<string, string>>(() => renderedNames(preloaded, wanted));
  useEffect(() => {
    if (!wanted) return;
    const list = wanted.split('\u0000');
    void Promise.all(list.map(async (id) => [id, await userName(id)] as const)).then((pairs) => setNames((old) => ({ ...old, ...Object.fromEntries(pairs) })));
  }, [wanted]);
  return names;
}

/** The names among `wanted` the server rendered the page with. */
function renderedNames(preloaded: Preloaded, wanted: string): Record<string, string> {
  const names: Record<string, string> = {};
  for (const id of wanted ? wanted.split('\u0000') : []) {
    const user = preloaded[requestKey(userPath(id))] as UserRow | undefined;
    if (user) names[id] = user.name;
  }
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
