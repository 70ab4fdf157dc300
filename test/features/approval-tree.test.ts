/**
 * Approval trees (the DingTalk-style view): compiled to BPMN the same way
 * every time and clean under the deploy linter, read back into the same tree,
 * foreign BPMN of a tree's shape read as one and other shapes refused with a
 * reason; and a compiled tree running on the runtime — an amount over 5,000
 * routed to the director, a copy (抄送) delivered once, a rejection ending the
 * case even beside a parallel branch.
 */
import { expect } from 'chai';
import { compileTree } from '../../definitions/approval/compile.ts';
import { readTree } from '../../definitions/approval/read.ts';
import { treeProblems, type ApprovalTree } from '../../definitions/approval/tree.ts';
import { ruleProblem } from '../../engine/core/org/assignee-rules.ts';
import { describeOnBothStores } from '../support/harness.ts';
import { demoBpmn, deployDemoForms } from '../support/forms.ts';
import { seedDemoOrg } from '../support/org.ts';

const expenseTree = (): ApprovalTree => ({
  key: 'expense-tree',
  name: '费用报销（审批流）',
  form: 'expense-claim',
  initiator: { hidden: ['approved', 'comment'] },
  first: {
    type: 'approver',
    id: 'manager',
    name: '部门经理审批',
    assignees: 'department-head',
    editable: ['approved', 'comment'],
    dueDate: 'P2D',
    next: {
      type: 'condition',
      id: 'amountCheck',
      name: '金额',
      branches: [
        {
          id: 'large',
          name: '超过 5000 元',
          when: [{ field: 'amount', op: '>', value: 5000 }],
          child: { type: 'approver', id: 'director', name: '总监审批', assignees: 'post:dept-head@finance', editable: ['approved', 'comment'], next: null },
        },
        { id: 'other', name: '其他情况', when: null, child: null },
      ],
      next: {
        type: 'cc',
        id: 'copyHr',
        name: '抄送人事',
        to: 'user:sunqi',
        next: { type: 'approver', id: 'finance', name: '财务付款', assignees: 'post:finance@finance', assignMode: 'candidates', rejectable: false, readonly: ['*'], next: null },
      },
    },
  },
});

const parallelTree = (): ApprovalTree => ({
  key: 'parallel-tree',
  name: '会办',
  form: null,
  initiator: {},
  first: {
    type: 'parallel',
    id: 'both',
    name: '同时审批',
    branches: [
      { id: 'left', name: '财务', child: { type: 'approver', id: 'financeHead', name: '财务审批', assignees: 'user:zhaoliu', next: null } },
      { id: 'right', name: '人事', child: { type: 'approver', id: 'hrHead', name: '人事审批', assignees: 'user:sunqi', sign: 'all', next: null } },
    ],
    next: null,
  },
});

describe('approval trees as BPMN', () => {
  it('compiles the same tree to the same BPMN, with a diagram, and reads it back as the same tree', async () => {
    const xml = compileTree(expenseTree());
    expect(compileTree(expenseTree())).to.equal(xml);
    expect(xml).to.match(/<bpmndi:BPMNShape id="manager_di"/);
    expect(xml).to.include('<conditionExpression xsi:type="tFormalExpression">${amount &gt; 5000}</conditionExpression>');
    const read = await readTree(xml);
    if (!('tree' in read)) throw new Error(read.reason.en);
    expect(read.dropped).to.deep.equal([]);
    expect(read.tree).to.deep.equal(expenseTree());
    const parallel = await readTree(compileTree(parallelTree()));
    expect('tree' in parallel && parallel.tree).to.deep.equal(parallelTree());
  });

  it('reads the demo expense flow, drawn by hand, as a tree, listing what the tree does not keep', async () => {
    const read = await readTree(demoBpmn('expense'));
    if (!('tree' in read)) throw new Error(read.reason.en);
    const manager = read.tree.first!;
    expect(manager).to.include({ type: 'approver', id: 'managerApproval', assignees: 'department-head', dueDate: 'P2D' });
    const condition = manager.next!;
    expect(condition.type).to.equal('condition');
    if (condition.type !== 'condition') return;
    expect(condition.branches.map((b) => b.when)).to.deep.equal([[{ field: 'amount', op: '>', value: 5000 }], null]);
    expect(condition.next).to.include({ id: 'finance', rejectable: false, assignMode: 'candidates' });
    expect(read.dropped).to.deep.equal(['start: camunda:initiator="applicant"']);
    expect(
      read.tree.scenarios?.map((s) => s.name),
      'its saved scenarios kept',
    ).to.have.length(3);
    expect(compileTree(read.tree)).to.include('<wf:scenario name="经理驳回即结束">');
  });

  it('says why a flow is not a tree, naming the element', async () => {
    const loop = compileTree(expenseTree()).replace('sourceRef="copyHr" targetRef="finance"', 'sourceRef="copyHr" targetRef="manager"');
    const read = await readTree(loop);
    expect(read).to.have.property('elementId', 'manager');
    const timer = await readTree(demoBpmn('road-pass'));
    expect(timer).to.have.property('reason');
  });

  it('finds a tree’s own problems before compiling: ids, rules, the otherwise branch, unknown fields', () => {
    const tree = expenseTree();
    const condition = tree.first!.next!;
    if (condition.type !== 'condition') throw new Error('shape');
    condition.branches.reverse();
    if (tree.first!.type === 'approver') tree.first!.assignees = 'boss:1';
    condition.branches[0]!.when = null;
    condition.branches[1]!.when = [{ field: 'total', op: '>', value: 1 }];
    const problems = treeProblems(tree, ['title', 'amount', 'approved', 'comment'], ruleProblem);
    expect(problems.map((p) => [p.nodeId, p.field])).to.deep.equal([
      ['manager', 'assignees'],
      ['other', 'when'],
      ['large', 'when'],
      ['large', 'when'],
    ]);
    expect(problems[3]!.message['zh-CN']).to.equal('表单中没有字段“total”');
  });
});

