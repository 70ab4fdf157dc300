import type { SerializableContext } from 'moddle-context-serializer';
import { analyseBpmn, type AnalyseOptions, type AnalysedBpmn } from '../../../definitions/bpmn/analyse.ts';
import { BpmnSyntaxError, readBpmn, type ModdleContext } from '../../../definitions/bpmn/moddle.ts';
import type { ProcessModel } from '../../../definitions/bpmn/process-model.ts';
import { WorkflowError } from '../errors.ts';
import { compileTemplate, type Template } from '../expressions/index.ts';
import { serializeProcess, sourceFromJson, type ProcessJson } from './bpmn-source.ts';

export type LintPolicy = Omit<AnalyseOptions, 'checkExpression'>;

export interface ParsedBpmn {
  moddle: ModdleContext;
  analysed: AnalysedBpmn;
}

/**
 * Why an expression cannot run, or null. Model expressions have no functions
 * to call (Camunda's `${dateTime()…}` has no counterpart here): a call would
 * fail on every instance, so it fails the deploy instead.
 */
export function checkExpression(text: string): string | null {
  try {
    const [called] = compileTemplate(text).functions;
    return called === undefined ? null : `Unknown function '${called}()': expressions here have no functions; compute the value in a variable or use an ISO 8601 duration`;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Parse and lint; malformed XML becomes WF_ERR_BPMN_MALFORMED with its line and column. */
export async function parseBpmn(xml: string, policy: LintPolicy): Promise<ParsedBpmn> {
  let moddle: ModdleContext;
  try {
    moddle = await readBpmn(xml);
  } catch (err) {
    if (err instanceof BpmnSyntaxError) throw new WorkflowError('WF_ERR_BPMN_MALFORMED', { line: err.line, column: err.column, detail: err.detail }, 'xml');
    throw err;
  }
  return { moddle, analysed: analyseBpmn(moddle, xml, { ...policy, checkExpression }) };
}

export interface DefinitionIdentity {
  id: string;
  key: string;
  version: number;
  name: string | null;
}

/**
 * One deployed process version, parsed once and shared by every instance of
 * it: the engine's source context, the extracted model and compiled expressions.
 */
export class CompiledDefinition {
  readonly conditions: ReadonlySet<string>;
  readonly #json: ProcessJson;
  readonly #sources = new Map<string, SerializableContext>();
  readonly #templates = new Map<string, Template>();

  constructor(
    readonly identity: DefinitionIdentity,
    readonly model: ProcessModel,
    moddle: ModdleContext,
  ) {
    this.#json = serializeProcess(moddle, model.id);
    this.conditions = new Set(model.conditions);
    for (const text of model.expressions) this.template(text);
  }

  get id(): string {
    return this.identity.id;
  }

  template(text: string): Template {
    let template = this.#templates.get(text);
    if (!template) {
      template = compileTemplate(text);
      this.#templates.set(text, template);
    }
    return template;
  }

  /** The none start event, the one an API start uses. */
  get noneStart(): string | null {
    return this.model.startEvents.find((s) => s.kind === 'none')?.id ?? null;
  }

  /**
   * The source context for instances started at `startEventId`: with several
   * start events the others are removed, since an instance starts at exactly one.
   */
  source(startEventId: string | null): SerializableContext {
    const others = this.model.startEvents.length > 1 ? this.model.startEvents.filter((s) => s.id !== startEventId).map((s) => s.id) : [];
    const key = others.length ? String(startEventId) : '';
    let source = this.#sources.get(key);
    if (!source) {
      source = sourceFromJson(this.#json, others);
      this.#sources.set(key, source);
    }
    return source;
  }
}
