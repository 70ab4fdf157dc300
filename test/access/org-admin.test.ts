/**
 * Keeping the organisation over HTTP: import from CSV (UTF-8 or GB18030, as
 * Chinese Excel saves it) and XLSX with a per-row error report and all or
 * nothing; hierarchical administration (an admin of part of the tree manages
 * only that part, grants nothing beyond their own rights); three-admin
 * separation; and the audit trail the security auditor reads.
 */
import { expect } from 'chai';
import writeXlsxFile from 'write-excel-file/node';
import { BACKENDS } from '../support/databases.ts';
import { startProduct, type Product, type Session } from '../support/product.ts';
import { needs } from '../support/services.ts';

/** POST a sheet to /api/org/import as multipart. */
async function importSheet(p: Product, session: Session, kind: 'departments' | 'users', name: string, bytes: Buffer) {
  const form = new FormData();
  form.set('kind', kind);
  form.set('file', new Blob([bytes]), name);
  const response = await fetch(`${p.base}/api/org/import`, { method: 'POST', headers: session.headers, body: form });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are checked field by field
  return { status: response.status, body: (await response.json()) as any };
}

for (const backend of BACKENDS) {
  describe(`organisation administration [${backend}]`, function () {
    needs(this, backend);
    this.timeout(60_000);
    let p: Product;
    let admin: Session;

    before(async () => {
      p = await startProduct(backend);
      admin = await p.login('admin');
    });

    after(async () => {
      await p?.close();
    });

    it('imports departments and users from CSV (GB18030 too) and XLSX; a bad row anywhere reports every bad row and imports nothing', async () => {
      const departments = Buffer.from('部门编号,部门名称,上级部门,负责人\nroads,道路科,traffic,\nbridges,桥梁科,roads,\n', 'utf8');
      expect((await importSheet(p, admin, 'departments', '部门.csv', departments)).body).to.deep.equal({ departments: 2, users: 0 });

      const bad = Buffer.from(
        '工号,姓名,手机,岗位,角色\nliuyang,刘洋,13912345678,roads:staff,clerk\n,无名,,roads:staff,\nchenxi,陈曦,123,nowhere:staff,clerk\nguoqi,郭琪,,roads:staff,pilot\n',
        'utf8',
      );
      const refused = await importSheet(p, admin, 'users', '人员.csv', bad);
      expect(refused.status).to.equal(422);
      expect(refused.body.error.code).to.equal('WF_ERR_IMPORT_INVALID');
      const rows = refused.body.error.details.rows as Array<{ row: number; field: string }>;
      expect(rows.map((r) => `${r.row}:${r.field}`)).to.deep.equal(['3:id', '4:mobile', '5:roles']);
      expect(refused.body.error.message).to.include('第 3 行 id：必填');
      expect((await admin.call('GET', '/api/org/users/liuyang')).status, 'nothing was imported').to.equal(404);

      const good = new TextEncoder().encode('工号,姓名,手机,岗位,角色\nliuyang,刘洋,13912345678,roads:staff,clerk\n');
      expect((await importSheet(p, admin, 'users', '人员.csv', Buffer.from(good))).body).to.deep.equal({ departments: 0, users: 1 });
      const user = (await admin.call('GET', '/api/org/users/liuyang')).body;
      expect(user).to.deep.include({ name: '刘洋', mobile: '13912345678', roles: ['clerk'] });
      expect(user.posts).to.deep.equal([{ departmentId: 'roads', departmentName: '道路科', post: 'staff', primary: true }]);

      const xlsx = await writeXlsxFile([
        [{ value: '工号' }, { value: '姓名' }, { value: '岗位' }, { value: '角色' }],
        [{ value: 'sunli' }, { value: '孙丽' }, { value: 'bridges:dept-head;roads:staff' }, { value: 'clerk' }],
      ]).toBuffer();
      expect((await importSheet(p, admin, 'users', '人员.xlsx', xlsx)).body).to.deep.equal({ departments: 0, users: 1 });
      expect((await admin.call('GET', '/api/org/users/sunli')).body.posts.map((post: { post: string }) => post.post)).to.deep.equal(['dept-head', 'staff']);
    });

    it('reads a CSV saved as GB18030', async () => {
      // 部门编号,部门名称,上级部门 / tunnels,隧道科,traffic — encoded as GB18030 by hand (the encoder is not in Node).
      const header = Buffer.from([0xb2, 0xbf, 0xc3, 0xc5, 0xb1, 0xe0, 0xba, 0xc5, 0x2c, 0xb2, 0xbf, 0xc3, 0xc5, 0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0xc9, 0xcf, 0xbc, 0xb6, 0xb2, 0xbf, 0xc3, 0xc5, 0x0a]);
      const row = Buffer.concat([Buffer.from('tunnels,'), Buffer.from([0xcb, 0xed, 0xb5, 0xc0, 0xbf, 0xc6]), Buffer.from(',traffic\n')]);
      expect((await importSheet(p, admin, 'departments', '部门.csv', Buffer.concat([header, row]))).body).to.deep.equal({ departments: 1, users: 0 });
      const all = (await admin.call('GET', '/api/org/departments')).body.items as Array<{ id: string; name: string }>;
      expect(all.find((d) => d.id === 'tunnels')!.name).to.equal('隧道科');
    });

    it('lets an admin of part of the tree manage only that part, and grant nothing beyond their own rights', async () => {
      const clerk = ['instance:start', 'instance:read', 'file:upload', 'task:read', 'task:handle', 'definition:read', 'form:read'];
      const role = { name: { 'zh-CN': '交警支队管理员', en: 'Traffic admin' }, permissions: [...clerk, 'org:read', 'org:manage', 'role:manage'], dataScope: 'department-and-children' };
      expect((await admin.call('PUT', '/api/org/roles/traffic-admin', role)).status).to.equal(200);
      expect(
        (await admin.call('PUT', '/api/org/users/jiangtao', { name: '江涛', password: 'Traffic2026', posts: [{ departmentId: 'traffic', post: 'admin' }], roles: ['traffic-admin'] })).status,
      ).to.equal(200);
      const local = await p.login('jiangtao', 'Traffic2026');
      expect((await local.call('PUT', '/api/org/users/xiaowu', { name: '小吴', posts: [{ departmentId: 'traffic-window', post: 'clerk' }], roles: ['clerk'] })).status, 'under traffic').to.equal(200);
      const outside = await local.call('PUT', '/api/org/users/xiaoli', { name: '小李', posts: [{ departmentId: 'finance', post: 'clerk' }] });
      expect(outside.body.error.code).to.equal('WF_ERR_OUT_OF_SCOPE');
      expect((await local.call('PUT', '/api/org/users/qianqi', { name: '钱七' })).body.error.code, 'a user of another department').to.equal('WF_ERR_OUT_OF_SCOPE');
      expect((await local.call('PUT', '/api/org/departments/traffic-new', { name: '新科室', parentId: 'traffic' })).status).to.equal(200);
      expect((await local.call('PUT', '/api/org/departments/traffic-new', { name: '新科室', parentId: 'finance' })).body.error.code, 'nor moved out of it').to.equal('WF_ERR_OUT_OF_SCOPE');
      expect((await local.call('PUT', '/api/org/departments/finance-new', { name: '新科室', parentId: 'finance' })).body.error.code).to.equal('WF_ERR_OUT_OF_SCOPE');
      const tooMuch = await local.call('PUT', '/api/org/users/xiaowu/roles', { roles: ['supervisor'] });
      expect(tooMuch.status).to.equal(403);
      expect(tooMuch.body.error.code).to.equal('WF_ERR_GRANT_EXCEEDS_OWN');
      expect((await local.call('PUT', '/api/org/roles/bigger', { ...role, permissions: ['audit:read'] })).body.error.code).to.equal('WF_ERR_GRANT_EXCEEDS_OWN');
    });

    it('records every administrative change in the audit trail, which only auditors and admins read', async () => {
      const audit = await admin.call('GET', '/api/audit?limit=200');
      const actions = (audit.body.items as Array<{ action: string; actor: string; target: string }>).map((a) => `${a.action}:${a.target}`);
      expect(actions).to.include.members(['org.import:null', 'user.create:jiangtao', 'role.create:traffic-admin', 'user.create:xiaowu']);
      const created = (audit.body.items as Array<{ action: string; target: string; data: Record<string, unknown> }>).find((a) => a.action === 'user.create' && a.target === 'jiangtao')!;
      expect(created.data, 'no password in the trail').to.not.have.property('password');
      expect((await (await p.login('zhangsan')).call('GET', '/api/audit')).status).to.equal(403);
    });
  });

  describe(`three-admin separation [${backend}]`, function () {
    needs(this, backend);
    this.timeout(60_000);
    let p: Product;

    before(async () => {
      p = await startProduct(backend, { THREE_ADMINS: 'true' });
    });

    after(async () => {
      await p?.close();
    });

    it('splits the administrator in three, and refuses to give one person two of the three roles or the all-powerful one', async () => {
      const system = await p.login('admin');
      expect((await system.call('GET', '/api/auth/me')).body.roles).to.deep.equal(['sysadmin']);
      expect((await system.call('PUT', '/api/org/users/sanyuan', { name: '三员' })).status, 'the system admin keeps users').to.equal(200);
      expect((await system.call('PUT', '/api/org/users/sanyuan/roles', { roles: ['clerk'] })).status, 'but grants no roles').to.equal(403);
      expect((await system.call('GET', '/api/audit')).status, 'nor reads the audit trail').to.equal(403);
      const admin = await p.login('secadmin');
      expect((await admin.call('PUT', '/api/org/users/sanyuan/roles', { roles: ['sysadmin'] })).status, 'the security admin grants').to.equal(200);
      const both = await admin.call('PUT', '/api/org/users/sanyuan/roles', { roles: ['sysadmin', 'auditor'] });
      expect(both.status).to.equal(409);
      expect(both.body.error).to.include({ code: 'WF_ERR_SEPARATION_OF_DUTIES' });
      expect((await admin.call('PUT', '/api/org/users/sanyuan/roles', { roles: ['admin'] })).body.error.code).to.equal('WF_ERR_SEPARATION_OF_DUTIES');
      expect((await (await p.login('auditor')).call('GET', '/api/audit')).status, 'the auditor reads the trail').to.equal(200);
    });
  });
}
