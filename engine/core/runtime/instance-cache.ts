import type { InstanceRecord } from '../model.ts';
import type { LiveInstance } from './live-instance.ts';

export interface CachedInstance {
  live: LiveInstance;
  record: InstanceRecord;
}

/**
 * Recently advanced instances kept loaded (a "sticky" cache, as Temporal's
 * workers keep workflows): the next step on them skips decompress + recover.
 * It is only a shortcut — the row's revision is checked on every commit, so a
 * stale entry costs a retry, never a wrong result. Bounded (LRU).
 * A step takes an entry out while it works on it, so two steps never share one.
 */
export class InstanceCache {
  readonly #entries = new Map<string, CachedInstance>();

  constructor(readonly capacity: number) {}

  take(id: string): CachedInstance | undefined {
    const entry = this.#entries.get(id);
    if (entry) this.#entries.delete(id);
    return entry;
  }

  put(entry: CachedInstance): void {
    if (this.capacity <= 0) return;
    this.#entries.delete(entry.record.id);
    this.#entries.set(entry.record.id, entry);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  evict(id: string): void {
    this.#entries.delete(id);
  }

  get size(): number {
    return this.#entries.size;
  }
}
