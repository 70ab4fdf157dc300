/**
 * The service catalog's use cases: read, change (checked against the whole
 * catalog, then written as one logged transaction), import and export, and
 * publish — compile a service's rows and deploy the forms and the BPMN as the
 * next versions, unchanged rows deploying nothing.
 */
import { createHash } from 'node:crypto';
import { compileService, officeChoices, processKeyOf, type CompiledService } from '../../../definitions/catalog/compile.ts';
import { hallOf, servicePage, shown, type HallClass, type ServicePage } from '../../../definitions/catalog/hall.ts';
import { parseInputs } from '../../../definitions/catalog/inputs.ts';
import { matchesSearch } from '../../../definitions/catalog/search-codes.ts';
import { rowKey, TABLE_NAMES, TABLES, type Catalog, type Row, type TableName } from '../../../definitions/catalog/tables.ts';
import { checkCatalog, normalizeTables, type CatalogProblem } from '../../../definitions/catalog/validate.ts';
import { WorkflowError } from '../errors.ts';
import type { CatalogChangeRecord, CatalogPublicationRecord, Page, PageRequest } from '../model.ts';
import { ConflictError, type CatalogChange } from '../ports.ts';
import type { Services } from '../services.ts';
import { deploy } from './deploy.ts';
import { deployForm } from './forms.ts';

export interface CatalogEdit {
  /** Rows to add or replace (by their key), per table, as cells or typed values. */
  put?: Partial<Record<string, unknown[]>>;
  /** Keys of rows to remove, per table. */
  delete?: Partial<Record<string, string[]>>;
  /** Remove this service's own rows that `put` does not hold (importing a whole service). */
  replaceService?: string;
}

export interface CatalogSnapshot {
  revision: number;
  catalog: Catalog;
}

export async function readCatalog(services: Services): Promise<CatalogSnapshot> {
  const { revision, rows } = await services.store.loadCatalog();
  const catalog = Object.fromEntries(TABLE_NAMES.map((t) => [t, []])) as unknown as Catalog;
  for (const row of rows) if ((TABLE_NAMES as string[]).includes(row.table)) catalog[row.table as TableName].push(row.data);
  for (const table of TABLE_NAMES) catalog[table].sort(compareRows(table));
  return { revision, catalog };
}

/** Rows in key order, numbers by value (node 2 before node 10). */
const compareRows = (table: TableName) => (a: Row, b: Row) => {
  for (const column of TABLES[table].key) {
    const x = a[column];
    const y = b[column];
    const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    if (d) return d;
  }
  return 0;
};

const invalid = (problems: CatalogProblem[]) => new WorkflowError('WF_ERR_CATALOG_INVALID', { count: problems.length, problems });

/**
 * Apply an edit: its rows are coerced (a problem names the row as sent), merged,
 * the whole catalog checked (a problem names the row by its key), and the
 * difference written with who and when. Cancelling a business class closes its
 * services with it. Returns the new revision and how many rows changed.
 */
export async function editCatalog(services: Services, edit: CatalogEdit, actor: string | null): Promise<{ revision: number; changed: number }> {
  const incoming = normalizeTables(edit.put ?? {});
  if (incoming.problems.length) throw invalid(incoming.problems);
  for (let attempt = 1; ; attempt++) {
    const { revision, catalog } = await readCatalog(services);
    const merged = merge(catalog, incoming.catalog, edit);
    const problems = checkCatalog(merged, incoming.catalog);
    if (problems.length) throw invalid(problems);
    const changes = differences(catalog, merged);
    if (!changes.length) return { revision, changed: 0 };
    try {
      return { revision: await services.store.writeCatalog(revision, changes, services.clock.now(), actor), changed: changes.length };
    } catch (err) {
      if (err instanceof ConflictError && attempt < 5) continue; // another edit landed first: check against it
      throw err;
    }
  }
}

function merge(current: Catalog, incoming: Catalog, edit: CatalogEdit): Catalog {
  const merged = {} as Catalog;
  for (const table of TABLE_NAMES) {
    const byKey = new Map(current[table].map((row) => [rowKey(table, row), row]));
    if (edit.replaceService && TABLES[table].perService) for (const [key, row] of byKey) if (row.service === edit.replaceService) byKey.delete(key);
    for (const key of edit.delete?.[table] ?? []) {
      if (!byKey.has(key)) throw new WorkflowError('WF_ERR_CATALOG_ROW_NOT_FOUND', { table, key });
      byKey.delete(key);
    }
    for (const row of incoming[table]) byKey.set(rowKey(table, row), row);
    merged[table] = [...byKey.values()].sort(compareRows(table));
  }
  // A cancelled class takes its services off every channel.
  const cancelled = new Set(merged.classes.filter((c) => c.status === '0').map((c) => c.code as string));
  merged.services = merged.services.map((s) => (cancelled.has(s.class) && s.status !== '0' ? { ...s, status: '0' } : s));
  return merged;
}

