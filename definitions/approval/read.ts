/**
 * A BPMN process back as an approval tree, when it has a tree's shape: one
 * start, approvers (a user task, optionally followed by a gateway that ends
 * the case unless `${approved}`), copies, exclusive or parallel splits whose
 * branches meet again, and one end. Anything else is named as the reason the
 * tree view cannot show it. Settings the tree has no place for are listed
 * (`dropped`), so that the designer can say what saving from the tree loses.
 */
import { readBpmn, type ModdleElement } from '../bpmn/moddle.ts';
import { scenariosOf } from '../bpmn/scenarios.ts';
import { APPROVED, CC_HANDLER } from './compile.ts';
import { OPERATORS, type ApprovalTree, type ConditionBranch, type FieldAccessLists, type FieldRule, type Operator, type TreeNode } from './tree.ts';

type Text = { 'zh-CN': string; en: string };
export type ReadResult = { tree: ApprovalTree; dropped: string[] } | { reason: Text; elementId?: string };

type El = ModdleElement & Record<string, unknown>;

class NotATree extends Error {
  constructor(
    readonly reason: Text,
    readonly elementId?: string,
  ) {
    super(reason.en);
  }
}

const STRUCTURE = new Set(['$type', '$parent', '$attrs', 'id', 'name', 'incoming', 'outgoing', 'di', 'lanes']);
const KEPT: Record<string, Set<string>> = {
  'bpmn:Process': new Set(['isExecutable', 'flowElements', 'starters', 'extensionElements']),
  'bpmn:StartEvent': new Set(['formRef', 'initiator', 'editable', 'readonly', 'hidden']),
  'bpmn:UserTask': new Set(['assignees', 'assignMode', 'sign', 'fallback', 'dueDate', 'formRef', 'editable', 'readonly', 'hidden']),
  'bpmn:ServiceTask': new Set(['type', 'topic', 'extensionElements']),
  'bpmn:ExclusiveGateway': new Set(['default']),
  'bpmn:ParallelGateway': new Set([]),
  'bpmn:EndEvent': new Set(['eventDefinitions']),
  'bpmn:SequenceFlow': new Set(['sourceRef', 'targetRef', 'conditionExpression']),
};

const say = (zh: string, en: string): Text => ({ 'zh-CN': zh, en });
const list = (v: unknown) =>
  typeof v === 'string' && v.trim()
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
function access(el: El): FieldAccessLists {
  const out: FieldAccessLists = {};
  for (const key of ['editable', 'readonly', 'hidden'] as const) {
    const v = list(el[key]);
    if (v) out[key] = v;
  }
  return out;
}

/** `${amount > 5000 && type == 'travel'}` as rules; null when the text is not of that form. */
export function rulesOf(condition: string): FieldRule[] | null {
  const m = /^\$\{(.*)\}$/s.exec(condition.trim());
  if (!m) return null;
  const rules: FieldRule[] = [];
  for (const part of m[1]!.split('&&')) {
    const r = /^\s*([A-Za-z_]\w*)\s*(>=|<=|==|!=|>|<)\s*(.+?)\s*$/.exec(part);
    if (!r || !OPERATORS.includes(r[2] as Operator)) return null;
    const raw = r[3]!;
    let value: FieldRule['value'];
    if (/^-?\d+(\.\d+)?$/.test(raw)) value = Number(raw);
    else if (raw === 'true' || raw === 'false') value = raw === 'true';
    else if (/^'(?:[^'\\]|\\.)*'$/.test(raw)) value = raw.slice(1, -1).replace(/\\(.)/g, '$1');
    else return null;
    rules.push({ field: r[1]!, op: r[2] as Operator, value });
  }
  return rules;
}

export async function readTree(xml: string): Promise<ReadResult> {
  const context = await readBpmn(xml);
  const processes = ((context.rootElement.rootElements as El[] | undefined) ?? []).filter((e) => e.$type === 'bpmn:Process');
  if (processes.length !== 1) return { reason: say('审批流视图只显示只有一个流程的文件', 'the tree view shows files with exactly one process') };
  try {
    return new Reader(processes[0] as El).read();
  } catch (err) {
    if (err instanceof NotATree) return { reason: err.reason, ...(err.elementId && { elementId: err.elementId }) };
    throw err;
  }
}

class Reader {
  readonly dropped: string[] = [];
  readonly elements: El[];
  readonly outgoing = new Map<string, El[]>();
  readonly incoming = new Map<string, number>();
  form: string | null | undefined;
  /** Where branches met, once their split is read: from there on the chain goes on. */
  readonly met = new Set<string>();

  constructor(readonly process: El) {
    this.elements = (process.flowElements as El[] | undefined) ?? [];
    for (const f of this.elements.filter((e) => e.$type === 'bpmn:SequenceFlow')) {
      const source = (f.sourceRef as El).id!;
      const target = (f.targetRef as El).id!;
      this.outgoing.set(source, [...(this.outgoing.get(source) ?? []), f]);
      this.incoming.set(target, (this.incoming.get(target) ?? 0) + 1);
    }
  }

