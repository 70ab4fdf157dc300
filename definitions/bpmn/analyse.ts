/**
 * Lint a parsed BPMN file and extract the runtime's ProcessModel from it.
 * Everything the runtime cannot execute as drawn is an error naming the
 * element and its line; nothing is silently ignored.
 */
import { getDate, ISOInterval } from '@0dep/piso';
import { lineIndex } from './lines.ts';
import type { ModdleContext, ModdleElement } from './moddle.ts';
import { NOTIFY_EVENTS } from './process-model.ts';
import type {
  CallActivityModel,
  FieldAccess,
  FormReference,
  ExpressionText,
  InputOutputModel,
  NotifyChannel,
  NotifyEvent,
  ParameterValue,
  ProcessModel,
  RetryPolicy,
  SignRule,
  StartEventModel,
  TimerSpec,
  VariableMapping,
} from './process-model.ts';
import { parseStarters, STAFF_ONLY, type StartersModel } from './starters.ts';
import { t } from '../../forms/model.ts';

export interface Problem {
  rule: string;
  elementId?: string;
  line?: number;
  message: { 'zh-CN': string; en: string };
}

export interface AnalyseOptions {
  /** Returns an error text when `text` is not a valid expression/template. */
  checkExpression(text: string): string | null;
  isKnownHandler(name: string): boolean;
  /** The inputs a handler declares (connector operations do), to check a task's input mapping; null: not declared. */
  handlerInputs?(name: string): HandlerInputs | null;
  /** Whether a working calendar has this key (wf:calendar); absent: not checked. */
  isKnownCalendar?(key: string): boolean;
  /** Whether an SLA table has this key (wf:sla); absent: not checked. */
  isKnownSla?(key: string): boolean;
  /** Returns why wf:assignees text (without `${…}`) is not a rule; absent: not checked. */
  assigneeRuleProblem?(text: string): { 'zh-CN': string; en: string } | null;
  /** Every registered handler, to suggest the right name for an unknown one. */
  handlerNames?(): readonly string[];
  /** Policy: user tasks must name an assignee or candidates / a form. */
  requireAssignee?: boolean;
  requireForm?: boolean;
  /** The deployed forms, to check camunda:formRef; absent: references are not checked. */
  forms?: FormCatalog;
}

export interface HandlerInputs {
  required: readonly string[];
  /** Every input it reads; null: any. */
  known: readonly string[] | null;
}

export interface FormCatalog {
  /** The fields of a form version (null: the latest), or null when there is no such form. */
  fields(key: string, version: number | null): readonly string[] | null;
}

export interface AnalysedBpmn {
  definitionsId: string;
  processes: ProcessModel[];
  errors: Problem[];
  warnings: Problem[];
}

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, backoffMs: 10_000 };

type Element = ModdleElement & Record<string, unknown>;

const IGNORED_FLOW_ELEMENTS = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);
const IGNORED_ARTIFACTS = new Set(['bpmn:TextAnnotation', 'bpmn:Association', 'bpmn:Group']);
/** Namespace prefixes of other engines' extensions: their attributes mean something we would silently ignore. */
const FOREIGN_ENGINES = new Set(['activiti', 'flowable', 'zeebe', 'drools', 'jbpm']);
/** Other engines' attributes that change nothing here (job scheduling, history, versions): accepted, listed as ignored. */
const IGNORABLE_ENGINE_ATTRIBUTES = new Set(['async', 'asyncBefore', 'asyncAfter', 'exclusive', 'jobPriority', 'historyTimeToLive', 'versionTag', 'isStartableInTasklist', 'taskPriority']);
/** Modeler metadata (element templates): no behaviour in any engine, accepted without a word. */
const MODELER_METADATA = new Set(['modelerTemplate', 'modelerTemplateVersion', 'modelerTemplateIcon']);
/** Extension elements of ours and Camunda's: any other namespace is another tool's metadata, ignored as Camunda ignores it. */
const OWN_EXTENSIONS = new Set(['camunda', 'wf']);

/** Camunda attributes the runtime honours (or that carry no behaviour), per family. */
const CAMUNDA_ATTRIBUTES: Record<string, ReadonlySet<string>> = {
  common: new Set(['asyncBefore', 'asyncAfter', 'async', 'exclusive', 'jobPriority', 'modelerTemplate', 'modelerTemplateVersion']),
  'bpmn:UserTask': new Set(['assignee', 'candidateUsers', 'candidateGroups', 'formKey', 'formRef', 'formRefBinding', 'formRefVersion', 'dueDate', 'priority']),
  'bpmn:StartEvent': new Set(['formKey', 'formRef', 'formRefBinding', 'formRefVersion', 'initiator']),
  // class, expression and decisionRef are refused by the implementation check, with a better message.
  service: new Set(['type', 'topic', 'delegateExpression', 'resultVariable', 'taskPriority', 'class', 'expression', 'decisionRef', 'decisionRefBinding', 'decisionRefVersion', 'mapDecisionResult']),
  'bpmn:CallActivity': new Set(['calledElementBinding', 'calledElementVersion']),
  'bpmn:Process': new Set(['candidateStarterGroups', 'candidateStarterUsers', 'versionTag', 'historyTimeToLive', 'isStartableInTasklist', 'jobPriority', 'taskPriority']),
  'bpmn:MultiInstanceLoopCharacteristics': new Set(['collection', 'elementVariable']),
};

export function analyseBpmn(context: ModdleContext, xml: string, options: AnalyseOptions): AnalysedBpmn {
  const lineOf = lineIndex(xml);
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const report = (list: Problem[], rule: string, element: { id?: string } | undefined, message: Problem['message']) => {
    const id = element?.id;
    list.push({ rule, ...(id && { elementId: id }), ...(id && lineOf(id) !== undefined && { line: lineOf(id) }), message });
  };
  const error = (rule: string, element: { id?: string } | undefined, message: Problem['message']) => report(errors, rule, element, message);
  const warn = (rule: string, element: { id?: string } | undefined, message: Problem['message']) => report(warnings, rule, element, message);

  for (const w of context.warnings) reportModdleWarning(w, errors, warnings, lineOf, context.lineOffset ?? 0, xml);

  const root = context.rootElement as Element;
  const processes = ((root.rootElements as Element[] | undefined) ?? []).filter((e) => e.$type === 'bpmn:Process');
  const executable = processes.filter((p) => p.isExecutable === true);
  if (!executable.length) {
    error('no-executable-process', undefined, t('文件中没有可执行的流程（isExecutable="true"）', 'The file has no executable process (isExecutable="true")'));
  }

  for (const p of executable) {
    if (typeof p.name === 'string' && p.name.length > 255) error('name-too-long', p, t('流程名称最长 255 个字符', 'A process name may have at most 255 characters'));
    if (!p.id || !/^[\p{L}_][\p{L}\p{N}_.-]{0,99}$/u.test(String(p.id))) {
      error('invalid-process-id', p, t('流程 ID 必填，以字母或下划线开头，最长 100 个字符', 'A process needs an id: a letter or underscore first, at most 100 characters'));
    }
  }
  const models = executable.map((p) => new ProcessAnalyser(p, options, error, warn).run());
  return { definitionsId: String(root.id ?? 'definitions'), processes: models, errors, warnings };
}

