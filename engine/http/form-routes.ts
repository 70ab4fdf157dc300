/** The forms API: forms and dictionaries, task and start forms with drafts, file uploads. */
import type { FormDefinition, ValidationMode } from '../../forms/index.ts';
import type { DictionaryRecord, DraftRecord, FileRecord, FormRecord } from '../core/model.ts';
import { iso } from '../core/usecases/views.ts';
import type { DictionaryInput, FormSummary, Workflow } from '../core/workflow.ts';
import { actorOf, mapPage, pageOf, type ApiRequest, type PageQuery, type Route, type UploadedFile } from './route.ts';
import { idParams, keyParams, keyVersionParams, requests } from './schemas.ts';
import { taskView } from './api-routes.ts';
import { handledTask, visibleTask } from './guards.ts';

/** Uploads above this are refused before they are read to the end. */
const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const formSummaryView = (f: FormSummary | FormRecord) => ({ id: f.id, key: f.key, version: f.version, title: f.title, hash: f.hash, deployedAt: iso(f.deployedAt), deployedBy: f.deployedBy });
const formView = (f: FormRecord) => ({ ...formSummaryView(f), definition: f.definition });
const dictionaryView = (d: DictionaryRecord) => ({ ...d, updatedAt: iso(d.updatedAt) });
const draftView = (d: DraftRecord) => ({ formKey: d.formKey, formVersion: d.formVersion, data: d.data, updatedAt: iso(d.updatedAt) });
const fileView = (f: FileRecord) => ({ id: f.id, name: f.name, contentType: f.contentType, size: f.size, sha256: f.sha256, instanceId: f.instanceId, createdAt: iso(f.createdAt) });
const withDraftTime = <T extends { draft: { updatedAt: number } | null }>(view: T) => ({ ...view, draft: view.draft && { ...view.draft, updatedAt: iso(view.draft.updatedAt) } });

