/**
 * Files (`x-file`) and materials (`x-materials`): uploads with progress to
 * `POST /api/files`, naming the form, field and material whose limits the
 * server applies. Type, size and count are checked here first, as the schema
 * says, so that a clerk does not wait for an upload the server will refuse.
 */
import { DeleteOutlined, FileOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Progress, Space, Tag, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { DEFAULT_MATERIAL_MAX_FILES, DEFAULT_MATERIAL_MAX_SIZE, DEFAULT_MATERIAL_TYPES, type FieldIssue, type MaterialSpec, type MaterialsSchema, type MaterialValue } from '../../../forms/index.ts';
import { chosenMaterials } from '../../../forms/keywords.ts';
import { api, ApiError } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { issuesUnder, labelOf, properties, typeOf } from './schema.ts';
import type { WidgetProps } from './types.ts';

export interface FileLimits {
  types: readonly string[];
  maxSize: number;
  maxFiles: number;
}

interface StoredFile {
  id: string;
  name: string;
  size: number;
  contentType: string;
}

/** Files whose name and size are known: uploaded in this session, or asked of the server once. */
const known = new Map<string, StoredFile>();
const asked = new Set<string>();

/** The stored files among `ids` not known yet, asked of the server (once each); `then` when they are. */
function learnNames(ids: readonly string[], then: () => void): void {
  const missing = ids.filter((id) => !known.has(id) && !asked.has(id));
  missing.forEach((id) => asked.add(id));
  if (!missing.length) return;
  void Promise.all(
    missing.map((id) =>
      api.get<StoredFile>(`/api/files/${encodeURIComponent(id)}/info`).then(
        (file) => void known.set(id, file),
        // Not readable (any more): it keeps showing by number.
        () => undefined,
      ),
    ),
  ).then(then);
}

const TYPE_NAMES: Record<string, string> = {
  'image/jpeg': 'JPG',
  'image/png': 'PNG',
  'image/gif': 'GIF',
  'image/webp': 'WEBP',
  'application/pdf': 'PDF',
};
const EXTENSIONS: Record<string, string[]> = {
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
  'image/gif': ['.gif'],
  'image/webp': ['.webp'],
  'application/pdf': ['.pdf'],
};

export const typeNames = (types: readonly string[]) => [...new Set(types.map((t) => TYPE_NAMES[t] ?? t))].join(' / ');

export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** The browser's idea of a file's type (the server reads it from the bytes), by its name when the browser has none. */
function typeOfFile(file: File): string {
  if (file.type) return file.type === 'image/jpg' ? 'image/jpeg' : file.type;
  const name = file.name.toLowerCase();
  return Object.entries(EXTENSIONS).find(([, ext]) => ext.some((e) => name.endsWith(e)))?.[0] ?? '';
}

interface Pending {
  uid: string;
  name: string;
  percent: number;
  error?: string;
}

let sequence = 0;

/**
 * A list of uploaded files with an upload button: each file checked against
 * the limits, sent with progress, and added to the ids once stored.
 */
export function FileUploader({
  id,
  ids,
  limits,
  target,
  onChange,
  disabled,
  invalid,
}: {
  id?: string;
  ids: string[];
  limits: FileLimits;
  /** The multipart fields naming whose limits apply: form, formVersion, field, material. */
  target: Record<string, string | number>;
  onChange(ids: string[]): void;
  disabled: boolean;
  invalid: boolean;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [pending, setPending] = useState<Pending[]>([]);
  const latest = useRef(ids);
  latest.current = ids;
  const aborts = useRef(new Map<string, AbortController>());
  useEffect(() => {
    const running = aborts.current;
    return () => running.forEach((a) => a.abort());
  }, []);
  // A draft's or a case's files show by their names too.
  const [, named] = useState(0);
  useEffect(() => learnNames(ids, () => named((n) => n + 1)), [ids]);

  const start = (file: File) => {
    const type = typeOfFile(file);
    if (!limits.types.includes(type)) {
      message.error(t('form.file.badType', { name: file.name, types: typeNames(limits.types) }));
      return;
    }
    if (file.size > limits.maxSize) {
      message.error(t('form.file.tooLarge', { name: file.name, size: sizeText(limits.maxSize) }));
      return;
    }
    if (latest.current.length + aborts.current.size >= limits.maxFiles) {
      message.error(t('form.file.tooMany', { count: limits.maxFiles }));
      return;
    }
    const uid = `upload-${++sequence}`;
    const abort = new AbortController();
    aborts.current.set(uid, abort);
    setPending((list) => [...list, { uid, name: file.name, percent: 0 }]);
    api
      .upload<StoredFile>('/api/files', file, (percent) => setPending((list) => list.map((p) => (p.uid === uid ? { ...p, percent } : p))), { fields: target, signal: abort.signal })
      .then(
        (stored) => {
          known.set(stored.id, stored);
          const next = [...latest.current, stored.id];
          latest.current = next;
          onChange(next);
          setPending((list) => list.filter((p) => p.uid !== uid));
        },
        (err: unknown) => {
          if (err instanceof ApiError && err.code === 'WF_ERR_ABORTED') return;
          const reason = err instanceof ApiError && err.status !== 0 ? err.message : t('error.network');
          setPending((list) => list.map((p) => (p.uid === uid ? { ...p, error: reason } : p)));
        },
      )
      .finally(() => aborts.current.delete(uid));
  };

  const remove = (fileId: string) => {
    const next = latest.current.filter((x) => x !== fileId);
    latest.current = next;
    onChange(next);
  };
  const full = ids.length + pending.filter((p) => !p.error).length >= limits.maxFiles;

  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
      {ids.map((fileId, i) => {
        const file = known.get(fileId);
        return (
          <div key={fileId} style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }}>
            <FileOutlined style={{ color: '#8c8c8c' }} />
            <Typography.Link href={`/api/files/${encodeURIComponent(fileId)}`} target="_blank" rel="noopener" ellipsis style={{ minWidth: 0, flex: '0 1 auto' }}>
              {file?.name ?? t('form.file.stored', { n: i + 1 })}
            </Typography.Link>
            {file && <Typography.Text type="secondary">{sizeText(file.size)}</Typography.Text>}
            {!disabled && <Button type="text" size="small" icon={<DeleteOutlined />} onClick={() => remove(fileId)} aria-label={t('form.file.remove', { name: file?.name ?? String(i + 1) })} />}
          </div>
        );
      })}
      {pending.map((p) => (
        <div key={p.uid}>
          <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
            <FileOutlined style={{ color: '#8c8c8c' }} />
            <Typography.Text ellipsis style={{ minWidth: 0 }}>
              {p.name}
            </Typography.Text>
            {p.error && (
              <Button
                type="text"
                size="small"
                icon={<DeleteOutlined />}
                onClick={() => setPending((list) => list.filter((x) => x.uid !== p.uid))}
                aria-label={t('form.file.remove', { name: p.name })}
              />
            )}
          </div>
          {p.error ? <Typography.Text type="danger">{t('form.file.failed', { name: p.name, reason: p.error })}</Typography.Text> : <Progress percent={p.percent} size="small" />}
        </div>
      ))}
      {!disabled && (
        <Space wrap size={8}>
          <Upload
            id={id}
            accept={limits.types.join(',')}
            multiple={limits.maxFiles > 1}
            showUploadList={false}
            disabled={full}
            beforeUpload={(file) => {
              start(file);
              return Upload.LIST_IGNORE;
            }}
          >
            <Button icon={<UploadOutlined />} disabled={full} danger={invalid}>
              {t('form.file.choose')}
            </Button>
          </Upload>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('form.file.limits', { types: typeNames(limits.types), size: sizeText(limits.maxSize), count: limits.maxFiles })}
          </Typography.Text>
        </Space>
      )}
    </Space>
  );
}

