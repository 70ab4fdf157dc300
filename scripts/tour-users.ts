/**
 * Writes docs/users.xlsx, the sheet the tour's administrator imports (docs/tour.sh, step 8):
 * `node --import tsx scripts/tour-users.ts`. The columns are those of POST /api/org/import
 * (engine/core/org/import-table.ts; Chinese or English headings): 用户编号 (id, required),
 * 姓名 (name, required), 手机, 邮箱, 岗位 (部门编号:岗位, several joined by ;, the first is the
 * primary), 角色 (role keys joined by ;), 初始密码, 状态 (启用/停用). test/http/tour.test.ts
 * checks that the shipped file still holds these rows.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import writeXlsxFile from 'write-excel-file/node';

export const TOUR_USERS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/users.xlsx');

export const TOUR_USERS: string[][] = [
  ['用户编号', '姓名', '手机', '邮箱', '岗位', '角色', '初始密码', '状态'],
  ['liuyang', '刘洋', '13900000101', 'liuyang@example.gov.cn', 'office:staff', 'clerk', 'Start2026', '启用'],
  ['chenjing', '陈静', '13900000102', 'chenjing@example.gov.cn', 'finance:finance', 'clerk', 'Start2026', '启用'],
  ['zhaolei', '赵磊', '13900000103', '', 'traffic-window:traffic-clerk;traffic-window:clerk', 'clerk', 'Start2026', '启用'],
];

export async function writeTourUsers(file = TOUR_USERS_FILE): Promise<void> {
  await writeXlsxFile(TOUR_USERS.map((row) => row.map((value) => ({ value, type: String }))), { sheet: '人员' }).toFile(file);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await writeTourUsers();
