/**
 * What a new user tripped on, kept fixed: a Camunda model naming groups and
 * users the organisation does not have is deployed with warnings and its
 * orphaned task can be given to someone; candidate groups' members are told;
 * the notices people expect arrive — a withdrawn case (and its 待办 goes),
 * a delegated task coming back, an added signer's turn, the case's end, and a
 * task gone overdue.
 */
import { expect } from 'chai';
import { BACKENDS } from '../support/databases.ts';
import { needs } from '../support/services.ts';
import { startProduct, type Product, type Session } from '../support/product.ts';

const LEAVE = { leaveType: 'annual', startDate: '2026-12-07', endDate: '2026-12-08', reason: '回老家探亲', handover: 'wangwu' };
const HOUR = 3600_000;

const camundaModel = (id: string, task: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d-${id}" targetNamespace="t">
  <process id="${id}" name="${id}" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t1"/>
    <userTask id="t1" name="审核" ${task}/><sequenceFlow id="f2" sourceRef="t1" targetRef="e"/>
    <endEvent id="e"/>
  </process>
</definitions>`;

for (const backend of BACKENDS) {
  describe(`notices and orphaned tasks [${backend}]`, function () {
    this.timeout(60_000);
    needs(this, backend);
    let p: Product;
    let admin: Session;
    let analyst: Session;

    before(async function () {
      p = await startProduct(backend);
      admin = await p.login('admin');
      analyst = await p.login('analyst');
    });

    after(async () => {
      await p?.close();
    });

    const notices = async (who: Session) =>
      (await who.call('GET', '/api/notices?limit=100')).body.items as Array<{ kind: string; title: string; taskId: string | null; instanceId: string | null; body: string | null }>;
    const leaveAtHead = async () => {
      const zhangsan = await p.login('zhangsan');
      const started = await zhangsan.call('POST', '/api/processes/leave/start-form/submit', { data: LEAVE });
      expect(started.status, JSON.stringify(started.body)).to.equal(201);
      const lisi = await p.login('lisi');
      const [task] = (await lisi.call('GET', `/api/tasks?instanceId=${started.body.id}&state=active`)).body.items;
      return { zhangsan, lisi, instanceId: started.body.id as string, taskId: task.id as string };
    };

    it('warns at deploy of candidate groups and users that match nobody, naming the element; an admin gives the orphaned task to someone', async () => {
      const deployed = await analyst.call('POST', '/api/definitions', { xml: camundaModel('orphans', 'camunda:assignee="ghost" camunda:candidateGroups="nobody-group, finance"') });
      expect(deployed.status).to.equal(201);
      const warnings = deployed.body.definitions[0].warnings as Array<{ rule: string; elementId: string; message: string }>;
      expect(warnings.map((w) => `${w.rule}:${w.elementId}`).sort()).to.deep.equal(['unknown-group:t1', 'unknown-user:t1']);
      expect(warnings.find((w) => w.rule === 'unknown-group')!.message)
        .to.include('nobody-group')
        .and.include('角色或岗位');
      const started = await admin.call('POST', '/api/instances', { processKey: 'orphans' });
      const taskId = started.body.activities[0].taskId as string;
      expect((await admin.call('POST', `/api/tasks/${taskId}/complete`, {})).status, 'held by ghost').to.equal(409);
      const given = await admin.call('POST', `/api/tasks/${taskId}/claim`, { userId: 'lisi' });
      expect(given.status, JSON.stringify(given.body)).to.equal(200);
      expect(given.body.assignee).to.equal('lisi');
      expect((await (await p.login('lisi')).call('POST', `/api/tasks/${taskId}/complete`, {})).status).to.equal(200);
      // A task held by someone who exists is not taken away this way.
      const other = await admin.call('POST', '/api/instances', { processKey: 'orphans' });
      const heldTask = other.body.activities[0].taskId as string;
      await admin.call('POST', `/api/tasks/${heldTask}/claim`, { userId: 'lisi' });
      expect((await admin.call('POST', `/api/tasks/${heldTask}/claim`, { userId: 'zhaoliu' })).status).to.equal(409);
    });

    it('tells the members of a candidate group (a post or a role) of a new task', async () => {
      await analyst.call('POST', '/api/definitions', { xml: camundaModel('group-task', 'camunda:candidateGroups="finance"') });
      const started = await admin.call('POST', '/api/instances', { processKey: 'group-task' });
      const taskId = started.body.activities[0].taskId as string;
      const told = (await notices(await p.login('qianqi'))).filter((n) => n.taskId === taskId);
      expect(told.map((n) => [n.kind, n.title])).to.deep.equal([['task', '待办：审核']]);
    });

    it('takes the 待办 back when the initiator withdraws, and tells the head why', async () => {
      const { zhangsan, lisi, instanceId, taskId } = await leaveAtHead();
      expect(
        (await notices(lisi)).some((n) => n.taskId === taskId && n.kind === 'task'),
        'the head’s 待办',
      ).to.equal(true);
      expect((await zhangsan.call('POST', `/api/instances/${instanceId}/withdraw`, { reason: '日期填错了' })).status).to.equal(200);
      const after = (await notices(lisi)).filter((n) => n.instanceId === instanceId);
      expect(after.map((n) => [n.kind, n.body])).to.deep.equal([['result', '日期填错了']]);
      expect(after[0]!.title).to.match(/^申请人已撤回：leave/);
    });

    it('tells the holder when a delegated task comes back, and an added signer when their turn comes', async () => {
      const { lisi, taskId } = await leaveAtHead();
      expect((await lisi.call('POST', `/api/tasks/${taskId}/delegate`, { userId: 'zhaoliu', reason: '请核对' })).status).to.equal(200);
      const zhaoliu = await p.login('zhaoliu');
      expect((await zhaoliu.call('POST', `/api/tasks/${taskId}/form/submit`, { data: { approved: true, comment: '已核对' } })).status).to.equal(200);
      expect((await notices(lisi)).filter((n) => n.taskId === taskId && n.kind === 'delegate').map((n) => n.title)).to.deep.equal(['委派已办理，请您确认：部门负责人审批']);

      expect((await lisi.call('POST', `/api/tasks/${taskId}/signers`, { userId: 'chenjun', position: 'after' })).status).to.equal(200);
      expect((await lisi.call('POST', `/api/tasks/${taskId}/form/submit`, { data: { approved: true, comment: '同意' } })).status).to.equal(200);
      const chenjun = await p.login('chenjun');
      const turn = (await notices(chenjun)).filter((n) => n.kind === 'task' && n.title.startsWith('待办：部门负责人审批'));
      expect(turn, 'the added signer is told when their turn comes').to.have.length(1);
    });

    it('tells the initiator when the case ends (办结)', async () => {
      const { zhangsan, lisi, instanceId, taskId } = await leaveAtHead();
      await lisi.call('POST', `/api/tasks/${taskId}/form/submit`, { data: { approved: false, comment: '时间冲突' } });
      const done = (await notices(zhangsan)).filter((n) => n.instanceId === instanceId && n.kind === 'result');
      expect(done.map((n) => n.title)).to.deep.equal(['办结：请假申请']);
    });

    it('tells the holder when a task goes overdue', async () => {
      await analyst.call('POST', '/api/definitions', { xml: camundaModel('due-soon', 'camunda:assignee="lisi" camunda:dueDate="PT1H"') });
      const started = await admin.call('POST', '/api/instances', { processKey: 'due-soon', businessKey: 'D-1' });
      const taskId = started.body.activities[0].taskId as string;
      p.clock.advance(2 * HOUR);
      await p.server.scheduler.runUntilIdle();
      const lisi = await p.login('lisi');
      expect((await notices(lisi)).filter((n) => n.taskId === taskId && n.kind === 'overdue').map((n) => n.title)).to.deep.equal(['已逾期：审核（D-1）']);
    });
  });
}
