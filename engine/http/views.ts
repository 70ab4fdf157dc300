/**
 * Records as the API writes them: times as ISO 8601, a task placed against its
 * due date, a notice to be signed for without its body, no engine internals.
 * The use cases return records; shaping them for JSON happens here.
 */
import { dueStateOf } from '../core/calendar/due-state.ts';
import type {
  DefinitionRecord,
  DictionaryRecord,
  DraftRecord,
  FileRecord,
  FormRecord,
  NamedHistoryRecord,
  IncidentRecord,
  JobAttemptRecord,
  JobRecord,
  NoticeRecord,
  TaskRecord,
} from '../core/model.ts';
import type { DefinitionSummary, FormSummary, InstanceView } from '../core/api/front-door.ts';

export const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export const instanceView = (i: InstanceView) => ({
  ...i,
  startedAt: iso(i.startedAt),
  endedAt: iso(i.endedAt),
  activities: i.activities.map((a) => (a.dueAt === undefined ? a : { ...a, dueAt: iso(a.dueAt) })),
});

export const definitionView = (d: DefinitionSummary | DefinitionRecord) => ({
  id: d.id,
  key: d.key,
  version: d.version,
  name: d.name,
  hash: d.hash,
  deployedAt: iso(d.deployedAt),
  deployedBy: d.deployedBy,
});

/** A task; `now` places it against its due date. */
export const taskView = (t: TaskRecord, now: number) => ({
  id: t.id,
  instanceId: t.instanceId,
  definitionId: t.definitionId,
  processKey: t.processKey,
  businessKey: t.businessKey,
  initiator: t.initiator,
  stateName: t.stateName,
  activityId: t.activityId,
  name: t.name,
  state: t.state,
  assignee: t.assignee,
  candidateUsers: t.candidateUsers,
  candidateGroups: t.candidateGroups,
  formKey: t.formKey,
  priority: t.priority,
  dueAt: iso(t.dueAt),
  nearDueAt: iso(t.nearDueAt),
  dueState: dueStateOf(t, now),
  createdAt: iso(t.createdAt),
  claimedAt: iso(t.claimedAt),
  endedAt: iso(t.endedAt),
  endedBy: t.endedBy,
  owner: t.owner,
  assignment: t.assignment,
});

export const historyView = (h: NamedHistoryRecord) => ({
  id: h.id,
  at: iso(h.at),
  kind: h.kind,
  activityId: h.activityId,
  activityName: h.activityName,
  stateName: h.stateName,
  taskId: h.taskId,
  actor: h.actor,
  data: h.data,
});
export const incidentView = (i: IncidentRecord) => ({ ...i, createdAt: iso(i.createdAt), resolvedAt: iso(i.resolvedAt) });
export const jobView = (j: JobRecord) => ({ ...j, runAt: iso(j.runAt), createdAt: iso(j.createdAt), updatedAt: iso(j.updatedAt) });
export const attemptView = (a: JobAttemptRecord) => ({ ...a, startedAt: iso(a.startedAt) });

export const formSummaryView = (f: FormSummary | FormRecord) => ({ id: f.id, key: f.key, version: f.version, title: f.title, hash: f.hash, deployedAt: iso(f.deployedAt), deployedBy: f.deployedBy });
export const formView = (f: FormRecord) => ({ ...formSummaryView(f), definition: f.definition });
export const dictionaryView = (d: DictionaryRecord) => ({ ...d, updatedAt: iso(d.updatedAt) });
export const draftView = (d: DraftRecord) => ({ formKey: d.formKey, formVersion: d.formVersion, data: d.data, updatedAt: iso(d.updatedAt) });
export const fileView = (f: FileRecord) => ({ id: f.id, name: f.name, contentType: f.contentType, size: f.size, sha256: f.sha256, instanceId: f.instanceId, createdAt: iso(f.createdAt) });
export const withDraftTime = <T extends { draft: { updatedAt: number } | null }>(view: T) => ({ ...view, draft: view.draft && { ...view.draft, updatedAt: iso(view.draft.updatedAt) } });

/** A notice that must be signed for shows its body only once it is. */
export const noticeView = (n: NoticeRecord) => ({
  id: n.id,
  kind: n.kind,
  title: n.title,
  body: n.needsSign && n.signedAt === null ? null : n.body,
  instanceId: n.instanceId,
  taskId: n.taskId,
  needsSign: n.needsSign,
  createdAt: iso(n.createdAt),
  deliveredAt: iso(n.deliveredAt),
  readAt: iso(n.readAt),
  signedAt: iso(n.signedAt),
});
