import path from 'node:path';
import { Sequelize } from 'sequelize';
import { Umzug, SequelizeStorage } from 'umzug';
import { MIGRATIONS } from '../../migrations/index.ts';
import { drainPool, pooledSqlite3 } from './sqlite-driver.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  sequelize: Sequelize;
  dialect: Dialect;
  close(): Promise<void>;
}

/**
 * DATABASE_URL forms: `postgres://user@host/db`, `sqlite:relative/or/abs/path.sqlite`,
 * `sqlite::memory:` or a bare file path (SQLite).
 */
export function parseDatabaseUrl(url: string): { dialect: Dialect; storage?: string; uri?: string } {
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', uri: url };
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : url;
  return { dialect: 'sqlite', storage: file === ':memory:' ? file : path.resolve(file) };
}

export async function openDatabase(url: string, options: { poolMax?: number } = {}): Promise<Database> {
  const target = parseDatabaseUrl(url);
  let sequelize: Sequelize;
  let close: () => Promise<void>;
  if (target.dialect === 'postgres') {
    sequelize = new Sequelize(target.uri!, {
      dialect: 'postgres',
      logging: false,
      pool: { max: options.poolMax ?? 10, min: 0, idle: 10_000 },
    });
    close = () => sequelize.close();
  } else {
    const driver = pooledSqlite3();
    sequelize = new Sequelize({ dialect: 'sqlite', storage: target.storage, logging: false, dialectModule: driver });
    close = async () => {
      await sequelize.close();
      await drainPool(driver);
    };
  }
  await sequelize.authenticate();
  return { sequelize, dialect: target.dialect, close };
}

/** Apply pending migrations. On PostgreSQL an advisory lock keeps concurrent starters in line. */
export async function migrate(db: Database): Promise<string[]> {
  const umzug = new Umzug({
    migrations: MIGRATIONS.map((m) => ({ name: m.name, up: m.up })),
    context: db.sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize: db.sequelize, tableName: 'wf_migrations' }),
    logger: undefined,
  });
  if (db.dialect !== 'postgres') return (await umzug.up()).map((m) => m.name);
  return db.sequelize.transaction(async (transaction) => {
    await db.sequelize.query('SELECT pg_advisory_xact_lock(727274)', { transaction });
    return (await umzug.up()).map((m) => m.name);
  });
}