function reportModdleWarning(w: ModdleContext['warnings'][number], errors: Problem[], warnings: Problem[], lineOf: (id: string) => number | undefined, lineOffset: number, xml: string): void {
  const line = /line: (\d+)/.exec(w.message);
  const nested = /nested error: (.*)$/m.exec(w.message)?.[1] ?? w.message;
  const at = line ? Number(line[1]) + 1 + lineOffset : undefined;
  const duplicate = /duplicate ID <([^>]+)>/.exec(nested);
  const unknownType = /unknown type <([^>]+)>/.exec(nested);
  const unrecognized = /unrecognized element <([^>]+)>/.exec(nested);
  const unresolved = /unresolved reference <([^>]+)>/.exec(w.message);
  // An attribute in another tool's namespace (colours, layout): metadata, ignored as Camunda ignores it.
  const foreign = /unknown attribute <([\w.-]+:[\w.-]+)>/.exec(nested);
  const push = (rule: string, message: Problem['message'], elementId?: string, lineNo?: number) =>
    errors.push({ rule, ...(elementId && { elementId }), ...(lineNo !== undefined && { line: lineNo }), message });
  if (foreign) {
    const owner = w.element?.id;
    warnings.push({
      rule: 'foreign-attribute',
      ...(owner && { elementId: owner }),
      ...(at !== undefined && { line: at }),
      message: t(`其他工具的属性 ${foreign[1]} 已忽略`, `The attribute ${foreign[1]} of another tool is ignored`),
    });
  } else if (duplicate) push('duplicate-id', t(`ID ${duplicate[1]} 重复`, `Duplicate id ${duplicate[1]}`), duplicate[1], at);
  else if (unknownType || unrecognized) {
    const type = (unknownType ?? unrecognized)![1] ?? '';
    // moddle made no element of it: its id is on its line.
    const local = (type.split(':').pop() ?? '').replace(/\W/g, '');
    const id = at === undefined ? undefined : new RegExp(`<(?:[\\w-]+:)?${local}\\b[^>]*\\bid="([^"]+)"`, 'i').exec(xml.split('\n')[at - 1] ?? '')?.[1];
    push('unknown-element', t(`未知的元素类型 ${type}`, `Unknown element type ${type}`), id, at);
  } else if (unresolved) {
    const owner = w.element?.id;
    push('unresolved-reference', t(`引用的元素 ${unresolved[1]} 不存在`, `Referenced element ${unresolved[1]} does not exist`), owner, owner ? lineOf(owner) : at);
  } else push('invalid-content', t(`无法识别的内容：${nested}`, `Unrecognised content: ${nested}`), undefined, at);
}

type Report = (rule: string, element: { id?: string } | undefined, message: Problem['message']) => void;

class ProcessAnalyser {
  readonly model: ProcessModel;
  /** Checks that need the whole process read first. */
  private readonly afterAll: Array<() => void> = [];

  constructor(
    private readonly process: Element,
    private readonly options: AnalyseOptions,
    private readonly error: Report,
    private readonly warn: Report,
  ) {
    this.model = {
      id: String(process.id),
      name: (process.name as string | undefined) ?? null,
      startEvents: [],
      userTasks: {},
      serviceTasks: {},
      messageCatches: {},
      signalCatches: {},
      callActivities: {},
      inputOutput: {},
      multiInstance: {},
      errorEnds: {},
      errorBoundaries: {},
      supervision: null,
      identityLevel: null,
      result: [],
      starters: STAFF_ONLY,
      names: {},
      states: {},
      elements: {},
      expressions: [],
      conditions: [],
    };
  }

