import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type express from 'express';
import { builtinConnectors } from '../connectors/index.ts';
import { ConnectorRuntime } from './core/connector-runtime.ts';
import { ConnectorRegistry } from './core/connectors.ts';
import { HandlerRegistry } from './core/handlers.ts';
import { SecretBox } from './core/lib/secret-box.ts';
import { systemClock, type Clock, type Logger } from './core/ports.ts';
import { Scheduler } from './core/scheduler.ts';
import { Workflow, type DictionaryInput } from './core/workflow.ts';
import type { FormDefinition } from '../forms/index.ts';
import { registerBuiltinHandlers } from './builtin-handlers.ts';
import type { Config } from './config.ts';
import { createApp } from './http/app.ts';
import { loadCalendars } from './load-calendars.ts';
import { createLogger } from './logger.ts';
import { BullJobQueue } from './queue/bullmq.ts';
import { migrate, openDatabase, type Database } from './store/connect.ts';
import { ConnectorTables } from './store/connector-tables.ts';
import { LocalBlobStore } from './store/local-blobs.ts';
import { SqlStore } from './store/sql-store.ts';

const DEFINITIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../definitions');

export interface Server {
  app: express.Express;
  workflow: Workflow;
  scheduler: Scheduler;
  db: Database;
  logger: Logger;
  listen(port: number): Promise<http.Server>;
  close(): Promise<void>;
}

export interface ServerOverrides {
  clock?: Clock;
  logger?: Logger;
  /** Register extra handlers (tests, connectors). */
  handlers?: (registry: HandlerRegistry) => void;
}

/** The composition root: config in, a wired server out. */
export async function createServer(config: Config, overrides: ServerOverrides = {}): Promise<Server> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const db = await openDatabase(config.databaseUrl);
  const applied = await migrate(db);
  if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
  const store = new SqlStore(db);
  const handlers = registerBuiltinHandlers(new HandlerRegistry(), logger);
  overrides.handlers?.(handlers);
  const blobs = new LocalBlobStore(path.resolve(config.filesDir));
  const calendars = loadCalendars(config.calendarsDir ?? path.join(DEFINITIONS_DIR, 'calendars'));
  const workflow = new Workflow({ store, handlers, blobs, calendars, clock: overrides.clock ?? systemClock, logger, config: { cacheSize: config.cacheSize, requireAssignee: config.requireAssignee, requireForm: config.requireForm, handlerTimeoutMs: config.handlerTimeoutMs } });
  let baseUrl = config.publicUrl ?? `http://127.0.0.1:${config.port}`;
  const registry = new ConnectorRegistry();
  for (const connector of builtinConnectors()) registry.register(connector);
  const connectors = new ConnectorRuntime(workflow.rt, registry, new ConnectorTables(db.executor), { environment: config.environment, box: new SecretBox(await secretKey(config)), baseUrl: () => baseUrl });
  connectors.registerHandlers(handlers);
  if (config.simulators) await connectors.startSimulatorServers();
  const schedulerOptions = { workerId: config.workerId, leaseMs: config.leaseMs, pollMs: config.pollMs };
  const redisUrl = config.redisUrl;
  const scheduler = new Scheduler(workflow.rt, schedulerOptions, redisUrl ? (options) => new BullJobQueue(workflow.rt, { ...options, redisUrl }) : undefined);
  workflow.rt.onWork = () => scheduler.poke();
  if (config.demo) await deployDemo(workflow, logger);
  const app = createApp({ workflow, logger, connectors, simulators: config.simulators, ready: () => store.ping() });
  let server: http.Server | null = null;
  return {
    app,
    workflow,
    scheduler,
    db,
    logger,
    async listen(port) {
      server = http.createServer(app);
      await new Promise<void>((resolve) => server!.listen(port, resolve));
      // PORT=0 picks a port: the simulators' default addresses and their callbacks follow it.
      if (!config.publicUrl) baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (config.worker) await scheduler.start();
      return server;
    },
    async close() {
      await scheduler.stop();
      await connectors.stopSimulatorServers();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await db.close();
    },
  };
}

/** The key that seals connector secrets: CONNECTOR_SECRET_KEY, else a key file made on first start (kept beside the data). */
async function secretKey(config: Config): Promise<Buffer> {
  if (config.connectorSecretKey) return Buffer.from(config.connectorSecretKey, 'base64');
  const file = path.resolve(config.filesDir, '..', 'connector-secret.key');
  try {
    return Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64');
  } catch {
    const key = randomBytes(32);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, key.toString('base64'), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64');
  }
}

/** Demo content: dictionaries (unless an admin already has them), forms, then the BPMN files that use them. */
async function deployDemo(workflow: Workflow, logger: Logger): Promise<void> {
  const files = async (dir: string, ext: string) =>
    (await fs.readdir(path.join(DEFINITIONS_DIR, dir))).filter((f) => f.endsWith(ext)).sort().map((f) => path.join(DEFINITIONS_DIR, dir, f));
  const known = new Set((await workflow.listDictionaries()).map((d) => d.key));
  for (const file of await files('dictionaries', '.json')) {
    const { key, ...input } = JSON.parse(await fs.readFile(file, 'utf8')) as DictionaryInput & { key: string };
    if (!known.has(key)) await workflow.putDictionary(key, input, undefined, 'system');
  }
  for (const file of await files('forms', '.json')) {
    const result = await workflow.deployForm(JSON.parse(await fs.readFile(file, 'utf8')) as FormDefinition, 'system');
    if (result.created) logger.info({ form: result.id }, 'demo form deployed');
  }
  for (const file of await files('demo', '.bpmn')) {
    const results = await workflow.deploy(await fs.readFile(file, 'utf8'), 'system');
    for (const r of results) if (r.created) logger.info({ definition: r.id }, 'demo definition deployed');
  }
}
