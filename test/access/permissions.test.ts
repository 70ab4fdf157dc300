/**
 * Authorisation: a matrix of roles × routes with the expected allow/deny of
 * each cell, every route refusing anonymous callers, and data scope on cases
 * and tasks — own, department and children, all.
 */
import { expect } from 'chai';
import { BACKENDS } from '../support/databases.ts';
import { startProduct, type Answer, type Product, type Session } from '../support/product.ts';
import { needs } from '../support/services.ts';

type Role = 'admin' | 'analyst' | 'clerk' | 'supervisor' | 'citizen' | 'auditor';
const ROLES: Role[] = ['admin', 'analyst', 'clerk', 'supervisor', 'citizen', 'auditor'];

const LEAVE = { leaveType: 'annual', startDate: '2026-12-07', endDate: '2026-12-08', reason: '回老家探亲', handover: 'wangwu' };
const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <process id="matrix-probe" isExecutable="true"><startEvent id="s" /><sequenceFlow id="f" sourceRef="s" targetRef="e" /><endEvent id="e" /></process>
</definitions>`;

/** Route → the roles allowed to call it (everyone else: 403). */
const MATRIX: Array<[string, string, () => unknown, Role[]]> = [
  ['POST', '/api/definitions', () => ({ xml: BPMN }), ['admin', 'analyst']],
  ['GET', '/api/definitions', () => undefined, ['admin', 'analyst', 'clerk', 'supervisor']],
  ['POST', '/api/forms', () => ({ key: 'probe', title: { 'zh-CN': '探测', en: 'Probe' }, schema: { type: 'object', properties: {} } }), ['admin', 'analyst']],
  ['GET', '/api/forms', () => undefined, ['admin', 'analyst', 'clerk', 'supervisor', 'citizen']],
  ['PUT', '/api/dictionaries/probe', () => ({ name: { 'zh-CN': '探测', en: 'Probe' }, items: [] }), ['admin', 'analyst']],
  ['GET', '/api/dictionaries', () => undefined, ROLES],
  ['GET', '/api/catalog', () => undefined, ['admin', 'analyst']],
  ['POST', '/api/catalog/changes', () => ({ put: {} }), ['admin', 'analyst']],
  ['GET', '/api/catalog/services/04009/compiled', () => undefined, ['admin', 'analyst']],
  // Leave is for staff (it declares no starters); the road-pass service is for citizens and staff.
  ['GET', '/api/processes/leave/start-form', () => undefined, ['admin', 'clerk', 'supervisor']],
  ['POST', '/api/processes/leave/start-form/validate', () => ({ data: LEAVE }), ['admin', 'clerk', 'supervisor']],
  ['GET', '/api/processes/road-pass/start-form', () => undefined, ['admin', 'clerk', 'supervisor', 'citizen']],
  ['GET', '/api/instances', () => undefined, ['admin', 'analyst', 'clerk', 'supervisor', 'citizen']],
  ['POST', '/api/instances/migrate', () => ({ processKey: 'leave', toVersion: 1, dryRun: true, fromVersion: 1 }), ['admin']],
  ['GET', '/api/tasks', () => undefined, ['admin', 'analyst', 'clerk', 'supervisor', 'citizen']],
  ['POST', '/api/messages', () => ({ name: 'nothing-waits', bufferSeconds: 1 }), ['admin']],
  ['GET', '/api/incidents', () => undefined, ['admin']],
  ['GET', '/api/jobs', () => undefined, ['admin']],
  ['GET', '/api/connectors', () => undefined, ['admin']],
  ['GET', '/api/org/departments', () => undefined, ['admin', 'analyst', 'clerk', 'supervisor', 'auditor']],
  ['GET', '/api/org/users', () => undefined, ['admin', 'analyst', 'clerk', 'supervisor', 'auditor']],
  ['PUT', '/api/org/departments/probe', () => ({ name: '探测部门', parentId: 'hq' }), ['admin']],
  ['PUT', '/api/org/roles/probe', () => ({ name: { 'zh-CN': '探测', en: 'Probe' }, permissions: ['task:read'], dataScope: 'own' }), ['admin']],
  ['GET', '/api/audit', () => undefined, ['admin', 'auditor']],
  ['GET', '/api/auth/me', () => undefined, ROLES],
];

const denied = (a: Answer) => a.status === 401 || a.body?.error?.code === 'WF_ERR_FORBIDDEN' || a.body?.error?.code === 'WF_ERR_START_FORBIDDEN';

for (const backend of BACKENDS) {
  describe(`permissions [${backend}]`, function () {
    needs(this, backend);
    this.timeout(120_000);
    let p: Product;
    const as = {} as Record<Role, Session>;

    before(async () => {
      p = await startProduct(backend);
      as.admin = await p.login('admin');
      as.analyst = await p.login('analyst');
      as.clerk = await p.login('zhangsan');
      as.supervisor = await p.login('wujiu');
      as.citizen = await p.loginCitizen('13800000000');
      expect((await as.admin.call('PUT', '/api/org/users/shenji', { name: '沈计', password: 'Audit2026', posts: [{ departmentId: 'it', post: 'auditor' }], roles: ['auditor'] })).status).to.equal(200);
      as.auditor = await p.login('shenji', 'Audit2026');
    });

    after(async () => {
      await p?.close();
    });

    it('allows and denies each role each route as the matrix says', async () => {
      const wrong: string[] = [];
      for (const [method, path, body, allowed] of MATRIX) {
        for (const role of ROLES) {
          const answer = await as[role].call(method, path, body());
          const expected = allowed.includes(role) ? 'allow' : 'deny';
          const actual = denied(answer) ? 'deny' : 'allow';
          if (expected !== actual) wrong.push(`${role} ${method} ${path}: expected ${expected}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`);
          if (expected === 'deny' && answer.status !== 403) wrong.push(`${role} ${method} ${path}: denied with ${answer.status}, not 403`);
        }
      }
      expect(wrong).to.deep.equal([]);
    });

    it('refuses every route of the API to a caller who is not signed in, except signing in', async () => {
      const document = (await p.call('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
      const open: string[] = [];
      let checked = 0;
      for (const [path, methods] of Object.entries(document.paths)) {
        for (const method of Object.keys(methods)) {
          const answer = await p.call(method.toUpperCase(), path.replace(/\{\w+\}/g, 'x'), ['post', 'put'].includes(method) ? {} : undefined);
          checked++;
          if (answer.status !== 401) open.push(`${method} ${path}: ${answer.status}`);
        }
      }
      expect(checked).to.be.greaterThan(60);
      // the public ones: health, signing in (and who is, nobody here), the service hall (here a service that is not one, its slots with no date), checking an electronic document's QR code (a code that is not one), and an invitation's link (no token)
      expect(open.sort()).to.deep.equal([
        'get /api/auth/session: 200',
        'get /api/hall/services/{number}/slots: 400',
        'get /api/hall/services/{number}: 404',
        'get /api/hall: 200',
        'get /api/invitations/{key}: 400',
        'get /api/verify/{code}: 400',
        'get /healthz: 200',
        'get /readyz: 200',
        'post /api/auth/login: 400',
        'post /api/auth/sms-code: 400',
        'post /api/auth/sms-login: 400',
        'post /api/invitations/{key}/answer: 400',
      ]);
    });

    it('shows a clerk their own cases and tasks, a supervisor those of their departments, and nobody else’s', async () => {
      // 张三 (office) applies; the office head 李四 decides. 吴九 supervises traffic; 陈军 supervises the whole bureau.
      const started = await as.clerk.call('POST', '/api/processes/leave/start-form/submit', { data: LEAVE, businessKey: 'QJ-SCOPE-1' });
      expect(started.status).to.equal(201);
      const instanceId = started.body.id as string;
      const head = await p.login('lisi');
      const traffic = as.supervisor;
      const bureau = await p.login('chenjun');
      const window = await p.login('zhoubo');

      const [task] = (await head.call('GET', '/api/tasks?state=active&processKey=leave')).body.items;
      expect(task.businessKey).to.equal('QJ-SCOPE-1');
      expect((await bureau.call('GET', '/api/tasks?processKey=leave')).body.total, 'in the bureau supervisor’s scope').to.equal(1);
      expect((await traffic.call('GET', '/api/tasks?processKey=leave')).body.total, 'another department’s supervisor').to.equal(0);
      expect((await window.call('GET', '/api/tasks?processKey=leave')).body.total, 'a clerk who is not a candidate').to.equal(0);

      expect((await as.clerk.call('GET', `/api/instances/${instanceId}`)).status, 'the initiator').to.equal(200);
      expect((await head.call('GET', `/api/instances/${instanceId}/history`)).status, 'a candidate of its task').to.equal(200);
      expect((await bureau.call('GET', `/api/instances/${instanceId}`)).status).to.equal(200);
      const outside = await traffic.call('GET', `/api/instances/${instanceId}`);
      expect(outside.status).to.equal(403);
      expect(outside.body.error.code).to.equal('WF_ERR_OUT_OF_SCOPE');
      expect((await as.citizen.call('GET', `/api/instances/${instanceId}`)).status).to.equal(403);
      expect((await window.call('GET', `/api/tasks/${task.id}`)).status).to.equal(403);
      expect((await as.clerk.call('GET', '/api/instances?processKey=leave')).body.total).to.equal(1);
      expect((await as.citizen.call('GET', '/api/instances?processKey=leave')).body.total).to.equal(0);

      const notCandidate = await window.call('POST', `/api/tasks/${task.id}/complete`, { variables: { approved: true } });
      expect(notCandidate.status).to.equal(403);
      const claimForOther = await head.call('POST', `/api/tasks/${task.id}/claim`, { userId: 'zhoubo' });
      expect(claimForOther.body.error.code, 'claiming for someone else is assigning').to.equal('WF_ERR_FORBIDDEN');
      const done = await head.call('POST', `/api/tasks/${task.id}/form/submit`, { data: { ...LEAVE, approved: true, comment: '同意' } });
      expect(done.status, JSON.stringify(done.body)).to.equal(200);
      expect((await head.call('GET', '/api/tasks?endedBy=lisi&state=completed')).body.total, 'done by me').to.equal(1);
    });
  });
}
