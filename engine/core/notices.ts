/** A notice to one user, ready to insert with the step that caused it (the notice row is also its SMS/e-mail outbox entry). */
import type { NoticeKind, NoticeRecord } from './model.ts';

export interface NoticeAbout {
  instanceId?: string | null;
  taskId?: string | null;
  needsSign?: boolean;
  channels?: NoticeRecord['channels'];
}

/** Where a notice's id and time come from (a step gives its own time). */
export interface NoticeSource {
  newId(): string;
  clock: { now(): number };
}

export function notice(source: NoticeSource, userId: string, kind: NoticeKind, title: string, body: string | null, about: NoticeAbout): NoticeRecord {
  return {
    id: source.newId(),
    userId,
    kind,
    title: title.slice(0, 255),
    body: body?.slice(0, 4000) ?? null,
    instanceId: about.instanceId ?? null,
    taskId: about.taskId ?? null,
    needsSign: about.needsSign ?? false,
    channels: about.channels ?? [],
    createdAt: source.clock.now(),
    deliveredAt: null,
    readAt: null,
    signedAt: null,
    sentAt: null,
    delivery: null,
  };
}
