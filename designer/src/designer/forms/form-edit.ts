/**
 * The form designer's edits, made on the form definition itself (JSON Schema +
 * UI schema) rather than on a model of our own: whatever an imported form
 * holds that the designer has no control for stays exactly as it was, and a
 * form opened and deployed without an edit is the same form. Each edit
 * returns a new definition; the one given is never changed.
 */
import type { Condition, FieldUi, FormDefinition, JsonSchema, LocalizedText, UiSchema, Widget } from '../../../../forms/index.ts';

type Section = NonNullable<UiSchema['sections']>[number];

const copy = (def: FormDefinition): FormDefinition => structuredClone(def);
const fieldsOf = (def: FormDefinition): Record<string, JsonSchema> => (def.schema.properties ?? {}) as Record<string, JsonSchema>;
const uiOf = (def: FormDefinition): UiSchema => (def.ui ??= {});

/** A field's key: a letter, then letters, digits or underscores (it names a process variable too). */
export const FIELD_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** An empty form to start from. */
export function blankForm(key: string, title: LocalizedText): FormDefinition {
  return { key, title, schema: { type: 'object', required: [], properties: {} }, ui: { order: [], fields: {} } };
}

// ---- the palette ----------------------------------------------------------------------------

/** The words a new field starts with, in both languages (from the page's message catalogs). */
export interface StarterWords {
  option(n: number): LocalizedText;
  material: LocalizedText;
  name: LocalizedText;
  amount: LocalizedText;
  /** The unit of an amount: 元. */
  unit: string;
}

/** A choice of a fixed list: its value, and its label in both languages. */
export const choice = (value: string, label: LocalizedText) => ({ const: value, title: label['zh-CN'], 'x-title-en': label.en });
const choices = (w: StarterWords) => [choice('a', w.option(1)), choice('b', w.option(2))];
export const moneySchema = (w: StarterWords): JsonSchema => ({ type: 'number', format: 'money', minimum: 0, maximum: 100_000_000, 'x-unit': w.unit });

/** What a field dropped from the palette starts as: the schema its widget implies and the bounds a form should have. */
const TEMPLATES: Record<Widget, (w: StarterWords) => JsonSchema> = {
  text: () => ({ type: 'string', maxLength: 100 }),
  textarea: () => ({ type: 'string', maxLength: 500 }),
  number: () => ({ type: 'number' }),
  integer: () => ({ type: 'integer' }),
  money: moneySchema,
  date: () => ({ type: 'string', format: 'date' }),
  datetime: () => ({ type: 'string', format: 'date-time' }),
  dateRange: () => ({ type: 'object', 'x-date-range': true }),
  select: (w) => ({ type: 'string', oneOf: choices(w) }),
  radio: (w) => ({ type: 'string', oneOf: choices(w) }),
  checkbox: (w) => ({ type: 'array', uniqueItems: true, maxItems: 20, items: { type: 'string', oneOf: choices(w) } }),
  switch: () => ({ type: 'boolean' }),
  region: () => ({ type: 'string', format: 'cn-region' }),
  idNumber: () => ({ type: 'string', format: 'cn-id-number' }),
  mobile: () => ({ type: 'string', format: 'cn-mobile' }),
  plate: () => ({ type: 'string', format: 'cn-plate' }),
  postcode: () => ({ type: 'string', format: 'cn-postcode' }),
  email: () => ({ type: 'string', format: 'email', maxLength: 254 }),
  user: () => ({ type: 'string', maxLength: 128, 'x-picker': 'user' }),
  department: () => ({ type: 'string', maxLength: 128, 'x-picker': 'department' }),
  file: () => ({ type: 'string', maxLength: 64, 'x-file': { types: ['image/jpeg', 'image/png', 'application/pdf'], maxSize: 5 * 1024 * 1024 } }),
  materials: (w) => ({
    type: 'object',
    'x-materials': { classes: { default: [{ id: 'material1', name: w.material, required: true, delivery: 1 }] } },
  }),
  table: (w) => ({
    type: 'array',
    minItems: 1,
    maxItems: 50,
    items: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', title: w.name['zh-CN'], 'x-title-en': w.name.en, maxLength: 100 },
        amount: { ...moneySchema(w), title: w.amount['zh-CN'], 'x-title-en': w.amount.en },
      },
    },
  }),
  computed: () => ({ type: 'number', 'x-computed': { fn: 'sum', args: [] } }),
  office: () => ({ type: 'string', 'x-dictionary': 'handling-offices' }),
};

