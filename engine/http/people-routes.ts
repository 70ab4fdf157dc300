/** Sign-in, sessions and tokens; the organisation (departments, users, roles), its import and the audit trail. */
import type { AuditReport, AuditTrail } from '../core/audit.ts';
import { WorkflowError } from '../core/errors.ts';
import type { Actor } from '../core/org/actor.ts';
import type { OrgAdmin, DepartmentInput, RoleInput, UserInput } from '../core/org/admin.ts';
import type { Auth, AuthConfig, SignedIn } from '../core/org/auth.ts';
import type { Org, OrgDirectory } from '../core/org/directory.ts';
import type { SessionRecord, UserRecord } from '../core/org/model.ts';
import { PERMISSIONS, type Permission } from '../core/permissions.ts';
import { iso } from './views.ts';
import { sessionCookie } from './authenticate.ts';
import { peopleRequests as requests } from './people-schemas.ts';
import { actorOf, mapPage, type ApiRequest, type PageQuery, type Route, type UploadedFile } from './route.ts';
import { idParams, keyParams } from './schemas.ts';
import { readTable } from './sheets.ts';

export interface PeopleOptions {
  auth: Auth;
  admin: OrgAdmin;
  directory: OrgDirectory;
  authConfig: AuthConfig;
  /** Mark the session cookie Secure (the server is reached over HTTPS). */
  secureCookies: boolean;
  audit: AuditTrail;
  verifyAudit(): Promise<AuditReport>;
}

const userView = (u: UserRecord, org: Org) => ({
  id: u.id,
  username: u.username,
  name: u.name,
  kind: u.kind,
  mobile: u.mobile,
  email: u.email,
  status: u.status,
  sort: u.sort,
  hasPassword: u.passwordHash !== null,
  posts: org.postsOf(u.id).map((p) => ({ departmentId: p.departmentId, departmentName: org.department(p.departmentId)?.name ?? null, post: p.post, primary: p.primary })),
  roles: org.rolesOf(u.id),
  createdAt: iso(u.createdAt),
  updatedAt: iso(u.updatedAt),
});

const meView = (actor: Actor, session: SessionRecord | null) => ({
  id: actor.id,
  name: actor.name,
  kind: actor.kind,
  roles: actor.roles,
  permissions: [...actor.permissions],
  menus: [...new Set([...actor.permissions].map((p) => PERMISSIONS[p].menu))],
  dataScope: actor.scope,
  departments: actor.departments,
  /** What a task's candidate groups are matched against (roles and posts): the workbench's "claimable by me". */
  groups: actor.groups,
  csrfToken: session?.csrf ?? null,
  expiresAt: iso(session?.expiresAt ?? null),
});

const tokenView = (s: SessionRecord) => ({ id: s.idHash, name: s.name, createdAt: iso(s.createdAt), expiresAt: iso(s.expiresAt) });

const MAX_EXPORT_ROWS = 50_000;

