/**
 * From a form definition to a validator: lint it (every problem at once, each
 * with a JSON pointer into the definition), fill in the bounds an analyst
 * should not have to write, compile it with ajv once, and validate data with
 * messages in the caller's language.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { builtinComputations, computedFields, type ComputedSpec, type ComputeRegistry } from './computed.ts';
import { addCustomFormats } from './formats/index.ts';
import { addFormKeywords, chosenMaterials, type DictionarySource, type MaterialsSchema } from './keywords.ts';
import { pointerOf, reasonFor, unescapePointer } from './messages.ts';
import { t, WIDGETS, type FieldIssue, type FormData, type FormDefinition, type JsonSchema, type Locale, type LocalizedText } from './model.ts';

export interface FormProblem {
  /** Where in the definition, e.g. `/schema/properties/days/x-computed`. */
  pointer: string;
  message: LocalizedText;
}

export class FormDefinitionError extends Error {
  constructor(readonly problems: FormProblem[]) {
    super(problems.map((p) => `${p.pointer}: ${p.message.en}`).join('; '));
    this.name = 'FormDefinitionError';
  }
}

export interface CompilerOptions {
  dictionaries: DictionarySource & { exists(key: string): boolean };
  computations?: ComputeRegistry;
}

export type ValidationMode = 'submit' | 'draft';

export interface ValidationOutcome {
  valid: boolean;
  /** The data with computed fields filled in. */
  data: FormData;
  issues: FieldIssue[];
}

/** Bounds filled in where a definition leaves them open: no unbounded text or list reaches the store. */
export const DEFAULT_MAX_LENGTH = 2000;
export const DEFAULT_MAX_ITEMS = 200;

const KEY = /^[a-z][a-z0-9-]{0,63}$/;
/** Keywords whose subschemas describe conditions, not the data's shape. */
const CONDITIONAL = ['if', 'then', 'else', 'not', 'allOf', 'anyOf', 'oneOf', 'dependentSchemas'];
/** Rules a draft may break: what is missing may still be filled in. */
const DRAFT_TOLERATED = new Set(['required', 'dependentRequired', 'minItems', 'minProperties']);

export class FormCompiler {
  readonly #ajv: Ajv2020;
  readonly #dictionaries: CompilerOptions['dictionaries'];
  readonly #computations: ComputeRegistry;