  run(): ProcessModel {
    this.checkCamundaAttributes(this.process, 'bpmn:Process');
    // Its scenarios (wf:scenario) are checked with the deploy, where they run.
    this.checkExtensions(this.process, ['wf:Scenario']);
    this.walk(this.process, true);
    for (const check of this.afterAll) check();
    this.model.supervision = this.supervision();
    this.model.identityLevel = this.identityLevel();
    this.model.result = ((this.process.result as string | undefined) ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    this.model.starters = this.starters();
    if (!this.model.startEvents.length) {
      this.error('no-start-event', this.process, t(`流程 ${this.process.id} 没有开始事件`, `Process ${this.process.id} has no start event`));
    }
    return this.model;
  }

  private walk(container: Element, topLevel: boolean): void {
    const elements = (container.flowElements as Element[] | undefined) ?? [];
    for (const artifact of (container.artifacts as Element[] | undefined) ?? []) {
      if (!IGNORED_ARTIFACTS.has(artifact.$type)) this.unsupported(artifact);
    }
    for (const element of elements) {
      this.checkElement(element);
      if (element.name) this.model.names[String(element.id)] = String(element.name);
      if (element.state !== undefined) this.stateOf(element);
      if (element.$type !== 'bpmn:SequenceFlow' && !IGNORED_FLOW_ELEMENTS.has(element.$type)) {
        this.model.elements[String(element.id)] = {
          type: element.$type,
          event: ((element.eventDefinitions as Element[] | undefined) ?? [])[0]?.$type ?? null,
          scope: topLevel ? null : String(container.id),
          attachedTo: ((element.attachedToRef as Element | undefined)?.id as string | undefined) ?? null,
        };
      }
      this.visit(element, topLevel);
    }
  }

  /** What every element must be, whatever its type: ids and names that fit the store, no other engine's settings. */
  private checkElement(el: Element): void {
    if (String(el.id ?? '').length > 128) this.error('id-too-long', el, t('元素 ID 最长 128 个字符', 'An element id may have at most 128 characters'));
    if (typeof el.name === 'string' && el.name.length > 255) this.error('name-too-long', el, t('元素名称最长 255 个字符', 'An element name may have at most 255 characters'));
    if (el.isForCompensation === true) this.error('unsupported-compensation', el, t('不支持补偿（isForCompensation）', 'Compensation (isForCompensation) is not supported'));
    for (const attr of Object.keys(el.$attrs ?? {})) {
      const prefix = attr.split(':')[0];
      const local = prefix ? attr.slice(prefix.length + 1) : attr;
      if (prefix && FOREIGN_ENGINES.has(prefix) && MODELER_METADATA.has(local)) continue;
      if (prefix && FOREIGN_ENGINES.has(prefix) && IGNORABLE_ENGINE_ATTRIBUTES.has(local)) {
        this.warn('ignored-attribute', el, t(`其他引擎的属性 ${attr} 在这里没有作用，已忽略`, `The attribute ${attr} of another engine has no effect here and is ignored`));
      } else if (prefix && FOREIGN_ENGINES.has(prefix)) {
        this.error('unsupported-attribute', el, t(`不支持其他引擎的属性 ${attr}，请改用 camunda: 属性`, `The attribute ${attr} belongs to another engine; use the camunda: one`));
      }
    }
  }

  private visit(el: Element, topLevel: boolean): void {
    const type = el.$type;
    if (IGNORED_FLOW_ELEMENTS.has(type)) return;
    if (type === 'bpmn:SequenceFlow') return this.sequenceFlow(el);
    this.checkLoop(el);
    switch (type) {
      case 'bpmn:StartEvent':
        return this.startEvent(el, topLevel);
      case 'bpmn:EndEvent':
        return this.throwEvent(el, ['none', 'bpmn:TerminateEventDefinition', 'bpmn:ErrorEventDefinition', 'bpmn:EscalationEventDefinition'], topLevel);
      case 'bpmn:IntermediateThrowEvent':
        return this.throwEvent(el, ['none', 'bpmn:EscalationEventDefinition'], false);
      case 'bpmn:IntermediateCatchEvent':
        return this.catchEvent(el, ['bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition', 'bpmn:SignalEventDefinition'], false);
      case 'bpmn:BoundaryEvent':
        return this.catchEvent(el, ['bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition', 'bpmn:SignalEventDefinition', 'bpmn:ErrorEventDefinition', 'bpmn:EscalationEventDefinition'], false);
      case 'bpmn:UserTask':
      case 'bpmn:ManualTask':
        return this.userTask(el);
      case 'bpmn:ServiceTask':
      case 'bpmn:SendTask':
      case 'bpmn:BusinessRuleTask':
        return this.serviceTask(el);
      case 'bpmn:ReceiveTask':
        this.activity(el, 'common');
        return this.messageCatch(el, el.messageRef as Element | undefined);
      case 'bpmn:Task':
        return this.activity(el, 'common');
      case 'bpmn:SubProcess':
        if (el.triggeredByEvent) {
          return this.error('unsupported-element', el, t('暂不支持事件子流程', 'Event sub-processes are not supported'));
        }
        this.activity(el, 'common');
        return this.walk(el, false);
      case 'bpmn:CallActivity':
        return this.callActivity(el);
      case 'bpmn:ExclusiveGateway':
      case 'bpmn:InclusiveGateway':
        return this.branchingGateway(el);
      case 'bpmn:ParallelGateway':
      case 'bpmn:EventBasedGateway':
        this.checkCamundaAttributes(el, 'common');
        return this.checkExtensions(el, []);
      default:
        return this.unsupported(el);
    }
  }

  private unsupported(el: Element): void {
    const hints: Record<string, [string, string]> = {
      'bpmn:ScriptTask': ['脚本任务不在沙箱内执行，请改用服务任务调用已注册的处理器', 'Script tasks are not run; use a service task calling a registered handler'],
      'bpmn:ComplexGateway': ['不支持复杂网关，请改用包容网关或排他网关', 'Complex gateways are not supported; use an inclusive or exclusive gateway'],
      'bpmn:Transaction': ['不支持事务子流程', 'Transaction sub-processes are not supported'],
      'bpmn:AdHocSubProcess': ['不支持自由子流程', 'Ad-hoc sub-processes are not supported'],
    };
    const [zh, en] = hints[el.$type] ?? [`不支持的元素类型 ${el.$type}`, `Unsupported element type ${el.$type}`];
    this.error('unsupported-element', el, t(zh, en));
  }

  // ---- events -------------------------------------------------------------------

  private eventDefinition(el: Element, allowed: string[]): Element | null | undefined {
    const definitions = (el.eventDefinitions as Element[] | undefined) ?? [];
    if (definitions.length > 1) {
      this.error('multiple-event-definitions', el, t('一个事件只能有一个事件定义', 'An event may have only one event definition'));
      return undefined;
    }
    const definition = definitions[0] ?? null;
    const type = definition?.$type ?? 'none';
    if (!allowed.includes(type)) {
      this.error('unsupported-event', el, t(`${el.$type.replace('bpmn:', '')} 不支持 ${type.replace('bpmn:', '')}`, `${el.$type.replace('bpmn:', '')} does not support ${type.replace('bpmn:', '')}`));
      return undefined;
    }
    return definition;
  }

  private startEvent(el: Element, topLevel: boolean): void {
    this.checkCamundaAttributes(el, 'bpmn:StartEvent');
    this.checkExtensions(el, []);
    const allowed = topLevel ? ['none', 'bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition', 'bpmn:SignalEventDefinition'] : ['none'];
    const definition = this.eventDefinition(el, allowed);
    if (definition === undefined || !topLevel) return;
    const start: StartEventModel = {
      id: String(el.id),
      kind: 'none',
      timer: null,
      messageName: null,
      signalName: null,
      formKey: (el.formKey as string | undefined) ?? null,
      form: this.formReference(el, 'editable'),
      initiatorVariable: (el.initiator as string | undefined) ?? null,
    };
    if (definition?.$type === 'bpmn:TimerEventDefinition') {
      start.kind = 'timer';
      start.timer = this.timer(el, definition);
      if (start.timer && /[$#]\{/.test(start.timer.value)) {
        // Nothing to evaluate it against: no instance exists yet.
        this.error('dynamic-start-timer', el, t('开始定时器不能使用表达式', 'A start timer cannot use an expression'));
      }
    } else if (definition?.$type === 'bpmn:MessageEventDefinition') {
      start.kind = 'message';
      start.messageName = this.namedRef(el, definition.messageRef as Element | undefined, 'message');
    } else if (definition?.$type === 'bpmn:SignalEventDefinition') {
      start.kind = 'signal';
      start.signalName = this.namedRef(el, definition.signalRef as Element | undefined, 'signal');
    }
    if (start.formKey) this.expression(el, start.formKey);
    this.model.startEvents.push(start);
  }

  private throwEvent(el: Element, allowed: string[], topLevel: boolean): void {
    this.checkCamundaAttributes(el, 'common');
    this.checkExtensions(el, ['camunda:InputOutput']);
    this.collectInputOutput(el);
    const definition = this.eventDefinition(el, allowed);
    if (definition?.$type === 'bpmn:ErrorEventDefinition') {
      const error = definition.errorRef as Element | undefined;
      if (!error) this.error('missing-error-ref', el, t('错误结束事件必须引用一个错误定义', 'An error end event must reference an error'));
      else if (topLevel) this.model.errorEnds[String(el.id)] = { code: errorCode(error), message: (error.name as string | undefined) ?? null };
    }
    if (definition?.$type === 'bpmn:EscalationEventDefinition' && !definition.escalationRef) {
      this.error('missing-escalation-ref', el, t('升级事件必须引用一个升级定义', 'An escalation event must reference an escalation'));
    }
  }

  private catchEvent(el: Element, allowed: string[], _topLevel: boolean): void {
    this.checkCamundaAttributes(el, 'common');
    this.checkExtensions(el, ['camunda:InputOutput']);
    this.collectInputOutput(el);
    const definition = this.eventDefinition(el, allowed);
    if (!definition) {
      if (definition === null) this.error('missing-event-definition', el, t('中间捕获事件必须有事件定义', 'An intermediate catch event needs an event definition'));
      return;
    }
    if (el.$type === 'bpmn:BoundaryEvent' && !el.attachedToRef) {
      this.error('missing-attachment', el, t('边界事件没有附着的活动', 'The boundary event is not attached to an activity'));
    }
    switch (definition.$type) {
      case 'bpmn:TimerEventDefinition':
        this.timer(el, definition);
        return;
      case 'bpmn:ErrorEventDefinition': {
        const attachedTo = String((el.attachedToRef as Element | undefined)?.id ?? '');
        const error = definition.errorRef as Element | undefined;
        (this.model.errorBoundaries[attachedTo] ??= []).push(error ? errorCode(error) : null);
        return;
      }
      case 'bpmn:MessageEventDefinition':
        return this.messageCatch(el, definition.messageRef as Element | undefined);
      case 'bpmn:SignalEventDefinition': {
        const signalName = this.namedRef(el, definition.signalRef as Element | undefined, 'signal');
        if (signalName) this.model.signalCatches[String(el.id)] = { id: String(el.id), signalName };
        return;
      }
    }
  }

  private messageCatch(el: Element, messageRef: Element | undefined): void {
    const messageName = this.namedRef(el, messageRef, 'message');
    if (!messageName) return;
    const correlationKey = (el.correlationKey as string | undefined) ?? null;
    if (correlationKey) this.expression(el, correlationKey);
    const ask = ((el.documentation as Array<{ text?: string }> | undefined) ?? []).map((d) => d.text?.trim() ?? '').find(Boolean) ?? null;
    this.model.messageCatches[String(el.id)] = { id: String(el.id), messageName, correlationKey, ask };
  }

  private namedRef(el: Element, ref: Element | undefined, kind: 'message' | 'signal'): string | null {
    const zh = kind === 'message' ? '消息' : '信号';
    if (!ref) {
      this.error(`missing-${kind}-ref`, el, t(`${zh}事件必须引用一个${zh}定义`, `The element must reference a ${kind}`));
      return null;
    }
    const name = (ref.name as string | undefined) ?? null;
    if (!name) {
      this.error(`unnamed-${kind}`, ref, t(`${zh} ${ref.id} 没有名称`, `The ${kind} ${ref.id} has no name`));
      return null;
    }
    if (name.includes('${')) this.error(`dynamic-${kind}-name`, ref, t(`${zh}名称不能是表达式`, `A ${kind} name cannot be an expression`));
    return name;
  }

  private timer(el: Element, definition: Element): TimerSpec | null {
    const found = (['timeDuration', 'timeDate', 'timeCycle'] as const).filter((k) => definition[k]);
    const type = found[0];
    if (!type || found.length > 1) {
      this.error('invalid-timer', el, t('定时器必须且只能设置 timeDuration、timeDate、timeCycle 之一', 'A timer needs exactly one of timeDuration, timeDate, timeCycle'));
      return null;
    }
    const value = String((definition[type] as Element).body ?? '').trim();
    if (value.includes('${') || value.includes('#{')) {
      this.expression(el, value);
    } else if (!isValidTimer(type, value)) {
      this.error(
        'invalid-timer',
        el,
        t(`定时器 ${type} 的值 "${value}" 不是合法的 ISO 8601 表达式（不支持 cron）`, `The timer ${type} value "${value}" is not valid ISO 8601 (cron is not supported)`),
      );
    }
    return { type, value };
  }

  // ---- activities ------------------------------------------------------------------

  private activity(el: Element, family: string): void {
    const extensions: Record<string, string[]> = { service: ['camunda:FailedJobRetryTimeCycle'], 'bpmn:CallActivity': ['camunda:In', 'camunda:Out'] };
    this.checkCamundaAttributes(el, family);
    this.checkExtensions(el, ['camunda:InputOutput', ...(extensions[family] ?? [])]);
    this.collectInputOutput(el);
  }

  /** wf:state: a state name of at most 32 characters. */
  private stateOf(el: Element): void {
    const state = String(el.state).trim();
    if (!state || state.length > 32) this.error('bad-attribute', el, t('wf:state 应为 1–32 个字的状态名称', 'wf:state should be a state name of 1 to 32 characters'));
    else this.model.states[String(el.id)] = state;
  }

  /** wf:identityLevel: 1 (name, ID number, phone), 2 (face comparison), 3 (network ID, card and face). */
  private identityLevel(): number | null {
    const level = (this.process.identityLevel as string | undefined)?.trim();
    if (!level) return null;
    if (!/^[123]$/.test(level)) {
      this.error('bad-attribute', this.process, t(`wf:identityLevel 的值 "${level}" 应为 1、2 或 3`, `wf:identityLevel "${level}" should be 1, 2 or 3`));
      return null;
    }
    return Number(level);
  }

  /** wf:supervisionDays (with wf:supervisors, default the supervisor role) on the process. */
  private supervision(): ProcessModel['supervision'] {
    const el = this.process;
    const days = (el.supervisionDays as string | undefined)?.trim();
    if (!days) return null;
    if (!/^[1-9]\d{0,2}$/.test(days)) {
      this.error('bad-attribute', el, t(`wf:supervisionDays 的值 "${days}" 应为 1–999 的整数`, `wf:supervisionDays "${days}" should be a whole number from 1 to 999`));
      return null;
    }
    const supervisors = (el.supervisors as string | undefined)?.trim() || 'role:supervisor';
    const problem = this.options.assigneeRuleProblem?.(supervisors);
    if (problem) this.error('bad-assignee-rule', el, t(`wf:supervisors 写法不正确：${problem['zh-CN']}`, `wf:supervisors is not a rule: ${problem.en}`));
    const calendar = (el.calendar as string | undefined)?.trim() || null;
    if (calendar && this.options.isKnownCalendar && !this.options.isKnownCalendar(calendar))
      this.error('unknown-calendar', el, t(`工作日历 ${calendar} 不存在`, `There is no working calendar ${calendar}`));
    return { days: Number(days), supervisors, calendar };
  }

  /** wf:starters, or Camunda's candidate starters. */
  private starters(): StartersModel {
    const el = this.process;
    const { starters, problems } = parseStarters((el.starters as string | undefined) ?? null, {
      groups: (el.candidateStarterGroups as string | undefined) ?? null,
      users: (el.candidateStarterUsers as string | undefined) ?? null,
    });
    for (const problem of problems) this.error('bad-attribute', el, t(`wf:starters：${problem['zh-CN']}`, `wf:starters: ${problem.en}`));
    return starters;
  }

  /** wf:notify: `sms`, `email` or both for a new task; or per event, `task:sms; overdue:sms,email`. */
  private channels(el: Element): Record<NotifyEvent, NotifyChannel[]> {
    const out: Record<NotifyEvent, NotifyChannel[]> = { task: [], 'near-due': [], overdue: [], escalation: [] };
    const value = (el.notify as string | undefined)?.trim();
    if (!value) return out;
    for (const part of value
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const colon = part.indexOf(':');
      const event = colon < 0 ? 'task' : part.slice(0, colon).trim();
      if (!(NOTIFY_EVENTS as readonly string[]).includes(event)) {
        this.error('bad-attribute', el, t(`wf:notify 的事件只能是 ${NOTIFY_EVENTS.join('、')}：${event}`, `wf:notify's events are ${NOTIFY_EVENTS.join(', ')}: ${event}`));
        continue;
      }
      const channels = [
        ...new Set(
          part
            .slice(colon + 1)
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean),
        ),
      ];
      const unknown = channels.filter((c) => c !== 'sms' && c !== 'email');
      if (unknown.length) this.error('bad-attribute', el, t(`wf:notify 只能是 sms、email：${unknown.join(', ')}`, `wf:notify takes sms and email only: ${unknown.join(', ')}`));
      out[event as NotifyEvent] = channels.filter((c): c is NotifyChannel => c === 'sms' || c === 'email');
    }
    return out;
  }

  /** wf:sign: or (default), all, sequential, or a share such as 60%. */
  private signRule(el: Element): SignRule {
    const value = (el.sign as string | undefined)?.trim();
    if (!value || value === 'or') return { mode: 'or' };
    if (value === 'all' || value === 'sequential') return { mode: value };
    const share = /^(\d{1,3})%$/.exec(value);
    if (share && Number(share[1]) >= 1 && Number(share[1]) <= 100) return { mode: 'share', threshold: Number(share[1]) / 100 };
    this.error('bad-attribute', el, t(`wf:sign 的值 "${value}" 无效，可选：or, all, sequential 或百分比（如 60%）`, `wf:sign "${value}" is not or, all, sequential or a share such as 60%`));
    return { mode: 'or' };
  }

  /** wf:returnTo: `*` or user task ids (checked once every task is known). */
  private returnTargets(el: Element): string[] | '*' | null {
    const value = (el.returnTo as string | undefined)?.trim();
    if (!value) return null;
    if (value === '*') return '*';
    const ids = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    this.afterAll.push(() => {
      for (const id of ids)
        if (!this.model.userTasks[id]) this.error('bad-return-target', el, t(`wf:returnTo 的 ${id} 不是本流程的用户任务`, `wf:returnTo names ${id}, which is not a user task of this process`));
    });
    return ids;
  }

  /** An attribute that takes one of a few words; anything else is an error naming them. */
  private choice<T extends string>(el: Element, name: string, allowed: readonly T[], fallback: T): T {
    const value = (el[name] as string | undefined)?.trim();
    if (value === undefined || value === '') return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.error('bad-attribute', el, t(`wf:${name} 的值 "${value}" 无效，可选：${allowed.join(', ')}`, `wf:${name} "${value}" is not one of ${allowed.join(', ')}`));
    return fallback;
  }

  private userTask(el: Element): void {
    this.activity(el, 'bpmn:UserTask');
    const get = (k: string) => (el[k] as string | undefined)?.trim() || null;
    const model = {
      id: String(el.id),
      name: (el.name as string | undefined) ?? null,
      assignee: get('assignee'),
      candidateUsers: get('candidateUsers'),
      candidateGroups: get('candidateGroups'),
      formKey: get('formKey'),
      form: this.formReference(el, 'editable'),
      dueDate: get('dueDate'),
      calendar: get('calendar'),
      priority: get('priority'),
      assignees: get('assignees'),
      assignMode: this.choice(el, 'assignMode', ['auto', 'candidates', 'assign'] as const, 'auto'),
      fallback: this.choice(el, 'fallback', ['incident', 'admin', 'skip'] as const, 'incident'),
      sign: this.signRule(el),
      returnTo: this.returnTargets(el),
      cc: get('cc'),
      sla: get('sla'),
      notify: this.channels(el),
    };
    if (model.sla && this.options.isKnownSla && !this.options.isKnownSla(model.sla)) this.error('unknown-sla', el, t(`SLA 时限表 ${model.sla} 不存在`, `There is no SLA table ${model.sla}`));
    if (model.sla && model.dueDate) this.warn('sla-and-due-date', el, t('同时设置了 wf:sla 和 camunda:dueDate；以 wf:sla 为准', 'both wf:sla and camunda:dueDate are set; wf:sla wins'));
    if (model.sign.mode !== 'or' && !model.assignees) this.error('sign-without-assignees', el, t('wf:sign 需要用 wf:assignees 指定会签人', 'wf:sign needs wf:assignees to name the signers'));
    if (model.cc && !model.cc.includes('${')) {
      const problem = this.options.assigneeRuleProblem?.(model.cc);
      if (problem) this.error('bad-cc-rule', el, t(`wf:cc 写法不正确：${problem['zh-CN']}`, `wf:cc is not a rule: ${problem.en}`));
    }
    for (const text of [model.assignee, model.candidateUsers, model.candidateGroups, model.dueDate, model.calendar, model.priority, model.formKey, model.assignees]) {
      if (text) this.expression(el, text);
    }
    if (model.assignees && !model.assignees.includes('${')) {
      const problem = this.options.assigneeRuleProblem?.(model.assignees);
      if (problem) this.error('bad-assignee-rule', el, t(`wf:assignees 写法不正确：${problem['zh-CN']}`, `wf:assignees is not a rule: ${problem.en}`));
    }
    if (model.assignees && (model.assignee || model.candidateUsers || model.candidateGroups)) {
      this.warn('assignees-and-camunda', el, t('同时设置了 wf:assignees 和 camunda 办理人；以 wf:assignees 为准', 'both wf:assignees and camunda assignee/candidates are set; wf:assignees wins'));
    }
    if (model.calendar && !model.calendar.includes('${') && this.options.isKnownCalendar && !this.options.isKnownCalendar(model.calendar)) {
      this.error('unknown-calendar', el, t(`工作日历 ${model.calendar} 不存在`, `There is no working calendar ${model.calendar}`));
    }
    if (model.calendar && !model.dueDate) this.warn('calendar-without-due-date', el, t('wf:calendar 只在设置了 camunda:dueDate 时起作用', 'wf:calendar has an effect only with camunda:dueDate'));
    if (el.$type === 'bpmn:UserTask') {
      const policy = this.process as Element;
      const requireAssignee = (policy.requireAssignee as boolean | undefined) ?? this.options.requireAssignee;
      const requireForm = (policy.requireForm as boolean | undefined) ?? this.options.requireForm;
      if (!model.assignee && !model.candidateUsers && !model.candidateGroups && !model.assignees) {
        (requireAssignee ? this.error : this.warn)('user-task-unassigned', el, t('用户任务没有设置办理人或候选人/候选组', 'The user task names no assignee, candidate users or candidate groups'));
      }
      if (!model.formKey && !model.form && requireForm) this.error('user-task-no-form', el, t('用户任务没有设置表单（formKey 或 formRef）', 'The user task has no form (formKey or formRef)'));
    }
    this.model.userTasks[model.id] = model;
  }

  /**
   * camunda:formRef names a deployed form; camunda:formRefBinding is `latest`
   * (the default) or `version` with camunda:formRefVersion. The node's field
   * permissions: wf:editable, wf:readonly, wf:hidden list fields (or `*`);
   * unlisted fields are editable, or read-only once wf:editable lists some;
   * wf:required lists editable fields the node must fill.
   */
  private formReference(el: Element, fallback: FieldAccess): FormReference | null {
    const key = (el.formRef as string | undefined)?.trim();
    const lists = { editable: el.editable, readonly: el.readonly, hidden: el.hidden } as Record<FieldAccess, string | undefined>;
    if (!key) {
      if (Object.values(lists).some((v) => v !== undefined) || el.editableFrom !== undefined || el.required !== undefined)
        this.error(
          'field-access-without-form',
          el,
          t('wf:editable/readonly/hidden/editableFrom/required 需要 camunda:formRef 指定表单', 'wf:editable/readonly/hidden/editableFrom/required need a form named by camunda:formRef'),
        );
      if (el.formRefBinding !== undefined || el.formRefVersion !== undefined)
        this.error('form-ref-missing', el, t('设置了 formRefBinding/formRefVersion 但没有 camunda:formRef', 'formRefBinding/formRefVersion without camunda:formRef'));
      return null;
    }
    const binding = (el.formRefBinding as string | undefined) ?? 'latest';
    let version: number | null = null;
    if (binding === 'version') {
      version = Number(el.formRefVersion);
      if (!Number.isInteger(version) || version < 1) {
        this.error('form-ref-version', el, t('formRefBinding="version" 需要正整数 camunda:formRefVersion', 'formRefBinding="version" needs a positive integer camunda:formRefVersion'));
        return null;
      }
    } else if (binding !== 'latest') {
      this.error('form-ref-binding', el, t(`不支持 formRefBinding="${binding}"，请用 latest 或 version`, `formRefBinding="${binding}" is not supported; use latest or version`));
      return null;
    } else if (el.formRefVersion !== undefined) {
      this.error('form-ref-version', el, t('camunda:formRefVersion 只能与 formRefBinding="version" 一起使用', 'camunda:formRefVersion needs formRefBinding="version"'));
    }
    const known = this.options.forms?.fields(key, version);
    if (this.options.forms && !known) {
      this.error('unknown-form', el, t(`引用的表单 ${key}${version ? ` 第 ${version} 版` : ''} 不存在`, `the form ${key}${version ? ` version ${version}` : ''} is not deployed`));
    }
    const access: FormReference['access'] = { default: lists.editable !== undefined ? 'readonly' : fallback, fields: {} };
    for (const kind of ['editable', 'readonly', 'hidden'] as const) {
      for (const field of (lists[kind] ?? '')
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean)) {
        if (field === '*') {
          access.default = kind;
          continue;
        }
        if (known && !known.includes(field)) this.error('unknown-form-field', el, t(`表单 ${key} 没有字段 ${field}（wf:${kind}）`, `the form ${key} has no field ${field} (wf:${kind})`));
        if (access.fields[field] && access.fields[field] !== kind) this.error('conflicting-field-access', el, t(`字段 ${field} 的权限设置冲突`, `field ${field} is given two permissions`));
        access.fields[field] = kind;
      }
    }
    const required = ((el.required as string | undefined) ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    for (const field of required) {
      if (known && !known.includes(field)) this.error('unknown-form-field', el, t(`表单 ${key} 没有字段 ${field}（wf:required）`, `the form ${key} has no field ${field} (wf:required)`));
      else if ((access.fields[field] ?? access.default) !== 'editable')
        this.error('required-not-editable', el, t(`必填字段 ${field} 在本节点不可编辑（wf:required）`, `the required field ${field} is not editable at this node (wf:required)`));
    }
    if (required.length) access.required = required;
    const editableFrom = (el.editableFrom as string | undefined)?.trim() || null;
    if (editableFrom !== null) {
      if (!/^[A-Za-z_$][\w$]{0,127}$/.test(editableFrom)) this.error('bad-attribute', el, t(`wf:editableFrom 应为变量名：${editableFrom}`, `wf:editableFrom should name a variable: ${editableFrom}`));
      else if (lists.editable === undefined) access.default = 'readonly'; // only what the variable lists is editable
    }
    return { key, version, access, editableFrom };
  }

  private serviceTask(el: Element): void {
    this.activity(el, 'service');
    if (el.decisionRef) return this.error('unsupported-implementation', el, t('不支持 DMN 决策表', 'DMN decisions are not supported'));
    if (el.class) {
      return this.error(
        'unsupported-implementation',
        el,
        t(
          '不支持 Java 类（camunda:class），请使用 camunda:type="external" 与 camunda:topic 指定处理器',
          'Java classes (camunda:class) are not supported; use camunda:type="external" with camunda:topic naming a handler',
        ),
      );
    }
    if (el.expression) {
      return this.error(
        'unsupported-implementation',
        el,
        t(
          '不支持方法表达式（camunda:expression），请使用 camunda:type="external" 与 camunda:topic 指定处理器',
          'Method expressions (camunda:expression) are not supported; use camunda:type="external" with camunda:topic naming a handler',
        ),
      );
    }
    const handler = handlerName(el);
    if (!handler) {
      return this.error(
        'service-task-no-handler',
        el,
        t(
          '服务任务没有指定处理器（camunda:type="external" + camunda:topic，或 camunda:delegateExpression="${名称}"）',
          'The service task names no handler (camunda:type="external" + camunda:topic, or camunda:delegateExpression="${name}")',
        ),
      );
    }
    if (!this.options.isKnownHandler(handler)) this.unknownHandler(el, handler);
    else this.checkHandlerInputs(el, handler);
    this.model.serviceTasks[String(el.id)] = {
      id: String(el.id),
      name: (el.name as string | undefined) ?? null,
      handler,
      retry: this.retryPolicy(el),
      resultVariable: (el.resultVariable as string | undefined) ?? null,
    };
  }

  /** `sms.sendd`: name the connector's operations, so the analyst sees what was meant. */
  private unknownHandler(el: Element, handler: string): void {
    const prefix = handler.includes('.') ? handler.slice(0, handler.indexOf('.') + 1) : null;
    const siblings = prefix ? (this.options.handlerNames?.() ?? []).filter((name) => name.startsWith(prefix)) : [];
    if (siblings.length) {
      const connector = prefix!.slice(0, -1);
      const operation = handler.slice(prefix!.length);
      const names = siblings.map((name) => name.slice(prefix!.length)).join(', ');
      return this.error(
        'unknown-handler',
        el,
        t(`连接器 ${connector} 没有操作 ${operation}，可用的操作：${names}`, `The connector ${connector} has no operation ${operation}; its operations: ${names}`),
      );
    }
    this.error('unknown-handler', el, t(`处理器 ${handler} 未注册`, `No handler named ${handler} is registered`));
  }

  /** A connector operation's required inputs must be mapped; a name it does not read is probably misspelt. */
  private checkHandlerInputs(el: Element, handler: string): void {
    const declared = this.options.handlerInputs?.(handler);
    if (!declared) return;
    const mapped = new Set((this.model.inputOutput[String(el.id)]?.inputs ?? []).map((p) => p.name));
    const missing = declared.required.filter((name) => !mapped.has(name));
    if (missing.length) {
      this.error(
        'handler-input-missing',
        el,
        t(`${handler} 需要输入参数 ${missing.join(', ')}（camunda:inputParameter）`, `${handler} needs the input parameters ${missing.join(', ')} (camunda:inputParameter)`),
      );
    }
    const known = declared.known;
    for (const name of known ? [...mapped].filter((n) => !known.includes(n)) : []) {
      this.warn(
        'handler-input-unknown',
        el,
        t(`${handler} 不读取输入参数 ${name}；它读取：${known!.join(', ')}`, `${handler} does not read the input parameter ${name}; it reads: ${known!.join(', ')}`),
      );
    }
  }

  /** camunda:failedJobRetryTimeCycle `R5/PT1M`: 5 attempts, first retry after one minute. */
  private retryPolicy(el: Element): RetryPolicy {
    const cycle = extensionValues(el).find((v) => v.$type === 'camunda:FailedJobRetryTimeCycle');
    if (!cycle) return DEFAULT_RETRY;
    const body = String(cycle.body ?? '').trim();
    const match = /^R(\d+)\/(P.+)$/.exec(body);
    const interval = match && tryInterval(`R1/${match[2]}`);
    if (!match || !interval) {
      this.error('invalid-retry-cycle', el, t(`重试周期 "${body}" 应形如 R3/PT5M`, `The retry cycle "${body}" should look like R3/PT5M`));
      return DEFAULT_RETRY;
    }
    const now = new Date();
    return { maxAttempts: Math.max(1, Number(match[1])), backoffMs: Math.max(0, interval.getExpireAt(now, now).getTime() - now.getTime()) };
  }

  private callActivity(el: Element): void {
    this.activity(el, 'bpmn:CallActivity');
    const calledElement = String(el.calledElement ?? '').trim();
    if (!calledElement) return this.error('call-activity-no-target', el, t('调用活动没有指定被调用的流程（calledElement）', 'The call activity names no called process (calledElement)'));
    if (calledElement.includes('${')) return this.error('call-activity-dynamic', el, t('被调用流程不能是表达式', 'The called process cannot be an expression'));
    const binding = (el.calledElementBinding as string | undefined) ?? 'latest';
    let version: number | null = null;
    if (binding === 'version') {
      version = Number(el.calledElementVersion);
      if (!Number.isInteger(version) || version < 1) {
        this.error('call-activity-version', el, t('calledElementBinding="version" 需要正整数 calledElementVersion', 'calledElementBinding="version" needs a positive integer calledElementVersion'));
      }
    } else if (binding !== 'latest' && binding !== 'deployment') {
      this.error('call-activity-binding', el, t(`不支持的绑定方式 ${binding}`, `Unsupported binding ${binding}`));
    }
    const mappings = (type: string): VariableMapping[] =>
      extensionValues(el)
        .filter((v) => v.$type === type && !v.businessKey)
        .map((v) => {
          const mapping = {
            source: (v.source as string | undefined) ?? null,
            sourceExpression: (v.sourceExpression as string | undefined) ?? null,
            target: (v.target as string | undefined) ?? null,
            all: v.variables === 'all',
          };
          if (mapping.sourceExpression) this.expression(el, mapping.sourceExpression);
          if (!mapping.all && (!mapping.target || (!mapping.source && !mapping.sourceExpression))) {
            this.error(
              'invalid-variable-mapping',
              el,
              t('变量映射需要 source（或 sourceExpression）与 target，或 variables="all"', 'A variable mapping needs source (or sourceExpression) and target, or variables="all"'),
            );
          }
          return mapping;
        });
    const businessKeyIn = extensionValues(el).find((v) => v.$type === 'camunda:In' && v.businessKey);
    const model: CallActivityModel = {
      id: String(el.id),
      calledElement,
      version,
      inputs: mappings('camunda:In'),
      outputs: mappings('camunda:Out'),
      businessKey: (businessKeyIn?.businessKey as string | undefined) ?? null,
    };
    if (model.businessKey) this.expression(el, model.businessKey);
    this.model.callActivities[model.id] = model;
  }

  private checkLoop(el: Element): void {
    const loop = el.loopCharacteristics as Element | undefined;
    if (!loop) return;
    if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
      return this.error('unsupported-loop', el, t('不支持标准循环，请使用多实例', 'Standard loops are not supported; use multi-instance'));
    }
    this.checkCamundaAttributes(loop, 'bpmn:MultiInstanceLoopCharacteristics', el);
    const body = (k: string) => (loop[k] as Element | undefined)?.body as string | undefined;
    const model = {
      sequential: loop.isSequential === true,
      collection: (loop.collection as string | undefined) ?? null,
      elementVariable: (loop.elementVariable as string | undefined) ?? null,
      cardinality: body('loopCardinality')?.trim() ?? null,
      completionCondition: body('completionCondition')?.trim() ?? null,
    };
    if (!model.collection && !model.cardinality) {
      this.error('multi-instance-empty', el, t('多实例需要 loopCardinality 或 camunda:collection', 'Multi-instance needs loopCardinality or camunda:collection'));
    }
    for (const text of [model.collection, model.cardinality, model.completionCondition]) if (text) this.expression(el, text);
    this.model.multiInstance[String(el.id)] = model;
  }

