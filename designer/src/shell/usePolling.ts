import { useEffect, useRef, useState } from 'react';

/** Fired on window when the user did something that changes their inbox (counts refresh at once). */
export const INBOX_CHANGED = 'wf:inbox-changed';
export const inboxChanged = () => window.dispatchEvent(new Event(INBOX_CHANGED));

/**
 * A value fetched now and again every `everyMs` while the page is visible, and
 * whenever `event` fires on window (badges and counts that refresh without a reload).
 */
export function usePolling<T>(load: () => Promise<T>, everyMs: number, deps: unknown[] = [], event?: string): { value: T | undefined; refresh: () => void } {
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
    run();
    const timer = setInterval(run, everyMs);
    document.addEventListener('visibilitychange', run);
    if (event) window.addEventListener(event, run);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', run);
      if (event) window.removeEventListener(event, run);
    };
  }, [everyMs, tick, event, ...deps]);
  return { value, refresh: () => setTick((n) => n + 1) };
}
