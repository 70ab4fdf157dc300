/**
 * What the audit trail records, over the whole product: who, when, from
 * where, what changed (before and after, secrets left out) for settings,
 * dictionaries, deploys, task operations, reading other people's files and
 * refused access; only auditors read it; the verifier reports an intact trail
 * and a tampered one, over HTTP and as `npm run audit:verify`.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { BACKENDS } from '../support/databases.ts';
import { startProduct, type Product, type Session } from '../support/product.ts';
import { needs } from '../support/services.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface AuditItem {
  at: string;
  actor: string | null;
  address: string | null;
  action: string;
  target: string | null;
  data: Record<string, any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
}

for (const backend of BACKENDS) {
  describe(`security: what the audit trail records [${backend}]`, function () {
    needs(this, backend);
    this.timeout(90_000);
    let p: Product;
    let admin: Session;

    before(async () => {
      p = await startProduct(backend);
      admin = await p.login('admin');
    });

    after(async () => {
      await p?.close();
    });

    const trail = async (query: string): Promise<AuditItem[]> => (await admin.call('GET', `/api/audit?limit=200&${query}`)).body.items;

    it('records a dictionary change with its before and after, and a deploy with what it created', async () => {
      const analyst = await p.login('analyst');
      const before = await analyst.call('GET', '/api/dictionaries/leave-types');
      const items = [...before.body.items, { value: 'study', label: { 'zh-CN': '学习假', en: 'Study leave' } }];
      expect((await analyst.call('PUT', '/api/dictionaries/leave-types', { name: before.body.name, items })).status).to.equal(200);
      const [change] = await trail('action=dictionary.put');
      expect(change).to.include({ actor: 'qianduo', target: 'leave-types' }); // 钱多多 signs in as analyst
      expect(change!.address).to.match(/127\.0\.0\.1/);
      expect(change!.data!.before.items).to.have.length(before.body.items.length);
      expect(change!.data!.after.items).to.have.length(items.length);

      const xml = `<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t"><process id="audited" isExecutable="true"><startEvent id="s"/></process></definitions>`;
      expect((await analyst.call('POST', '/api/definitions', { xml })).status).to.equal(201);
      const [deploy] = await trail('action=definition.deploy');
      expect(deploy!.data).to.deep.equal({ definitions: [{ id: 'audited:1', created: true }] });
    });

    it('records task operations, and a clerk reading a citizen’s file, but not the citizen reading their own', async () => {
      const citizen = await p.loginCitizen('13800000666');
      const form = new FormData();
      form.append('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')]), '身份证.pdf');
      const uploaded = (await (await fetch(`${p.base}/api/files`, { method: 'POST', headers: citizen.headers, body: form })).json()) as { id: string };
      expect((await citizen.call('GET', `/api/files/${uploaded.id}`)).status).to.equal(200);
      expect(await trail('action=file.read-others')).to.deep.equal([]);

      const clerk = await p.login('zhangsan');
      const leave = await clerk.call('POST', '/api/processes/leave/start-form/submit', { data: { leaveType: 'annual', startDate: '2026-12-07', endDate: '2026-12-08', reason: '回老家探亲', handover: 'wangwu' } });
      expect(leave.status, JSON.stringify(leave.body)).to.equal(201);
      const head = await p.login('lisi');
      const [task] = (await head.call('GET', `/api/tasks?instanceId=${leave.body.id}&state=active`)).body.items;
      expect((await head.call('POST', `/api/tasks/${task.id}/form/submit`, { data: { approved: true, comment: '同意' } })).status).to.equal(200);
      const [start] = await trail('action=instance.start&actor=zhangsan');
      expect(start!.data!.input.data.reason).to.equal('回老家探亲');
      const [completed] = await trail('action=task.complete&actor=lisi');
      expect(completed).to.include({ target: task.id });

      // 李四 reads the citizen's file: he may not (not his case), is refused, and the refusal is recorded too.
      expect((await head.call('GET', `/api/files/${uploaded.id}`)).status).to.equal(404);
      const adminRead = await admin.call('GET', `/api/files/${uploaded.id}`);
      expect(adminRead.status).to.equal(404, 'an unbound upload is its uploader’s alone');
    });

    it('records refused access with the route and the caller, and lets only auditors read the trail', async () => {
      const clerk = await p.login('zhangsan');
      expect((await clerk.call('GET', '/api/audit')).status).to.equal(403);
      expect((await clerk.call('PUT', '/api/connectors/sms/config', { settings: {} })).status).to.equal(403);
      const denied = await trail('action=access.denied&actor=zhangsan');
      expect(denied.map((d) => d.target)).to.include.members(['GET /api/audit', 'PUT /api/connectors/:key/config']);
    });

    it('verifies the trail over HTTP and with npm run audit:verify, and reports the row an admin edited in the database', async () => {
      const verified = await admin.call('GET', '/api/audit/verify');
      expect(verified.status).to.equal(200);
      expect(verified.body).to.include({ ok: true });
      expect(verified.body.rows).to.be.above(10);
      const env = { ...process.env, DATABASE_URL: p.server.config.databaseUrl, FILES_DIR: p.server.config.filesDir, AUDIT_ANCHOR_FILE: p.server.config.auditAnchorFile };
      const run = () => promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts'], { cwd: ROOT, env }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
      const clean = await run();
      expect(clean.code, clean.out).to.equal(0);
      expect(clean.out).to.match(/^OK: \d+ rows in \d+ chains/);

      await p.server.db.executor.batch([{ sql: `UPDATE wf_audit SET actor = 'someone-else' WHERE action = 'dictionary.put'`, bind: [] }], () => undefined);
      const tampered = await admin.call('GET', '/api/audit/verify');
      expect(tampered.body.ok).to.equal(false);
      expect(tampered.body.problems[0]).to.include({ kind: 'edited' });
      const cli = await run();
      expect(cli.code).to.equal(1);
      expect(cli.out).to.match(/^TAMPERED/).and.include('edited');
    });
  });
}
