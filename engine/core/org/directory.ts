/**
 * The organisation in memory: one snapshot of departments, users, posts and
 * roles with the lookups that sign-in, assignee rules and data scopes need.
 * An organisation is thousands of rows, not millions; reading it whole is
 * cheaper than a query per rule. The directory reloads when this process
 * wrote, and otherwise notices other processes' writes within `maxAgeMs`.
 */
import type { DepartmentRecord, OrgData, OrgStore, RoleRecord, UserPost, UserRecord } from './model.ts';

export class Org {
  readonly #departments = new Map<string, DepartmentRecord>();
  readonly #children = new Map<string | null, DepartmentRecord[]>();
  readonly #users = new Map<string, UserRecord>();
  readonly #byUsername = new Map<string, UserRecord>();
  readonly #byMobile = new Map<string, UserRecord>();
  readonly #posts = new Map<string, UserPost[]>();
  readonly #byPost = new Map<string, UserPost[]>();
  readonly #byDepartment = new Map<string, UserPost[]>();
  readonly #roles = new Map<string, RoleRecord>();
  readonly #userRoles = new Map<string, string[]>();
  readonly #roleUsers = new Map<string, string[]>();

  constructor(readonly data: OrgData) {
    for (const d of data.departments) {
      this.#departments.set(d.id, d);
      push(this.#children, d.parentId, d);
    }
    for (const list of this.#children.values()) list.sort((a, b) => a.sort - b.sort || a.name.localeCompare(b.name, 'zh-CN'));
    for (const u of data.users) {
      this.#users.set(u.id, u);
      this.#byUsername.set(u.username.toLowerCase(), u);
      if (u.mobile) this.#byMobile.set(u.mobile, u);
    }
    for (const p of data.posts) {
      push(this.#posts, p.userId, p);
      push(this.#byPost, p.post, p);
      push(this.#byDepartment, p.departmentId, p);
    }
    for (const r of data.roles) this.#roles.set(r.key, r);
    for (const ur of data.userRoles) {
      push(this.#userRoles, ur.userId, ur.role);
      push(this.#roleUsers, ur.role, ur.userId);
    }
  }

  user(id: string): UserRecord | undefined {
    return this.#users.get(id);
  }

  userByUsername(username: string): UserRecord | undefined {
    return this.#byUsername.get(username.toLowerCase());
  }

  userByMobile(mobile: string): UserRecord | undefined {
    return this.#byMobile.get(mobile);
  }

  department(id: string): DepartmentRecord | undefined {
    return this.#departments.get(id);
  }

  role(key: string): RoleRecord | undefined {
    return this.#roles.get(key);
  }

  children(parentId: string | null): DepartmentRecord[] {
    return this.#children.get(parentId) ?? [];
  }

  postsOf(userId: string): UserPost[] {
    return this.#posts.get(userId) ?? [];
  }

  rolesOf(userId: string): string[] {
    return this.#userRoles.get(userId) ?? [];
  }

  /** The department a user's cases belong to: the primary post's, else the first. */
  primaryDepartment(userId: string): string | null {
    const posts = this.postsOf(userId);
    return (posts.find((p) => p.primary) ?? posts[0])?.departmentId ?? null;
  }

  /** The department and every department under it, the department first. */
  subtree(id: string): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
      out.push(d);
      for (const child of this.children(d)) walk(child.id);
    };
    if (this.#departments.has(id)) walk(id);
    return out;
  }

  /** The department's ancestors, nearest first. */
  ancestors(id: string): string[] {
    const out: string[] = [];
    for (let d = this.#departments.get(id)?.parentId ?? null; d && !out.includes(d); d = this.#departments.get(d)?.parentId ?? null) out.push(d);
    return out;
  }

  /** Active users only: a disabled user is never assigned. */
  active(ids: Iterable<string>): string[] {
    return [...new Set(ids)].filter((id) => this.#users.get(id)?.status === 'active');
  }

  usersWithRole(role: string): string[] {
    return this.active(this.#roleUsers.get(role) ?? []);
  }

  /** Holders of a post, in the given departments when named. */
  usersWithPost(post: string, departments?: readonly string[]): string[] {
    const within = departments ? new Set(departments) : null;
    return this.active((this.#byPost.get(post) ?? []).filter((p) => !within || within.has(p.departmentId)).map((p) => p.userId));
  }

  usersInDepartments(departments: readonly string[]): string[] {
    return this.active(departments.flatMap((d) => this.#byDepartment.get(d) ?? []).map((p) => p.userId));
  }

  /**
   * The user's leader `levels` up (1 = the head of their own department; when
   * they head it themselves, the head of the department above). A department
   * without a head is skipped, as DingTalk does.
   */
  leaderOf(userId: string, levels = 1): string | null {
    const home = this.primaryDepartment(userId);
    if (!home) return null;
    const chain = [home, ...this.ancestors(home)]
      .map((d) => this.#departments.get(d)?.headUserId ?? null)
      .filter((head): head is string => head !== null && head !== userId);
    const leader = [...new Set(chain)][levels - 1];
    return leader && this.active([leader]).length ? leader : null;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class OrgDirectory {
  #current: { org: Org; version: number; checkedAt: number } | null = null;
  #loading: Promise<Org> | null = null;

  constructor(
    private readonly store: OrgStore,
    private readonly now: () => number,
    private readonly maxAgeMs = 2_000,
  ) {}

  /** The current snapshot; reloaded when stale and the store says it changed. */
  async org(): Promise<Org> {
    const current = this.#current;
    if (current && this.now() - current.checkedAt < this.maxAgeMs) return current.org;
    this.#loading ??= this.#refresh(current).finally(() => (this.#loading = null));
    return this.#loading;
  }

  /** After a write of this process: the next read reloads. */
  invalidate(): void {
    this.#current = null;
  }

  async #refresh(current: { org: Org; version: number } | null): Promise<Org> {
    const version = await this.store.orgVersion();
    if (current && current.version === version) {
      this.#current = { ...current, checkedAt: this.now() };
      return current.org;
    }
    const org = new Org(await this.store.loadOrg());
    this.#current = { org, version, checkedAt: this.now() };
    return org;
  }
}
