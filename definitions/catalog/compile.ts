/**
 * A service's catalog rows compiled, deterministically, to what the runtime
 * runs: a BPMN 2.0 definition with its diagram, the citizen's application
 * form, the clerk's review form (and the approvers' form), and the bindings
 * of each node (state, SMS, operations, who acts). Same rows, same bytes: a
 * redeploy of unchanged rows makes no new version.
 *
 * How rows become elements:
 * - a normal node of police operations is a user task for the clerks of the
 *   handling office (the post `clerkPost` in the office's department); of
 *   citizen operations, a user task for the applicant; of system operations,
 *   one service task per operation (its connector operation), then, when the
 *   operation says so, a receive task waiting for its message (a payment notice);
 * - an approval node is one user task per approver post, in order; each level
 *   that does not approve leads to `failNext` (or the end 不予批准);
 * - a decision node is an exclusive gateway: its rules in order, `next` as the default;
 * - a node's SMS template is a service task (sms.send to the applicant's
 *   mobile) on the way in; `timeoutDays` a timer on its wait, to `timeoutNext`
 *   (or the end 逾期未处理，自动关闭); an empty next ends the case (已办结).
 */
import type { FormDefinition } from '../../forms/model.ts';
import { applicationForm, approvalForm, reviewForm, formKeys, laterFields, returnedOn } from './forms.ts';
import { parseInputs, type InputValue } from './inputs.ts';
import { escapeXml as escape, writeBpmn, type WrittenElement, type WrittenFlow } from '../bpmn/write.ts';
import { problemsOf, type CatalogProblem } from './validate.ts';
import type { Catalog, Row } from './tables.ts';

export interface NodeBinding {
  seq: number;
  name: string;
  type: string;
  /** The BPMN elements the node became, in flow order. */
  elements: string[];
  state: { code: string; name: string } | null;
  sms: { code: string; text: string } | null;
  operations: Array<{ code: string; name: string; url: string | null; category: string }>;
  /** The user task's assignee rule, or null for system and decision nodes. */
  assignees: string | null;
}

export interface CompiledService {
  service: string;
  processKey: string;
  bpmn: string;
  forms: FormDefinition[];
  bindings: NodeBinding[];
}

export const processKeyOf = (service: string) => `svc-${service}`;

interface Element extends WrittenElement {
  tag: 'startEvent' | 'userTask' | 'serviceTask' | 'receiveTask' | 'exclusiveGateway' | 'endEvent' | 'boundaryEvent';
  name: string;
}

type Flow = WrittenFlow;

const active = (row: Row) => row.status !== '0';
const bySeq = (a: Row, b: Row) => a.seq - b.seq;
const byOrder = (a: Row, b: Row) => a.order - b.order || String(a.code ?? '').localeCompare(String(b.code ?? ''));

const ENDS = {
  done: '已办结',
  refused: '不予批准',
  closed: '逾期未处理，自动关闭',
} as const;

/**
 * Compile one service of a validated catalog; problems name the table, row and column at fault.
 * With `formVersions` (the versions its forms were deployed as) each node is bound to its form's
 * version, so that a running case keeps the forms it started with; without, to the latest.
 */
