import { randomBytes, randomUUID } from 'node:crypto';
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
import { deliverNotices } from './core/usecases/notice-delivery.ts';
import { sessionAuthenticator } from './http/authenticate.ts';
import { SYSTEM_ACTOR } from './core/org/actor.ts';
import { OrgAdmin } from './core/org/admin.ts';
import { loadDemoOrg } from './demo-org.ts';
import { Auth, DEFAULT_AUTH, type AuthConfig, type CodeChannel } from './core/org/auth.ts';
import { OrgDirectory } from './core/org/directory.ts';
import { OrgTables } from './store/org-tables.ts';
import { loadCalendars, loadSlaTables } from './load-calendars.ts';
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
  const slas = loadSlaTables(config.slaDir ?? path.join(DEFINITIONS_DIR, 'sla'), calendars);
  const clock = overrides.clock ?? systemClock;
  const orgStore = new OrgTables(db.executor);
  const directory = new OrgDirectory(orgStore, () => clock.now());
  const workflow = new Workflow({ store, handlers, blobs, calendars, slas, org: directory, clock, logger, config: { cacheSize: config.cacheSize, requireAssignee: config.requireAssignee, requireForm: config.requireForm, handlerTimeoutMs: config.handlerTimeoutMs } });
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
  scheduler.also(() => deliverNotices(workflow.rt, connectors, orgStore));
  const admin = new OrgAdmin(orgStore, directory, clock, { separation: config.threeAdmins });
  await admin.ensureBuiltinRoles();
  const authConfig: AuthConfig = { ...DEFAULT_AUTH, sessionIdleMs: config.sessionIdleMs, sessionMaxMs: config.sessionMaxMs, accountMaxFailures: config.loginMaxFailures, lockMs: config.loginLockMs };
  const auth = new Auth(orgStore, directory, clock, authConfig, smsCodes(connectors), (mobile) => admin.addCitizen(mobile));
  if (config.demo) await deployDemo(workflow, admin, logger, config.threeAdmins);
  else await ensureAdministrator(admin, config, logger);
  const people = { auth, admin, directory, authConfig, secureCookies: config.secureCookies };
  const app = createApp({ workflow, logger, connectors, simulators: config.simulators, ready: () => store.ping(), authenticate: sessionAuthenticator(auth), people });
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

/** Citizens' sign-in codes go out through the SMS connector (purpose "login"). */
function smsCodes(connectors: ConnectorRuntime): CodeChannel {
  return {
    async send(mobile) {
      await connectors.invoke('sms', 'sendCode', { phone: mobile, purpose: 'login' }, randomUUID());
    },
    async check(mobile, code) {
      const answer = await connectors.invoke('sms', 'checkCode', { phone: mobile, purpose: 'login', code }, randomUUID());
      return answer.codeValid === true ? null : String(answer.codeProblem ?? 'wrong');
    },
  };
}

/** Without demo data, an empty organisation gets one administrator, so someone can sign in at all. */
async function ensureAdministrator(admin: OrgAdmin, config: Config, logger: Logger): Promise<void> {
  if (await admin.hasUsers()) return;
  const password = config.adminPassword ?? `${randomBytes(9).toString('base64url')}7a`;
  await admin.putUser({ id: 'admin', name: '系统管理员', password, roles: [config.threeAdmins ? 'sysadmin' : 'admin'] }, SYSTEM_ACTOR);
  logger.warn({ username: 'admin', ...(config.adminPassword ? {} : { password }) }, 'first administrator created; change the password after signing in');
}

/** Demo content: the organisation, dictionaries (unless an admin already has them), forms, then the BPMN files that use them. */
async function deployDemo(workflow: Workflow, admin: OrgAdmin, logger: Logger, threeAdmins: boolean): Promise<void> {
  if (!(await admin.hasUsers())) {
    const loaded = await loadDemoOrg(admin, { passwords: true, threeAdmins });
    logger.info(loaded, 'demo organisation loaded');
  }
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
