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
  /** The parser's English reason, and a Chinese one where we know it. */
  readonly detail: { 'zh-CN': string; en: string };
  constructor(
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super(`line ${line}, column ${column}: ${detail}`);
    this.detail = { 'zh-CN': xmlProblemZh(detail), en: detail };
  }
}

/** The XML parser's (saxen's and moddle's) messages in Chinese. */
const XML_PROBLEMS_ZH: Array<[RegExp, string]> = [
  [/^unexpected end of file/, '文件意外结束'],
  [/^unclosed tag/, '标签没有闭合'],
  [/^unclosed comment/, '注释没有闭合'],
  [/^unclosed cdata/, 'CDATA 没有闭合'],
  [/^unclosed question/, '处理指令没有闭合'],
  [/^closing tag mismatch/, '结束标签与开始标签不匹配'],
  [/^(missing start tag|missing open tag)/, '缺少开始标签'],
  [/^close tag/, '结束标签格式不对'],
  [/^(illegal first char nodeName|invalid nodeName)/, '元素名不合法'],
  [/^missing namespace on (<.*>)/, '元素 $1 缺少命名空间'],
  [/^(illegal first char attribute name|illegal attribute name char)/, '属性名不合法'],
  [/^(missing attribute value quotes|attribute value quote missmatch)/, '属性值的引号不对'],
  [/^missing attribute value/, '属性缺少值'],
  [/^illegal character after attribute end/, '属性后有非法字符'],
  [/^unrecognized element (<.*>)/, '无法识别的元素 $1'],
  [/^failed to parse document as (<.*>)/, '文档不是 $1'],
  [/^illegal ID (<.*>)/, 'ID $1 不合法'],
  [/^no namespace uri given for prefix (<.*>)/, '前缀 $1 没有声明命名空间'],
  [/^elements nested more than (\d+) deep/, '元素嵌套超过 $1 层'],
];

function xmlProblemZh(detail: string): string {
  for (const [pattern, zh] of XML_PROBLEMS_ZH) {
    const m = pattern.exec(detail);
    if (m) return zh.replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? '');
  }
  return 'XML 格式不正确';
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
  // The text is decoded already (engine/http decodes the bytes as the declaration says): the declared encoding no longer applies.
  const body = text.trimStart().replace(/^(<\?xml\b[^?]*?)\s+encoding\s*=\s*(["'])[^"']*\2/, '$1');
  const lineOffset = (text.slice(0, text.length - body.length).match(/\n/g) ?? []).length;
  try {
    return { ...((await moddle.fromXML(body.trimEnd())) as unknown as ModdleContext), lineOffset };
  } catch (err) {
    const { line, column, detail } = parsePosition((err as Error).message);
    throw new BpmnSyntaxError(line + lineOffset, column, detail);
  }
}