/** Widgets the renderer would not infer from the template alone, so the UI schema names them. */
const NAMED_WIDGETS = new Set<Widget>(['textarea', 'money', 'radio', 'checkbox', 'table', 'computed', 'office']);

/** The palette's groups, in the order an analyst looks for them. */
export const PALETTE: ReadonlyArray<{ group: string; widgets: readonly Widget[] }> = [
  { group: 'basic', widgets: ['text', 'textarea', 'number', 'integer', 'money', 'date', 'datetime', 'dateRange'] },
  { group: 'choice', widgets: ['select', 'radio', 'checkbox', 'switch'] },
  { group: 'china', widgets: ['idNumber', 'mobile', 'plate', 'postcode', 'email', 'region'] },
  { group: 'people', widgets: ['user', 'department', 'office'] },
  { group: 'advanced', widgets: ['table', 'computed', 'file', 'materials'] },
];

// ---- layout: sections and order -------------------------------------------------------------

export interface Group {
  /** The section's id; null for the fields no section names. */
  id: string | null;
  title?: LocalizedText;
  fields: string[];
}

/** Every field in order: the UI schema's order, then the rest in schema order. */
export function orderOf(def: FormDefinition): string[] {
  const all = Object.keys(fieldsOf(def));
  const order = (def.ui?.order ?? []).filter((f) => all.includes(f));
  return [...new Set([...order, ...all])];
}

/** The groups as the canvas shows them: every section (empty ones too, to drop into), then the fields no section names. */
export function groupsOf(def: FormDefinition): Group[] {
  const all = orderOf(def);
  const sections = (def.ui?.sections ?? []).map((s) => ({ id: s.id, title: s.title, fields: s.fields.filter((f) => all.includes(f)) }));
  const named = new Set(sections.flatMap((s) => s.fields));
  const rest = all.filter((f) => !named.has(f));
  return sections.length ? [...sections, { id: null, fields: rest }] : [{ id: null, fields: rest }];
}

/** Writes the groups back: each section's fields, and an order that lists them as shown. */
function writeGroups(def: FormDefinition, groups: Group[]): void {
  const ui = uiOf(def);
  for (const section of ui.sections ?? []) section.fields = groups.find((g) => g.id === section.id)?.fields ?? [];
  ui.order = groups.flatMap((g) => g.fields);
}

export interface Place {
  /** The section; null for the fields no section names. */
  section: string | null;
  /** The position among that group's fields. */
  index: number;
}

/** Puts an existing field at a place (another section, or another position in its own). */
export function moveField(def: FormDefinition, key: string, to: Place): FormDefinition {
  const out = copy(def);
  const groups = groupsOf(out).map((g) => ({ ...g, fields: [...g.fields] }));
  const from = groups.find((g) => g.fields.includes(key));
  const target = groups.find((g) => g.id === to.section) ?? groups[groups.length - 1]!;
  let index = to.index;
  if (from) {
    const at = from.fields.indexOf(key);
    from.fields.splice(at, 1);
    if (from === target && at < index) index -= 1;
  }
  target.fields.splice(Math.max(0, Math.min(index, target.fields.length)), 0, key);
  writeGroups(out, groups);
  return out;
}

