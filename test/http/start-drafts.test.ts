import { expect } from 'chai';
import type express from 'express';
import request from 'supertest';
import { silentLogger } from '../../engine/core/ports.ts';
import { createApp } from '../../engine/http/app.ts';
import { frontOf } from '../../engine/wiring.ts';
import { deployDemoForms, demoBpmn } from '../support/forms.ts';
import { describeOnBothStores } from '../support/harness.ts';
import { trustedHeader } from '../support/trusted-header.ts';

/** A process a person starts without a form. */
const NO_FORM = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://workflow.dev/test">
  <process id="no-form" isExecutable="true"><startEvent id="s" /><sequenceFlow id="f" sourceRef="s" targetRef="e" /><endEvent id="e" /></process>
</definitions>`;

describeOnBothStores('HTTP API: startable processes with the caller’s drafts', (ctx) => {
  let app: express.Express;
  beforeEach(async () => {
    const { wf, store } = ctx();
    app = createApp({ ...frontOf(wf), logger: silentLogger, authenticate: trustedHeader, ready: () => store.ping() });
    await deployDemoForms(wf, 'leave-request');
    await wf.deploy(demoBpmn('leave'), 'analyst');
    await wf.deploy(NO_FORM, 'analyst');
  });

  const as = (user: string) => ({
    get: (path: string) => request(app).get(path).set('X-User-Id', user),
    put: (path: string, body: object) => request(app).put(path).set('X-User-Id', user).send(body),
    post: (path: string, body: object) => request(app).post(path).set('X-User-Id', user).send(body),
    delete: (path: string) => request(app).delete(path).set('X-User-Id', user),
  });
  const processes = async (user: string) => {
    const res = await as(user).get('/api/processes').expect(200);
    return Object.fromEntries((res.body.items as Array<{ key: string; draft: unknown }>).map((p) => [p.key, p.draft]));
  };

  it('lists each process with the caller’s saved start-form draft (暂存), until it is discarded or submitted', async () => {
    expect(await processes('zhangsan')).to.deep.equal({ leave: null, 'no-form': null });

    const saved = await as('zhangsan').put('/api/processes/leave/start-form/draft', { data: { leaveType: 'annual', startDate: '2026-12-07' } });
    expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
    const listed = await processes('zhangsan');
    expect(listed.leave).to.deep.equal({ formKey: 'leave-request', formVersion: 1, updatedAt: saved.body.updatedAt });
    expect(listed.leave)
      .to.have.property('updatedAt')
      .that.matches(/^\d{4}-\d{2}-\d{2}T/);
    expect(listed['no-form'], 'a process without a start form has no draft').to.equal(null);
    expect((await processes('lisi')).leave, 'drafts are their owner’s alone').to.equal(null);

    await as('zhangsan').delete('/api/processes/leave/start-form/draft').expect(204);
    expect((await processes('zhangsan')).leave).to.equal(null);

    await as('zhangsan')
      .put('/api/processes/leave/start-form/draft', { data: { leaveType: 'annual' } })
      .expect(200);
    const started = await as('zhangsan').post('/api/processes/leave/start-form/submit', { data: { leaveType: 'annual', startDate: '2026-12-07', endDate: '2026-12-08', reason: '探亲' } });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    expect((await processes('zhangsan')).leave, 'submitting the application uses the draft up').to.equal(null);
  });
});
