import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Sequelize } from 'sequelize';
import { Umzug, SequelizeStorage } from 'umzug';
import { MIGRATIONS } from '../../migrations/index.ts';
import { PgExecutor, SqliteExecutor, type SqlExecutor } from './executors.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  /** Runs the store's SQL. */
  executor: SqlExecutor;
  dialect: Dialect;
  /**
   * Runs the migrations (Sequelize). On SQLite its connection is closed once
   * they ran: two copies of SQLite (sqlite3 under Sequelize, better-sqlite3 for
   * the store) must never have one file open at once — closing one releases
   * the other's locks and may truncate the shared memory it still maps.
   */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * DATABASE_URL forms: `postgres://user@host/db`, `sqlite:relative/or/abs/path.sqlite`
 * or a bare file path (SQLite).
 */
export function parseDatabaseUrl(url: string): { dialect: Dialect; storage?: string; uri?: string } {
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', uri: url };
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : url;
  return { dialect: 'sqlite', storage: file === ':memory:' ? file : path.resolve(file) };
}

export async function openDatabase(url: string, options: { poolMax?: number } = {}): Promise<Database> {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'postgres') {
    // Sequelize needs a connection only for migrations; the store has its own pool.
    const sequelize = new Sequelize(target.uri!, { dialect: 'postgres', logging: false, pool: { max: 2, min: 0, idle: 10_000 } });
    await sequelize.authenticate();
    const executor = new PgExecutor(target.uri!, options.poolMax ?? 10);
    return {
      executor,
      dialect: 'postgres',
      migrate: () => runMigrations(sequelize),
      async close() {
        await executor.close();
        await sequelize.close();
      },
    };
  }
  // An in-memory database lives on one connection: the migrations' and the store's would not meet.
  if (target.storage === ':memory:') throw new Error('DATABASE_URL: SQLite needs a file (sqlite:data/workflow.sqlite), not :memory:');
  privateFile(target.storage!);
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: target.storage, logging: false });
  let executor: SqliteExecutor | null = null;
  let migrating = false;
  return {
    // Opened on first use, after the migrations (see above).
    get executor() {
      if (migrating) throw new Error('the store is not usable while migrations run');
      executor ??= new SqliteExecutor(target.storage!);
      return executor;
    },
    dialect: 'sqlite',
    async migrate() {
      if (executor) throw new Error('migrate before using the store');
      migrating = true;
      try {
        return await runMigrations(sequelize);
      } finally {
        migrating = false;
        await sequelize.close();
      }
    },
    async close() {
      await executor?.close();
      executor = null;
    },
  };
}

/** Apply pending migrations (once per opened database). On PostgreSQL an advisory lock keeps concurrent starters in line. */
/**
 * The database file is readable by this user only (0600, its folder 0700 when
 * made here). SQLite gives its -wal and -shm files the database file's mode.
 */
function privateFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
}

export function migrate(db: Database): Promise<string[]> {
  return db.migrate();
}

function runMigrations(sequelize: Sequelize): Promise<string[]> {
  const umzug = new Umzug({
    migrations: MIGRATIONS.map((m) => ({ name: m.name, up: m.up })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'wf_migrations' }),
    logger: undefined,
  });
  if (sequelize.getDialect() !== 'postgres') return umzug.up().then((ms) => ms.map((m) => m.name));
  return sequelize.transaction(async (transaction) => {
    await sequelize.query('SELECT pg_advisory_xact_lock(727274)', { transaction });
    return (await umzug.up()).map((m) => m.name);
  });
}

let sandboxImage: Promise<Buffer> | null = null;

/**
 * A database of its own in memory, migrated, gone when closed: where a
 * simulation runs (nothing reaches the live tables). The migrations run once
 * per process, into a file whose image every sandbox then starts from.
 */
export async function sandboxDatabase(): Promise<Database> {
  sandboxImage ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-sandbox-'));
    try {
      const file = path.join(dir, 'image.sqlite');
      await openDatabase(`sqlite:${file}`).then((db) => db.migrate());
      return fs.readFileSync(file);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  })();
  const executor = new SqliteExecutor(await sandboxImage);
  return { executor, dialect: 'sqlite', migrate: async () => [], close: () => executor.close() };
}
