import express, { type NextFunction, type Request, type Response } from 'express';
import { invalid, pickLocale, WorkflowError } from '../core/errors.ts';
import type { Logger } from '../core/ports.ts';
import type { Workflow } from '../core/workflow.ts';
import type { ConnectorRuntime } from '../core/connector-runtime.ts';
import { apiRoutes } from './api-routes.ts';
import { connectorRoutes, mountRawConnectorRoutes } from './connector-routes.ts';
import { errorBody, toWorkflowError } from './error-body.ts';
import { jobRoutes } from './job-routes.ts';
import { inboxRoutes } from './inbox-routes.ts';
import { formRoutes } from './form-routes.ts';
import { readMultipart } from './multipart.ts';
import { openApiDocument } from './openapi.ts';
import type { Route } from './route.ts';
import { demand } from '../core/org/actor.ts';
import type { Authenticate } from './authenticate.ts';
import { authRoutes, orgRoutes, type PeopleOptions } from './people-routes.ts';
import { check } from './validation.ts';

export interface AppOptions {
  workflow: Workflow;
  /** Connectors: callbacks, admin routes and (with `simulators`) the local simulators. */
  connectors?: ConnectorRuntime;
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
}

/** Every route of the API, as served and as documented. */
export function allRoutes(workflow: Workflow, connectors?: ConnectorRuntime, people?: PeopleOptions): Route[] {
  return [
    ...apiRoutes(workflow),
    ...formRoutes(workflow),
    ...jobRoutes(workflow),
    ...inboxRoutes(workflow),
    ...(connectors ? connectorRoutes(workflow, connectors) : []),
    ...(people ? [...authRoutes(people), ...orgRoutes(people)] : []),
  ];
}

export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (options.connectors) mountRawConnectorRoutes(app, options.connectors, { simulators: options.simulators ?? false, logger: options.logger });
  app.use(express.json({ limit: '2mb', type: ['application/json', 'application/*+json'] }));
  app.use(express.text({ limit: '5mb', type: ['application/xml', 'text/xml', 'application/bpmn+xml'] }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await options.ready();
      res.json({ status: 'ready' });
    } catch (err) {
      throw new WorkflowError('WF_ERR_NOT_READY', { detail: err instanceof Error ? err.message : String(err) });
    }
  });

  const routes = allRoutes(options.workflow, options.connectors, options.people);
  const document = openApiDocument(routes);
  app.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  for (const route of routes) app[route.method](route.path, handler(route, options.authenticate));

  options.mount?.(app);
  app.use((req, _res, next) => next(new WorkflowError('WF_ERR_ROUTE_NOT_FOUND', { method: req.method, path: req.path })));
  app.use(errorHandler(options.logger));
  return app;
}

/** One object for every route without query parameters: compiled schemas are cached by identity (a new literal per request compiled, and was kept, each time). */
const NO_QUERY = { type: 'object', additionalProperties: false };

function handler(route: Route, authenticate: Authenticate) {
  return async (req: Request, res: Response) => {
    const caller = await authenticate(req);
    if (route.access !== 'public') demand(caller?.actor ?? null, route.access);
    const params = route.params ? check(route.params, { ...req.params }, 'params') : {};
    const query = check(route.query ?? NO_QUERY, normalizeQuery(req.query as Record<string, unknown>), 'query');
    const body = route.multipart ? await multipartBody(route, req) : route.body ? check(route.body, bodyOf(route, req), 'body') : {};
    const result = await route.handle({ params, query, body, actor: caller?.actor.id ?? null, caller, ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', locale: pickLocale(req.get('accept-language')) });
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

