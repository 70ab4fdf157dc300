/**
 * The core's front door: everything a person may do, by area. Every method
 * takes the acting Actor and checks the permission and the object (this case,
 * this task, this file), so the HTTP API — or a script, a test, a future
 * front end — cannot skip the checks. The Workflow facade underneath is the
 * system's own (timers, jobs, tests of the engine): it trusts its caller.
 */
import type { Workflow } from '../workflow.ts';
import { CasesApi } from './cases.ts';
import { CatalogApi } from './catalog.ts';
import { DesignApi } from './design.ts';
import { DocumentsApi } from './documents.ts';
import { InvitationsApi } from './invitations.ts';
import { OperationsApi } from './operations.ts';
import { TasksApi } from './tasks.ts';

export { CasesApi, CatalogApi, DesignApi, DocumentsApi, InvitationsApi, OperationsApi, TasksApi };
/** What the front door's methods take and give, for the layers that call it. */
export type { CancelJobRequest } from '../usecases/jobs.ts';
export type { DefinitionSummary, DictionaryInput, FormSummary, InstanceView, MigrationRequest, StartRequest } from '../workflow.ts';

export interface Api {
  cases: CasesApi;
  tasks: TasksApi;
  design: DesignApi;
  operations: OperationsApi;
  catalog: CatalogApi;
  documents: DocumentsApi;
  invitations: InvitationsApi;
}

export function frontDoor(workflow: Workflow): Api {
  return { cases: new CasesApi(workflow), tasks: new TasksApi(workflow), design: new DesignApi(workflow), operations: new OperationsApi(workflow), catalog: new CatalogApi(workflow), documents: new DocumentsApi(workflow), invitations: new InvitationsApi(workflow) };
}
