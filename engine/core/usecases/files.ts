/**
 * Uploaded files (materials, attachments). The type is read from the bytes;
 * size and type limits come from the material the file is for, or the
 * defaults (images and PDF, 10 MB). A file is its uploader's until it is
 * submitted with a case; then the case's participants may read it too.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_MATERIAL_MAX_SIZE, DEFAULT_MATERIAL_TYPES } from '../../../forms/index.ts';
import { invalid, WorkflowError } from '../errors.ts';
import { detectContentType, sanitizeFileName } from '../lib/content-type.ts';
import type { FileRecord } from '../model.ts';
import type { BlobStore } from '../ports.ts';
import type { Services } from '../services.ts';
import { limitsFor, type FileLimits } from './form-files.ts';

export interface UploadRequest {
  name: string;
  bytes: Buffer;
  /** The form field (and material) the file is for: its limits apply. */
  target?: { formKey: string; formVersion?: number; field: string; materialId?: string };
}

/** Uploads and drafts belong to someone: the system acting alone has none. */
export function requireActor(actor: string | null): string {
  if (!actor) throw new WorkflowError('WF_ERR_UNAUTHENTICATED', {});
  return actor;
}

export async function uploadFile(services: Services, request: UploadRequest, actor: string | null): Promise<FileRecord> {
  const owner = requireActor(actor);
  const limits: FileLimits = request.target ? await targetLimits(services, request.target) : { types: DEFAULT_MATERIAL_TYPES, maxSize: DEFAULT_MATERIAL_MAX_SIZE };
  const name = sanitizeFileName(request.name);
  const contentType = detectContentType(request.bytes);
  if (request.bytes.length > limits.maxSize) throw new WorkflowError('WF_ERR_FILE_TOO_LARGE', { name, limit: formatBytes(limits.maxSize) });
  if (!request.bytes.length) throw invalid('file', 'minLength', { 'zh-CN': '文件是空的', en: 'the file is empty' });
  if (!limits.types.includes(contentType)) throw new WorkflowError('WF_ERR_FILE_TYPE', { name, contentType, allowed: limits.types.join(', ') });
  const now = services.clock.now();
  const usage = await services.store.uploadUsage(owner, now - 60_000);
  if (usage.recent >= services.config.uploadsPerMinute) throw new WorkflowError('WF_ERR_RATE_LIMITED', { retryAfter: 60 });
  if (usage.unboundBytes + request.bytes.length > services.config.uploadQuotaBytes) throw new WorkflowError('WF_ERR_UPLOAD_QUOTA', { limit: formatBytes(services.config.uploadQuotaBytes) });
  const id = services.newId();
  const record: FileRecord = {
    id,
    owner,
    name,
    contentType,
    size: request.bytes.length,
    sha256: createHash('sha256').update(request.bytes).digest('hex'),
    storageKey: `${id.slice(-2)}/${id}`,
    instanceId: null,
    createdAt: now,
    expiresAt: now + services.config.uploadTtlMs,
  };
  await blobs(services).put(record.storageKey, request.bytes);
  await services.store.insertFile(record);
  return record;
}

async function targetLimits(services: Services, target: NonNullable<UploadRequest['target']>): Promise<FileLimits> {
  const { compiled } = await services.forms.get(target.formKey, target.formVersion);
  const limits = limitsFor(compiled, target.field, target.materialId);
  if (!limits) throw invalid(target.materialId ? 'material' : 'field', 'unknown', { 'zh-CN': '表单中没有这个文件字段或材料', en: 'the form has no such file field or material' });
  return limits;
}

/** Delete uploads never bound to a case whose time ran out (a few hundred per round). */
export async function expireUploads(services: Services, now: number): Promise<number> {
  let deleted = 0;
  for (const file of await services.store.expiredUploads(now, 500)) {
    if (!(await services.store.deleteExpiredUpload(file.id, now))) continue;
    await blobs(services).delete(file.storageKey);
    deleted++;
  }
  return deleted;
}

/** The file and its bytes, for its owner or a participant of the case it belongs to. */
export async function readFile(services: Services, id: string, actor: string | null): Promise<{ record: FileRecord; bytes: Buffer }> {
  const record = await fileRecord(services, id, actor);
  return { record, bytes: await blobs(services).get(record.storageKey) };
}

/** A file's record (its name, size, type), to whoever may read the file. */
export async function fileRecord(services: Services, id: string, actor: string | null): Promise<FileRecord> {
  const record = await services.store.getFile(id);
  if (!record || !(await mayRead(services, record, actor))) throw new WorkflowError('WF_ERR_FILE_NOT_FOUND', { fileId: id });
  return record;
}

/** The uploader; once bound to a case, its starter and whoever held or may claim one of its tasks. */
async function mayRead(services: Services, file: FileRecord, actor: string | null): Promise<boolean> {
  if (!actor) return false;
  if (file.owner === actor) return true;
  if (!file.instanceId) return false;
  const instance = await services.store.getInstance(file.instanceId);
  if (instance?.startedBy === actor) return true;
  const tasks = await services.store.listTasks({ instanceId: file.instanceId }, { offset: 0, limit: 1000 });
  return tasks.items.some((t) => t.assignee === actor || t.endedBy === actor || t.candidateUsers.includes(actor));
}

function blobs(services: Services): BlobStore {
  if (!services.blobs) throw new Error('no blob store configured');
  return services.blobs;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB` : `${Math.round(n / 1024)} KB`;
}
