/**
 * How the parts are wired, in one place: the engine (store, organisation,
 * calendars, the use cases) and the connectors (registry, settings, simulator
 * servers, handlers). createServer (server.ts) calls these, and so do the test
 * harnesses and the benchmark — nobody repeats the wiring.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinConnectors } from '../connectors/index.ts';
import { answerFrom } from '../definitions/catalog/knowledge.ts';
import type { CalendarRegistry } from './core/calendar/registry.ts';
import type { SlaRegistry } from './core/calendar/sla.ts';
import { frontDoor, type Api } from './core/api/front-door.ts';
import { Connectors } from './core/connectors/facade.ts';
import { ConnectorRegistry, type Connector } from './core/connectors/port.ts';
import type { HandlerRegistry } from './core/handlers.ts';
import { SecretBox } from './core/lib/secret-box.ts';
import { OrgAdmin } from './core/org/admin.ts';
import { issueDocument } from './core/usecases/documents.ts';
import { copyByRules } from './core/usecases/inbox.ts';
import { sandboxFactory } from './sandbox.ts';
import { CC_HANDLER } from '../definitions/approval/compile.ts';
import { OrgDirectory } from './core/org/directory.ts';
import type { BlobStore, Clock, Logger } from './core/ports.ts';
import type { RuntimeConfig } from './core/services.ts';
import { Workflow } from './core/workflow.ts';
import { loadCalendars, loadSlaTables } from './load-calendars.ts';
import type { Database } from './store/connect.ts';
import { ConnectorTables } from './store/connector-tables.ts';
import { OrgTables } from './store/org-tables.ts';
import { SqlStore } from './store/sql-store.ts';

/** What the HTTP app needs of the engine: the front door and the clock. */
export const frontOf = (workflow: Workflow): { api: Api; clock: Clock } => ({ api: frontDoor(workflow), clock: workflow.services.clock });

export const DEFINITIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../definitions');

export interface EngineParts {
  db: Database;
  clock: Clock;
  logger: Logger;
  handlers: HandlerRegistry;
  /** Where uploads go; none: uploads are refused. */
  blobs?: BlobStore;
  /** Default: definitions/calendars and definitions/sla. */
  calendars?: CalendarRegistry;
  slas?: SlaRegistry;
  config?: Partial<RuntimeConfig>;
  /** Three-admin separation (三员管理). */
  threeAdmins?: boolean;
  /** The case history's hash chain; off only to measure what it costs (the benchmark). */
  chained?: boolean;
  /** Signs electronic documents' QR codes (the server derives it from its secret key). */
  documentKey?: Uint8Array;
  /** Signs links back to the portal (likewise derived). */
  linkKey?: Uint8Array;
}

export interface Engine {
  store: SqlStore;
  workflow: Workflow;
  orgStore: OrgTables;
  directory: OrgDirectory;
  admin: OrgAdmin;
}