  constructor(options: CompilerOptions) {
    this.#dictionaries = options.dictionaries;
    this.#computations = options.computations ?? builtinComputations();
    // verbose: errors carry the data and the schema, for the specific reason and the field's own x-messages.
    this.#ajv = new Ajv2020({
      allErrors: true,
      verbose: true,
      strict: true,
      strictTypes: false,
      strictRequired: false,
      strictTuples: false,
      coerceTypes: false,
      useDefaults: false,
      multipleOfPrecision: 9,
    });
    addFormats.default(this.#ajv);
    addCustomFormats(this.#ajv);
    addFormKeywords(this.#ajv, this.#dictionaries);
  }

  /** Every problem of a definition; empty when it can be deployed. */
  lint(definition: FormDefinition): FormProblem[] {
    const { problems, schema, validate } = this.#check(definition);
    if (validate) this.#ajv.removeSchema(schema); // only checking: keep ajv's cache to compiled forms
    return problems;
  }

  compile(definition: FormDefinition, version: number): CompiledForm {
    const { problems, schema, validate } = this.#check(definition);
    if (!validate) throw new FormDefinitionError(problems);
    return new CompiledForm(definition, version, schema, validate, this.#computations);
  }

  #check(definition: FormDefinition): { problems: FormProblem[]; schema: JsonSchema; validate: ValidateFunction | null } {
    const problems = lintDefinition(definition, this.#dictionaries, this.#computations);
    const schema = problems.length ? {} : normalize(definition.schema);
    if (problems.length) return { problems, schema, validate: null };
    try {
      return { problems, schema, validate: this.#ajv.compile(schema) };
    } catch (err) {
      const message = (err as Error).message;
      problems.push({ pointer: '/schema', message: t(`表单结构无法编译：${compileProblemZh(message)}`, `the schema does not compile: ${message}`) });
      return { problems, schema, validate: null };
    }
  }
}

export class CompiledForm {
  readonly fields: readonly string[];
  readonly #computed: Array<[string, ComputedSpec]>;

  constructor(
    readonly definition: FormDefinition,
    readonly version: number,
    /** The schema as validated: the definition's, with bounds and closed objects filled in. */
    readonly schema: JsonSchema,
    private readonly check: ValidateFunction,
    private readonly computations: ComputeRegistry,
  ) {
    this.fields = Object.keys(schema.properties as object);
    this.#computed = computedFields(schema);
  }

  get key(): string {
    return this.definition.key;
  }

  get computedNames(): string[] {
    return this.#computed.map(([name]) => name);
  }

  /** Fill in computed fields (replacing whatever was sent for them). */
  compute(data: FormData): FormData {
    if (!this.#computed.length) return data;
    const out = { ...data };
    for (const [name, spec] of this.#computed) {
      const value = this.computations.get(spec.fn)?.compute(out, spec) ?? null;
      if (value === null) delete out[name];
      else out[name] = value;
    }
    return out;
  }

  validate(input: unknown, options: { mode: ValidationMode; locale: Locale }): ValidationOutcome {
    if (!input || typeof input !== 'object' || Array.isArray(input)) {
      return { valid: false, data: {}, issues: [{ pointer: '', label: '', rule: 'type', message: options.locale === 'zh-CN' ? '表单数据应为对象' : 'form data must be an object' }] };
    }
    const data = this.compute(input as FormData);
    if (this.check(data)) return { valid: true, data, issues: [] };
    const all = this.check.errors ?? [];
    // The errors of each alternative of a failed anyOf/oneOf are not the user's to fix one by one: the alternative speaks for them.
    const under = (parent: ErrorObject) => all.filter((e) => e !== parent && e.schemaPath.startsWith(`${parent.schemaPath}/`));
    // Each alternative's errors, found once (not once per error looked at).
    const nested = new Map(all.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((a) => [a, under(a)]));
    const covered = new Set([...nested.values()].flat());
    const errors = all.filter((e) => e.keyword !== 'if' && !covered.has(e));
    const tolerated = (e: ErrorObject) => {
      const inner = nested.get(e);
      return isMissing(e) || (inner !== undefined && inner.length > 0 && inner.every(isMissing));
    };
    const issues = errors.filter((e) => !(options.mode === 'draft' && tolerated(e))).map((e) => this.issue(e, options.locale, data, nested.get(e) ?? []));
    return { valid: issues.length === 0, data, issues };
  }

  /** The `required` issue of each of `fields` left empty, worded as the schema's own (a node's wf:required). */
  missing(data: FormData, fields: readonly string[], locale: Locale): FieldIssue[] {
    const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
    return fields
      .filter((f) => empty(data[f]))
      .map((f) => this.issue({ keyword: 'required', instancePath: '', schemaPath: '#/required', params: { missingProperty: f }, parentSchema: this.definition.schema } as ErrorObject, locale, data));
  }

  issue(e: ErrorObject, locale: Locale, data: FormData = {}, nested: ErrorObject[] = []): FieldIssue {
    const pointer = pointerOf(e);
    const label = this.label(pointer, locale, data);
    const reason = (this.#uncomputable(e) ?? this.#oneOfMissing(e, nested, data) ?? reasonFor(e))[locale];
    return { pointer, label, rule: e.keyword, message: label ? `${label}${locale === 'zh-CN' ? '：' : ': '}${reason}` : reason };
  }

  /** anyOf: [{required: [mobile]}, {required: [email]}] — say which fields, one of which is needed. */
  #oneOfMissing(e: ErrorObject, nested: ErrorObject[], data: FormData): LocalizedText | null {
    if ((e.keyword !== 'anyOf' && e.keyword !== 'oneOf') || !nested.length || !nested.every((n) => n.keyword === 'required')) return null;
    const labels = (locale: Locale) => [...new Set(nested.map((n) => this.label(pointerOf(n), locale, data)))];
    return t(`请至少填写其中一项：${labels('zh-CN').join('、')}`, `fill in at least one of: ${labels('en').join(', ')}`);
  }

  /** A required computed field that could not be computed: point at its inputs, not at it. */
  #uncomputable(e: ErrorObject): LocalizedText | null {
    if (e.keyword !== 'required' || e.instancePath !== '') return null;
    const spec = this.#computed.find(([name]) => name === (e.params as { missingProperty?: string }).missingProperty)?.[1];
    if (!spec) return null;
    const inputs = spec.args.filter((a): a is string => typeof a === 'string' && this.fields.includes(a));
    const names = (locale: Locale) => inputs.map((f) => this.label(`/${f}`, locale));
    return t(`无法计算，请检查${names('zh-CN').join('、')}`, `cannot be computed; check ${names('en').join(', ')}`);
  }

  /** A field's label for a pointer: `费用明细第 2 行金额`, `Expense items, row 2, amount`; `data` picks the material class. */
  label(pointer: string, locale: Locale, data: FormData = {}): string {
    const segments = pointer.split('/').slice(1).map(unescapePointer);
    const [top, ...rest] = segments;
    if (top === undefined) return '';
    const ui = this.definition.ui?.fields ?? {};
    const property = (this.schema.properties as Record<string, JsonSchema>)[top];
    const parts = [ui[top]?.label?.[locale] ?? titleOf(property, locale) ?? top];
    let schema = property;
    let path = top;
    let inMaterial = false;
    for (const segment of rest) {
      if (inMaterial) {
        // /materials/<id>/files/<n>: the n-th file of that material
        if (/^\d+$/.test(segment)) parts.push(locale === 'zh-CN' ? `第 ${Number(segment) + 1} 个文件` : `file ${Number(segment) + 1}`);
        else if (segment === 'paper') parts.push(locale === 'zh-CN' ? '原件' : 'paper original');
        continue;
      }
      if (/^\d+$/.test(segment) && schema?.items) {
        const n = Number(segment) + 1;
        const row = Boolean(schema.items.properties); // a table's rows; a plain list's items
        parts.push(locale === 'zh-CN' ? `第 ${n} ${row ? '行' : '项'}` : `${row ? 'row' : 'item'} ${n}`);
        schema = schema.items;
        continue;
      }
      if (schema?.['x-materials']) {
        const spec = schema['x-materials'] as MaterialsSchema;
        const material = [...(chosenMaterials(spec, data) ?? []), ...Object.values(spec.classes).flat()].find((m) => m.id === segment);
        parts.push(material?.name[locale] ?? segment);
        schema = undefined;
        inMaterial = true;
        continue;
      }
      path = `${path}.${segment}`;
      schema = schema?.properties?.[segment];
      parts.push(ui[path]?.label?.[locale] ?? titleOf(schema, locale) ?? (locale === 'zh-CN' ? `（${segment}）` : segment));
    }
    return parts.join(locale === 'zh-CN' ? '' : ', ');
  }

  /** The material list that applies to this data, per materials field. */
  materials(data: FormData): Array<{ field: string; list: NonNullable<ReturnType<typeof chosenMaterials>> }> {
    const out = [];
    for (const field of this.fields) {
      const spec = (this.schema.properties as Record<string, JsonSchema>)[field]?.['x-materials'] as MaterialsSchema | undefined;
      const list = spec ? chosenMaterials(spec, data) : null;
      if (list) out.push({ field, list });
    }
    return out;
  }
}

function isMissing(e: ErrorObject): boolean {
  return DRAFT_TOLERATED.has(e.keyword) || (e.keyword === 'x-materials' && (e.params as { rule?: string }).rule === 'required');
}

function titleOf(schema: JsonSchema | undefined, locale: Locale): string | undefined {
  if (!schema) return undefined;
  if (locale === 'en' && typeof schema['x-title-en'] === 'string') return schema['x-title-en'];
  return typeof schema.title === 'string' ? schema.title : undefined;
}

// ---- normalizing ------------------------------------------------------------------------------

/** A copy of the schema with closed objects, bounded strings and lists, and the shape of materials fields. */
export function normalize(schema: JsonSchema): JsonSchema {
  const copy = structuredClone(schema);
  delete copy.$id; // versions of one form would collide in ajv; nothing refers to it
  shape(copy);
  return copy;
}

function shape(s: JsonSchema): void {
  if (!s || typeof s !== 'object') return;
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (s['x-materials'] && !s.additionalProperties) {
    s.type ??= 'object';
    s.maxProperties ??= 100;
    s.additionalProperties = {
      type: 'object',
      additionalProperties: false,
      properties: { files: { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 64 } }, paper: { type: 'boolean' } },
    };
  }
  if (s['x-date-range']) {
    s.type ??= 'object';
    s.properties ??= { start: { type: 'string', format: 'date', title: '开始日期', 'x-title-en': 'start' }, end: { type: 'string', format: 'date', title: '结束日期', 'x-title-en': 'end' } };
  }
  if ((types.includes('object') || s.properties) && s.additionalProperties === undefined && s.unevaluatedProperties === undefined) s.additionalProperties = false;
  if (types.includes('string') && s.maxLength === undefined && s.enum === undefined && s.const === undefined) s.maxLength = DEFAULT_MAX_LENGTH;
  if (types.includes('array') && s.maxItems === undefined) s.maxItems = DEFAULT_MAX_ITEMS;
  for (const child of Object.values((s.properties ?? {}) as Record<string, JsonSchema>)) shape(child);
  if (s.items && typeof s.items === 'object') shape(s.items);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') shape(s.additionalProperties);
}

// ---- linting --------------------------------------------------------------------------------

function lintDefinition(def: FormDefinition, dictionaries: CompilerOptions['dictionaries'], computations: ComputeRegistry): FormProblem[] {
  const problems: FormProblem[] = [];
  const problem = (pointer: string, zh: string, en: string) => problems.push({ pointer, message: t(zh, en) });
  if (typeof def.key !== 'string' || !KEY.test(def.key))
    problem('/key', '表单标识应为小写字母开头的字母、数字或连字符（最多 64 个）', 'the key must be lower-case letters, digits and hyphens, starting with a letter (at most 64)');
  for (const locale of ['zh-CN', 'en'] as const) {
    if (typeof def.title?.[locale] !== 'string' || !def.title[locale].trim()) problem(`/title/${locale}`, '表单名称必填（中英文）', 'the title is required in both languages');
  }
  const schema = def.schema;
  if (!schema || schema.type !== 'object' || !schema.properties || typeof schema.properties !== 'object' || !Object.keys(schema.properties).length) {
    problem('/schema', '表单结构应为含字段（properties）的对象', 'the schema must be an object with properties');
    return problems;
  }
  const fields = new Set(Object.keys(schema.properties));
  lintConditionals(schema, '/schema', fields, problem);
  walk(schema, '/schema', (s, pointer) => {
    if (s['x-dictionary'] !== undefined && (typeof s['x-dictionary'] !== 'string' || !dictionaries.exists(s['x-dictionary']))) {
      problem(`${pointer}/x-dictionary`, `字典 ${String(s['x-dictionary'])} 不存在`, `there is no dictionary ${String(s['x-dictionary'])}`);
    }
    if (s.properties && pointer !== '/schema') lintConditionals(s, pointer, new Set(Object.keys(s.properties)), problem);
  });
  for (const [name, property] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
    const at = `/schema/properties/${name}`;
    const computed = property['x-computed'] as ComputedSpec | undefined;
    if (computed) {
      const fn = typeof computed.fn === 'string' ? computations.get(computed.fn) : undefined;
      if (!fn || !Array.isArray(computed.args)) problem(`${at}/x-computed`, `未知的计算函数 ${String(computed.fn)}`, `unknown computation ${String(computed.fn)}`);
      else {
        const reason = fn.check(computed, schema);
        if (reason) problems.push({ pointer: `${at}/x-computed`, message: reason });
      }
    }
    if (property['x-materials']) lintMaterials(property['x-materials'] as MaterialsSchema, `${at}/x-materials`, fields, problem);
  }
  lintUi(def, fields, schema, problem);
  return problems;
}

type Problem = (pointer: string, zh: string, en: string) => void;

/**
 * Fields that conditions name must be declared in the object's own
 * `properties`: the generated TypeScript type leaves conditions out, and a
 * field the UI does not know cannot be filled in.
 */
function lintConditionals(object: JsonSchema, pointer: string, fields: Set<string>, problem: Problem): void {
  const named = (names: unknown, at: string) => {
    for (const name of Array.isArray(names) ? names : []) {
      if (typeof name === 'string' && !fields.has(name))
        problem(at, `必填项或条件中用到的字段 ${name} 必须在 properties 中声明`, `field ${name}, named in required or a condition, must be declared in properties`);
    }
  };
  named(object.required, `${pointer}/required`);
  for (const [key, list] of Object.entries((object.dependentRequired ?? {}) as Record<string, unknown>)) named([key, ...(Array.isArray(list) ? list : [])], `${pointer}/dependentRequired/${key}`);
  const visitCondition = (s: JsonSchema, at: string) => {
    if (!s || typeof s !== 'object') return;
    named(s.required, `${at}/required`);
    named(Object.keys(s.properties ?? {}), `${at}/properties`);
    for (const keyword of CONDITIONAL) {
      const inner = s[keyword];
      if (Array.isArray(inner)) inner.forEach((x, i) => visitCondition(x, `${at}/${keyword}/${i}`));
      else if (inner && typeof inner === 'object' && keyword === 'dependentSchemas') for (const [k, v] of Object.entries(inner)) visitCondition(v as JsonSchema, `${at}/${keyword}/${k}`);
      else if (inner && typeof inner === 'object') visitCondition(inner, `${at}/${keyword}`);
    }
  };
  for (const keyword of CONDITIONAL) {
    const inner = object[keyword];
    if (Array.isArray(inner)) inner.forEach((x, i) => visitCondition(x, `${pointer}/${keyword}/${i}`));
    else if (inner && typeof inner === 'object' && keyword === 'dependentSchemas') {
      for (const [k, v] of Object.entries(inner)) {
        named([k], `${pointer}/dependentSchemas/${k}`);
        visitCondition(v as JsonSchema, `${pointer}/dependentSchemas/${k}`);
      }
    } else if (inner && typeof inner === 'object') visitCondition(inner, `${pointer}/${keyword}`);
  }
}

/** Visit every data-shaped subschema (properties, items, additionalProperties). */
function walk(s: JsonSchema, pointer: string, visit: (s: JsonSchema, pointer: string) => void): void {
  if (!s || typeof s !== 'object') return;
  visit(s, pointer);
  for (const [name, child] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)) walk(child, `${pointer}/properties/${name}`, visit);
  if (s.items && typeof s.items === 'object') walk(s.items, `${pointer}/items`, visit);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${pointer}/additionalProperties`, visit);
}

function lintMaterials(spec: MaterialsSchema, at: string, fields: Set<string>, problem: Problem): void {
  if (spec.classField !== undefined && !fields.has(spec.classField))
    problem(`${at}/classField`, `材料类别字段 ${spec.classField} 不存在`, `the material class field ${spec.classField} does not exist`);
  if (!spec.classes || typeof spec.classes !== 'object' || !Object.keys(spec.classes).length) {
    problem(`${at}/classes`, '至少需要一个材料类别', 'at least one material class is needed');
    return;
  }
  for (const [name, list] of Object.entries(spec.classes)) {
    const seen = new Set<string>();
    (Array.isArray(list) ? list : []).forEach((m, i) => {
      const where = `${at}/classes/${name}/${i}`;
      if (typeof m.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(m.id) || seen.has(m.id))
        problem(`${where}/id`, '材料编号应唯一，由字母、数字、下划线或连字符组成', 'material ids must be unique letters, digits, _ or -');
      seen.add(m.id);
      if (![1, 2, 3].includes(m.delivery)) problem(`${where}/delivery`, '提交方式应为 1（电子件）、2（纸质原件）或 3（两者）', 'delivery must be 1 (upload), 2 (paper original) or 3 (both)');
      if (typeof m.name?.['zh-CN'] !== 'string' || typeof m.name?.en !== 'string') problem(`${where}/name`, '材料名称必填（中英文）', 'the material name is required in both languages');
    });
  }
}

function lintUi(def: FormDefinition, fields: Set<string>, schema: JsonSchema, problem: Problem): void {
  const ui = def.ui;
  if (!ui) return;
  const exists = (path: string) => {
    const [top, ...rest] = path.split('.');
    let s: JsonSchema | undefined = top === undefined ? undefined : schema.properties[top];
    for (const part of rest) s = (s?.items ?? s)?.properties?.[part];
    return s !== undefined;
  };
  (ui.order ?? []).forEach((name, i) => {
    if (!fields.has(name)) problem(`/ui/order/${i}`, `字段 ${name} 不存在`, `there is no field ${name}`);
  });
  for (const [path, field] of Object.entries(ui.fields ?? {})) {
    if (!exists(path)) problem(`/ui/fields/${path}`, `字段 ${path} 不存在`, `there is no field ${path}`);
    if (field.widget !== undefined && !(WIDGETS as readonly string[]).includes(field.widget)) problem(`/ui/fields/${path}/widget`, `未知的控件 ${field.widget}`, `unknown widget ${field.widget}`);
    if (field.visibleWhen && !fields.has(field.visibleWhen.field))
      problem(`/ui/fields/${path}/visibleWhen`, `条件字段 ${field.visibleWhen.field} 不存在`, `the condition's field ${field.visibleWhen.field} does not exist`);
  }
  (ui.sections ?? []).forEach((section, i) =>
    (section.fields ?? []).forEach((name, j) => {
      if (!fields.has(name)) problem(`/ui/sections/${i}/fields/${j}`, `字段 ${name} 不存在`, `there is no field ${name}`);
    }),
  );
}

/** ajv says why a schema does not compile in English; an analyst reading Chinese gets the gist and the place. */
function compileProblemZh(message: string): string {
  const keyword = /unknown keyword: "([^"]+)"/.exec(message);
  if (keyword) return `未知的关键字 "${keyword[1]}"`;
  const place = /^schema is invalid: data(\S*) /.exec(message);
  if (place) return `${place[1] || '/'} 处的写法不合法`;
  const ref = /can't resolve reference (\S+)/.exec(message);
  if (ref) return `找不到引用 ${ref[1]}`;
  return '结构不合法';
}
