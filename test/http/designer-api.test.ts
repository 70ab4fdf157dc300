/**
 * The designer's server side over HTTP: the linter on a draft (problems by
 * element and line, in the caller's language, nothing deployed), an approval
 * tree compiled (its own problems named by node and field; a malformed tree a
 * 422 naming the path) and read back from BPMN, or the reason it cannot be.
 */
import { expect } from 'chai';
import type express from 'express';
import request from 'supertest';
import { silentLogger } from '../../engine/core/ports.ts';
import { createApp } from '../../engine/http/app.ts';
import { frontOf } from '../../engine/wiring.ts';
import { count } from '../support/databases.ts';
import { demoBpmn, deployDemoForms } from '../support/forms.ts';
import { describeOnBothStores } from '../support/harness.ts';
import { trustedHeader } from '../support/trusted-header.ts';

const tree = {
  key: 'purchase',
  name: '采购申请',
  form: null,
  initiator: {},
  first: {
    type: 'approver',
    id: 'head',
    name: '主管审批',
    assignees: 'department-head',
    next: { type: 'cc', id: 'copy', name: '抄送采购', to: 'role:purchasing', next: null },
  },
};

describeOnBothStores('HTTP API: designer', (ctx) => {
  let app: express.Express;
  beforeEach(() => {
    const { wf, store } = ctx();
    app = createApp({ ...frontOf(wf), logger: silentLogger, authenticate: trustedHeader, ready: () => store.ping() });
  });
  const post = (path: string, body: object, language = 'zh-CN') => request(app).post(path).set('X-User-Id', 'analyst').set('Accept-Language', language).send(body);

  it('lints a draft without deploying it: errors and warnings by element and line, in the caller’s language', async () => {
    const { db, wf } = ctx();
    await deployDemoForms(wf, 'leave-request');
    const broken = demoBpmn('leave').replace('wf:assignees="department-head"', 'wf:assignees="boss"');
    const zh = await post('/api/definitions/lint', { xml: broken });
    expect(zh.status, JSON.stringify(zh.body)).to.equal(200);
    const problem = zh.body.errors.find((p: { elementId?: string }) => p.elementId === 'headApproval');
    expect(problem.line).to.be.a('number');
    expect(problem.message).to.match(/不是处理人规则/);
    const en = await post('/api/definitions/lint', { xml: broken }, 'en');
    expect(en.body.errors.find((p: { elementId?: string }) => p.elementId === 'headApproval').message).to.match(/is not an assignee rule/);
    expect(await count(db, 'wf_definitions')).to.equal(0);
    expect((await post('/api/definitions/lint', { xml: '<definitions' })).body.error.code).to.equal('WF_ERR_BPMN_MALFORMED');
  });

  it('compiles an approval tree to BPMN that deploys, and reads it back', async () => {
    await deployDemoForms(ctx().wf, 'expense-claim');
    const compiled = await post('/api/approval-trees/compile', { tree });
    expect(compiled.status, JSON.stringify(compiled.body)).to.equal(200);
    expect(compiled.body.xml).to.match(/^<\?xml/);
    expect([compiled.body.problems, compiled.body.errors]).to.deep.equal([[], []]);
    expect((await post('/api/definitions', { xml: compiled.body.xml })).status).to.equal(201);
    const read = await post('/api/approval-trees/read', { xml: compiled.body.xml });
    expect(read.body).to.deep.equal({ tree, dropped: [] });
    const notTree = await post('/api/approval-trees/read', { xml: demoBpmn('road-pass') }, 'en');
    expect(notTree.body.reason).to.be.a('string').and.match(/not/);
  });

  it('names the tree’s own problems by node and field, and refuses a malformed tree with the path', async () => {
    const wrong = await post('/api/approval-trees/compile', { tree: { ...tree, form: 'expense-claim', first: { ...tree.first, assignees: 'boss', editable: ['nope'] } } });
    expect(wrong.body.xml).to.equal(null);
    expect(wrong.body.problems.map((p: { nodeId?: string; field: string }) => `${p.nodeId ?? ''}.${p.field}`)).to.deep.equal(['head.assignees', '.form']);
    const malformed = await post('/api/approval-trees/compile', { tree: { ...tree, first: { type: 'approver', id: 'x', name: 'x', next: null } } });
    expect(malformed.status).to.equal(400);
    expect(malformed.body.error.code).to.equal('WF_ERR_VALIDATION');
  });
});
