/**
 * What the renderer reads off a form's JSON Schema and UI schema: the widget
 * of each field (the UI schema's, else what the schema's keywords imply), its
 * label as the server words it in messages, its options, whether it shows
 * (`visibleWhen`), whether it is required now (conditions included), the
 * computed values, the layout (sections, wizard) and which problems belong to it.
 */
import {
  builtinComputations,
  WIDGETS,
  type Condition,
  type FieldAccess,
  type FieldIssue,
  type FieldUi,
  type FormData as FormValues,
  type JsonSchema,
  type UiSchema,
  type Widget,
} from '../../../forms/index.ts';
import { computedFields } from '../../../forms/computed.ts';
import type { Locale, LocalizedText } from '../i18n/index.tsx';
import type { Dictionaries } from './dictionaries.ts';

export type { FormValues };

/** The form as the server sends it for a node (hidden fields already left out). */
export interface FormView {
  key: string;
  version: number;
  title: LocalizedText;
  schema: JsonSchema;
  ui?: UiSchema;
  /** The node's access per field (hidden fields are already left out of the schema by the server). */
  access?: Record<string, FieldAccess>;
}

export const properties = (schema: JsonSchema | undefined): Record<string, JsonSchema> =>
  schema?.properties && typeof schema.properties === 'object' ? (schema.properties as Record<string, JsonSchema>) : {};

/** The JSON type a field holds ("string" out of ["string", "null"]). */
export function typeOf(s: JsonSchema | undefined): string | undefined {
  if (!s) return undefined;
  const type: unknown = s.type;
  if (Array.isArray(type)) return type.find((x) => x !== 'null') as string | undefined;
  if (typeof type === 'string') return type;
  if (s.properties) return 'object';
  if (s.items) return 'array';
  if (s.const !== undefined) return typeof s.const;
  return undefined;
}

const isWidget = (w: unknown): w is Widget => typeof w === 'string' && (WIDGETS as readonly string[]).includes(w);

/**
 * The widget of a field: the UI schema's when it names one, otherwise the one
 * the schema implies — computed, materials, file, picker, date range, table or
 * list, region, choices (dictionary or enum), then the format, then the type.
 */
export function widgetOf(s: JsonSchema, ui: FieldUi | undefined): Widget {
  if (isWidget(ui?.widget)) return ui.widget;
  if (s['x-computed']) return 'computed';
  if (s['x-materials']) return 'materials';
  if (s['x-file']) return 'file';
  if (s['x-picker'] === 'user' || s['x-picker'] === 'department') return s['x-picker'];
  if (s['x-date-range']) return 'dateRange';
  const type = typeOf(s);
  if (type === 'array') return s.items?.properties || s.items?.type === 'object' ? 'table' : 'checkbox';
  if (s.format === 'cn-region') return 'region';
  if (s['x-dictionary'] || Array.isArray(s.enum) || constChoices(s)) return 'select';
  switch (s.format) {
    case 'date':
      return 'date';
    case 'date-time':
      return 'datetime';
    case 'cn-id-number':
      return 'idNumber';
    case 'cn-mobile':
      return 'mobile';
    case 'cn-plate':
      return 'plate';
    case 'cn-postcode':
      return 'postcode';
    case 'email':
      return 'email';
    case 'money':
      return 'money';
  }
  if (type === 'boolean') return 'switch';
  if (type === 'integer') return 'integer';
  if (type === 'number') return 'number';
  if (type === 'string' && typeof s.maxLength === 'number' && s.maxLength > 200) return 'textarea';
  return 'text';
}

/** `oneOf: [{ const, title }]`: choices with their own labels. */
function constChoices(s: JsonSchema): JsonSchema[] | null {
  const list = (s.oneOf ?? s.anyOf) as unknown;
  return Array.isArray(list) && list.length > 0 && list.every((x) => x && typeof x === 'object' && 'const' in x) ? (list as JsonSchema[]) : null;
}

