/**
 * The demo organisation (definitions/org/demo-org.json): its roles, then its
 * departments and users in one transaction. Under three-admin separation the
 * administrator is three people. Without passwords (tests that do not sign
 * in) the loading skips the slow hashing.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSTEM_ACTOR } from './core/org/actor.ts';
import type { DepartmentInput, OrgAdmin, RoleInput, UserInput } from './core/org/admin.ts';

const DEMO_ORG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../definitions/org/demo-org.json');

interface DemoOrg {
  password: string;
  roles: Array<RoleInput & { key: string }>;
  departments: DepartmentInput[];
  users: UserInput[];
}

export async function loadDemoOrg(admin: OrgAdmin, options: { passwords: boolean; threeAdmins: boolean; extraUsers?: UserInput[] }): Promise<{ users: number; password: string }> {
  const demo = JSON.parse(await fs.readFile(DEMO_ORG, 'utf8')) as DemoOrg;
  for (const { key, ...role } of demo.roles) await admin.putRole(key, role, SYSTEM_ACTOR);
  const users = options.threeAdmins
    ? [
        ...demo.users.map((u) => (u.roles?.includes('admin') ? { ...u, roles: ['sysadmin'] } : u)),
        { id: 'secadmin', name: '安全保密管理员', posts: [{ departmentId: 'it', post: 'secadmin' }], roles: ['secadmin'] },
        { id: 'auditor', name: '安全审计员', posts: [{ departmentId: 'it', post: 'auditor' }], roles: ['auditor'] },
      ]
    : demo.users;
  const withPasswords = users.map((u) => ({ ...u, ...(options.passwords && u.kind !== 'citizen' && { password: demo.password }) }));
  await admin.putAll({ departments: demo.departments, users: [...withPasswords, ...(options.extraUsers ?? [])] }, SYSTEM_ACTOR);
  return { users: users.length, password: demo.password };
}
