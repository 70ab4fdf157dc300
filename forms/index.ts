export * from './model.ts';
export { CompiledForm, FormCompiler, FormDefinitionError, normalize, type FormProblem, type ValidationMode, type ValidationOutcome } from './compile.ts';
export { builtinComputations, ComputeRegistry, type ComputeFunction, type ComputedSpec } from './computed.ts';
export { DEFAULT_MATERIAL_MAX_FILES, DEFAULT_MATERIAL_MAX_SIZE, DEFAULT_MATERIAL_TYPES, type DictionarySource, type MaterialSpec, type MaterialsSchema, type MaterialValue } from './keywords.ts';
export { reasonFor, pointerOf } from './messages.ts';
export { accessOf, applySubmission, EVERYTHING_EDITABLE, refusedComputed, viewOf, visibleValues } from './permissions.ts';