export function authRoutes(options: PeopleOptions): Route[] {
  const { auth } = options;
  const signedIn = ({ actor, secret, session }: SignedIn) => ({
    body: meView(actor, session),
    headers: { 'set-cookie': sessionCookie(secret, options.authConfig.sessionIdleMs, options.secureCookies), 'cache-control': 'no-store' },
  });
  return [
    {
      method: 'post',
      path: '/api/auth/login',
      access: 'public',
      tag: 'auth',
      summary: 'Staff sign-in with username and password: sets the session cookie; unsafe requests then send X-CSRF-Token (csrfToken). Locked for a while after repeated failures',
      body: requests.login,
      responses: { 200: { description: 'who signed in, with their permissions and CSRF token' } },
      async handle(req: ApiRequest<object, object, { username: string; password: string }>) {
        return signedIn(await auth.login(req.body.username, req.body.password, req.ip));
      },
    },
    {
      method: 'post',
      path: '/api/auth/sms-code',
      access: 'public',
      tag: 'auth',
      summary: 'Send a citizen a sign-in code by SMS (the SMS connector limits how often per number)',
      body: requests.smsCode,
      responses: { 202: { description: 'sent' } },
      async handle(req: ApiRequest<object, object, { mobile: string }>) {
        await auth.sendCode(req.body.mobile, req.ip);
        return { status: 202, body: { sent: true } };
      },
    },
    {
      method: 'post',
      path: '/api/auth/sms-login',
      access: 'public',
      tag: 'auth',
      summary: 'Citizen sign-in with mobile and SMS code; the first sign-in makes the account',
      body: requests.smsLogin,
      responses: { 200: { description: 'who signed in' } },
      async handle(req: ApiRequest<object, object, { mobile: string; code: string }>) {
        return signedIn(await auth.loginWithCode(req.body.mobile, req.body.code, req.ip));
      },
    },
    {
      method: 'post',
      path: '/api/auth/logout',
      access: 'signed-in',
      tag: 'auth',
      summary: 'End this session (or revoke the bearer token used)',
      responses: { 204: { description: 'signed out' } },
      async handle(req) {
        if (req.caller?.secret) await auth.logout(req.caller.secret, actorOf(req));
        return { status: 204, body: null, headers: { 'set-cookie': sessionCookie('', 0, options.secureCookies) } };
      },
    },
    {
      method: 'get',
      path: '/api/auth/session',
      access: 'public',
      tag: 'auth',
      summary: 'Who is signed in, or null: the portal asks this (not /api/auth/me, which answers 401) so that an anonymous visit logs no error',
      responses: { 200: { description: 'the signed-in user, or null' } },
      async handle(req) {
        return { body: { me: req.caller ? meView(req.caller.actor, req.caller.session ?? null) : null }, headers: { 'Cache-Control': 'no-store' } };
      },
    },
    {
      method: 'get',
      path: '/api/auth/me',
      access: 'signed-in',
      tag: 'auth',
      summary: 'Who is signed in: roles, permissions, menus, data scope, CSRF token',
      responses: { 200: { description: 'the signed-in user' } },
      async handle(req) {
        return { body: meView(actorOf(req), req.caller?.session ?? null) };
      },
    },
    {
      method: 'post',
      path: '/api/auth/tokens',
      access: 'signed-in',
      tag: 'auth',
      summary: "An API token with the caller's rights (Authorization: Bearer …); shown once",
      body: requests.createToken,
      responses: { 201: { description: 'the token' } },
      async handle(req: ApiRequest<object, object, { name: string; days?: number }>) {
        const { secret, session } = await auth.createToken(actorOf(req), req.body.name, req.body.days === undefined ? undefined : req.body.days * 24 * 3600_000);
        return { status: 201, body: { ...tokenView(session), token: secret } };
      },
    },
    {
      method: 'get',
      path: '/api/auth/tokens',
      access: 'signed-in',
      tag: 'auth',
      summary: "The caller's API tokens (not their secrets)",
      responses: { 200: { description: 'tokens' } },
      async handle(req) {
        return { body: { items: (await auth.listTokens(actorOf(req).id)).map(tokenView) } };
      },
    },
    {
      method: 'delete',
      path: '/api/auth/tokens/:id',
      access: 'signed-in',
      tag: 'auth',
      summary: 'Revoke one of the caller’s API tokens',
      params: idParams,
      responses: { 204: { description: 'revoked' } },
      async handle(req: ApiRequest<{ id: string }>) {
        if (!(await auth.revokeToken(actorOf(req), req.params.id))) throw new WorkflowError('WF_ERR_UNAUTHENTICATED', {});
        return { status: 204, body: null };
      },
    },
  ];
}