export function compileService(catalog: Catalog, number: string, formVersions?: Readonly<Record<string, number>>): { compiled: CompiledService } | { problems: CatalogProblem[] } {
  const service = catalog.services.find((s) => s.number === number);
  if (!service) throw new Error(`no service ${number}`);
  const problems = problemsOf();
  const own = <T extends keyof Catalog>(table: T) => catalog[table].filter((row) => row.service === number && active(row));
  const nodes = own('nodes').sort(bySeq);
  const fields = catalog.fields.filter((f) => f.service === number && f.enabled !== false).sort(byOrder);
  const mobileField = fields.find((f) => f.control === 'mobile' || f.validation === 'mobile')?.key ?? null;
  const nameField = fields.find((f) => f.key === 'applicantName')?.key ?? null;
  const fieldKeys = new Set(fields.map((f) => f.key as string));
  const hasChecks = catalog.reviewChecks.some((c) => c.service === number);
  if (!nodes.length) problems.add('services', catalog.services.indexOf(service), service, null, { 'zh-CN': '没有启用的流程节点', en: 'has no active flow node' });

  const keys = formKeys(number);
  const formRef = (key: string): Array<[string, string]> =>
    formVersions?.[key]
      ? [
          ['camunda:formRef', key],
          ['camunda:formRefBinding', 'version'],
          ['camunda:formRefVersion', String(formVersions[key])],
        ]
      : [['camunda:formRef', key]];
  const processKey = processKeyOf(number);
  const elements: Element[] = [];
  const flows: Flow[] = [];
  const bindings: NodeBinding[] = [];
  const element = (tag: Element['tag'], id: string, name: string, attrs: Array<[string, string]> = [], body = ''): string => {
    elements.push({ tag, id, name, attrs, body, kind: tag === 'exclusiveGateway' ? 'gateway' : tag.endsWith('Event') ? 'event' : 'task' });
    return id;
  };
  const flow = (source: string, target: string, condition: string | null = null) => {
    flows.push({ id: `f_${source}_${target}`, source, target, condition });
  };
  const ends = new Set<keyof typeof ENDS>();
  const sendsAfter = (node: Row) => node.type === 'normal' && (node.operations as string[]).length > 0 && catalog.operations.find((o) => o.code === node.operations[0])?.category === 'system';
  const entryOf = (seq: number | null | undefined, end: keyof typeof ENDS = 'done'): string => {
    if (seq === null || seq === undefined) {
      ends.add(end);
      return `end_${end}`;
    }
    const node = nodes.find((n) => n.seq === seq)!;
    return node.sms && !sendsAfter(node) ? `n${seq}_sms` : `n${seq}`;
  };

  const offices = officeChoices(catalog, service);
  const departmentExpr = departmentExpression(offices);
  const clerks = `post:${service.clerkPost || 'clerk'}@${departmentExpr}`;
  const decisionsOn = (seq: number | null) => nodes.find((n) => n.seq === seq && n.type === 'decision')?.decisionField ?? null;

  // Fields filled later (a tracking number, the rating) are not asked for when applying.
  const later = laterFields(catalog, number);
  element('startEvent', 'apply', '网上申请', [
    ['camunda:initiator', 'applicant'],
    ['camunda:formRef', keys.apply],
    ...(later.length ? ([['wf:hidden', later.join(',')]] as Array<[string, string]>) : []),
  ]);
  if (nodes[0]) flow('apply', entryOf(nodes[0].seq));

  /** A service task sending the template to the applicant's mobile; the row that asks for it is at fault when there is none. */
  const smsTask = (id: string, sms: Row, table: 'nodes' | 'events', index: number, row: Row): string => {
    if (!mobileField) problems.add(table, index, row, 'sms', { 'zh-CN': '发短信需要本业务有手机号属性（控件或校验类型为手机号）', en: 'sending an SMS needs a mobile field in the service' });
    const inputs: Array<[string, string]> = [
      ['phone', `\${${mobileField}}`],
      ['text', sms.text],
      ['serviceName', service.name],
    ];
    if (nameField) inputs.push(['applicantName', `\${${nameField}}`]);
    return element(
      'serviceTask',
      id,
      `短信：${sms.name}`,
      [
        ['camunda:type', 'external'],
        ['camunda:topic', 'sms.send'],
      ],
      inputOutput(inputs),
    );
  };

  for (const node of nodes) {
    const index = catalog.nodes.indexOf(node);
    const ops = (node.operations as string[]).map((code) => catalog.operations.find((o) => o.code === code)!).filter(Boolean);
    const category = ops[0]?.category ?? 'police';
    const sms = node.sms ? catalog.smsTemplates.find((s) => s.code === node.sms) : null;
    const state = node.state ? catalog.states.find((s) => s.code === node.state) : null;
    const ids: string[] = [];
    const waits: string[] = []; // where a timeout attaches
    let assignees: string | null = null;
    const chain = (id: string) => {
      if (ids.length) flow(ids.at(-1)!, id);
      ids.push(id);
    };
    const smsStep = () => {
      if (sms) chain(smsTask(`n${node.seq}_sms`, sms, 'nodes', index, node));
    };
    // A person's node tells the applicant on the way in; a system node once its operations are done (a tracking number, an order to pay).
    if (!sendsAfter(node)) smsStep();

    if (node.type === 'decision') {
      const rules = catalog.rules.filter((r) => r.service === number && r.node === node.seq && active(r)).sort(byOrder);
      const gate = `n${node.seq}`;
      const defaultTarget = entryOf(node.next);
      chain(element('exclusiveGateway', gate, node.name, [['default', `f_${gate}_${defaultTarget}`]]));
      const seen = new Set<string>([defaultTarget]);
      for (const rule of rules) {
        const target = entryOf(rule.next);
        if (seen.has(target))
          problems.add('rules', catalog.rules.indexOf(rule), rule, 'next', {
            'zh-CN': '与本节点的另一条规则或下一节点去向相同，请合并',
            en: 'leads where another rule or the next node already leads; merge them',
          });
        else flow(gate, target, condition(node.decisionField, rule));
        seen.add(target);
      }
      flow(gate, defaultTarget);
    } else if (node.type === 'approval') {
      const levels = catalog.approvals.filter((a) => a.service === number && a.node === node.seq && active(a)).sort(byOrder);
      const approvers = (l: Row) => `post:${l.post}@${l.department || departmentExpr}`;
      assignees = levels.map(approvers).join(' → ');
      const refused = entryOf(node.failNext, 'refused');
      const onward = entryOf(node.next);
      if (refused === onward) problems.add('nodes', index, node, 'failNext', { 'zh-CN': '不能与下一节点相同', en: 'cannot be the next node' });
      const taskId = (i: number) => (i === 0 ? `n${node.seq}` : `n${node.seq}_${i + 1}`);
      levels.forEach((level, i) => {
        const task = taskId(i);
        if (i === 0) chain(task);
        else ids.push(task);
        element('userTask', task, `${node.name}（${level.postName || level.post}）`, [
          ['wf:assignees', approvers(level)],
          ['wf:assignMode', 'candidates'],
          ...formRef(keys.approve),
          ['wf:editable', 'approvalResult,approvalComment'],
        ]);
        waits.push(task);
        const gate = element('exclusiveGateway', `${task}_ok`, '是否同意', [['default', `f_${task}_ok_${refused}`]]);
        flow(task, gate);
        ids.push(gate);
        flow(gate, i + 1 < levels.length ? taskId(i + 1) : onward, "${approvalResult == 'approve'}");
        flow(gate, refused);
      });
    } else if (category === 'system') {
      ops.forEach((op, i) => {
        if (!op.topic) problems.add('operations', catalog.operations.indexOf(op), op, 'topic', { 'zh-CN': '系统操作需要连接器操作', en: 'a system operation needs a connector operation' });
        const inputs = Object.entries(parseInputs(op.inputs) ?? {}).filter(([key]) => !(op.returns && key === 'items'));
        if (op.returns) {
          const items = returnedOn(catalog, number, op.returns);
          if (!items.length)
            problems.add('nodes', index, node, 'operations', {
              'zh-CN': `操作「${op.name}」寄出${op.returns === 'success' ? '办理成功' : '办理失败'}的回寄材料，本业务没有这样的回寄材料`,
              en: `operation "${op.name}" sends what is returned on ${op.returns}, and the service returns nothing then`,
            });
          inputs.push(['items', items.map((name) => ({ name }))]);
        }
        const id = i === 0 ? `n${node.seq}` : `n${node.seq}_${op.code}`;
        chain(
          element(
            'serviceTask',
            id,
            ops.length > 1 ? `${node.name}：${op.name}` : node.name,
            [
              ['camunda:type', 'external'],
              ['camunda:topic', op.topic ?? ''],
            ],
            inputs.length ? inputOutput(inputs) : '',
          ),
        );
        if (i === ops.length - 1) smsStep();
        if (op.awaitMessage) {
          const wait = `${id}_wait`;
          chain(
            element('receiveTask', wait, `等待${op.name}结果`, [
              ['messageRef', messageId(op.awaitMessage)],
              ...(op.correlation ? ([['wf:correlationKey', op.correlation]] as Array<[string, string]>) : []),
            ]),
          );
          waits.push(wait);
        }
      });
    } else if (!ops.length) {
      chain(element('endEvent', `n${node.seq}`, node.name)); // a node without operations is where the case ends
    } else {
      const forCitizen = category === 'citizen';
      assignees = forCitizen ? '${applicant}' : clerks;
      const reviews = !forCitizen && decisionsOn(node.next) === 'reviewResult';
      const fills = [...new Set(ops.flatMap((o) => o.fields as string[]))];
      for (const key of fills)
        if (!fieldKeys.has(key))
          problems.add('nodes', index, node, 'operations', { 'zh-CN': `操作要填写的属性「${key}」不在本业务的属性表中`, en: `an operation fills "${key}", which is not a field of the service` });
      // the applicant fills what the operations name, or corrects only what the review found wrong
      const corrects = ops.some((o) => o.correction) && hasChecks;
      // what the operations fill and the field table does not let be empty, this node must fill (the form leaves it optional till then)
      const mustFill = fills.filter((key) => fields.some((f) => f.key === key && !f.nullable));
      const fillAccess: Array<[string, string]> = fills.length
        ? [['wf:editable', fills.join(',')], ...(mustFill.length ? ([['wf:required', mustFill.join(',')]] as Array<[string, string]>) : [])]
        : [];
      const citizenAccess: Array<[string, string]> = fills.length ? fillAccess : corrects ? [['wf:editableFrom', 'correctionFields']] : [];
      const clerkAccess: Array<[string, string]> = reviews
        ? [['wf:editable', reviewFields(catalog, number)], ...(hasChecks ? ([['wf:hidden', 'correctionFields,correctionItems']] as Array<[string, string]>) : [])]
        : fills.length
          ? fillAccess
          : [['wf:readonly', '*']];
      const access = forCitizen ? citizenAccess : clerkAccess;
      chain(
        element('userTask', `n${node.seq}`, node.name, [
          forCitizen ? ['camunda:assignee', '${applicant}'] : ['wf:assignees', clerks],
          ...(forCitizen ? [] : ([['wf:assignMode', 'candidates']] as Array<[string, string]>)),
          ...(service.timeLimitDays && !forCitizen ? ([['camunda:dueDate', `P${service.timeLimitDays}D`]] as Array<[string, string]>) : []),
          // the clerk who reviews gets the review form; other clerks see the application; the applicant corrects it
          ...formRef(reviews ? keys.review : keys.apply),
          ...access,
        ]),
      );
      waits.push(`n${node.seq}`);
    }
    if (node.type === 'normal' && ops.length && ids.length) flow(ids.at(-1)!, entryOf(node.next));

    if (node.timeoutDays) {
      if (!waits.length) problems.add('nodes', index, node, 'timeoutDays', { 'zh-CN': '此节点不等待，不能设置超时', en: 'this node does not wait, so it cannot time out' });
      for (const on of waits) {
        const timer = element(
          'boundaryEvent',
          `${on}_timeout`,
          `${node.timeoutDays} 日未处理`,
          [['attachedToRef', on]],
          `<timerEventDefinition><timeDuration>P${node.timeoutDays}D</timeDuration></timerEventDefinition>`,
        );
        flow(timer, entryOf(node.timeoutNext, 'closed'));
        ids.push(timer);
      }
    }
    // What else may end the wait: a message (the window calls the number), a time (the slot is over); or only tell the applicant (a reminder).
    const events = catalog.events.filter((e) => e.service === number && e.node === node.seq && active(e)).sort(byOrder);
    for (const event of events) {
      const at = catalog.events.indexOf(event);
      if (!waits.length) problems.add('events', at, event, 'node', { 'zh-CN': '此节点不等待，不能有事件', en: 'this node does not wait, so it has no events' });
      const eventSms = event.sms ? catalog.smsTemplates.find((s) => s.code === event.sms) : null;
      for (const on of waits) {
        const id = `${on}_${event.code}`;
        const definition =
          event.kind === 'message' ? `<messageEventDefinition messageRef="${messageId(event.message)}" />` : `<timerEventDefinition><timeDate>\${${event.at}}</timeDate></timerEventDefinition>`;
        const attrs: Array<[string, string]> = [['attachedToRef', on], ...(event.continues ? ([['cancelActivity', 'false']] as Array<[string, string]>) : [])];
        if (event.kind === 'message' && event.correlation) attrs.push(['wf:correlationKey', event.correlation]);
        ids.push(element('boundaryEvent', id, event.name, attrs, definition));
        const told = eventSms ? smsTask(`${id}_sms`, eventSms, 'events', at, event) : null;
        if (told) {
          flow(id, told);
          ids.push(told);
        }
        if (event.continues) {
          const end = element('endEvent', `${id}_end`, '已通知');
          flow(told ?? id, end);
          ids.push(end);
        } else flow(told ?? id, entryOf(event.next));
      }
    }
    // The case is in the node's state from when it reaches any of the node's elements (not its timers and events).
    if (state) for (const e of elements) if (ids.includes(e.id) && e.tag !== 'boundaryEvent') e.attrs.push(['wf:state', state.name]);
    bindings.push({
      seq: node.seq,
      name: node.name,
      type: node.type,
      elements: ids,
      state: state ? { code: state.code, name: state.name } : null,
      sms: sms ? { code: sms.code, text: sms.text } : null,
      operations: ops.map((o) => ({ code: o.code, name: o.name, url: o.url ?? null, category: o.category })),
      assignees,
    });
  }
  for (const end of Object.keys(ENDS) as Array<keyof typeof ENDS>) if (ends.has(end)) element('endEvent', `end_${end}`, ENDS[end]);
  if (problems.list.length) return { problems: problems.list };

  const messages = [
    ...new Set([
      ...nodes.flatMap((n) => (n.operations as string[]).map((code) => catalog.operations.find((o) => o.code === code)?.awaitMessage as string | undefined)),
      ...own('events').map((e) => (e.kind === 'message' ? (e.message as string) : undefined)),
    ]),
  ]
    .filter((m): m is string => Boolean(m))
    .sort();
  const bpmn = serialize(processKey, service, elements, flows, messages);
  return {
    compiled: {
      service: number,
      processKey,
      bpmn,
      forms: [applicationForm(catalog, service, offices), reviewForm(catalog, service, offices), ...(nodes.some((n) => n.type === 'approval') ? [approvalForm(catalog, service, offices)] : [])],
      bindings,
    },
  };
}

