/** The demo organisation for feature tests: built-in roles, then the demo's roles, departments and users — without passwords (hashing is slow, and these tests do not sign in). */
import type { OrgAdmin, UserInput } from '../../engine/core/org/admin.ts';
import { loadDemoOrg } from '../../engine/demo-org.ts';

export async function seedDemoOrg(org: OrgAdmin, extraUsers: UserInput[] = []): Promise<void> {
  await org.ensureBuiltinRoles();
  await loadDemoOrg(org, { passwords: false, threeAdmins: false, extraUsers });
}
