import { loadConfig } from './config.ts';
import { createServer } from './server.ts';

const config = loadConfig();
const server = await createServer(config);
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