/** The offices a citizen may pick for the service (its named ones and its default, active ones only), its default first. */
export function officeChoices(catalog: Catalog, service: Row): Row[] {
  const named = new Set<string>([...((service.offices as string[] | undefined) ?? []), ...(service.defaultOffice ? [service.defaultOffice as string] : [])]);
  const rows = catalog.offices.filter((o) => active(o) && named.has(o.code));
  return rows.sort((a, b) => Number(b.code === service.defaultOffice) - Number(a.code === service.defaultOffice) || a.code.localeCompare(b.code));
}

/** The department whose clerks handle a case: the offices' one, or the one of the office chosen in the form. */
function departmentExpression(offices: Row[]): string {
  const departmentOf = (o: Row) => (o.department || o.code) as string;
  const departments = new Set(offices.map(departmentOf));
  if (departments.size === 1) return [...departments][0]!;
  if (offices.every((o) => departmentOf(o) === o.code)) return '${office}';
  const [first, ...rest] = offices;
  if (!first) return '${office}';
  const branches = rest.reverse().reduce((otherwise, o) => `office == '${o.code}' ? '${departmentOf(o)}' : ${otherwise}`, `'${departmentOf(first)}'`);
  return `\${${branches}}`;
}

/** A decision rule as a JUEL condition on the node's field. */
function condition(field: string, rule: Row): string {
  const literal = (value: string) => (/^(-?\d+(\.\d+)?|true|false)$/.test(value.trim()) ? value.trim() : `'${value.trim().replace(/'/g, "\\'")}'`);
  if (rule.operator === 'in')
    return `\${${String(rule.value)
      .split(/[,，]/)
      .map((v) => `${field} == ${literal(v)}`)
      .join(' || ')}}`;
  const op = rule.operator === '=' ? '==' : rule.operator;
  return `\${${field} ${op} ${literal(String(rule.value))}}`;
}