describeOnBothStores('approval trees on the runtime', (ctx) => {
  beforeEach(async () => {
    const { wf, org } = ctx();
    await seedDemoOrg(org);
    await deployDemoForms(wf, 'expense-claim');
  });

  const holder = async (instanceId: string) => {
    const [task, ...more] = await ctx().activeTasks(instanceId);
    expect(more, 'one open task').to.have.length(0);
    return { task: task!, to: task!.assignee ?? [...task!.candidateUsers].sort().join(',') };
  };
  const expense = (amount: number) => ({ title: '出差北京', items: [{ date: '2026-12-01', category: 'travel', amount }] });

  it('deploys lint-clean and routes an amount over 5,000 to the director; the copy reaches HR once', async () => {
    const { wf, store, work } = ctx();
    const compiled = await wf.compileApprovalTree(expenseTree());
    expect(compiled.problems).to.deep.equal([]);
    expect([compiled.errors, compiled.warnings]).to.deep.equal([[], []]);
    await wf.deploy(compiled.xml!, 'analyst');

    const large = await wf.submitStartForm('expense-tree', { data: expense(6000) }, 'zhangsan', 'zh-CN');
    let step = await holder(large.id);
    expect([step.task.activityId, step.to]).to.deep.equal(['manager', 'lisi']);
    await wf.complete(step.task.id, { approved: true }, 'lisi');
    step = await holder(large.id);
    expect([step.task.activityId, step.to]).to.deep.equal(['director', 'zhaoliu']);
    await wf.complete(step.task.id, { approved: true }, 'zhaoliu');
    await work();
    step = await holder(large.id);
    expect([step.task.activityId, step.to]).to.deep.equal(['finance', 'qianqi,zhaoliu']);
    const copies = (await store.listNotices('sunqi', {}, { offset: 0, limit: 50 })).items.filter((n) => n.kind === 'cc' && n.instanceId === large.id);
    expect(copies).to.have.length(1);

    const small = await wf.submitStartForm('expense-tree', { data: expense(800) }, 'zhangsan', 'zh-CN');
    await wf.complete((await holder(small.id)).task.id, { approved: true }, 'lisi');
    await work();
    expect((await holder(small.id)).task.activityId).to.equal('finance');
  });

  it('a rejection ends the case, also while a parallel branch still waits', async () => {
    const { wf, instance, start } = ctx();
    const compiled = await wf.compileApprovalTree(parallelTree());
    expect(compiled.errors).to.deep.equal([]);
    await wf.deploy(compiled.xml!, 'analyst');
    const started = await start('parallel-tree');
    const tasks = await ctx().activeTasks(started.id);
    expect(tasks.map((t) => t.activityId).sort()).to.deep.equal(['financeHead', 'hrHead']);
    await wf.complete(tasks.find((t) => t.activityId === 'financeHead')!.id, { approved: false }, 'zhaoliu');
    const ended = await instance(started.id);
    expect(ended.state).to.equal('completed');
    expect(await ctx().activeTasks(started.id)).to.deep.equal([]);
  });
});
