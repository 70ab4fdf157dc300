/** Jobs of service tasks and their attempts; the dead letters (state=failed) an admin retries (incidents) or gives up. */
import { WorkflowError } from '../core/errors.ts';
import type { JobAttemptRecord, JobRecord } from '../core/model.ts';
import type { CancelJobRequest } from '../core/usecases/jobs.ts';
import { iso } from '../core/usecases/views.ts';
import type { Workflow } from '../core/workflow.ts';
import { mapPage, type ApiRequest, type Route } from './route.ts';
import { idParams, requests } from './schemas.ts';

const jobView = (j: JobRecord) => ({ ...j, runAt: iso(j.runAt), createdAt: iso(j.createdAt), updatedAt: iso(j.updatedAt) });
const attemptView = (a: JobAttemptRecord) => ({ ...a, startedAt: iso(a.startedAt) });

export function jobRoutes(workflow: Workflow): Route[] {
  return [
    {
      method: 'get',
      path: '/api/jobs',
      access: 'incident:manage',
      tag: 'jobs',
      summary: 'Jobs (state=failed: the dead letters) with filters',
      query: requests.jobsQuery,
      responses: { 200: { description: 'a page of jobs' } },
      async handle(req: ApiRequest<object, { offset: number; limit: number; state?: JobRecord['state']; handler?: string; instanceId?: string }>) {
        const { offset, limit, ...filter } = req.query;
        const page = await workflow.services.store.listJobs(filter, { offset, limit });
        return { body: mapPage(page, jobView) };
      },
    },
    {
      method: 'get',
      path: '/api/jobs/:id',
      access: 'incident:manage',
      tag: 'jobs',
      summary: 'A job and every attempt: request, response, error, duration',
      params: idParams,
      responses: { 200: { description: 'the job' } },
      async handle(req: ApiRequest<{ id: string }>) {
        const job = await workflow.services.store.getJob(req.params.id);
        if (!job) throw new WorkflowError('WF_ERR_JOB_NOT_FOUND', { jobId: req.params.id });
        return { body: { ...jobView(job), attempts: (await workflow.services.store.listJobAttempts(job.id)).map(attemptView) } };
      },
    },
    {
      method: 'post',
      path: '/api/jobs/:id/cancel',
      access: 'incident:manage',
      audit: { action: 'job.cancel' },
      tag: 'jobs',
      summary: 'Give up a dead letter: its task goes on without the effect (then=continue, with variables) or its case is cancelled',
      params: idParams,
      body: requests.cancelJob,
      responses: { 200: { description: 'the cancelled job' } },
      async handle(req: ApiRequest<{ id: string }, object, CancelJobRequest>) {
        return { body: jobView(await workflow.cancelFailedJob(req.params.id, req.body, req.actor)) };
      },
    },
  ];
}
