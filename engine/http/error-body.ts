/** How an error reaches an HTTP caller: one stable code, its status, a message in the caller's language, the field. */
import { randomUUID } from 'node:crypto';
import { explain, invalid, WorkflowError, type Locale, type LocalizedText } from '../core/errors.ts';
import { ConflictError } from '../core/ports.ts';

export interface ErrorBody {
  code: string;
  status: number;
  message: string;
  field?: string;
  details: Record<string, unknown>;
}

export function errorBody(error: WorkflowError, locale: Locale): ErrorBody {
  return {
    code: error.code,
    status: error.status,
    message: error.localizedMessage(locale),
    ...(error.field && { field: error.field }),
    details: localizeDetails(error.context as Record<string, unknown>, locale),
  };
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

export function toWorkflowError(err: unknown): WorkflowError {
  if (err instanceof WorkflowError) return err;
  if (err instanceof ConflictError) return new WorkflowError('WF_ERR_CONCURRENT_MODIFICATION', { entity: err.entity, id: err.id });
  const e = err as BodyParserError;
  if (e?.type === 'entity.parse.failed') return new WorkflowError('WF_ERR_MALFORMED_JSON', { detail: jsonProblem(e.message) }, 'body');
  if (e?.type === 'entity.too.large') return new WorkflowError('WF_ERR_BODY_TOO_LARGE', { limit: `${e.limit ?? '?'} bytes` }, 'body');
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') return new WorkflowError('WF_ERR_UNSUPPORTED_MEDIA_TYPE', { contentType: e.message });
  // PostgreSQL data exceptions (value too long, bad byte, out of range) are bad values, not server faults.
  if (typeof (err as { code?: unknown })?.code === 'string' && /^22/.test((err as { code: string }).code)) return new WorkflowError('WF_ERR_BAD_REQUEST', { detail: explain(err, '有数据值过长、超出范围或格式不对') });
  if (err instanceof URIError) return invalid('path', 'encoding', { 'zh-CN': '不是合法的 URL 编码', en: 'is not valid URL encoding' });
  // Anything else express or its body parser rejected as the client's fault (bad gzip, aborted upload …).
  const status = e?.status ?? (e as { statusCode?: number })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return new WorkflowError('WF_ERR_BAD_REQUEST', { detail: explain(err, '请求体无法读取') }, 'body');
  return new WorkflowError('WF_ERR_INTERNAL', { errorId: randomUUID() });
}

/** The JSON parser speaks English; a Chinese caller is told where the text goes wrong. */
function jsonProblem(message: string): LocalizedText {
  const at = /at position (\d+)/.exec(message);
  if (at) return { 'zh-CN': `第 ${Number(at[1]) + 1} 个字符附近有语法错误`, en: message };
  return { 'zh-CN': /end of JSON input/.test(message) ? '内容不完整' : '语法错误', en: message };
}

/** Context values that carry both languages are sent in the caller's. */
function localizeDetails(context: Record<string, unknown>, locale: Locale): Record<string, unknown> {
  const localize = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(localize);
    if (value && typeof value === 'object') {
      const v = value as Record<string, unknown>;
      if (typeof v['zh-CN'] === 'string' && typeof v.en === 'string') return v[locale];
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, localize(inner)]));
    }
    return value;
  };
  return localize(context) as Record<string, unknown>;
}
