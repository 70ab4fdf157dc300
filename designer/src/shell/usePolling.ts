import { useEffect, useRef, useState } from 'react';

/** Fired on window when the user did something that changes their inbox (counts refresh at once). */
export const INBOX_CHANGED = 'wf:inbox-changed';
export const inboxChanged = () => window.dispatchEvent(new Event(INBOX_CHANGED));

/**
 * A value fetched now and again every `everyMs` while the page is visible, and
 * whenever `event` fires on window (badges and counts that refresh without a reload);
 * the first fetch may wait `firstAfterMs`, leaving the page's own first requests and rendering to go first.
 */
export function usePolling<T>(load: () => Promise<T>, everyMs: number, deps: unknown[] = [], event?: string, firstAfterMs = 0): { value: T | undefined; refresh: () => void } {
  const [value, setValue] = useState<T>();
  const loadRef = useRef(load);
  loadRef.current = load;
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let stopped = false;
    const run = () => {
      if (document.visibilityState === 'hidden') return;
      loadRef.current().then(
        (v) => !stopped && setValue(v),
        () => undefined,
      );
    };
    const first = setTimeout(run, firstAfterMs);
    const timer = setInterval(run, everyMs);
    document.addEventListener('visibilitychange', run);
    if (event) window.addEventListener(event, run);
    return () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      document.removeEventListener('visibilitychange', run);
      if (event) window.removeEventListener(event, run);
    };
  }, [everyMs, tick, event, firstAfterMs, ...deps]);
  return { value, refresh: () => setTick((n) => n + 1) };
}
