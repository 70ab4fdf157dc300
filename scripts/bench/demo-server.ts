/** The product as `npm start` wires it (demo data, the shipped catalog) on SQLite in a temporary folder, for the browser rows. */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../engine/config.ts';
import { silentLogger } from '../../engine/core/ports.ts';
import { createServer, type Server } from '../../engine/server.ts';

export async function startDemoServer(name: string): Promise<{ server: Server; base: string; close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`,
    PORT: '0',
    DEMO: 'true',
    WORKER: 'false',
    FILES_DIR: path.join(dir, 'files'),
    CONNECTOR_SECRET_KEY: Buffer.alloc(32, 5).toString('base64'),
  });
  const server = await createServer(config, { logger: silentLogger });
  const listening = await server.listen(0);
  return {
    server,
    base: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
