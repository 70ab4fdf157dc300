/**
 * The panel's input and output mapping of a service task (camunda:inputOutput):
 * one row per input of the picked operation, named and typed as its schema
 * says, each value suggested from the process's variables (the forms' fields,
 * the other tasks' outputs) and checked as it is typed (mappings.ts); inputs
 * the operation does not read are flagged. Below, where the result goes: a
 * result variable, or outputs named one by one. Parameters written as lists
 * or maps keep their XML.
 */
import { h } from '@bpmn-io/properties-panel/preact';
import { useEffect, useState } from '@bpmn-io/properties-panel/preact/hooks';
import { useService } from 'bpmn-js-properties-panel';
import type { MessageKey } from '../../i18n/index.tsx';
import { checkMapping, formVariables, typeKey, type KnownVariable, type MappingProblem } from './mappings.ts';
import type { WfCatalog } from './wf-properties.ts';

interface Moddle {
  create(type: string, attrs?: Record<string, unknown>): ModdleElement;
}
interface ModdleElement {
  $type: string;
  get(name: string): unknown;
}
interface Shape {
  id: string;
  businessObject: ModdleElement;
}
interface Modeling {
  updateProperties(element: Shape, properties: Record<string, unknown>): void;
  updateModdleProperties(element: Shape, target: ModdleElement, properties: Record<string, unknown>): void;
}
interface Registry {
  getAll(): Shape[];
}

type Kind = 'inputParameters' | 'outputParameters';
interface Parameter {
  name: string;
  value: string;
  /** A list or a map: shown, kept, edited in the XML. */
  structured: boolean;
}

const ioOf = (bo: ModdleElement) => ((bo.get('extensionElements') as ModdleElement | undefined)?.get('values') as ModdleElement[] | undefined)?.find((v) => v.$type === 'camunda:InputOutput');

function parametersOf(bo: ModdleElement, kind: Kind): Parameter[] {
  return ((ioOf(bo)?.get(kind) as ModdleElement[] | undefined) ?? []).map((p) => ({ name: String(p.get('name') ?? ''), value: String(p.get('value') ?? ''), structured: !!p.get('definition') }));
}

/** Writes one side of the mapping; structured parameters and the other side stay as they are. */
function writeParameters(element: Shape, kind: Kind, rows: Array<{ name: string; value: string }>, modeling: Modeling, moddle: Moddle): void {
  const bo = element.businessObject;
  let extensions = bo.get('extensionElements') as ModdleElement | undefined;
  if (!extensions) {
    extensions = moddle.create('bpmn:ExtensionElements', { values: [] });
    modeling.updateProperties(element, { extensionElements: extensions });
  }
  let io = ioOf(bo);
  if (!io) {
    io = moddle.create('camunda:InputOutput', { inputParameters: [], outputParameters: [] });
    modeling.updateModdleProperties(element, extensions, { values: [...((extensions.get('values') as ModdleElement[]) ?? []), io] });
  }
  const kept = ((io.get(kind) as ModdleElement[] | undefined) ?? []).filter((p) => p.get('definition'));
  const type = kind === 'inputParameters' ? 'camunda:InputParameter' : 'camunda:OutputParameter';
  const made = rows.filter((r) => r.name.trim() && !kept.some((k) => k.get('name') === r.name)).map((r) => moddle.create(type, { name: r.name.trim(), value: r.value }));
  modeling.updateModdleProperties(element, io, { [kind]: [...kept, ...made] });
}