/** A key not yet used: `text1`, `text2`, … */
export function freeKey(def: FormDefinition, base: string): string {
  const taken = new Set(Object.keys(fieldsOf(def)));
  for (let n = 1; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

/** A new field from the palette at a place, labelled with the palette's name for it. */
export function addField(def: FormDefinition, widget: Widget, label: LocalizedText, to: Place, words: StarterWords): { def: FormDefinition; key: string } {
  const out = copy(def);
  const key = freeKey(out, widget);
  const schema: JsonSchema = { ...TEMPLATES[widget](words), title: label['zh-CN'], 'x-title-en': label.en };
  out.schema.properties = { ...fieldsOf(out), [key]: schema };
  if (NAMED_WIDGETS.has(widget)) {
    const ui = uiOf(out);
    ui.fields = { ...ui.fields, [key]: { widget } };
  }
  return { def: moveField(out, key, to), key };
}

/** A condition names this field: `visibleWhen`, or the `if` of a requiredness rule. */
const namesField = (condition: Condition | undefined, key: string) => condition?.field === key;

export function removeField(def: FormDefinition, key: string): FormDefinition {
  const out = copy(def);
  const { [key]: _gone, ...rest } = fieldsOf(out);
  out.schema.properties = rest;
  if (Array.isArray(out.schema.required)) out.schema.required = out.schema.required.filter((r: string) => r !== key);
  // Requiredness rules about it, or conditioned on it, go with it.
  if (Array.isArray(out.schema.allOf)) {
    out.schema.allOf = out.schema.allOf.filter((rule: JsonSchema) => {
      const simple = readRule(rule);
      return !simple || (simple.field !== key && simple.condition.field !== key);
    });
    if (!out.schema.allOf.length) delete out.schema.allOf;
  }
  const ui = out.ui;
  if (ui) {
    if (ui.order) ui.order = ui.order.filter((f) => f !== key);
    for (const section of ui.sections ?? []) section.fields = section.fields.filter((f) => f !== key);
    if (ui.fields) {
      ui.fields = Object.fromEntries(Object.entries(ui.fields).filter(([path]) => path !== key && !path.startsWith(`${key}.`)));
      for (const field of Object.values(ui.fields)) if (namesField(field.visibleWhen, key)) delete field.visibleWhen;
    }
  }
  return out;
}

/** Renames a field everywhere the form names it: required, conditions, computations, UI schema. */
export function renameField(def: FormDefinition, from: string, to: string): FormDefinition {
  if (from === to || !FIELD_KEY.test(to) || Object.hasOwn(fieldsOf(def), to)) return def;
  const out = copy(def);
  out.schema.properties = Object.fromEntries(Object.entries(fieldsOf(out)).map(([k, v]) => [k === from ? to : k, v]));
  const swap = (list: unknown) => (Array.isArray(list) ? list.map((x) => (x === from ? to : x)) : list);
  const renamed = (map: object) => Object.fromEntries(Object.entries(map).map(([k, v]) => [k === from ? to : k, v]));
  // Conditions name fields in `required` and `properties`, at any depth of if/then/else and the rest.
  const condition = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(condition);
    const s = node as JsonSchema;
    if (Array.isArray(s.required)) s.required = swap(s.required);
    if (s.properties) s.properties = renamed(s.properties);
    for (const keyword of ['if', 'then', 'else', 'not', 'allOf', 'anyOf', 'oneOf']) condition(s[keyword]);
  };
  const top = out.schema;
  if (Array.isArray(top.required)) top.required = swap(top.required);
  for (const keyword of ['if', 'then', 'else', 'not', 'allOf', 'anyOf', 'oneOf']) condition(top[keyword]);
  for (const field of Object.values(fieldsOf(out))) {
    if (Array.isArray(field['x-computed']?.args)) field['x-computed'].args = swap(field['x-computed'].args);
    if (field['x-materials']?.classField === from) field['x-materials'].classField = to;
  }
  if (out.schema.dependentRequired) {
    out.schema.dependentRequired = Object.fromEntries(Object.entries(out.schema.dependentRequired as Record<string, unknown>).map(([k, v]) => [k === from ? to : k, swap(v)]));
  }
  const ui = out.ui;
  if (ui) {
    if (ui.order) ui.order = swap(ui.order) as string[];
    for (const section of ui.sections ?? []) section.fields = swap(section.fields) as string[];
    if (ui.fields) {
      const moved = (path: string) => (path === from ? to : path.startsWith(`${from}.`) ? `${to}${path.slice(from.length)}` : path);
      ui.fields = Object.fromEntries(Object.entries(ui.fields).map(([path, field]) => [moved(path), field]));
      for (const field of Object.values(ui.fields)) if (field.visibleWhen?.field === from) field.visibleWhen = { ...field.visibleWhen, field: to };
    }
  }
  return out;
}

/** Sets keywords of a field's schema; `undefined` removes one. */
export function patchSchema(def: FormDefinition, key: string, patch: JsonSchema): FormDefinition {
  const out = copy(def);
  const field = fieldsOf(out)[key];
  if (!field) return def;
  for (const [keyword, value] of Object.entries(patch)) {
    if (value === undefined) delete field[keyword];
    else field[keyword] = value;
  }
  return out;
}

/** Sets a field's UI settings; `undefined` removes one; an empty entry goes. */
export function patchUi(def: FormDefinition, path: string, patch: Partial<Record<keyof FieldUi, unknown>>): FormDefinition {
  const out = copy(def);
  const ui = uiOf(out);
  const field: Record<string, unknown> = { ...ui.fields?.[path] };
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) delete field[name];
    else field[name] = value;
  }
  const { [path]: _old, ...others } = ui.fields ?? {};
  ui.fields = Object.keys(field).length ? { ...others, [path]: field as FieldUi } : others;
  return out;
}

