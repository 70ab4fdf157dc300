import { loadConfig } from './config.ts';
import { createServer } from './server.ts';
import { ensureWebBuild } from './web-build.ts';

const config = loadConfig();
const server = await createServer(config);
// The web pages are built on first start and whenever their sources changed (WEB_BUILD=false: serve what is there).
if (process.env.WEB_BUILD !== 'false') await ensureWebBuild((message) => server.logger.info({ web: 'designer/dist' }, message));
const http = await server.listen(config.port);
const address = http.address();
server.logger.info({ port: typeof address === 'object' && address ? address.port : config.port, database: config.databaseUrl.replace(/\/\/[^@]*@/, '//***@') }, 'listening');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err) => {
        server.logger.error({ err: String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