  // ---- gateways and flows --------------------------------------------------------

  private branchingGateway(el: Element): void {
    this.checkCamundaAttributes(el, 'common');
    this.checkExtensions(el, []);
    // <outgoing> children are optional in BPMN XML: the flows' sourceRef is what counts.
    const siblings = ((el.$parent as Element | undefined)?.flowElements as Element[] | undefined) ?? [];
    const outgoing = siblings.filter((f) => f.$type === 'bpmn:SequenceFlow' && f.sourceRef === el);
    const defaultFlow = el.default as Element | undefined;
    if (outgoing.length < 2) return;
    for (const flow of outgoing) {
      if (flow === defaultFlow || flow.conditionExpression) continue;
      // Camunda 7's meaning: a flow without a condition is taken whenever it is reached (an exclusive gateway takes the first that holds, in order).
      this.warn(
        'gateway-flow-without-condition',
        flow,
        t(
          `网关 ${el.id} 的出口 ${flow.id} 没有条件：按 Camunda 7 的规则视为成立${el.$type === 'bpmn:ExclusiveGateway' ? '，排他网关按顺序取第一条成立的出口' : ''}`,
          `Outgoing flow ${flow.id} of gateway ${el.id} has no condition: as in Camunda 7 it holds${el.$type === 'bpmn:ExclusiveGateway' ? ', and an exclusive gateway takes the first flow that holds, in order' : ''}`,
        ),
      );
    }
  }