/** Replaces a field's schema (the advanced JSON editor). */
export function replaceSchema(def: FormDefinition, key: string, schema: JsonSchema): FormDefinition {
  const out = copy(def);
  out.schema.properties = Object.fromEntries(Object.entries(fieldsOf(out)).map(([k, v]) => [k, k === key ? schema : v]));
  return out;
}

export const isRequired = (def: FormDefinition, key: string) => Array.isArray(def.schema.required) && def.schema.required.includes(key);

export function setRequired(def: FormDefinition, key: string, required: boolean): FormDefinition {
  const out = copy(def);
  const list: string[] = Array.isArray(out.schema.required) ? out.schema.required.filter((r: string) => r !== key) : [];
  if (required) {
    // In form order, as an analyst reads the list.
    const order = orderOf(out);
    list.push(key);
    list.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  }
  out.schema.required = list;
  return out;
}

// ---- conditional requiredness ---------------------------------------------------------------

/**
 * A requiredness rule the designer edits: `{ if: { properties: { f: { const | enum } }, required: [f] },
 * then: { required: [field] } }` in the form's `allOf`; `notEmpty` is `if: { required: [f] }`.
 * Other rules of the form are kept as they are and listed as such.
 */
export function readRule(rule: JsonSchema): { field: string; condition: Condition } | null {
  const cond = rule?.if;
  const then = rule?.then;
  if (!cond || !then || rule.else !== undefined || Object.keys(rule).length !== 2) return null;
  if (!Array.isArray(then.required) || then.required.length !== 1 || Object.keys(then).length !== 1) return null;
  const field = then.required[0] as string;
  if (!Array.isArray(cond.required) || cond.required.length !== 1) return null;
  const on = cond.required[0] as string;
  const props = cond.properties as Record<string, JsonSchema> | undefined;
  if (!props) return Object.keys(cond).length === 1 ? { field, condition: { field: on, notEmpty: true } } : null;
  const test = props[on];
  if (!test || Object.keys(props).length !== 1 || Object.keys(cond).length !== 2) return null;
  if (Object.keys(test).length === 1 && test.const !== undefined) return { field, condition: { field: on, equals: test.const } };
  if (Object.keys(test).length === 1 && Array.isArray(test.enum)) return { field, condition: { field: on, in: test.enum } };
  return null;
}

function writeRule(field: string, condition: Condition): JsonSchema {
  const on = condition.field;
  if ('notEmpty' in condition) return { if: { required: [on] }, then: { required: [field] } };
  const test = 'equals' in condition ? { const: condition.equals } : { enum: condition.in };
  return { if: { properties: { [on]: test }, required: [on] }, then: { required: [field] } };
}

