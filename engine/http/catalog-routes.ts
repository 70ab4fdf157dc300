/** The service catalog's API: rows, changes, import and export (JSON or XLSX), compiled output, publishing. */
import type { Api } from '../core/api/front-door.ts';
import { TABLE_NAMES, TABLES } from '../core/api/catalog.ts';
import { invalid } from '../core/errors.ts';
import { catalogWorkbook, readCatalogWorkbook } from './catalog-sheets.ts';
import { actorOf, mapPage, pageOf, type ApiRequest, type PageQuery, type Route, type UploadedFile } from './route.ts';
import { query, text } from './schemas.ts';
import type { Schema } from './validation.ts';
import { iso } from './views.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A service's number, as a path or query parameter. */
export const SERVICE_NUMBER: Schema = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$' };
const service = SERVICE_NUMBER;
const rowsByTable = (items: Schema): Schema => ({ type: 'object', propertyNames: { enum: TABLE_NAMES }, additionalProperties: { type: 'array', maxItems: 5000, items } });
const editBody: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    put: rowsByTable({ type: 'object', maxProperties: 60 }),
    delete: rowsByTable(text(200)),
  },
};

function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** A JSON catalog file: an object of tables, each a list of rows. */
function parseJsonCatalog(name: string, bytes: Buffer): Partial<Record<string, unknown[]>> {
  let content: unknown;
  try {
    content = JSON.parse(new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, ''));
  } catch (err) {
    throw invalid('body.file', 'json', { 'zh-CN': `${name} 不是合法的 JSON`, en: `${name} is not valid JSON (${(err as Error).message})` });
  }
  const tables = (content as { tables?: unknown })?.tables ?? content;
  if (!tables || typeof tables !== 'object' || Array.isArray(tables) || !Object.values(tables).every(Array.isArray))
    throw invalid('body.file', 'json', { 'zh-CN': `${name} 应为 {表名: [行…]} 形式的对象`, en: `${name} must be an object of tables, each a list of rows` });
  return tables as Partial<Record<string, unknown[]>>;
}

