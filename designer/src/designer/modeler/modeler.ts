/**
 * bpmn-js's modeler as the BPMN view uses it: the properties panel with the
 * BPMN, Camunda and wf: groups, Camunda's behaviours (so that a Camunda
 * Modeler file keeps its camunda: attributes), the page's language, and the
 * few operations the page needs — open, save, mark the linter's problems,
 * select an element, change its attributes.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import '@bpmn-io/properties-panel/assets/properties-panel.css';
import '../../diagram/diagram.css';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule } from 'bpmn-js-properties-panel';
import CamundaBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import { laidOut } from '../../diagram/layout.ts';
import { translateModule, untranslated } from './translate.ts';
import { wfPropertiesModule, type WfCatalog } from './wf-properties.ts';

export interface ModelerElement {
  id: string;
  type: string;
  businessObject: { $type: string; id: string; name?: string; get(name: string): unknown };
}

interface Canvas {
  addMarker(id: string, marker: string): void;
  removeMarker(id: string, marker: string): void;
  zoom(level: string | number, center?: 'auto'): void;
  scrollToElement(element: ModelerElement): void;
  getRootElement(): ModelerElement;
}
interface Registry {
  get(id: string): ModelerElement | undefined;
  getAll(): ModelerElement[];
}
interface Overlays {
  add(id: string, type: string, overlay: { position: { top?: number; right?: number }; html: HTMLElement }): string;
  remove(filter: { type: string }): void;
}

export interface Modeler {
  open(xml: string): Promise<void>;
  xml(): Promise<string>;
  on(event: string, listener: (e: unknown) => void): void;
  mark(errors: Array<{ elementId?: string; message: string }>, warnings: Array<{ elementId?: string; message: string }>): void;
  select(elementId: string): void;
  update(element: ModelerElement, properties: Record<string, unknown>): void;
  nameOf(elementId: string): string;
  processName(): string;
  processKey(): string | null;
  /** The scenarios saved in the process (wf:scenario), and saving them (an undoable change like any other). */
  scenarios(): SavedScenario[];
  setScenarios(scenarios: SavedScenario[]): void;
  /** The flow's nodes (for a scenario's pickers): id, name and BPMN type; and the messages it receives. */
  nodes(): Array<{ id: string; name: string; type: string }>;
  messages(): string[];
  /** Mark the path a scenario took and where it stopped (null: clear); animated, a token walks it node by node. */
  markPath(path: string[] | null, waiting?: string[], options?: { animate?: boolean }): void;
  destroy(): void;
}

export interface SavedScenario {
  name: string;
  /** The scenario as JSON text: { start, steps }. */
  text: string;
}

interface Moddle {
  create(type: string, properties?: Record<string, unknown>): { values?: unknown[] } & Record<string, unknown>;
}
interface ProcessObject {
  $type: string;
  processRef?: ProcessObject;
  extensionElements?: { values?: Array<{ $type: string; name?: string; text?: string }> };
}

/** How long the token stays on each node of a scenario's path. */
const TOKEN_STEP_MS = 220;

