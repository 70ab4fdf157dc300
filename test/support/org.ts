/** The demo organisation (definitions/org/demo-org.json) for feature tests: roles, departments, users and heads; no passwords (hashing is slow, and these tests do not sign in). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSTEM_ACTOR } from '../../engine/core/org/actor.ts';
import type { DepartmentInput, OrgAdmin, RoleInput, UserInput } from '../../engine/core/org/admin.ts';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions/org/demo-org.json');

export async function seedDemoOrg(org: OrgAdmin, extra: UserInput[] = []): Promise<void> {
  const demo = JSON.parse(fs.readFileSync(DEMO, 'utf8')) as { roles: Array<RoleInput & { key: string }>; departments: DepartmentInput[]; users: UserInput[] };
  await org.ensureBuiltinRoles();
  for (const { key, ...role } of demo.roles) await org.putRole(key, role, SYSTEM_ACTOR);
  for (const d of demo.departments) await org.putDepartment({ ...d, headUserId: null }, SYSTEM_ACTOR);
  for (const u of [...demo.users, ...extra]) await org.putUser(u, SYSTEM_ACTOR);
  for (const d of demo.departments) await org.putDepartment(d, SYSTEM_ACTOR);
}