/** The store, the organisation and the use cases on one database. */
export function wireEngine(parts: EngineParts): Engine {
  const store = new SqlStore(parts.db, { chained: parts.chained ?? true });
  const calendars = parts.calendars ?? loadCalendars(path.join(DEFINITIONS_DIR, 'calendars'));
  const slas = parts.slas ?? loadSlaTables(path.join(DEFINITIONS_DIR, 'sla'), calendars);
  const orgStore = new OrgTables(parts.db.executor);
  const directory = new OrgDirectory(orgStore, () => parts.clock.now());
  const workflow = new Workflow({
    store,
    handlers: parts.handlers,
    ...(parts.blobs && { blobs: parts.blobs }),
    ...(parts.documentKey && { documentKey: parts.documentKey }),
    ...(parts.linkKey && { linkKey: parts.linkKey }),
    calendars,
    slas,
    org: directory,
    clock: parts.clock,
    logger: parts.logger,
    ...(parts.config && { config: parts.config }),
  });
  const admin = new OrgAdmin(orgStore, directory, parts.clock, { separation: parts.threeAdmins ?? false });
  // Scenarios run in sandboxes of their own (designer, deploy, npm run scenarios).
  workflow.sandboxes = sandboxFactory(workflow);
  // A service's knowledge base answers from the catalog's rows as they are now.
  if (!parts.handlers.get('catalog.answer'))
    parts.handlers.register('catalog.answer', async (ctx) => {
      const { rows } = await store.loadCatalog();
      const entries = rows.filter((r) => r.table === 'knowledge' && r.service === String(ctx.input.service)).map((r) => r.data);
      return { ...answerFrom(entries, String(ctx.input.question ?? '')) };
    });
  // After identity.verify: the level it passed is kept on the initiator's account.
  if (!parts.handlers.get('identity.record'))
    parts.handlers.register('identity.record', async (ctx) => {
      const instance = await store.getInstance(ctx.instanceId);
      const level = Number(ctx.variables.identityLevel);
      if (!instance?.startedBy || ctx.variables.identityPassed !== true || !(level >= 1 && level <= 3)) return { identityRecorded: false };
      await store.raiseIdentityLevel(instance.startedBy, level, typeof ctx.variables.verificationId === 'string' ? ctx.variables.verificationId : null, parts.clock.now());
      return { identityRecorded: true };
    });
  // An approval tree's copy node (抄送).
  if (!parts.handlers.get(CC_HANDLER)) parts.handlers.register(CC_HANDLER, (ctx) => copyByRules(workflow.services, ctx));
  if (!parts.handlers.get('documents.issue')) parts.handlers.register('documents.issue', (ctx) => issueDocument(workflow.services, workflow.services.documentKey, ctx));
  return { store, workflow, orgStore, directory, admin };
}

export interface ConnectorParts {
  workflow: Workflow;
  db: Database;
  environment: string;
  /** 32 bytes sealing the connectors' secrets. */
  secretKey: Buffer;
  /** Run the local simulators (and their servers): a connector nobody configured talks to its own. */
  simulators: boolean;
  /** Where this server is reached (known once it listens). */
  baseUrl(): string;
  /** Default: the built-in connectors (connectors/). */
  connectors?: Connector[];
}

export interface WiredConnectors {
  connectors: Connectors;
  /** Stop the simulators that are servers of their own (SMTP …). */
  stop(): Promise<void>;
}

/** The connectors with their settings, callbacks and simulators; their operations become the workflow's handlers. */
export async function wireConnectors(parts: ConnectorParts): Promise<WiredConnectors> {
  const registry = new ConnectorRegistry();
  for (const connector of parts.connectors ?? builtinConnectors()) registry.register(connector);
  const store = new ConnectorTables(parts.db.executor);
  // Simulators that are servers of their own start first: their ports are in the connectors' default settings.
  const servers = new Map<string, { port: number; close(): Promise<void> }>();
  if (parts.simulators) {
    for (const connector of registry.list()) {
      if (!connector.simulatorServer) continue;
      servers.set(connector.name, await connector.simulatorServer({ records: store.records(`sim:${connector.name}`), config: connector.defaults({ baseUrl: '', port: null }), now: () => Date.now() }));
    }
  }
  const { workflow } = parts;
  const { services } = workflow;
  const deps = {
    store: services.store,
    blobs: services.blobs,
    clock: services.clock,
    logger: services.logger,
    newId: services.newId,
    handlerTimeoutMs: services.config.handlerTimeoutMs,
    linkKey: services.linkKey,
    findCase: workflow.findCase.bind(workflow),
    correlate: workflow.correlate.bind(workflow),
  };
  const connectors = new Connectors(registry, store, deps, {
    environment: parts.environment,
    box: new SecretBox(parts.secretKey),
    simulators: parts.simulators,
    simulatorAddress: (name) => ({ baseUrl: `${parts.baseUrl()}/sim/${name}`, port: servers.get(name)?.port ?? null }),
    baseUrl: parts.baseUrl,
  });
  connectors.operations.registerHandlers(parts.workflow.services.handlers);
  return {
    connectors,
    async stop() {
      await Promise.all([...servers.values()].map((s) => s.close()));
      servers.clear();
    },
  };
}
