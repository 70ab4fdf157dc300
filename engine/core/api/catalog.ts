/**
 * The service catalog (catalog.md) for analysts: its rows, their change log,
 * import and export, what a service compiles to, and publishing it. Reading
 * takes catalog:read; changing takes catalog:manage; publishing deploys forms
 * and a process, so it takes their permissions too.
 */
import type { CompiledService } from '../../../definitions/catalog/compile.ts';
import type { HallClass, ServicePage } from '../../../definitions/catalog/hall.ts';
import type { Catalog } from '../../../definitions/catalog/tables.ts';
import type { CatalogChangeRecord, Page, PageRequest } from '../model.ts';
import { demand, type Actor } from '../org/actor.ts';
import * as catalog from '../usecases/catalog.ts';
import type { Workflow } from '../workflow.ts';

export type { CatalogEdit, CatalogSnapshot, ServicePublication, ServiceStatus } from '../usecases/catalog.ts';
export type { HallClass, HallService, ServicePage } from '../../../definitions/catalog/hall.ts';

export class CatalogApi {
  constructor(private readonly workflow: Workflow) {}

  read(actor: Actor): Promise<catalog.CatalogSnapshot> {
    demand(actor, 'catalog:read');
    return catalog.readCatalog(this.workflow.services);
  }

  edit(actor: Actor, edit: catalog.CatalogEdit): Promise<{ revision: number; changed: number }> {
    demand(actor, 'catalog:manage');
    return catalog.editCatalog(this.workflow.services, edit, actor.id);
  }

  changes(actor: Actor, filter: { table?: string; key?: string; service?: string }, page: PageRequest): Promise<Page<CatalogChangeRecord>> {
    demand(actor, 'catalog:read');
    return catalog.catalogChanges(this.workflow.services, filter, page);
  }

  export(actor: Actor, service?: string): Promise<Catalog> {
    demand(actor, 'catalog:read');
    return catalog.exportCatalog(this.workflow.services, service);
  }

  import(actor: Actor, content: Partial<Record<string, unknown[]>>): Promise<{ revision: number; changed: number }> {
    demand(actor, 'catalog:manage');
    return catalog.importCatalog(this.workflow.services, content, actor.id);
  }

  /** Anyone, signed in or not: the service hall. */
  hall(): Promise<HallClass[]> {
    return catalog.readHall(this.workflow.services);
  }

  /** Anyone: one service's page in the hall. */
  servicePage(number: string): Promise<ServicePage> {
    return catalog.readServicePage(this.workflow.services, number);
  }

  /** Anyone: the queue machine's hall an appointment service books at, and the application's fields for its day and slot. */
  serviceHall(number: string): Promise<catalog.ServiceHall> {
    return catalog.serviceHall(this.workflow.services, number);
  }

  /** Everyone signed in: a citizen picks the office of an application from these. */
  offices(_actor: Actor, filter: { service?: string; region?: string; q?: string }): Promise<Array<Record<string, unknown>>> {
    return catalog.findOffices(this.workflow.services, filter);
  }

  compile(actor: Actor, service: string): Promise<CompiledService> {
    demand(actor, 'catalog:read');
    return catalog.compileFromCatalog(this.workflow.services, service);
  }

  statuses(actor: Actor): Promise<catalog.ServiceStatus[]> {
    demand(actor, 'catalog:read');
    return catalog.serviceStatuses(this.workflow.services);
  }

  publish(actor: Actor, service: string, options: { replaceHandEdited?: boolean }): Promise<catalog.ServicePublication> {
    demand(actor, 'catalog:manage');
    demand(actor, 'definition:deploy');
    demand(actor, 'form:deploy');
    return catalog.publishService(this.workflow.services, service, actor.id, options);
  }
}

/** The tables' columns, for the editor's grids and the sheets of an XLSX import or export. */
export { TABLE_NAMES, TABLES, type Catalog, type Column, type TableName } from '../../../definitions/catalog/tables.ts';
