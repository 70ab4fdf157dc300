/**
 * Writing BPMN made by code (the catalog's and the approval tree's
 * compilers): the elements and flows of one process as XML lines, and the
 * document around them with its diagram (layout.ts).
 */
import { layout, type Shape } from './layout.ts';

export interface WrittenElement extends Shape {
  /** Null: no name attribute at all. */
  name: string | null;
  /** Inner XML (extension elements, event definitions). */
  body: string;
}

export interface WrittenFlow {
  id: string;
  source: string;
  target: string;
  condition: string | null;
  name?: string;
}

export const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const NAMESPACES =
  'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:wf="http://workflow.dev/schema/bpmn/1.0" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"';

/**
 * A document of one process: `head` the lines before the process (a comment,
 * messages), `open` the process's start tag, `inside` the lines at its top
 * (extension elements), then its elements, flows and diagram.
 */
export function writeBpmn(doc: { id: string; namespace: string; processKey: string; head: string[]; open: string; inside?: string[]; elements: WrittenElement[]; flows: WrittenFlow[] }): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<definitions ${NAMESPACES}`, `  id="${doc.id}" targetNamespace="${doc.namespace}">`, ...doc.head, doc.open, ...(doc.inside ?? [])];
  for (const e of doc.elements) {
    const attrs = [`id="${e.id}"`, ...(e.name !== null ? [`name="${escapeXml(e.name)}"`] : []), ...e.attrs.map(([k, v]) => `${k}="${escapeXml(v)}"`)].join(' ');
    lines.push(e.body ? `    <${e.tag} ${attrs}>${e.body}</${e.tag}>` : `    <${e.tag} ${attrs} />`);
  }
  for (const f of doc.flows) {
    const head = `    <sequenceFlow id="${f.id}"${f.name ? ` name="${escapeXml(f.name)}"` : ''} sourceRef="${f.source}" targetRef="${f.target}"`;
    lines.push(f.condition ? `${head}><conditionExpression xsi:type="tFormalExpression">${escapeXml(f.condition)}</conditionExpression></sequenceFlow>` : `${head} />`);
  }
  lines.push('  </process>', layout(doc.elements, doc.flows).xml(doc.processKey), '</definitions>', '');
  return lines.join('\n');
}
