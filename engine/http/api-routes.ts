import type { Api, MigrationRequest, StartRequest } from '../core/api/front-door.ts';
import type { Clock } from '../core/ports.ts';
import type { ApprovalTree, Problem } from '../core/api/design.ts';
import { errorBody } from './error-body.ts';
import { actorOf, mapPage, pageOf, type ApiRequest, type PageQuery, type Route } from './route.ts';
import { idParams, keyParams, keyVersionParams, requests } from './schemas.ts';
import { definitionView, historyView, incidentView, instanceView, taskView } from './views.ts';

/** A linter problem with its message in the caller's language. */
const localizedProblem = (p: Problem, locale: 'zh-CN' | 'en') => ({ ...p, message: p.message[locale] });

const time = (value: string | undefined) => (value === undefined ? undefined : Date.parse(value));

export function apiRoutes(api: Api, clock: Clock): Route[] {
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
      async handle(req: ApiRequest<object, object, { xml: string; scenarioOverride?: string }>) {
        const override = req.body.scenarioOverride;
        const definitions = await api.design.deploy(actorOf(req), req.body.xml, override ? { scenarioOverride: override } : {});
        // Warnings in the caller's language, as errors are.
        const body = { definitions: definitions.map((d) => ({ ...d, warnings: d.warnings.map((w) => localizedProblem(w, req.locale)) })) };
        return {
          status: definitions.some((d) => d.created) ? 201 : 200,
          body,
          audit: { definitions: definitions.map((d) => ({ id: d.id, created: d.created })), ...(override && { scenarioOverride: override }) },
        };
      },
    },
    {
      method: 'post',
      path: '/api/definitions/lint',
      access: 'definition:deploy',
      tag: 'definitions',
      summary: 'What deploying a BPMN file would find (errors refuse it, warnings do not); deploys nothing',
      body: requests.deployJson,
      acceptsXml: true,
      responses: { 200: { description: 'the problems, each naming its element and line' } },
      async handle(req: ApiRequest<object, object, { xml: string }>) {
        const { errors, warnings } = await api.design.lint(actorOf(req), req.body.xml);
        return { body: { errors: errors.map((p) => localizedProblem(p, req.locale)), warnings: warnings.map((p) => localizedProblem(p, req.locale)) } };
      },
    },
    {
      method: 'post',
      path: '/api/definitions/simulate',
      access: 'definition:deploy',
      tag: 'definitions',
      summary: "Run a draft's scenarios (saved in it, or given) on a virtual clock in sandboxes: connectors only record, no live table is written",
      body: requests.simulate,
      responses: { 200: { description: "each scenario's steps passed or failed, path, tasks, calls and notices" } },
      async handle(req: ApiRequest<object, object, { xml: string; scenarios?: unknown[] }>) {
        const run = await api.design.simulate(actorOf(req), req.body.xml, req.body.scenarios);
        const text = (m: { 'zh-CN': string; en: string } | undefined) => m?.[req.locale];
        return {
          body: {
            problems: run.problems.map((p) => ({ ...p, message: text(p.message) })),
            results: run.results.map((r) => ({ ...r, steps: r.steps.map((s) => ({ ...s, message: text(s.message) })) })),
          },
        };
      },
    },
    {
      method: 'get',
      path: '/api/designer/vocabulary',
      access: 'definition:read',
      tag: 'definitions',
      summary: 'What the designer offers: the wf: BPMN extension descriptor, working calendars, SLA tables, handler names',
      responses: { 200: { description: 'the vocabulary' } },
      async handle(req: ApiRequest) {
        return { body: api.design.vocabulary(actorOf(req)) };
      },
    },
    {
      method: 'post',
      path: '/api/approval-trees/compile',
      access: 'definition:deploy',
      tag: 'definitions',
      summary: 'An approval tree as BPMN with its diagram, checked as deploying would check it (deploy the xml with POST /api/definitions)',
      body: requests.approvalTree,
      responses: { 200: { description: "the BPMN (null while the tree has problems), the tree's problems and the linter's" } },
      async handle(req: ApiRequest<object, object, { tree: ApprovalTree }>) {
        const compiled = await api.design.compileApprovalTree(actorOf(req), req.body.tree);
        return {
          body: {
            xml: compiled.xml,
            problems: compiled.problems.map((p) => ({ ...p, message: p.message[req.locale] })),
            errors: compiled.errors.map((p) => localizedProblem(p, req.locale)),
            warnings: compiled.warnings.map((p) => localizedProblem(p, req.locale)),
          },
        };
      },
    },
    {
      method: 'post',
      path: '/api/approval-trees/read',
      access: 'definition:read',
      tag: 'definitions',
      summary: 'A BPMN process as an approval tree (with the settings the tree cannot hold), or why it is not one',
      body: requests.deployJson,
      acceptsXml: true,
      responses: { 200: { description: '{tree, dropped} or {reason, elementId}' } },
      async handle(req: ApiRequest<object, object, { xml: string }>) {
        const read = await api.design.approvalTree(actorOf(req), req.body.xml);
        return { body: 'reason' in read ? { ...read, reason: read.reason[req.locale] } : read };
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
        const result = await api.design.definitions(actorOf(req), { ...(req.query.key && { key: req.query.key }), latestOnly: req.query.latest }, pageOf(req.query));
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
        return { body: definitionView(await api.design.definition(actorOf(req), req.params.key)) };
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
        const versions = await api.design.versions(actorOf(req), req.params.key);
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
        return { body: definitionView(await api.design.definition(actorOf(req), req.params.key, req.params.version)) };
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
        const record = await api.design.definition(actorOf(req), req.params.key, req.query.version);
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
        return { status: 201, body: instanceView(await api.cases.start(actorOf(req), req.body, req.locale)) };
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
        return { body: mapPage(await api.cases.list(actorOf(req), filter, { offset, limit }), instanceView) };
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
        return { body: instanceView(await api.cases.get(actorOf(req), req.params.id)) };
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
        return { body: instanceView(await api.cases.cancel(actorOf(req), req.params.id, req.body.reason ?? null)) };
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
        return { body: instanceView(await api.cases.withdraw(actorOf(req), req.params.id, req.body.reason ?? null)) };
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
        return { body: instanceView(await api.cases.setVariables(actorOf(req), req.params.id, req.body.variables)) };
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
        return { body: await api.cases.migrate(actorOf(req), req.body) };
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
        return { body: mapPage(await api.cases.history(actorOf(req), req.params.id, pageOf(req.query)), historyView) };
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
        const page = await api.tasks.list(actorOf(req), { ...filter, dueBefore: time(dueBefore), dueAfter: time(dueAfter) }, { offset, limit });
        return { body: mapPage(page, (t) => taskView(t, clock.now())) };
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
        return { body: taskView(await api.tasks.get(actorOf(req), req.params.id), clock.now()) };
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
        return { body: taskView(await api.tasks.claim(actorOf(req), req.params.id, req.body.userId ?? null), clock.now()) };
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
        return { body: taskView(await api.tasks.unclaim(actorOf(req), req.params.id), clock.now()) };
      },
    },
    {
      method: 'post',
      path: '/api/tasks/:id/complete',
      access: 'task:handle',
      audit: { action: 'task.complete' },
      tag: 'tasks',
      summary: "Complete a task; its variables become process variables. Concurrent completions: one wins, the rest get 409. rescue: an admin (instance:manage) completes a task someone else holds (recorded as such)",
      params: idParams,
      body: requests.completeTask,
      responses: { 200: { description: 'the completed task', entity: 'Task' } },
      async handle(req: ApiRequest<{ id: string }, object, { variables?: Record<string, unknown>; rescue?: boolean }>) {
        const { task, instance } = await api.tasks.complete(actorOf(req), req.params.id, req.body.variables, req.locale, req.body.rescue === true);
        return { body: { ...taskView(task, clock.now()), instance: instanceView(instance) } };
      },
    },
    ...['/api/tasks/:id/bpmn-error', '/engine-rest/task/:id/bpmnError'].map(
      (path): Route => ({
        method: 'post',
        path,
        access: 'task:handle',
        audit: { action: 'task.bpmn-error' },
        tag: 'tasks',
        summary: 'Throw a BPMN error from a user task (Camunda: task bpmnError): the boundary event catching its code takes the flow; none catching it is refused (422). rescue: as for complete',
        params: idParams,
        body: requests.taskError,
        responses: { 200: { description: 'the case after the error was caught', entity: 'Instance' } },
        async handle(req: ApiRequest<{ id: string }, object, { errorCode: string; errorMessage?: string; variables?: Record<string, unknown>; rescue?: boolean }>) {
          const { errorCode, errorMessage, variables, rescue } = req.body;
          const instance = await api.tasks.throwError(actorOf(req), req.params.id, { code: errorCode, message: errorMessage ?? null, ...(variables && { variables }) }, rescue === true);
          return { body: instanceView(instance), audit: { code: errorCode } };
        },
      }),
    ),
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
        const outcomes = await api.tasks.completeBatch(actorOf(req), req.body.items, req.locale);
        const results = outcomes.map((o) => (o.ok ? { taskId: o.taskId, ok: true, task: taskView(o.task, clock.now()) } : { taskId: o.taskId, ok: false, error: errorBody(o.error, req.locale) }));
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
        const result = await api.operations.correlate(actorOf(req), req.body);
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
        return { body: await api.operations.signal(actorOf(req), req.body) };
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
        return { body: mapPage(await api.operations.incidents(actorOf(req), filter, { offset, limit }), incidentView) };
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
        return { body: incidentView(await api.operations.retryIncident(actorOf(req), req.params.id)) };
      },
    },
  ];
}
