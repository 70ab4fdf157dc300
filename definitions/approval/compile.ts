/**
 * An approval tree as BPMN with its diagram, the same for the same tree:
 * an approver is a user task followed by a gateway whose default ends the
 * case as rejected (a terminate end, so that parallel branches stop too); a
 * copy is a service task of the `case.copy` handler; a condition is an
 * exclusive split with the "otherwise" branch as its default and a join; a
 * parallel node is a parallel split and join.
 */
import { escapeXml as escape, writeBpmn, type WrittenElement as Element, type WrittenFlow as Flow } from '../bpmn/write.ts';
import { conditionOf, type ApprovalTree, type FieldAccessLists, type TreeNode } from './tree.ts';

/** Where the chain so far ends, the condition the flow leaving it needs, and that flow's id when it is a branch's. */
interface Exit {
  id: string;
  condition: string | null;
  flowId?: string;
  flowName?: string;
}

export const CC_HANDLER = 'case.copy';
export const REJECTED_END = '已驳回';
export const APPROVED = '${approved}';

const list = (values: string[] | undefined) => (values?.length ? values.join(',') : null);

function accessAttrs(access: FieldAccessLists): Array<[string, string]> {
  const attrs: Array<[string, string]> = [];
  for (const key of ['editable', 'readonly', 'hidden'] as const) {
    const value = list(access[key]);
    if (value) attrs.push([`wf:${key}`, value]);
  }
  return attrs;
}

export function compileTree(tree: ApprovalTree): string {
  const elements: Element[] = [];
  const flows: Flow[] = [];
  const formAttrs: Array<[string, string]> = tree.form ? [['camunda:formRef', tree.form]] : [];
  const add = (e: Element) => elements.push(e);
  const connect = (from: Exit, target: string) =>
    flows.push({ id: from.flowId ?? `${from.id}_to_${target}`, source: from.id, target, condition: from.condition, ...(from.flowName && { name: from.flowName }) });

  add({ id: 'start', kind: 'event', tag: 'startEvent', name: '发起', attrs: [['camunda:initiator', 'initiator'], ...formAttrs, ...accessAttrs(tree.initiator)], body: '' });

  /** Lay out a chain from `from`; returns where it ends. */
  const chain = (first: TreeNode | null, from: Exit): Exit => {
    let at = from;
    for (let node = first; node; node = node.next) at = emit(node, at);
    return at;
  };

  const emit = (node: TreeNode, from: Exit): Exit => {
    switch (node.type) {
      case 'approver': {
        const attrs: Array<[string, string]> = [['wf:assignees', node.assignees]];
        if (node.assignMode && node.assignMode !== 'auto') attrs.push(['wf:assignMode', node.assignMode]);
        if (node.sign && node.sign !== 'or') attrs.push(['wf:sign', node.sign]);
        if (node.fallback && node.fallback !== 'incident') attrs.push(['wf:fallback', node.fallback]);
        if (node.dueDate) attrs.push(['camunda:dueDate', node.dueDate]);
        attrs.push(...formAttrs, ...accessAttrs(node));
        add({ id: node.id, kind: 'task', tag: 'userTask', name: node.name, attrs, body: '' });
        connect(from, node.id);
        if (node.rejectable === false) return { id: node.id, condition: null };
        const decision = `${node.id}_decision`;
        const rejected = `${node.id}_rejected`;
        add({ id: decision, kind: 'gateway', tag: 'exclusiveGateway', name: `${node.name}是否同意`, attrs: [['default', `${decision}_to_${rejected}`]], body: '' });
        connect({ id: node.id, condition: null }, decision);
        add({ id: rejected, kind: 'event', tag: 'endEvent', name: REJECTED_END, attrs: [], body: '<terminateEventDefinition />' });
        connect({ id: decision, condition: null }, rejected);
        return { id: decision, condition: APPROVED };
      }
      case 'cc': {
        const body = `<extensionElements><camunda:inputOutput><camunda:inputParameter name="to">${escape(node.to)}</camunda:inputParameter></camunda:inputOutput></extensionElements>`;
        add({
          id: node.id,
          kind: 'task',
          tag: 'serviceTask',
          name: node.name,
          attrs: [
            ['camunda:type', 'external'],
            ['camunda:topic', CC_HANDLER],
          ],
          body,
        });
        connect(from, node.id);
        return { id: node.id, condition: null };
      }
      case 'condition':
      case 'parallel': {
        const tag = node.type === 'condition' ? 'exclusiveGateway' : 'parallelGateway';
        const join = `${node.id}_join`;
        const split: Element = { id: node.id, kind: 'gateway', tag, name: node.name, attrs: [], body: '' };
        add(split);
        connect(from, node.id);
        // A branch's first flow is named after the branch, so that it reads back by it.
        const ends = node.branches.map((b) => {
          const when = 'when' in b ? b.when : null;
          if (node.type === 'condition' && !when) split.attrs.push(['default', `${node.id}_${b.id}`]);
          return chain(b.child, { id: node.id, condition: when ? conditionOf(when) : null, flowId: `${node.id}_${b.id}`, flowName: b.name });
        });
        add({ id: join, kind: 'gateway', tag, name: null, attrs: [], body: '' });
        for (const end of ends) connect(end, join);
        return { id: join, condition: null };
      }
    }
  };

  const last = chain(tree.first, { id: 'start', condition: null });
  add({ id: 'end', kind: 'event', tag: 'endEvent', name: '通过', attrs: [], body: '' });
  connect(last, 'end');
  return serialize(tree, elements, flows);
}

function serialize(tree: ApprovalTree, elements: Element[], flows: Flow[]): string {
  const starters = tree.starters ? ` wf:starters="${escape(tree.starters)}"` : '';
  const scenarios = tree.scenarios?.length
    ? [
        '    <extensionElements>',
        ...tree.scenarios.map(({ name, ...body }) => `      <wf:scenario name="${escape(name)}"><![CDATA[${JSON.stringify(body).replace(/]]>/g, ']]]]><![CDATA[>')}]]></wf:scenario>`),
        '    </extensionElements>',
      ]
    : [];
  return writeBpmn({
    id: `${tree.key}-definitions`,
    namespace: 'http://workflow.dev/approval',
    processKey: tree.key,
    head: [],
    open: `  <process id="${tree.key}" name="${escape(tree.name)}" isExecutable="true"${starters}>`,
    inside: scenarios,
    elements,
    flows,
  });
}
