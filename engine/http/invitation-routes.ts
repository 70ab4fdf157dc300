/**
 * Answering by link: what an invitation asks, and the answer — public, the
 * signed link is the permission (core/usecases/invitations.ts). The token
 * travels in the query to read, in the body to answer.
 */
import type { Api } from '../core/api/front-door.ts';
import type { InvitationView } from '../core/api/invitations.ts';
import type { ApiRequest, Route } from './route.ts';
import { text } from './schemas.ts';
import { iso } from './views.ts';

const KEY = { type: 'object', required: ['key'], properties: { key: text(128) } } as const;
const TOKEN = { ...text(1024), pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$' };

const invitationView = (v: InvitationView) => ({ ...v, expiresAt: iso(v.expiresAt), answer: v.answer && { ...v.answer, at: iso(v.answer.at) } });
/** Never kept by a cache: the answer changes, and the address holds the token. */
const PRIVATE = { 'Cache-Control': 'no-store' };

export function invitationRoutes(api: Api): Route[] {
  return [
    {
      method: 'get',
      path: '/api/invitations/:key',
      access: 'public',
      tag: 'invitations',
      summary: 'What a signed invitation link asks (the waiting node’s name and question), its expiry, and whether it is open, answered (with the answer) or closed',
      params: KEY,
      query: { type: 'object', required: ['token'], additionalProperties: false, properties: { token: TOKEN } },
      responses: { 200: { description: 'the invitation' } },
      async handle(req: ApiRequest<{ key: string }, { token: string }>) {
        return { body: invitationView(await api.invitations.read(req.params.key, req.query.token)), headers: PRIVATE };
      },
    },
    {
      method: 'post',
      path: '/api/invitations/:key/answer',
      access: 'public',
      audit: { action: 'invitation.answer' },
      tag: 'invitations',
      summary: 'Accept or decline by a signed link: once, before it expires, while the case waits for the answer (the message the node waits for, with accepted and answerComment)',
      params: KEY,
      body: { type: 'object', required: ['token', 'accepted'], additionalProperties: false, properties: { token: TOKEN, accepted: { type: 'boolean' }, comment: { type: 'string', maxLength: 500 } } },
      responses: { 200: { description: 'the invitation, answered' } },
      async handle(req: ApiRequest<{ key: string }, object, { token: string; accepted: boolean; comment?: string }>) {
        const { token, accepted, comment } = req.body;
        return { body: invitationView(await api.invitations.answer(req.params.key, token, { accepted, comment: comment ?? null })), headers: PRIVATE };
      },
    },
  ];
}