export function catalogRoutes(api: Api): Route[] {
  return [
    {
      method: 'get',
      path: '/api/catalog/tables',
      access: 'catalog:read',
      tag: 'catalog',
      summary: "The catalog's tables and their columns (titles, types, choices, references), for editors and sheets",
      responses: { 200: { description: 'the tables' } },
      async handle() {
        return { body: { items: TABLE_NAMES.map((name) => ({ name, ...TABLES[name] })) } };
      },
    },
    {
      method: 'get',
      path: '/api/catalog',
      access: 'catalog:read',
      tag: 'catalog',
      summary: 'Every row of every catalog table, with the revision they are at',
      responses: { 200: { description: 'the catalog' } },
      async handle(req: ApiRequest) {
        const { revision, catalog } = await api.catalog.read(actorOf(req));
        return { body: { revision, tables: catalog } };
      },
    },
    {
      method: 'post',
      path: '/api/catalog/changes',
      access: 'catalog:manage',
      audit: { action: 'catalog.edit' },
      tag: 'catalog',
      summary: 'Add, replace (by key) or delete rows; the whole catalog is checked and every mistake named by table, row and column; all or nothing',
      body: editBody,
      responses: { 200: { description: 'the new revision and how many rows changed' } },
      async handle(req: ApiRequest<object, object, { put?: Record<string, unknown[]>; delete?: Record<string, string[]> }>) {
        const result = await api.catalog.edit(actorOf(req), { ...(req.body.put && { put: req.body.put }), ...(req.body.delete && { delete: req.body.delete }) });
        return { body: result, audit: result };
      },
    },
    {
      method: 'get',
      path: '/api/catalog/changes',
      access: 'catalog:read',
      tag: 'catalog',
      summary: 'Who changed which catalog row when, newest first',
      query: query({ table: { enum: TABLE_NAMES }, key: text(200), service }),
      responses: { 200: { description: 'a page of changes' } },
      async handle(req: ApiRequest<object, PageQuery & { table?: string; key?: string; service?: string }>) {
        const { offset, limit, ...filter } = req.query;
        const page = await api.catalog.changes(actorOf(req), filter, pageOf({ offset, limit }));
        return { body: mapPage(page, (c) => ({ ...c, at: iso(c.at) })) };
      },
    },
    {
      method: 'get',
      path: '/api/catalog/export',
      access: 'catalog:read',
      tag: 'catalog',
      summary: 'The catalog, or one service with the shared rows it uses, as JSON or an XLSX workbook (a sheet per table)',
      query: { type: 'object', additionalProperties: false, properties: { service, format: { enum: ['json', 'xlsx'], default: 'json' } } },
      responses: { 200: { description: 'the file', contentType: XLSX } },
      async handle(req: ApiRequest<object, { service?: string; format: 'json' | 'xlsx' }>) {
        const catalog = await api.catalog.export(actorOf(req), req.query.service);
        const base = req.query.service ? `catalog-${req.query.service}` : 'catalog';
        if (req.query.format === 'xlsx') return { body: await catalogWorkbook(catalog), contentType: XLSX, headers: { 'Content-Disposition': attachment(`${base}.xlsx`) } };
        return { body: { tables: catalog }, headers: { 'Content-Disposition': attachment(`${base}.json`) } };
      },
    },
    {
      method: 'post',
      path: '/api/catalog/import',
      access: 'catalog:manage',
      audit: { action: 'catalog.import', input: false },
      tag: 'catalog',
      summary: 'Import a JSON or XLSX catalog file (multipart: file): rows added or replaced by key; a file of one service replaces that service’s own rows; all or nothing',
      multipart: { maxBytes: 10 * 1024 * 1024 },
      body: { type: 'object', additionalProperties: false, properties: {} },
      responses: { 200: { description: 'the new revision and how many rows changed' } },
      async handle(req: ApiRequest<object, object, { file: UploadedFile }>) {
        const { name, bytes } = req.body.file;
        const content = bytes.subarray(0, 2).toString('latin1') === 'PK' ? await readCatalogWorkbook(name, bytes) : parseJsonCatalog(name, bytes);
        const result = await api.catalog.import(actorOf(req), content);
        return { body: result, audit: { file: name, ...result } };
      },
    },
    {
      method: 'get',
      path: '/api/catalog/offices',
      access: 'signed-in',
      tag: 'catalog',
      summary: 'Handling offices to pick from (a service’s, or all), by region code prefix and fuzzy name or pinyin initials',
      query: { type: 'object', additionalProperties: false, properties: { service, region: { type: 'string', pattern: '^\\d{2,6}$' }, q: text(30) } },
      responses: { 200: { description: 'the offices' } },
      async handle(req: ApiRequest<object, { service?: string; region?: string; q?: string }>) {
        const items = await api.catalog.offices(actorOf(req), req.query);
        return { body: { items: items.map((o) => ({ code: o.code, name: o.name, region: o.region, address: o.address, phone: o.phone, postcode: o.postcode })) } };
      },
    },
    {
      method: 'get',
      path: '/api/catalog/services',
      access: 'catalog:read',
      tag: 'catalog',
      summary: 'Each service: its process key, what it last published, and whether a hand-edited version has replaced the compiled one',
      responses: { 200: { description: 'the services' } },
      async handle(req: ApiRequest) {
        const items = await api.catalog.statuses(actorOf(req));
        return { body: { items: items.map((s) => ({ ...s, publication: s.publication && { ...s.publication, publishedAt: iso(s.publication.publishedAt) } })) } };
      },
    },
    {
      method: 'get',
      path: '/api/catalog/services/:service/compiled',
      access: 'catalog:read',
      tag: 'catalog',
      summary: "What a service's rows compile to now: the BPMN (with diagram), the forms and the node bindings",
      params: { type: 'object', required: ['service'], properties: { service } },
      responses: { 200: { description: 'the compiled service' } },
      async handle(req: ApiRequest<{ service: string }>) {
        return { body: await api.catalog.compile(actorOf(req), req.params.service) };
      },
    },
    {
      method: 'post',
      path: '/api/catalog/services/:service/publish',
      access: 'catalog:manage',
      audit: { action: 'catalog.publish' },
      tag: 'catalog',
      summary: 'Compile a service and deploy its forms and process as the next versions (unchanged rows deploy nothing); running cases stay on their version',
      params: { type: 'object', required: ['service'], properties: { service } },
      body: { type: 'object', additionalProperties: false, properties: { replaceHandEdited: { type: 'boolean', default: false } } },
      responses: { 200: { description: 'what was deployed' } },
      async handle(req: ApiRequest<{ service: string }, object, { replaceHandEdited?: boolean }>) {
        const result = await api.catalog.publish(actorOf(req), req.params.service, { replaceHandEdited: req.body.replaceHandEdited === true });
        return { body: result, audit: { definition: result.definitionId, created: result.created } };
      },
    },
  ];
}
