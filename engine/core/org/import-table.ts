/**
 * An import sheet (CSV or XLSX, already split into cells) read into
 * departments or users. The first row names the columns, in Chinese or
 * English; each later row is one record, and a problem names its row (as the
 * spreadsheet numbers it) and column.
 *
 * Users' posts are written `部门编号:岗位;部门编号:岗位` (the first is the
 * primary), roles `clerk;supervisor`.
 */
import { t, type ImportRowProblem, type LocalizedText } from '../errors.ts';
import type { DepartmentInput, UserInput } from './model.ts';

export type Table = string[][];

const DEPARTMENT_COLUMNS: Record<string, keyof DepartmentInput> = {
  id: 'id', 部门编号: 'id', 编号: 'id',
  name: 'name', 部门名称: 'name', 名称: 'name',
  parentid: 'parentId', 上级部门: 'parentId', 上级部门编号: 'parentId',
  headuserid: 'headUserId', 负责人: 'headUserId', 负责人编号: 'headUserId',
  sort: 'sort', 排序: 'sort',
};

const USER_COLUMNS: Record<string, keyof UserInput> = {
  id: 'id', 用户编号: 'id', 工号: 'id', 编号: 'id',
  username: 'username', 用户名: 'username', 登录名: 'username',
  name: 'name', 姓名: 'name',
  mobile: 'mobile', 手机: 'mobile', 手机号: 'mobile',
  email: 'email', 邮箱: 'email', 电子邮箱: 'email',
  posts: 'posts', 岗位: 'posts', 部门岗位: 'posts',
  roles: 'roles', 角色: 'roles',
  password: 'password', 初始密码: 'password', 密码: 'password',
  status: 'status', 状态: 'status',
  sort: 'sort', 排序: 'sort',
};

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MOBILE = /^1[3-9]\d{9}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface ReadRows<T> {
  items: T[];
  /** The spreadsheet row of each item. */
  lines: number[];
  problems: ImportRowProblem[];
}

function read<T>(table: Table, columns: Record<string, string>, required: string[], build: (cells: Map<string, string>, problem: (field: string, message: LocalizedText) => void) => T | null): ReadRows<T> {
  const out: ReadRows<T> = { items: [], lines: [], problems: [] };
  const [header, ...rows] = table;
  if (!header) {
    out.problems.push({ row: 1, field: '-', message: t('文件是空的', 'the file is empty') });
    return out;
  }
  const fields = header.map((h) => columns[h.trim().replace(/^\uFEFF/, '').replace(/\s+/g, '').toLowerCase()] ?? columns[h.trim()] ?? null);
  for (const need of required) if (!fields.includes(need)) out.problems.push({ row: 1, field: need, message: t(`缺少列 ${need}`, `column ${need} is missing`) });
  if (out.problems.length) return out;
  rows.forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => !c.trim())) return;
    const values = new Map<string, string>();
    fields.forEach((f, c) => {
      const value = cells[c]?.trim() ?? '';
      if (f && value) values.set(f, value);
    });
    let bad = false;
    const problem = (field: string, message: LocalizedText) => {
      bad = true;
      out.problems.push({ row, field, message });
    };
    for (const need of required) if (!values.has(need)) problem(need, t('必填', 'is required'));
    const item = bad ? null : build(values, problem);
    if (item && !bad) {
      out.items.push(item);
      out.lines.push(row);
    }
  });
  return out;
}

function checkId(value: string | undefined, field: string, problem: (field: string, message: LocalizedText) => void): void {
  if (value !== undefined && !ID.test(value)) problem(field, t('只能用字母、数字、点、横线和下划线，最多 64 位', 'letters, digits, dot, dash and underscore only, at most 64'));
}

function sortOf(value: string | undefined, problem: (field: string, message: LocalizedText) => void): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d{1,9}$/.test(value)) problem('sort', t('须为整数', 'must be an integer'));
  return Number(value);
}

export function readDepartments(table: Table): ReadRows<DepartmentInput> {
  return read(table, DEPARTMENT_COLUMNS, ['id', 'name'], (v, problem) => {
    checkId(v.get('id'), 'id', problem);
    checkId(v.get('parentId'), 'parentId', problem);
    checkId(v.get('headUserId'), 'headUserId', problem);
    if ((v.get('name') ?? '').length > 128) problem('name', t('最多 128 个字', 'at most 128 characters'));
    const sort = sortOf(v.get('sort'), problem);
    return { id: v.get('id')!, name: v.get('name')!, parentId: v.get('parentId') ?? null, ...(v.has('headUserId') && { headUserId: v.get('headUserId')! }), ...(sort !== undefined && { sort }) };
  });
}

export function readUsers(table: Table): ReadRows<UserInput> {
  return read(table, USER_COLUMNS, ['id', 'name'], (v, problem) => {
    checkId(v.get('id'), 'id', problem);
    const mobile = v.get('mobile');
    if (mobile && !MOBILE.test(mobile)) problem('mobile', t('不是有效的手机号码', 'is not a valid mobile number'));
    const email = v.get('email');
    if (email && !EMAIL.test(email)) problem('email', t('不是有效的邮箱地址', 'is not a valid e-mail address'));
    const posts = (v.get('posts') ?? '').split(/[;；]/).map((p) => p.trim()).filter(Boolean).map((p, i) => {
      const [departmentId = '', post = ''] = p.split(/[:：]/).map((s) => s.trim());
      if (!departmentId || !post) problem('posts', t(`“${p}”应写作 部门编号:岗位`, `"${p}" should read department:post`));
      return { departmentId, post, primary: i === 0 };
    });
    const roles = (v.get('roles') ?? '').split(/[;；,，]/).map((r) => r.trim()).filter(Boolean);
    const status = v.get('status');
    if (status && !['active', 'disabled', '启用', '停用'].includes(status)) problem('status', t('须为 启用/停用（active/disabled）', 'must be active or disabled'));
    const sort = sortOf(v.get('sort'), problem);
    return {
      id: v.get('id')!,
      name: v.get('name')!,
      ...(v.has('username') && { username: v.get('username')! }),
      ...(mobile && { mobile }),
      ...(email && { email }),
      ...(v.has('password') && { password: v.get('password')! }),
      ...(status && { status: status === '停用' || status === 'disabled' ? ('disabled' as const) : ('active' as const) }),
      ...(sort !== undefined && { sort }),
      ...(posts.length && { posts }),
      ...(roles.length && { roles }),
    };
  });
}
