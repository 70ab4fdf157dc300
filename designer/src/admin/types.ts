/** What the admin console reads from the server (engine/http/views.ts and the route handlers shape these). */
import type { LocalizedText } from '../i18n/index.tsx';

export type DataScope = 'own' | 'department' | 'department-and-children' | 'all';
export const DATA_SCOPES: DataScope[] = ['own', 'department', 'department-and-children', 'all'];

export interface Department {
  id: string;
  parentId: string | null;
  name: string;
  headUserId: string | null;
  sort: number;
  depth: number;
  createdAt: string;
  updatedAt: string;
}

export interface UserPost {
  departmentId: string;
  departmentName: string | null;
  post: string;
  primary: boolean;
}

export interface User {
  id: string;
  username: string;
  name: string;
  kind: 'staff' | 'citizen';
  mobile: string | null;
  email: string | null;
  status: 'active' | 'disabled';
  sort: number;
  hasPassword: boolean;
  posts: UserPost[];
  roles: string[];
  createdAt: string;
  updatedAt: string;
}

export interface Role {
  key: string;
  name: LocalizedText;
  permissions: string[];
  dataScope: DataScope;
  builtin: boolean;
  updatedAt: string;
}

export type PermissionMenu = 'design' | 'cases' | 'inbox' | 'operations' | 'org' | 'audit';
export const PERMISSION_MENUS: PermissionMenu[] = ['org', 'design', 'cases', 'inbox', 'operations', 'audit'];

export interface PermissionInfo {
  key: string;
  menu: PermissionMenu;
  name: LocalizedText;
}

export interface ImportRowProblem {
  row: number;
  field: string;
  message: string;
}

export interface DictionaryItem {
  value: string;
  label: { 'zh-CN': string; en: string };
  disabled?: boolean;
}

export interface Dictionary {
  key: string;
  name: { 'zh-CN': string; en: string };
  items: DictionaryItem[];
  rev: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface Definition {
  id: string;
  key: string;
  version: number;
  name: string | null;
  hash: string;
  deployedAt: string;
  deployedBy: string | null;
}

export type InstanceState = 'running' | 'completed' | 'cancelled';
export const INSTANCE_STATES: InstanceState[] = ['running', 'completed', 'cancelled'];

export interface DefinitionVersion extends Definition {
  instances: Partial<Record<InstanceState, number>>;
}

/** A problem the BPMN linter found (an error refusing the deploy, or a warning of a deployed version). */
export interface LintProblem {
  rule?: string;
  elementId?: string;
  line?: number;
  message: string;
}

export interface DeployedDefinition {
  id: string;
  key: string;
  version: number;
  name: string | null;
  created: boolean;
  warnings: LintProblem[];
}

export interface FormSummary {
  id: string;
  key: string;
  version: number;
  title: LocalizedText;
  hash: string;
  deployedAt: string;
  deployedBy: string | null;
}

export interface FormDetail extends FormSummary {
  definition: unknown;
}

export interface ConnectorInfo {
  name: string;
  title: LocalizedText;
  operations: Array<{ handler: string; title: LocalizedText; input: unknown }>;
  callbacks: Array<{ name: string; title: LocalizedText; path: string }>;
  simulator: boolean;
  reports: Array<{ name: string; title: LocalizedText; path: string }>;
}

export interface ConnectorConfig {
  connector: string;
  environment: string;
  settings: Record<string, unknown>;
  secrets: Record<string, boolean>;
  rev: number | null;
  source: 'stored' | 'defaults';
  warnings: string[];
}

export interface CallbackRecord {
  id: string;
  connector: string;
  externalId: string;
  receivedAt: string;
  payload: string;
  outcome: 'received' | 'delivered' | 'buffered' | 'unmatched' | 'failed';
  detail: string | null;
}

export type JobState = 'pending' | 'done' | 'failed' | 'cancelled';
export const JOB_STATES: JobState[] = ['failed', 'pending', 'done', 'cancelled'];

export interface Job {
  id: string;
  idempotencyKey: string;
  instanceId: string;
  activityId: string;
  executionId: string;
  handler: string;
  input: unknown;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  backoffMs: number;
  runAt: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export type AttemptOutcome = 'done' | 'bpmn-error' | 'retry' | 'deferred' | 'failed';

export interface JobAttempt {
  jobId: string;
  attempt: number;
  worker: string | null;
  startedAt: string;
  durationMs: number;
  outcome: AttemptOutcome;
  request: unknown;
  response: unknown;
  error: string | null;
}

export interface Incident {
  id: string;
  instanceId: string;
  activityId: string;
  executionId: string | null;
  kind: 'job' | 'timer';
  refId: string;
  message: string;
  state: 'open' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

export interface AuditRecord {
  id: number;
  at: string;
  actor: string | null;
  address: string | null;
  action: string;
  target: string | null;
  data: Record<string, unknown> | null;
}

export interface AuditReport {
  ok: boolean;
  rows: number;
  chains: number;
  anchors: number;
  problems: Array<{ kind: string; chain: string; seq: number | null; rowId: number | null; detail: string }>;
}

export interface Activity {
  activityId: string;
  name: string | null;
  kind: string;
  taskId?: string;
  jobId?: string;
  handler?: string;
  dueAt?: string;
}

export interface Instance {
  id: string;
  definitionId: string;
  processKey: string;
  version: number;
  businessKey: string | null;
  state: InstanceState;
  parentId: string | null;
  startedAt: string;
  startedBy: string | null;
  endedAt: string | null;
  activities: Activity[];
}
