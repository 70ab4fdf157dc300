/**
 * The files a form's data points to: materials (`x-materials`) and file
 * fields (`x-file`). At submission every referenced file must exist, be the
 * submitter's (or already belong to this case), and fit its material's type
 * and size limits; the new ones are then bound to the case.
 */
import { DEFAULT_MATERIAL_MAX_SIZE, DEFAULT_MATERIAL_TYPES, type CompiledForm, type FieldIssue, type FormData, type Locale, type MaterialsSchema, type MaterialValue } from '../../../forms/index.ts';
import type { FileRecord } from '../model.ts';
import type { Services } from '../services.ts';

export interface FileLimits {
  types: readonly string[];
  maxSize: number;
}

interface FileSpec {
  types?: string[];
  maxSize?: number;
}

const limits = (spec: FileSpec | undefined): FileLimits => ({ types: spec?.types ?? DEFAULT_MATERIAL_TYPES, maxSize: spec?.maxSize ?? DEFAULT_MATERIAL_MAX_SIZE });

/** The limits for uploading into a field (and material); null when the field takes no files. */
export function limitsFor(form: CompiledForm, field: string, materialId?: string): FileLimits | null {
  const property = (form.schema.properties as Record<string, Record<string, unknown>>)[field];
  if (!property) return null;
  const materials = property['x-materials'] as MaterialsSchema | undefined;
  if (materials) {
    const material = Object.values(materials.classes).flat().find((m) => m.id === materialId);
    return material ? limits(material) : null;
  }
  return property['x-file'] ? limits(property['x-file'] as FileSpec) : null;
}

interface Reference {
  pointer: string;
  fileId: string;
  limits: FileLimits;
}

/** The file ids in a value the schema may still refuse (wrong shapes are its business, not a crash here). */
const ids = (value: unknown): string[] => (Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string' && id.length <= 64) : []);

function references(form: CompiledForm, data: FormData, fields: readonly string[]): Reference[] {
  const out: Reference[] = [];
  const chosen = new Map(form.materials(data).map((m) => [m.field, m.list]));
  for (const field of fields) {
    const property = (form.schema.properties as Record<string, Record<string, unknown>>)[field];
    const value = data[field];
    if (!property || value === undefined || value === null) continue;
    if (property['x-materials']) {
      for (const material of chosen.get(field) ?? []) {
        const given = Object.hasOwn(value, material.id) ? (value as Record<string, MaterialValue>)[material.id] : undefined;
        ids(given?.files).forEach((fileId, i) => out.push({ pointer: `/${field}/${material.id}/files/${i}`, fileId, limits: limits(material) }));
      }
    } else if (property['x-file']) {
      const spec = limits(property['x-file'] as FileSpec);
      if (typeof value === 'string') out.push({ pointer: `/${field}`, fileId: value, limits: spec });
      else ids(value).forEach((fileId, i) => out.push({ pointer: `/${field}/${i}`, fileId, limits: spec }));
    }
  }
  return out;
}

/**
 * Check the files the given fields point to. `instanceId` is the case being
 * worked on (null for a new one). Returns the problems and the files to bind.
 */
export async function checkFiles(
  services: Services,
  form: CompiledForm,
  data: FormData,
  fields: readonly string[],
  actor: string | null,
  instanceId: string | null,
  locale: Locale,
): Promise<{ issues: FieldIssue[]; bind: FileRecord[] }> {
  const refs = references(form, data, fields);
  if (!refs.length) return { issues: [], bind: [] };
  const files = new Map((await services.store.getFiles([...new Set(refs.map((r) => r.fileId))])).map((f) => [f.id, f]));
  const issues: FieldIssue[] = [];
  const bind = new Map<string, FileRecord>();
  const zh = locale === 'zh-CN';
  for (const ref of refs) {
    const file = files.get(ref.fileId);
    const fail = (rule: string, reason: string) => {
      const label = form.label(ref.pointer, locale, data);
      issues.push({ pointer: ref.pointer, label, rule, message: `${label}${zh ? '：' : ': '}${reason}` });
    };
    const usable = file && (file.instanceId ? file.instanceId === instanceId : file.owner === actor);
    if (!file || !usable) fail('file', zh ? `文件 ${ref.fileId} 不存在` : `there is no file ${ref.fileId}`);
    else if (!ref.limits.types.includes(file.contentType)) fail('fileType', zh ? `文件类型 ${file.contentType} 不被接受` : `files of type ${file.contentType} are not accepted`);
    else if (file.size > ref.limits.maxSize) fail('fileSize', zh ? '文件超过大小上限' : 'the file is too large');
    else if (!file.instanceId) bind.set(file.id, file);
  }
  return { issues, bind: [...bind.values()] };
}
