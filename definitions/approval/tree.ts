/**
 * An approval flow as an analyst of DingTalk or Feishu draws it: the
 * initiator, then a chain of nodes — approvers, copies (抄送), condition
 * branches with an "otherwise", parallel branches — each with the node that
 * follows it. Compiled to BPMN with a diagram (compile.ts) and read back from
 * BPMN of that shape (read.ts).
 */
import type { Scenario } from '../bpmn/scenarios.ts';

export type TreeNode = ApproverNode | CcNode | ConditionNode | ParallelNode;

interface NodeBase {
  /** The BPMN element id it becomes: a letter, then letters, digits, _ or -. */
  id: string;
  name: string;
  next: TreeNode | null;
}

export interface FieldAccessLists {
  editable?: string[];
  readonly?: string[];
  hidden?: string[];
}

export interface ApproverNode extends NodeBase, FieldAccessLists {
  type: 'approver';
  /** Assignee rules (wf:assignees), e.g. `department-head` or `post:finance@finance`. */
  assignees: string;
  assignMode?: 'auto' | 'candidates' | 'assign';
  /** or | all | sequential | a share such as 60% (wf:sign). */
  sign?: string;
  /** What happens when the rules find nobody (wf:fallback). */
  fallback?: 'incident' | 'admin' | 'skip';
  /** ISO 8601 duration from the task's creation (camunda:dueDate). */
  dueDate?: string;
  /** False: a handling node (办理) that cannot end the flow by rejecting; default true. */
  rejectable?: boolean;
}

export interface CcNode extends NodeBase {
  type: 'cc';
  /** Assignee rules naming who gets a read-only copy. */
  to: string;
}

export const OPERATORS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type Operator = (typeof OPERATORS)[number];

export interface FieldRule {
  field: string;
  op: Operator;
  value: string | number | boolean;
}

export interface ConditionBranch {
  id: string;
  name: string;
  /** Every rule holds; null: the "otherwise" branch (the last one). */
  when: FieldRule[] | null;
  child: TreeNode | null;
}

export interface ConditionNode extends NodeBase {
  type: 'condition';
  branches: ConditionBranch[];
}

export interface ParallelNode extends NodeBase {
  type: 'parallel';
  branches: Array<{ id: string; name: string; child: TreeNode | null }>;
}

export interface ApprovalTree {
  /** The process key. */
  key: string;
  name: string;
  /** The form every node shows (its latest version), or null. */
  form: string | null;
  /** Who may start it (wf:starters); absent: every member of staff. */
  starters?: string;
  /** What the initiator may not see or change on the start form. */
  initiator: FieldAccessLists;
  /** The flow's saved scenarios (run on every deploy), kept as they are. */
  scenarios?: Scenario[];
  first: TreeNode | null;
}

export interface TreeProblem {
  /** The node or branch at fault, absent for the tree itself. */
  nodeId?: string;
  field: string;
  message: { 'zh-CN': string; en: string };
}

const ID = /^[A-Za-z][\w-]{0,63}$/;
const FIELD = /^[A-Za-z_][\w]{0,63}$/;

/** Every node and branch of a tree, depth first. */
export function* nodesOf(node: TreeNode | null): Generator<TreeNode> {
  for (let n = node; n; n = n.next) {
    yield n;
    if (n.type === 'condition' || n.type === 'parallel') for (const b of n.branches) yield* nodesOf(b.child);
  }
}

/**
 * What is wrong with a tree before it is compiled: ids, rules written, one
 * "otherwise" last in every condition, conditions on the form's fields
 * (`fields`: null when there is no form to check against).
 */
