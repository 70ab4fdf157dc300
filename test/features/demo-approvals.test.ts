/**
 * The demo approval flows on the demo organisation, as a newcomer would run
 * them: leave (department head; over three days the deputy director too; HR
 * records it) and expense (department head; over 5,000 yuan the finance
 * head; finance pays), each step going to the right person by its assignee
 * rule — and the applicant withdrawing while nobody has acted yet.
 */
import { expect } from 'chai';
import { describeOnBothStores } from '../support/harness.ts';
import { demoBpmn, deployDemoForms } from '../support/forms.ts';
import { seedDemoOrg } from '../support/org.ts';

describeOnBothStores('demo approvals', (ctx) => {
  beforeEach(async () => {
    const { wf, org } = ctx();
    await seedDemoOrg(org);
    await deployDemoForms(wf, 'leave-request', 'expense-claim');
    await wf.deploy(demoBpmn('leave'), 'analyst');
    await wf.deploy(demoBpmn('expense'), 'analyst');
  });

  /** Who the one open task goes to: its assignee, or its candidates. */
  const holder = async (instanceId: string) => {
    const [task, ...more] = await ctx().activeTasks(instanceId);
    expect(more, 'one open task').to.have.length(0);
    return { task: task!, to: task!.assignee ?? task!.candidateUsers.join(',') };
  };
  const leave = (endDate: string) => ({ leaveType: 'annual', startDate: '2026-12-07', endDate, reason: '回老家探亲', handover: 'wangwu' });
  const expense = (amount: number) => ({ title: '出差北京', items: [{ date: '2026-12-01', category: 'travel', amount }] });

  it('leave of two days: the applicant’s department head, then HR', async () => {
    const { wf } = ctx();
    const instance = await wf.submitStartForm('leave', { data: leave('2026-12-08') }, 'zhangsan', 'zh-CN');
    let step = await holder(instance.id);
    expect([step.task.activityId, step.to]).to.deep.equal(['headApproval', 'lisi']);
    await wf.submitTaskForm(step.task.id, { ...leave('2026-12-08'), approved: true, comment: '同意' }, 'lisi', 'zh-CN');
    step = await holder(instance.id);
    expect([step.task.activityId, step.to]).to.deep.equal(['hrRecord', 'sunqi']);
  });

  it('leave of five days by a department head: their own head, then the deputy director, then HR', async () => {
    const { wf } = ctx();
    const instance = await wf.submitStartForm('leave', { data: leave('2026-12-11') }, 'lisi', 'zh-CN');
    let step = await holder(instance.id);
    expect(step.to, 'lisi heads the office: the bureau head decides').to.equal('chenjun');
    await wf.submitTaskForm(step.task.id, { ...leave('2026-12-11'), approved: true }, 'chenjun', 'zh-CN');
    step = await holder(instance.id);
    expect([step.task.activityId, step.to]).to.deep.equal(['deputyApproval', 'wangwu']);
    await wf.submitTaskForm(step.task.id, { ...leave('2026-12-11'), approved: true }, 'wangwu', 'zh-CN');
    expect((await holder(instance.id)).task.activityId).to.equal('hrRecord');
  });

  it('expense over 5,000 yuan goes to the finance head before finance pays; a small one does not', async () => {
    const { wf } = ctx();
    const large = await wf.submitStartForm('expense', { data: expense(6000) }, 'zhangsan', 'zh-CN');
    let step = await holder(large.id);
    expect(step.to).to.equal('lisi');
    await wf.complete(step.task.id, { approved: true }, 'lisi');
    step = await holder(large.id);
    expect([step.task.activityId, step.to]).to.deep.equal(['directorApproval', 'zhaoliu']);
    await wf.complete(step.task.id, { approved: true }, 'zhaoliu');
    step = await holder(large.id);
    expect(step.task.activityId).to.equal('finance');
    expect([...step.task.candidateUsers].sort(), 'finance staff may claim it').to.deep.equal(['qianqi', 'zhaoliu']);

    const small = await wf.submitStartForm('expense', { data: expense(800) }, 'zhangsan', 'zh-CN');
    await wf.complete((await holder(small.id)).task.id, { approved: true }, 'lisi');
    expect((await holder(small.id)).task.activityId).to.equal('finance');
  });

  it('the applicant withdraws while the head has not acted; once the head has, it is too late', async () => {
    const { wf } = ctx();
    const first = await wf.submitStartForm('leave', { data: leave('2026-12-08') }, 'zhangsan', 'zh-CN');
    expect((await wf.withdraw(first.id, '日期填错了', 'zhangsan')).state).to.equal('cancelled');
    const second = await wf.submitStartForm('leave', { data: leave('2026-12-08') }, 'zhangsan', 'zh-CN');
    await wf.submitTaskForm((await holder(second.id)).task.id, { ...leave('2026-12-08'), approved: true }, 'lisi', 'zh-CN');
    const late = await wf.withdraw(second.id, null, 'zhangsan').catch((err) => err.code);
    expect(late).to.equal('WF_ERR_ALREADY_HANDLED');
  });
});
