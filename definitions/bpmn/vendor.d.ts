// Minimal typings for untyped dependencies (only what this project calls).
declare module 'bpmn-moddle' {
  export default class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<unknown>;
  }
}

declare module 'moddle-context-serializer' {
  export interface SerializableContext {
    id: string;
    type: string;
    name?: string;
    serialize(): string;
    getProcesses(): Array<{ id: string; type: string; name?: string; behaviour: Record<string, unknown> }>;
    getExecutableProcesses(): Array<{ id: string; type: string; name?: string; behaviour: Record<string, unknown> }>;
    getActivityById(id: string): { id: string; type: string; name?: string; behaviour: Record<string, unknown> } | undefined;
    [key: string]: unknown;
  }
  export default function serializer(moddleContext: unknown, typeResolver: unknown, extendFn?: unknown): SerializableContext;
  export function deserialize(serialized: unknown, typeResolver: unknown): SerializableContext;
  export function TypeResolver(types: Record<string, unknown>, extender?: (types: Record<string, unknown>) => void): unknown;
}
