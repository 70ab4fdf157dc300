/** The OrgStore port on SQL: departments, users, posts, roles, sessions, login windows; org changes audited in their transaction. */
import type { DepartmentRecord, LoginWindow, OrgData, OrgStore, OrgWrite, RoleRecord, SessionKind, SessionRecord, UserRecord } from '../core/org/model.ts';
import type { BatchStatement, SqlExecutor } from './executors.ts';
import { json, num, strOrNull, type Row } from './rows.ts';
import { insert, runGuarded } from './sql.ts';
import { auditStatements } from './audit-tables.ts';

const toDepartment = (r: Row): DepartmentRecord => ({
  id: String(r.id),
  parentId: strOrNull(r.parent_id),
  name: String(r.name),
  headUserId: strOrNull(r.head_user_id),
  sort: num(r.sort),
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at),
});

const toUser = (r: Row): UserRecord => ({
  id: String(r.id),
  username: String(r.username),
  name: String(r.name),
  kind: r.kind as UserRecord['kind'],
  mobile: strOrNull(r.mobile),
  email: strOrNull(r.email),
  passwordHash: strOrNull(r.password_hash),
  status: r.status as UserRecord['status'],
  sort: num(r.sort),
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at),
});

const toRole = (r: Row): RoleRecord => ({
  key: String(r.key),
  name: { 'zh-CN': String(r.name_zh), en: String(r.name_en) },
  permissions: json(r.permissions),
  dataScope: r.data_scope as RoleRecord['dataScope'],
  builtin: Boolean(r.builtin),
  updatedAt: num(r.updated_at),
});

const toSession = (r: Row): SessionRecord => ({
  idHash: String(r.id_hash),
  userId: String(r.user_id),
  kind: r.kind as SessionKind,
  name: strOrNull(r.name),
  csrf: strOrNull(r.csrf),
  createdAt: num(r.created_at),
  lastSeenAt: num(r.last_seen_at),
  expiresAt: num(r.expires_at),
});

const toWindow = (r: Row): LoginWindow => ({ key: String(r.key), failures: num(r.failures), windowStart: num(r.window_start), lockedUntil: r.locked_until === null ? null : num(r.locked_until) });

/** INSERT … ON CONFLICT DO UPDATE, the same text on SQLite and PostgreSQL. */
function upsert(table: string, keys: string[], row: Row): BatchStatement {
  const statement = insert(table, [row]);
  const updates = Object.keys(row).filter((c) => !keys.includes(c)).map((c) => `"${c}" = excluded."${c}"`);
  return { sql: `${statement.sql} ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${updates.join(', ')}`, bind: statement.bind };
}

function statementsOf(w: OrgWrite): BatchStatement[] {
  switch (w.type) {
    case 'department.put': {
      const d = w.record;
      return [upsert('wf_departments', ['id'], { id: d.id, parent_id: d.parentId, name: d.name, head_user_id: d.headUserId, sort: d.sort, created_at: d.createdAt, updated_at: d.updatedAt })];
    }
    case 'department.delete':
      return [{ sql: 'DELETE FROM wf_departments WHERE id = $1', bind: [w.id] }];
    case 'user.put': {
      const u = w.record;
      return [
        upsert('wf_users', ['id'], { id: u.id, username: u.username, name: u.name, kind: u.kind, mobile: u.mobile, email: u.email, password_hash: u.passwordHash, status: u.status, sort: u.sort, created_at: u.createdAt, updated_at: u.updatedAt }),
      ];
    }
    case 'user.posts':
      return [
        { sql: 'DELETE FROM wf_user_posts WHERE user_id = $1', bind: [w.userId] },
        ...(w.posts.length ? [insert('wf_user_posts', w.posts.map((p) => ({ user_id: p.userId, department_id: p.departmentId, post: p.post, is_primary: p.primary })))] : []),
      ];
    case 'user.roles':
      return [
        { sql: 'DELETE FROM wf_user_roles WHERE user_id = $1', bind: [w.userId] },
        ...(w.roles.length ? [insert('wf_user_roles', [...new Set(w.roles)].map((role) => ({ user_id: w.userId, role_key: role })))] : []),
      ];
    case 'role.put': {
      const r = w.record;
      return [upsert('wf_roles', ['key'], { key: r.key, name_zh: r.name['zh-CN'], name_en: r.name.en, permissions: JSON.stringify(r.permissions), data_scope: r.dataScope, builtin: r.builtin, updated_at: r.updatedAt })];
    }
    case 'audit':
      return []; // chained in applyOrg
  }
}

export class OrgTables implements OrgStore {
  constructor(private readonly sql: SqlExecutor) {}

