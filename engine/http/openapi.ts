import { ERROR_CATALOGUE } from '../core/errors.ts';
import type { Route } from './route.ts';
import { entities, pageOf, ref } from './schemas.ts';
import type { Schema } from './validation.ts';

/** openapi.json, generated from the same route table and schemas that serve and validate requests. */
export function openApiDocument(routes: Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method] = operation(route);
  }
  const probe = (summary: string) => ({ get: { tags: ['operations'], summary, responses: { 200: { description: 'ok' }, '5XX': { $ref: '#/components/responses/Error' } } } });
  paths['/healthz'] = probe('Liveness: the process answers');
  paths['/readyz'] = probe('Readiness: the database answers (503 WF_ERR_NOT_READY otherwise)');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Workflow engine API',
      version: '1',
      description:
        'BPMN definitions, instances, tasks, messages, signals and incidents. Errors carry a stable code (WF_ERR_…) and a message in the caller’s language (Accept-Language: zh-CN by default, en). The acting user is named by the X-User-Id header.',
    },
    paths,
    components: {
      schemas: entities,
      responses: {
        Error: { description: 'An error with a stable code', content: { 'application/json': { schema: ref('Error') } } },
      },
      'x-error-codes': Object.fromEntries(Object.entries(ERROR_CATALOGUE).map(([code, spec]) => [code, { status: spec.status, message: spec.en }])),
    },
  };
}

function operation(route: Route): Record<string, unknown> {
  const parameters = [...fields(route.params, 'path'), ...fields(route.query, 'query')];
  const requestBody = route.body && {
    required: true,
    content: {
      'application/json': { schema: route.body },
      ...(route.acceptsXml && { 'application/xml': { schema: { type: 'string', description: 'BPMN 2.0 XML' } } }),
    },
  };
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const schema = spec.entity ? ref(spec.entity) : spec.page ? pageOf(spec.page) : undefined;
    const contentType = spec.contentType ?? 'application/json';
    responses[status] = { description: spec.description, ...(schema || spec.contentType ? { content: { [contentType]: { schema: schema ?? { type: 'string' } } } } : {}) };
  }
  responses['4XX'] = { $ref: '#/components/responses/Error' };
  return { tags: [route.tag], summary: route.summary, operationId: `${route.method}${route.path.replace(/[/:{}]+(\w)/g, (_, c: string) => c.toUpperCase())}`, parameters, ...(requestBody && { requestBody }), responses };
}

function fields(schema: Schema | undefined, where: 'path' | 'query'): unknown[] {
  const properties = (schema?.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema?.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, s]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: s }));
}