/** RFC 6266 / 5987: the original (UTF-8) name for browsers, an ASCII fallback for the rest. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function formRoutes(workflow: Workflow): Route[] {
  return [
    // ---- forms
    {
      method: 'post',
      path: '/api/forms',
      access: 'form:deploy',
      audit: { action: 'form.deploy', input: false },
      tag: 'forms',
      summary: 'Deploy a form (JSON Schema 2020-12 + UI schema); identical content returns the existing version',
      body: requests.deployForm,
      responses: { 201: { description: 'a new version', entity: 'Form' }, 200: { description: 'unchanged: the latest version has this content', entity: 'Form' } },
      async handle(req: ApiRequest<object, object, FormDefinition>) {
        const result = await workflow.deployForm(req.body, req.actor);
        return { status: result.created ? 201 : 200, body: { ...formSummaryView(await workflow.getForm(result.key, result.version)), created: result.created }, audit: { form: `${result.key}:${result.version}`, created: result.created } };
      },
    },
    {
      method: 'get',
      path: '/api/forms',
      access: 'form:read',
      tag: 'forms',
      summary: 'List deployed form versions (latest=true: only the newest of each key)',
      query: requests.formsQuery,
      responses: { 200: { description: 'a page of forms', page: 'Form' } },
      async handle(req: ApiRequest<object, PageQuery & { key?: string; latest: boolean }>) {
        const page = await workflow.listForms({ ...(req.query.key && { key: req.query.key }), latestOnly: req.query.latest }, pageOf(req.query));
        return { body: mapPage(page, formSummaryView) };
      },
    },
    {
      method: 'get',
      path: '/api/forms/:key',
      access: 'form:read',
      tag: 'forms',
      summary: 'The latest version of a form, with its definition',
      params: keyParams,
      responses: { 200: { description: 'the form', entity: 'Form' } },
      async handle(req: ApiRequest<{ key: string }>) {
        return { body: formView(await workflow.getForm(req.params.key)) };
      },
    },
    {
      method: 'get',
      path: '/api/forms/:key/versions/:version',
      access: 'form:read',
      tag: 'forms',
      summary: 'One version of a form, with its definition',
      params: keyVersionParams,
      responses: { 200: { description: 'the form', entity: 'Form' } },
      async handle(req: ApiRequest<{ key: string; version: number }>) {
        return { body: formView(await workflow.getForm(req.params.key, req.params.version)) };
      },
    },
    // ---- dictionaries
    {
      method: 'get',
      path: '/api/dictionaries',
      access: 'signed-in',
      tag: 'forms',
      summary: 'Every dictionary (choice lists of select/radio/checkbox fields)',
      responses: { 200: { description: 'the dictionaries' } },
      async handle() {
        return { body: { items: (await workflow.listDictionaries()).map(dictionaryView) } };
      },
    },
    {
      method: 'get',
      path: '/api/dictionaries/:key',
      access: 'signed-in',
      tag: 'forms',
      summary: 'One dictionary',
      params: keyParams,
      responses: { 200: { description: 'the dictionary', entity: 'Dictionary' } },
      async handle(req: ApiRequest<{ key: string }>) {
        return { body: dictionaryView(await workflow.getDictionary(req.params.key)) };
      },
    },
    {
      method: 'put',
      path: '/api/dictionaries/:key',
      access: 'dictionary:manage',
      audit: { action: 'dictionary.put' },
      tag: 'forms',
      summary: 'Create or replace a dictionary; items can be disabled but not removed; pass rev to guard against a concurrent edit',
      params: keyParams,
      body: requests.putDictionary,
      responses: { 200: { description: 'the dictionary', entity: 'Dictionary' } },
      async handle(req: ApiRequest<{ key: string }, object, DictionaryInput & { rev?: number }>) {
        const { rev, ...input } = req.body;
        const before = await workflow.getDictionary(req.params.key).then(dictionaryView, () => null);
        const after = dictionaryView(await workflow.putDictionary(req.params.key, input, rev, req.actor));
        return { body: after, audit: { before, after } };
      },
    },
    // ---- task forms
    {
      method: 'get',
      path: '/api/tasks/:id/form',
      access: 'task:read',
      tag: 'forms',
      summary: "A task's form as its node shows it (hidden fields left out, read-only ones marked), the case's values and the caller's draft",
      params: idParams,
      responses: { 200: { description: 'the form', entity: 'FormView' } },
      async handle(req: ApiRequest<{ id: string }>) {
        await visibleTask(workflow, req, req.params.id);
        return { body: withDraftTime(await workflow.taskForm(req.params.id, req.actor)) };
      },
    },
    {
      method: 'post',
      path: '/api/tasks/:id/form/validate',
      access: 'task:handle',
      tag: 'forms',
      summary: 'Check form data without submitting (mode=draft tolerates missing required fields)',
      params: idParams,
      body: requests.formData,
      responses: { 200: { description: 'valid or the issues, each naming its field', entity: 'FormValidation' } },
      async handle(req: ApiRequest<{ id: string }, object, { data: unknown; mode: ValidationMode }>) {
        await handledTask(workflow, req, req.params.id);
        return { body: await workflow.validateTaskForm(req.params.id, req.body.data, req.actor, req.locale, req.body.mode) };
      },
    },
    {
      method: 'put',
      path: '/api/tasks/:id/form/draft',
      access: 'task:handle',
      tag: 'forms',
      summary: 'Save a draft of the task form (missing required fields allowed, wrong values not)',
      params: idParams,
      body: requests.formData,
      responses: { 200: { description: 'the saved draft', entity: 'Draft' } },
      async handle(req: ApiRequest<{ id: string }, object, { data: unknown }>) {
        await handledTask(workflow, req, req.params.id);
        return { body: draftView(await workflow.saveTaskDraft(req.params.id, req.body.data, req.actor, req.locale)) };
      },
    },
    {
      method: 'delete',
      path: '/api/tasks/:id/form/draft',
      access: 'task:handle',
      tag: 'forms',
      summary: "Discard the caller's draft",
      params: idParams,
      responses: { 204: { description: 'discarded' } },
      async handle(req: ApiRequest<{ id: string }>) {
        await workflow.deleteTaskDraft(req.params.id, req.actor);
        return { status: 204, body: null };
      },
    },
    {
      method: 'post',
      path: '/api/tasks/:id/form/submit',
      access: 'task:handle',
      audit: { action: 'task.complete' },
      tag: 'forms',
      summary: 'Submit the form: validated in full, then the task completes with the values (and uploaded files join the case)',
      params: idParams,
      body: requests.formData,
      responses: { 200: { description: 'the completed task and where the case went', entity: 'Task' } },
      async handle(req: ApiRequest<{ id: string }, object, { data: unknown }>) {
        await handledTask(workflow, req, req.params.id);
        const { task, instance } = await workflow.submitTaskForm(req.params.id, req.body.data, req.actor, req.locale);
        return { body: { ...taskView(task, workflow.services.clock.now()), instance } };
      },
    },
    // ---- start forms
    {
      method: 'get',
      path: '/api/processes',
      access: 'instance:start',
      tag: 'forms',
      summary: 'The processes the caller may start (wf:starters), latest versions: what the portal and the workbench offer',
      responses: { 200: { description: 'the processes' } },
      async handle(req) {
        return { body: { items: await workflow.startableProcesses(actorOf(req)) } };
      },
    },
    {
      method: 'get',
      path: '/api/processes/:key/start-form',
      access: 'instance:start',
      tag: 'forms',
      summary: "The start form of a process's latest version, and the caller's draft",
      params: keyParams,
      responses: { 200: { description: 'the form', entity: 'FormView' } },
      async handle(req: ApiRequest<{ key: string }>) {
        await workflow.demandStart(actorOf(req), req.params.key);
        return { body: withDraftTime(await workflow.startForm(req.params.key, req.actor)) };
      },
    },
    {
      method: 'post',
      path: '/api/processes/:key/start-form/validate',
      access: 'instance:start',
      tag: 'forms',
      summary: 'Check start form data without submitting',
      params: keyParams,
      body: requests.formData,
      responses: { 200: { description: 'valid or the issues', entity: 'FormValidation' } },
      async handle(req: ApiRequest<{ key: string }, object, { data: unknown; mode: ValidationMode }>) {
        await workflow.demandStart(actorOf(req), req.params.key);
        return { body: await workflow.validateStartForm(req.params.key, req.body.data, req.actor, req.locale, req.body.mode) };
      },
    },
    {
      method: 'put',
      path: '/api/processes/:key/start-form/draft',
      access: 'instance:start',
      tag: 'forms',
      summary: 'Save a draft application (暂存)',
      params: keyParams,
      body: requests.formData,
      responses: { 200: { description: 'the saved draft', entity: 'Draft' } },
      async handle(req: ApiRequest<{ key: string }, object, { data: unknown }>) {
        await workflow.demandStart(actorOf(req), req.params.key);
        return { body: draftView(await workflow.saveStartDraft(req.params.key, req.body.data, req.actor, req.locale)) };
      },
    },
    {
      method: 'delete',
      path: '/api/processes/:key/start-form/draft',
      access: 'instance:start',
      tag: 'forms',
      summary: 'Discard the draft application (取消)',
      params: keyParams,
      responses: { 204: { description: 'discarded' } },
      async handle(req: ApiRequest<{ key: string }>) {
        await workflow.deleteStartDraft(req.params.key, req.actor);
        return { status: 204, body: null };
      },
    },
    {
      method: 'post',
      path: '/api/processes/:key/start-form/submit',
      access: 'instance:start',
      audit: { action: 'instance.start' },
      tag: 'forms',
      summary: 'Submit the application: validated in full, then an instance starts with the values and the uploaded materials join the case',
      params: keyParams,
      body: requests.startFormSubmit,
      responses: { 201: { description: 'the started instance', entity: 'Instance' } },
      async handle(req: ApiRequest<{ key: string }, object, { data: unknown; businessKey?: string | null }>) {
        await workflow.demandStart(actorOf(req), req.params.key);
        return { status: 201, body: await workflow.submitStartForm(req.params.key, req.body, req.actor, req.locale) };
      },
    },
    // ---- files
    {
      method: 'post',
      path: '/api/files',
      access: 'file:upload',
      tag: 'forms',
      summary: 'Upload a file (multipart/form-data: file, and optionally form, formVersion, field, material whose limits apply); its type is read from its bytes',
      body: requests.upload,
      multipart: { maxBytes: MAX_UPLOAD_BYTES },
      responses: { 201: { description: 'the stored file', entity: 'File' } },
      async handle(req: ApiRequest<object, object, { file: UploadedFile; form?: string; formVersion?: string | number; field?: string; material?: string }>) {
        const { file, form, formVersion, field, material } = req.body;
        const target = form && field ? { formKey: form, field, ...(formVersion !== undefined && { formVersion: Number(formVersion) }), ...(material && { materialId: material }) } : undefined;
        return { status: 201, body: fileView(await workflow.uploadFile({ name: file.name, bytes: file.bytes, ...(target && { target }) }, req.actor)) };
      },
    },
    {
      method: 'get',
      path: '/api/files/:id',
      access: 'signed-in',
      audit: { action: 'file.read-others' },
      tag: 'forms',
      summary: 'Download a file (its uploader, or a participant of the case it was submitted with); reading another person’s file is audited',
      params: idParams,
      responses: { 200: { description: 'the bytes', contentType: 'application/octet-stream' } },
      async handle(req: ApiRequest<{ id: string }>) {
        const { record, bytes } = await workflow.readFile(req.params.id, req.actor);
        return {
          body: bytes,
          contentType: record.contentType,
          headers: { 'Content-Disposition': attachment(record.name), 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, no-store' },
          // Someone else's file (a clerk reading a citizen's material) is recorded; one's own is not.
          audit: record.owner !== req.actor && { owner: record.owner, name: record.name, instanceId: record.instanceId },
        };
      },
    },
  ];
}
