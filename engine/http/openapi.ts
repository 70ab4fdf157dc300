import { ERROR_CATALOGUE } from '../core/errors.ts';
import { SESSION_COOKIE } from './authenticate.ts';
import type { Route } from './route.ts';
import { entities, pageOf, ref } from './schemas.ts';
import type { Schema } from './validation.ts';

/**
 * How a caller proves who they are (authenticate.ts): the session cookie —
 * with the session's CSRF token in a header on requests that change
 * something — or an API token as a bearer token.
 */
const securitySchemes = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The session cookie (httpOnly) set by POST /api/auth/login or /api/auth/sms-login. On POST, PUT and DELETE it must come with the session’s CSRF token (scheme `csrf`).',
  },
  csrf: {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
    description: 'The session’s CSRF token (`csrfToken` of the sign-in answer and of GET /api/auth/me), required with the session cookie on POST, PUT and DELETE (403 WF_ERR_CSRF without it). Not needed with a bearer token.',
  },
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token from POST /api/auth/tokens, sent as `Authorization: Bearer <token>`; it acts with the rights of the user who made it.',
  },
};

/** Who may call: nobody needs to sign in for a public route; otherwise the cookie (and, to change something, its CSRF token) or a bearer token. */
function security(route: Pick<Route, 'access' | 'method'>): Array<Record<string, string[]>> {
  if (route.access === 'public') return [];
  return [route.method === 'get' ? { session: [] } : { session: [], csrf: [] }, { bearer: [] }];
}

function accessNote(route: Route): string {
  if (route.access === 'public') return 'No sign-in needed.';
  if (route.access === 'signed-in') return 'Any signed-in user; what they may see or do is checked further by the operation.';
  return `Needs the permission \`${route.access}\`.`;
}

const operationId = (method: string, path: string) => `${method}${path.replace(/[/:{}]+(\w)/g, (_, c: string) => c.toUpperCase())}`;

/** openapi.json, generated from the same route table and schemas that serve and validate requests. */
export function openApiDocument(routes: Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method] = operation(route);
  }
  const probe = (path: string, summary: string) => ({
    get: { tags: ['operations'], summary, operationId: operationId('get', path), security: [], responses: { 200: { description: 'ok' }, '5XX': { $ref: '#/components/responses/Error' } } },
  });
  paths['/healthz'] = probe('/healthz', 'Liveness: the process answers');
  paths['/readyz'] = probe('/readyz', 'Readiness: the database answers (503 WF_ERR_NOT_READY otherwise)');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Workflow engine API',
      version: '1',
      description:
        'BPMN definitions, instances, tasks, messages, signals and incidents. Errors carry a stable code (WF_ERR_…) and a message in the caller’s language (Accept-Language: zh-CN by default, en). ' +
        'Callers sign in (POST /api/auth/login, or /api/auth/sms-login for citizens) and send the session cookie back, with the session’s CSRF token in X-CSRF-Token on POST, PUT and DELETE; ' +
        'API clients send a token from POST /api/auth/tokens as Authorization: Bearer. Each operation names the permission it needs.',
    },
    servers: [{ url: '/', description: 'The server that serves this document' }],
    paths,
    components: {
      schemas: entities,
      responses: {
        Error: { description: 'An error with a stable code', content: { 'application/json': { schema: ref('Error') } } },
      },
      securitySchemes,
      'x-error-codes': Object.fromEntries(Object.entries(ERROR_CATALOGUE).map(([code, spec]) => [code, { status: spec.status, message: spec.en }])),
    },
  };
}

function operation(route: Route): Record<string, unknown> {
  const parameters = [...fields(route.params, 'path'), ...fields(route.query, 'query')];
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const schema = spec.entity ? ref(spec.entity) : spec.page ? pageOf(spec.page) : undefined;
    const contentType = spec.contentType ?? 'application/json';
    responses[status] = { description: spec.description, ...(schema || spec.contentType ? { content: { [contentType]: { schema: schema ?? { type: 'string' } } } } : {}) };
  }
  responses['4XX'] = { $ref: '#/components/responses/Error' };
  const body = requestBody(route);
  return {
    tags: [route.tag],
    summary: route.summary,
    description: accessNote(route),
    operationId: operationId(route.method, route.path),
    ...(route.access !== 'public' && route.access !== 'signed-in' && { 'x-permission': route.access }),
    security: security(route),
    parameters,
    ...(body && { requestBody: body }),
    responses,
  };
}

function requestBody(route: Route): Record<string, unknown> | undefined {
  if (route.multipart) {
    // The file goes in the part named `file`; the other (text) parts are checked against the route's body schema.
    const text = route.body ?? { type: 'object' };
    const megabytes = Math.round(route.multipart.maxBytes / 1024 / 1024);
    const schema: Schema = {
      ...text,
      type: 'object',
      required: ['file', ...((text.required as string[] | undefined) ?? [])],
      properties: { file: { type: 'string', format: 'binary', description: `The file, at most ${megabytes} MB` }, ...((text.properties as Record<string, Schema> | undefined) ?? {}) },
    };
    return { required: true, content: { 'multipart/form-data': { schema } } };
  }
  if (!route.body) return undefined;
  return {
    required: true,
    content: {
      'application/json': { schema: route.body },
      ...(route.acceptsXml && { 'application/xml': { schema: { type: 'string', description: 'BPMN 2.0 XML' } } }),
    },
  };
}

function fields(schema: Schema | undefined, where: 'path' | 'query'): unknown[] {
  const properties = (schema?.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema?.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, s]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: s }));
}
