/**
 * The inbox over HTTP with real sign-ins: who may transfer, urge and copy;
 * notices with their receipts (delivered, read, signed for); and the routing
 * rule — an urge reaches an offline holder by SMS through the SMS connector,
 * an online one in the site only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { BACKENDS } from '../support/databases.ts';
import { startProduct, type Product, type Session } from '../support/product.ts';
import { needs } from '../support/services.ts';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/bpmn');
const LEAVE = { leaveType: 'annual', startDate: '2026-12-07', endDate: '2026-12-08', reason: '回老家探亲', handover: 'wangwu' };

for (const backend of BACKENDS) {
  describe(`inbox over HTTP [${backend}]`, function () {
    needs(this, backend);
    this.timeout(60_000);
    let p: Product;
    let applicant: Session;

    before(async () => {
      p = await startProduct(backend);
      applicant = await p.login('zhangsan');
    });

    after(async () => {
      await p?.close();
    });

    const apply = async (key: string) => {
      const started = await applicant.call('POST', '/api/processes/leave/start-form/submit', { data: LEAVE, businessKey: key });
      expect(started.status, JSON.stringify(started.body)).to.equal(201);
      const [task] = (await p.server.workflow.listTasks({ instanceId: started.body.id, state: 'active' }, { offset: 0, limit: 5 })).items;
      return { instanceId: started.body.id as string, taskId: task!.id };
    };
    const smsTo = async (phone: string) => ((await p.inspect(`/sim/sms/_messages?phone=${phone}`)).body.items as Array<{ text: string }>).map((m) => m.text);

    it('urges an offline holder by SMS and an online one in the site only; only the initiator or a supervisor may urge', async () => {
      const { taskId } = await apply('QJ-URGE-1');
      expect((await (await p.login('zhoubo')).call('POST', `/api/tasks/${taskId}/urge`, {})).status, 'a clerk of another case').to.equal(403);
      expect((await applicant.call('POST', `/api/tasks/${taskId}/urge`, { note: '明天出发，请尽快' })).body).to.deep.equal({ notified: ['lisi'] });
      await p.server.scheduler.tick();
      expect(
        (await smsTo('13900000003')).some((t) => t.includes('催办') && t.includes('明天出发')),
        'lisi has not signed in: SMS',
      ).to.equal(true);
      expect((await applicant.call('POST', `/api/tasks/${taskId}/urge`, {})).status, 'rate-limited').to.equal(429);

      const head = await p.login('lisi');
      p.clock.advance(10 * 60_000);
      await head.call('GET', '/api/auth/me');
      const before = (await smsTo('13900000003')).length;
      expect((await applicant.call('POST', `/api/tasks/${taskId}/urge`, {})).status).to.equal(200);
      await p.server.scheduler.tick();
      expect((await smsTo('13900000003')).length, 'online: no SMS').to.equal(before);
      const [row] = await p.server.db.executor.select("SELECT delivery FROM wf_notices WHERE user_id = 'lisi' AND kind = 'urge' ORDER BY created_at DESC LIMIT 1");
      expect(row!.delivery).to.equal('site');
    });

    it('lists notices with the unread count and receipts; a notice to sign for shows its text once signed', async () => {
      const { instanceId, taskId } = await apply('QJ-NOTICE-1');
      const head = await p.login('lisi');
      const list = await head.call('GET', '/api/notices?kind=task');
      const mine = list.body.items.find((n: { taskId: string }) => n.taskId === taskId);
      expect(mine).to.include({ kind: 'task', title: '待办：部门负责人审批（QJ-NOTICE-1）', readAt: null });
      expect(list.body.unread).to.be.greaterThan(0);
      const [delivered] = await p.server.db.executor.select('SELECT delivered_at FROM wf_notices WHERE id = $1', [mine.id]);
      expect(delivered!.delivered_at, 'listing delivers').to.not.equal(null);
      expect((await head.call('POST', `/api/notices/${mine.id}/read`)).status).to.equal(204);
      expect((await applicant.call('POST', `/api/notices/${mine.id}/read`)).status, 'not theirs').to.equal(404);

      expect((await head.call('POST', `/api/instances/${instanceId}/cc`, { userIds: ['fengyi'], note: '请知悉：涉密安排', needsSign: true })).status).to.equal(200);
      const reader = await p.login('fengyi');
      const [copy] = (await reader.call('GET', '/api/notices?kind=cc')).body.items;
      expect(copy).to.include({ needsSign: true, body: null, signedAt: null });
      expect((await reader.call('GET', `/api/instances/${instanceId}`)).status, 'a copy makes the case readable').to.equal(200);
      expect((await reader.call('POST', `/api/notices/${copy.id}/sign`)).status).to.equal(204);
      const [signed] = (await reader.call('GET', '/api/notices?kind=cc')).body.items;
      expect(signed).to.include({ body: '请知悉：涉密安排' });
      expect(signed.readAt).to.not.equal(null);
    });

    it('sends a new task’s notice by e-mail as the node asks, and by SMS only to a holder who is away', async () => {
      const analyst = await p.login('analyst');
      const xml = fs.readFileSync(path.join(FIXTURES, 'tiered-approval.bpmn'), 'utf8').replace('wf:returnTo="draft"', 'wf:returnTo="draft" wf:notify="sms,email"');
      expect((await analyst.call('POST', '/api/definitions', { xml })).status).to.equal(201);
      await p.login('lisi'); // online from now on
      const started = await applicant.call('POST', '/api/instances', { processKey: 'tiered-approval', businessKey: 'SP-1' });
      const [draft] = (await p.server.workflow.listTasks({ instanceId: started.body.id, state: 'active' }, { offset: 0, limit: 5 })).items;
      expect((await applicant.call('POST', `/api/tasks/${draft!.id}/complete`, { variables: { amount: 100 } })).status).to.equal(200);
      await p.server.scheduler.tick();
      const mails = (await p.inspect('/sim/email/_messages?to=lisi@example.gov.cn')).body.items as Array<{ subject: string }>;
      expect(mails.map((m) => m.subject)).to.include('待办：部门负责人审核（SP-1）');
      const [row] = await p.server.db.executor.select("SELECT delivery FROM wf_notices WHERE user_id = 'lisi' AND title = '待办：部门负责人审核（SP-1）'");
      expect(row!.delivery, 'online: no SMS, the e-mail all the same').to.equal('site, email');
    });

    it('lets an admin rescue a task held by a user who does not exist, when asked for: complete it or throw from it, recorded on the case and in the audit trail; nobody else', async () => {
      const analyst = await p.login('analyst');
      const xml = `<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
        <error id="stuck" errorCode="STUCK"/>
        <process id="ghost-held" isExecutable="true">
          <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="held"/>
          <userTask id="held" name="离职人员的待办" camunda:assignee="ghost"/>
          <boundaryEvent id="onStuck" attachedToRef="held"><errorEventDefinition errorRef="stuck"/></boundaryEvent>
          <sequenceFlow id="f2" sourceRef="held" targetRef="done"/><endEvent id="done"/>
          <sequenceFlow id="f3" sourceRef="onStuck" targetRef="escalated"/><endEvent id="escalated"/>
        </process></definitions>`;
      expect((await analyst.call('POST', '/api/definitions', { xml })).status).to.equal(201);
      const admin = await p.login('admin');
      const head = await p.login('lisi');
      const held = async () => {
        const started = await admin.call('POST', '/api/instances', { processKey: 'ghost-held' });
        expect(started.status, JSON.stringify(started.body)).to.equal(201);
        return { id: started.body.id as string, taskId: (started.body.activities as Array<{ taskId?: string }>).find((a) => a.taskId)!.taskId! };
      };

      const first = await held();
      expect((await head.call('POST', `/api/tasks/${first.taskId}/complete`, {})).status, 'not his').to.be.oneOf([403, 409]);
      expect((await head.call('POST', `/api/tasks/${first.taskId}/complete`, { rescue: true })).status, 'and no admin').to.equal(403);
      expect((await admin.call('POST', `/api/tasks/${first.taskId}/complete`, {})).status, 'an admin too must say it is a rescue').to.equal(409);
      const done = await admin.call('POST', `/api/tasks/${first.taskId}/complete`, { variables: { note: '人员已离职，由管理员办结' }, rescue: true });
      expect(done.status, JSON.stringify(done.body)).to.equal(200);
      expect(done.body.instance.state).to.equal('completed');
      const history = (await admin.call('GET', `/api/instances/${first.id}/history?limit=100`)).body.items as Array<{ kind: string; actor: string; data: { rescuedFrom?: string } | null }>;
      expect(history.find((h) => h.kind === 'task.complete')).to.deep.include({ actor: 'admin' });
      expect(history.find((h) => h.kind === 'task.complete')!.data!.rescuedFrom).to.equal('ghost');
      const audit = (await admin.call('GET', '/api/audit?action=task.complete&limit=5')).body.items as Array<{ actor: string; target?: string }>;
      expect(audit[0]?.actor).to.equal('admin');

      const second = await held();
      expect((await head.call('POST', `/api/tasks/${second.taskId}/bpmn-error`, { errorCode: 'STUCK', rescue: true })).status).to.equal(403);
      const thrown = await admin.call('POST', `/api/tasks/${second.taskId}/bpmn-error`, { errorCode: 'STUCK', errorMessage: '办理人不存在', rescue: true });
      expect(thrown.status, JSON.stringify(thrown.body)).to.equal(200);
      expect(thrown.body.state).to.equal('completed');
      const path = (await admin.call('GET', `/api/instances/${second.id}/history?limit=100`)).body.items as Array<{ kind: string; activityId: string | null }>;
      expect(path.some((h) => h.kind === 'activity.end' && h.activityId === 'escalated'), 'ended by the error path').to.equal(true);
    });

    it('lets the holder transfer and delegate, and nobody else without task:assign', async () => {
      const { taskId } = await apply('QJ-MOVE-1');
      const head = await p.login('lisi');
      const other = await p.login('zhaoliu');
      expect((await other.call('POST', `/api/tasks/${taskId}/transfer`, { userId: 'zhaoliu' })).status).to.equal(403);
      const moved = await head.call('POST', `/api/tasks/${taskId}/delegate`, { userId: 'zhaoliu', reason: '请代为核实' });
      expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
      expect(moved.body).to.include({ assignee: 'zhaoliu', owner: 'lisi' });
      const done = await other.call('POST', `/api/tasks/${taskId}/form/submit`, { data: { ...LEAVE, approved: true, comment: '已核实' } });
      expect(done.status, JSON.stringify(done.body)).to.equal(200);
      expect((await head.call('GET', `/api/tasks/${taskId}`)).body).to.include({ state: 'active', assignee: 'lisi', owner: null });
      const bad = await head.call('POST', `/api/tasks/${taskId}/transfer`, { userId: 'nobody' });
      expect(bad.body.error).to.include({ code: 'WF_ERR_USER_NOT_FOUND', field: 'userId' });
    });
  });
}
