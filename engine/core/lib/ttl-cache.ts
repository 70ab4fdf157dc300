/**
 * Values remembered for a while, timed by the injected clock (so a test moves
 * the clock instead of sleeping): what another process may change is read
 * again once it is older than `ttlMs`.
 */
export class TtlCache<K, V> {
  readonly #entries = new Map<K, { value: V; at: number }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
    private readonly max = 10_000,
  ) {}

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at < this.ttlMs) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  set(key: K, value: V): void {
    if (this.#entries.size >= this.max) this.#entries.clear();
    this.#entries.set(key, { value, at: this.now() });
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }
}