  private sequenceFlow(el: Element): void {
    this.checkExtensions(el, []);
    if (!el.sourceRef || !el.targetRef) {
      this.error('dangling-flow', el, t('顺序流必须同时有 sourceRef 和 targetRef', 'A sequence flow needs both sourceRef and targetRef'));
    }
    const condition = el.conditionExpression as Element | undefined;
    if (!condition) return;
    if ((el.sourceRef as Element | undefined)?.$type === 'bpmn:ParallelGateway') {
      // Camunda ignores them, and so does the runtime (bpmn-source.ts drops them): say so rather than surprise.
      return this.warn(
        'parallel-gateway-condition',
        el,
        t('并行网关的出口条件不起作用（与 Camunda 相同），所有出口都会执行', 'Conditions on flows out of a parallel gateway are ignored (as in Camunda): every flow is taken'),
      );
    }
    const language = (condition.language as string | undefined)?.toLowerCase();
    if (language && language !== 'juel' && language !== 'expression') {
      return this.error('script-condition', el, t(`不执行 ${language} 脚本条件，请使用 \${…} 表达式`, `${language} script conditions are not run; use a \${…} expression`));
    }
    const body = String(condition.body ?? '').trim();
    if (!body) return this.error('empty-condition', el, t('条件表达式为空', 'The condition expression is empty'));
    if (!body.includes('${') && !body.includes('#{')) {
      return this.error('condition-not-expression', el, t('条件必须写成 ${…} 表达式', 'A condition must be written as a ${…} expression'));
    }
    this.expression(el, body);
    this.model.conditions.push(body);
  }

