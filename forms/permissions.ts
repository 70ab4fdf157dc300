/**
 * Per-node field permissions. A user task that shows a form says, per
 * top-level field, whether its assignee may edit it, only read it, or not see
 * it at all. The server enforces it: hidden fields are never sent to the
 * assignee, a change to a read-only field is refused (the stored value stays).
 */
import type { CompiledForm } from './compile.ts';
import type { FieldAccess, FieldIssue, FormData, JsonSchema, Locale, NodePermissions, UiSchema } from './model.ts';

export const EVERYTHING_EDITABLE: NodePermissions = { default: 'editable', fields: {} };

export function accessOf(permissions: NodePermissions, field: string): FieldAccess {
  return permissions.fields[field] ?? permissions.default;
}

/** The form as a node's assignee sees it: hidden fields gone, read-only ones marked. */
export function viewOf(form: CompiledForm, permissions: NodePermissions): { schema: JsonSchema; ui: UiSchema | undefined; access: Record<string, FieldAccess> } {
  const access = Object.fromEntries(form.fields.map((f) => [f, accessOf(permissions, f)])) as Record<string, FieldAccess>;
  const hidden = new Set(form.fields.filter((f) => access[f] === 'hidden'));
  const schema = withoutFields(form.definition.schema, hidden);
  const required = (permissions.required ?? []).filter((f) => !hidden.has(f));
  if (required.length) schema.required = [...new Set([...((schema.required as string[] | undefined) ?? []), ...required])];
  for (const [name, property] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
    if (access[name] === 'readonly' || property['x-computed']) property.readOnly = true;
    // Only some keys of it may change here: the others show as read-only.
    if (access[name] === 'editable' && permissions.parts?.[name]) property['x-editable-keys'] = permissions.parts[name];
  }
  return { schema, ui: uiWithout(form.definition.ui, hidden), access: Object.fromEntries(Object.entries(access).filter(([f]) => !hidden.has(f))) };
}

/** The stored values a node's assignee may see. */
export function visibleValues(form: CompiledForm, permissions: NodePermissions, values: FormData): FormData {
  const out: FormData = {};
  for (const field of form.fields) {
    if (accessOf(permissions, field) !== 'hidden' && Object.hasOwn(values, field)) out[field] = values[field];
  }
  return out;
}

/**
 * Check a submission against the node's permissions and merge it over the
 * stored values: the result is what gets validated. Sending a hidden field, or
 * a read-only one with another value than stored, is refused.
 */
export function applySubmission(
  form: CompiledForm,
  permissions: NodePermissions,
  submitted: FormData,
  stored: FormData,
  locale: Locale,
): { merged: FormData; submitted: string[]; changed: string[]; issues: FieldIssue[]; computed: FormData } {
  const merged: FormData = {};
  for (const field of form.fields) if (Object.hasOwn(stored, field)) merged[field] = stored[field];
  const issues: FieldIssue[] = [];
  /** Editable fields this submission sets. */
  const changed: string[] = [];
  const computed = new Set(form.computedNames);
  /** Computed fields the submission sent: held to what they compute to (refusedComputed). */
  const sentComputed: FormData = {};
  for (const [field, value] of Object.entries(submitted)) {
    if (value === undefined) continue; // not sent (JSON has no undefined)
    if (!form.fields.includes(field)) {
      merged[field] = value; // validation names it as not allowed
      continue;
    }
    const access = accessOf(permissions, field);
    if (computed.has(field)) {
      sentComputed[field] = value; // recomputed from the other fields; a different value is refused once computed
      continue;
    }
    if (access === 'editable') {
      const keys = permissions.parts?.[field];
      const fixed = keys ? changedKeys(value, stored[field]).filter((key) => !keys.includes(key)) : [];
      for (const key of fixed) {
        const label = form.label(`/${field}/${key}`, locale);
        issues.push({ pointer: `/${field}/${key}`, label, rule: 'readonly', message: `${label}${locale === 'zh-CN' ? '：本环节只读，不能修改' : ': is read-only at this step'}` });
      }
      if (fixed.length) continue;
      merged[field] = value;
      changed.push(field);
      continue;
    }
    if (access === 'readonly' && sameValue(value, stored[field])) continue;
    const label = form.label(`/${field}`, locale);
    const reason =
      access === 'hidden'
        ? locale === 'zh-CN'
          ? '本环节不可见，不能提交'
          : 'is hidden at this step and cannot be submitted'
        : locale === 'zh-CN'
          ? '本环节只读，不能修改'
          : 'is read-only at this step';
    issues.push({ pointer: `/${field}`, label, rule: access, message: `${label}${locale === 'zh-CN' ? '：' : ': '}${reason}` });
  }
  return { merged, submitted: changed, changed: [...changed, ...form.computedNames], issues, computed: sentComputed };
}

/**
 * Computed fields sent with a value other than what they compute to: refused
 * as any read-only field is (a form in the browser computes the same value and
 * may send it back).
 */
export function refusedComputed(form: CompiledForm, sent: FormData, computed: FormData, locale: Locale): FieldIssue[] {
  return Object.entries(sent)
    .filter(([field, value]) => !sameValue(value, computed[field]))
    .map(([field]) => {
      const label = form.label(`/${field}`, locale);
      return { pointer: `/${field}`, label, rule: 'readonly', message: `${label}${locale === 'zh-CN' ? '：自动计算，不能修改' : ': is computed and cannot be changed'}` };
    });
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The keys whose values differ between two objects (a non-object counts as empty). */
function changedKeys(a: unknown, b: unknown): string[] {
  const entries = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const [x, y] = [entries(a), entries(b)];
  return [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((key) => !sameValue(x[key], y[key]));
}

function withoutFields(schema: JsonSchema, hidden: Set<string>): JsonSchema {
  const copy = structuredClone(schema);
  if (!hidden.size) return copy;
  const strip = (s: JsonSchema | undefined) => {
    if (!s || typeof s !== 'object') return;
    if (s.properties) for (const name of hidden) delete s.properties[name];
    if (Array.isArray(s.required)) s.required = s.required.filter((r: string) => !hidden.has(r));
    if (s.dependentRequired) {
      for (const name of hidden) delete s.dependentRequired[name];
      for (const [k, list] of Object.entries(s.dependentRequired)) s.dependentRequired[k] = (list as string[]).filter((r) => !hidden.has(r));
    }
    for (const keyword of ['if', 'then', 'else', 'not']) strip(s[keyword]);
    for (const keyword of ['allOf', 'anyOf', 'oneOf']) (s[keyword] as JsonSchema[] | undefined)?.forEach(strip);
  };
  strip(copy);
  return copy;
}

function uiWithout(ui: UiSchema | undefined, hidden: Set<string>): UiSchema | undefined {
  if (!ui || !hidden.size) return ui;
  return {
    ...ui,
    ...(ui.order && { order: ui.order.filter((f) => !hidden.has(f)) }),
    ...(ui.fields && { fields: Object.fromEntries(Object.entries(ui.fields).filter(([path]) => !hidden.has(path.split('.')[0]!))) }),
    ...(ui.sections && { sections: ui.sections.map((s) => ({ ...s, fields: s.fields.filter((f) => !hidden.has(f)) })) }),
  };
}
