/** The ConnectorStore port on SQL: connector settings, rate windows, inbound callbacks, connector records. */
import type { CallbackRecord, ConnectorStore, RecordStore, StoredConfig, StoredRecord } from '../core/connectors/port.ts';
import { ConflictError } from '../core/ports.ts';
import type { SqlExecutor } from './executors.ts';
import { json, num, strOrNull, type Row } from './rows.ts';
import { insert, isUniqueViolation } from './sql.ts';

const noCheck = () => undefined;

const toConfig = (r: Row): StoredConfig => ({
  connector: String(r.connector),
  environment: String(r.environment),
  settings: json(r.settings),
  secrets: strOrNull(r.secrets),
  rev: num(r.rev),
  updatedAt: num(r.updated_at),
  updatedBy: strOrNull(r.updated_by),
});

const toCallback = (r: Row): CallbackRecord => ({
  id: String(r.id),
  connector: String(r.connector),
  externalId: String(r.external_id),
  receivedAt: num(r.received_at),
  payload: String(r.payload),
  outcome: r.outcome as CallbackRecord['outcome'],
  detail: strOrNull(r.detail),
});

const toRecord = (r: Row): StoredRecord => ({ key: String(r.key), data: json(r.data), createdAt: num(r.created_at), updatedAt: num(r.updated_at) });

export class ConnectorTables implements ConnectorStore {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly now: () => number = Date.now,
  ) {}

  async getConfig(connector: string, environment: string): Promise<StoredConfig | null> {
    const [row] = await this.sql.select('SELECT * FROM wf_connector_configs WHERE connector = $1 AND environment = $2', [connector, environment]);
    return row ? toConfig(row) : null;
  }

  async putConfig(c: StoredConfig, expectedRev: number | null): Promise<void> {
    const values = [c.connector, c.environment, JSON.stringify(c.settings), c.secrets, c.rev, c.updatedAt, c.updatedBy];
    try {
      await this.sql.batch(
        [
          expectedRev === null
            ? { sql: 'INSERT INTO wf_connector_configs (connector, environment, settings, secrets, rev, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING rev', bind: values, returnsRows: true }
            : { sql: 'UPDATE wf_connector_configs SET settings = $3, secrets = $4, rev = $5, updated_at = $6, updated_by = $7 WHERE connector = $1 AND environment = $2 AND rev = $8 RETURNING rev', bind: [...values, expectedRev], returnsRows: true },
        ],
        (results) => {
          if (!results[0]?.length) throw new ConflictError('connector', c.connector);
        },
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('connector', c.connector);
      throw err;
    }
  }

  async countInWindow(key: string, windowMs: number, now: number): Promise<{ count: number; windowStart: number }> {
    const start = now - (now % windowMs);
    const [rows] = await this.sql.batch(
      [
        {
          // One statement: concurrent callers each get their own count.
          sql: `INSERT INTO wf_rate_windows (key, window_start, count) VALUES ($1, $2, 1)
                ON CONFLICT (key) DO UPDATE SET
                  count = CASE WHEN wf_rate_windows.window_start = excluded.window_start THEN wf_rate_windows.count + 1 ELSE 1 END,
                  window_start = excluded.window_start
                RETURNING count, window_start`,
          bind: [key, start],
          returnsRows: true,
        },
      ],
      noCheck,
    );
    const row = rows?.[0];
    return { count: num(row?.count ?? 1), windowStart: num(row?.window_start ?? start) };
  }

  async insertCallback(record: CallbackRecord): Promise<boolean> {
    try {
      await this.sql.batch(
        [insert('wf_callbacks', [{ id: record.id, connector: record.connector, external_id: record.externalId, received_at: record.receivedAt, payload: record.payload, outcome: record.outcome, detail: record.detail }])],
        noCheck,
      );
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async getCallback(connector: string, externalId: string): Promise<CallbackRecord | null> {
    const [row] = await this.sql.select('SELECT * FROM wf_callbacks WHERE connector = $1 AND external_id = $2', [connector, externalId]);
    return row ? toCallback(row) : null;
  }

  async claimCallback(id: string, now: number, staleBefore: number): Promise<boolean> {
    const [claimed] = await this.sql.batch(
      [{ sql: `UPDATE wf_callbacks SET outcome = 'received', received_at = $2 WHERE id = $1 AND (outcome = 'failed' OR (outcome = 'received' AND received_at < $3)) RETURNING id`, bind: [id, now, staleBefore], returnsRows: true }],
      noCheck,
    );
    return Boolean(claimed?.length);
  }

  async finishCallback(id: string, outcome: CallbackRecord['outcome'], detail: string | null): Promise<void> {
    await this.sql.batch([{ sql: 'UPDATE wf_callbacks SET outcome = $2, detail = $3 WHERE id = $1', bind: [id, outcome, detail] }], noCheck);
  }

  async listCallbacks(connector: string, limit: number): Promise<CallbackRecord[]> {
    return (await this.sql.select('SELECT * FROM wf_callbacks WHERE connector = $1 ORDER BY received_at DESC, id LIMIT $2', [connector, limit])).map(toCallback);
  }

  records(connector: string): RecordStore {
    const { sql, now } = this;
    const get = async (kind: string, key: string): Promise<StoredRecord | null> => {
      const [row] = await sql.select('SELECT * FROM wf_connector_records WHERE connector = $1 AND kind = $2 AND key = $3', [connector, kind, key]);
      return row ? toRecord(row) : null;
    };
    return {
      get,
      async putIfAbsent(kind, key, data) {
        const at = now();
        const text = JSON.stringify(data);
        const [inserted] = await sql.batch(
          [{ sql: `INSERT INTO wf_connector_records (connector, kind, key, data, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT DO NOTHING RETURNING key`, bind: [connector, kind, key, text, at], returnsRows: true }],
          noCheck,
        );
        // Ours went in: it is what was written (as stored, through JSON); else read what was there first.
        if (inserted?.length) return { record: { key, data: JSON.parse(text) as Record<string, unknown>, createdAt: at, updatedAt: at }, inserted: true };
        return { record: (await get(kind, key))!, inserted: false };
      },
      async put(kind, key, data) {
        const at = now();
        await sql.batch(
          [
            {
              sql: `INSERT INTO wf_connector_records (connector, kind, key, data, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
                    ON CONFLICT (connector, kind, key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
              bind: [connector, kind, key, JSON.stringify(data), at],
            },
          ],
          noCheck,
        );
      },
      async list(kind, limit) {
        return (await sql.select('SELECT * FROM wf_connector_records WHERE connector = $1 AND kind = $2 ORDER BY created_at DESC, key LIMIT $3', [connector, kind, limit])).map(toRecord);
      },
    };
  }
}