/** Every variable the diagram's forms and outputs make (the forms' fields are read from the server once). */
function useVariables(catalog: WfCatalog, registry: Registry, self: string): Map<string, KnownVariable> {
  const [variables, setVariables] = useState<Map<string, KnownVariable>>(new Map());
  const shapes = registry.getAll();
  const forms = [...new Set(shapes.map((s) => s.businessObject.get('camunda:formRef') as string | undefined).filter((f): f is string => !!f))].sort();
  const outputs = shapes
    .filter((s) => s.id !== self)
    .flatMap((s) => [
      ...(typeof s.businessObject.get('camunda:resultVariable') === 'string' ? [String(s.businessObject.get('camunda:resultVariable'))] : []),
      ...parametersOf(s.businessObject, 'outputParameters').map((p) => p.name),
    ]);
  const signature = `${forms.join(',')}|${outputs.join(',')}`;
  useEffect(() => {
    let live = true;
    void Promise.all(forms.map((f) => catalog.fields(f))).then((lists) => {
      if (!live) return;
      const out = new Map<string, KnownVariable>();
      for (const name of outputs) out.set(name, { name, type: null, source: catalog.t('designer.map.output') });
      for (const v of lists.flatMap((l) => formVariables(l))) out.set(v.name, v);
      setVariables(out);
    });
    return () => {
      live = false;
    };
  }, [signature]);
  return variables;
}

function problemText(catalog: WfCatalog, problem: MappingProblem): string {
  const values = Object.fromEntries(Object.entries(problem.values ?? {}).map(([k, v]) => [k, v.startsWith('designer.map.type.') ? catalog.t(v as MessageKey) : v]));
  return catalog.t(problem.key, values);
}

export function InputMapping({ element }: { element: Shape; id: string }) {
  const catalog = useService('wfCatalog') as WfCatalog;
  const modeling = useService('modeling') as Modeling;
  const moddle = useService('moddle') as Moddle;
  const registry = useService('elementRegistry') as Registry;
  const variables = useVariables(catalog, registry, element.id);
  const handler = (element.businessObject.get('camunda:topic') as string | undefined) ?? '';
  const operation = catalog.operations.find((o) => o.handler === handler);
  const params = parametersOf(element.businessObject, 'inputParameters');
  const schema = (operation?.input ?? {}) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  const inputs = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const listId = `wf-variables-${element.id}`;
  // What is being typed is checked as it is typed; it reaches the diagram when the input is left (one undo step).
  const [draft, setDraftState] = useState<{ name: string; value: string } | null>(null);
  const setDraft = (name: string, value: string | null) => setDraftState(value === null ? null : { name, value });
  const set = (name: string, value: string) => {
    const rows = params.filter((p) => !p.structured && p.name !== name).map(({ name: n, value: v }) => ({ name: n, value: v }));
    writeParameters(element, 'inputParameters', value.trim() ? [...rows, { name, value }] : rows, modeling, moddle);
  };
  if (!operation) return h('p', { class: 'wf-panel-note' }, catalog.t(handler ? 'designer.map.noSchema' : 'designer.map.pickHandler'));
  const extra = params.filter((p) => !Object.hasOwn(schema.properties ?? {}, p.name));
  return h(
    'div',
    { class: 'wf-mapping', 'data-mapping': 'input' },
    h(
      'datalist',
      { id: listId },
      [...variables.values()].map((v) => h('option', { key: v.name, value: `\${${v.name}}` }, `${v.source} (${v.name})`)),
    ),
    ...inputs.map(([name, input]) => {
      const param = params.find((p) => p.name === name);
      const title = typeof input.title === 'string' ? input.title : null;
      const label = `${title ?? name}${required.has(name) ? ' *' : ''}`;
      const value = draft?.name === name ? draft.value : (param?.value ?? '');
      const problem = param?.structured ? null : checkMapping(value, input, required.has(name), variables);
      const inputId = `wf-map-${element.id}-${name}`;
      return h(
        'div',
        { key: name, class: `wf-mapping-row${problem ? ` is-${problem.level}` : ''}` },
        h('label', { for: inputId }, label, h('span', { class: 'wf-mapping-type' }, ` ${title ? `${name} · ` : ''}${catalog.t(typeKey(input))}`)),
        param?.structured
          ? h('p', { class: 'wf-panel-note' }, catalog.t('designer.map.structured'))
          : h(MappedInput, { id: inputId, list: listId, name, value: param?.value ?? '', invalid: problem?.level === 'error', onCommit: (value: string) => set(name, value), onDraft: setDraft }),
        problem && h('p', { class: `wf-mapping-problem is-${problem.level}`, role: problem.level === 'error' ? 'alert' : undefined }, problemText(catalog, problem)),
      );
    }),
    ...extra.map((p) =>
      h(
        'div',
        { key: p.name, class: 'wf-mapping-row is-warning' },
        h('p', { class: 'wf-mapping-problem is-warning' }, catalog.t('designer.map.notRead', { name: p.name })),
        h('button', { type: 'button', class: 'wf-mapping-remove', onClick: () => set(p.name, '') }, catalog.t('designer.map.remove', { name: p.name })),
      ),
    ),
  );
}

