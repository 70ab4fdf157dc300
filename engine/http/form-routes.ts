/** The forms API: forms and dictionaries, task and start forms with drafts, file uploads. */
import type { FormDefinition, ValidationMode } from '../../forms/index.ts';
import type { Api, DictionaryInput } from '../core/api/front-door.ts';
import type { Clock } from '../core/ports.ts';
import { actorOf, mapPage, pageOf, type ApiRequest, type PageQuery, type Route, type UploadedFile } from './route.ts';
import { idParams, keyParams, keyVersionParams, requests } from './schemas.ts';
import { dictionaryView, draftView, fileView, formSummaryView, formView, instanceView, iso, taskView, withDraftTime } from './views.ts';

/** Uploads above this are refused before they are read to the end. */
const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** RFC 6266 / 5987: the original (UTF-8) name for browsers, an ASCII fallback for the rest. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Someone else's file (a clerk reading a citizen's material, or its name) is recorded; one's own is not. */
const othersFileAudit = (record: { owner: string; name: string; instanceId: string | null }, othersFile: boolean) =>
  othersFile && { owner: record.owner, name: record.name, instanceId: record.instanceId };

export function formRoutes(api: Api, clock: Clock): Route[] {
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
        const result = await api.design.deployForm(actorOf(req), req.body);
        return {
          status: result.created ? 201 : 200,
          body: { ...formSummaryView(await api.design.form(actorOf(req), result.key, result.version)), created: result.created },
          audit: { form: `${result.key}:${result.version}`, created: result.created },
        };
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
        const page = await api.design.forms(actorOf(req), { ...(req.query.key && { key: req.query.key }), latestOnly: req.query.latest }, pageOf(req.query));
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
        return { body: formView(await api.design.form(actorOf(req), req.params.key)) };
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
        return { body: formView(await api.design.form(actorOf(req), req.params.key, req.params.version)) };
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
      async handle(req) {
        return { body: { items: (await api.design.dictionaries(actorOf(req))).map(dictionaryView) } };
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
        return { body: dictionaryView(await api.design.dictionary(actorOf(req), req.params.key)) };
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
        const { before, after } = await api.design.putDictionary(actorOf(req), req.params.key, input, rev);
        return { body: dictionaryView(after), audit: { before: before && dictionaryView(before), after: dictionaryView(after) } };
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
        return { body: withDraftTime(await api.tasks.form(actorOf(req), req.params.id)) };
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
        return { body: await api.tasks.validateForm(actorOf(req), req.params.id, req.body.data, req.locale, req.body.mode) };
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
        return { body: draftView(await api.tasks.saveDraft(actorOf(req), req.params.id, req.body.data, req.locale)) };
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
        await api.tasks.deleteDraft(actorOf(req), req.params.id);
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
        const { task, instance } = await api.tasks.submitForm(actorOf(req), req.params.id, req.body.data, req.locale);
        return { body: { ...taskView(task, clock.now()), instance: instanceView(instance) } };
      },
    },
    // ---- start forms
    {
      method: 'get',
      path: '/api/processes',
      access: 'instance:start',
      tag: 'forms',
      summary:
        "The processes the caller may start (wf:starters), latest versions, each with the caller's saved draft of its start form (draft: formKey, formVersion, updatedAt; null when none): what the portal and the workbench offer",
      responses: { 200: { description: 'the processes' } },
      async handle(req) {
        const items = await api.cases.startable(actorOf(req));
        return { body: { items: items.map((p) => ({ ...p, draft: p.draft && { ...p.draft, updatedAt: iso(p.draft.updatedAt) } })) } };
      },
    },
    {
      method: 'get',
      path: '/api/me/identity',
      access: 'signed-in',
      tag: 'forms',
      summary: 'The caller’s real-name level (实名认证, 0–3) and the process they start to raise it (null when none is offered to them)',
      responses: { 200: { description: 'the level and the process' } },
      async handle(req) {
        return { body: await api.cases.identity(actorOf(req)) };
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
        return { body: withDraftTime(await api.cases.startForm(actorOf(req), req.params.key)) };
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
        return { body: await api.cases.validateStartForm(actorOf(req), req.params.key, req.body.data, req.locale, req.body.mode) };
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
        return { body: draftView(await api.cases.saveStartDraft(actorOf(req), req.params.key, req.body.data, req.locale)) };
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
        await api.cases.deleteStartDraft(actorOf(req), req.params.key);
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
        return { status: 201, body: instanceView(await api.cases.submitStartForm(actorOf(req), req.params.key, req.body, req.locale)) };
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
        return { status: 201, body: fileView(await api.cases.upload(actorOf(req), { name: file.name, bytes: file.bytes, ...(target && { target }) })) };
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
        const { record, bytes, othersFile } = await api.cases.readFile(actorOf(req), req.params.id);
        return {
          body: bytes,
          contentType: record.contentType,
          headers: { 'Content-Disposition': attachment(record.name), 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, no-store' },
          audit: othersFileAudit(record, othersFile),
        };
      },
    },
    {
      method: 'get',
      path: '/api/files/:id/info',
      access: 'signed-in',
      audit: { action: 'file.read-others' },
      tag: 'forms',
      summary: 'What a file is — its name, size and type — to whoever may download it (a form shows a stored file by its name); another person’s is audited',
      params: idParams,
      responses: { 200: { description: 'the file', entity: 'File' } },
      async handle(req: ApiRequest<{ id: string }>) {
        const { record, othersFile } = await api.cases.fileInfo(actorOf(req), req.params.id);
        return { body: fileView(record), headers: { 'Cache-Control': 'private, no-store' }, audit: othersFileAudit(record, othersFile) };
      },
    },
  ];
}
