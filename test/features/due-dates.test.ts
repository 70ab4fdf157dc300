import { expect } from 'chai';
import { WorkflowError } from '../../engine/core/errors.ts';
import { describeOnBothStores } from '../support/harness.ts';

/** A user task due `dueDate` after it opens, counted on `calendar`. */
const process = (calendar: string, dueDate = 'PT4H') => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:wf="http://workflow.dev/schema/bpmn/1.0" id="due-definitions" targetNamespace="http://workflow.dev/test">
  <process id="due" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="handle" />
    <userTask id="handle" camunda:candidateGroups="first-line" camunda:dueDate="${dueDate}" wf:calendar="${calendar}" />
    <sequenceFlow id="f2" sourceRef="handle" targetRef="e" /><endEvent id="e" />
  </process>
</definitions>`;
const bj = (text: string) => Date.parse(`${text}:00+08:00`);

describeOnBothStores('due dates on working calendars', (ctx) => {
  const dueOf = async (instanceId: string) => (await ctx().wf.services.store.listTasks({ instanceId }, { offset: 0, limit: 10 })).items[0]!.dueAt;

  it('Given a task due in 4 working hours on office hours, when it opens on Friday at 17:00, then it is due on Monday at 12:00', async () => {
    const c = ctx();
    await c.wf.deploy(process('office-hours'), 'analyst');
    c.clock.set(bj('2026-11-27T17:00'));
    const instance = await c.start('due');
    expect(await dueOf(instance.id)).to.equal(bj('2026-11-30T12:00'));
  });

  it('Given the calendar from a variable (P1/P2 run 7×24, P3/P4 on office hours), then each case counts on its own', async () => {
    const c = ctx();
    await c.wf.deploy(process('${clock}'), 'analyst');
    c.clock.set(bj('2026-11-27T17:00'));
    const urgent = await c.start('due', { clock: '7x24' });
    const routine = await c.start('due', { clock: 'office-hours' });
    expect(await dueOf(urgent.id)).to.equal(bj('2026-11-27T21:00'));
    expect(await dueOf(routine.id)).to.equal(bj('2026-11-30T12:00'));
    const unknown = await c.start('due', { clock: 'lunar' }).catch((e: unknown) => e as WorkflowError);
    expect(unknown).to.be.instanceOf(WorkflowError);
    expect((unknown as WorkflowError).localizedMessage('en')).to.include('no working calendar "lunar"');
  });

  it('Given working days, then they skip the weekend and the holidays (3 working days from 30 September: the make-up Saturday counts)', async () => {
    const c = ctx();
    await c.wf.deploy(process('office-hours', 'P3D'), 'analyst');
    c.clock.set(bj('2026-09-30T10:00'));
    expect(await dueOf((await c.start('due')).id)).to.equal(bj('2026-10-10T10:00'));
  });

  it('Given a task due Monday 12:00 on office hours, then it is near due from Monday 11:12 (80 % of its working time), overdue from 12:00, and the inbox filters on it', async () => {
    const c = ctx();
    await c.wf.deploy(process('office-hours'), 'analyst');
    c.clock.set(bj('2026-11-27T17:00'));
    const instance = await c.start('due');
    const [task] = (await c.wf.listTasks({ instanceId: instance.id }, { offset: 0, limit: 1 })).items;
    // 4 working hours: 1 on Friday, 3 on Monday; 80 % of them (3 h 12 min) is Monday 11:12.
    expect(task!.nearDueAt).to.equal(bj('2026-11-30T11:12'));
    const inState = async (dueState: 'on-time' | 'near-due' | 'overdue') => (await c.wf.listTasks({ dueState, state: 'active' }, { offset: 0, limit: 10 })).items.map((t) => t.id);
    const states = async () => ({ onTime: await inState('on-time'), nearDue: await inState('near-due'), overdue: await inState('overdue') });
    c.clock.set(bj('2026-11-29T23:00')); // the weekend used no working time
    expect(await states()).to.deep.equal({ onTime: [task!.id], nearDue: [], overdue: [] });
    c.clock.set(bj('2026-11-30T11:15'));
    expect(await states()).to.deep.equal({ onTime: [], nearDue: [task!.id], overdue: [] });
    c.clock.set(bj('2026-11-30T12:00'));
    expect(await states()).to.deep.equal({ onTime: [], nearDue: [], overdue: [task!.id] });
  });

  it('Given a calendar that does not exist, then the deployment is refused naming it', async () => {
    const refused = await ctx().wf.deploy(process('lunar-calendar'), 'analyst').catch((e: unknown) => e as WorkflowError);
    expect(refused).to.be.instanceOf(WorkflowError);
    expect((refused as WorkflowError).code).to.equal('WF_ERR_BPMN_INVALID');
    expect((refused as WorkflowError).localizedMessage('zh-CN')).to.include('工作日历 lunar-calendar 不存在');
  });
});
