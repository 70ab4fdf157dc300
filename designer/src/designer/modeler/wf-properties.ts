/**
 * The properties panel's groups for our BPMN extension (wf:), next to the
 * panel's own and Camunda's: who handles a user task (rules picked from the
 * organisation in a dialog the page opens on `wf.pick`), how several decide,
 * the form with a permission per field, due dates on SLA tables and
 * calendars, copies, returns and notices; a process's starters, supervision
 * and result. Entries are Preact (the panel's), built with `h`.
 */
import { CheckboxEntry, isCheckboxEntryEdited, isSelectEntryEdited, isTextFieldEntryEdited, SelectEntry, TextFieldEntry } from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useEffect, useState } from '@bpmn-io/properties-panel/preact/hooks';
import { useService } from 'bpmn-js-properties-panel';
import type { MessageKey } from '../../i18n/index.tsx';
import { InputMapping, OutputMapping } from './mapping-entries.ts';
import { CHANNELS, EVENTS, readNotify, writeNotify, type Channel, type NotifyEvent } from './notify.ts';
import { describeSla, describeTimer } from './timers.ts';

/** What the page gives the panel: its words, the lists to pick from, and a form's fields. */
export interface WfCatalog {
  t(key: MessageKey, values?: Record<string, string | number>): string;
  forms: Array<{ key: string; title: string }>;
  calendars: string[];
  slas: string[];
  handlers: string[];
  /** Connector operations with their input's JSON Schema (the input mapping's rows). */
  operations: Array<{ handler: string; title: string; input: Record<string, unknown> }>;
  /** The SLA tables, whole: a picked one's limits, reminder and escalations are shown. */
  slaTables: SlaTableView[];
  /** A form's fields with their JSON type. */
  fields(formKey: string): Promise<Array<{ name: string; title: string; type?: string | null }>>;
  /** Why rule text is not an assignee rule, or null. */
  ruleProblem(text: string): string | null;
}

export interface SlaTableView {
  key: string;
  name: string;
  by: string;
  rows: Record<string, { duration: string; calendar: string }>;
  remindBeforeMs: number | null;
  escalations: Array<{ at: number; action: 'reassign' | 'notify'; to: string }>;
}

interface BusinessObject {
  $type: string;
  get(name: string): unknown;
}
interface Shape {
  id: string;
  businessObject: BusinessObject;
}
interface Modeling {
  updateProperties(element: Shape, properties: Record<string, unknown>): void;
}
interface Entry {
  id: string;
  component: (props: { element: Shape; id: string }) => unknown;
  isEdited?: (node: unknown) => boolean;
}
interface Group {
  id: string;
  label: string;
  entries: Entry[];
}

const is = (element: Shape, type: string) => element.businessObject.$type === type;

/** One component per entry for the panel's life: a new one on every redraw would lose the focus while typing. */
const made = new Map<string, unknown>();
function once<T>(key: string, make: () => T): T {
  if (!made.has(key)) made.set(key, make());
  return made.get(key) as T;
}

function attrText(attr: string, label: MessageKey, options: { description?: MessageKey; validate?: (catalog: WfCatalog, value: string) => string | null } = {}) {
  return once(
    `text:${attr}`,
    () =>
      function AttrText({ element, id }: { element: Shape; id: string }) {
        const modeling = useService('modeling') as Modeling;
        const catalog = useService('wfCatalog') as WfCatalog;
        const debounce = useService('debounceInput') as <T>(fn: T) => T;
        return h(TextFieldEntry, {
          element,
          id,
          label: catalog.t(label),
          description: options.description && catalog.t(options.description),
          debounce,
          getValue: () => (element.businessObject.get(attr) as string | undefined) ?? '',
          setValue: (value: string) => modeling.updateProperties(element, { [attr]: value?.trim() || undefined }),
          validate: options.validate && ((value: string) => (value ? options.validate!(catalog, value) : null)),
        });
      },
  );
}

