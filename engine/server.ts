import { isWorkflowError } from './core/errors.ts';
import { createHmac, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type express from 'express';
import type { FormDefinition } from '../forms/index.ts';
import { registerBuiltinHandlers } from './builtin-handlers.ts';
import { shippedCatalog } from './catalog-content.ts';
import type { Config } from './config.ts';
import { AnchorKey, verifyAudit } from './core/audit.ts';
import type { ConnectorCalls } from './core/connectors/port.ts';
import { HandlerRegistry } from './core/handlers.ts';
import { SYSTEM_ACTOR } from './core/org/actor.ts';
import type { OrgAdmin } from './core/org/admin.ts';
import { Auth, DEFAULT_AUTH, type AuthConfig, type CodeChannel } from './core/org/auth.ts';
import { systemClock, type Clock, type Logger } from './core/ports.ts';
import { Scheduler } from './core/scheduler.ts';
import { editCatalog, publishService, readCatalog, serviceStatuses } from './core/usecases/catalog.ts';
import { housekeeping } from './core/usecases/housekeeping.ts';
import { deliverNotices } from './core/usecases/notice-delivery.ts';
import type { DictionaryInput, Workflow } from './core/workflow.ts';
import { loadDemoOrg } from './demo-org.ts';
import { mountWeb } from './http/web.ts';
import { PORTAL_RENDERER, WEB_DIST, WEB_RENDERER } from './web-build.ts';
import { createApp } from './http/app.ts';
import { sessionAuthenticator } from './http/authenticate.ts';
import { loadCalendars, loadSlaTables } from './load-calendars.ts';
import { createLogger } from './logger.ts';
import { BullJobQueue } from './queue/bullmq.ts';
import { AnchorFile } from './store/anchor-file.ts';
import { AuditTables } from './store/audit-tables.ts';
import { migrate, openDatabase, type Database } from './store/connect.ts';
import { LocalBlobStore } from './store/local-blobs.ts';
import { DEFINITIONS_DIR, wireConnectors, wireEngine, frontOf } from './wiring.ts';

export interface Server {
  config: Config;
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
  const handlers = registerBuiltinHandlers(new HandlerRegistry(), logger);
  overrides.handlers?.(handlers);
  const calendars = loadCalendars(config.calendarsDir ?? path.join(DEFINITIONS_DIR, 'calendars'));
  const slas = loadSlaTables(config.slaDir ?? path.join(DEFINITIONS_DIR, 'sla'), calendars);
  const clock = overrides.clock ?? systemClock;
  const sealing = await secretKey(config);
  const { store, workflow, orgStore, directory, admin } = wireEngine({
    documentKey: createHmac('sha256', sealing).update('electronic documents').digest(),
    linkKey: createHmac('sha256', sealing).update('portal links').digest(),
    db,
    clock,
    logger,
    handlers,
    blobs: new LocalBlobStore(path.resolve(config.filesDir)),
    calendars,
    slas,
    threeAdmins: config.threeAdmins,
    config: {
      cacheSize: config.cacheSize,
      requireAssignee: config.requireAssignee,
      requireForm: config.requireForm,
      handlerTimeoutMs: config.handlerTimeoutMs,
      uploadsPerMinute: config.uploadsPerMinute,
      uploadQuotaBytes: config.uploadQuotaBytes,
      uploadTtlMs: config.uploadTtlMs,
    },
  });
  let baseUrl = config.publicUrl ?? `http://127.0.0.1:${config.port}`;
  const { connectors, stop: stopSimulators } = await wireConnectors({ workflow, db, environment: config.environment, secretKey: sealing, simulators: config.simulators, baseUrl: () => baseUrl });
  if (config.simulators) {
    logger.warn(
      {
        simulators: connectors
          .list()
          .filter((c) => c.simulator || c.simulatorServer)
          .map((c) => c.name),
      },
      'SIMULATORS ARE ON: connectors nobody configured talk to local stand-ins under /sim and accept notices signed with keys published in the source code; set SIMULATORS=false for real services',
    );
  } else for (const { connector, warnings } of await connectors.settings.unconfigured()) logger.warn({ connector, warnings }, 'connector not configured');
  if (config.demo) logger.warn({ demo: true }, 'DEMO DATA IS ON: the demo users sign in with the published password Demo2026; set DEMO=false (NODE_ENV=production refuses demo data)');
  const audit = new AuditTables(db.executor);
  const anchorKey = await auditAnchorKey(config);
  const anchorCopies = new AnchorFile(config.auditAnchorFile);
  const schedulerOptions = { workerId: config.workerId, leaseMs: config.leaseMs, pollMs: config.pollMs };
  const redisUrl = config.redisUrl;
  const scheduler = new Scheduler(workflow.services, schedulerOptions, redisUrl ? (options) => new BullJobQueue(workflow.services, { ...options, redisUrl, prefix: config.redisPrefix }) : undefined);
  workflow.services.onWork = () => scheduler.poke();
  scheduler.also(() => deliverNotices(workflow.services, connectors.operations, orgStore));
  scheduler.also(
    housekeeping({
      clock,
      trail: audit,
      key: anchorKey,
      copies: anchorCopies,
      anchorEveryMs: config.auditAnchorEveryMs,
      retentionMs: config.auditRetentionMs,
      expireUploads: (now) => workflow.expireUploads(now),
      logger,
    }),
  );
  await admin.ensureBuiltinRoles();
  const authConfig: AuthConfig = {
    ...DEFAULT_AUTH,
    sessionIdleMs: config.sessionIdleMs,
    sessionMaxMs: config.sessionMaxMs,
    accountMaxFailures: config.loginMaxFailures,
    lockMs: config.loginLockMs,
    codesPerClient: config.smsCodesPerClient,
  };
  const auth = new Auth({ store: orgStore, directory, clock, config: authConfig, codes: smsCodes(connectors.operations), newCitizen: (mobile) => admin.addCitizen(mobile), audit });
  if (config.demo) await deployDemo(workflow, admin, logger, config.threeAdmins);
  else await ensureAdministrator(admin, config, logger);
  const people = { auth, admin, directory, authConfig, secureCookies: config.secureCookies, audit, verifyAudit: () => verifyAudit(audit, anchorKey, anchorCopies) };
  const app = createApp({
    ...frontOf(workflow),
    logger,
    connectors,
    simulators: config.simulators,
    ready: () => store.ping(),
    authenticate: sessionAuthenticator(auth),
    people,
    audit,
    https: (config.publicUrl ?? '').startsWith('https:'),
    mount: (a) => mountWeb(a, WEB_DIST, { renderers: { staff: WEB_RENDERER, portal: PORTAL_RENDERER }, logger }),
  });
  let server: http.Server | null = null;
  return {
    config,
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
      await stopSimulators();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await db.close();
    },
  };
}