const messageId = (name: string) => `msg_${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
const reviewFields = (catalog: Catalog, number: string) => (catalog.reviewChecks.some((c) => c.service === number) ? 'failedChecks,reviewResult,reviewComment' : 'reviewResult,reviewComment');

function inputOutput(inputs: Array<[string, InputValue]>): string {
  // text stands as it is in a parameter or an entry, as <camunda:value> in a list
  const valueOf = (value: InputValue, inList = false): string => {
    if (typeof value === 'string') return inList ? `<camunda:value>${escape(value)}</camunda:value>` : escape(value);
    if (Array.isArray(value)) return `<camunda:list>${value.map((v) => valueOf(v, true)).join('')}</camunda:list>`;
    return `<camunda:map>${Object.entries(value)
      .map(([k, v]) => `<camunda:entry key="${escape(k)}">${valueOf(v)}</camunda:entry>`)
      .join('')}</camunda:map>`;
  };
  const params = inputs.map(([name, value]) => `<camunda:inputParameter name="${escape(name)}">${valueOf(value)}</camunda:inputParameter>`).join('');
  return `<extensionElements><camunda:inputOutput>${params}</camunda:inputOutput></extensionElements>`;
}

function serialize(processKey: string, service: Row, elements: Element[], flows: Flow[], messages: string[]): string {
  const policy = `${service.supervisionDays ? ` wf:supervisionDays="${service.supervisionDays}"` : ''}${Number(service.identityLevel) > 0 ? ` wf:identityLevel="${service.identityLevel}"` : ''}${service.result ? ` wf:result="${escape(service.result).replace(/\n/g, '&#10;')}"` : ''}`;
  return writeBpmn({
    id: `${processKey}-definitions`,
    namespace: 'http://workflow.dev/catalog',
    processKey,
    head: [
      `  <!-- Compiled from the service catalog (业务 ${escape(service.number)}); edit the catalog rows, not this file. -->`,
      ...messages.map((m) => `  <message id="${messageId(m)}" name="${escape(m)}" />`),
    ],
    open: `  <process id="${processKey}" name="${escape(service.name)}" isExecutable="true" wf:starters="citizens | staff"${policy}>`,
    elements,
    flows,
  });
}
