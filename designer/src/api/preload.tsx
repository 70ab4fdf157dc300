/**
 * Answers the server already fetched for the page it rendered (signed-in list
 * pages, see entry-server.tsx): the first render reads them, so that the
 * browser's first render matches the server's HTML and hydrates it instead of
 * asking again. Keyed as requestKey() keys a GET.
 */
import { createContext, useContext } from 'react';
import { requestKey, type Query } from './client.ts';

export type Preloaded = Readonly<Record<string, unknown>>;

export const PreloadContext = createContext<Preloaded>({});
export const PreloadProvider = PreloadContext.Provider;

/** The answer the server rendered with for this GET, if it did. */
export function usePreloaded<T>(path: string, query?: Query): T | undefined {
  return useContext(PreloadContext)[requestKey(path, query)] as T | undefined;
}

/** The element the server writes its answers into (a JSON data block: never run as script). */
export const PRELOAD_ELEMENT_ID = 'wf-preload';
