/**
 * The form checked in the browser by the server's own library (forms/): the
 * same schema, the same dictionaries, the same computations and messages, so
 * what the clerk reads here is word for word what the server would answer.
 */
import { useMemo } from 'react';
import { FormCompiler, type CompiledForm, type FieldIssue, type FormDefinition, type UiSchema } from '../../../forms/index.ts';
import { useI18n } from '../i18n/index.tsx';
import { useDictionaries, type Dictionaries } from './dictionaries.ts';
import { properties, type FormValues, type FormView } from './schema.ts';

export type CheckMode = 'submit' | 'draft';

export interface CheckOutcome {
  valid: boolean;
  /** The data with the computed fields filled in. */
  data: FormValues;
  issues: FieldIssue[];
}

export type FormCheck = (data: FormValues, mode: CheckMode) => CheckOutcome;

/** A UI schema the compiler accepts for this view: conditions on fields the node does not show are dropped. */
function uiFor(form: FormView): UiSchema | undefined {
  const ui = form.ui;
  if (!ui) return ui;
  const fields = new Set(Object.keys(properties(form.schema)));
  const entries = Object.entries(ui.fields ?? {}).map(([path, field]) => [path, field.visibleWhen && !fields.has(field.visibleWhen.field) ? { ...field, visibleWhen: undefined } : field] as const);
  return { ...ui, fields: Object.fromEntries(entries) };
}

export function compileView(form: FormView, dictionaries: Dictionaries): CompiledForm | null {
  const compiler = new FormCompiler({
    dictionaries: {
      // Disabled items still validate (stored values); they are only no longer offered.
      has: (key, value) => dictionaries[key]?.items.some((i) => i.value === value),
      exists: (key) => Object.hasOwn(dictionaries, key),
    },
  });
  const definition: FormDefinition = {
    key: form.key,
    title: { 'zh-CN': form.title['zh-CN'] ?? form.key, en: form.title.en ?? form.title['zh-CN'] ?? form.key },
    schema: form.schema,
    ...(form.ui && { ui: uiFor(form) }),
  };
  try {
    return compiler.compile(definition, form.version);
  } catch {
    return null; // a view the browser cannot compile: the server still checks every submission
  }
}

/**
 * `(data, mode) => { valid, data, issues }` for the form, or null while its
 * dictionaries load. `draft` tolerates what is missing, not what is wrong.
 */
export function useFormCheck(form: FormView | null): FormCheck | null {
  const { locale } = useI18n();
  const dictionaries = useDictionaries(form?.schema);
  const compiled = useMemo(() => (form && dictionaries ? { form: compileView(form, dictionaries) } : null), [form, dictionaries]);
  return useMemo(() => {
    if (!compiled) return null;
    const target = compiled.form;
    if (!target) return (data: FormValues) => ({ valid: true, data, issues: [] });
    return (data: FormValues, mode: CheckMode) => target.validate(data, { mode, locale });
  }, [compiled, locale]);
}