interface FileSpec {
  types?: string[];
  maxSize?: number;
  maxFiles?: number;
}

/** `x-file`: one file id (a string field) or a list of them. */
export function FileWidget(p: WidgetProps) {
  const spec = (p.schema['x-file'] ?? {}) as FileSpec;
  const many = typeOf(p.schema) === 'array';
  const ids = many ? (Array.isArray(p.value) ? p.value.filter((v): v is string => typeof v === 'string') : []) : typeof p.value === 'string' ? [p.value] : [];
  const maxFiles = many ? (spec.maxFiles ?? (typeof p.schema.maxItems === 'number' ? p.schema.maxItems : DEFAULT_MATERIAL_MAX_FILES)) : 1;
  return (
    <FileUploader
      id={p.id}
      ids={ids}
      limits={{ types: spec.types ?? DEFAULT_MATERIAL_TYPES, maxSize: spec.maxSize ?? DEFAULT_MATERIAL_MAX_SIZE, maxFiles }}
      target={{ form: p.form.key, formVersion: p.form.version, field: p.path }}
      onChange={(next) => p.onChange(next.length ? (many ? next : next[0]) : undefined)}
      disabled={p.disabled}
      invalid={p.invalid}
    />
  );
}

/** `x-materials`: the list of the chosen material class, each uploaded, promised as a paper original, or both. */
export function MaterialsWidget(p: WidgetProps) {
  const { t, locale } = useI18n();
  const spec = p.schema['x-materials'] as MaterialsSchema | undefined;
  const list = spec ? chosenMaterials(spec, p.data) : null;
  const value = (p.value && typeof p.value === 'object' && !Array.isArray(p.value) ? p.value : {}) as Record<string, MaterialValue>;
  // At a correction only the materials that failed review may change.
  const editable = p.schema['x-editable-keys'] as string[] | undefined;

  if (!spec) return null;
  if (!list) {
    const field = spec.classField ?? '';
    const classLabel = labelOf(properties(p.form.schema)[field], p.form.ui?.fields?.[field], locale, field);
    return <Alert type="info" showIcon title={t('form.materials.chooseClass', { field: classLabel })} />;
  }

  const update = (id: string, change: MaterialValue) =>
    p.update((previous) => {
      const before = (previous && typeof previous === 'object' && !Array.isArray(previous) ? previous : {}) as Record<string, MaterialValue>;
      const next: Record<string, MaterialValue> = {};
      // Only the chosen class's materials: the server refuses the others.
      for (const m of list) {
        const merged = m.id === id ? { ...before[m.id], ...change } : before[m.id];
        if (!merged) continue;
        const clean: MaterialValue = { ...(merged.files?.length && { files: merged.files }), ...(merged.paper && { paper: true }) };
        if (clean.files || clean.paper) next[m.id] = clean;
      }
      return next;
    });

  return (
    <div id={p.id} style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      {list.map((m) => (
        <MaterialRow
          key={m.id}
          material={m}
          value={value[m.id] ?? {}}
          issues={issuesUnder(p.issues, `${p.pointer}/${m.id}`)}
          target={{ form: p.form.key, formVersion: p.form.version, field: p.path, material: m.id }}
          onChange={(change) => update(m.id, change)}
          disabled={p.disabled || (editable !== undefined && !editable.includes(m.id))}
        />
      ))}
      {list.length === 0 && <Typography.Text type="secondary">{t('form.materials.none')}</Typography.Text>}
      {p.issues
        .filter((i) => i.pointer.startsWith(`${p.pointer}/`) && !list.some((m) => i.pointer === `${p.pointer}/${m.id}` || i.pointer.startsWith(`${p.pointer}/${m.id}/`)))
        .map((i) => (
          <Typography.Text key={`${i.pointer}${i.message}`} type="danger" role="alert">
            {i.message}
          </Typography.Text>
        ))}
    </div>
  );
}

