/**
 * wf:notify as the panel's matrix: for each notice of a task (a new task, its
 * reminder, overdue, an escalation step), SMS and/or e-mail besides the site.
 * Written back in the shortest form the server reads: `sms,email` when only a
 * new task's notice has channels, `task:sms; overdue:sms,email` otherwise.
 */
export const EVENTS = ['task', 'near-due', 'overdue', 'escalation'] as const;
export const CHANNELS = ['sms', 'email'] as const;
export type NotifyEvent = (typeof EVENTS)[number];
export type Channel = (typeof CHANNELS)[number];
export type NotifyMatrix = Record<NotifyEvent, Channel[]>;

export function readNotify(value: string | undefined): NotifyMatrix {
  const out: NotifyMatrix = { task: [], 'near-due': [], overdue: [], escalation: [] };
  for (const part of (value ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const colon = part.indexOf(':');
    const event = (colon < 0 ? 'task' : part.slice(0, colon).trim()) as NotifyEvent;
    if (!EVENTS.includes(event)) continue; // the linter names it
    out[event] = CHANNELS.filter((c) =>
      part
        .slice(colon + 1)
        .split(',')
        .map((x) => x.trim())
        .includes(c),
    );
  }
  return out;
}

export function writeNotify(matrix: NotifyMatrix): string | undefined {
  const used = EVENTS.filter((e) => matrix[e].length);
  if (!used.length) return undefined;
  if (used.length === 1 && used[0] === 'task') return matrix.task.join(',');
  return used.map((e) => `${e}:${matrix[e].join(',')}`).join('; ');
}
