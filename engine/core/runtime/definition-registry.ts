import { WorkflowError } from '../errors.ts';
import type { DefinitionRecord } from '../model.ts';
import { TtlCache } from '../lib/ttl-cache.ts';
import type { Clock, Store } from '../ports.ts';
import { CompiledDefinition, parseBpmn, type LintPolicy, type ParsedBpmn } from './compiled-definition.ts';

const LATEST_TTL_MS = 2000;

/**
 * Deployed versions, each parsed once per process and shared by all its
 * instances. A version deployed by another process is parsed on first use.
 */
export class DefinitionRegistry {
  readonly #compiled = new Map<string, Promise<CompiledDefinition>>();
  /** Which version is latest, remembered briefly: a deploy elsewhere shows within LATEST_TTL_MS. */
  readonly #latest: TtlCache<string, { id: string; version: number }>;

  constructor(
    private readonly store: Store,
    private readonly policy: LintPolicy,
    clock: Clock,
  ) {
    this.#latest = new TtlCache(() => clock.now(), LATEST_TTL_MS);
  }

  /** Compile one process of a parsed file as the given version (throws when bpmn-engine cannot load it). */
  static compile(record: Pick<DefinitionRecord, 'id' | 'key' | 'version' | 'name'>, parsed: ParsedBpmn): CompiledDefinition {
    const model = parsed.analysed.processes.find((p) => p.id === record.key);
    if (!model) throw new Error(`process ${record.key} not in parsed file`);
    return new CompiledDefinition({ id: record.id, key: record.key, version: record.version, name: record.name }, model, parsed.moddle);
  }

  /** Make a version that was just deployed available without parsing it again. */
  register(compiled: CompiledDefinition): void {
    this.#compiled.set(compiled.id, Promise.resolve(compiled));
    const known = this.#latest.get(compiled.identity.key);
    if (known && known.version < compiled.identity.version) this.#latest.delete(compiled.identity.key);
  }

  get(id: string): Promise<CompiledDefinition> {
    let compiled = this.#compiled.get(id);
    if (!compiled) {
      compiled = this.#load(id);
      this.#compiled.set(id, compiled);
      compiled.catch(() => this.#compiled.delete(id));
    }
    return compiled;
  }

  /** The latest version of `key`, or the given version. */
  async find(key: string, version?: number): Promise<CompiledDefinition> {
    const known = version === undefined ? this.#latest.get(key) : undefined;
    if (known) return this.get(known.id);
    const record = await this.store.findDefinition(key, version);
    if (!record) throw new WorkflowError('WF_ERR_DEFINITION_NOT_FOUND', { key, ...(version !== undefined && { version }) });
    if (version === undefined) this.#latest.set(key, { id: record.id, version: record.version });
    return this.get(record.id);
  }

  async #load(id: string): Promise<CompiledDefinition> {
    const record = await this.store.getDefinition(id);
    if (!record) throw new Error(`definition ${id} vanished`);
    // Lint policy may have changed since deploy: a landed version always loads.
    const parsed = await parseBpmn(record.xml, { ...this.policy, isKnownHandler: () => true, handlerInputs: () => null, isKnownCalendar: () => true, isKnownSla: () => true, requireAssignee: false, requireForm: false });
    return DefinitionRegistry.compile(record, parsed);
  }
}
