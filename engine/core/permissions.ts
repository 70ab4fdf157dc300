/**
 * What a role can grant: operations grouped by menu (the module a front end
 * shows), and the built-in roles. Pure data: the error catalogue reads the
 * labels from here.
 */

export type DataScope = 'own' | 'department' | 'department-and-children' | 'all';
export const DATA_SCOPES: readonly DataScope[] = ['own', 'department', 'department-and-children', 'all'];

export type Menu = 'design' | 'cases' | 'inbox' | 'operations' | 'org' | 'audit';

interface PermissionSpec {
  menu: Menu;
  'zh-CN': string;
  en: string;
}

export const PERMISSIONS = {
  'definition:read': { menu: 'design', 'zh-CN': '查看流程定义', en: 'read process definitions' },
  'definition:deploy': { menu: 'design', 'zh-CN': '发布流程定义', en: 'deploy process definitions' },
  'form:read': { menu: 'design', 'zh-CN': '查看表单', en: 'read forms' },
  'form:deploy': { menu: 'design', 'zh-CN': '发布表单', en: 'deploy forms' },
  'dictionary:manage': { menu: 'design', 'zh-CN': '维护字典', en: 'edit dictionaries' },
  'catalog:read': { menu: 'design', 'zh-CN': '查看服务目录配置', en: 'read the service catalog' },
  'catalog:manage': { menu: 'design', 'zh-CN': '维护并发布服务目录', en: 'edit and publish the service catalog' },
  'instance:start': { menu: 'cases', 'zh-CN': '发起申请', en: 'start cases' },
  'instance:read': { menu: 'cases', 'zh-CN': '查看案件', en: 'read cases' },
  'instance:manage': { menu: 'cases', 'zh-CN': '撤销、迁移案件', en: 'cancel and migrate cases' },
  'file:upload': { menu: 'cases', 'zh-CN': '上传材料', en: 'upload files' },
  'task:read': { menu: 'inbox', 'zh-CN': '查看待办', en: 'read tasks' },
  'task:handle': { menu: 'inbox', 'zh-CN': '办理待办', en: 'handle tasks' },
  'task:assign': { menu: 'inbox', 'zh-CN': '改派他人的待办', en: 'reassign other people’s tasks' },
  'task:urge': { menu: 'inbox', 'zh-CN': '督办催办', en: 'urge tasks' },
  'message:send': { menu: 'operations', 'zh-CN': '发送流程消息与信号', en: 'send process messages and signals' },
  'incident:manage': { menu: 'operations', 'zh-CN': '处理异常与作业', en: 'handle incidents and jobs' },
  'connector:manage': { menu: 'operations', 'zh-CN': '配置连接器', en: 'configure connectors' },
  'org:read': { menu: 'org', 'zh-CN': '查看组织架构', en: 'read the organisation' },
  'org:manage': { menu: 'org', 'zh-CN': '维护部门与人员', en: 'manage departments and users' },
  'role:manage': { menu: 'org', 'zh-CN': '维护角色与授权', en: 'manage roles and grants' },
  'audit:read': { menu: 'audit', 'zh-CN': '查看审计日志', en: 'read the audit trail' },
} as const satisfies Record<string, PermissionSpec>;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];
export const isPermission = (value: string): value is Permission => Object.hasOwn(PERMISSIONS, value);

export interface BuiltinRole {
  key: string;
  name: { 'zh-CN': string; en: string };
  permissions: readonly Permission[];
  dataScope: DataScope;
}

const CASE_WORK: Permission[] = ['instance:start', 'instance:read', 'file:upload', 'task:read', 'task:handle'];

/** Present in every installation; an admin may add roles but not change or remove these. */
export const BUILTIN_ROLES: readonly BuiltinRole[] = [
  { key: 'admin', name: { 'zh-CN': '系统管理员（全部权限）', en: 'Administrator (everything)' }, permissions: ALL_PERMISSIONS, dataScope: 'all' },
  {
    key: 'analyst',
    name: { 'zh-CN': '业务分析员', en: 'Business analyst' },
    permissions: ['definition:read', 'definition:deploy', 'form:read', 'form:deploy', 'dictionary:manage', 'catalog:read', 'catalog:manage', 'instance:read', 'task:read', 'org:read'],
    dataScope: 'all',
  },
  { key: 'clerk', name: { 'zh-CN': '经办人', en: 'Clerk' }, permissions: [...CASE_WORK, 'definition:read', 'form:read', 'org:read'], dataScope: 'own' },
  {
    key: 'supervisor',
    name: { 'zh-CN': '督办负责人', en: 'Supervisor' },
    permissions: [...CASE_WORK, 'definition:read', 'form:read', 'org:read', 'task:assign', 'task:urge'],
    dataScope: 'department-and-children',
  },
  { key: 'citizen', name: { 'zh-CN': '群众（办事人）', en: 'Citizen' }, permissions: [...CASE_WORK, 'form:read'], dataScope: 'own' },
  // Three-admin separation (三员管理): each holds one part of what `admin` holds.
  {
    key: 'sysadmin',
    name: { 'zh-CN': '系统管理员', en: 'System administrator' },
    permissions: ['org:read', 'org:manage', 'connector:manage', 'incident:manage', 'message:send', 'definition:read', 'form:read', 'instance:read', 'instance:manage', 'task:read'],
    dataScope: 'all',
  },
  { key: 'secadmin', name: { 'zh-CN': '安全保密管理员', en: 'Security administrator' }, permissions: ['org:read', 'role:manage'], dataScope: 'all' },
  { key: 'auditor', name: { 'zh-CN': '安全审计员', en: 'Security auditor' }, permissions: ['org:read', 'audit:read'], dataScope: 'all' },
];

/** Under three-admin separation no user holds two of these, nor `admin`. */
export const SEPARATED_ROLES = ['sysadmin', 'secadmin', 'auditor'] as const;