function attrSelect(attr: string, label: MessageKey, choices: (catalog: WfCatalog) => Array<{ value: string; label: string }>) {
  return once(
    `select:${attr}`,
    () =>
      function AttrSelect({ element, id }: { element: Shape; id: string }) {
        const modeling = useService('modeling') as Modeling;
        const catalog = useService('wfCatalog') as WfCatalog;
        return h(SelectEntry, {
          element,
          id,
          label: catalog.t(label),
          getValue: () => (element.businessObject.get(attr) as string | undefined) ?? '',
          setValue: (value: string) => modeling.updateProperties(element, { [attr]: value || undefined }),
          getOptions: () => [{ value: '', label: catalog.t('designer.wf.default') }, ...choices(catalog)],
        });
      },
  );
}

const ruleCheck = (catalog: WfCatalog, value: string) => (value.includes('${') ? null : catalog.ruleProblem(value));
const options = (catalog: WfCatalog, values: string[], prefix: string) => values.map((value) => ({ value, label: catalog.t(`${prefix}.${value}` as MessageKey) }));

/** The rule text with a button opening the organisation picker (the page's dialog). */
function Assignees({ element, id }: { element: Shape; id: string }) {
  const eventBus = useService('eventBus') as { fire(event: string, data: unknown): void };
  const catalog = useService('wfCatalog') as WfCatalog;
  const Text = attrText('wf:assignees', 'designer.wf.assignees', { description: 'designer.wf.assigneesHint', validate: ruleCheck });
  return h(
    'div',
    null,
    h(Text, { element, id }),
    h(
      'button',
      { type: 'button', class: 'wf-panel-button', style: 'color: #0958d9; border-color: #0958d9', onClick: () => eventBus.fire('wf.pick', { element, attr: 'wf:assignees' }) },
      catalog.t('designer.wf.pickAssignees'),
    ),
  );
}

const ACCESS = ['editable', 'readonly', 'hidden'] as const;
type Access = (typeof ACCESS)[number];

