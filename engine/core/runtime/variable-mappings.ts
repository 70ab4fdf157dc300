import type { VariableMapping } from '../../../definitions/bpmn/process-model.ts';
import type { ExpressionContext } from '../expressions/index.ts';
import type { Variables } from '../model.ts';
import type { CompiledDefinition } from './compiled-definition.ts';

/**
 * camunda:in / camunda:out of a call activity, with Camunda's meaning: nothing
 * crosses between caller and called process unless a mapping says so.
 */
export function evaluateMappings(mappings: readonly VariableMapping[], source: Variables, ctx: ExpressionContext, definition: CompiledDefinition): Variables {
  const result: Variables = {};
  for (const m of mappings) {
    if (m.all) {
      Object.assign(result, structuredClone(source));
    } else if (m.target) {
      result[m.target] = m.sourceExpression
        ? definition.template(m.sourceExpression).evaluate(ctx)
        : m.source && Object.hasOwn(source, m.source)
          ? structuredClone(source[m.source])
          : null;
    }
  }
  return result;
}
