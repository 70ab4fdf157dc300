import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { explain, invalid, pickLocale, WorkflowError } from '../core/errors.ts';
import type { Api } from '../core/api/front-door.ts';
import type { Connectors } from '../core/connectors/facade.ts';
import { apiRoutes } from './api-routes.ts';
import { connectorRoutes, mountRawConnectorRoutes } from './connector-routes.ts';
import { errorBody, toWorkflowError } from './error-body.ts';
import { jobRoutes } from './job-routes.ts';
import { xmlText } from './xml-body.ts';
import { inboxRoutes } from './inbox-routes.ts';
import { catalogRoutes } from './catalog-routes.ts';
import { hallRoutes } from './hall-routes.ts';
import { documentRoutes } from './document-routes.ts';
import { invitationRoutes } from './invitation-routes.ts';
import { formRoutes } from './form-routes.ts';
import { readMultipart } from './multipart.ts';
import { openApiDocument } from './openapi.ts';
import type { ApiResponse, Route } from './route.ts';
import { demand } from '../core/org/actor.ts';
import type { Authenticate, Caller } from './authenticate.ts';
import { redact, type AuditTrail } from '../core/audit.ts';
import type { Clock, Logger } from '../core/ports.ts';
import { authRoutes, orgRoutes, type PeopleOptions } from './people-routes.ts';
import { check } from './validation.ts';

export interface AppOptions {
  /** The core's front door (engine/core/api/): every route reaches the core through it. */
  api: Api;
  clock: Clock;
  /** Connectors: callbacks, admin routes and (with `simulators`) the local simulators. */
  connectors?: Connectors;
  simulators?: boolean;
  logger: Logger;
  /** Throws when a dependency (the database) is not usable. */
  ready(): Promise<void>;
  /** Extra routers mounted before the API's 404 (e.g. the web front end). */
  mount?: (app: express.Express) => void;
  /** Who calls (sessions and tokens by default, see authenticate.ts). */
  authenticate: Authenticate;
  /** Sign-in and the organisation's routes. */
  people?: PeopleOptions;
  /** Where audited routes (and refused access) are recorded; absent: not recorded (tests of other things). */
  audit?: AuditTrail;
  /** Served over HTTPS (PUBLIC_URL is https): HSTS, and insecure requests upgraded. */
  https?: boolean;
}

/** Every route of the API, as served and as documented. */
export function allRoutes(api: Api, clock: Clock, connectors?: Connectors, people?: PeopleOptions): Route[] {
  return [
    ...apiRoutes(api, clock),
    ...formRoutes(api, clock),
    ...catalogRoutes(api),
    ...hallRoutes(api, connectors),
    ...documentRoutes(api),
    ...invitationRoutes(api),
    ...jobRoutes(api),
    ...inboxRoutes(api, clock),
    ...(connectors ? connectorRoutes(connectors) : []),
    ...(people ? [...authRoutes(people), ...orgRoutes(people)] : []),
  ];
}

export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(options.https ?? false));
  app.set('query parser', 'simple');
  if (options.connectors) mountRawConnectorRoutes(app, options.connectors, { simulators: options.simulators ?? false, logger: options.logger, authenticate: options.authenticate });
  app.use(express.json({ limit: '2mb', type: ['application/json', 'application/*+json'] }));
  // Bounded before anything compiles or walks it (a form schema nested 3,000 deep overflowed the stack).
  app.use((req, _res, next) => next(deeperThan(req.body, MAX_JSON_DEPTH) ? new WorkflowError('WF_ERR_BODY_TOO_DEEP', { limit: MAX_JSON_DEPTH }, 'body') : undefined));
  app.use(express.raw({ limit: '5mb', type: ['application/xml', 'text/xml', 'application/bpmn+xml'] }), xmlText);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await options.ready();
      res.json({ status: 'ready' });
    } catch (err) {
      throw new WorkflowError('WF_ERR_NOT_READY', { detail: explain(err, '数据库或队列无法连接') });
    }
  });

  const routes = allRoutes(options.api, options.clock, options.connectors, options.people);
  const document = openApiDocument(routes);
  app.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  const audit = auditor(options.audit, options.clock);
  for (const route of routes) app[route.method](route.path, handler(route, options.authenticate, audit));

  options.mount?.(app);
  app.use((req, _res, next) => next(new WorkflowError('WF_ERR_ROUTE_NOT_FOUND', { method: req.method, path: req.path })));
  app.use(errorHandler(options.logger));
  return app;
}

/**
 * Security headers on every answer: a Content-Security-Policy (own origin
 * only; no framing by other sites), nosniff, no referrer, and HSTS over HTTPS.
 */
function securityHeaders(https: boolean) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'frame-ancestors': ["'none'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        // The forms library compiles a form's schema into a function (ajv) in the browser too; no inline script.
        'script-src': ["'self'", "'unsafe-eval'"],
        'upgrade-insecure-requests': https ? [] : null,
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: https ? { maxAge: 180 * 24 * 3600, includeSubDomains: true } : false,
  });
}

