/**
 * Keeping the organisation: departments, users, their posts and roles, custom
 * roles. Every change is audited. An administrator whose data scope is not
 * "all" manages only the departments under their own (hierarchical
 * administration), and nobody grants a role that carries more than they hold.
 * With three-admin separation on, nobody holds two of the three admin roles.
 */
import { t, WorkflowError, invalid, type ImportRowProblem, type LocalizedText } from '../errors.ts';
import type { Clock } from '../ports.ts';
import { can, inScope, type Actor } from './actor.ts';
import { Org, type OrgDirectory } from './directory.ts';
import type { DepartmentInput, DepartmentRecord, OrgStore, OrgWrite, RoleInput, RoleRecord, UserInput, UserPost, UserRecord } from './model.ts';

export type { DepartmentInput, RoleInput, UserInput };
import { readDepartments, readUsers, type Table } from './import-table.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { BUILTIN_ROLES, DATA_SCOPES, SEPARATED_ROLES, type DataScope, type Permission } from '../permissions.ts';


export class OrgAdmin {
  constructor(
    private readonly store: OrgStore,
    private readonly directory: OrgDirectory,
    private readonly clock: Clock,
    private readonly options: { separation: boolean } = { separation: false },
  ) {}

  /** Built-in roles present as the code defines them (run at start). */
  async ensureBuiltinRoles(): Promise<void> {
    const org = await this.directory.org();
    const at = this.clock.now();
    const writes: OrgWrite[] = BUILTIN_ROLES.filter((b) => {
      const stored = org.role(b.key);
      return !stored || stored.dataScope !== b.dataScope || stored.permissions.join() !== b.permissions.join() || stored.name['zh-CN'] !== b.name['zh-CN'];
    }).map((b) => ({ type: 'role.put', record: { key: b.key, name: b.name, permissions: [...b.permissions], dataScope: b.dataScope, builtin: true, updatedAt: at } }));
    if (writes.length) await this.#apply(null, 'role.builtin', null, { roles: writes.length }, writes);
  }

  async hasUsers(): Promise<boolean> {
    return (await this.directory.org()).data.users.length > 0;
  }

  /** A citizen signing in for the first time: an account for the mobile number, with the citizen role. */
  async addCitizen(mobile: string): Promise<UserRecord> {
    const input: UserInput = { id: `c${mobile}`, username: mobile, name: `${mobile.slice(0, 3)}****${mobile.slice(-4)}`, kind: 'citizen', mobile, roles: ['citizen'] };
    const org = await this.directory.org();
    const record = await this.#user(org, input, undefined);
    await this.#apply(null, 'user.citizen', record.id, { mobile }, [{ type: 'user.put', record }, { type: 'user.roles', userId: record.id, roles: ['citizen'] }]);
    return record;
  }

  async putDepartment(input: DepartmentInput, actor: Actor): Promise<DepartmentRecord> {
    const org = await this.directory.org();
    const existing = org.department(input.id);
    this.#mayManage(actor, existing ? input.id : input.parentId, 'department', input.id);
    // Moving a department: its new place must be in the admin's part of the tree too.
    if (existing && input.parentId !== existing.parentId) this.#mayManage(actor, input.parentId, 'department', input.id);
    const record = this.#department(org, input, existing);
    await this.#apply(actor, existing ? 'department.update' : 'department.create', record.id, { ...(existing && { before: existing }), after: record }, [{ type: 'department.put', record }]);
    return record;
  }

  async deleteDepartment(id: string, actor: Actor): Promise<void> {
    const org = await this.directory.org();
    if (!org.department(id)) throw new WorkflowError('WF_ERR_DEPARTMENT_NOT_FOUND', { departmentId: id });
    this.#mayManage(actor, id, 'department', id);
    const count = org.children(id).length + org.usersInDepartments([id]).length;
    if (count) throw new WorkflowError('WF_ERR_DEPARTMENT_NOT_EMPTY', { departmentId: id, count });
    await this.#apply(actor, 'department.delete', id, { before: org.department(id) }, [{ type: 'department.delete', id }]);
  }

