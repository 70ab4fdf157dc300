/**
 * What administrators do to keep cases moving: incidents and their retry,
 * jobs with every attempt, dead letters given up by hand, messages and
 * signals sent to processes. Every method takes the acting person and checks
 * their permission.
 */
import { WorkflowError } from '../errors.ts';
import type { IncidentRecord, JobAttemptRecord, JobRecord, Page, PageRequest, Variables } from '../model.ts';
import { demand, type Actor } from '../org/actor.ts';
import type { IncidentFilter } from '../ports.ts';
import type { CancelJobRequest } from '../usecases/jobs.ts';
import type { DeliveryResult, MessageRequest, Workflow } from '../workflow.ts';

export class OperationsApi {
  constructor(private readonly workflow: Workflow) {}

  incidents(actor: Actor, filter: IncidentFilter, page: PageRequest): Promise<Page<IncidentRecord>> {
    demand(actor, 'incident:manage');
    return this.workflow.listIncidents(filter, page);
  }

  retryIncident(actor: Actor, id: string): Promise<IncidentRecord> {
    demand(actor, 'incident:manage');
    return this.workflow.retryIncident(id, actor.id);
  }

  jobs(actor: Actor, filter: { state?: JobRecord['state']; handler?: string; instanceId?: string }, page: PageRequest): Promise<Page<JobRecord>> {
    demand(actor, 'incident:manage');
    return this.workflow.services.store.listJobs(filter, page);
  }

  /** A job and every attempt: request, response, error, duration. */
  async job(actor: Actor, id: string): Promise<{ job: JobRecord; attempts: JobAttemptRecord[] }> {
    demand(actor, 'incident:manage');
    const { store } = this.workflow.services;
    const job = await store.getJob(id);
    if (!job) throw new WorkflowError('WF_ERR_JOB_NOT_FOUND', { jobId: id });
    return { job, attempts: await store.listJobAttempts(job.id) };
  }

  cancelJob(actor: Actor, id: string, request: CancelJobRequest): Promise<JobRecord> {
    demand(actor, 'incident:manage');
    return this.workflow.cancelFailedJob(id, request, actor.id);
  }

  correlate(actor: Actor, request: MessageRequest): Promise<DeliveryResult> {
    demand(actor, 'message:send');
    return this.workflow.correlate(request, actor.id);
  }

  signal(actor: Actor, request: { name: string; variables?: Variables }): Promise<DeliveryResult> {
    demand(actor, 'message:send');
    return this.workflow.signal(request, actor.id);
  }
}