  read(): { tree: ApprovalTree; dropped: string[] } {
    for (const el of this.elements) {
      if (!KEPT[el.$type])
        throw new NotATree(say(`“${el.name ?? el.id}”（${el.$type.slice(5)}）不是审批流的节点`, `"${el.name ?? el.id}" (${el.$type.slice(5)}) is not a node of an approval tree`), el.id);
      this.keep(el);
    }
    this.keep(this.process);
    const starts = this.elements.filter((e) => e.$type === 'bpmn:StartEvent');
    if (starts.length !== 1) throw new NotATree(say('审批流只有一个开始', 'an approval tree has one start'));
    const start = starts[0]!;
    if (start.initiator && start.initiator !== 'initiator') this.dropped.push(`${start.id}: camunda:initiator="${String(start.initiator)}"`);
    this.useForm(start);
    const { first, stop } = this.chain(this.only(start));
    const { scenarios } = scenariosOf(this.process);
    const others = ((this.process.extensionElements as El | undefined)?.values as El[] | undefined)?.filter((v) => v.$type !== 'wf:Scenario') ?? [];
    for (const v of others) this.dropped.push(`${this.process.id}: ${v.$type}`);
    if (stop !== null) throw new NotATree(say(`“${this.nameOf(stop)}”处的分支没有对应的分叉`, `the branches meeting at "${this.nameOf(stop)}" have no split`), stop);
    return {
      tree: {
        key: this.process.id!,
        name: this.process.name ?? this.process.id!,
        form: this.form ?? null,
        ...(typeof this.process.starters === 'string' && { starters: this.process.starters }),
        initiator: access(start),
        ...(scenarios.length && { scenarios }),
        first,
      },
      dropped: this.dropped,
    };
  }

  /** Settings the tree cannot hold are listed as dropped. */
  keep(el: El): void {
    const kept = KEPT[el.$type]!;
    for (const [key, value] of Object.entries(el)) {
      if (STRUCTURE.has(key) || kept.has(key) || value === undefined || (Array.isArray(value) && !value.length)) continue;
      this.dropped.push(`${el.id}: ${key}`);
    }
    for (const attr of Object.keys(el.$attrs ?? {})) if (!attr.startsWith('xmlns')) this.dropped.push(`${el.id}: ${attr}`);
  }

  useForm(el: El): void {
    const form = typeof el.formRef === 'string' ? el.formRef : null;
    if (this.form === undefined) this.form = form;
    else if (this.form !== form)
      throw new NotATree(say(`审批流的各节点使用同一个表单，“${this.nameOf(el.id!)}”用了另一个`, `the nodes of an approval tree share one form; "${this.nameOf(el.id!)}" uses another`), el.id);
  }

  nameOf(id: string): string {
    const el = this.elements.find((e) => e.id === id);
    return (el?.name as string | undefined) || id;
  }

  only(el: El): El {
    const out = this.outgoing.get(el.id!) ?? [];
    if (out.length !== 1) throw new NotATree(say(`“${this.nameOf(el.id!)}”须只有一条出线`, `"${this.nameOf(el.id!)}" must have exactly one outgoing flow`), el.id);
    return out[0]!;
  }

  /**
   * The nodes from a flow on, until the end (stop null) or a place where
   * branches meet (stop: its id) — a gateway, or a node with several incoming flows.
   */
  chain(flow: El): { first: TreeNode | null; stop: string | null } {
    const nodes: TreeNode[] = [];
    for (let el: El | null = flow.targetRef as El; el; el = this.node(el, nodes)) {
      if ((this.incoming.get(el.id!) ?? 0) > 1 && !this.met.has(el.id!)) return { first: link(nodes), stop: el.id! };
    }
    return { first: link(nodes), stop: null };
  }

