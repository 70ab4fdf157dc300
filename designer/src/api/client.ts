/**
 * The one way pages talk to the server: JSON over fetch with the session
 * cookie, the CSRF token on every change, the page's language, and errors as
 * the server words them. A 401 (session expired) sends the user to sign in and
 * back to where they were.
 */
import type { Locale } from '../i18n/index.tsx';

export interface FieldIssue {
  pointer: string;
  label: string;
  rule: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | undefined,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** A form's field-by-field problems (422 WF_ERR_FORM_DATA_INVALID). */
  get issues(): FieldIssue[] {
    const issues = this.details.issues;
    return Array.isArray(issues) ? (issues as FieldIssue[]) : [];
  }
}

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export type Query = Record<string, string | number | boolean | string[] | undefined | null>;

let csrfToken: string | null = null;
let locale: Locale = 'zh-CN';
let onUnauthenticated: (() => void) | null = null;

export const session = {
  setCsrf(token: string | null) {
    csrfToken = token;
  },
  setLocale(next: Locale) {
    locale = next;
  },
  /** Called once when a request finds the session gone. */
  onExpired(callback: () => void) {
    onUnauthenticated = callback;
  },
};

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, v));
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': locale,
  };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path + queryString(query), {
    method,
    headers,
    body: payload,
    credentials: 'same-origin',
  });
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  const data: unknown = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const error = (
      data as {
        error?: {
          code: string;
          message: string;
          field?: string;
          details?: Record<string, unknown>;
        };
      }
    )?.error;
    const failure = new ApiError(response.status, error?.code ?? 'WF_ERR_HTTP', error?.message ?? String(response.status), error?.field, error?.details ?? {});
    if (response.status === 401 && !path.startsWith('/api/auth/')) onUnauthenticated?.();
    throw failure;
  }
  return data as T;
}

/** A GET's address with its parameters in a fixed order: what shares and preloaded answers are keyed by. */
export function requestKey(path: string, query?: Query): string {
  return path + queryString(query && Object.fromEntries(Object.entries(query).sort(([a], [b]) => a.localeCompare(b))));
}

/** GETs on their way, by address: a second asker of the same thing shares the first's answer. */
const inFlight = new Map<string, { at: number; answer: Promise<unknown> }>();
const SHARED_MS = 3000;

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  /** A GET that shares an identical one started in the last 3 seconds (a page's first list, started early). */
  getShared<T>(path: string, query?: Query): Promise<T> {
    const key = requestKey(path, query);
    const now = Date.now();
    const known = inFlight.get(key);
    if (known && now - known.at < SHARED_MS) return known.answer as Promise<T>;
    const answer = request<T>('GET', path, undefined, query);
    inFlight.set(key, { at: now, answer });
    answer.catch(() => inFlight.delete(key));
    return answer;
  },
  /** Answers the server rendered the page with (api/preload.tsx): the page's first asks share them. */
  seed(answers: Readonly<Record<string, unknown>>) {
    for (const [key, answer] of Object.entries(answers)) inFlight.set(key, { at: Date.now(), answer: Promise.resolve(answer) });
  },
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  delete: <T>(path: string) => request<T>('DELETE', path),
  /**
   * A file upload with progress (fetch cannot report it); `fields` go along in
   * the multipart body (e.g. form, formVersion, field, material: whose limits
   * apply); `signal` aborts it.
   */
  upload<T>(
    path: string,
    file: File,
    onProgress?: (percent: number) => void,
    options: {
      fields?: Record<string, string | number>;
      signal?: AbortSignal;
    } = {},
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', path);
      xhr.setRequestHeader('Accept-Language', locale);
      if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress?.(Math.round((e.loaded / e.total) * 100));
      xhr.onload = () => {
        let data: unknown;
        try {
          data = JSON.parse(xhr.responseText);
        } catch {
          data = null;
        }
        if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
        const error = (
          data as {
            error?: {
              code: string;
              message: string;
              field?: string;
              details?: Record<string, unknown>;
            };
          }
        )?.error;
        if (xhr.status === 401) onUnauthenticated?.();
        reject(new ApiError(xhr.status, error?.code ?? 'WF_ERR_HTTP', error?.message ?? String(xhr.status), error?.field, error?.details ?? {}));
      };
      xhr.onerror = () => reject(new ApiError(0, 'WF_ERR_NETWORK', 'network', undefined, {}));
      xhr.onabort = () => reject(new ApiError(0, 'WF_ERR_ABORTED', 'aborted', undefined, {}));
      if (options.signal?.aborted) return reject(new ApiError(0, 'WF_ERR_ABORTED', 'aborted', undefined, {}));
      options.signal?.addEventListener('abort', () => xhr.abort(), {
        once: true,
      });
      const form = new FormData();
      for (const [name, value] of Object.entries(options.fields ?? {})) form.append(name, String(value));
      form.append('file', file, file.name);
      xhr.send(form);
    });
  },
};

/** The largest page the API serves. */
export const MAX_PAGE = 200;

/** Every item of a paged list, page by page (at most `cap` items). */
export async function allPages<T>(path: string, query: Query = {}, cap = 2000): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; offset < cap; offset += MAX_PAGE) {
    const page = await api.get<Page<T>>(path, {
      ...query,
      offset,
      limit: MAX_PAGE,
    });
    items.push(...page.items);
    if (items.length >= page.total || page.items.length < MAX_PAGE) break;
  }
  return items;
}