  async putUser(input: UserInput, actor: Actor): Promise<UserRecord> {
    const org = await this.directory.org();
    const existing = org.user(input.id);
    if (existing) this.#mayManageUser(actor, org, existing.id);
    for (const post of input.posts ?? []) this.#mayManage(actor, post.departmentId, 'user', input.id);
    if (input.roles) this.#mayGrant(actor, org, input.id, input.roles);
    const record = await this.#user(org, input, existing);
    const writes: OrgWrite[] = [{ type: 'user.put', record }];
    if (input.posts) writes.push({ type: 'user.posts', userId: record.id, posts: this.#posts(org, record.id, input.posts) });
    if (input.roles) writes.push({ type: 'user.roles', userId: record.id, roles: input.roles });
    const { password, ...audited } = input;
    const before = existing && { ...userAudit(existing), posts: org.postsOf(existing.id), roles: org.rolesOf(existing.id) };
    await this.#apply(actor, existing ? 'user.update' : 'user.create', record.id, { ...(before && { before }), after: { ...audited, ...(password !== undefined && { password: 'changed' }) } }, writes);
    if (record.status === 'disabled') await this.store.deleteUserSessions(record.id);
    return record;
  }

  async setRoles(userId: string, roles: string[], actor: Actor): Promise<void> {
    const org = await this.directory.org();
    if (!org.user(userId)) throw new WorkflowError('WF_ERR_USER_NOT_FOUND', { userId });
    this.#mayGrant(actor, org, userId, roles);
    await this.#apply(actor, 'user.roles', userId, { before: { roles: org.rolesOf(userId) }, after: { roles } }, [{ type: 'user.roles', userId, roles }]);
  }

  async putRole(key: string, input: RoleInput, actor: Actor): Promise<RoleRecord> {
    const org = await this.directory.org();
    if (BUILTIN_ROLES.some((b) => b.key === key)) throw invalid('key', 'builtin', t('内置角色不能修改', 'a built-in role cannot be changed'));
    this.#withinOwn(actor, input.permissions, input.dataScope);
    const record: RoleRecord = { key, name: input.name, permissions: [...new Set(input.permissions)], dataScope: input.dataScope, builtin: false, updatedAt: this.clock.now() };
    const before = org.role(key);
    await this.#apply(actor, before ? 'role.update' : 'role.create', key, { ...(before && { before }), after: record }, [{ type: 'role.put', record }]);
    return record;
  }

  /**
   * Departments and users from import sheets, all or nothing: every bad row
   * is reported with its line; rows may refer to departments and users of the
   * same import. Existing ids are updated.
   */
  async importOrg(tables: { departments?: Table; users?: Table }, actor: Actor): Promise<{ departments: number; users: number }> {
    const departments = tables.departments ? readDepartments(tables.departments) : { items: [], lines: [], problems: [] };
    const users = tables.users ? readUsers(tables.users) : { items: [], lines: [], problems: [] };
    await this.#putAll(departments, users, [...departments.problems, ...users.problems], actor, 'org.import');
    return { departments: departments.items.length, users: users.items.length };
  }

  /** Departments and users given whole (the demo organisation), checked as an import is, in one transaction. */
  async putAll(input: { departments: DepartmentInput[]; users: UserInput[] }, actor: Actor): Promise<void> {
    const numbered = <T>(items: T[]) => ({ items, lines: items.map((_, i) => i + 1) });
    await this.#putAll(numbered(input.departments), numbered(input.users), [], actor, 'org.load');
  }

  async #putAll(
    departments: { items: DepartmentInput[]; lines: number[] },
    users: { items: UserInput[]; lines: number[] },
    problems: ImportRowProblem[],
    actor: Actor,
    action: string,
  ): Promise<void> {
    const writes: OrgWrite[] = [];
    const base = await this.directory.org();
    const staged = { ...base.data, departments: [...base.data.departments] };
    let org = base;
    departments.items.forEach((d, i) => {
      const row = departments.lines[i]!;
      try {
        this.#mayManage(actor, org.department(d.id) ? d.id : d.parentId, 'department', d.id);
        const record = this.#department(org, d, org.department(d.id), true);
        staged.departments = [...staged.departments.filter((x) => x.id !== record.id), record];
        org = new Org(staged); // the rows so far, for checking the rows after them
        writes.push({ type: 'department.put', record });
      } catch (err) {
        problems.push(rowProblem(row, err));
      }
    });
    // The sheet's users so far, by id and by username: later rows are checked against them too.
    const imported = new Map<string, UserRecord>();
    const usernames = new Map<string, string>();
    for (const [i, u] of users.items.entries()) {
      const row = users.lines[i]!;
      try {
        for (const post of u.posts ?? []) this.#mayManage(actor, post.departmentId, 'user', u.id);
        if (u.roles) this.#mayGrant(actor, org, u.id, u.roles);
        const record = await this.#user(org, u, imported.get(u.id) ?? org.user(u.id));
        const holder = usernames.get(record.username.toLowerCase());
        if (holder && holder !== record.id) throw new WorkflowError('WF_ERR_USER_EXISTS', { userId: record.id, username: record.username });
        imported.set(record.id, record);
        usernames.set(record.username.toLowerCase(), record.id);
        writes.push({ type: 'user.put', record });
        if (u.posts) writes.push({ type: 'user.posts', userId: record.id, posts: this.#posts(org, record.id, u.posts) });
        if (u.roles) writes.push({ type: 'user.roles', userId: record.id, roles: u.roles });
      } catch (err) {
        problems.push(rowProblem(row, err));
      }
    }
    // A head named in the sheet must be a user once everything is read.
    departments.items.forEach((d, i) => {
      if (d.headUserId && !org.user(d.headUserId) && !imported.has(d.headUserId)) problems.push({ row: departments.lines[i]!, field: 'headUserId', message: t(`负责人 ${d.headUserId} 不存在`, `head ${d.headUserId} does not exist`) });
    });
    if (problems.length) {
      problems.sort((a, b) => a.row - b.row);
      throw new WorkflowError('WF_ERR_IMPORT_INVALID', { count: new Set(problems.map((p) => p.row)).size, rows: problems });
    }
    await this.#apply(actor, action, null, { departments: departments.items.length, users: users.items.length }, writes);
  }

  // ---- checks ---------------------------------------------------------------------

  #department(org: Org, input: DepartmentInput, existing: DepartmentRecord | undefined, headLater = false): DepartmentRecord {
    const now = this.clock.now();
    const record: DepartmentRecord = {
      id: input.id,
      parentId: input.parentId,
      name: input.name,
      headUserId: input.headUserId === undefined ? (existing?.headUserId ?? null) : input.headUserId,
      sort: input.sort ?? existing?.sort ?? 0,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    if (record.parentId !== null && !org.department(record.parentId)) throw invalid('parentId', 'exists', t(`上级部门 ${record.parentId} 不存在`, `parent department ${record.parentId} does not exist`));
    if (record.parentId !== null && existing && org.subtree(existing.id).includes(record.parentId)) {
      throw new WorkflowError('WF_ERR_DEPARTMENT_CYCLE', { departmentId: record.id, parentId: record.parentId });
    }
    if (!headLater && record.headUserId && !org.user(record.headUserId)) throw invalid('headUserId', 'exists', t(`负责人 ${record.headUserId} 不存在`, `head ${record.headUserId} does not exist`));
    return record;
  }

  async #user(org: Org, input: UserInput, existing: UserRecord | undefined): Promise<UserRecord> {
    const username = input.username ?? existing?.username ?? input.id;
    const holder = org.userByUsername(username);
    if (holder && holder.id !== input.id) throw new WorkflowError('WF_ERR_USER_EXISTS', { userId: input.id, username });
    if (input.password !== undefined) {
      const problem = passwordProblem(input.password);
      if (problem) throw invalid('password', 'strength', problem);
    }
    for (const role of input.roles ?? []) if (!org.role(role)) throw new WorkflowError('WF_ERR_ROLE_NOT_FOUND', { role });
    const now = this.clock.now();
    return {
      id: input.id,
      username,
      name: input.name,
      kind: input.kind ?? existing?.kind ?? 'staff',
      mobile: input.mobile === undefined ? (existing?.mobile ?? null) : input.mobile,
      email: input.email === undefined ? (existing?.email ?? null) : input.email,
      passwordHash: input.password !== undefined ? await hashPassword(input.password) : (existing?.passwordHash ?? null),
      status: input.status ?? existing?.status ?? 'active',
      sort: input.sort ?? existing?.sort ?? 0,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
  }

  #posts(org: Org, userId: string, posts: NonNullable<UserInput['posts']>): UserPost[] {
    posts.forEach((p, i) => {
      if (!org.department(p.departmentId)) throw invalid(`posts[${i}].departmentId`, 'exists', t(`部门 ${p.departmentId} 不存在`, `department ${p.departmentId} does not exist`));
    });
    const primary = posts.findIndex((p) => p.primary);
    return posts.map((p, i) => ({ userId, departmentId: p.departmentId, post: p.post, primary: i === (primary < 0 ? 0 : primary) }));
  }

  /** Hierarchical administration: a department (or a user placed in it) must lie in the admin's scope. */
  #mayManage(actor: Actor, departmentId: string | null, entity: string, id: string): void {
    if (actor.scopeDepartments === null) return;
    if (departmentId === null || !inScope(actor, departmentId)) throw new WorkflowError('WF_ERR_OUT_OF_SCOPE', { entity, id });
  }

  #mayManageUser(actor: Actor, org: Org, userId: string): void {
    if (actor.scopeDepartments === null) return;
    const posts = org.postsOf(userId);
    if (!posts.length || posts.some((p) => !inScope(actor, p.departmentId))) throw new WorkflowError('WF_ERR_OUT_OF_SCOPE', { entity: 'user', id: userId });
  }

