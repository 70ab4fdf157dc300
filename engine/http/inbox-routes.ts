/** Inbox operations beyond claim and complete, case comments and copies, and the caller's notices. */
import type { Api } from '../core/api/front-door.ts';
import type { NoticeKind } from '../core/model.ts';
import type { Clock } from '../core/ports.ts';
import { actorOf, type ApiRequest, type PageQuery, type Route } from './route.ts';
import { idParams, nullableText, query, text } from './schemas.ts';
import type { Schema } from './validation.ts';
import { noticeView, taskView } from './views.ts';

const userId = text(128);
const reason = nullableText(1000);

const schemas = {
  handOver: { type: 'object', additionalProperties: false, required: ['userId'], properties: { userId, reason } },
  addSigner: { type: 'object', additionalProperties: false, required: ['userId'], properties: { userId, position: { enum: ['before', 'after'], default: 'after' } } },
  returnTask: { type: 'object', additionalProperties: false, required: ['reason'], properties: { to: text(128), reason: text(1000) } },
  urge: { type: 'object', additionalProperties: false, properties: { note: reason } },
  copy: {
    type: 'object',
    additionalProperties: false,
    required: ['userIds'],
    properties: { userIds: { type: 'array', items: userId, minItems: 1, maxItems: 50, uniqueItems: true }, note: reason, needsSign: { type: 'boolean', default: false, description: '签收: the note shows once each recipient signs for it' } },
  },
  comment: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: text(4000), fileIds: { type: 'array', items: text(64), maxItems: 20, uniqueItems: true } } },
  noticesQuery: query({ unread: { type: 'boolean' }, kind: text(32) }),
} satisfies Record<string, Schema>;


