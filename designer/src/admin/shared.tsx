/**
 * Small pieces every admin page uses: loading with errors as the server words
 * them, a page's heading, paging kept in the address (so a filtered list can
 * be linked and survives a reload), field errors placed on their form field,
 * JSON shown readably, and a user's name for their id.
 */
import { ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Empty, Space, Tooltip, Typography, type FormInstance, type TablePaginationConfig } from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../api/client.ts';
import { errorText, useLoad, type Loaded } from '../api/load.ts';

export { errorText, useLoad, type Loaded };
import { useSession } from '../api/session.tsx';
import { useI18n, type MessageKey, type Translate } from '../i18n/index.tsx';
import { zhCN } from '../i18n/zh-CN.ts';
import { ForbiddenPage } from '../pages/ErrorPages.tsx';

/** A failure as a toast. */
export function useFail(): (err: unknown) => void {
  const { message } = App.useApp();
  const { t } = useI18n();
  return useCallback((err: unknown) => void message.error(errorText(err, t)), [message, t]);
}

/** A catalog key made at run time (an action, a state): its text when the catalog has it, else the fallback. */
export function known(t: Translate, key: string, fallback: string): string {
  return key in zhCN ? t(key as MessageKey) : fallback;
}

/** The address's query as filters: read them, change some (back to page 1 unless the page is what changes). */
export function useFilters<K extends string>(): {
  get(key: K | 'page' | 'size'): string;
  set(values: Partial<Record<K | 'page' | 'size', string | number | null | undefined>>): void;
  all: URLSearchParams;
} {
  const [params, setParams] = useSearchParams();
  const set = useCallback(
    (values: Partial<Record<string, string | number | null | undefined>>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(values)) {
            if (value === undefined || value === null || value === '') next.delete(key);
            else next.set(key, String(value));
          }
          if (!('page' in values)) next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return { get: (key) => params.get(key) ?? '', set, all: params };
}

/** Paging of a server list kept in the address (?page=&size=): offset and limit to ask with, and the table's pagination. */
export function usePaging(filters: ReturnType<typeof useFilters<string>>, total: number | undefined, defaultSize = 20): { offset: number; limit: number; pagination: TablePaginationConfig } {
  const { t } = useI18n();
  const page = Math.max(1, Number(filters.get('page')) || 1);
  const size = Math.min(200, Math.max(5, Number(filters.get('size')) || defaultSize));
  return {
    offset: (page - 1) * size,
    limit: size,
    pagination: {
      current: page,
      pageSize: size,
      total: total ?? 0,
      showSizeChanger: true,
      pageSizeOptions: [10, 20, 50, 100],
      showTotal: (n) => t('common.total', { total: n }),
      onChange: (p, s) => filters.set({ page: s !== size ? 1 : p, size: s === defaultSize ? null : s }),
    },
  };
}

export function PageHeader({ title, description, extra }: { title: ReactNode; description?: ReactNode; extra?: ReactNode }) {
  return (
    <div style={{ display: 'flex', alignItems: 'flex-start', gap: 16, marginBottom: 16, flexWrap: 'wrap' }}>
      <div style={{ flex: 1, minWidth: 240 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {description && (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
            {description}
          </Typography.Text>
        )}
      </div>
      {extra && <Space wrap>{extra}</Space>}
    </div>
  );
}

/** A load that failed: what the server said, and a way to try again. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      title={errorText(error, t)}
      style={{ marginBottom: 16 }}
      action={
        onRetry && (
          <Button size="small" icon={<ReloadOutlined />} onClick={onRetry}>
            {t('admin.retryLoad')}
          </Button>
        )
      }
    />
  );
}

export function RefreshButton({ onClick, loading }: { onClick(): void; loading?: boolean }) {
  const { t } = useI18n();
  return (
    <Tooltip title={t('common.refresh')}>
      <Button icon={<ReloadOutlined />} onClick={onClick} loading={loading} aria-label={t('common.refresh')} />
    </Tooltip>
  );
}

/** A table's empty state: nothing at all, or nothing matching the filters. */
export function emptyText(t: Translate, filtered: boolean, what?: string): ReactNode {
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtered ? t('admin.empty.filtered') : (what ?? t('admin.empty.none'))} />;
}

/** The page only for those who hold `permission`; everyone else sees 403. */
export function Guard({ allowed, children }: { allowed: (can: (p: string) => boolean) => boolean; children: ReactNode }) {
  const { can } = useSession();
  return allowed(can) ? <>{children}</> : <ForbiddenPage />;
}

/** `body.posts[0].departmentId` → ['posts', 0, 'departmentId']. */
export function fieldPath(field: string): Array<string | number> {
  return field
    .replace(/^body\./, '')
    .split(/[.[\]]+/)
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Puts the server's complaint on the form field it names (when the form has
 * it: the reason alone, under the field), else shows the whole message, which
 * names the field, as a toast.
 */
export function useFormFail(form: FormInstance): (err: unknown) => void {
  const fail = useFail();
  return useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && err.field) {
        const name = fieldPath(err.field);
        const reason = typeof err.details.reason === 'string' ? err.details.reason : err.message;
        const registered = form.getFieldsError().some((f) => f.name.join('.') === name.join('.'));
        if (registered) {
          form.setFields([{ name, errors: [reason] }]);
          form.scrollToField(name);
          return;
        }
      }
      fail(err);
    },
    [form, fail],
  );
}