/** The condition under which a field is required, when the designer's rule says so. */
export function requiredWhen(def: FormDefinition, key: string): Condition | null {
  for (const rule of (def.schema.allOf ?? []) as JsonSchema[]) {
    const simple = readRule(rule);
    if (simple?.field === key) return simple.condition;
  }
  return null;
}

export function setRequiredWhen(def: FormDefinition, key: string, condition: Condition | null): FormDefinition {
  const out = copy(def);
  const rules = ((out.schema.allOf ?? []) as JsonSchema[]).filter((rule) => readRule(rule)?.field !== key);
  if (condition) rules.push(writeRule(key, condition));
  if (rules.length) out.schema.allOf = rules;
  else delete out.schema.allOf;
  return out;
}

/** Rules of the form the designer has no control for (kept, and listed so the analyst knows). */
export const otherRules = (def: FormDefinition): JsonSchema[] => ((def.schema.allOf ?? []) as JsonSchema[]).filter((rule) => !readRule(rule));

/** The fields those other rules may make required (named in a `then`, `else` or `dependentRequired`). */
export function requiredByOtherRules(def: FormDefinition): Set<string> {
  const out = new Set<string>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const s = node as JsonSchema;
    for (const branch of [s.then, s.else]) if (Array.isArray(branch?.required)) branch.required.forEach((f: string) => out.add(f));
    for (const keyword of ['then', 'else', 'allOf', 'anyOf', 'oneOf']) visit(s[keyword]);
  };
  visit(otherRules(def));
  for (const list of Object.values((def.schema.dependentRequired ?? {}) as Record<string, string[]>)) list.forEach((f) => out.add(f));
  return out;
}

// ---- sections and steps ---------------------------------------------------------------------

export function addSection(def: FormDefinition, title: LocalizedText): { def: FormDefinition; id: string } {
  const out = copy(def);
  const ui = uiOf(out);
  const taken = new Set((ui.sections ?? []).map((s) => s.id));
  let n = 1;
  while (taken.has(`section${n}`)) n++;
  const id = `section${n}`;
  // The first section takes every field so far: the form looks the same until fields move.
  const fields = ui.sections?.length ? [] : orderOf(out);
  ui.sections = [...(ui.sections ?? []), { id, title, fields }];
  return { def: out, id };
}

export function patchSection(def: FormDefinition, id: string, patch: Partial<Pick<Section, 'title'>>): FormDefinition {
  const out = copy(def);
  for (const section of out.ui?.sections ?? []) if (section.id === id) Object.assign(section, patch);
  return out;
}

/** Removes a section; its fields stay, with the fields no section names. */
export function removeSection(def: FormDefinition, id: string): FormDefinition {
  const out = copy(def);
  const ui = uiOf(out);
  const groups = groupsOf(out);
  const gone = groups.find((g) => g.id === id)?.fields ?? [];
  ui.sections = (ui.sections ?? []).filter((s) => s.id !== id);
  writeGroups(out, [...groups.filter((g) => g.id !== id && g.id !== null), { id: null, fields: [...gone, ...(groups.find((g) => g.id === null)?.fields ?? [])] }]);
  if (!ui.sections.length) {
    delete ui.sections;
    delete ui.wizard;
  }
  return out;
}

/** Moves a section one place up (-1) or down (+1). */
export function shiftSection(def: FormDefinition, id: string, by: -1 | 1): FormDefinition {
  const out = copy(def);
  const sections = uiOf(out).sections ?? [];
  const at = sections.findIndex((s) => s.id === id);
  const to = at + by;
  if (at < 0 || to < 0 || to >= sections.length) return def;
  [sections[at], sections[to]] = [sections[to]!, sections[at]!];
  writeGroups(out, groupsOf(out));
  return out;
}

export function setWizard(def: FormDefinition, wizard: boolean): FormDefinition {
  const out = copy(def);
  const ui = uiOf(out);
  if (wizard) ui.wizard = true;
  else delete ui.wizard;
  return out;
}
