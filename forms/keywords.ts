/**
 * The form keywords ajv does not know, registered on the form's ajv instance:
 * - `x-dictionary`: the value is an item of an admin-edited dictionary (read live);
 * - `x-date-range`: an object {start, end} whose end is not before its start;
 * - `x-materials`: the materials of the chosen material class are there;
 * - annotations with no validation: `x-computed`, `x-picker`, `x-messages`, `x-unit`, `x-editable-keys` (set on a node's view).
 */
import type { Ajv, AnySchemaObject, ErrorObject } from 'ajv';
import type { DataValidationCxt } from 'ajv/dist/types/index.js';
import { t, type LocalizedText } from './model.ts';

export interface DictionarySource {
  /** Whether `value` is an item of dictionary `key`; undefined when there is no such dictionary. */
  has(key: string, value: string): boolean | undefined;
}

/** A material of a material class (材料): what the citizen uploads or sends. */
export interface MaterialSpec {
  id: string;
  name: LocalizedText;
  required: boolean;
  /** 1 electronic upload only, 2 paper original only, 3 both. */
  delivery: 1 | 2 | 3;
  /** Bytes; default 10 MB. */
  maxSize?: number;
  /** Content types (checked on the bytes); default images and PDF. */
  types?: string[];
  maxFiles?: number;
  sample?: string;
  description?: LocalizedText;
}

export interface MaterialsSchema {
  /** The top-level field holding the chosen material class; absent when there is one list. */
  classField?: string;
  classes: Record<string, MaterialSpec[]>;
}

/** What a materials field holds per material: uploaded file ids, and the promise to send the paper original. */
export interface MaterialValue {
  files?: string[];
  paper?: boolean;
}

export const DEFAULT_MATERIAL_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf'];
export const DEFAULT_MATERIAL_MAX_SIZE = 10 * 1024 * 1024;
export const DEFAULT_MATERIAL_MAX_FILES = 5;

const ANNOTATIONS = ['x-computed', 'x-picker', 'x-messages', 'x-unit', 'x-title-en', 'x-file', 'x-editable-keys'];

export function addFormKeywords(ajv: Ajv, dictionaries: DictionarySource): void {
  for (const keyword of ANNOTATIONS) ajv.addKeyword({ keyword });

  ajv.addKeyword({
    keyword: 'x-dictionary',
    type: 'string',
    schemaType: 'string',
    validate: (key: string, value: string) => dictionaries.has(key, value) === true,
  });

  ajv.addKeyword({
    keyword: 'x-date-range',
    type: 'object',
    schemaType: 'boolean',
    validate: (on: boolean, value: { start?: unknown; end?: unknown }) => !on || typeof value.start !== 'string' || typeof value.end !== 'string' || value.start <= value.end,
  });

  const materials = function validateMaterials(spec: MaterialsSchema, value: Record<string, MaterialValue>, _parent?: AnySchemaObject, cxt?: DataValidationCxt): boolean {
    const errors = materialErrors(spec, value, cxt?.rootData as Record<string, unknown> | undefined, cxt?.instancePath ?? '');
    (validateMaterials as { errors?: Partial<ErrorObject>[] }).errors = errors;
    return errors.length === 0;
  };
  ajv.addKeyword({ keyword: 'x-materials', type: 'object', schemaType: 'object', errors: true, validate: materials });
}

/** The material list of the class chosen in the form's data; null while no class is chosen. */
export function chosenMaterials(spec: MaterialsSchema, root: Record<string, unknown> | undefined): MaterialSpec[] | null {
  if (!spec.classField) return Object.values(spec.classes)[0] ?? [];
  const chosen = root?.[spec.classField];
  return typeof chosen === 'string' && Object.hasOwn(spec.classes, chosen) ? (spec.classes[chosen] ?? null) : null;
}

function materialErrors(spec: MaterialsSchema, value: Record<string, MaterialValue>, root: Record<string, unknown> | undefined, path: string): Partial<ErrorObject>[] {
  const list = chosenMaterials(spec, root);
  if (!list) return []; // the class field reports itself
  const byId = new Map(list.map((m) => [m.id, m]));
  const errors: Partial<ErrorObject>[] = [];
  const fail = (materialId: string, rule: string, reason: LocalizedText) =>
    errors.push({ keyword: 'x-materials', instancePath: `${path}/${materialId}`, params: { rule, materialId, reason }, message: reason.en });
  for (const id of Object.keys(value)) {
    if (!byId.has(id)) fail(id, 'unknown', t('不是所选材料类别的材料', 'is not a material of the chosen class'));
  }
  for (const m of list) {
    const given = value[m.id];
    const files = given?.files ?? [];
    if (files.length > (m.maxFiles ?? DEFAULT_MATERIAL_MAX_FILES))
      fail(m.id, 'maxFiles', t(`最多上传 ${m.maxFiles ?? DEFAULT_MATERIAL_MAX_FILES} 个文件`, `takes at most ${m.maxFiles ?? DEFAULT_MATERIAL_MAX_FILES} files`));
    if (m.delivery === 2 && files.length) fail(m.id, 'upload', t('只需寄送原件，不需上传', 'is sent as a paper original, not uploaded'));
    if (!m.required) continue;
    if (m.delivery !== 2 && !files.length) fail(m.id, 'required', t('请上传该材料', 'must be uploaded'));
    if (m.delivery !== 1 && given?.paper !== true) fail(m.id, 'required', t('请确认寄送原件', 'needs the promise to send the paper original'));
  }
  return errors;
}