export function orgRoutes(options: PeopleOptions): Route[] {
  const { admin, directory } = options;
  return [
    {
      method: 'get',
      path: '/api/org/departments',
      access: 'org:read',
      tag: 'org',
      summary: 'The department tree, flat (parentId), each level in its sort order',
      responses: { 200: { description: 'departments' } },
      async handle() {
        const org = await directory.org();
        const items: unknown[] = [];
        const walk = (parentId: string | null, depth: number) => {
          for (const d of org.children(parentId)) {
            items.push({ ...d, depth, createdAt: iso(d.createdAt), updatedAt: iso(d.updatedAt) });
            walk(d.id, depth + 1);
          }
        };
        walk(null, 0);
        return { body: { items } };
      },
    },
    {
      method: 'put',
      path: '/api/org/departments/:id',
      access: 'org:manage',
      tag: 'org',
      summary: 'Create or change a department (an admin of part of the tree: only under their departments)',
      params: idParams,
      body: requests.putDepartment,
      responses: { 200: { description: 'the department' } },
      async handle(req: ApiRequest<{ id: string }, object, Omit<DepartmentInput, 'id'>>) {
        return { body: await admin.putDepartment({ ...req.body, id: req.params.id }, actorOf(req)) };
      },
    },
    {
      method: 'delete',
      path: '/api/org/departments/:id',
      access: 'org:manage',
      tag: 'org',
      summary: 'Remove an empty department',
      params: idParams,
      responses: { 204: { description: 'removed' } },
      async handle(req: ApiRequest<{ id: string }>) {
        await admin.deleteDepartment(req.params.id, actorOf(req));
        return { status: 204, body: null };
      },
    },
    {
      method: 'get',
      path: '/api/org/users',
      access: 'org:read',
      tag: 'org',
      summary: 'Users, filtered by department (children=true: and below), role, post or keyword (name, username, mobile)',
      query: requests.usersQuery,
      responses: { 200: { description: 'a page of users' } },
      async handle(req: ApiRequest<object, PageQuery & { departmentId?: string; children: boolean; role?: string; post?: string; keyword?: string }>) {
        const q = req.query;
        const org = await directory.org();
        const within = q.departmentId ? new Set(q.children ? org.subtree(q.departmentId) : [q.departmentId]) : null;
        const users = org.data.users.filter(
          (u) =>
            (!within || org.postsOf(u.id).some((p) => within.has(p.departmentId))) &&
            (!q.role || org.rolesOf(u.id).includes(q.role)) &&
            (!q.post || org.postsOf(u.id).some((p) => p.post === q.post)) &&
            (!q.keyword || [u.name, u.username, u.mobile ?? ''].some((s) => s.includes(q.keyword!))),
        );
        return { body: { items: users.slice(q.offset, q.offset + q.limit).map((u) => userView(u, org)), total: users.length, offset: q.offset, limit: q.limit } };
      },
    },
    {
      method: 'get',
      path: '/api/org/users/:id',
      access: 'org:read',
      tag: 'org',
      summary: 'One user with posts and roles',
      params: idParams,
      responses: { 200: { description: 'the user' } },
      async handle(req: ApiRequest<{ id: string }>) {
        const org = await directory.org();
        const user = org.user(req.params.id);
        if (!user) throw new WorkflowError('WF_ERR_USER_NOT_FOUND', { userId: req.params.id });
        return { body: userView(user, org) };
      },
    },
    {
      method: 'put',
      path: '/api/org/users/:id',
      access: 'org:manage',
      tag: 'org',
      summary: 'Create or change a user: posts replace the old ones; roles (needs role:manage) likewise; password sets a new one',
      params: idParams,
      body: requests.putUser,
      responses: { 200: { description: 'the user' } },
      async handle(req: ApiRequest<{ id: string }, object, Omit<UserInput, 'id'>>) {
        const user = await admin.putUser({ ...req.body, id: req.params.id }, actorOf(req));
        return { body: userView(user, await directory.org()) };
      },
    },
    {
      method: 'put',
      path: '/api/org/users/:id/roles',
      access: 'role:manage',
      tag: 'org',
      summary: "Replace a user's roles (only roles within the caller's own rights; three-admin separation enforced when on)",
      params: idParams,
      body: requests.putRoles,
      responses: { 200: { description: 'the user' } },
      async handle(req: ApiRequest<{ id: string }, object, { roles: string[] }>) {
        await admin.setRoles(req.params.id, req.body.roles, actorOf(req));
        const org = await directory.org();
        return { body: userView(org.user(req.params.id)!, org) };
      },
    },
    {
      method: 'get',
      path: '/api/org/roles',
      access: 'org:read',
      tag: 'org',
      summary: 'Roles with their permissions and data scope',
      responses: { 200: { description: 'roles' } },
      async handle() {
        return { body: { items: (await directory.org()).data.roles.map((r) => ({ ...r, updatedAt: iso(r.updatedAt) })) } };
      },
    },
    {
      method: 'put',
      path: '/api/org/roles/:key',
      access: 'role:manage',
      tag: 'org',
      summary: 'Create or change a custom role (built-in roles are fixed)',
      params: keyParams,
      body: requests.putRole,
      responses: { 200: { description: 'the role' } },
      async handle(req: ApiRequest<{ key: string }, object, RoleInput>) {
        return { body: await admin.putRole(req.params.key, req.body, actorOf(req)) };
      },
    },
    {
      method: 'get',
      path: '/api/org/permissions',
      access: 'org:read',
      tag: 'org',
      summary: 'Every permission a role can grant, by menu',
      responses: { 200: { description: 'permissions' } },
      async handle() {
        return { body: { items: Object.entries(PERMISSIONS).map(([key, p]) => ({ key: key as Permission, menu: p.menu, name: { 'zh-CN': p['zh-CN'], en: p.en } })) } };
      },
    },
    {
      method: 'post',
      path: '/api/org/import',
      access: 'org:manage',
      tag: 'org',
      summary: 'Import departments or users from a CSV or XLSX sheet (multipart: file, kind); all rows or none, every bad row reported',
      multipart: { maxBytes: 10 * 1024 * 1024 },
      body: requests.importSheet,
      responses: { 200: { description: 'how many rows were imported' } },
      async handle(req: ApiRequest<object, object, { kind: 'departments' | 'users'; file: UploadedFile }>) {
        const table = await readTable(req.body.file.name, req.body.file.bytes);
        return { body: await admin.importOrg({ [req.body.kind]: table }, actorOf(req)) };
      },
    },
    {
      method: 'get',
      path: '/api/audit',
      access: 'audit:read',
      tag: 'audit',
      summary: 'The audit trail (sign-ins, organisation, settings, deploys, task operations …), newest first; filter by user, action, client address and time',
      query: requests.auditQuery,
      responses: { 200: { description: 'a page of audit records' } },
      async handle(req: ApiRequest<object, PageQuery & { actor?: string; action?: string; address?: string; from?: string; to?: string }>) {
        const { offset, limit, from, to, ...filter } = req.query;
        const page = await options.audit.list({ ...filter, ...(from && { from: Date.parse(from) }), ...(to && { to: Date.parse(to) }) }, { offset, limit });
        return { body: mapPage(page, (a) => ({ ...a, at: iso(a.at) })) };
      },
    },
    {
      method: 'get',
      path: '/api/audit/export',
      access: 'audit:read',
      audit: { action: 'audit.export' },
      tag: 'audit',
      summary: 'The audit trail as CSV (UTF-8 with BOM, for Excel), with the same filters as the list; at most 50,000 rows, newest first',
      query: requests.auditExportQuery,
      responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
      async handle(req: ApiRequest<object, { actor?: string; action?: string; address?: string; from?: string; to?: string }>) {
        const { from, to, ...filter } = req.query;
        const page = await options.audit.list({ ...filter, ...(from && { from: Date.parse(from) }), ...(to && { to: Date.parse(to) }) }, { offset: 0, limit: MAX_EXPORT_ROWS });
        const cell = (v: unknown) => `"${String(v ?? '').replace(/"/g, '""')}"`;
        const lines = [
          ['时间 time', '用户 actor', '地址 address', '操作 action', '对象 target', '内容 data'],
          ...page.items.map((a) => [iso(a.at), a.actor, a.address, a.action, a.target, a.data ? JSON.stringify(a.data) : '']),
        ];
        return {
          body: `\uFEFF${lines.map((l) => l.map(cell).join(',')).join('\r\n')}\r\n`,
          contentType: 'text/csv; charset=utf-8',
          headers: { 'content-disposition': 'attachment; filename="audit.csv"' },
          audit: { rows: page.items.length },
        };
      },
    },
    {
      method: 'get',
      path: '/api/audit/verify',
      access: 'audit:read',
      audit: { action: 'audit.verify' },
      tag: 'audit',
      summary: 'Walk the hash chains of the audit trail and of every case history, check the signed anchors, and report the first row of each chain that was edited, deleted, inserted or re-ordered',
      responses: { 200: { description: 'the report: ok, rows and chains checked, problems' } },
      async handle() {
        return { body: await options.verifyAudit() };
      },
    },
  ];
}