  /** One statement as its own transaction. */
  async #write(sql: string, bind: readonly unknown[]): Promise<void> {
    await this.sql.batch([{ sql, bind }], () => undefined);
  }

  async loadOrg(): Promise<OrgData> {
    const [departments, users, posts, roles, userRoles] = await Promise.all([
      this.sql.select('SELECT * FROM wf_departments ORDER BY sort, id'),
      this.sql.select('SELECT * FROM wf_users ORDER BY sort, id'),
      this.sql.select('SELECT * FROM wf_user_posts ORDER BY user_id, department_id, post'),
      this.sql.select('SELECT * FROM wf_roles ORDER BY key'),
      this.sql.select('SELECT * FROM wf_user_roles ORDER BY user_id, role_key'),
    ]);
    return {
      departments: departments.map(toDepartment),
      users: users.map(toUser),
      posts: posts.map((r) => ({ userId: String(r.user_id), departmentId: String(r.department_id), post: String(r.post), primary: Boolean(r.is_primary) })),
      roles: roles.map(toRole),
      userRoles: userRoles.map((r) => ({ userId: String(r.user_id), role: String(r.role_key) })),
    };
  }

  /** Every org write moves the org counter in its transaction. */
  async orgVersion(): Promise<number> {
    const [row] = await this.sql.select(`SELECT value FROM wf_counters WHERE name = 'org'`);
    return num(row?.value ?? 0);
  }

  /** The changes, their audit rows (chained) and the org counter, in one transaction. */
  async applyOrg(writes: OrgWrite[]): Promise<void> {
    const audit = writes.flatMap((w) => (w.type === 'audit' ? [w.entry] : []));
    if (!audit.length) throw new Error('an org write must carry its audit record');
    await runGuarded(this.sql, [...writes.flatMap(statementsOf), { sql: `UPDATE wf_counters SET value = value + 1 WHERE name = 'org'`, bind: [] }, ...auditStatements(audit)]);
  }

  async insertSession(s: SessionRecord): Promise<void> {
    const row = insert('wf_sessions', [{ id_hash: s.idHash, user_id: s.userId, kind: s.kind, name: s.name, csrf: s.csrf, created_at: s.createdAt, last_seen_at: s.lastSeenAt, expires_at: s.expiresAt }]);
    await this.#write(row.sql, row.bind);
  }

  async getSession(idHash: string): Promise<SessionRecord | null> {
    const [row] = await this.sql.select('SELECT * FROM wf_sessions WHERE id_hash = $1', [idHash]);
    return row ? toSession(row) : null;
  }

  async touchSession(idHash: string, lastSeenAt: number, expiresAt: number): Promise<void> {
    await this.#write('UPDATE wf_sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1', [idHash, lastSeenAt, expiresAt]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.#write('DELETE FROM wf_sessions WHERE id_hash = $1', [idHash]);
  }

  async listSessions(userId: string, kind: SessionKind): Promise<SessionRecord[]> {
    return (await this.sql.select('SELECT * FROM wf_sessions WHERE user_id = $1 AND kind = $2 ORDER BY created_at', [userId, kind])).map(toSession);
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.#write('DELETE FROM wf_sessions WHERE user_id = $1', [userId]);
  }

  async lastSeenAt(userId: string, now: number): Promise<number | null> {
    const [row] = await this.sql.select("SELECT MAX(last_seen_at) AS at FROM wf_sessions WHERE user_id = $1 AND kind = 'cookie' AND expires_at > $2", [userId, now]);
    return row?.at === null || row?.at === undefined ? null : num(row.at);
  }

  async getLoginWindow(key: string): Promise<LoginWindow | null> {
    const [row] = await this.sql.select('SELECT * FROM wf_login_windows WHERE key = $1', [key]);
    return row ? toWindow(row) : null;
  }

  /** One statement, so concurrent failures all count: a new window once the old one passed, the lock set on reaching `max`. */
  async addLoginFailure(key: string, now: number, windowMs: number, max: number, lockMs: number): Promise<LoginWindow> {
    const fresh = `wf_login_windows.window_start <= $2 - $3`;
    const [rows] = await this.sql.batch(
      [
        {
          sql: `INSERT INTO wf_login_windows (key, failures, window_start, locked_until) VALUES ($1, 1, $2, CASE WHEN 1 >= $4 THEN $2 + $5 ELSE NULL END)
                ON CONFLICT (key) DO UPDATE SET
                  failures = CASE WHEN ${fresh} THEN 1 ELSE wf_login_windows.failures + 1 END,
                  window_start = CASE WHEN ${fresh} THEN $2 ELSE wf_login_windows.window_start END,
                  locked_until = CASE WHEN (CASE WHEN ${fresh} THEN 1 ELSE wf_login_windows.failures + 1 END) >= $4 THEN $2 + $5 ELSE wf_login_windows.locked_until END
                RETURNING *`,
          bind: [key, now, windowMs, max, lockMs],
          returnsRows: true,
        },
      ],
      () => undefined,
    );
    return toWindow(rows![0]!);
  }

  async clearLoginWindow(key: string): Promise<void> {
    await this.#write('DELETE FROM wf_login_windows WHERE key = $1', [key]);
  }
}
