/**
 * For HTTP tests of everything but access control: the caller names itself in
 * X-User-Id and holds every permission (as behind a gateway that already
 * checked); no header acts as the system. `nobody` signs no one in. Access control itself is tested
 * with real sign-ins (test/http/access.test.ts).
 */
import type { Request } from 'express';
import { SYSTEM_ACTOR } from '../../engine/core/org/actor.ts';
import type { Authenticate, Caller } from '../../engine/http/authenticate.ts';

export const trustedHeader: Authenticate = async (req: Request): Promise<Caller> => {
  const id = req.get('x-user-id')?.trim().slice(0, 128);
  return { actor: id ? { ...SYSTEM_ACTOR, id, name: id } : SYSTEM_ACTOR, secret: null, session: null };
};

export const nobody: Authenticate = async () => null;