  // ---- extensions -----------------------------------------------------------------

  private expression(el: Element, text: ExpressionText): void {
    const problem = this.options.checkExpression(text);
    if (problem) this.error('invalid-expression', el, t(`表达式 ${text} 有误：${problem}`, `Invalid expression ${text}: ${problem}`));
    else this.model.expressions.push(text);
  }

  private checkCamundaAttributes(el: Element, family: string, reportOn: Element = el): void {
    const allowed = new Set([...(CAMUNDA_ATTRIBUTES.common ?? []), ...(CAMUNDA_ATTRIBUTES[family] ?? [])]);
    const descriptor = el.$descriptor?.propertiesByName ?? {};
    for (const key of Object.keys(el)) {
      const ns = descriptor[key]?.ns;
      if (ns?.prefix !== 'camunda' || el[key] === undefined) continue;
      if (IGNORABLE_ENGINE_ATTRIBUTES.has(ns.localName) && allowed.has(ns.localName)) {
        this.warn('ignored-attribute', reportOn, t(`camunda:${ns.localName} 在这里没有作用，已忽略`, `camunda:${ns.localName} has no effect here and is ignored`));
      } else if (!allowed.has(ns.localName)) {
        this.error('unsupported-attribute', reportOn, t(`不支持属性 camunda:${ns.localName}`, `The attribute camunda:${ns.localName} is not supported`));
      }
    }
    for (const attr of Object.keys(el.$attrs ?? {})) {
      if (attr.startsWith('camunda:')) {
        this.error('unsupported-attribute', reportOn, t(`不支持属性 ${attr}`, `The attribute ${attr} is not supported`));
      }
    }
  }

