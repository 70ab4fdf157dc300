declare module 'bpmn-auto-layout' {
  /** The same BPMN with a diagram (shapes and edges) laid out left to right. */
  export function layoutProcess(xml: string): Promise<string>;
}