/** A new flow: a process with one start event, drawn. */
export function blankDiagram(name: string): string {
  const id = `flow_${Math.random().toString(36).slice(2, 8)}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:wf="http://workflow.dev/schema/bpmn/1.0" id="${id}-definitions" targetNamespace="http://workflow.dev/designer">
  <bpmn:process id="${id}" name="${name.replace(/[<&"]/g, '')}" isExecutable="true">
    <bpmn:startEvent id="start" name="" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="${id}-diagram">
    <bpmndi:BPMNPlane id="${id}-plane" bpmnElement="${id}">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="180" y="160" width="36" height="36" /></bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

export async function createModeler(options: { canvas: HTMLElement; panel: HTMLElement; locale: 'zh-CN' | 'en'; catalog: WfCatalog; wf: object }): Promise<Modeler> {
  const bpmn = new BpmnModeler({
    container: options.canvas,
    propertiesPanel: { parent: options.panel },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      CamundaPlatformPropertiesProviderModule,
      CamundaBehaviorsModule,
      wfPropertiesModule,
      translateModule(options.locale),
      { wfCatalog: ['value', options.catalog] },
    ],
    moddleExtensions: { camunda: camundaModdle, wf: options.wf },
  });
  const get = <T>(name: string) => bpmn.get(name) as T;
  // For the browser tests: the modeling API and what the dictionary lacks.
  Object.assign(window, { __wfModeler: bpmn, __wfUntranslated: untranslated });
  const marked: Array<[string, string]> = [];
  const pathMarks: Array<[string, string]> = [];
  /** The process the diagram shows (a collaboration's first participant's). */
  let walking: ReturnType<typeof setTimeout> | undefined;
  const processOf = (): ProcessObject => {
    const root = get<Canvas>('canvas').getRootElement().businessObject as unknown as ProcessObject;
    return root.processRef ?? root;
  };

  return {
    async open(xml) {
      // A model written by hand or by code may have no diagram: it is laid out first.
      await bpmn.importXML(await laidOut(xml));
      get<Canvas>('canvas').zoom('fit-viewport', 'auto');
    },
    async xml() {
      const { xml } = await bpmn.saveXML({ format: true });
      return xml ?? '';
    },
    on(event, listener) {
      bpmn.on(event, listener);
    },
    mark(errors, warnings) {
      const canvas = get<Canvas>('canvas');
      const registry = get<Registry>('elementRegistry');
      const overlays = get<Overlays>('overlays');
      for (const [id, marker] of marked.splice(0)) if (registry.get(id)) canvas.removeMarker(id, marker);
      overlays.remove({ type: 'wf-lint' });
      const counts = new Map<string, { errors: number; warnings: number; messages: string[] }>();
      for (const [list, kind] of [
        [errors, 'errors'],
        [warnings, 'warnings'],
      ] as const)
        for (const p of list) {
          if (!p.elementId || !registry.get(p.elementId)) continue;
          const c = counts.get(p.elementId) ?? { errors: 0, warnings: 0, messages: [] };
          c[kind]++;
          c.messages.push(p.message);
          counts.set(p.elementId, c);
        }
      for (const [id, c] of counts) {
        const marker = c.errors ? 'wf-lint-error' : 'wf-lint-warning';
        canvas.addMarker(id, marker);
        marked.push([id, marker]);
        const badge = document.createElement('span');
        badge.className = `wf-lint-badge ${marker}`;
        badge.textContent = String(c.errors || c.warnings);
        badge.title = c.messages.join('\n');
        overlays.add(id, 'wf-lint', { position: { top: -8, right: 8 }, html: badge });
      }
    },
    select(elementId) {
      const element = get<Registry>('elementRegistry').get(elementId);
      if (!element) return;
      get<{ select(e: ModelerElement): void }>('selection').select(element);
      get<Canvas>('canvas').scrollToElement(element);
    },
    update(element, properties) {
      get<{ updateProperties(e: ModelerElement, p: Record<string, unknown>): void }>('modeling').updateProperties(element, properties);
    },
    nameOf(elementId) {
      const element = get<Registry>('elementRegistry').get(elementId);
      return element?.businessObject.name || elementId;
    },
    processName() {
      const root = get<Canvas>('canvas').getRootElement();
      const bo = root.businessObject as ModelerElement['businessObject'] & { processRef?: { name?: string } };
      return bo.name ?? bo.processRef?.name ?? '';
    },
    processKey() {
      const root = get<Canvas>('canvas').getRootElement();
      return root.businessObject.id ?? null;
    },
    scenarios() {
      return (processOf().extensionElements?.values ?? []).filter((v) => v.$type === 'wf:Scenario').map((v) => ({ name: v.name ?? '', text: v.text ?? '' }));
    },
    setScenarios(scenarios) {
      const moddle = get<Moddle>('moddle');
      const process = processOf();
      const others = (process.extensionElements?.values ?? []).filter((v) => v.$type !== 'wf:Scenario');
      const values = [...others, ...scenarios.map((s) => moddle.create('wf:Scenario', { name: s.name, text: s.text }))];
      const extensionElements = values.length ? moddle.create('bpmn:ExtensionElements', { values }) : undefined;
      const root = get<Canvas>('canvas').getRootElement();
      get<{ updateModdleProperties(e: ModelerElement, bo: unknown, p: Record<string, unknown>): void }>('modeling').updateModdleProperties(root, process, { extensionElements });
    },
    nodes() {
      return get<Registry>('elementRegistry')
        .getAll()
        .filter((e) => e.type !== 'label' && /^bpmn:(.*Task|.*Event|.*Gateway|SubProcess|CallActivity)$/.test(e.type))
        .map((e) => ({ id: e.id, name: e.businessObject.name || e.id, type: e.type }));
    },
    messages() {
      const definitions = (processOf() as ProcessObject & { $parent?: { rootElements?: Array<{ $type: string; name?: string }> } }).$parent;
      return (definitions?.rootElements ?? []).filter((r) => r.$type === 'bpmn:Message' && r.name).map((r) => r.name!);
    },
    markPath(path, waiting = [], options = {}) {
      const canvas = get<Canvas>('canvas');
      const registry = get<Registry>('elementRegistry');
      clearTimeout(walking);
      for (const [id, marker] of pathMarks.splice(0)) if (registry.get(id)) canvas.removeMarker(id, marker);
      const mark = (id: string, marker: string) => {
        if (!registry.get(id)) return;
        canvas.addMarker(id, marker);
        pathMarks.push([id, marker]);
      };
      const steps = [...(path ?? []).map((id) => [id, 'wf-completed'] as const), ...waiting.map((id) => [id, 'wf-current'] as const)];
      if (!options.animate || matchMedia('(prefers-reduced-motion: reduce)').matches) return steps.forEach(([id, marker]) => mark(id, marker));
      // The token: each node lights up in turn, the one it is on pulsing.
      let at = 0;
      const next = () => {
        const previous = steps[at - 1];
        if (previous) canvas.removeMarker(previous[0], 'wf-token');
        const step = steps[at++];
        if (!step) return;
        mark(step[0], step[1]);
        mark(step[0], 'wf-token');
        walking = setTimeout(next, TOKEN_STEP_MS);
      };
      next();
    },
    destroy() {
      clearTimeout(walking);
      bpmn.destroy();
    },
  };
}
