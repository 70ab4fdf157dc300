/** The FormStore port on SQL: forms, dictionaries, drafts and file records. */
import type { DictionaryRecord, DraftRecord, FileRecord, FormRecord, Page, PageRequest } from '../core/model.ts';
import { ConflictError, type FormStore } from '../core/ports.ts';
import type { SqlExecutor } from './executors.ts';
import * as rows from './rows.ts';
import { insert, isUniqueViolation, selectPage, Where } from './sql.ts';

const noCheck = () => undefined;

export class FormTables implements FormStore {
  constructor(private readonly sql: SqlExecutor) {}

  // ---- forms ---------------------------------------------------------------------

  async insertForm(record: FormRecord): Promise<void> {
    try {
      await this.sql.batch([insert('wf_forms', [rows.formRow(record)])], noCheck);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('form', `${record.key}:${record.version}`);
      throw err;
    }
  }

  async getForm(id: string): Promise<FormRecord | null> {
    const [row] = await this.sql.select('SELECT * FROM wf_forms WHERE id = $1', [id]);
    return row ? rows.toForm(row) : null;
  }

  async findForm(key: string, version?: number): Promise<FormRecord | null> {
    const [row] =
      version === undefined
        ? await this.sql.select('SELECT * FROM wf_forms WHERE key = $1 ORDER BY version DESC LIMIT 1', [key])
        : await this.sql.select('SELECT * FROM wf_forms WHERE key = $1 AND version = $2', [key, version]);
    return row ? rows.toForm(row) : null;
  }

  async findFormByHash(key: string, hash: string): Promise<FormRecord | null> {
    const [row] = await this.sql.select('SELECT * FROM wf_forms WHERE key = $1 AND hash = $2 ORDER BY version DESC LIMIT 1', [key, hash]);
    return row ? rows.toForm(row) : null;
  }

  listForms(filter: { key?: string; latestOnly?: boolean }, page: PageRequest): Promise<Page<Omit<FormRecord, 'definition'>>> {
    const where = new Where().eq('key', filter.key);
    if (filter.latestOnly) where.add('version = (SELECT MAX(f2.version) FROM wf_forms f2 WHERE f2.key = wf_forms.key)');
    return selectPage(this.sql, 'wf_forms', where, 'key ASC, version DESC', page, (r) => {
      const { definition: _definition, ...rest } = rows.toForm(r);
      return rest;
    }, 'id, key, version, title, hash, deployed_at, deployed_by');
  }

  async allForms(): Promise<FormRecord[]> {
    return (await this.sql.select('SELECT * FROM wf_forms ORDER BY key, version')).map(rows.toForm);
  }

  // ---- dictionaries ----------------------------------------------------------------

  async listDictionaries(): Promise<DictionaryRecord[]> {
    return (await this.sql.select('SELECT * FROM wf_dictionaries ORDER BY key')).map(rows.toDictionary);
  }

  async getDictionary(key: string): Promise<DictionaryRecord | null> {
    const [row] = await this.sql.select('SELECT * FROM wf_dictionaries WHERE key = $1', [key]);
    return row ? rows.toDictionary(row) : null;
  }

  async putDictionary(record: DictionaryRecord, expectedRev: number | null): Promise<void> {
    const values = [record.key, JSON.stringify(record.name), JSON.stringify(record.items), record.rev, record.updatedAt, record.updatedBy];
    try {
      await this.sql.batch(
        [
          expectedRev === null
            ? { sql: 'INSERT INTO wf_dictionaries (key, name, items, rev, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING key', bind: values, returnsRows: true }
            : { sql: 'UPDATE wf_dictionaries SET name = $2, items = $3, rev = $4, updated_at = $5, updated_by = $6 WHERE key = $1 AND rev = $7 RETURNING key', bind: [...values, expectedRev], returnsRows: true },
        ],
        (results) => {
          if (!results[0]?.length) throw new ConflictError('dictionary', record.key);
        },
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('dictionary', record.key);
      throw err;
    }
  }

  // ---- drafts ----------------------------------------------------------------------

  async getDraft(owner: string, target: string): Promise<DraftRecord | null> {
    const [row] = await this.sql.select('SELECT * FROM wf_form_drafts WHERE owner = $1 AND target = $2', [owner, target]);
    return row ? rows.toDraft(row) : null;
  }

  async putDraft(d: DraftRecord): Promise<void> {
    await this.sql.batch(
      [
        { sql: 'DELETE FROM wf_form_drafts WHERE owner = $1 AND target = $2', bind: [d.owner, d.target] },
        insert('wf_form_drafts', [{ owner: d.owner, target: d.target, form_key: d.formKey, form_version: d.formVersion, data: JSON.stringify(d.data), updated_at: d.updatedAt }]),
      ],
      noCheck,
    );
  }

  async deleteDraft(owner: string, target: string): Promise<boolean> {
    const [deleted] = await this.sql.batch([{ sql: 'DELETE FROM wf_form_drafts WHERE owner = $1 AND target = $2 RETURNING owner', bind: [owner, target], returnsRows: true }], noCheck);
    return (deleted?.length ?? 0) > 0;
  }

  // ---- files -----------------------------------------------------------------------

  async insertFile(record: FileRecord): Promise<void> {
    await this.sql.batch([insert('wf_files', [rows.fileRow(record)])], noCheck);
  }

  async getFile(id: string): Promise<FileRecord | null> {
    const [row] = await this.sql.select('SELECT * FROM wf_files WHERE id = $1', [id]);
    return row ? rows.toFile(row) : null;
  }

  async uploadUsage(owner: string, since: number): Promise<{ recent: number; unboundBytes: number }> {
    const [row] = await this.sql.select(
      'SELECT COUNT(CASE WHEN created_at >= $2 THEN 1 END) AS recent, COALESCE(SUM(CASE WHEN instance_id IS NULL THEN size ELSE 0 END), 0) AS unbound FROM wf_files WHERE owner = $1',
      [owner, since],
    );
    return { recent: rows.num(row?.recent ?? 0), unboundBytes: rows.num(row?.unbound ?? 0) };
  }

  async keepUploads(owner: string, ids: readonly string[], until: number): Promise<void> {
    if (!ids.length) return;
    const where = new Where([owner, until]);
    where.add(`id IN (${ids.map((id) => where.param(id)).join(', ')})`);
    await this.sql.batch([{ sql: `UPDATE wf_files SET expires_at = $2 ${where} AND owner = $1 AND instance_id IS NULL AND expires_at < $2`, bind: where.bind }], noCheck);
  }

  async expiredUploads(now: number, limit: number): Promise<FileRecord[]> {
    return (await this.sql.select('SELECT * FROM wf_files WHERE expires_at < $1 AND instance_id IS NULL ORDER BY expires_at LIMIT $2', [now, limit])).map(rows.toFile);
  }

  async deleteExpiredUpload(id: string, now: number): Promise<boolean> {
    const [deleted] = await this.sql.batch([{ sql: 'DELETE FROM wf_files WHERE id = $1 AND instance_id IS NULL AND expires_at < $2 RETURNING id', bind: [id, now], returnsRows: true }], noCheck);
    return (deleted?.length ?? 0) > 0;
  }

  async getFiles(ids: readonly string[]): Promise<FileRecord[]> {
    if (!ids.length) return [];
    const where = new Where();
    where.add(`id IN (${ids.map((id) => where.param(id)).join(', ')})`);
    return (await this.sql.select(`SELECT * FROM wf_files ${where}`, where.bind)).map(rows.toFile);
  }
}