export function treeProblems(tree: ApprovalTree, fields: readonly string[] | null, ruleProblem: (text: string) => { 'zh-CN': string; en: string } | null): TreeProblem[] {
  const problems: TreeProblem[] = [];
  const add = (nodeId: string | undefined, field: string, zh: string, en: string) => problems.push({ ...(nodeId && { nodeId }), field, message: { 'zh-CN': zh, en } });
  if (!ID.test(tree.key)) add(undefined, 'key', '流程标识须以字母开头，只含字母、数字、_ 或 -', 'the process key must start with a letter and hold only letters, digits, _ or -');
  if (!tree.name.trim()) add(undefined, 'name', '请填写流程名称', 'the flow needs a name');
  const seen = new Set<string>(['start', 'end']);
  const claim = (id: string, where: string) => {
    if (!ID.test(id)) add(where, 'id', `节点标识“${id}”须以字母开头，只含字母、数字、_ 或 -`, `node id "${id}" must start with a letter and hold only letters, digits, _ or -`);
    else if (seen.has(id)) add(where, 'id', `节点标识“${id}”重复`, `node id "${id}" is used twice`);
    seen.add(id);
  };
  const checkFields = (nodeId: string, access: FieldAccessLists) => {
    if (!fields) return;
    for (const list of ['editable', 'readonly', 'hidden'] as const)
      for (const f of access[list] ?? []) if (f !== '*' && !fields.includes(f)) add(nodeId, list, `表单中没有字段“${f}”`, `the form has no field "${f}"`);
  };
  checkFields('start', tree.initiator);
  for (const node of nodesOf(tree.first)) {
    claim(node.id, node.id);
    if (!node.name.trim()) add(node.id, 'name', '请填写节点名称', 'the node needs a name');
    if (node.type === 'approver' || node.type === 'cc') {
      const rules = node.type === 'approver' ? node.assignees : node.to;
      const field = node.type === 'approver' ? 'assignees' : 'to';
      if (!rules.trim()) add(node.id, field, node.type === 'approver' ? '请设置审批人' : '请设置抄送人', node.type === 'approver' ? 'choose the approvers' : 'choose who gets the copy');
      else if (!rules.includes('${')) {
        const problem = ruleProblem(rules);
        if (problem) add(node.id, field, problem['zh-CN'], problem.en);
      }
    }
    if (node.type === 'approver') {
      checkFields(node.id, node);
      if (node.sign && !/^(or|all|sequential|([1-9]\d?|100)%)$/.test(node.sign))
        add(node.id, 'sign', '会签方式须为 or、all、sequential 或百分比（如 60%）', 'the sign mode is or, all, sequential or a share such as 60%');
      if (node.dueDate && !/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?)?$/.test(node.dueDate))
        add(node.id, 'dueDate', '期限须为 ISO 8601 时长，如 P2D 或 PT4H', 'the due date is an ISO 8601 duration such as P2D or PT4H');
    }
    if (node.type === 'condition' || node.type === 'parallel') {
      if (node.branches.length < 2) add(node.id, 'branches', '至少需要两个分支', 'at least two branches are needed');
      for (const b of node.branches) claim(b.id, b.id);
    }
    if (node.type === 'condition') {
      node.branches.forEach((b, i) => {
        const last = i === node.branches.length - 1;
        if (last && b.when !== null) add(b.id, 'when', '最后一个分支须为“其他情况”', 'the last branch must be "otherwise"');
        if (!last && (b.when === null || !b.when.length)) add(b.id, 'when', '除“其他情况”外，每个分支都要有条件', 'every branch but "otherwise" needs a condition');
        for (const r of b.when ?? []) {
          if (!FIELD.test(r.field)) add(b.id, 'when', `条件字段“${r.field}”不是字段名`, `"${r.field}" is not a field name`);
          else if (fields && !fields.includes(r.field)) add(b.id, 'when', `表单中没有字段“${r.field}”`, `the form has no field "${r.field}"`);
          if (!OPERATORS.includes(r.op)) add(b.id, 'when', `不认识的比较“${r.op}”`, `unknown comparison "${r.op}"`);
        }
      });
    }
  }
  return problems;
}

/** A branch's rules as a condition expression: `${amount > 5000 && type == 'travel'}`. */
export function conditionOf(rules: FieldRule[]): string {
  const literal = (v: FieldRule['value']) => (typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : String(v));
  return `\${${rules.map((r) => `${r.field} ${r.op} ${literal(r.value)}`).join(' && ')}}`;
}
