/** The organisation's records and the port that keeps them. Times are epoch milliseconds. */
import type { AuditEntry } from '../audit.ts';
import type { LocalizedText } from '../errors.ts';
import type { DataScope, Permission } from '../permissions.ts';

export interface DepartmentRecord {
  id: string;
  parentId: string | null;
  name: string;
  /** 负责人: the first approver of "the initiator's department head". */
  headUserId: string | null;
  sort: number;
  createdAt: number;
  updatedAt: number;
}

export type UserKind = 'staff' | 'citizen';

export interface UserRecord {
  id: string;
  username: string;
  name: string;
  kind: UserKind;
  mobile: string | null;
  email: string | null;
  /** scrypt, see passwords.ts; null: cannot sign in with a password (citizens, accounts not yet set up). */
  passwordHash: string | null;
  status: 'active' | 'disabled';
  sort: number;
  createdAt: number;
  updatedAt: number;
}

/** A post (岗位) a user holds in a department; one person may hold several, in several departments. */
export interface UserPost {
  userId: string;
  departmentId: string;
  post: string;
  /** The department the user's cases belong to. */
  primary: boolean;
}

export interface RoleRecord {
  key: string;
  name: LocalizedText;
  permissions: Permission[];
  dataScope: DataScope;
  builtin: boolean;
  updatedAt: number;
}

export interface OrgData {
  departments: DepartmentRecord[];
  users: UserRecord[];
  posts: UserPost[];
  roles: RoleRecord[];
  userRoles: Array<{ userId: string; role: string }>;
}

export type SessionKind = 'cookie' | 'token';

/** A signed-in session (cookie) or an API token; only the hash of its secret is kept. */
export interface SessionRecord {
  idHash: string;
  userId: string;
  kind: SessionKind;
  /** A token's label ("nightly export"). */
  name: string | null;
  /** Cookie sessions: what unsafe requests must echo in X-CSRF-Token. */
  csrf: string | null;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

/** Failed sign-ins counted per key (`user:<id>`, `ip:<address>`, `mobile:<n>`) in a window. */
export interface LoginWindow {
  key: string;
  failures: number;
  windowStart: number;
  lockedUntil: number | null;
}

/** One change of the organisation, applied with others in one transaction. */
export type OrgWrite =
  | { type: 'department.put'; record: DepartmentRecord }
  | { type: 'department.delete'; id: string }
  | { type: 'user.put'; record: UserRecord }
  /** Replace all posts of a user. */
  | { type: 'user.posts'; userId: string; posts: UserPost[] }
  /** Replace all roles of a user. */
  | { type: 'user.roles'; userId: string; roles: string[] }
  | { type: 'role.put'; record: RoleRecord }
  | { type: 'audit'; entry: AuditEntry };

export interface OrgStore {
  loadOrg(): Promise<OrgData>;
  /** A number that changes with every org write, to notice writes of other processes cheaply. */
  orgVersion(): Promise<number>;
  applyOrg(writes: OrgWrite[]): Promise<void>;

  insertSession(record: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | null>;
  touchSession(idHash: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  listSessions(userId: string, kind: SessionKind): Promise<SessionRecord[]>;
  deleteUserSessions(userId: string): Promise<void>;
  /** The latest use of a browser session of the user that has not expired by `now`. */
  lastSeenAt(userId: string, now: number): Promise<number | null>;

  getLoginWindow(key: string): Promise<LoginWindow | null>;
  /** Count one failure in `key`'s window (a new window once `windowMs` passed); lock it until `now + lockMs` at `max`. */
  addLoginFailure(key: string, now: number, windowMs: number, max: number, lockMs: number): Promise<LoginWindow>;
  clearLoginWindow(key: string): Promise<void>;
}

/** What an administrator (or an import row) gives for a department, a user, a role. */
export interface DepartmentInput {
  id: string;
  parentId: string | null;
  name: string;
  headUserId?: string | null;
  sort?: number;
}

export interface UserInput {
  id: string;
  username?: string;
  name: string;
  kind?: UserKind;
  mobile?: string | null;
  email?: string | null;
  password?: string;
  status?: 'active' | 'disabled';
  sort?: number;
  posts?: Array<{ departmentId: string; post: string; primary?: boolean }>;
  roles?: string[];
}

export interface RoleInput {
  name: LocalizedText;
  permissions: Permission[];
  dataScope: DataScope;
}
