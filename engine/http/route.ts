import { WorkflowError, type Locale } from '../core/errors.ts';
import type { Actor } from '../core/org/actor.ts';
import type { Permission } from '../core/permissions.ts';
import type { Caller } from './authenticate.ts';
import type { Page } from '../core/model.ts';
import type { EntityName } from './schemas.ts';
import type { Schema } from './validation.ts';

/** What a handler gets: validated input, who calls (their id as `actor`) and the caller's language. */
export interface ApiRequest<P = Record<string, unknown>, Q = Record<string, unknown>, B = unknown> {
  params: P;
  query: Q;
  body: B;
  actor: string | null;
  caller: Caller | null;
  /** The client's address, for sign-in throttling. */
  ip: string;
  locale: Locale;
}

/** The signed-in actor of a route that requires one (the route's permission was checked before the handler). */
export function actorOf(req: { caller: Caller | null }): Actor {
  if (!req.caller) throw new WorkflowError('WF_ERR_UNAUTHENTICATED', {});
  return req.caller.actor;
}

/**
 * Who may call a route: `public` (sign-in, health), `signed-in` (anyone with
 * a session; the use case checks the rest), or a permission.
 */
export type Access = 'public' | 'signed-in' | Permission;

export interface ApiResponse {
  status?: number;
  body: unknown;
  /** Send `body` as-is with this content type instead of JSON. */
  contentType?: string;
  headers?: Record<string, string>;
  /** For an audited route: what changed (before/after …), joined to the audit row; false: nothing to record this time. */
  audit?: Record<string, unknown> | false;
}

/** An uploaded file, read from a multipart body. */
export interface UploadedFile {
  name: string;
  bytes: Buffer;
}

export interface Route {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express path syntax: /api/tasks/:id */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: Schema;
  query?: Schema;
  /** A JSON body schema; `xml` accepts an XML document (or JSON {xml}). */
  body?: Schema;
  acceptsXml?: boolean;
  /** multipart/form-data with one file (the `file` part) of at most `maxBytes`; the other parts are checked against `body`. */
  multipart?: { maxBytes: number };
  /**
   * Security-relevant: each success is recorded in the audit trail under this
   * action, with the caller, their address, the path's id and the input
   * (secrets redacted; `input: false` leaves it out, e.g. a whole BPMN file).
   */
  audit?: { action: string; input?: false };
  /** Status → what comes back (an entity, a page of one, or a description only). */
  responses: Record<number, { description: string; entity?: EntityName; page?: EntityName; contentType?: string }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handle(request: ApiRequest<any, any, any>): Promise<ApiResponse>;
}

/** The paging part of a list route's query. */
export type PageQuery = { offset: number; limit: number };
export const pageOf = (q: PageQuery) => ({ offset: q.offset, limit: q.limit });
export const mapPage = <T, U>(page: Page<T>, map: (item: T) => U): Page<U> => ({ ...page, items: page.items.map(map) });