export function inboxRoutes(api: Api, clock: Clock): Route[] {
  const now = () => clock.now();
  /** Transfer and delegate: the holder moves their own task; anyone else needs task:assign over it. */
  const handOverRoute = (mode: 'transfer' | 'delegate', summary: string): Route => ({
    method: 'post',
    path: `/api/tasks/:id/${mode}`,
    access: 'task:handle',
    audit: { action: `task.${mode}` },
    tag: 'tasks',
    summary,
    params: idParams,
    body: schemas.handOver,
    responses: { 200: { description: 'the task', entity: 'Task' } },
    async handle(req: ApiRequest<{ id: string }, object, { userId: string; reason?: string | null }>) {
      return { body: taskView(await api.tasks.handOver(actorOf(req), req.params.id, mode, req.body.userId, req.body.reason ?? null), now()) };
    },
  });
  return [
    handOverRoute('transfer', 'Transfer (转办): the task becomes userId’s. Its holder may; anyone else needs task:assign over it'),
    handOverRoute('delegate', 'Delegate (委派): userId handles the task; when they complete it, it comes back to its holder (owner) to complete'),
    {
      method: 'post',
      path: '/api/tasks/:id/signers',
      access: 'task:handle',
      audit: { action: 'task.add-signer' },
      tag: 'tasks',
      summary: 'Add a signer (加签) before or after the holder; on a countersigned node, alongside the others',
      params: idParams,
      body: schemas.addSigner,
      responses: { 200: { description: 'the holder’s task and the new signer’s, if open now' } },
      async handle(req: ApiRequest<{ id: string }, object, { userId: string; position: 'before' | 'after' }>) {
        const { task, added } = await api.tasks.addSigner(actorOf(req), req.params.id, req.body.userId, req.body.position);
        return { body: { task: taskView(task, now()), added: added && taskView(added, now()) } };
      },
    },
    {
      method: 'get',
      path: '/api/tasks/:id/return-targets',
      access: 'task:handle',
      tag: 'tasks',
      summary: 'The nodes the task may be returned to now: the previous user task, or those wf:returnTo allows',
      params: idParams,
      responses: { 200: { description: 'the nodes, oldest first' } },
      async handle(req: ApiRequest<{ id: string }>) {
        return { body: { items: await api.tasks.returnTargets(actorOf(req), req.params.id) } };
      },
    },
    {
      method: 'post',
      path: '/api/tasks/:id/return',
      access: 'task:handle',
      audit: { action: 'task.return' },
      tag: 'tasks',
      summary: 'Return (退回) the case to the previous user task, or to `to` when the node allows it (wf:returnTo); the reason is required',
      params: idParams,
      body: schemas.returnTask,
      responses: { 200: { description: 'the task the case re-entered', entity: 'Task' } },
      async handle(req: ApiRequest<{ id: string }, object, { to?: string; reason: string }>) {
        return { body: taskView(await api.tasks.returnTask(actorOf(req), req.params.id, req.body.to ?? null, req.body.reason), now()) };
      },
    },
    {
      method: 'post',
      path: '/api/tasks/:id/urge',
      access: 'signed-in',
      audit: { action: 'task.urge' },
      tag: 'tasks',
      summary: 'Urge (催办) whoever holds or may claim the task: the initiator may, and supervisors (task:urge) in scope; once per 10 minutes',
      params: idParams,
      body: schemas.urge,
      responses: { 200: { description: 'who was notified' } },
      async handle(req: ApiRequest<{ id: string }, object, { note?: string | null }>) {
        return { body: await api.tasks.urge(actorOf(req), req.params.id, req.body.note ?? null) };
      },
    },
    {
      method: 'post',
      path: '/api/instances/:id/cc',
      access: 'instance:read',
      audit: { action: 'instance.cc' },
      tag: 'instances',
      summary: 'Copy the case (抄送) to people: they get a notice and may read the case',
      params: idParams,
      body: schemas.copy,
      responses: { 200: { description: 'who was notified' } },
      async handle(req: ApiRequest<{ id: string }, object, { userIds: string[]; note?: string | null; needsSign: boolean }>) {
        return { body: await api.cases.copy(actorOf(req), req.params.id, req.body.userIds, req.body.note ?? null, req.body.needsSign) };
      },
    },
    {
      method: 'post',
      path: '/api/instances/:id/comments',
      access: 'instance:read',
      audit: { action: 'instance.comment' },
      tag: 'instances',
      summary: 'Comment on the case, with files the commenter uploaded (POST /api/files); shown in the history',
      params: idParams,
      body: schemas.comment,
      responses: { 201: { description: 'added' } },
      async handle(req: ApiRequest<{ id: string }, object, { text: string; fileIds?: string[] }>) {
        await api.cases.comment(actorOf(req), req.params.id, req.body.text, req.body.fileIds ?? []);
        return { status: 201, body: { added: true } };
      },
    },
    {
      method: 'get',
      path: '/api/notices',
      access: 'signed-in',
      tag: 'notices',
      summary: 'The caller’s in-site notices, newest first, with the unread count; listing them marks them delivered',
      query: schemas.noticesQuery,
      responses: { 200: { description: 'a page of notices and the unread count' } },
      async handle(req: ApiRequest<object, PageQuery & { unread?: boolean; kind?: NoticeKind }>) {
        const { offset, limit, ...filter } = req.query;
        const page = await api.tasks.notices(actorOf(req), filter, { offset, limit });
        return { body: { ...page, items: page.items.map(noticeView) } };
      },
    },
    {
      method: 'post',
      path: '/api/notices/:id/read',
      access: 'signed-in',
      tag: 'notices',
      summary: 'Mark one of the caller’s notices read (the read receipt)',
      params: idParams,
      responses: { 204: { description: 'read' } },
      async handle(req: ApiRequest<{ id: string }>) {
        await api.tasks.markNotice(actorOf(req), req.params.id, 'read');
        return { status: 204, body: null };
      },
    },
    {
      method: 'post',
      path: '/api/notices/:id/sign',
      access: 'signed-in',
      tag: 'notices',
      summary: 'Sign for a notice (签收): its body shows from now on',
      params: idParams,
      responses: { 204: { description: 'signed for' } },
      async handle(req: ApiRequest<{ id: string }>) {
        await api.tasks.markNotice(actorOf(req), req.params.id, 'signed');
        return { status: 204, body: null };
      },
    },
  ];
}