function MaterialRow({
  material: m,
  value,
  issues,
  target,
  onChange,
  disabled,
}: {
  material: MaterialSpec;
  value: MaterialValue;
  issues: FieldIssue[];
  target: Record<string, string | number>;
  onChange(change: MaterialValue): void;
  disabled: boolean;
}) {
  const { t, text } = useI18n();
  const upload = m.delivery !== 2;
  const paper = m.delivery !== 1;
  return (
    <div className="wf-material" style={{ border: `1px solid ${issues.length ? '#ff4d4f' : '#f0f0f0'}`, borderRadius: 6, padding: '8px 12px' }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8, marginBottom: 4 }}>
        <Typography.Text strong>{text(m.name)}</Typography.Text>
        {m.required ? <Tag color="red">{t('form.materials.required')}</Tag> : <Tag>{t('form.materials.optional')}</Tag>}
        <Tag color="blue">{t(`form.materials.delivery.${m.delivery}` as const)}</Tag>
      </div>
      {m.sample && (
        // The sample beside the material (what a good scan looks like), opened full size on a tap.
        <a href={m.sample} target="_blank" rel="noopener" className="wf-material-sample">
          <img src={m.sample} alt="" />
          <span>{t('form.materials.sample')}</span>
        </a>
      )}
      {m.description && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
          {text(m.description)}
        </Typography.Paragraph>
      )}
      {upload && (
        <FileUploader
          ids={value.files ?? []}
          limits={{ types: m.types ?? DEFAULT_MATERIAL_TYPES, maxSize: m.maxSize ?? DEFAULT_MATERIAL_MAX_SIZE, maxFiles: m.maxFiles ?? DEFAULT_MATERIAL_MAX_FILES }}
          target={target}
          onChange={(files) => onChange({ files })}
          disabled={disabled}
          invalid={issues.length > 0}
        />
      )}
      {paper && (
        <Checkbox checked={value.paper === true} onChange={(e) => onChange({ paper: e.target.checked })} disabled={disabled} style={{ marginTop: 4 }}>
          {t('form.materials.paper')}
        </Checkbox>
      )}
      {issues.map((i) => (
        <div key={`${i.pointer}${i.message}`} role="alert">
          <Typography.Text type="danger">{i.message}</Typography.Text>
        </div>
      ))}
    </div>
  );
}
