/**
 * Scenarios before deploy: a draft run in a sandbox on a virtual clock —
 * people approving and rejecting, time passing, expectations on where the
 * case waits, who holds a task, what would have been sent — with nothing
 * written to the live tables; scenarios saved in the flow run again on
 * deploy, a failing one refusing it unless overridden with a reason.
 */
import { expect } from 'chai';
import { compileTree } from '../../definitions/approval/compile.ts';
import type { ApprovalTree } from '../../definitions/approval/tree.ts';
import type { Scenario } from '../../definitions/bpmn/scenarios.ts';
import { count } from '../support/databases.ts';
import { deployDemoForms } from '../support/forms.ts';
import { describeOnBothStores } from '../support/harness.ts';
import { seedDemoOrg } from '../support/org.ts';

const tree: ApprovalTree = {
  key: 'purchase',
  name: '采购申请',
  form: 'expense-claim',
  initiator: {},
  first: {
    type: 'approver',
    id: 'manager',
    name: '部门经理审批',
    assignees: 'department-head',
    dueDate: 'P2D',
    next: {
      type: 'condition',
      id: 'amountCheck',
      name: '金额',
      branches: [
        {
          id: 'large',
          name: '大额',
          when: [{ field: 'amount', op: '>', value: 5000 }],
          child: { type: 'approver', id: 'director', name: '总监审批', assignees: 'post:dept-head@finance', next: null },
        },
        { id: 'other', name: '其他', when: null, child: null },
      ],
      next: { type: 'cc', id: 'copyHr', name: '抄送人事', to: 'user:sunqi', next: null },
    },
  },
};
const expense = (amount: number) => ({ title: '出差北京', items: [{ date: '2026-12-01', category: 'travel', amount }] });

const large: Scenario = {
  name: '大额报销走总监',
  start: { by: 'zhangsan', data: expense(6000) },
  steps: [
    { expect: 'at', activity: 'manager' },
    { expect: 'assignee', task: 'manager', user: 'lisi' },
    { do: 'wait', duration: 'P1D' },
    { do: 'approve', task: 'manager', comment: '同意' },
    { expect: 'assignee', task: 'director', user: 'zhaoliu' },
    { do: 'approve', task: 'director' },
    { expect: 'state', state: 'completed' },
    { expect: 'notice', user: 'sunqi', contains: '抄送' },
  ],
};

/** The flow with scenarios saved in its process, as the designer saves them. */
function withScenarios(xml: string, scenarios: Scenario[]): string {
  const saved = scenarios.map((s) => `<wf:scenario name="${s.name}"><![CDATA[${JSON.stringify({ start: s.start, steps: s.steps })}]]></wf:scenario>`).join('');
  return xml.replace(/(<process [^>]*>)/, `$1<extensionElements>${saved}</extensionElements>`);
}

describeOnBothStores(
  'scenarios before deploy',
  (ctx) => {
    beforeEach(async () => {
      const { wf, org } = ctx();
      await seedDemoOrg(org);
      await deployDemoForms(wf, 'expense-claim');
    });

    it('runs a draft on a virtual clock: the path, who got each task and why, the copy — and writes nothing live', async () => {
      const { wf, db } = ctx();
      const run = await wf.simulate(compileTree(tree), [large], 'analyst');
      expect(run.problems).to.deep.equal([]);
      const [result] = run.results;
      expect(result!.steps.filter((s) => !s.ok).map((s) => s.message)).to.deep.equal([]);
      expect(result!.passed).to.equal(true);
      expect(result!.path).to.include.members(['start', 'manager', 'amountCheck', 'director', 'copyHr', 'end']);
      const manager = result!.tasks.find((t) => t.activityId === 'manager')!;
      expect(manager).to.include({ assignee: 'lisi', rule: 'department-head' });
      expect(manager.dueAt! - manager.createdAt, 'due two days after it was created').to.equal(2 * 24 * 3600_000);
      expect(result!.steps[3]!.at - result!.steps[1]!.at, 'the day waited passed on the virtual clock').to.equal(24 * 3600_000);
      expect(result!.notices.some((n) => n.userId === 'sunqi' && n.kind === 'cc')).to.equal(true);
      expect(await count(db, 'wf_definitions'), 'nothing deployed live').to.equal(0);
      expect(await count(db, 'wf_instances')).to.equal(0);
    });

    it('says which step failed and why, and goes on checking after a failed expectation', async () => {
      const { wf } = ctx();
      const wrong: Scenario = {
        ...large,
        name: '写错了',
        steps: [
          { expect: 'assignee', task: 'manager', user: 'wangwu' },
          { do: 'reject', task: 'manager' },
          { expect: 'state', state: 'running' },
          { do: 'approve', task: 'director' },
          { expect: 'at', activity: 'end' },
        ],
      };
      const [result] = (await wf.simulate(compileTree(tree), [wrong], 'analyst')).results;
      expect(result!.passed).to.equal(false);
      expect(result!.steps.map((s) => s.ok)).to.deep.equal([false, true, false, false]);
      expect(result!.steps[0]!.message!['zh-CN']).to.equal('“manager”交给了 lisi，不是 wangwu');
      expect(result!.steps[3]!.message!.en).to.match(/no open task at "director"/);
      const malformed = await wf.simulate(compileTree(tree), [{ name: 'x', steps: [{ do: 'fly' }] }], 'analyst');
      expect(malformed.problems[0]!.message.en).to.equal('step 1 has no valid do/expect');
    });

    it('runs the saved scenarios on deploy: a failing one refuses it, unless overridden with a reason', async () => {
      const { wf } = ctx();
      const failing: Scenario = {
        ...large,
        name: '总监是王五',
        steps: [
          { do: 'approve', task: 'manager' },
          { expect: 'assignee', task: 'director', user: 'wangwu' },
        ],
      };
      const xml = withScenarios(compileTree(tree), [large, failing]);
      const refused = await wf.deploy(xml, 'analyst').catch((err) => err);
      expect(refused.code).to.equal('WF_ERR_SCENARIOS_FAILED');
      expect(refused.localizedMessage('zh-CN')).to.include('场景“总监是王五”第 2 步：“director”交给了 zhaoliu，不是 wangwu');
      expect((await wf.listDefinitions({}, { offset: 0, limit: 10 })).total).to.equal(0);
      const deployed = await wf.deploy(xml, 'analyst', { scenarioOverride: '王五下月起任总监，先上线' });
      expect(deployed[0]!.created).to.equal(true);
      expect((await wf.deploy(withScenarios(compileTree(tree), [large]), 'analyst'))[0]!.version).to.equal(2);
    });

    it('the linter refuses a saved scenario that is not one', async () => {
      const { wf } = ctx();
      const broken = compileTree(tree).replace(/(<process [^>]*>)/, '$1<extensionElements><wf:scenario name="坏">{not json</wf:scenario></extensionElements>');
      const { errors } = await wf.lint(broken);
      expect(errors.map((e) => [e.rule, e.elementId])).to.deep.equal([['bad-scenario', 'purchase']]);
    });
  },
  { scenarios: true },
);
