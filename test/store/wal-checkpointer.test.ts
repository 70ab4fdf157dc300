/** The SQLite write-ahead log is checkpointed off the writer's thread and stays bounded under sustained writes. */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SqliteExecutor } from '../../engine/store/executors.ts';
import { removeTemp, tempDir } from '../support/services.ts';

const PAGE = 4096;

describe('SQLite WAL checkpoints', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('wal');
  });
  afterEach(() => removeTemp(dir));

  const walSize = (file: string) => (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);

  it('Given sustained writes, when the checkpointer runs beside the writer, then the log stays near its bound and every row reaches the database file', async () => {
    const file = path.join(dir, 'db.sqlite');
    const executor = new SqliteExecutor(file, { intervalMs: 10, maxWalPages: 64 });
    await executor.batch([{ sql: 'CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)', bind: [] }], () => undefined);
    await sleep(500); // the worker thread starts
    let largest = 0;
    for (let i = 0; i < 800; i++) {
      await executor.batch([{ sql: 'INSERT INTO t (body) VALUES ($1)', bind: [Buffer.alloc(PAGE, i % 256)] }], () => undefined);
      largest = Math.max(largest, walSize(file));
      if (i % 4 === 0) await sleep(1);
    }
    // 800 rows of a page or more each: without checkpoints the log would hold more than 2000 pages.
    expect(largest).to.be.below(600 * PAGE);
    expect(fs.statSync(file).size).to.be.above(200 * PAGE);
    await executor.close();
    const reopened = new SqliteExecutor(file);
    expect(await reopened.select('SELECT COUNT(*) AS n FROM t')).to.deep.equal([{ n: 800 }]);
    await reopened.close();
  });
  it('Given a process with nothing else to do, when it closes the store, then the close finishes and the process exits 0 (not 13, unsettled)', () => {
    const executors = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../engine/store/executors.ts');
    const script = path.join(dir, 'close.mts');
    fs.writeFileSync(
      script,
      `import { SqliteExecutor } from ${JSON.stringify(executors)};
const executor = new SqliteExecutor(${JSON.stringify(path.join(dir, 'db.sqlite'))});
await executor.select('SELECT 1');
await executor.close();
console.log('closed');
`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 20_000 });
    expect(run.stdout.trim(), run.stderr).to.equal('closed');
    expect(run.status).to.equal(0);
  });
});
