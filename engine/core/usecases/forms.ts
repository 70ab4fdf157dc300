/**
 * Deploying forms and editing dictionaries. A form is stored as version N+1
 * of its key unless its content equals the latest version (then nothing
 * changes); every problem of a definition is reported at once.
 */
import { createHash } from 'node:crypto';
import type { FormDefinition } from '../../../forms/index.ts';
import { invalid, WorkflowError, type LocalizedText } from '../errors.ts';
import type { DictionaryItem, DictionaryRecord, FormRecord } from '../model.ts';
import { ConflictError } from '../ports.ts';
import type { Services } from '../services.ts';

export interface FormDeployResult {
  id: string;
  key: string;
  version: number;
  created: boolean;
}

export async function deployForm(services: Services, definition: FormDefinition, actor: string | null): Promise<FormDeployResult> {
  await services.forms.dictionaries.fresh();
  const problems = services.forms.compiler.lint(definition);
  if (problems.length) throw new WorkflowError('WF_ERR_FORM_INVALID', { key: String(definition.key), count: problems.length, problems }, problems[0]!.pointer);
  const hash = createHash('sha256').update(canonicalJson(definition)).digest('hex');
  for (let attempt = 1; ; attempt++) {
    const latest = await services.store.findForm(definition.key);
    if (latest?.hash === hash) return { id: latest.id, key: latest.key, version: latest.version, created: false };
    const version = (latest?.version ?? 0) + 1;
    const record: FormRecord = { id: `${definition.key}:${version}`, key: definition.key, version, title: definition.title, hash, definition, deployedAt: services.clock.now(), deployedBy: actor };
    const compiled = services.forms.compiler.compile(definition, version);
    try {
      await services.store.insertForm(record);
    } catch (err) {
      if (err instanceof ConflictError && attempt < 5) continue; // deployed elsewhere at the same moment
      throw err;
    }
    services.forms.register(record, compiled);
    services.logger.info({ form: record.id }, 'form deployed');
    return { id: record.id, key: record.key, version, created: true };
  }
}

/** JSON with sorted keys: the same definition hashes the same however its keys were ordered. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export async function getForm(services: Services, key: string, version?: number): Promise<FormRecord> {
  const record = await services.store.findForm(key, version);
  if (!record) throw new WorkflowError('WF_ERR_FORM_NOT_FOUND', { key, ...(version !== undefined && { version }) });
  return record;
}

// ---- dictionaries -------------------------------------------------------------------------

export interface DictionaryInput {
  name: LocalizedText;
  items: DictionaryItem[];
}

/**
 * Create or replace a dictionary. Items are never removed — cases already
 * hold their values — but can be disabled; `expectedRev` guards against
 * overwriting someone else's edit.
 */
export async function putDictionary(services: Services, key: string, input: DictionaryInput, expectedRev: number | undefined, actor: string | null): Promise<DictionaryRecord> {
  const seen = new Set<string>();
  input.items.forEach((item, i) => {
    if (seen.has(item.value)) throw invalid(`items.${i}.value`, 'uniqueItems', { 'zh-CN': `取值 ${item.value} 重复`, en: `the value ${item.value} appears twice` });
    seen.add(item.value);
  });
  const existing = await services.store.getDictionary(key);
  if (existing && expectedRev !== undefined && expectedRev !== existing.rev) throw new WorkflowError('WF_ERR_CONCURRENT_MODIFICATION', { entity: 'dictionary', id: key });
  const removed = existing?.items.find((item) => !seen.has(item.value));
  if (removed) {
    throw invalid('items', 'removed', { 'zh-CN': `字典项 ${removed.value} 不能删除（已有数据可能在用），请改为停用（disabled）`, en: `item ${removed.value} cannot be removed (stored data may use it); disable it instead` });
  }
  const record: DictionaryRecord = { key, name: input.name, items: input.items, rev: (existing?.rev ?? 0) + 1, updatedAt: services.clock.now(), updatedBy: actor };
  try {
    await services.store.putDictionary(record, existing?.rev ?? null);
  } catch (err) {
    if (err instanceof ConflictError) throw new WorkflowError('WF_ERR_CONCURRENT_MODIFICATION', { entity: 'dictionary', id: key });
    throw err;
  }
  services.forms.dictionaries.invalidate();
  return record;
}

export async function getDictionary(services: Services, key: string): Promise<DictionaryRecord> {
  const record = await services.store.getDictionary(key);
  if (!record) throw new WorkflowError('WF_ERR_DICTIONARY_NOT_FOUND', { key });
  return record;
}
