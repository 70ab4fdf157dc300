/** Electronic documents: the holder's list, one document, revocation, and the public check of a QR code. */
import type { Api } from '../core/api/front-door.ts';
import type { HeldDocument, Verification } from '../core/api/documents.ts';
import { actorOf, type ApiRequest, type Route } from './route.ts';
import { idParams, text } from './schemas.ts';
import { iso } from './views.ts';

const documentView = (d: HeldDocument) => ({ ...d, validFrom: iso(d.validFrom), validTo: iso(d.validTo), issuedAt: iso(d.issuedAt), revokedAt: iso(d.revokedAt) });
const verificationView = (v: Verification) => ({ ...v, validFrom: iso(v.validFrom), validTo: iso(v.validTo), issuedAt: iso(v.issuedAt) });

export function documentRoutes(api: Api): Route[] {
  return [
    {
      method: 'get',
      path: '/api/documents',
      access: 'signed-in',
      tag: 'documents',
      summary: 'The caller’s electronic documents (电子证照), newest first, each with its status and the code its QR holds',
      responses: { 200: { description: 'the documents' } },
      async handle(req: ApiRequest) {
        return { body: { items: (await api.documents.mine(actorOf(req))).map(documentView) } };
      },
    },
    {
      method: 'get',
      path: '/api/documents/:id',
      access: 'signed-in',
      tag: 'documents',
      summary: 'One of the caller’s documents (any, to an admin who manages cases)',
      params: idParams,
      responses: { 200: { description: 'the document' } },
      async handle(req: ApiRequest<{ id: string }>) {
        return { body: documentView(await api.documents.one(actorOf(req), req.params.id)) };
      },
    },
    {
      method: 'post',
      path: '/api/documents/:id/revoke',
      access: 'instance:manage',
      audit: { action: 'document.revoke' },
      tag: 'documents',
      summary: 'Revoke a document: its QR then verifies as revoked',
      params: idParams,
      body: { type: 'object', additionalProperties: false, properties: {} },
      responses: { 200: { description: 'the revoked document' } },
      async handle(req: ApiRequest<{ id: string }>) {
        return { body: documentView(await api.documents.revoke(actorOf(req), req.params.id)) };
      },
    },
    {
      method: 'get',
      path: '/api/verify/:code',
      access: 'public',
      tag: 'documents',
      summary: 'What a document’s QR code says: valid, expired or revoked, its title, validity and holder (masked)',
      params: { type: 'object', required: ['code'], properties: { code: { ...text(80), pattern: '^[A-Z0-9]{1,40}\\.[A-Za-z0-9_-]{1,40}$' } } },
      responses: { 200: { description: 'the verification' } },
      async handle(req: ApiRequest<{ code: string }>) {
        return { body: verificationView(await api.documents.verify(req.params.code)), headers: { 'Cache-Control': 'no-store' } };
      },
    },
  ];
}
