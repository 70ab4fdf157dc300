import type { DefinitionRecord, HistoryRecord, IncidentRecord, TaskRecord } from '../core/model.ts';
import { dueStateOf } from '../core/calendar/due-state.ts';
import { errorBody, toWorkflowError } from './error-body.ts';
import { iso } from '../core/usecases/views.ts';
import type { DefinitionSummary, MigrationRequest, Workflow } from '../core/workflow.ts';
import type { StartRequest } from '../core/usecases/instances.ts';
import { actorOf, mapPage, pageOf, type ApiRequest, type PageQuery, type Route } from './route.ts';
import { demandAssign, demandAssignScope, ownRows, visibilityOf } from '../core/org/access.ts';
import { handledTask, heldOrAssignable, visibleInstance, visibleTask } from './guards.ts';
import { idParams, keyParams, keyVersionParams, requests } from './schemas.ts';

const definitionView = (d: DefinitionSummary | DefinitionRecord) => ({
  id: d.id,
  key: d.key,
  version: d.version,
  name: d.name,
  hash: d.hash,
  deployedAt: iso(d.deployedAt),
  deployedBy: d.deployedBy,
});

/** A task as the API shows it; `now` places it against its due date. */
export const taskView = (t: TaskRecord, now: number) => ({
  id: t.id,
  instanceId: t.instanceId,
  definitionId: t.definitionId,
  processKey: t.processKey,
  businessKey: t.businessKey,
  activityId: t.activityId,
  name: t.name,
  state: t.state,
  assignee: t.assignee,
  candidateUsers: t.candidateUsers,
  candidateGroups: t.candidateGroups,
  formKey: t.formKey,
  priority: t.priority,
  dueAt: iso(t.dueAt),
  nearDueAt: iso(t.nearDueAt),
  dueState: dueStateOf(t, now),
  createdAt: iso(t.createdAt),
  claimedAt: iso(t.claimedAt),
  endedAt: iso(t.endedAt),
  endedBy: t.endedBy,
  owner: t.owner,
  assignment: t.assignment,
});

const historyView = (h: HistoryRecord) => ({ id: h.id, at: iso(h.at), kind: h.kind, activityId: h.activityId, taskId: h.taskId, actor: h.actor, data: h.data });

const incidentView = (i: IncidentRecord) => ({ ...i, createdAt: iso(i.createdAt), resolvedAt: iso(i.resolvedAt) });

const time = (value: string | undefined) => (value === undefined ? undefined : Date.parse(value));

