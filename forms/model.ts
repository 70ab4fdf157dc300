/**
 * A form: a JSON Schema (draft 2020-12) for the data, and a UI schema for how
 * it is shown. Every human step of a flow — the citizen's application, the
 * clerk's review, the approver's decision — is one of these. The same
 * definition is validated on the server and rendered in the browser, so this
 * library depends on nothing but ajv.
 */

export type Locale = 'zh-CN' | 'en';
export type LocalizedText = Record<Locale, string>;

/** A text in both languages: t('必填', 'required'). */
export const t = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonSchema = Record<string, any>;
export type FormData = Record<string, unknown>;

export interface FormDefinition {
  /** Lower-case key, e.g. `leave-request`; versions are kept per key. */
  key: string;
  title: LocalizedText;
  /** An object schema; every field is declared in its top-level `properties`. */
  schema: JsonSchema;
  ui?: UiSchema;
}

/** The widgets a field can be shown with (the designer's palette). */
export const WIDGETS = [
  'text',
  'textarea',
  'number',
  'money',
  'integer',
  'date',
  'datetime',
  'dateRange',
  'select',
  'radio',
  'checkbox',
  'switch',
  'region',
  'idNumber',
  'mobile',
  'plate',
  'postcode',
  'email',
  'user',
  'department',
  'file',
  'materials',
  'table',
  'computed',
  // A handling office of the service catalog, found by name, pinyin initials or place (many to pick from).
  'office',
] as const;
export type Widget = (typeof WIDGETS)[number];

export interface UiSchema {
  /** Field order; fields not named follow in schema order. */
  order?: string[];
  fields?: Record<string, FieldUi>;
  /** Groups of fields; shown as steps when `wizard` is set. */
  sections?: Array<{ id: string; title: LocalizedText; fields: string[] }>;
  wizard?: boolean;
}

export interface FieldUi {
  label?: LocalizedText;
  widget?: Widget;
  placeholder?: LocalizedText;
  help?: LocalizedText;
  /** Shown only while the condition holds (its value is kept either way). */
  visibleWhen?: Condition;
}

/** A condition on another top-level field. */
export type Condition = { field: string; equals: unknown } | { field: string; in: unknown[] } | { field: string; notEmpty: true };

/** What a node's assignee may do with a field. */
export type FieldAccess = 'editable' | 'readonly' | 'hidden';

export interface NodePermissions {
  /** For fields not listed. */
  default: FieldAccess;
  fields: Record<string, FieldAccess>;
  /** Fields this node's assignee must fill, though the form leaves them optional (a result only this node gives). */
  required?: string[];
  /** Editable object fields of which only these keys may change (a correction: only the materials that failed review). */
  parts?: Record<string, string[]>;
}

/** One failed rule of one field, ready to show: `身份证号码：校验位不正确`. */
export interface FieldIssue {
  /** JSON pointer of the offending value, e.g. `/items/2/amount`. */
  pointer: string;
  /** The field's label in the caller's language (the top-level field's, with the row for tables). */
  label: string;
  rule: string;
  message: string;
}
