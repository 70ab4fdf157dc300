import type { ParameterValue } from '../../../definitions/bpmn/process-model.ts';
import type { ExpressionContext } from '../expressions/index.ts';
import type { Variables } from '../model.ts';
import type { CompiledDefinition } from './compiled-definition.ts';

/** camunda:inputParameter / outputParameter values: text with ${…}, lists and maps of them. */
export function evaluateParameters(params: ReadonlyArray<{ name: string; value: ParameterValue }>, definition: CompiledDefinition, ctx: ExpressionContext): Variables {
  const result: Variables = {};
  for (const p of params) result[p.name] = evaluateValue(p.value, definition, ctx);
  return result;
}

function evaluateValue(value: ParameterValue, definition: CompiledDefinition, ctx: ExpressionContext): unknown {
  switch (value.kind) {
    case 'text':
      return definition.template(value.text).evaluate(ctx);
    case 'list':
      return value.items.map((item) => evaluateValue(item, definition, ctx));
    case 'map':
      return Object.fromEntries(value.entries.map((e) => [e.key, evaluateValue(e.value, definition, ctx)]));
  }
}
