/** Answering by link: public — the signed link is the permission (usecases/invitations.ts). */
import { answerInvitation, readInvitation, type InvitationAnswer, type InvitationView } from '../usecases/invitations.ts';
import type { Workflow } from '../workflow.ts';

export type { InvitationAnswer, InvitationView };

export class InvitationsApi {
  constructor(private readonly workflow: Workflow) {}

  read(key: string, token: string): Promise<InvitationView> {
    return readInvitation(this.workflow.services, key, token);
  }

  answer(key: string, token: string, answer: InvitationAnswer): Promise<InvitationView> {
    return answerInvitation(this.workflow.services, key, token, answer);
  }
}
