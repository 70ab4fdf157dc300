// Safe JUEL (JSR-245, as in Camunda 7) expressions over process variables: compiled once, never eval'd.
export { ExpressionError, type ExpressionErrorKind } from './errors.ts';
export {
  EXECUTION_FACADE,
  variablesContext,
  type ExecutionFacade,
  type ExpressionContext,
  type Resolution,
} from './context.ts';
export { compileTemplate, evaluateCondition, type Template } from './template.ts';
