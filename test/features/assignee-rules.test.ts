/**
 * Assignee rules (wf:assignees) resolved against the demo organisation when a
 * task is created and recorded on it: named users, roles, posts (found in the
 * initiator's department or above), departments, the initiator, their head,
 * their leader N levels up, a variable the initiator filled, templates over
 * case data (the handling office), candidates versus direct assignment, and
 * the fallbacks when nobody is found.
 */
import { expect } from 'chai';
import { SYSTEM_ACTOR } from '../../engine/core/org/actor.ts';
import { describeOnBothStores } from '../support/harness.ts';
import { seedDemoOrg } from '../support/org.ts';

const flow = (key: string, attributes: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:wf="http://workflow.dev/schema/bpmn/1.0" id="d-${key}" targetNamespace="t">
  <process id="${key}" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <userTask id="approve" name="审批" ${attributes} />
    <sequenceFlow id="f2" sourceRef="approve" targetRef="after" />
    <userTask id="after" name="后续" wf:assignees="initiator" />
    <sequenceFlow id="f3" sourceRef="after" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;

describeOnBothStores('assignee rules', (ctx) => {
  let n = 0;
  /** Deploy a one-task flow with `attributes`, start it as `initiator`, and return its first task. */
  async function taskFor(attributes: string, initiator: string, variables: Record<string, unknown> = {}) {
    const { wf } = ctx();
    const key = `rules-${++n}`;
    await wf.deploy(flow(key, attributes), 'analyst');
    const instance = await wf.start({ processKey: key, variables }, initiator);
    const tasks = (await wf.listTasks({ instanceId: instance.id, state: 'active' }, { offset: 0, limit: 10 })).items;
    return { instance, task: tasks[0]!, tasks };
  }

  beforeEach(async () => {
    await seedDemoOrg(ctx().org, [{ id: 'gone', name: '离职者', status: 'disabled', posts: [{ departmentId: 'finance', post: 'finance' }] }]);
  });

  it('resolves each kind of rule for the initiator, recording the rule and who it found on the task', async () => {
    const cases: Array<[string, string, { assignee?: string; candidates?: string[] }, Record<string, unknown>?]> = [
      ['user:qianqi', 'zhangsan', { assignee: 'qianqi' }],
      ['user:qianqi,zhaoliu', 'zhangsan', { candidates: ['qianqi', 'zhaoliu'] }],
      ['role:supervisor', 'zhangsan', { candidates: ['chenjun', 'wangwu', 'wujiu'] }],
      ['post:dept-head', 'zhoubo', { assignee: 'zhengshi' }], // the post in the initiator's own department
      ['post:deputy-director', 'zhangsan', { assignee: 'wangwu' }], // none in the office: the nearest department above that has one
      ['post:finance@finance', 'zhangsan', { candidates: ['qianqi', 'zhaoliu'] }], // the disabled holder is left out
      ['department:traffic+children', 'zhangsan', { candidates: ['wangwu', 'wujiu', 'zhengshi', 'zhoubo'] }],
      ['department:traffic', 'zhangsan', { candidates: ['wangwu', 'wujiu'] }],
      ['initiator', 'zhoubo', { assignee: 'zhoubo' }],
      ['department-head', 'zhangsan', { assignee: 'lisi' }],
      ['department-head', 'lisi', { assignee: 'chenjun' }], // heads the office themselves: the head above
      ['leader:2', 'zhoubo', { assignee: 'wujiu' }],
      ['leader:3', 'zhoubo', { assignee: 'chenjun' }],
      ['variable:approver', 'zhangsan', { assignee: 'qianqi' }, { approver: 'qianqi' }], // 发起人自选
      ['variable:approvers', 'zhangsan', { candidates: ['lisi', 'zhaoliu'] }, { approvers: ['lisi', 'zhaoliu', 'nobody'] }],
      ['post:dept-head@${office}', 'zhangsan', { assignee: 'wujiu' }, { office: 'traffic' }], // the case's handling office
      ['user:ghost | department-head', 'zhangsan', { assignee: 'lisi' }], // alternatives: the first that finds somebody
    ];
    for (const [rule, initiator, expected, variables] of cases) {
      const { task } = await taskFor(`wf:assignees="${rule}"`, initiator, variables);
      const label = `${rule} for ${initiator}`;
      expect(task.assignee, label).to.equal(expected.assignee ?? null);
      expect([...task.candidateUsers].sort(), label).to.deep.equal(expected.candidates ?? []);
      expect(task.assignment?.users.sort(), label).to.deep.equal((expected.candidates ?? [expected.assignee!]).sort());
    }
  });

  it('makes a single person a candidate rather than the assignee when the node says candidates, and assigns a department to the case', async () => {
    const { task, instance } = await taskFor('wf:assignees="department-head" wf:assignMode="candidates"', 'zhangsan');
    expect(task.assignee).to.equal(null);
    expect(task.candidateUsers).to.deep.equal(['lisi']);
    expect(task.departmentId).to.equal('office');
    expect((await ctx().store.getInstance(instance.id))!.departmentId).to.equal('office');
    const history = (await ctx().wf.history(instance.id, { offset: 0, limit: 50 })).items.find((h) => h.kind === 'task.create');
    expect(history!.data).to.deep.include({ assignment: { rule: 'department-head', users: ['lisi'] } });
  });

  it('when nobody is found: by default waits for an admin with an incident, resolved once an admin assigns the task', async () => {
    const { wf } = ctx();
    const { task, instance } = await taskFor('wf:assignees="post:dept-head@nowhere"', 'zhangsan');
    expect(task.assignee).to.equal(null);
    expect(task.candidateGroups).to.deep.equal(['admin', 'sysadmin']);
    expect(task.assignment).to.deep.equal({ rule: 'post:dept-head@nowhere', users: [], fallback: 'incident' });
    const [incident] = (await wf.listIncidents({ instanceId: instance.id, state: 'open' }, { offset: 0, limit: 10 })).items;
    expect(incident).to.include({ kind: 'task', refId: task.id, state: 'open' });
    expect(incident!.message).to.include('post:dept-head@nowhere');
    await wf.retryIncident(incident!.id, 'admin').then(
      () => expect.fail('a task incident is not retried'),
      (err) => expect(err.code).to.equal('WF_ERR_INCIDENT_NEEDS_ASSIGNEE'),
    );
    await wf.claim(task.id, 'lisi', 'admin');
    expect((await wf.listIncidents({ instanceId: instance.id, state: 'open' }, { offset: 0, limit: 10 })).total).to.equal(0);
    expect((await wf.getTask(task.id)).assignee).to.equal('lisi');
  });

  it('when nobody is found: the admins as candidates, or the task skipped, as the node says', async () => {
    const { wf } = ctx();
    await ctx().org.putUser({ id: 'root', name: '管理员', roles: ['admin'] }, SYSTEM_ACTOR);
    const admin = await taskFor('wf:assignees="role:nobody" wf:fallback="admin"', 'zhangsan');
    expect(admin.task.candidateUsers).to.deep.equal(['admin', 'root']);
    expect(admin.task.assignment?.fallback).to.equal('admin');
    expect((await wf.listIncidents({ instanceId: admin.instance.id }, { offset: 0, limit: 10 })).total).to.equal(0);

    const skipped = await taskFor('wf:assignees="role:nobody" wf:fallback="skip"', 'zhangsan');
    expect(skipped.tasks.map((t) => t.activityId), 'straight on to the next node').to.deep.equal(['after']);
    const history = (await wf.history(skipped.instance.id, { offset: 0, limit: 50 })).items;
    expect(history.find((h) => h.kind === 'task.skip')).to.deep.include({ activityId: 'approve' });
  });

  it('refuses at deploy a rule that is not one, or a mode that does not exist, naming the task', async () => {
    const { wf } = ctx();
    for (const attributes of ['wf:assignees="boss:1"', 'wf:assignees="initiator" wf:fallback="maybe"', 'wf:assignees="leader:0"']) {
      const error = await wf.deploy(flow('bad-rule', attributes), 'analyst').then(
        () => null,
        (err: { code: string; context: { problems: Array<{ elementId?: string; rule: string }> } }) => err,
      );
      expect(error?.code, attributes).to.equal('WF_ERR_BPMN_INVALID');
      expect(error!.context.problems.find((p) => p.elementId === 'approve'), attributes).to.not.equal(undefined);
    }
  });
});
