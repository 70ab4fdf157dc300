/** The form renderer and the browser's check of a form, for the start and task pages. */
export { SchemaForm, type FormView, type SchemaFormProps } from './SchemaForm.tsx';
export { useFormCheck, type CheckMode, type CheckOutcome, type FormCheck } from './useFormCheck.ts';
export { distinctIssues, fieldOf, isReadOnly, submittable, widgetOf } from './schema.ts';
export { useDictionaries, type Dictionaries, type Dictionary } from './dictionaries.ts';