/** A field's label as the server words it in its messages (the UI schema's, else the schema's title). */
export function labelOf(s: JsonSchema | undefined, ui: FieldUi | undefined, locale: Locale, fallback: string): string {
  const own = ui?.label?.[locale];
  if (own) return own;
  if (locale === 'en' && typeof s?.['x-title-en'] === 'string') return s['x-title-en'];
  return typeof s?.title === 'string' ? s.title : fallback;
}

export interface Choice {
  value: string | number | boolean;
  label: string;
  /** No longer offered (a disabled dictionary item): kept only when already chosen. */
  retired?: boolean;
}

/**
 * The choices of a select, radio or checkbox field (of its items for a list):
 * a dictionary's items, an enum, `oneOf` constants, or yes/no for a boolean.
 */
export function choicesOf(s: JsonSchema, dictionaries: Dictionaries | null, locale: Locale, yesNo: [string, string]): Choice[] {
  const target = typeOf(s) === 'array' && s.items ? (s.items as JsonSchema) : s;
  const key = target['x-dictionary'];
  if (typeof key === 'string') {
    const dictionary = dictionaries?.[key];
    return (dictionary?.items ?? []).map((item) => ({ value: item.value, label: item.label[locale] ?? item.label['zh-CN'] ?? item.value, ...(item.disabled && { retired: true }) }));
  }
  const constants = constChoices(target);
  if (constants) return constants.map((c) => ({ value: c.const as string, label: labelOf(c, undefined, locale, String(c.const)) }));
  if (Array.isArray(target.enum)) return (target.enum as unknown[]).filter((v) => v !== null).map((v) => ({ value: v as string, label: String(v) }));
  if (typeOf(target) === 'boolean')
    return target.const === true
      ? [{ value: true, label: yesNo[0] }]
      : [
          { value: true, label: yesNo[0] },
          { value: false, label: yesNo[1] },
        ];
  return [];
}

// ---- conditions ------------------------------------------------------------------------------

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/** Whether a field with this `visibleWhen` shows for these values. */
export function shows(condition: Condition | undefined, data: FormValues): boolean {
  if (!condition) return true;
  const value = data[condition.field];
  if ('equals' in condition) return same(value, condition.equals);
  if ('in' in condition) return Array.isArray(condition.in) && condition.in.some((v) => same(v, value));
  if ('notEmpty' in condition) return !isEmpty(value);
  return true;
}

/** Whether the data meets a condition schema (`if`) — the keywords forms use; others are taken as met. */
function holds(s: unknown, value: unknown): boolean {
  if (s === true || s === undefined) return true;
  if (s === false) return false;
  if (!s || typeof s !== 'object') return true;
  const c = s as JsonSchema;
  if (c.const !== undefined && !same(c.const, value)) return false;
  if (Array.isArray(c.enum) && !c.enum.some((v: unknown) => same(v, value))) return false;
  if (typeof value === 'number') {
    if (typeof c.minimum === 'number' && value < c.minimum) return false;
    if (typeof c.maximum === 'number' && value > c.maximum) return false;
    if (typeof c.exclusiveMinimum === 'number' && value <= c.exclusiveMinimum) return false;
    if (typeof c.exclusiveMaximum === 'number' && value >= c.exclusiveMaximum) return false;
  }
  if (typeof value === 'string' && typeof c.minLength === 'number' && value.length < c.minLength) return false;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    if (Array.isArray(c.required) && !c.required.every((r: string) => object[r] !== undefined)) return false;
    for (const [name, inner] of Object.entries(properties(c))) if (object[name] !== undefined && !holds(inner, object[name])) return false;
  }
  if (Array.isArray(c.allOf) && !c.allOf.every((x: unknown) => holds(x, value))) return false;
  if (Array.isArray(c.anyOf) && !c.anyOf.some((x: unknown) => holds(x, value))) return false;
  if (c.not !== undefined && typeof c.not === 'object' && holds(c.not, value)) return false;
  return true;
}

