/** What the service catalog's API sends (engine/http/catalog-routes.ts; the tables are definitions/catalog/tables.ts). */
import type { LocalizedText } from '../../i18n/index.tsx';

export type ColumnType = 'code' | 'text' | 'int' | 'money' | 'bool' | 'enum' | 'list';

export interface ColumnSpec {
  name: string;
  title: LocalizedText;
  type: ColumnType;
  required?: boolean;
  /** Longest text in characters, or the largest number. */
  max?: number;
  min?: number;
  values?: Array<{ value: string; label: LocalizedText }>;
  /** The table a code or list refers to; a service's own rows are looked up within the service. */
  ref?: string;
  /** Filled in by the server when left empty (a search code from the name). */
  generated?: boolean;
  default?: unknown;
}

export interface TableSpec {
  name: string;
  title: LocalizedText;
  key: string[];
  perService: boolean;
  columns: ColumnSpec[];
}

export type Row = Record<string, unknown>;

export interface CatalogSnapshot {
  revision: number;
  tables: Record<string, Row[]>;
}

/** A mistake the server found, in the caller's language, naming table, row and column. */
export interface CatalogProblem {
  table: string;
  key: string | null;
  /** 1-based position of the row in the list it was sent in. */
  row: number;
  column: string | null;
  message: string;
}

export interface Publication {
  service: string;
  definitionId: string;
  hash: string;
  forms: Array<{ key: string; version: number }>;
  publishedAt: string;
  publishedBy: string | null;
}

export interface ServiceStatus {
  service: string;
  processKey: string;
  publication: Publication | null;
  handEditedVersion: number | null;
}

export interface NodeBinding {
  seq: number;
  name: string;
  type: string;
  elements: string[];
  state: { code: string; name: string } | null;
  sms: { code: string; text: string } | null;
  operations: Array<{ code: string; name: string; url: string | null; category: string }>;
  assignees: string | null;
}

export interface CompiledForm {
  key: string;
  title: LocalizedText;
  schema: Record<string, unknown>;
  ui?: Record<string, unknown>;
}

export interface CompiledService {
  service: string;
  processKey: string;
  bpmn: string;
  forms: CompiledForm[];
  bindings: NodeBinding[];
}

export interface PublishResult {
  service: string;
  processKey: string;
  definitionId: string;
  created: boolean;
  forms: Array<{ key: string; version: number; created: boolean }>;
}

export interface CatalogChange {
  id: number;
  revision: number;
  table: string;
  key: string;
  service: string | null;
  action: 'put' | 'delete';
  data: Row | null;
  at: string;
  by: string | null;
}

export interface EditResult {
  revision: number;
  changed: number;
}

/** The tables every service shares (edited on their own pages); `services` is edited service by service. */
export const SHARED_TABLES = ['classes', 'offices', 'states', 'operations', 'smsTemplates', 'images'] as const;

/** A service's own tables, in the order of its page's tabs. */
export const SERVICE_TABLES = ['guides', 'fields', 'materialClasses', 'materials', 'reviewChecks', 'returnMaterials', 'nodes', 'events', 'rules', 'approvals', 'knowledge'] as const;

/** "svc-04002:3" → 3. */
export const versionOf = (definitionId: string): number | null => {
  const n = Number(definitionId.slice(definitionId.lastIndexOf(':') + 1));
  return Number.isInteger(n) && n > 0 ? n : null;
};