/** Nesting a request body may have: a form schema with sections, tables and their rows needs a dozen. */
const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests deeper than `max` (walked without recursion). */
function deeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** One object for every route without query parameters: compiled schemas are cached by identity (a new literal per request compiled, and was kept, each time). */
const NO_QUERY = { type: 'object', additionalProperties: false };

type Auditor = (route: Route, caller: Caller | null, ip: string, params: Record<string, unknown>, body: unknown, outcome: ApiResponse | WorkflowError) => Promise<void>;

/** Audited routes' successes, and every refusal of a signed-in caller (403), go to the audit trail. */
function auditor(trail: AuditTrail | undefined, clock: Clock): Auditor {
  return async (route, caller, ip, params, body, outcome) => {
    if (!trail) return;
    const target = typeof params.id === 'string' ? params.id : typeof params.key === 'string' ? params.key : null;
    const at = clock.now();
    const actor = caller?.actor.id ?? null;
    if (outcome instanceof WorkflowError) {
      if (outcome.status !== 403 || !caller) return;
      await trail.record({ at, actor, address: ip, action: 'access.denied', target: `${route.method.toUpperCase()} ${route.path}`, data: { code: outcome.code, ...(target && { id: target }) } });
      return;
    }
    if (!route.audit || outcome.audit === false) return;
    const input = route.audit.input === false ? undefined : redact(body);
    await trail.record({ at, actor, address: ip, action: route.audit.action, target, data: { ...(input !== undefined && { input }), ...outcome.audit } });
  };
}

function handler(route: Route, authenticate: Authenticate, audit: Auditor) {
  return async (req: Request, res: Response) => {
    const caller = await authenticate(req);
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    let params: Record<string, unknown> = {};
    let body: unknown = {};
    let result: ApiResponse;
    try {
      if (route.access !== 'public') demand(caller?.actor ?? null, route.access);
      params = route.params ? check(route.params, { ...req.params }, 'params') : {};
      const query = check(route.query ?? NO_QUERY, normalizeQuery(req.query as Record<string, unknown>), 'query');
      body = route.multipart ? await multipartBody(route, req) : route.body ? check(route.body, bodyOf(route, req), 'body') : {};
      result = await route.handle({ params, query, body, actor: caller?.actor.id ?? null, caller, ip, locale: pickLocale(req.get('accept-language')) });
    } catch (err) {
      if (err instanceof WorkflowError) await audit(route, caller, ip, params, body, err);
      throw err;
    }
    await audit(route, caller, ip, params, body, result);
    res.status(result.status ?? 200);
    if (result.headers) res.set(result.headers);
    if (result.status === 204) res.end();
    else if (result.contentType) res.type(result.contentType).send(result.body);
    else res.json(result.body);
  };
}

const ANY_FIELDS = { type: 'object' };

/** The file and the other parts of a multipart upload; the other parts are checked against the route's body schema. */
async function multipartBody(route: Route, req: Request): Promise<Record<string, unknown>> {
  if (!req.is('multipart/form-data')) throw new WorkflowError('WF_ERR_UNSUPPORTED_MEDIA_TYPE', { contentType: req.get('content-type') ?? '(none)' });
  const { fields, file } = await readMultipart(req, route.multipart!.maxBytes);
  const checked = check<Record<string, unknown>>(route.body ?? ANY_FIELDS, fields, 'body');
  if (!file) throw invalid('body.file', 'required', { 'zh-CN': '请选择要上传的文件', en: 'a file is required' });
  return { ...checked, file };
}

function bodyOf(route: Route, req: Request): unknown {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (!hasBody) return {};
  if (route.acceptsXml && typeof req.body === 'string') return { xml: req.body };
  if (!req.is('application/json') && !req.is('application/*+json')) {
    throw new WorkflowError('WF_ERR_UNSUPPORTED_MEDIA_TYPE', { contentType: req.get('content-type') ?? '(none)' });
  }
  return req.body ?? {};
}

/** Comma lists become arrays (candidateGroups=a,b); repeated keys already are. */
function normalizeQuery(query: Record<string, unknown>): Record<string, unknown> {
  // No prototype: a query key named __proto__ stays a plain (rejected) field.
  const result = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(query)) {
    result[key] = key === 'candidateGroups' && typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
  }
  return result;
}

function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const error = toWorkflowError(err);
    if (error.code === 'WF_ERR_INTERNAL') {
      logger.error({ errorId: (error.context as { errorId: string }).errorId, err: err instanceof Error ? err.stack : String(err), path: req.path }, 'unhandled error');
    }
    res.status(error.status).json({ error: errorBody(error, pickLocale(req.get('accept-language'))) });
  };
}

