/**
 * Answering by link (an expert invited by e-mail; others later): the link a
 * connector signed (ctx.link, lib/links.ts) names the path /invitations/<key>
 * and a case, which waits at a message catch (a receive task) under the
 * correlation key <key>. The person sees what that node asks — its
 * documentation, {variables} filled from the case — and accepts or declines;
 * the answer is the message the node waits for, with `accepted` (and
 * `answerComment`) as its variables. The server holds the link to its expiry
 * and to one use: the wait it answered is gone, and the case's history keeps
 * the link's fingerprint, so that a later wait under the same key refuses it
 * too.
 */
import { WorkflowError } from '../errors.ts';
import { linkFingerprint, readLink, type Link } from '../lib/links.ts';
import { fillText } from '../../../definitions/bpmn/texts.ts';
import type { HistoryRecord, InstanceRecord, Wait } from '../model.ts';
import type { Services } from '../services.ts';
import { deliver } from './messages-and-signals.ts';

export interface InvitationView {
  key: string;
  processName: string | null;
  /** The waiting node's name: 等待专家答复. */
  activityName: string | null;
  /** What the person is asked, in the case's words. */
  ask: string | null;
  expiresAt: number;
  /** open: waiting for this answer; answered: by this link; closed: the case waits no more (it ended, or went on without the answer). */
  state: 'open' | 'answered' | 'closed';
  answer: { accepted: boolean; comment: string | null; at: number } | null;
}

export interface InvitationAnswer {
  accepted: boolean;
  comment?: string | null;
}

type MessageWait = Extract<Wait, { kind: 'message' }>;

/** The link's claims, when it was signed by this server for this invitation; expired ones too (the caller decides). */
function claimsOf(services: Services, key: string, token: string): Link {
  const link = readLink(services.linkKey, token);
  if (!link || link.path !== `/invitations/${key}`) throw new WorkflowError('WF_ERR_LINK_INVALID', {});
  return link;
}

async function caseOf(services: Services, link: Link): Promise<InstanceRecord> {
  const record = await services.store.getInstance(link.instanceId);
  if (!record) throw new WorkflowError('WF_ERR_LINK_INVALID', {});
  return record;
}

const waitFor = (record: InstanceRecord, key: string): MessageWait | undefined =>
  record.state === 'running' ? record.waits.find((w): w is MessageWait => w.kind === 'message' && w.correlationKey === key) : undefined;

/** The history entry of this link's answer, if it was given. */
async function answerBy(services: Services, instanceId: string, fingerprint: string): Promise<HistoryRecord | null> {
  const limit = 500;
  for (let offset = 0; ; offset += limit) {
    const page = await services.store.listHistory(instanceId, { offset, limit });
    const found = page.items.find((h) => h.kind === 'message.receive' && h.data?.link === fingerprint);
    if (found) return found;
    if (offset + limit >= page.total) return null;
  }
}

async function view(services: Services, key: string, link: Link, record: InstanceRecord, answered: HistoryRecord | null): Promise<InvitationView> {
  const { model } = await services.definitions.get(record.definitionId);
  const wait = waitFor(record, key);
  const activityId = answered?.activityId ?? wait?.activityId ?? null;
  const ask = activityId ? (model.messageCatches[activityId]?.ask ?? null) : null;
  return {
    key,
    processName: model.name,
    activityName: activityId ? (model.names[activityId] ?? null) : null,
    ask: ask && fillText(ask, record.variables),
    expiresAt: link.expiresAt,
    state: answered ? 'answered' : wait ? 'open' : 'closed',
    answer: answered ? { accepted: answered.data?.accepted === true, comment: (answered.data?.comment as string | undefined) ?? null, at: answered.at } : null,
  };
}

/** What the link asks, and whether it is still to be answered; an expired link that was not answered is refused. */
export async function readInvitation(services: Services, key: string, token: string): Promise<InvitationView> {
  const link = claimsOf(services, key, token);
  const record = await caseOf(services, link);
  const answered = await answerBy(services, record.id, linkFingerprint(token));
  if (!answered && link.expiresAt < services.clock.now()) throw new WorkflowError('WF_ERR_LINK_EXPIRED', { expiresAt: link.expiresAt });
  return view(services, key, link, record, answered);
}

/** Accept or decline: once per link, before it expires, while the case waits for it. */
export async function answerInvitation(services: Services, key: string, token: string, answer: InvitationAnswer): Promise<InvitationView> {
  const link = claimsOf(services, key, token);
  const fingerprint = linkFingerprint(token);
  const used = async () => {
    const answered = await answerBy(services, link.instanceId, fingerprint);
    if (answered) throw new WorkflowError('WF_ERR_LINK_USED', { answeredAt: answered.at });
  };
  await used();
  if (link.expiresAt < services.clock.now()) throw new WorkflowError('WF_ERR_LINK_EXPIRED', { expiresAt: link.expiresAt });
  const wait = waitFor(await caseOf(services, link), key);
  if (!wait) throw new WorkflowError('WF_ERR_INVITATION_CLOSED', { instanceId: link.instanceId });
  const comment = answer.comment?.trim() || null;
  const variables = { accepted: answer.accepted, ...(comment && { answerComment: comment }) };
  const receiver = { id: wait.subscriptionId, instanceId: link.instanceId, name: wait.name, correlationKey: wait.correlationKey };
  if (!(await deliver(services, receiver, 'message', variables, `link:${fingerprint}`, undefined, { link: fingerprint, accepted: answer.accepted, comment }))) {
    // Someone answered meanwhile: this link (a second click), or the case went on.
    await used();
    throw new WorkflowError('WF_ERR_INVITATION_CLOSED', { instanceId: link.instanceId });
  }
  const record = await caseOf(services, link);
  return view(services, key, link, record, await answerBy(services, record.id, fingerprint));
}