/** The top-level fields required for these values: `required`, `dependentRequired` and the `then`/`else` that apply. */
export function requiredNow(schema: JsonSchema, data: FormValues): Set<string> {
  const out = new Set<string>();
  const visit = (s: unknown) => {
    if (!s || typeof s !== 'object') return;
    const node = s as JsonSchema;
    if (Array.isArray(node.required)) node.required.forEach((r: unknown) => typeof r === 'string' && out.add(r));
    for (const [key, list] of Object.entries((node.dependentRequired ?? {}) as Record<string, unknown>)) {
      if (data[key] !== undefined && Array.isArray(list)) list.forEach((r) => typeof r === 'string' && out.add(r));
    }
    if (node.if !== undefined) visit(holds(node.if, data) ? node.then : node.else);
    if (Array.isArray(node.allOf)) node.allOf.forEach(visit);
  };
  visit(schema);
  return out;
}

// ---- computed fields -------------------------------------------------------------------------

const computations = builtinComputations();

/** The values of the computed fields for this data, as the server computes them (null: cannot be computed yet). */
export function computeValues(schema: JsonSchema, data: FormValues): Record<string, unknown> {
  const out: FormValues = { ...data };
  const values: Record<string, unknown> = {};
  for (const [name, spec] of computedFields(schema)) {
    const value = computations.get(spec.fn)?.compute(out, spec) ?? null;
    values[name] = value;
    if (value === null) delete out[name];
    else out[name] = value;
  }
  return values;
}

// ---- access and submission ---------------------------------------------------------------------

export function accessOf(form: FormView, field: string): FieldAccess {
  return form.access?.[field] ?? 'editable';
}

/** Shown but not editable here: read-only for this node, or computed. */
export function isReadOnly(form: FormView, field: string): boolean {
  const s = properties(form.schema)[field];
  return accessOf(form, field) === 'readonly' || s?.readOnly === true || Boolean(s?.['x-computed']);
}

/**
 * What to send: the form's own fields this node may edit (read-only and
 * computed ones are the server's to keep and compute), without empty values.
 */
export function submittable(form: FormView, data: FormValues): FormValues {
  const out: FormValues = {};
  for (const name of Object.keys(properties(form.schema))) {
    const value = data[name];
    if (value === undefined || isReadOnly(form, name)) continue;
    out[name] = value;
  }
  return out;
}

// ---- layout ------------------------------------------------------------------------------------

export interface Group {
  id: string;
  title?: LocalizedText;
  fields: string[];
}

/** The fields in order: the UI schema's order, then the rest in schema order. */
export function orderedFields(form: FormView): string[] {
  const all = Object.keys(properties(form.schema));
  const order = (form.ui?.order ?? []).filter((f) => all.includes(f));
  return [...new Set([...order, ...all])];
}

/** The sections (steps of a wizard) with fields to show, then a group of the fields no section names. */
export function groupsOf(form: FormView): Group[] {
  const fields = orderedFields(form);
  const sections = (form.ui?.sections ?? []).map((s) => ({ id: s.id, title: s.title, fields: s.fields.filter((f) => fields.includes(f)) })).filter((s) => s.fields.length > 0);
  const named = new Set(sections.flatMap((s) => s.fields));
  const rest = fields.filter((f) => !named.has(f));
  if (!sections.length) return [{ id: '', fields }];
  return rest.length ? [...sections, { id: '', fields: rest }] : sections;
}

// ---- problems ----------------------------------------------------------------------------------

/** The problems of a value and of everything inside it. */
export const issuesUnder = (issues: readonly FieldIssue[], pointer: string): FieldIssue[] => issues.filter((i) => i.pointer === pointer || i.pointer.startsWith(`${pointer}/`));

/** One entry per message (the browser's and the server's are the same words). */
export function distinctIssues(issues: readonly FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.pointer}\n${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The top-level field a pointer is in. */
export const fieldOf = (pointer: string): string => (pointer.split('/')[1] ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