/** Each field of the node's form: editable, read-only or hidden here (wf:editable / wf:readonly / wf:hidden). */
function FieldMatrix({ element }: { element: Shape; id: string }) {
  const modeling = useService('modeling') as Modeling;
  const catalog = useService('wfCatalog') as WfCatalog;
  const formKey = (element.businessObject.get('camunda:formRef') as string | undefined) ?? '';
  const [fields, setFields] = useState<Array<{ name: string; title: string }> | null>(null);
  useEffect(() => {
    let live = true;
    setFields(null);
    if (formKey) void catalog.fields(formKey).then((f) => live && setFields(f));
    return () => {
      live = false;
    };
  }, [formKey]);
  if (!formKey) return h('p', { class: 'wf-panel-note' }, catalog.t('designer.wf.noForm'));
  if (!fields) return h('p', { class: 'wf-panel-note' }, catalog.t('common.loading'));
  const lists = Object.fromEntries(
    ACCESS.map((a) => [
      a,
      String(element.businessObject.get(`wf:${a}`) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ]),
  ) as Record<Access, string[]>;
  // A user task's fields are read-only unless made editable; a start form's are editable unless restricted.
  const start = is(element, 'bpmn:StartEvent');
  const accessOf = (field: string): Access => {
    if (lists.hidden.includes(field) || lists.hidden.includes('*')) return 'hidden';
    if (lists.readonly.includes(field) || lists.readonly.includes('*')) return 'readonly';
    if (lists.editable.includes(field) || lists.editable.includes('*')) return 'editable';
    return start ? 'editable' : 'readonly';
  };
  const set = (field: string, access: Access) => {
    const next = Object.fromEntries(ACCESS.map((a) => [a, fields.filter((f) => (f.name === field ? access : accessOf(f.name)) === a).map((f) => f.name)])) as Record<Access, string[]>;
    const value = (a: Access) => {
      const names = next[a];
      if (a === (start ? 'editable' : 'readonly') || !names.length) return undefined;
      return names.join(',');
    };
    modeling.updateProperties(element, { 'wf:editable': value('editable'), 'wf:readonly': value('readonly'), 'wf:hidden': value('hidden') });
  };
  return h(
    'table',
    { class: 'wf-matrix', 'aria-label': catalog.t('designer.wf.fieldAccess') },
    h('thead', null, h('tr', null, h('th', null, catalog.t('designer.wf.field')), ...ACCESS.map((a) => h('th', { key: a }, catalog.t(`designer.wf.access.${a}`))))),
    h(
      'tbody',
      null,
      fields.map((f) =>
        h(
          'tr',
          { key: f.name },
          h('td', { title: f.name }, f.title),
          ...ACCESS.map((a) =>
            h(
              'td',
              { key: a },
              h('input', {
                type: 'radio',
                name: `${element.id}-${f.name}`,
                checked: accessOf(f.name) === a,
                'aria-label': catalog.t('designer.labelled', { label: f.title, text: catalog.t(`designer.wf.access.${a}`) }),
                'data-field': f.name,
                'data-access': a,
                onChange: () => set(f.name, a),
              }),
            ),
          ),
        ),
      ),
    ),
  );
}

interface TimerDefinition {
  $type: string;
  timeDuration?: { body?: string };
  timeCycle?: { body?: string };
  timeDate?: { body?: string };
}
const timerOf = (element: Shape) => ((element.businessObject.get('eventDefinitions') as TimerDefinition[] | undefined) ?? []).find((d) => d.$type === 'bpmn:TimerEventDefinition');

/** The timer's value in words, under the panel's own timer entries (每个工作日 09:00). */
function TimerPreview({ element }: { element: Shape; id: string }) {
  const catalog = useService('wfCatalog') as WfCatalog;
  const timer = timerOf(element);
  const kind = (['timeCycle', 'timeDuration', 'timeDate'] as const).find((k) => timer?.[k]);
  const text = kind ? describeTimer(kind, timer?.[kind]?.body ?? '', catalog.t) : catalog.t('designer.timer.empty');
  return h('p', { class: 'wf-panel-note', 'data-timer-preview': '' }, catalog.t('designer.timer.reads', { text }));
}

/** A service task's handler: a connector operation or a built-in, by name (camunda:type="external" camunda:topic). */
function Handler({ element, id }: { element: Shape; id: string }) {
  const modeling = useService('modeling') as Modeling;
  const catalog = useService('wfCatalog') as WfCatalog;
  return h(SelectEntry, {
    element,
    id,
    label: catalog.t('designer.wf.handler'),
    getValue: () => (element.businessObject.get('camunda:topic') as string | undefined) ?? '',
    setValue: (value: string) => modeling.updateProperties(element, value ? { 'camunda:type': 'external', 'camunda:topic': value } : { 'camunda:type': undefined, 'camunda:topic': undefined }),
    getOptions: () => [
      { value: '', label: catalog.t('designer.wf.default') },
      ...catalog.handlers.map((name) => {
        const operation = catalog.operations.find((o) => o.handler === name);
        return { value: name, label: operation ? catalog.t('designer.wf.named', { title: operation.title, key: name }) : name };
      }),
    ],
  });
}

/** Each notice of the task (new, reminder, overdue, escalation) by SMS and/or e-mail besides the site (wf:notify). */
function NotifyEntry({ element }: { element: Shape; id: string }) {
  const modeling = useService('modeling') as Modeling;
  const catalog = useService('wfCatalog') as WfCatalog;
  const matrix = readNotify(element.businessObject.get('wf:notify') as string | undefined);
  const set = (event: NotifyEvent, channel: Channel, on: boolean) => {
    const next = { ...matrix, [event]: CHANNELS.filter((c) => (c === channel ? on : matrix[event].includes(c))) };
    modeling.updateProperties(element, { 'wf:notify': writeNotify(next) });
  };
  return h(
    'table',
    { class: 'wf-matrix', 'aria-label': catalog.t('designer.wf.notify') },
    h('caption', { class: 'wf-matrix-caption' }, catalog.t('designer.wf.notifyHint')),
    h('thead', null, h('tr', null, h('th', null, catalog.t('designer.wf.notifyEvent')), ...CHANNELS.map((c) => h('th', { key: c }, catalog.t(`designer.wf.channel.${c}`))))),
    h(
      'tbody',
      null,
      EVENTS.map((event) =>
        h(
          'tr',
          { key: event },
          h('td', null, catalog.t(`designer.wf.event.${event}`)),
          ...CHANNELS.map((channel) =>
            h(
              'td',
              { key: channel },
              h('input', {
                type: 'checkbox',
                checked: matrix[event].includes(channel),
                'aria-label': catalog.t('designer.labelled', { label: catalog.t(`designer.wf.event.${event}`), text: catalog.t(`designer.wf.channel.${channel}`) }),
                'data-event': event,
                'data-channel': channel,
                onChange: (e: Event) => set(event, channel, (e.target as HTMLInputElement).checked),
              }),
            ),
          ),
        ),
      ),
    ),
  );
}

/** The picked SLA table in words: limits, reminder, escalation steps (edited in definitions/sla). */
function SlaSummary({ element }: { element: Shape; id: string }) {
  const catalog = useService('wfCatalog') as WfCatalog;
  const table = catalog.slaTables.find((s) => s.key === element.businessObject.get('wf:sla'));
  if (!table) return h('p', { class: 'wf-panel-note' }, catalog.t('designer.sla.none'));
  return h(
    'ul',
    { class: 'wf-panel-note wf-sla', 'data-sla': table.key },
    describeSla(table, catalog.t).map((line, i) => h('li', { key: i }, line)),
  );
}

function FormRef({ element, id }: { element: Shape; id: string }) {
  const Select = attrSelect('camunda:formRef', 'designer.wf.form', (catalog) =>
    catalog.forms.map((f) => ({ value: f.key, label: catalog.t('designer.wf.formOption', { title: f.title, key: f.key }) })),
  );
  return h(Select, { element, id });
}

export class WfPropertiesProvider {
  static $inject = ['propertiesPanel', 'wfCatalog'];

  constructor(
    propertiesPanel: { registerProvider(priority: number, provider: unknown): void },
    private readonly catalog: WfCatalog,
  ) {
    propertiesPanel.registerProvider(500, this);
  }

  getGroups(element: Shape) {
    return (groups: Group[]) => {
      const t = this.catalog.t;
      const text = (id: string, attr: string, label: MessageKey, extra: Parameters<typeof attrText>[2] = {}): Entry => ({
        id,
        component: attrText(attr, label, extra),
        isEdited: isTextFieldEntryEdited,
      });
      const select = (id: string, attr: string, label: MessageKey, choices: (c: WfCatalog) => Array<{ value: string; label: string }>): Entry => ({
        id,
        component: attrSelect(attr, label, choices),
        isEdited: isSelectEntryEdited,
      });
      const mine: Group[] = [];
      if (is(element, 'bpmn:UserTask')) {
        mine.push({
          id: 'wf-assignees',
          label: t('designer.wf.group.assignees'),
          entries: [
            { id: 'wf-assignees-rule', component: Assignees, isEdited: isTextFieldEntryEdited },
            select('wf-assignMode', 'wf:assignMode', 'designer.wf.assignMode', (c) => options(c, ['auto', 'candidates', 'assign'], 'designer.wf.assignMode')),
            select('wf-sign', 'wf:sign', 'designer.wf.sign', (c) => options(c, ['or', 'all', 'sequential', '50%', '67%'], 'designer.wf.sign')),
            select('wf-fallback', 'wf:fallback', 'designer.wf.fallback', (c) => options(c, ['incident', 'admin', 'skip'], 'designer.wf.fallback')),
            text('wf-cc', 'wf:cc', 'designer.wf.cc', { validate: ruleCheck }),
            text('wf-returnTo', 'wf:returnTo', 'designer.wf.returnTo', { description: 'designer.wf.returnToHint' }),
            { id: 'wf-notify', component: NotifyEntry },
          ],
        });
        mine.push({
          id: 'wf-due',
          label: t('designer.wf.group.due'),
          entries: [
            select('wf-sla', 'wf:sla', 'designer.wf.sla', (c) => c.slaTables.map((s) => ({ value: s.key, label: c.t('designer.wf.named', { title: s.name, key: s.key }) }))),
            { id: 'wf-sla-summary', component: SlaSummary },
            select('wf-calendar', 'wf:calendar', 'designer.wf.calendar', (c) => c.calendars.map((s) => ({ value: s, label: s }))),
            text('wf-dueDate', 'camunda:dueDate', 'designer.wf.dueDate', { description: 'designer.wf.dueDateHint' }),
          ],
        });
      }
      if (is(element, 'bpmn:UserTask') || is(element, 'bpmn:StartEvent')) {
        mine.push({
          id: 'wf-form',
          label: t('designer.wf.group.form'),
          entries: [
            { id: 'wf-formRef', component: FormRef, isEdited: isSelectEntryEdited },
            { id: 'wf-fields', component: FieldMatrix },
          ],
        });
      }
      if (is(element, 'bpmn:Process') || is(element, 'bpmn:Participant')) {
        mine.push({
          id: 'wf-process',
          label: t('designer.wf.group.process'),
          entries: [
            text('wf-starters', 'wf:starters', 'designer.wf.starters', { description: 'designer.wf.startersHint' }),
            text('wf-supervisionDays', 'wf:supervisionDays', 'designer.wf.supervisionDays'),
            text('wf-supervisors', 'wf:supervisors', 'designer.wf.supervisors', { validate: ruleCheck }),
            select('wf-identityLevel', 'wf:identityLevel', 'designer.wf.identityLevel', (c) => options(c, ['1', '2', '3'], 'designer.wf.identityLevel')),
            { id: 'wf-requireAssignee', component: flag('wf:requireAssignee', 'designer.wf.requireAssignee'), isEdited: isCheckboxEntryEdited },
          ],
        });
      }
      if (timerOf(element)) mine.push({ id: 'wf-timer', label: t('designer.wf.group.timer'), entries: [{ id: 'wf-timer-preview', component: TimerPreview }] });
      if (is(element, 'bpmn:ServiceTask') || is(element, 'bpmn:SendTask'))
        mine.push(
          { id: 'wf-handler', label: t('designer.wf.group.handler'), entries: [{ id: 'wf-handler-topic', component: Handler, isEdited: isSelectEntryEdited }] },
          { id: 'wf-inputs', label: t('designer.map.inputs'), entries: [{ id: 'wf-input-mapping', component: InputMapping }] },
          { id: 'wf-outputs', label: t('designer.map.outputs'), entries: [{ id: 'wf-output-mapping', component: OutputMapping }] },
        );
      if (['bpmn:IntermediateCatchEvent', 'bpmn:BoundaryEvent', 'bpmn:ReceiveTask', 'bpmn:StartEvent'].some((type) => is(element, type))) {
        mine.push({ id: 'wf-correlation', label: t('designer.wf.group.correlation'), entries: [text('wf-correlationKey', 'wf:correlationKey', 'designer.wf.correlationKey')] });
      }
      // Ours right after the general group (name and id), before the panel's and Camunda's.
      groups.splice(Math.min(1, groups.length), 0, ...mine);
      return groups;
    };
  }
}

function flag(attr: string, label: MessageKey) {
  return once(
    `flag:${attr}`,
    () =>
      function Flag({ element, id }: { element: Shape; id: string }) {
        const modeling = useService('modeling') as Modeling;
        const catalog = useService('wfCatalog') as WfCatalog;
        return h(CheckboxEntry, {
          element,
          id,
          label: catalog.t(label),
          getValue: () => element.businessObject.get(attr) === true,
          setValue: (value: boolean) => modeling.updateProperties(element, { [attr]: value || undefined }),
        });
      },
  );
}

export const wfPropertiesModule = { __init__: ['wfPropertiesProvider'], wfPropertiesProvider: ['type', WfPropertiesProvider] };