export function apiRoutes(workflow: Workflow): Route[] {
  return [
    // ---- definitions
    {
      method: 'post',
      path: '/api/definitions',
      access: 'definition:deploy',
      audit: { action: 'definition.deploy', input: false },
      tag: 'definitions',
      summary: 'Deploy a BPMN file (application/xml, or JSON {"xml": …}); identical content returns the existing version',
      body: requests.deployJson,
      acceptsXml: true,
      responses: { 201: { description: 'new versions deployed', entity: 'DeployResult' }, 200: { description: 'unchanged: the latest versions already have this content', entity: 'DeployResult' } },
      async handle(req: ApiRequest<object, object, { xml: string }>) {
        const definitions = await workflow.deploy(req.body.xml, req.actor);
        return { status: definitions.some((d) => d.created) ? 201 : 200, body: { definitions }, audit: { definitions: definitions.map((d) => ({ id: d.id, created: d.created })) } };
      },
    },
    {
      method: 'get',
      path: '/api/definitions',
      access: 'definition:read',
      tag: 'definitions',
      summary: 'List deployed versions (latest=true: only the newest of each key)',
      query: requests.definitionsQuery,
      responses: { 200: { description: 'a page of definitions', page: 'Definition' } },
      async handle(req: ApiRequest<object, PageQuery & { key?: string; latest: boolean }>) {
        const result = await workflow.listDefinitions({ ...(req.query.key && { key: req.query.key }), latestOnly: req.query.latest }, pageOf(req.query));
        return { body: mapPage(result, definitionView) };
      },
    },
    {
      method: 'get',
      path: '/api/definitions/:key',
      access: 'definition:read',
      tag: 'definitions',
      summary: 'The latest version of a process',
      params: keyParams,
      responses: { 200: { description: 'the definition', entity: 'Definition' } },
      async handle(req: ApiRequest<{ key: string }>) {
        return { body: definitionView(await workflow.getDefinition(req.params.key)) };
      },
    },
    {
      method: 'get',
      path: '/api/definitions/:key/versions',
      access: 'definition:read',
      tag: 'definitions',
      summary: 'All versions of a process with their instance counts per state',
      params: keyParams,
      responses: { 200: { description: 'versions, newest first' } },
      async handle(req: ApiRequest<{ key: string }>) {
        const versions = await workflow.versions(req.params.key);
        return { body: { versions: versions.map((v) => ({ ...definitionView(v), instances: v.instances })) } };
      },
    },
    {
      method: 'get',
      path: '/api/definitions/:key/versions/:version',
      access: 'definition:read',
      tag: 'definitions',
      summary: 'One version of a process',
      params: keyVersionParams,
      responses: { 200: { description: 'the definition', entity: 'Definition' } },
      async handle(req: ApiRequest<{ key: string; version: number }>) {
        return { body: definitionView(await workflow.getDefinition(req.params.key, req.params.version)) };
      },
    },
    {
      method: 'get',
      path: '/api/definitions/:key/xml',
      access: 'definition:read',
      tag: 'definitions',
      summary: 'The BPMN XML of the latest (or ?version=) version',
      params: keyParams,
      query: requests.xmlQuery,
      responses: { 200: { description: 'BPMN 2.0 XML', contentType: 'application/xml' } },
      async handle(req: ApiRequest<{ key: string }, { version?: number }>) {
        const record = await workflow.getDefinition(req.params.key, req.query.version);
        return { body: record.xml, contentType: 'application/xml; charset=utf-8' };
      },
    },
    // ---- instances
    {
      method: 'post',
      path: '/api/instances',
      access: 'instance:start',
      audit: { action: 'instance.start' },
      tag: 'instances',
      summary: 'Start an instance of the latest (or a given) version',
      body: requests.startInstance,
      responses: { 201: { description: 'the started instance, at its first wait', entity: 'Instance' } },
      async handle(req: ApiRequest<object, object, StartRequest>) {
        await workflow.demandStart(actorOf(req), req.body.processKey, req.body.version);
        return { status: 201, body: await workflow.start(req.body, req.actor, req.locale) };
      },
    },
    {
      method: 'get',
      path: '/api/instances',
      access: 'instance:read',
      tag: 'instances',
      summary: 'List instances, newest first',
      query: requests.instancesQuery,
      responses: { 200: { description: 'a page of instances', page: 'Instance' } },
      async handle(req: ApiRequest<object, PageQuery & Record<string, string | number | undefined>>) {
        const { offset, limit, ...filter } = req.query;
        return { body: await workflow.listInstances({ ...filter, visibleTo: visibilityOf(actorOf(req)) }, { offset, limit }) };
      },
    },
    {
      method: 'get',
      path: '/api/instances/:id',
      access: 'instance:read',
      tag: 'instances',
      summary: 'An instance with its current activities and variables',
      params: idParams,
      responses: { 200: { description: 'the instance', entity: 'Instance' } },
      async handle(req: ApiRequest<{ id: string }>) {
        await visibleInstance(workflow, req, req.params.id);
        return { body: await workflow.getInstance(req.params.id) };
      },
    },
    {
      method: 'post',
      path: '/api/instances/:id/cancel',
      access: 'instance:manage',
      audit: { action: 'instance.cancel' },
      tag: 'instances',
      summary: 'Cancel a running instance (and the instances it called)',
      params: idParams,
      body: requests.cancelInstance,
      responses: { 200: { description: 'the cancelled instance', entity: 'Instance' } },
      async handle(req: ApiRequest<{ id: string }, object, { reason?: string | null }>) {
        await visibleInstance(workflow, req, req.params.id);
        return { body: await workflow.cancel(req.params.id, req.body.reason ?? null, req.actor) };
      },
    },
    {
      method: 'post',
      path: '/api/instances/:id/withdraw',
      access: 'instance:start',
      audit: { action: 'instance.withdraw' },
      tag: 'instances',
      summary: 'The initiator withdraws the application (撤回) while nobody else has claimed or completed a task of it',
      params: idParams,
      body: requests.cancelInstance,
      responses: { 200: { description: 'the withdrawn instance', entity: 'Instance' } },
      async handle(req: ApiRequest<{ id: string }, object, { reason?: string | null }>) {
        return { body: await workflow.withdraw(req.params.id, req.body.reason ?? null, req.actor) };
      },
    },
    {
      method: 'put',
      path: '/api/instances/:id/variables',
      access: 'task:handle',
      audit: { action: 'instance.variables' },
      tag: 'instances',
      summary: 'Set case variables (e.g. reclassify the priority: the tasks’ SLA due dates, reminders and escalations are recomputed)',
      params: idParams,
      body: requests.setVariables,
      responses: { 200: { description: 'the instance', entity: 'Instance' } },
      async handle(req: ApiRequest<{ id: string }, object, { variables: Record<string, unknown> }>) {
        const instance = await visibleInstance(workflow, req, req.params.id);
        // Handlers of one of its open tasks, or those with the case in their scope, may reclassify it.
        const open = await workflow.listTasks({ instanceId: instance.id, state: 'active', visibleTo: ownRows(actorOf(req)) }, { offset: 0, limit: 1 });
        if (open.total === 0) demandAssignScope(actorOf(req), instance.departmentId, 'instance', instance.id);
        return { body: await workflow.setVariables(req.params.id, req.body.variables, req.actor) };
      },
    },
    {
      method: 'post',
      path: '/api/instances/migrate',
      access: 'instance:manage',
      audit: { action: 'instance.migrate' },
      tag: 'instances',
      summary: 'Move running instances to another version of their process; all of them or none (dryRun: only check)',
      body: requests.migrateInstances,
      responses: { 200: { description: 'what moved', entity: 'MigrationResult' } },
      async handle(req: ApiRequest<object, object, MigrationRequest>) {
        return { body: await workflow.migrate(req.body, req.actor) };
      },
    },
    {
      method: 'get',
      path: '/api/instances/:id/history',
      access: 'instance:read',
      tag: 'instances',
      summary: 'Everything that happened to an instance, oldest first',
      params: idParams,
      query: requests.historyQuery,
      responses: { 200: { description: 'a page of history events', page: 'HistoryEvent' } },
      async handle(req: ApiRequest<{ id: string }, PageQuery>) {
        await visibleInstance(workflow, req, req.params.id);
        return { body: mapPage(await workflow.history(req.params.id, pageOf(req.query)), historyView) };
      },
    },
    // ---- tasks
    {
      method: 'get',
      path: '/api/tasks',
      access: 'task:read',
      tag: 'tasks',
      summary: 'List tasks (filters combine; candidateUser and candidateGroups together mean "claimable by")',
      query: requests.tasksQuery,
      responses: { 200: { description: 'a page of tasks', page: 'Task' } },
      async handle(req: ApiRequest<object, PageQuery & Record<string, unknown>>) {
        const q = req.query as PageQuery & { dueBefore?: string; dueAfter?: string } & Record<string, unknown>;
        const { offset, limit, dueBefore, dueAfter, ...filter } = q;
        const page = await workflow.listTasks({ ...filter, dueBefore: time(dueBefore), dueAfter: time(dueAfter), visibleTo: visibilityOf(actorOf(req)) }, { offset, limit });
        return { body: mapPage(page, (t) => taskView(t, workflow.services.clock.now())) };
      },
    },
    {
      method: 'get',
      path: '/api/tasks/:id',
      access: 'task:read',
      tag: 'tasks',
      summary: 'One task',
      params: idParams,
      responses: { 200: { description: 'the task', entity: 'Task' } },
      async handle(req: ApiRequest<{ id: string }>) {
        return { body: taskView(await visibleTask(workflow, req, req.params.id), workflow.services.clock.now()) };
      },
    },
    {
      method: 'post',
      path: '/api/tasks/:id/claim',
      access: 'task:handle',
      audit: { action: 'task.claim' },
      tag: 'tasks',
      summary: 'Claim a task for userId (default: the caller)',
      params: idParams,
      body: requests.claimTask,
      responses: { 200: { description: 'the claimed task', entity: 'Task' } },
      async handle(req: ApiRequest<{ id: string }, object, { userId?: string }>) {
        // Claiming for someone else is assigning; for oneself, being a candidate.
        if (req.body.userId && req.body.userId !== req.actor) demandAssign(actorOf(req), await visibleTask(workflow, req, req.params.id));
        else await handledTask(workflow, req, req.params.id);
        return { body: taskView(await workflow.claim(req.params.id, req.body.userId ?? null, req.actor), workflow.services.clock.now()) };
      },
    },
    {
      method: 'post',
      path: '/api/tasks/:id/unclaim',
      access: 'task:handle',
      audit: { action: 'task.unclaim' },
      tag: 'tasks',
      summary: 'Give a claimed task back to its candidates',
      params: idParams,
      responses: { 200: { description: 'the task', entity: 'Task' } },
      async handle(req: ApiRequest<{ id: string }>) {
        await heldOrAssignable(workflow, req, req.params.id);
        return { body: taskView(await workflow.unclaim(req.params.id, req.actor), workflow.services.clock.now()) };
      },
    },
    {
      method: 'post',
      path: '/api/tasks/:id/complete',
      access: 'task:handle',
      audit: { action: 'task.complete' },
      tag: 'tasks',
      summary: 'Complete a task; its variables become process variables. Concurrent completions: one wins, the rest get 409',
      params: idParams,
      body: requests.completeTask,
      responses: { 200: { description: 'the completed task', entity: 'Task' } },
      async handle(req: ApiRequest<{ id: string }, object, { variables?: Record<string, unknown> }>) {
        await handledTask(workflow, req, req.params.id);
        const { task, instance } = await workflow.complete(req.params.id, req.body.variables, req.actor, req.locale);
        return { body: { ...taskView(task, workflow.services.clock.now()), instance } };
      },
    },
    {
      method: 'post',
      path: '/api/tasks/complete-batch',
      access: 'task:handle',
      audit: { action: 'task.complete-batch' },
      tag: 'tasks',
      summary: 'Complete several tasks (batch approval): each on its own, as /complete would; what failed is reported per task',
      body: requests.completeTasks,
      responses: { 200: { description: 'one result per task, in order' } },
      async handle(req: ApiRequest<object, object, { items: Array<{ taskId: string; variables?: Record<string, unknown> }> }>) {
        const results = [];
        for (const item of req.body.items) {
          try {
            await handledTask(workflow, req, item.taskId);
            const { task } = await workflow.complete(item.taskId, item.variables, req.actor, req.locale);
            results.push({ taskId: item.taskId, ok: true, task: taskView(task, workflow.services.clock.now()) });
          } catch (err) {
            const error = toWorkflowError(err);
            if (error.code === 'WF_ERR_INTERNAL') workflow.services.logger.error({ errorId: (error.context as { errorId: string }).errorId, err: err instanceof Error ? err.stack : String(err), taskId: item.taskId }, 'batch completion failed');
            results.push({ taskId: item.taskId, ok: false, error: errorBody(error, req.locale) });
          }
        }
        const succeeded = results.filter((r) => r.ok).length;
        return { body: { succeeded, failed: results.length - succeeded, results } };
      },
    },
    // ---- messages, signals, incidents
    {
      method: 'post',
      path: '/api/messages',
      access: 'message:send',
      audit: { action: 'message.correlate' },
      tag: 'events',
      summary: 'Correlate a message by name and correlation key (404 when nobody waits, unless bufferSeconds is given)',
      body: requests.message,
      responses: { 200: { description: 'delivered or started', entity: 'Delivery' }, 202: { description: 'buffered until a receiver waits', entity: 'Delivery' } },
      async handle(req) {
        const result = await workflow.correlate(req.body, req.actor);
        return { status: result.buffered ? 202 : 200, body: result };
      },
    },
    {
      method: 'post',
      path: '/api/signals',
      access: 'message:send',
      audit: { action: 'signal.broadcast' },
      tag: 'events',
      summary: 'Broadcast a signal to every waiting instance and signal start event',
      body: requests.signal,
      responses: { 200: { description: 'where it went', entity: 'Delivery' } },
      async handle(req) {
        return { body: await workflow.signal(req.body, req.actor) };
      },
    },
    {
      method: 'get',
      path: '/api/incidents',
      access: 'incident:manage',
      tag: 'incidents',
      summary: 'List incidents (failed jobs and timers)',
      query: requests.incidentsQuery,
      responses: { 200: { description: 'a page of incidents', page: 'Incident' } },
      async handle(req: ApiRequest<object, PageQuery & { instanceId?: string; state?: 'open' | 'resolved' }>) {
        const { offset, limit, ...filter } = req.query;
        return { body: mapPage(await workflow.listIncidents(filter, { offset, limit }), incidentView) };
      },
    },
    {
      method: 'post',
      path: '/api/incidents/:id/retry',
      access: 'incident:manage',
      audit: { action: 'incident.retry' },
      tag: 'incidents',
      summary: 'Retry the failed job or timer of an incident now',
      params: idParams,
      responses: { 200: { description: 'the resolved incident', entity: 'Incident' } },
      async handle(req: ApiRequest<{ id: string }>) {
        return { body: incidentView(await workflow.retryIncident(req.params.id, req.actor)) };
      },
    },
  ];
}
