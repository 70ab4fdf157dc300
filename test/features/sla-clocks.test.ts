/**
 * SLA clocks on the runtime's persisted timers, with a clock the test moves:
 * due dates from an SLA table keyed by priority (P1/P2 on 7×24, P3/P4 on office
 * hours), the reminder before the due time, functional escalation at 50 % and
 * 80 % (reassigned to second and third line), hierarchical escalation at 100 %
 * (management told), reclassification moving all of it, and supervision days.
 */
import { expect } from 'chai';
import { count } from '../support/databases.ts';
import { describeOnBothStores, fixture } from '../support/harness.ts';
import { seedDemoOrg } from '../support/org.ts';

const MINUTE = 60_000;
const bj = (local: string) => Date.parse(`${local}:00+08:00`);

describeOnBothStores('SLA clocks', (ctx) => {
  beforeEach(async () => {
    await seedDemoOrg(ctx().org);
    await ctx().deploy('incident-sla');
  });

  const resolveTask = async (instanceId: string) => (await ctx().activeTasks(instanceId)).find((t) => t.activityId === 'resolve')!;
  const notices = async (userId: string, kind: string) => (await ctx().store.listNotices(userId, { kind }, { offset: 0, limit: 50 })).items;
  const escalations = async (instanceId: string) =>
    (await ctx().wf.history(instanceId, { offset: 0, limit: 200 })).items.filter((h) => h.kind === 'task.escalate').map((h) => h.data as { step: number; to: string[]; reassigned: boolean });

  it('P1 (1 hour, 7×24): reminder 15 minutes before, second line at 50 %, third line at 80 %, management told at 100 %', async () => {
    const c = ctx();
    c.clock.set(bj('2026-11-27T17:00'));
    const instance = await c.wf.start({ processKey: 'incident-sla', variables: { priority: 'P1' } }, 'zhangsan');
    const task = await resolveTask(instance.id);
    expect(task).to.include({ assignee: 'heqiang', dueAt: bj('2026-11-27T18:00'), nearDueAt: bj('2026-11-27T17:48') });

    await c.advance(29 * MINUTE);
    expect(await escalations(instance.id)).to.deep.equal([]);
    await c.advance(1 * MINUTE);
    let now = await c.wf.getTask(task.id);
    expect(now).to.include({ assignee: null });
    expect(now.candidateUsers, 'reassigned to second line at 50 %').to.deep.equal(['luoyi']);
    expect((await notices('luoyi', 'escalation'))[0]!.title).to.include('事件解决');

    await c.advance(15 * MINUTE); // 17:45: 15 minutes before due
    expect((await notices('luoyi', 'near-due')).length, 'the reminder goes to whoever has it now').to.equal(1);
    await c.advance(3 * MINUTE); // 17:48: 80 %
    now = await c.wf.getTask(task.id);
    expect(now.candidateUsers).to.deep.equal(['vendor']);
    expect((await c.wf.listTasks({ candidateUser: 'luoyi', state: 'active' }, { offset: 0, limit: 10 })).total, 'no longer in second line’s inbox').to.equal(0);
    await c.advance(12 * MINUTE); // 18:00: due
    expect((await notices('fengyi', 'escalation')).length, 'management told').to.equal(1);
    expect((await escalations(instance.id)).map((e) => `${e.step}:${e.to.join()}:${e.reassigned}`)).to.deep.equal(['0:luoyi:true', '1:vendor:true', '2:fengyi:false']);

    await c.wf.complete(task.id, { solution: '重启服务' }, 'vendor');
    expect(await count(c.db, 'wf_timers', "kind = 'clock' AND execution_id = $1", [task.executionId]), 'its clocks go with the task').to.equal(0);
  });

  it('sends each clock’s notice by the channels the node names for its event (wf:notify per event)', async () => {
    const c = ctx();
    const xml = fixture('incident-sla').replace('wf:sla="incident-resolution"', 'wf:sla="incident-resolution" wf:notify="task:email; near-due:sms; overdue:sms,email; escalation:email"');
    await c.wf.deploy(xml, 'tester');
    c.clock.set(bj('2026-11-27T17:00'));
    await c.wf.start({ processKey: 'incident-sla', variables: { priority: 'P1' } }, 'zhangsan');
    await c.advance(30 * MINUTE); // 17:30: second line has it
    await c.advance(16 * MINUTE); // 17:46: reminded
    await c.advance(3 * MINUTE); // 17:49: third line has it
    await c.advance(12 * MINUTE); // 18:01: overdue, management told
    const channels = async (userId: string, kind: string) => (await notices(userId, kind)).map((n) => n.channels.join('+'));
    expect(await channels('heqiang', 'task')).to.deep.equal(['email']);
    expect(await channels('luoyi', 'escalation')).to.deep.equal(['email']);
    expect(await channels('fengyi', 'escalation')).to.deep.equal(['email']);
    expect(await channels('luoyi', 'near-due'), 'whoever has it at the reminder').to.deep.equal(['sms']);
    expect(await channels('vendor', 'overdue')).to.deep.equal(['sms+email']);
  });

  it('refuses a wf:notify naming an event or a channel it does not know', async () => {
    const xml = fixture('incident-sla').replace('wf:sla="incident-resolution"', 'wf:sla="incident-resolution" wf:notify="overdue:fax; done:sms"');
    const error = await ctx()
      .wf.deploy(xml, 'tester')
      .catch((err) => err);
    expect(error.code).to.equal('WF_ERR_BPMN_INVALID');
    expect(error.context.problems.map((p: { message: { en: string } }) => p.message.en)).to.include.members([
      'wf:notify takes sms and email only: fax',
      "wf:notify's events are task, near-due, overdue, escalation: done",
    ]);
  });

  it('P3 (3 working hours on office hours) opened on Friday at 17:00 is due on Monday at 11:00, and its clocks follow the calendar', async () => {
    const c = ctx();
    c.clock.set(bj('2026-11-27T17:00'));
    const instance = await c.wf.start({ processKey: 'incident-sla', variables: { priority: 'P3' } }, 'zhangsan');
    const task = await resolveTask(instance.id);
    expect(task.dueAt).to.equal(bj('2026-11-30T11:00'));
    await c.advance(24 * 60 * MINUTE); // Saturday: no working time has passed
    expect(await escalations(instance.id)).to.deep.equal([]);
    c.clock.set(bj('2026-11-30T09:30')); // 1.5 of 3 working hours used
    await c.work();
    expect((await escalations(instance.id)).map((e) => e.step)).to.deep.equal([0]);
  });

  it('reclassifying P4 to P1 moves the due date, reminder and escalations; steps taken are not taken again', async () => {
    const c = ctx();
    c.clock.set(bj('2026-11-30T09:00'));
    const instance = await c.wf.start({ processKey: 'incident-sla', variables: { priority: 'P4' } }, 'zhangsan');
    const task = await resolveTask(instance.id);
    expect(task.dueAt).to.equal(bj('2026-11-30T13:00'));
    await c.advance(120 * MINUTE); // 11:00: half of P4's 4 hours — second line
    expect((await escalations(instance.id)).map((e) => e.step)).to.deep.equal([0]);

    await c.wf.setVariables(instance.id, { priority: 'P2' }, 'luoyi');
    const moved = await c.wf.getTask(task.id);
    expect(moved.dueAt, '1.5 hours from when it opened, on 7×24').to.equal(bj('2026-11-30T10:30'));
    await c.work(); // 80 % and 100 % are past now: they ring at once, 50 % does not ring again
    expect((await escalations(instance.id)).map((e) => e.step).sort()).to.deep.equal([0, 1, 2]);
    expect((await c.wf.getTask(task.id)).candidateUsers).to.deep.equal(['vendor']);
    const history = (await c.wf.history(instance.id, { offset: 0, limit: 200 })).items;
    expect(history.find((h) => h.kind === 'task.reclassify')!.data).to.deep.include({ by: 'priority', value: 'P2', was: new Date(bj('2026-11-30T13:00')).toISOString() });
    expect(history.some((h) => h.kind === 'variable.set')).to.equal(true);
  });

  it('a case still open after its supervision days (working days) tells the supervisors; a closed one does not', async () => {
    const c = ctx();
    c.clock.set(bj('2026-11-27T10:00')); // Friday
    const open = await c.wf.start({ processKey: 'incident-sla', variables: { priority: 'P4' } }, 'zhangsan');
    const closed = await c.wf.start({ processKey: 'incident-sla', variables: { priority: 'P4' } }, 'zhangsan');
    await c.wf.complete((await resolveTask(closed.id)).id, {}, 'heqiang');
    await c.wf.complete((await c.activeTasks(closed.id))[0]!.id, {}, 'zhangsan');
    c.clock.set(bj('2026-11-30T18:00')); // Monday evening: one working day
    await c.work();
    expect(await notices('fengyi', 'supervision')).to.have.length(0);
    c.clock.set(bj('2026-12-01T10:00')); // Tuesday 10:00: two working days
    await c.work();
    const told = await notices('fengyi', 'supervision');
    expect(told.map((n) => n.instanceId)).to.deep.equal([open.id]);
    expect(told[0]!.title).to.include('已办理 2 天');
  });

  it('takes a due date from the service’s time limit, in working days', async () => {
    const c = ctx();
    const xml =
      '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:wf="http://workflow.dev/schema/bpmn/1.0" id="d" targetNamespace="t"><process id="service-limit" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="u"/><userTask id="u" wf:assignees="initiator" camunda:dueDate="P${timeLimitDays}D" wf:calendar="office-hours"/></process></definitions>';
    await c.wf.deploy(xml, 'analyst');
    c.clock.set(bj('2026-11-27T10:00')); // Friday
    const instance = await c.wf.start({ processKey: 'service-limit', variables: { timeLimitDays: 3 } }, 'zhangsan');
    expect((await c.activeTasks(instance.id))[0]!.dueAt, 'three working days: Wednesday').to.equal(bj('2026-12-02T10:00'));
  });

  it('refuses at deploy an SLA table that does not exist', async () => {
    const xml =
      '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:wf="http://workflow.dev/schema/bpmn/1.0" id="d" targetNamespace="t"><process id="p" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="u"/><userTask id="u" wf:sla="nope"/></process></definitions>';
    const error = await ctx()
      .wf.deploy(xml, 'analyst')
      .catch((err) => err);
    expect(error.code).to.equal('WF_ERR_BPMN_INVALID');
    expect(error.context.problems.map((p: { rule: string }) => p.rule)).to.include('unknown-sla');
  });
});
