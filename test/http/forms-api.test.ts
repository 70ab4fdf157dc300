import { expect } from 'chai';
import type express from 'express';
import request from 'supertest';
import { silentLogger } from '../../engine/core/ports.ts';
import { createApp } from '../../engine/http/app.ts';
import { nobody, trustedHeader } from '../support/trusted-header.ts';
import { count } from '../support/databases.ts';
import { deployDemoForms, demoBpmn, demoForm, EXE, JPEG, PDF, PNG, roadPassApplication } from '../support/forms.ts';
import { describeOnBothStores } from '../support/harness.ts';
import { frontOf } from '../../engine/wiring.ts';

describeOnBothStores('HTTP API: forms', (ctx) => {
  let app: express.Express;
  beforeEach(() => {
    const { wf, store } = ctx();
    app = createApp({ ...frontOf(wf), logger: silentLogger, authenticate: trustedHeader, ready: () => store.ping() });
  });

  const json = (method: 'post' | 'put' | 'get' | 'delete', path: string, user = 'zhangsan', language = 'zh-CN') => request(app)[method](path).set('X-User-Id', user).set('Accept-Language', language);

  it('deploys forms (201, then 200 when unchanged), refuses a broken one with 422 naming each problem, and lists and returns versions', async () => {
    await deployDemoForms(ctx().wf);
    const form = demoForm('leave-request');
    const created = await json('post', '/api/forms', 'analyst').send(form);
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body).to.include({ key: 'leave-request', version: 1, created: true, deployedBy: 'analyst' });
    expect((await json('post', '/api/forms', 'analyst').send(form)).status).to.equal(200);

    const broken = await json('post', '/api/forms', 'analyst', 'en').send({
      ...form,
      schema: { ...form.schema, properties: { ...form.schema.properties, kind: { type: 'string', 'x-dictionary': 'nope' } } },
    });
    expect(broken.status).to.equal(422);
    expect(broken.body.error).to.include({ code: 'WF_ERR_FORM_INVALID', field: '/schema/properties/kind/x-dictionary' });
    expect(broken.body.error.message).to.equal('The form definition has 1 error(s): there is no dictionary nope (at /schema/properties/kind/x-dictionary)');
    expect((await json('post', '/api/forms', 'analyst').send({ key: 'x', title: { 'zh-CN': '无' } })).body.error).to.include({ code: 'WF_ERR_VALIDATION' });

    expect((await json('get', '/api/forms?latest=true').expect(200)).body.items.map((f: { key: string }) => f.key)).to.deep.equal(['leave-request']);
    expect((await json('get', '/api/forms/leave-request').expect(200)).body.definition).to.deep.equal(form);
    expect((await json('get', '/api/forms/leave-request/versions/1').expect(200)).body.version).to.equal(1);
    expect((await json('get', '/api/forms/leave-request/versions/9')).body.error.code).to.equal('WF_ERR_FORM_NOT_FOUND');
  });

  it('edits dictionaries with a revision guard', async () => {
    const put = (body: object) => json('put', '/api/dictionaries/titles', 'admin').send(body);
    const name = { 'zh-CN': '职称', en: 'Titles' };
    const first = await put({ name, items: [{ value: 'senior', label: { 'zh-CN': '高级', en: 'Senior' } }] });
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.body).to.include({ key: 'titles', rev: 1, updatedBy: 'admin' });
    const items = [
      { value: 'senior', label: { 'zh-CN': '高级', en: 'Senior' }, disabled: true },
      { value: 'middle', label: { 'zh-CN': '中级', en: 'Intermediate' } },
    ];
    expect((await put({ name, items, rev: 1 })).body.rev).to.equal(2);
    expect((await put({ name, items, rev: 1 })).body.error.code).to.equal('WF_ERR_CONCURRENT_MODIFICATION');
    expect((await put({ name, items: [{ value: 'x', label: { 'zh-CN': 'x' } }] })).body.error).to.include({ code: 'WF_ERR_VALIDATION', field: 'body.items.0.label.en' });
    expect((await json('get', '/api/dictionaries/titles').expect(200)).body.items).to.deep.equal(items);
    expect((await json('get', '/api/dictionaries').expect(200)).body.items).to.have.length(1);
    expect((await json('get', '/api/dictionaries/nope')).status).to.equal(404);
  });

  it('serves a start form, refuses bad data with 422 in Chinese by default, and starts the case from good data', async () => {
    await deployDemoForms(ctx().wf, 'leave-request');
    await ctx().wf.deploy(demoBpmn('leave'), 'analyst');
    const form = await json('get', '/api/processes/leave/start-form').expect(200);
    expect(form.body.form.schema.properties).to.not.have.property('approved');
    expect(form.body.draft).to.equal(null);

    const draft = await json('put', '/api/processes/leave/start-form/draft').send({ data: { leaveType: 'sick' } });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(200);
    expect((await json('get', '/api/processes/leave/start-form').expect(200)).body.draft).to.deep.include({ data: { leaveType: 'sick' } });

    const checked = await json('post', '/api/processes/leave/start-form/validate')
      .send({ data: { leaveType: 'sick' }, mode: 'submit' })
      .expect(200);
    expect(checked.body.valid).to.equal(false);
    expect(checked.body.issues.map((i: { pointer: string }) => i.pointer)).to.have.members(['/startDate', '/endDate', '/days', '/reason', '/sickNote']);

    const bad = await request(app)
      .post('/api/processes/leave/start-form/submit')
      .set('X-User-Id', 'zhangsan')
      .send({ data: { leaveType: 'annual', startDate: '2026-12-08', endDate: '2026-12-07', reason: '探亲' } });
    expect(bad.status).to.equal(422);
    expect(bad.body.error.code).to.equal('WF_ERR_FORM_DATA_INVALID');
    expect(bad.body.error.message).to.equal('表单有 1 处需要修改：请假天数：无法计算，请检查开始日期、结束日期');

    const started = await json('post', '/api/processes/leave/start-form/submit').send({
      data: { leaveType: 'annual', startDate: '2026-12-07', endDate: '2026-12-08', reason: '探亲' },
      businessKey: 'QJ-2026-0001',
    });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    expect(started.body).to.include({ businessKey: 'QJ-2026-0001', state: 'running' });
    expect(started.body.variables).to.include({ days: 2 });
    expect((await json('get', '/api/processes/leave/start-form').expect(200)).body.draft).to.equal(null);

    const taskId = started.body.activities.find((a: { kind: string }) => a.kind === 'task').taskId as string;
    const taskForm = await json('get', `/api/tasks/${taskId}/form`, 'lisi').expect(200);
    expect(taskForm.body.values).to.deep.include({ reason: '探亲', days: 2 });
    const refused = await json('post', `/api/tasks/${taskId}/form/submit`, 'lisi', 'en').send({ data: { days: 30, approved: 'yes' } });
    expect(refused.status).to.equal(422);
    // A computed field is read-only like any other: a different value is refused, not silently recomputed.
    expect(refused.body.error.message).to.equal('The form has 2 problem(s): Days: is computed and cannot be changed; Decision: must be a boolean');
    // The value it computes to may come back (a browser form computes it too).
    const done = await json('post', `/api/tasks/${taskId}/form/submit`, 'lisi').send({ data: { days: 2, approved: false, comment: '时间冲突' } });
    expect(done.status, JSON.stringify(done.body)).to.equal(200);
    expect(done.body.instance.state).to.equal('completed');
    expect((await json('get', `/api/tasks/${taskId}/form`)).body.error, 'a finished task still shows its form').to.equal(undefined);
  });

  it('uploads files as multipart, reads their type from the bytes, and lets only the owner download them', async () => {
    await deployDemoForms(ctx().wf, 'road-pass-application');
    await ctx().wf.deploy(demoBpmn('road-pass'), 'analyst');
    const upload = (bytes: Buffer, name: string, material?: string, user = 'zhangsan') => {
      const req = request(app).post('/api/files').set('X-User-Id', user).set('Accept-Language', 'en');
      if (material) req.field('form', 'road-pass-application').field('field', 'materials').field('material', material);
      return req.attach('file', bytes, name);
    };

    const front = await upload(JPEG, '身份证正面.jpg', 'id-card');
    expect(front.status, JSON.stringify(front.body)).to.equal(201);
    expect(front.body).to.include({ name: '身份证正面.jpg', contentType: 'image/jpeg', size: JPEG.length, instanceId: null });
    const licence = await upload(PDF, 'licence.pdf', 'vehicle-licence');

    const disguised = await upload(EXE, 'photo.png');
    expect(disguised.status).to.equal(415);
    expect(disguised.body.error.message).to.equal('The file photo.png (application/octet-stream) is not accepted; allowed: image/jpeg, image/png, image/gif, image/webp, application/pdf');
    expect((await upload(PDF, 'id.pdf', 'id-card')).status, 'the ID card takes images only').to.equal(415);
    expect((await upload(Buffer.concat([PNG, Buffer.alloc(6 * 1024 * 1024)]), 'big.png', 'id-card')).body.error.code).to.equal('WF_ERR_FILE_TOO_LARGE');
    expect((await request(app).post('/api/files').set('X-User-Id', 'zhangsan').field('form', 'road-pass-application')).body.error).to.include({ code: 'WF_ERR_VALIDATION', field: 'body.file' });
    expect((await request(app).post('/api/files').set('X-User-Id', 'zhangsan').send({ file: 'x' })).status).to.equal(415);
    const anonymous = createApp({ ...frontOf(ctx().wf), logger: silentLogger, authenticate: nobody, ready: () => ctx().store.ping() });
    expect((await request(anonymous).post('/api/files').attach('file', PNG, 'a.png')).body.error.code, 'anonymous').to.equal('WF_ERR_UNAUTHENTICATED');
    expect(await count(ctx().db, 'wf_files')).to.equal(2);

    const download = await request(app)
      .get(`/api/files/${front.body.id}`)
      .set('X-User-Id', 'zhangsan')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(download.status).to.equal(200);
    expect((download.body as Buffer).equals(JPEG)).to.equal(true);
    expect(download.headers['content-type']).to.equal('image/jpeg');
    expect(download.headers['x-content-type-options']).to.equal('nosniff');
    expect(download.headers['content-disposition']).to.equal(`attachment; filename="_____.jpg"; filename*=UTF-8''${encodeURIComponent('身份证正面.jpg')}`);
    expect((await request(app).get(`/api/files/${front.body.id}`).set('X-User-Id', 'lisi')).status).to.equal(404);
    // What a stored file is, for a form to show it by its name: to the same people only.
    const info = await request(app).get(`/api/files/${front.body.id}/info`).set('X-User-Id', 'zhangsan');
    expect(info.body).to.include({ id: front.body.id, name: '身份证正面.jpg', size: JPEG.length, contentType: 'image/jpeg' });
    expect((await request(app).get(`/api/files/${front.body.id}/info`).set('X-User-Id', 'lisi')).status).to.equal(404);

    const submitted = await json('post', '/api/processes/road-pass/start-form/submit').send({ data: roadPassApplication({ idCard: [front.body.id], licence: [licence.body.id] }) });
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);
    expect((await request(app).get(`/api/files/${licence.body.id}`).set('X-User-Id', 'zhangsan')).status).to.equal(200);
  });

  it('describes the forms API in openapi.json', async () => {
    const doc = (await request(app).get('/api/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    for (const [path, method] of [
      ['/api/forms', 'post'],
      ['/api/dictionaries/{key}', 'put'],
      ['/api/tasks/{id}/form', 'get'],
      ['/api/tasks/{id}/form/submit', 'post'],
      ['/api/tasks/{id}/form/draft', 'put'],
      ['/api/processes/{key}/start-form/submit', 'post'],
      ['/api/files', 'post'],
      ['/api/files/{id}', 'get'],
    ] as const) {
      expect(doc.paths[path], path).to.have.property(method);
    }
  });
});
