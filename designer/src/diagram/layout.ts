/**
 * A diagram for a model that has none (written by hand or by code): the
 * auto-layout follows each node's incoming/outgoing references, which such
 * models often leave out — they are filled in from the sequence flows first.
 */
const BPMN = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

export function withFlowReferences(xml: string): string {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const byId = new Map(Array.from(doc.getElementsByTagNameNS(BPMN, '*')).map((el) => [el.getAttribute('id'), el]));
  for (const flow of Array.from(doc.getElementsByTagNameNS(BPMN, 'sequenceFlow'))) {
    const id = flow.getAttribute('id');
    if (!id) continue;
    for (const [end, tag] of [
      ['sourceRef', 'outgoing'],
      ['targetRef', 'incoming'],
    ] as const) {
      const node = byId.get(flow.getAttribute(end));
      if (!node || Array.from(node.getElementsByTagNameNS(BPMN, tag)).some((r) => r.textContent === id)) continue;
      const ref = doc.createElementNS(BPMN, node.prefix ? `${node.prefix}:${tag}` : tag);
      ref.textContent = id;
      node.appendChild(ref);
    }
  }
  return new XMLSerializer().serializeToString(doc);
}

export async function laidOut(xml: string): Promise<string> {
  if (/BPMNShape/.test(xml)) return xml;
  const { layoutProcess } = await import('bpmn-auto-layout');
  return layoutProcess(withFlowReferences(xml));
}