  /** Reads the node at `el` into `nodes`; returns the element after it, or null at the end. */
  node(el: El, nodes: TreeNode[]): El | null {
    const id = el.id!;
    const name = (el.name as string | undefined) ?? '';
    switch (el.$type) {
      case 'bpmn:EndEvent':
        if (((el.eventDefinitions as El[] | undefined) ?? []).length)
          throw new NotATree(say(`结束“${name || id}”带有事件定义，审批流的结束是普通结束`, `the end "${name || id}" has an event definition; an approval tree ends plainly`), id);
        return null;
      case 'bpmn:UserTask': {
        this.useForm(el);
        if (typeof el.assignees !== 'string')
          throw new NotATree(say(`审批节点“${name || id}”没有用处理人规则（wf:assignees）指定审批人`, `approver "${name || id}" names no assignee rule (wf:assignees)`), id);
        const node: TreeNode = { type: 'approver', id, name, assignees: el.assignees, next: null, ...access(el) };
        for (const key of ['assignMode', 'sign', 'fallback', 'dueDate'] as const) if (typeof el[key] === 'string') Object.assign(node, { [key]: el[key] });
        nodes.push(node);
        const out = this.only(el);
        const decision = out.targetRef as El;
        const decided = this.decision(decision);
        if (decided && (this.incoming.get(decision.id!) ?? 0) === 1) return decided.targetRef as El;
        node.rejectable = false;
        return decision;
      }
      case 'bpmn:ServiceTask': {
        if (el.topic !== CC_HANDLER) throw new NotATree(say(`服务任务“${name || id}”不是抄送`, `service task "${name || id}" is not a copy`), id);
        const params = ((el.extensionElements as El | undefined)?.values as El[] | undefined)?.flatMap((v) => (v.inputParameters as El[] | undefined) ?? []) ?? [];
        const to = params.find((p) => p.name === 'to');
        nodes.push({ type: 'cc', id, name, to: typeof to?.value === 'string' ? to.value : '', next: null });
        return this.only(el).targetRef as El;
      }
      case 'bpmn:ExclusiveGateway':
      case 'bpmn:ParallelGateway': {
        const out = this.outgoing.get(id) ?? [];
        if (out.length < 2) throw new NotATree(say(`网关“${name || id}”没有对应的分叉`, `gateway "${name || id}" joins branches that were never split`), id);
        return this.split(el, out, nodes);
      }
      default:
        throw new NotATree(say(`“${name || id}”不是审批流的节点`, `"${name || id}" is not a node of an approval tree`), id);
    }
  }

  /** The approve/reject gateway after an approver: its default ends the case, the other flow is `${approved}`. */
  decision(gateway: El): El | null {
    if (gateway.$type !== 'bpmn:ExclusiveGateway') return null;
    const out = this.outgoing.get(gateway.id!) ?? [];
    const fallback = gateway.default as El | undefined;
    const approved = out.find((f) => f !== fallback);
    if (out.length !== 2 || !fallback || (fallback.targetRef as El).$type !== 'bpmn:EndEvent' || !approved) return null;
    if (((approved.conditionExpression as El | undefined)?.body as string | undefined)?.replace(/\s/g, '') !== APPROVED) return null;
    return approved;
  }

  split(gateway: El, out: El[], nodes: TreeNode[]): El | null {
    const id = gateway.id!;
    const name = (gateway.name as string | undefined) ?? '';
    const exclusive = gateway.$type === 'bpmn:ExclusiveGateway';
    const ordered = exclusive ? [...out.filter((f) => f !== gateway.default), ...out.filter((f) => f === gateway.default)] : out;
    let stop: string | null | undefined;
    const branches = ordered.map((flow) => {
      const walked = this.chain(flow);
      if (stop !== undefined && walked.stop !== stop) throw new NotATree(say(`“${name || id}”的分支没有汇合到同一处`, `the branches of "${name || id}" do not meet at one place`), id);
      stop = walked.stop;
      const branchId = flow.id!.startsWith(`${id}_`) ? flow.id!.slice(id.length + 1) : flow.id!;
      const branchName = (flow.name as string | undefined) ?? '';
      if (!exclusive) return { id: branchId, name: branchName, child: walked.first };
      let when: FieldRule[] | null = null;
      if (flow !== gateway.default) {
        const body = (flow.conditionExpression as El | undefined)?.body;
        when = typeof body === 'string' ? rulesOf(body) : null;
        if (!when) throw new NotATree(say(`“${name || id}”的分支条件不是“字段 比较 值”的形式`, `a branch condition of "${name || id}" is not "field comparison value"`), flow.id);
      }
      return { id: branchId, name: branchName, when, child: walked.first } satisfies ConditionBranch;
    });
    if (exclusive && !gateway.default) throw new NotATree(say(`条件“${name || id}”没有“其他情况”（默认）分支`, `condition "${name || id}" has no "otherwise" (default) branch`), id);
    if (stop === undefined || stop === null) throw new NotATree(say(`“${name || id}”的分支没有汇合`, `the branches of "${name || id}" do not meet again`), id);
    nodes.push(exclusive ? { type: 'condition', id, name, branches: branches as ConditionBranch[], next: null } : { type: 'parallel', id, name, branches, next: null });
    const join = this.elements.find((e) => e.id === stop)!;
    this.met.add(join.id!);
    // A join gateway is part of the split; a node where the branches meet is the next node.
    if (join.$type === gateway.$type && (this.outgoing.get(join.id!) ?? []).length === 1) return this.only(join).targetRef as El;
    return join;
  }
}

function link(nodes: TreeNode[]): TreeNode | null {
  for (let i = 0; i < nodes.length - 1; i++) nodes[i]!.next = nodes[i + 1]!;
  return nodes[0] ?? null;
}
