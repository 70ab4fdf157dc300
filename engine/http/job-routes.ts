/** Jobs of service tasks and their attempts; the dead letters (state=failed) an admin retries (incidents) or gives up. */
import type { Api, CancelJobRequest } from '../core/api/front-door.ts';
import type { JobRecord } from '../core/model.ts';
import { actorOf, mapPage, type ApiRequest, type Route } from './route.ts';
import { idParams, requests } from './schemas.ts';
import { attemptView, jobView } from './views.ts';

export function jobRoutes(api: Api): Route[] {
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
        return { body: mapPage(await api.operations.jobs(actorOf(req), filter, { offset, limit }), jobView) };
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
        const { job, attempts } = await api.operations.job(actorOf(req), req.params.id);
        return { body: { ...jobView(job), attempts: attempts.map(attemptView) } };
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
        return { body: jobView(await api.operations.cancelJob(actorOf(req), req.params.id, req.body)) };
      },
    },
  ];
}