  #mayGrant(actor: Actor, org: Org, userId: string, roles: string[]): void {
    if (!can(actor, 'role:manage')) throw new WorkflowError('WF_ERR_FORBIDDEN', { permission: 'role:manage' });
    for (const key of roles) {
      const role = org.role(key);
      if (!role) throw new WorkflowError('WF_ERR_ROLE_NOT_FOUND', { role: key });
      this.#withinOwn(actor, role.permissions, role.dataScope, key);
    }
    if (this.options.separation) {
      const held = roles.filter((r) => r === 'admin' || (SEPARATED_ROLES as readonly string[]).includes(r));
      if (held.includes('admin') || held.length > 1) throw new WorkflowError('WF_ERR_SEPARATION_OF_DUTIES', { userId, roles: held.join(', ') });
    }
  }

  /** Nobody grants what they do not hold. Under three-admin separation, the security admin grants what they do not hold themselves: that is their duty. */
  #withinOwn(actor: Actor, permissions: readonly Permission[], scope: DataScope, role?: string): void {
    if (this.options.separation && actor.roles.includes('secadmin')) return;
    const extra = permissions.find((p) => !can(actor, p));
    if (extra) throw new WorkflowError('WF_ERR_GRANT_EXCEEDS_OWN', { what: t('权限', 'permission'), value: role ? `${role} (${extra})` : extra });
    if (DATA_SCOPES.indexOf(scope) > DATA_SCOPES.indexOf(actor.scope)) throw new WorkflowError('WF_ERR_GRANT_EXCEEDS_OWN', { what: t('数据范围', 'data scope'), value: role ? `${role} (${scope})` : scope });
  }

  async #apply(actor: Actor | null, action: string, target: string | null, data: Record<string, unknown> | null, writes: OrgWrite[]): Promise<void> {
    await this.store.applyOrg([...writes, { type: 'audit', entry: { at: this.clock.now(), actor: actor?.id ?? null, address: actor?.address ?? null, action, target, data } }]);
    this.directory.invalidate();
  }
}

/** A user as the audit trail shows them: never the password hash. */
const userAudit = ({ passwordHash, ...user }: UserRecord) => ({ ...user, hasPassword: passwordHash !== null });

function rowProblem(row: number, err: unknown): ImportRowProblem {
  if (err instanceof WorkflowError) {
    const field = err.field ?? (err.code === 'WF_ERR_USER_EXISTS' ? 'username' : err.code === 'WF_ERR_ROLE_NOT_FOUND' ? 'roles' : err.code === 'WF_ERR_OUT_OF_SCOPE' ? 'departmentId' : 'id');
    const reason = err.code === 'WF_ERR_VALIDATION' ? (err.context as { reason: LocalizedText }).reason : { 'zh-CN': err.localizedMessage('zh-CN'), en: err.localizedMessage('en') };
    return { row, field, message: reason };
  }
  throw err;
}
