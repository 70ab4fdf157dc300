import BpmnModdle from 'bpmn-moddle';
import camunda from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import wf from './wf-moddle.json' with { type: 'json' };

/** A moddle element: `$type` plus the properties its descriptors define. */
export interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  $attrs?: Record<string, string>;
  $parent?: ModdleElement;
  $descriptor?: { propertiesByName: Record<string, { ns: { prefix: string; localName: string } } | undefined> };
  [key: string]: unknown;
}

export interface ModdleContext {
  rootElement: ModdleElement;
  elementsById: Record<string, ModdleElement>;
  references: Array<{ element: ModdleElement; property: string; id: string }>;
  warnings: Array<{ message: string; element?: ModdleElement; property?: string; value?: string }>;
  /** Lines dropped before the XML declaration; positions moddle reports are shifted by it. */
  lineOffset?: number;
}

export const MODDLE_EXTENSIONS = { camunda, wf } as const;
export const WF_NAMESPACE = wf.uri;

export class BpmnSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`line ${line}, column ${column}: ${detail}`);
  }
}

/** moddle reports 0-based positions in a multi-line message; people count lines from 1. */
export function parsePosition(message: string): { line: number; column: number; detail: string } {
  const line = /line: (\d+)/.exec(message);
  const column = /column: (\d+)/.exec(message);
  const nested = /nested error: (.*)$/m.exec(message);
  const head = message.split('\n')[0] ?? message;
  return {
    line: line ? Number(line[1]) + 1 : 1,
    column: column ? Number(column[1]) + 1 : 1,
    detail: nested?.[1]?.trim() ?? head.trim(),
  };
}

/** Parse BPMN XML with the Camunda and workflow extensions; malformed XML throws BpmnSyntaxError. */
export async function readBpmn(xml: string): Promise<ModdleContext> {
  const moddle = new BpmnModdle(MODDLE_EXTENSIONS);
  // The XML declaration must come first: drop a BOM and leading blank lines, but count them.
  const text = xml.replace(/^\uFEFF/, '');
  const body = text.trimStart();
  const lineOffset = (text.slice(0, text.length - body.length).match(/\n/g) ?? []).length;
  try {
    return { ...((await moddle.fromXML(body.trimEnd())) as unknown as ModdleContext), lineOffset };
  } catch (err) {
    const { line, column, detail } = parsePosition((err as Error).message);
    throw new BpmnSyntaxError(line + lineOffset, column, detail);
  }
}
