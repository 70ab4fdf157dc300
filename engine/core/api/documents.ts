/**
 * Electronic documents: a holder lists and opens their own; an admin who
 * manages cases revokes one; anyone verifies the code of a document's QR.
 */
import { WorkflowError } from '../errors.ts';
import type { DocumentRecord } from '../model.ts';
import { demand, type Actor } from '../org/actor.ts';
import { documentCode, statusOf, verifyDocument, type DocumentStatus, type Verification } from '../usecases/documents.ts';
import type { Workflow } from '../workflow.ts';

export type { DocumentStatus, Verification };

export interface HeldDocument extends DocumentRecord {
  status: DocumentStatus;
  /** What its QR code holds (the verification page's address ends with it). */
  code: string;
}

export class DocumentsApi {
  constructor(private readonly workflow: Workflow) {}

  #held(d: DocumentRecord): HeldDocument {
    const { documentKey, clock } = this.workflow.services;
    return { ...d, status: statusOf(d, clock.now()), code: documentCode(documentKey, d.id) };
  }

  async mine(actor: Actor): Promise<HeldDocument[]> {
    return (await this.workflow.services.store.listDocuments(actor.id)).map((d) => this.#held(d));
  }

  /** The holder's own, or any to an admin who manages cases; to anyone else it does not exist. */
  async one(actor: Actor, id: string): Promise<HeldDocument> {
    const d = await this.workflow.services.store.getDocument(id);
    if (!d || (d.holder !== actor.id && !actor.permissions.has('instance:manage'))) throw new WorkflowError('WF_ERR_DOCUMENT_NOT_FOUND', { id });
    return this.#held(d);
  }

  async revoke(actor: Actor, id: string): Promise<HeldDocument> {
    demand(actor, 'instance:manage');
    const { store, clock } = this.workflow.services;
    if (!(await store.getDocument(id))) throw new WorkflowError('WF_ERR_DOCUMENT_NOT_FOUND', { id });
    await store.revokeDocument(id, clock.now(), actor.id);
    return this.#held((await store.getDocument(id))!);
  }

  /** Public: what a QR code says of its document. */
  verify(code: string): Promise<Verification> {
    return verifyDocument(this.workflow.services, this.workflow.services.documentKey, code);
  }
}
