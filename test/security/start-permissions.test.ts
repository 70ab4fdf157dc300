/**
 * Who may start what: each process declares its starters (wf:starters, or
 * Camunda's candidate starters); a process that says nothing is for staff.
 * A citizen cannot start the internal leave or expense flows, by any route.
 */
import { expect } from 'chai';
import { BACKENDS } from '../support/databases.ts';
import { startProduct, type Product, type Session } from '../support/product.ts';
import { needs } from '../support/services.ts';

const flow = (id: string, attributes: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:wf="http://workflow.dev/schema/bpmn/1.0" id="d-${id}" targetNamespace="t">
  <process id="${id}" name="${id}" isExecutable="true" ${attributes}>
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t1"/>
    <userTask id="t1" name="处理" camunda:assignee="zhangsan"/><sequenceFlow id="f2" sourceRef="t1" targetRef="e"/>
    <endEvent id="e"/>
  </process>
</definitions>`;

for (const backend of BACKENDS) {
  describe(`security: start permissions [${backend}]`, function () {
    needs(this, backend);
    this.timeout(60_000);
    let p: Product;
    let citizen: Session;
    let analyst: Session;

    before(async () => {
      p = await startProduct(backend);
      citizen = await p.loginCitizen('13800000444');
      analyst = await p.login('analyst');
    });

    after(async () => {
      await p?.close();
    });

    const keys = async (session: Session) => ((await session.call('GET', '/api/processes')).body.items as Array<{ key: string }>).map((i) => i.key).sort();

    it('refuses a citizen the internal flows on every start route, naming the process', async () => {
      const started = await citizen.call('POST', '/api/instances', { processKey: 'leave', variables: {} });
      expect(started.status).to.equal(403);
      expect(started.body.error).to.include({ code: 'WF_ERR_START_FORBIDDEN', message: '你不能发起流程 leave' });
      for (const [method, path, body] of [
        ['GET', '/api/processes/leave/start-form', undefined],
        ['POST', '/api/processes/expense/start-form/submit', { data: {} }],
        ['PUT', '/api/processes/leave/start-form/draft', { data: {} }],
        ['POST', '/api/processes/leave/start-form/validate', { data: {} }],
      ] as const) {
        expect((await citizen.call(method, path, body)).status, `${method} ${path}`).to.equal(403);
      }
      const cases = await p.server.db.executor.select(`SELECT COUNT(*) AS n FROM wf_instances WHERE started_by = 'c13800000444'`);
      expect(Number(cases[0]!.n)).to.equal(0);
    });

    it('lists to each person only what they may start', async () => {
      // the hand-drawn services, 实名认证 and the catalog's services (citizens | staff), not the staff's own processes
      const citizens = await keys(citizen);
      expect(citizens.filter((k) => !k.startsWith('svc-'))).to.deep.equal(['fee-payment', 'identity-verification', 'road-pass']);
      expect(citizens.filter((k) => k.startsWith('svc-'))).to.have.length(21);
      const clerk = await p.login('zhangsan');
      expect(await keys(clerk)).to.include.members(['leave', 'expense', 'road-pass', 'fee-payment']);
      const form = (await citizen.call('GET', '/api/processes')).body.items.find((i: { key: string }) => i.key === 'road-pass');
      expect(form).to.include({ hasStartForm: true, name: '禁行道路通行证核发' });
    });

    it('follows roles, posts, departments, users and Camunda’s candidate starters as the model names them', async () => {
      const deploys = [
        flow('finance-only', 'wf:starters="department:finance+children | user:wangwu"'),
        flow('heads-only', 'wf:starters="post:dept-head"'),
        flow('camunda-starters', 'camunda:candidateStarterGroups="supervisor" camunda:candidateStarterUsers="lisi"'),
        flow('open-to-all', 'wf:starters="anyone"'),
      ];
      for (const xml of deploys) expect((await analyst.call('POST', '/api/definitions', { xml })).status).to.equal(201);
      const as = async (user: string) => keys(await p.login(user));
      expect(await as('qianqi'), 'finance staff').to.include('finance-only').and.not.include('heads-only');
      expect(await as('wangwu'), 'named').to.include('finance-only');
      expect(await as('zhangsan'), 'office staff').to.not.include.members(['finance-only', 'heads-only', 'camunda-starters']);
      expect(await as('lisi'), 'a department head, named by Camunda').to.include.members(['heads-only', 'camunda-starters']);
      expect(await as('chenjun'), 'a supervisor').to.include('camunda-starters');
      expect(await keys(citizen)).to.include('open-to-all').and.not.include('finance-only');
      const refused = await (await p.login('zhangsan')).call('POST', '/api/instances', { processKey: 'finance-only' });
      expect(refused.status).to.equal(403);
    });

    it('refuses a model whose starters are misspelt, naming the rule', async () => {
      const answer = await analyst.call('POST', '/api/definitions', { xml: flow('typo', 'wf:starters="citizen | rol:clerk"') });
      expect(answer.status).to.equal(422);
      expect(answer.body.error.message).to.include('wf:starters').and.include('citizen');
    });
  });
}
