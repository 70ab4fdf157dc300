/** A citizen's real-name level (实名认证): its words, and what /api/me/identity answers. */
import type { MessageKey } from '../i18n/index.tsx';

export const LEVELS: MessageKey[] = ['portal.level.0', 'portal.level.1', 'portal.level.2', 'portal.level.3'];

export interface Identity {
  level: number;
  /** The process that raises it, or null when none is offered. */
  processKey: string | null;
}