/** The key that seals connector secrets: CONNECTOR_SECRET_KEY, else a key file made on first start (kept beside the data). */
async function secretKey(config: Config): Promise<Buffer> {
  if (config.connectorSecretKey) return Buffer.from(config.connectorSecretKey, 'base64');
  return Buffer.from(await keyFile(path.resolve(config.filesDir, '..', 'connector-secret.key'), () => randomBytes(32).toString('base64')), 'base64');
}

/** The key signing audit anchors: AUDIT_ANCHOR_KEY, else a key file made on first start. The database never holds it. */
async function auditAnchorKey(config: Config): Promise<AnchorKey> {
  if (config.auditAnchorKey) return AnchorKey.fromPem(config.auditAnchorKey);
  const make = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return AnchorKey.fromPem(await keyFile(path.resolve(config.filesDir, '..', 'audit-anchor.pem'), make));
}

/** A secret kept in a file of its own (0600), made once: the first of several starting processes wins. */
async function keyFile(file: string, make: () => string): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await fs.writeFile(file, make(), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await fs.readFile(file, 'utf8')).trim();
  }
}

/** Citizens' sign-in codes go out through the SMS connector (purpose "login"). */
function smsCodes(connectors: ConnectorCalls): CodeChannel {
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

const shippedFiles = async (dir: string, ext: string) =>
  (await fs.readdir(path.join(DEFINITIONS_DIR, dir)))
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => path.join(DEFINITIONS_DIR, dir, f));

/** The shipped dictionaries (unless an admin already has them) and forms: what the demo flows, and their scenarios, fill in. */
export async function loadShippedForms(workflow: Workflow, logger: Logger): Promise<void> {
  const known = new Set((await workflow.listDictionaries()).map((d) => d.key));
  for (const file of await shippedFiles('dictionaries', '.json')) {
    const { key, ...input } = JSON.parse(await fs.readFile(file, 'utf8')) as DictionaryInput & { key: string };
    if (!known.has(key)) await workflow.putDictionary(key, input, undefined, 'system');
  }
  for (const file of await shippedFiles('forms', '.json')) {
    const result = await workflow.deployForm(JSON.parse(await fs.readFile(file, 'utf8')) as FormDefinition, 'system');
    if (result.created) logger.info({ form: result.id }, 'demo form deployed');
  }
}

/** Demo content: the organisation, dictionaries (unless an admin already has them), forms, then the BPMN files that use them. */
async function deployDemo(workflow: Workflow, admin: OrgAdmin, logger: Logger, threeAdmins: boolean): Promise<void> {
  if (!(await admin.hasUsers())) {
    const loaded = await loadDemoOrg(admin, { passwords: true, threeAdmins });
    // The demo citizen signed up with a verified phone and gave name and ID: real-name level 1 (the 实名认证 flow raises it).
    await workflow.services.store.raiseIdentityLevel('citizen', 1, null, Date.now());
    logger.info(loaded, 'demo organisation loaded');
  }
  await loadShippedForms(workflow, logger);
  for (const file of await shippedFiles('demo', '.bpmn')) {
    // A demo flow whose saved scenarios fail here (an organisation changed by hand) is left out, not the server.
    const results = await workflow.deploy(await fs.readFile(file, 'utf8'), 'system').catch((err: unknown) => {
      if (!isWorkflowError(err, 'WF_ERR_SCENARIOS_FAILED')) throw err;
      logger.warn({ file, reason: err.localizedMessage('en') }, 'demo definition not deployed: its scenarios fail');
      return [];
    });
    for (const r of results) if (r.created) logger.info({ definition: r.id }, 'demo definition deployed');
  }
  await loadShippedCatalog(workflow, logger);
}

/** The catalog rows shipped with the product, into an empty catalog; each service never published is published. */
async function loadShippedCatalog(workflow: Workflow, logger: Logger): Promise<void> {
  const { revision } = await readCatalog(workflow.services);
  if (revision === 0) {
    const { changed } = await editCatalog(workflow.services, { put: await shippedCatalog() }, 'system');
    logger.info({ rows: changed }, 'service catalog loaded');
  }
  for (const status of await serviceStatuses(workflow.services)) {
    if (status.publication) continue;
    // A service that does not compile (an analyst's unfinished rows) waits for them: it does not stop the server.
    try {
      const published = await publishService(workflow.services, status.service, 'system');
      logger.info({ service: status.service, definition: published.definitionId }, 'catalog service published');
    } catch (err) {
      logger.warn({ service: status.service, error: err instanceof Error ? err.message : String(err) }, 'catalog service not published');
    }
  }
}
