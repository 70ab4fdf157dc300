/**
 * The pages of each app's menu and who may open them — one table for the
 * menus and for the crawl test that opens every page as every role.
 */
import type { MessageKey } from '../i18n/zh-CN.ts';

export type App = 'workbench' | 'admin' | 'designer';

export interface PageRoute {
  path: string;
  label: MessageKey;
  app: App;
  /** Any one of these permissions opens it; empty: everyone signed in. */
  anyOf: string[];
}

export const PAGE_ROUTES: PageRoute[] = [
  { path: '/workbench/todo', label: 'menu.todo', app: 'workbench', anyOf: ['task:read'] },
  { path: '/workbench/done', label: 'menu.done', app: 'workbench', anyOf: ['task:read'] },
  { path: '/workbench/started', label: 'menu.started', app: 'workbench', anyOf: ['instance:start'] },
  { path: '/workbench/cc', label: 'menu.cc', app: 'workbench', anyOf: [] },
  { path: '/workbench/start', label: 'menu.start', app: 'workbench', anyOf: ['instance:start'] },
  { path: '/workbench/supervise', label: 'menu.supervise', app: 'workbench', anyOf: ['task:urge', 'task:assign'] },
  { path: '/workbench/notices', label: 'menu.notices', app: 'workbench', anyOf: [] },
  { path: '/admin/departments', label: 'menu.departments', app: 'admin', anyOf: ['org:read'] },
  { path: '/admin/users', label: 'menu.users', app: 'admin', anyOf: ['org:read'] },
  { path: '/admin/roles', label: 'menu.roles', app: 'admin', anyOf: ['org:read'] },
  { path: '/admin/import', label: 'menu.import', app: 'admin', anyOf: ['org:manage'] },
  { path: '/admin/dictionaries', label: 'menu.dictionaries', app: 'admin', anyOf: ['dictionary:manage'] },
  { path: '/admin/definitions', label: 'menu.definitions', app: 'admin', anyOf: ['definition:read'] },
  { path: '/admin/forms', label: 'menu.forms', app: 'admin', anyOf: ['form:read'] },
  { path: '/admin/catalog', label: 'menu.catalog', app: 'admin', anyOf: ['catalog:read'] },
  { path: '/admin/connectors', label: 'menu.connectors', app: 'admin', anyOf: ['connector:manage'] },
  { path: '/admin/jobs', label: 'menu.jobs', app: 'admin', anyOf: ['incident:manage'] },
  { path: '/admin/incidents', label: 'menu.incidents', app: 'admin', anyOf: ['incident:manage'] },
  { path: '/admin/audit', label: 'menu.audit', app: 'admin', anyOf: ['audit:read'] },
  { path: '/admin/cases', label: 'menu.cases', app: 'admin', anyOf: ['instance:manage'] },
  { path: '/designer/flows', label: 'menu.flows', app: 'designer', anyOf: ['definition:read'] },
  { path: '/designer/forms', label: 'menu.formDesigner', app: 'designer', anyOf: ['form:read'] },
];

/** The admin console is for those who manage something; reading the organisation alone is every clerk's. */
export const ADMIN_PERMISSIONS = [
  'org:manage',
  'role:manage',
  'dictionary:manage',
  'definition:deploy',
  'form:deploy',
  'catalog:manage',
  'connector:manage',
  'incident:manage',
  'audit:read',
  'instance:manage',
];

export const routesFor = (permissions: readonly string[], app?: App): PageRoute[] =>
  PAGE_ROUTES.filter((r) => (!app || r.app === app) && (!r.anyOf.length || r.anyOf.some((p) => permissions.includes(p))));
