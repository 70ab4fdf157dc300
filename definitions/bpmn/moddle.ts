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

/** Deeper than this is no model anyone drew; the parser and the linter walk elements recursively. */
export const MAX_XML_DEPTH = 200;

/** Where the elements first nest deeper than `max` (a position in the text), or -1. Comments, CDATA and quoted values are skipped. */
export function tooDeepAt(xml: string, max = MAX_XML_DEPTH): number {
  let depth = 0;
  for (let i = xml.indexOf('<'); i >= 0; i = xml.indexOf('<', i + 1)) {
    if (xml.startsWith('<!--', i)) i = xml.indexOf('-->', i);
    else if (xml.startsWith('<![CDATA[', i)) i = xml.indexOf(']]>', i);
    else if (xml.startsWith('<?', i) || xml.startsWith('<!', i)) i = xml.indexOf('>', i);
    else if (xml[i + 1] === '/') depth--;
    else {
      let quote = '';
      let j = i + 1;
      for (; j < xml.length; j++) {
        const c = xml[j]!;
        if (quote) quote = c === quote ? '' : quote;
        else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
      }
      if (xml[j - 1] !== '/' && ++depth > max) return i;
      i = j;
    }
    if (i < 0) return -1;
  }
  return -1;
}

/** Parse BPMN XML with the Camunda and workflow extensions; malformed XML throws BpmnSyntaxError. */
export async function readBpmn(xml: string): Promise<ModdleContext> {
  const moddle = new BpmnModdle(MODDLE_EXTENSIONS);
  // The XML declaration must come first: drop a BOM and leading blank lines, but count them.
  const text = xml.replace(/^\uFEFF/, '');
  const deep = tooDeepAt(text);
  if (deep >= 0) {
    const before = text.slice(0, deep);
    throw new BpmnSyntaxError((before.match(/\n/g) ?? []).length + 1, deep - before.lastIndexOf('\n'), `elements nested more than ${MAX_XML_DEPTH} deep`);
  }
  const body = text.trimStart();
  const lineOffset = (text.slice(0, text.length - body.length).match(/\n/g) ?? []).length;
  try {
    return { ...((await moddle.fromXML(body.trimEnd())) as unknown as ModdleContext), lineOffset };
  } catch (err) {
    const { line, column, detail } = parsePosition((err as Error).message);
    throw new BpmnSyntaxError(line + lineOffset, column, detail);
  }
}