function MappedInput(props: { id: string; list: string; name: string; value: string; invalid: boolean; onCommit(value: string): void; onDraft(name: string, value: string | null): void }) {
  return h('input', {
    id: props.id,
    class: 'bio-properties-panel-input',
    list: props.list,
    value: props.value,
    'data-input': props.name,
    'aria-invalid': props.invalid ? 'true' : undefined,
    onInput: (e: Event) => props.onDraft(props.name, (e.target as HTMLInputElement).value),
    onChange: (e: Event) => {
      props.onCommit((e.target as HTMLInputElement).value);
      props.onDraft(props.name, null);
    },
  });
}

export function OutputMapping({ element }: { element: Shape; id: string }) {
  const catalog = useService('wfCatalog') as WfCatalog;
  const modeling = useService('modeling') as Modeling;
  const moddle = useService('moddle') as Moddle;
  const params = parametersOf(element.businessObject, 'outputParameters');
  const rows = params.filter((p) => !p.structured);
  const write = (next: Array<{ name: string; value: string }>) => writeParameters(element, 'outputParameters', next, modeling, moddle);
  const resultId = `wf-result-${element.id}`;
  return h(
    'div',
    { class: 'wf-mapping', 'data-mapping': 'output' },
    h('label', { for: resultId }, catalog.t('designer.map.resultVariable')),
    h('input', {
      id: resultId,
      class: 'bio-properties-panel-input',
      value: (element.businessObject.get('camunda:resultVariable') as string | undefined) ?? '',
      onChange: (e: Event) => modeling.updateProperties(element, { 'camunda:resultVariable': (e.target as HTMLInputElement).value.trim() || undefined }),
    }),
    h('p', { class: 'wf-panel-note' }, catalog.t('designer.map.resultHint')),
    ...rows.map((p, i) =>
      h(
        'div',
        { key: i, class: 'wf-mapping-pair' },
        h('input', {
          class: 'bio-properties-panel-input',
          'aria-label': catalog.t('designer.map.outputName', { n: i + 1 }),
          value: p.name,
          onChange: (e: Event) => write(rows.map((r, j) => (j === i ? { ...r, name: (e.target as HTMLInputElement).value } : r))),
        }),
        h('input', {
          class: 'bio-properties-panel-input',
          'aria-label': catalog.t('designer.map.outputValue', { n: i + 1 }),
          value: p.value,
          placeholder: '${…}',
          onChange: (e: Event) => write(rows.map((r, j) => (j === i ? { ...r, value: (e.target as HTMLInputElement).value } : r))),
        }),
        h('button', { type: 'button', class: 'wf-mapping-remove', 'aria-label': catalog.t('designer.map.removeOutput', { n: i + 1 }), onClick: () => write(rows.filter((_, j) => j !== i)) }, '×'),
      ),
    ),
    h('button', { type: 'button', class: 'wf-mapping-add', onClick: () => write([...rows, { name: `output${rows.length + 1}`, value: '' }]) }, catalog.t('designer.map.addOutput')),
  );
}
