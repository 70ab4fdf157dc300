/** Loading an answer for a page, with errors as the server words them: shared by every app. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Translate } from '../i18n/index.tsx';
import { ApiError } from './client.ts';

/** The server's message (already in the user's language); a network failure in ours. */
export function errorText(err: unknown, t: Translate): string {
  if (err instanceof ApiError && err.status > 0) return err.message;
  return t('error.network');
}

export interface Loaded<T> {
  data: T | undefined;
  loading: boolean;
  error: unknown;
  reload(): void;
}

/** Loads when `deps` change (the latest answer wins), and again on reload(). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], rendered?: T): Loaded<T> {
  const [data, setData] = useState<T | undefined>(rendered);
  const [loading, setLoading] = useState(rendered === undefined);
  // What the server rendered the page with is not asked for again on the first render.
  const skip = useRef(rendered !== undefined);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    if (skip.current) {
      skip.current = false;
      return;
    }
    let current = true;
    setLoading(true);
    loadRef.current().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (!current) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [tick, ...deps]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, loading, error, reload };
}