export function JsonBlock({ value, maxHeight = 320 }: { value: unknown; maxHeight?: number }) {
  const { t } = useI18n();
  if (value === undefined || value === null) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <pre
      style={{ margin: 0, padding: 8, maxHeight, overflow: 'auto', background: '#fafafa', border: '1px solid #f0f0f0', borderRadius: 4, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
    >
      {text}
    </pre>
  );
}

/** Parses a JSON text typed by an admin; undefined for an empty text; throws with the parser's message. */
export function parseJson(text: string | undefined): unknown {
  if (!text || !text.trim()) return undefined;
  return JSON.parse(text);
}

// ---- users by id: one request per id, shared by every page of the session

const names = new Map<string, Promise<string | null>>();

export function nameOf(id: string): Promise<string | null> {
  let known = names.get(id);
  if (!known) {
    known = api.get<{ name: string }>(`/api/org/users/${encodeURIComponent(id)}`).then(
      (u) => u.name,
      () => null,
    );
    names.set(id, known);
  }
  return known;
}

/** Forget a cached name (after the user was renamed). */
export function forgetUserName(id: string) {
  names.delete(id);
}

/** A person by id: their name, the id underneath on hover; ids that are not people (system) as they are. */
export function UserName({ id }: { id: string | null | undefined }) {
  const { can } = useSession();
  const [name, setName] = useState<string | null>(null);
  const lookup = !!id && id !== 'system' && can('org:read');
  useEffect(() => {
    if (!lookup || !id) return;
    let current = true;
    void nameOf(id).then((n) => current && setName(n));
    return () => {
      current = false;
    };
  }, [id, lookup]);
  const { t } = useI18n();
  if (!id) return <Typography.Text type="secondary">—</Typography.Text>;
  if (id === 'system') return <Typography.Text type="secondary">{t('admin.system')}</Typography.Text>;
  if (!name) return <span>{id}</span>;
  return (
    <Tooltip title={id}>
      <span>{name}</span>
    </Tooltip>
  );
}

/** When and by whom a version was deployed: `2026/12/08 09:58 · 钱多多`. */
export function Deployed({ at, by }: { at: string | number; by: string | null }) {
  const { dateTime } = useI18n();
  return (
    <>
      {dateTime(at)}
      {by ? (
        <>
          {' '}
          · <UserName id={by} />
        </>
      ) : null}
    </>
  );
}

/**
 * A long id or hash shortened, all of it on hover and copyable: hashes by
 * their first characters, ids (time-ordered UUIDs, alike at the start) by
 * their last.
 */
export function ShortId({ value, length = 8, tail = false }: { value: string; length?: number; tail?: boolean }) {
  const short = value.length <= length ? value : tail ? `…${value.slice(-length)}` : `${value.slice(0, length)}…`;
  return (
    <Tooltip title={value}>
      <Typography.Text code copyable={{ text: value }} style={{ fontSize: 12 }}>
        {short}
      </Typography.Text>
    </Tooltip>
  );
}

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