  private checkExtensions(el: Element, allowed: string[]): void {
    for (const value of extensionValues(el)) {
      if (value.$type === 'camunda:Properties' || allowed.includes(value.$type)) continue;
      const prefix = value.$type.includes(':') ? value.$type.split(':')[0]! : '';
      if (value.$type === 'zeebe:taskDefinition' && handlerName(el)) continue; // read as the task's handler
      if (!OWN_EXTENSIONS.has(prefix)) {
        this.warn('foreign-extension', el, t(`其他工具的扩展元素 ${value.$type} 已忽略`, `The extension element ${value.$type} of another tool is ignored`));
        continue;
      }
      const hint =
        value.$type === 'camunda:ExecutionListener' || value.$type === 'camunda:TaskListener'
          ? t('不执行监听器（listener），请把逻辑放进服务任务', 'Listeners are not run; move their logic into a service task')
          : t(`不支持扩展元素 ${value.$type}`, `The extension element ${value.$type} is not supported`);
      this.error('unsupported-extension', el, hint);
    }
  }

  private collectInputOutput(el: Element): void {
    const io = extensionValues(el).find((v) => v.$type === 'camunda:InputOutput');
    if (!io) return;
    const params = (list: unknown) => ((list as Element[] | undefined) ?? []).map((p) => ({ name: String(p.name), value: this.parameterValue(el, p) }));
    const model: InputOutputModel = { inputs: params(io.inputParameters), outputs: params(io.outputParameters) };
    this.model.inputOutput[String(el.id)] = model;
  }

