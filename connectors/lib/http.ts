/**
 * Calling a provider over HTTP, with the answer classified the way the job
 * machinery needs it: a network error, a timeout, 429 or 5xx may pass on a
 * retry; any other 4xx will not.
 */
import { ConnectorError } from '../../engine/core/connectors/port.ts';
import { signedHeaders } from './signing.ts';

export interface ProviderAnswer {
  status: number;
  body: unknown;
}

export async function callProvider(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; signal: AbortSignal; timeoutMs: number }): Promise<ProviderAnswer> {
  const signal = AbortSignal.any([init.signal, AbortSignal.timeout(init.timeoutMs)]);
  let response: Response;
  try {
    response = await fetch(url, { method: init.method ?? 'POST', ...(init.headers && { headers: init.headers }), ...(init.body !== undefined && { body: init.body }), signal });
  } catch (err) {
    const reason = signal.aborted ? `no answer within ${init.timeoutMs} ms` : (err as Error).message;
    throw new ConnectorError(`${url}: ${reason}`, true);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  if (response.ok) return { status: response.status, body };
  const detail = typeof body === 'object' && body ? JSON.stringify(body) : text.slice(0, 500);
  throw new ConnectorError(`${url} answered ${response.status}: ${detail}`, response.status === 429 || response.status >= 500, body);
}

/** POST a body signed with the connector's key (signing.ts), as the providers here expect. */
export function callSigned(url: string, secret: string | undefined, body: string, options: { signal: AbortSignal; timeoutMs: number }): Promise<ProviderAnswer> {
  return callProvider(url, { headers: signedHeaders(secret ?? '', body, Date.now()), body, ...options });
}
