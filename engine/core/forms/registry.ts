/**
 * Deployed forms, each version compiled once per process and shared, and the
 * dictionaries their choice fields are checked against (read live: an admin's
 * edit shows within DICTIONARY_TTL_MS on every process).
 */
import { FormCompiler, type CompiledForm, type FormDefinition } from '../../../forms/index.ts';
import { WorkflowError } from '../errors.ts';
import type { DictionaryRecord, FormRecord } from '../model.ts';
import { TtlCache } from '../lib/ttl-cache.ts';
import type { Clock, FormStore } from '../ports.ts';

const LATEST_TTL_MS = 2000;
const DICTIONARY_TTL_MS = 2000;

export interface LoadedForm {
  record: FormRecord;
  compiled: CompiledForm;
}

export class DictionaryCache {
  #values = new Map<string, Set<string>>();
  #records = new Map<string, DictionaryRecord>();
  #loadedAt = -Infinity;
  #loading: Promise<void> | null = null;

  constructor(
    private readonly store: FormStore,
    private readonly clock: Clock,
  ) {}

  has(key: string, value: string): boolean | undefined {
    return this.#values.get(key)?.has(value);
  }

  exists(key: string): boolean {
    return this.#values.has(key);
  }

  get(key: string): DictionaryRecord | undefined {
    return this.#records.get(key);
  }

  /** Make sure what `has` answers is at most DICTIONARY_TTL_MS old. */
  async fresh(): Promise<void> {
    if (this.clock.now() - this.#loadedAt < DICTIONARY_TTL_MS) return;
    this.#loading ??= this.#load().finally(() => (this.#loading = null));
    await this.#loading;
  }

  /** After an edit in this process: read again on next use. */
  invalidate(): void {
    this.#loadedAt = -Infinity;
  }

  async #load(): Promise<void> {
    const records = await this.store.listDictionaries();
    this.#records = new Map(records.map((r) => [r.key, r]));
    this.#values = new Map(records.map((r) => [r.key, new Set(r.items.map((i) => i.value))]));
    this.#loadedAt = this.clock.now();
  }
}

export class FormRegistry {
  readonly dictionaries: DictionaryCache;
  readonly compiler: FormCompiler;
  readonly #compiled = new Map<string, Promise<LoadedForm>>();
  readonly #latest: TtlCache<string, number>;

  constructor(
    private readonly store: FormStore,
    clock: Clock,
  ) {
    this.#latest = new TtlCache(() => clock.now(), LATEST_TTL_MS);
    this.dictionaries = new DictionaryCache(store, clock);
    this.compiler = new FormCompiler({ dictionaries: this.dictionaries });
  }

  /** A version of a form (the latest when `version` is absent), compiled. */
  async get(key: string, version?: number): Promise<LoadedForm> {
    const record = await this.store.findForm(key, version);
    if (!record) throw new WorkflowError('WF_ERR_FORM_NOT_FOUND', { key, ...(version !== undefined && { version }) });
    return this.load(record);
  }

  load(record: FormRecord): Promise<LoadedForm> {
    let loaded = this.#compiled.get(record.id);
    if (!loaded) {
      loaded = this.dictionaries.fresh().then(() => ({ record, compiled: this.compiler.compile(record.definition as FormDefinition, record.version) }));
      this.#compiled.set(record.id, loaded);
      loaded.catch(() => this.#compiled.delete(record.id));
    }
    return loaded;
  }

  /** The latest version of a form, remembered briefly (a deploy elsewhere shows within LATEST_TTL_MS). */
  async latestVersion(key: string): Promise<number | null> {
    const known = this.#latest.get(key);
    if (known !== undefined) return known;
    const record = await this.store.findForm(key);
    if (!record) return null;
    this.#latest.set(key, record.version);
    return record.version;
  }

  /** A version just deployed here: usable at once. */
  register(record: FormRecord, compiled: CompiledForm): void {
    this.#compiled.set(record.id, Promise.resolve({ record, compiled }));
    this.#latest.set(record.key, record.version);
  }
}