  private parameterValue(el: Element, p: Element): ParameterValue {
    const definition = p.definition as Element | undefined;
    if (!definition) {
      const text = String(p.value ?? '');
      if (text.includes('${') || text.includes('#{')) this.expression(el, text);
      return { kind: 'text', text };
    }
    return this.definitionValue(el, definition);
  }

  /** A camunda:list, camunda:map or camunda:value — in a parameter, an entry, or an item of a list. */
  private definitionValue(el: Element, definition: Element): ParameterValue {
    switch (definition.$type) {
      case 'camunda:List':
        return { kind: 'list', items: ((definition.items as Element[] | undefined) ?? []).map((item) => this.definitionValue(el, item)) };
      case 'camunda:Map':
        return {
          kind: 'map',
          entries: ((definition.entries as Element[] | undefined) ?? []).map((entry) => ({ key: String(entry.key), value: this.parameterValue(el, entry) })),
        };
      case 'camunda:Value':
        return this.parameterValue(el, { ...definition, definition: undefined } as Element);
      default:
        this.error('unsupported-parameter', el, t(`不支持参数类型 ${definition.$type}（脚本不执行）`, `Unsupported parameter type ${definition.$type} (scripts are not run)`));
        return { kind: 'text', text: '' };
    }
  }
}

/** What a thrown error is matched by: its errorCode, as in Camunda (else its name or id). */
function errorCode(error: Element): string {
  return String(error.errorCode ?? error.name ?? error.id);
}

function extensionValues(el: Element): Element[] {
  return ((el.extensionElements as Element | undefined)?.values as Element[] | undefined) ?? [];
}

/** The registered handler a service-like task calls, from the ways Camunda Modeler and bpmn-engine write it. */
function handlerName(el: Element): string | null {
  if (el.type === 'external' && el.topic) return String(el.topic).trim();
  // A Camunda 8 model: its job type is the topic.
  const zeebe = extensionValues(el).find((v) => v.$type === 'zeebe:taskDefinition')?.type;
  if (typeof zeebe === 'string' && zeebe.trim() && !zeebe.includes('=')) return zeebe.trim();
  const delegate = /^\$\{\s*([A-Za-z_$][\w$.-]*)\s*\}$/.exec(String(el.delegateExpression ?? '').trim());
  if (delegate) return delegate[1]!;
  const implementation = /^\$\{\s*environment\.services\.([A-Za-z_$][\w$-]*)\s*\}$/.exec(String(el.implementation ?? '').trim());
  if (implementation) return implementation[1]!;
  return null;
}

function tryInterval(value: string): ISOInterval | null {
  try {
    return new ISOInterval(value).parse();
  } catch {
    return null;
  }
}

function isValidTimer(type: TimerSpec['type'], value: string): boolean {
  if (!value) return false;
  if (type !== 'timeDate') return tryInterval(value) !== null;
  try {
    return !Number.isNaN(getDate(value).getTime());
  } catch {
    return false;
  }
}