function differences(before: Catalog, after: Catalog): CatalogChange[] {
  const changes: CatalogChange[] = [];
  for (const table of TABLE_NAMES) {
    const old = new Map(before[table].map((row) => [rowKey(table, row), row]));
    const now = new Map(after[table].map((row) => [rowKey(table, row), row]));
    const service = (row: Row) => (TABLES[table].perService ? (row.service as string) : table === 'services' ? (row.number as string) : null);
    for (const [key, row] of now) if (JSON.stringify(old.get(key)) !== JSON.stringify(row)) changes.push({ table, key, service: service(row), data: row });
    for (const [key, row] of old) if (!now.has(key)) changes.push({ table, key, service: service(row), data: null });
  }
  return changes;
}

export function catalogChanges(services: Services, filter: { table?: string; key?: string; service?: string }, page: PageRequest): Promise<Page<CatalogChangeRecord>> {
  return services.store.listCatalogChanges(filter, page);
}

/**
 * The active handling offices a citizen may pick for a service (all, without one), by region code
 * (a prefix: 4110 is the city, 411002 one district) and a fuzzy name (part of it, or pinyin initials)
 * or part of the address (禹州 finds the offices in 禹州).
 */
export async function findOffices(services: Services, filter: { service?: string; region?: string; q?: string }): Promise<Row[]> {
  const { catalog } = await readCatalog(services);
  const service = filter.service ? serviceRow(catalog, filter.service) : null;
  const offices = service ? officeChoices(catalog, service) : catalog.offices.filter((o) => o.status !== '0');
  const typed = (filter.q ?? '').trim();
  return offices.filter((o) => (!filter.region || String(o.region).startsWith(filter.region)) && (matchesSearch(o, typed) || String(o.address ?? '').includes(typed)));
}

/** The service hall: the open, published services by business class. */
export async function readHall(services: Services): Promise<HallClass[]> {
  const { catalog } = await readCatalog(services);
  return hallOf(catalog, await publishedServices(services));
}

/** One service's page in the hall: its guide, fees, steps and offices. */
export async function readServicePage(services: Services, number: string): Promise<ServicePage> {
  const { catalog } = await readCatalog(services);
  const page = servicePage(catalog, number, await publishedServices(services));
  if (!page) throw new WorkflowError('WF_ERR_SERVICE_NOT_FOUND', { number });
  return page;
}

const publishedServices = async (services: Services) => new Set((await services.store.listPublications()).map((p) => p.service));

/** The topic of the connector operation that books a queue number; its `hallId` input names the hall. */
const BOOKS_QUEUE_NUMBER = 'queue.issue';

/** Where an appointment service books its numbers: the hall, and the application's fields that hold the day and the slot (when the booking reads them as they are). */
export interface ServiceHall {
  hallId: string;
  fields: { date: string | null; slot: string | null };
}

/** The hall an appointment service books numbers at (its queue.issue operation's hallId), for the slots left there. */
export async function serviceHall(services: Services, number: string): Promise<ServiceHall> {
  const { catalog } = await readCatalog(services);
  const service = catalog.services.find((s) => s.number === number);
  if (!service || !shown(catalog, service, await publishedServices(services))) throw new WorkflowError('WF_ERR_SERVICE_NOT_FOUND', { number });
  const codes = new Set(catalog.nodes.filter((n) => n.service === number && n.status !== '0').flatMap((n) => n.operations as string[]));
  const booking = catalog.operations.find((o) => codes.has(o.code) && o.topic === BOOKS_QUEUE_NUMBER);
  const inputs = booking ? parseInputs(booking.inputs) : null;
  const hallId = inputs?.hallId;
  if (typeof hallId !== 'string' || hallId.includes('${')) throw new WorkflowError('WF_ERR_SERVICE_NO_SLOTS', { number });
  const field = (value: unknown) => (typeof value === 'string' && /^\$\{(\w+)\}$/.exec(value)?.[1]) || null;
  return { hallId, fields: { date: field(inputs?.date), slot: field(inputs?.slot) } };
}

/** A service's rows with the shared rows they use (its class, offices, states, operations, templates, images), or everything. */
export async function exportCatalog(services: Services, number?: string): Promise<Catalog> {
  const { catalog } = await readCatalog(services);
  if (number === undefined) return catalog;
  const service = serviceRow(catalog, number);
  const own = <T extends TableName>(table: T) => catalog[table].filter((row) => row.service === number);
  const nodes = own('nodes');
  const operations = catalog.operations.filter((o) => nodes.some((n) => (n.operations as string[]).includes(o.code)));
  const offices = catalog.offices.filter((o) => o.code === service.defaultOffice || (service.offices as string[]).includes(o.code));
  const cls = catalog.classes.filter((c) => c.code === service.class);
  const materials = own('materials');
  const images = new Set([...cls.map((c) => c.logo), ...operations.map((o) => o.icon), ...materials.map((m) => m.sample), ...own('returnMaterials').map((m) => m.sample)].filter(Boolean));
  return {
    classes: cls,
    services: [service],
    guides: own('guides'),
    offices,
    fields: own('fields'),
    states: catalog.states.filter((s) => nodes.some((n) => n.state === s.code)),
    materialClasses: own('materialClasses'),
    materials,
    reviewChecks: own('reviewChecks'),
    returnMaterials: own('returnMaterials'),
    nodes,
    events: own('events'),
    rules: own('rules'),
    approvals: own('approvals'),
    knowledge: own('knowledge'),
    operations,
    smsTemplates: catalog.smsTemplates.filter((s) => nodes.some((n) => n.sms === s.code) || own('events').some((e) => e.sms === s.code)),
    images: catalog.images.filter((i) => images.has(i.code)),
  };
}

/** Import a catalog file: every row added or replaced; a file holding one service replaces that service's own rows. */
export function importCatalog(services: Services, content: Partial<Record<string, unknown[]>>, actor: string | null): Promise<{ revision: number; changed: number }> {
  const numbers = Array.isArray(content.services) ? content.services.map((s) => (s as Row | null)?.number) : [];
  const single = numbers.length === 1 && typeof numbers[0] === 'string' ? numbers[0] : undefined;
  return editCatalog(services, { put: content, ...(single && { replaceService: single }) }, actor);
}

function serviceRow(catalog: Catalog, number: string): Row {
  const service = catalog.services.find((s) => s.number === number);
  if (!service) throw new WorkflowError('WF_ERR_CATALOG_ROW_NOT_FOUND', { table: 'services', key: number });
  return service;
}

/** What a service's rows compile to now; compile problems are a 422 naming table, row and column. */
export async function compileFromCatalog(services: Services, number: string): Promise<CompiledService> {
  return compiledOrThrow((await readCatalog(services)).catalog, number);
}

function compiledOrThrow(catalog: Catalog, number: string, formVersions?: Record<string, number>): CompiledService {
  serviceRow(catalog, number);
  const result = compileService(catalog, number, formVersions);
  if ('problems' in result) throw new WorkflowError('WF_ERR_CATALOG_COMPILE', { service: number, count: result.problems.length, problems: result.problems });
  return result.compiled;
}

export interface ServicePublication {
  service: string;
  processKey: string;
  /** The latest version's id, and whether this publication made it. */
  definitionId: string;
  created: boolean;
  forms: Array<{ key: string; version: number; created: boolean }>;
}

/**
 * Compile and deploy a service: its forms, then its BPMN, each as the next
 * version when it changed. A version deployed by hand since the last
 * publication (the flow no longer follows the rows) is kept unless `replaceHandEdited`.
 */
export async function publishService(services: Services, number: string, actor: string | null, options: { replaceHandEdited?: boolean } = {}): Promise<ServicePublication> {
  const { catalog } = await readCatalog(services);
  const compiled = compiledOrThrow(catalog, number);
  const handEdited = await handEditedVersion(services, number, await services.store.getPublication(number));
  if (handEdited !== null && !options.replaceHandEdited) throw new WorkflowError('WF_ERR_CATALOG_HAND_EDITED', { service: number, version: handEdited });
  const forms = [];
  for (const form of compiled.forms) {
    const result = await deployForm(services, form, actor);
    forms.push({ key: result.key, version: result.version, created: result.created });
  }
  // The same rows, bound to the form versions just deployed (unchanged forms keep their version: the same XML).
  const bound = compiledOrThrow(catalog, number, Object.fromEntries(forms.map((f) => [f.key, f.version])));
  const [deployed] = await deploy(services, bound.bpmn, actor);
  const hash = createHash('sha256').update(bound.bpmn).digest('hex');
  const record: CatalogPublicationRecord = {
    service: number,
    definitionId: deployed!.id,
    hash,
    forms: forms.map(({ key, version }) => ({ key, version })),
    bindings: bound.bindings,
    publishedAt: services.clock.now(),
    publishedBy: actor,
  };
  await services.store.putPublication(record);
  return { service: number, processKey: compiled.processKey, definitionId: deployed!.id, created: deployed!.created, forms };
}

/** The version of a service's process deployed by hand after its last publication, or null. */
async function handEditedVersion(services: Services, number: string, publication: CatalogPublicationRecord | null): Promise<number | null> {
  if (!publication) return null;
  const latest = await services.store.findDefinition(processKeyOf(number));
  return latest && latest.hash !== publication.hash ? latest.version : null;
}

export interface ServiceStatus {
  service: string;
  processKey: string;
  publication: CatalogPublicationRecord | null;
  /** Set when someone deployed their own version since: the running flow is no longer the rows'. */
  handEditedVersion: number | null;
}

export async function serviceStatuses(services: Services): Promise<ServiceStatus[]> {
  const { catalog } = await readCatalog(services);
  const publications = new Map((await services.store.listPublications()).map((p) => [p.service, p]));
  return Promise.all(
    catalog.services.map(async (s) => ({
      service: s.number as string,
      processKey: processKeyOf(s.number),
      publication: publications.get(s.number) ?? null,
      handEditedVersion: await handEditedVersion(services, s.number, publications.get(s.number) ?? null),
    })),
  );
}
