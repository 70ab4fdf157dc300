import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type express from 'express';
import request from 'supertest';
import { silentLogger } from '../../engine/core/ports.ts';
import { allRoutes, createApp } from '../../engine/http/app.ts';
import { nobody, trustedHeader } from '../support/trusted-header.ts';
import { count } from '../support/databases.ts';
import { describeOnBothStores, fixture, type TestContext } from '../support/harness.ts';
import { frontOf } from '../../engine/wiring.ts';

/** The JSON error body every failed request carries. */
interface ErrorBody {
  error: { code: string; status: number; message: string; field?: string; details: Record<string, unknown> };
}

const DAY = 24 * 3600_000;

/** A second version of a fixture: same process key, different content. */
const renamed = (xml: string, from: string, to: string): string => {
  expect(xml, `fixture contains ${from}`).to.include(from);
  return xml.replace(from, to);
};

describeOnBothStores('HTTP API', (ctx) => {
  let app: express.Express;

  beforeEach(() => {
    const { wf, store } = ctx();
    app = createApp({ ...frontOf(wf), logger: silentLogger, authenticate: trustedHeader, ready: () => store.ping() });
  });

  const expectError = (res: request.Response, status: number, code: string): ErrorBody['error'] => {
    expect(res.status, JSON.stringify(res.body)).to.equal(status);
    const body = res.body as ErrorBody;
    expect(body.error.code).to.equal(code);
    expect(body.error.status).to.equal(status);
    expect(body.error.message).to.be.a('string').and.have.length.above(0);
    return body.error;
  };

  const deployXml = async (xml: string, user = 'deployer') => {
    const res = await request(app).post('/api/definitions').set('Content-Type', 'application/xml').set('X-User-Id', user).send(xml);
    expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
    return res;
  };

  const start = async (processKey: string, variables: Record<string, unknown> = {}, businessKey: string | null = null, user = 'starter') => {
    const res = await request(app).post('/api/instances').set('X-User-Id', user).send({ processKey, businessKey, variables });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { id: string; state: string; activities: Array<{ activityId: string; kind: string; taskId?: string }>; variables: Record<string, unknown> };
  };

  /** Variables every http-tasks instance needs (its review task evaluates them). */
  const reviewVars = (overrides: Record<string, unknown> = {}) => ({ assignee: null, candidates: null, groups: null, due: null, ...overrides });

  const taskIdOf = (instance: { activities: Array<{ activityId: string; taskId?: string }> }, activityId: string): string => {
    const activity = instance.activities.find((a) => a.activityId === activityId);
    expect(activity, `instance waits in ${activityId}`).to.not.equal(undefined);
    expect(activity!.taskId).to.be.a('string');
    return activity!.taskId!;
  };

  const getInstance = async (id: string) => {
    const res = await request(app).get(`/api/instances/${id}`);
    expect(res.status).to.equal(200);
    return res.body as { id: string; state: string; activities: Array<{ activityId: string; kind: string; taskId?: string }>; variables: Record<string, unknown> };
  };

  // ---- definitions ------------------------------------------------------------------------

  describe('definitions', () => {
    it('deploys application/xml with 201, and identical content again with 200 and created:false', async () => {
      const first = await request(app).post('/api/definitions').set('Content-Type', 'application/xml').set('X-User-Id', 'dora').send(fixture('http-tasks'));
      expect(first.status).to.equal(201);
      expect(first.body.definitions).to.have.length(1);
      expect(first.body.definitions[0]).to.include({ id: 'http-tasks:1', key: 'http-tasks', version: 1, name: 'HTTP tasks', created: true });
      expect(first.body.definitions[0].warnings).to.deep.equal([]);

      const again = await request(app).post('/api/definitions').set('Content-Type', 'application/xml').send(fixture('http-tasks'));
      expect(again.status).to.equal(200);
      expect(again.body.definitions[0]).to.include({ id: 'http-tasks:1', version: 1, created: false });
      expect(await count(ctx().db, 'wf_definitions')).to.equal(1);

      const stored = await request(app).get('/api/definitions/http-tasks');
      expect(stored.body).to.include({ deployedBy: 'dora', version: 1 });
    });

    it('deploys a JSON {xml} body the same way; the same content by either route is unchanged', async () => {
      const first = await request(app).post('/api/definitions').send({ xml: fixture('http-tasks') });
      expect(first.status).to.equal(201);
      expect(first.body.definitions[0]).to.include({ key: 'http-tasks', version: 1, created: true });

      const json = await request(app).post('/api/definitions').send({ xml: fixture('http-tasks') });
      expect(json.status).to.equal(200);
      expect(json.body.definitions[0]).to.include({ version: 1, created: false });

      const xml = await request(app).post('/api/definitions').set('Content-Type', 'text/xml').send(fixture('http-tasks'));
      expect(xml.status).to.equal(200);
      expect(xml.body.definitions[0]).to.include({ version: 1, created: false });
    });

    it('deploys every executable process of a file, and changed content becomes the next version', async () => {
      const res = await deployXml(fixture('http-events'));
      expect(res.status).to.equal(201);
      expect(res.body.definitions.map((d: { key: string }) => d.key)).to.have.members(['http-payment', 'http-alarm']);

      await deployXml(fixture('http-tasks'));
      const v2 = await deployXml(renamed(fixture('http-tasks'), 'name="HTTP tasks"', 'name="HTTP tasks, second edition"'));
      expect(v2.status).to.equal(201);
      expect(v2.body.definitions[0]).to.include({ id: 'http-tasks:2', version: 2, name: 'HTTP tasks, second edition', created: true });
    });

    it('lists definitions newest version first; latest=true keeps only the newest of each key; key filters', async () => {
      await deployXml(fixture('http-tasks'));
      await deployXml(renamed(fixture('http-tasks'), 'name="HTTP tasks"', 'name="HTTP tasks v2"'));
      await deployXml(fixture('http-other'));

      const all = await request(app).get('/api/definitions');
      expect(all.status).to.equal(200);
      expect(all.body).to.include({ total: 3, offset: 0, limit: 20 });
      expect(all.body.items.map((d: { id: string }) => d.id)).to.deep.equal(['http-other:1', 'http-tasks:2', 'http-tasks:1']);
      for (const item of all.body.items) {
        expect(item).to.have.all.keys('id', 'key', 'version', 'name', 'hash', 'deployedAt', 'deployedBy');
        expect(Date.parse(item.deployedAt)).to.satisfy(Number.isFinite);
      }

      const latest = await request(app).get('/api/definitions?latest=true');
      expect(latest.body.total).to.equal(2);
      expect(latest.body.items.map((d: { id: string }) => d.id)).to.deep.equal(['http-other:1', 'http-tasks:2']);

      const byKey = await request(app).get('/api/definitions?key=http-tasks&limit=1&offset=1');
      expect(byKey.body).to.include({ total: 2, offset: 1, limit: 1 });
      expect(byKey.body.items.map((d: { id: string }) => d.id)).to.deep.equal(['http-tasks:1']);
    });

    it('gets the latest version, a given version, and 404 for an unknown key or version', async () => {
      await deployXml(fixture('http-tasks'));
      await deployXml(renamed(fixture('http-tasks'), 'name="HTTP tasks"', 'name="HTTP tasks v2"'));

      const latest = await request(app).get('/api/definitions/http-tasks');
      expect(latest.status).to.equal(200);
      expect(latest.body).to.include({ id: 'http-tasks:2', key: 'http-tasks', version: 2, name: 'HTTP tasks v2', deployedBy: 'deployer' });
      expect(latest.body).to.not.have.property('xml');

      const first = await request(app).get('/api/definitions/http-tasks/versions/1');
      expect(first.body).to.include({ id: 'http-tasks:1', version: 1, name: 'HTTP tasks' });

      const missingVersion = expectError(await request(app).get('/api/definitions/http-tasks/versions/9'), 404, 'WF_ERR_DEFINITION_NOT_FOUND');
      expect(missingVersion.details).to.deep.equal({ key: 'http-tasks', version: 9 });
      expectError(await request(app).get('/api/definitions/no-such-process'), 404, 'WF_ERR_DEFINITION_NOT_FOUND');
    });

    it('lists versions newest first with their instance counts per state', async () => {
      await deployXml(fixture('http-tasks'));
      const a = await start('http-tasks', reviewVars());
      await start('http-tasks', reviewVars());
      const cancelled = await request(app).post(`/api/instances/${a.id}/cancel`).send({ reason: 'duplicate' });
      expect(cancelled.status).to.equal(200);
      await deployXml(renamed(fixture('http-tasks'), 'name="HTTP tasks"', 'name="HTTP tasks v2"'));
      await start('http-tasks', reviewVars());

      const res = await request(app).get('/api/definitions/http-tasks/versions');
      expect(res.status).to.equal(200);
      const versions = res.body.versions as Array<{ id: string; version: number; instances: Record<string, number> }>;
      expect(versions.map((v) => v.version)).to.deep.equal([2, 1]);
      expect(versions[0]!.instances).to.deep.equal({ running: 1 });
      expect(versions[1]!.instances).to.deep.equal({ running: 1, cancelled: 1 });

      expectError(await request(app).get('/api/definitions/nothing-here/versions'), 404, 'WF_ERR_DEFINITION_NOT_FOUND');
    });

    it('serves the BPMN XML of the latest or a given version as application/xml', async () => {
      const v1 = fixture('http-tasks');
      const v2 = renamed(v1, 'name="HTTP tasks"', 'name="HTTP tasks v2"');
      await deployXml(v1);
      await deployXml(v2);

      const latest = await request(app).get('/api/definitions/http-tasks/xml');
      expect(latest.status).to.equal(200);
      expect(latest.headers['content-type']).to.match(/^application\/xml/);
      expect(latest.text).to.equal(v2);

      const first = await request(app).get('/api/definitions/http-tasks/xml?version=1');
      expect(first.headers['content-type']).to.match(/^application\/xml/);
      expect(first.text).to.equal(v1);

      expectError(await request(app).get('/api/definitions/http-tasks/xml?version=3'), 404, 'WF_ERR_DEFINITION_NOT_FOUND');
    });
  });

  // ---- instances ---------------------------------------------------------------------------

  describe('instances', () => {
    beforeEach(async () => {
      await deployXml(fixture('http-tasks'));
      await deployXml(fixture('http-other'));
    });

    it('starts an instance: 201 with its current activities, each user task naming its taskId', async () => {
      const res = await request(app)
        .post('/api/instances')
        .set('X-User-Id', 'sam')
        .send({ processKey: 'http-tasks', businessKey: 'order-7', variables: { ...reviewVars({ assignee: 'ann' }), amount: { value: 5000, type: 'Long' } } });
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ definitionId: 'http-tasks:1', processKey: 'http-tasks', version: 1, businessKey: 'order-7', state: 'running', startedBy: 'sam', parentId: null, endedAt: null });
      expect(res.body.variables).to.include({ amount: 5000, assignee: 'ann' });
      expect(res.body.activities).to.have.length(1);
      const [activity] = res.body.activities;
      expect(activity).to.include({ activityId: 'review', name: 'Review', kind: 'task' });
      expect(activity.taskId).to.be.a('string');

      const task = await request(app).get(`/api/tasks/${activity.taskId}`);
      expect(task.status).to.equal(200);
      expect(task.body).to.include({ id: activity.taskId, instanceId: res.body.id, activityId: 'review', assignee: 'ann', state: 'active', formKey: 'review-form', businessKey: 'order-7' });
    });

    it('starts a given version when asked', async () => {
      await deployXml(renamed(fixture('http-tasks'), 'name="HTTP tasks"', 'name="HTTP tasks v2"'));
      const latest = await start('http-tasks', reviewVars());
      const pinned = await request(app).post('/api/instances').send({ processKey: 'http-tasks', version: 1, variables: reviewVars() });
      expect(pinned.status).to.equal(201);
      expect(pinned.body).to.include({ definitionId: 'http-tasks:1', version: 1 });
      expect((await request(app).get(`/api/instances/${latest.id}`)).body).to.include({ definitionId: 'http-tasks:2', version: 2 });
    });

    it('gets an instance with its variables and activities; an unknown id is 404', async () => {
      const started = await start('http-tasks', reviewVars({ groups: 'sales' }), 'bk-1');
      const res = await request(app).get(`/api/instances/${started.id}`);
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal(started);

      const missing = expectError(await request(app).get('/api/instances/4b0c1a52-0000-4000-8000-000000000000'), 404, 'WF_ERR_INSTANCE_NOT_FOUND');
      expect(missing.details).to.deep.equal({ instanceId: '4b0c1a52-0000-4000-8000-000000000000' });
    });

    it('lists instances filtered by process key, business key, state and version, with paging', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await start('http-tasks', reviewVars(), `order-${i}`)).id);
      const other = await start('http-other', {}, 'order-0');
      expect((await request(app).post(`/api/instances/${ids[4]}/cancel`).send({})).status).to.equal(200);

      const all = await request(app).get('/api/instances');
      expect(all.status).to.equal(200);
      expect(all.body).to.include({ total: 6, offset: 0, limit: 20 });

      const tasks = await request(app).get('/api/instances?processKey=http-tasks');
      expect(tasks.body.total).to.equal(5);
      expect(tasks.body.items.map((i: { id: string }) => i.id)).to.have.members(ids);
      for (const item of tasks.body.items) expect(item).to.include.keys('id', 'processKey', 'state', 'variables', 'activities');

      const page1 = await request(app).get('/api/instances?processKey=http-tasks&offset=0&limit=2');
      const page2 = await request(app).get('/api/instances?processKey=http-tasks&offset=2&limit=2');
      const page3 = await request(app).get('/api/instances?processKey=http-tasks&offset=4&limit=2');
      expect(page1.body).to.include({ total: 5, offset: 0, limit: 2 });
      expect(page2.body).to.include({ total: 5, offset: 2, limit: 2 });
      expect(page3.body).to.include({ total: 5, offset: 4, limit: 2 });
      expect(page1.body.items).to.have.length(2);
      expect(page2.body.items).to.have.length(2);
      expect(page3.body.items).to.have.length(1);
      const paged = [...page1.body.items, ...page2.body.items, ...page3.body.items].map((i: { id: string }) => i.id);
      expect(paged).to.have.members(ids);

      const byBusinessKey = await request(app).get('/api/instances?businessKey=order-0');
      expect(byBusinessKey.body.items.map((i: { id: string }) => i.id)).to.have.members([ids[0], other.id]);

      const cancelled = await request(app).get('/api/instances?state=cancelled');
      expect(cancelled.body.items.map((i: { id: string }) => i.id)).to.deep.equal([ids[4]]);

      const running = await request(app).get('/api/instances?processKey=http-tasks&state=running&version=1');
      expect(running.body.total).to.equal(4);

      const none = await request(app).get('/api/instances?processKey=http-tasks&version=2');
      expect(none.body).to.include({ total: 0 });
      expect(none.body.items).to.deep.equal([]);
    });

    it('returns the history oldest first, with paging', async () => {
      const started = await start('http-tasks', reviewVars({ assignee: 'ann' }), null, 'sam');
      const taskId = taskIdOf(started, 'review');
      expect((await request(app).post(`/api/tasks/${taskId}/complete`).set('X-User-Id', 'ann').send({ variables: { ok: true } })).status).to.equal(200);

      const res = await request(app).get(`/api/instances/${started.id}/history?limit=200`);
      expect(res.status).to.equal(200);
      const items = res.body.items as Array<{ id: number; at: string; kind: string; activityId: string | null; taskId: string | null; actor: string | null; data: unknown }>;
      expect(res.body.total).to.equal(items.length);
      expect(items[0]!.kind).to.equal('instance.start');
      expect(items[0]!.actor).to.equal('sam');
      const ids = items.map((h) => h.id);
      expect(ids).to.deep.equal([...ids].sort((x, y) => x - y));
      const complete = items.find((h) => h.kind === 'task.complete');
      expect(complete).to.include({ activityId: 'review', taskId, actor: 'ann' });
      expect(items.map((h) => `${h.kind}:${h.activityId}`)).to.include.members(['task.create:review', 'task.complete:review', 'task.create:archive']);

      const page = await request(app).get(`/api/instances/${started.id}/history?offset=1&limit=2`);
      expect(page.body).to.include({ offset: 1, limit: 2, total: items.length });
      expect(page.body.items.map((h: { id: number }) => h.id)).to.deep.equal(ids.slice(1, 3));

      expectError(await request(app).get('/api/instances/no-such-instance/history'), 404, 'WF_ERR_INSTANCE_NOT_FOUND');
    });

    it('cancels a running instance: its tasks are cancelled, a second cancel is 409', async () => {
      const started = await start('http-tasks', reviewVars({ groups: 'sales' }));
      const taskId = taskIdOf(started, 'review');

      const res = await request(app).post(`/api/instances/${started.id}/cancel`).set('X-User-Id', 'admin').send({ reason: 'customer withdrew' });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ id: started.id, state: 'cancelled' });
      expect(res.body.endedAt).to.be.a('string');
      expect(res.body.activities).to.deep.equal([]);

      const task = await request(app).get(`/api/tasks/${taskId}`);
      expect(task.body.state).to.equal('cancelled');

      const history = await request(app).get(`/api/instances/${started.id}/history?limit=200`);
      const cancel = history.body.items.find((h: { kind: string }) => h.kind === 'instance.cancel');
      expect(cancel).to.include({ actor: 'admin' });
      expect(cancel.data).to.deep.equal({ reason: 'customer withdrew' });

      const again = expectError(await request(app).post(`/api/instances/${started.id}/cancel`).send({}), 409, 'WF_ERR_INSTANCE_NOT_RUNNING');
      expect(again.details).to.include({ instanceId: started.id, state: 'cancelled' });
      expectError(await request(app).post('/api/instances/nope/cancel').send({}), 404, 'WF_ERR_INSTANCE_NOT_FOUND');
    });

    it('lets the initiator withdraw an application nobody else has acted on; not someone else, and not once a task was claimed', async () => {
      await deployXml(fixture('http-tasks'));
      const instance = await start('http-tasks', reviewVars({ assignee: 'ann' }), 'w-1', 'zhangsan');
      const review = taskIdOf(instance, 'review');
      const other = expectError(await request(app).post(`/api/instances/${instance.id}/withdraw`).set('X-User-Id', 'lisi').send({}), 403, 'WF_ERR_NOT_INITIATOR');
      expect(other.message).to.include('申请人');
      // Assigned by the model is not acted on; claimed by someone is.
      await request(app).post(`/api/tasks/${review}/unclaim`).set('X-User-Id', 'ann');
      expect((await request(app).post(`/api/tasks/${review}/claim`).set('X-User-Id', 'lisi')).status).to.equal(200);
      const handled = expectError(await request(app).post(`/api/instances/${instance.id}/withdraw`).set('X-User-Id', 'zhangsan').set('Accept-Language', 'en').send({}), 409, 'WF_ERR_ALREADY_HANDLED');
      expect(handled.message).to.include('lisi');
      await request(app).post(`/api/tasks/${review}/unclaim`).set('X-User-Id', 'lisi');
      const res = await request(app).post(`/api/instances/${instance.id}/withdraw`).set('X-User-Id', 'zhangsan').send({ reason: '信息填错了' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.state).to.equal('cancelled');
      const history = (await request(app).get(`/api/instances/${instance.id}/history?limit=200`)).body.items as Array<{ kind: string; actor: string; data: Record<string, unknown> }>;
      expect(history.find((h) => h.kind === 'instance.withdraw')).to.deep.include({ actor: 'zhangsan', data: { reason: '信息填错了' } });
      expect((await request(app).get(`/api/tasks/${review}`)).body.state).to.equal('cancelled');
      expectError(await request(app).post(`/api/instances/${instance.id}/withdraw`).set('X-User-Id', 'zhangsan').send({}), 409, 'WF_ERR_INSTANCE_NOT_RUNNING');
      // A task the model assigned to someone, untouched, does not stand in the way.
      const assigned = await start('http-tasks', reviewVars({ assignee: 'ann' }), 'w-2', 'zhangsan');
      expect((await request(app).post(`/api/instances/${assigned.id}/withdraw`).set('X-User-Id', 'zhangsan').send({})).body.state).to.equal('cancelled');
    });

    it('migrates instances to another version; refusals are 422 in the caller’s language and bad plans 400, changing nothing', async () => {
      await deployXml(fixture('mig-v1'));
      const started = await start('mig', { orderNo: 'M-1' });
      await deployXml(fixture('mig-v3-renamed'));
      const migrate = (body: object, language = 'zh-CN') => request(app).post('/api/instances/migrate').set('X-User-Id', 'admin').set('Accept-Language', language).send(body);

      const zh = expectError(await migrate({ processKey: 'mig', toVersion: 2, instanceIds: [started.id] }), 422, 'WF_ERR_MIGRATION_INVALID');
      expect(zh.message).to.include(`目标版本没有节点 review`).and.include(`实例 ${started.id}`);
      const en = expectError(await migrate({ processKey: 'mig', toVersion: 2, instanceIds: [started.id] }, 'en'), 422, 'WF_ERR_MIGRATION_INVALID');
      expect(en.message).to.include('the target version has no element review');
      expect((en.details.problems as Array<{ message: string }>)[0]!.message).to.be.a('string');
      expect(expectError(await migrate({ processKey: 'mig', instanceIds: [started.id] }), 400, 'WF_ERR_VALIDATION').field).to.equal('body.toVersion');
      expect(expectError(await migrate({ processKey: 'mig', toVersion: 2 }), 400, 'WF_ERR_VALIDATION').field).to.match(/instanceIds/);
      expect(expectError(await migrate({ processKey: 'mig', toVersion: 2, instanceIds: [], mapping: {} }), 400, 'WF_ERR_VALIDATION').field).to.match(/instanceIds/);
      expectError(await migrate({ processKey: 'mig', toVersion: 9, instanceIds: [started.id] }), 404, 'WF_ERR_DEFINITION_NOT_FOUND');
      expect((await request(app).get(`/api/instances/${started.id}`)).body.version).to.equal(1);

      const res = await migrate({ processKey: 'mig', toVersion: 2, instanceIds: [started.id], mapping: { review: 'check', remind: 'nudge' } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.instances).to.deep.equal([{ instanceId: started.id, fromVersion: 1, status: 'migrated' }]);
      const moved = await request(app).get(`/api/instances/${started.id}`);
      expect(moved.body.version).to.equal(2);
      expect(moved.body.activities.map((a: { activityId: string }) => a.activityId).sort()).to.deep.equal(['check', 'nudge']);
    });
  });

  // ---- tasks --------------------------------------------------------------------------------

  describe('tasks', () => {
    /** Four open tasks with different assignees, candidates and due dates. */
    const seed = async () => {
      await deployXml(fixture('http-tasks'));
      await deployXml(fixture('http-other'));
      const now = ctx().clock.now();
      const a = await start('http-tasks', reviewVars({ assignee: 'ann', due: 'P1D' }), 'a');
      const b = await start('http-tasks', reviewVars({ candidates: 'carol, dave', groups: 'sales', due: 'P3D' }), 'b');
      const c = await start('http-tasks', reviewVars({ groups: 'hr,finance' }), 'c');
      const d = await start('http-other', {}, 'd');
      return { now, a: taskIdOf(a, 'review'), b: taskIdOf(b, 'review'), c: taskIdOf(c, 'review'), d: taskIdOf(d, 'check'), instances: { a, b, c, d } };
    };

    const ids = (res: request.Response): string[] => {
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return (res.body.items as Array<{ id: string }>).map((t) => t.id);
    };

    it('lists tasks with their fields and paging', async () => {
      const seeded = await seed();
      const res = await request(app).get('/api/tasks');
      expect(res.body).to.include({ total: 4, offset: 0, limit: 20 });
      const b = (res.body.items as Array<Record<string, unknown>>).find((t) => t.id === seeded.b)!;
      expect(b).to.include({ instanceId: seeded.instances.b.id, processKey: 'http-tasks', businessKey: 'b', activityId: 'review', name: 'Review', state: 'active', assignee: null, formKey: 'review-form' });
      expect(b.candidateUsers).to.deep.equal(['carol', 'dave']);
      expect(b.candidateGroups).to.deep.equal(['sales']);
      expect(b.dueAt).to.equal(new Date(seeded.now + 3 * DAY).toISOString());

      const page = await request(app).get('/api/tasks?limit=3&offset=3');
      expect(page.body).to.include({ total: 4, offset: 3, limit: 3 });
      expect(page.body.items).to.have.length(1);
    });

    it('filters by assignee, candidateUser, candidateGroups (comma list or repeated), processKey and instanceId', async () => {
      const t = await seed();
      expect(ids(await request(app).get('/api/tasks?assignee=ann'))).to.deep.equal([t.a]);
      expect(ids(await request(app).get('/api/tasks?candidateUser=dave'))).to.deep.equal([t.b]);
      expect(ids(await request(app).get('/api/tasks?candidateGroups=hr'))).to.deep.equal([t.c]);
      expect(ids(await request(app).get('/api/tasks?candidateGroups=sales,finance'))).to.have.members([t.b, t.c]);
      expect(ids(await request(app).get('/api/tasks?candidateGroups=sales&candidateGroups=reviewers'))).to.have.members([t.b, t.d]);
      expect(ids(await request(app).get('/api/tasks?candidateGroups=nobody,none'))).to.deep.equal([]);
      // candidateUser and candidateGroups together: claimable by that user or one of the groups.
      expect(ids(await request(app).get('/api/tasks?candidateUser=carol&candidateGroups=hr'))).to.have.members([t.b, t.c]);
      expect(ids(await request(app).get('/api/tasks?processKey=http-other'))).to.deep.equal([t.d]);
      expect(ids(await request(app).get(`/api/tasks?instanceId=${t.instances.c.id}`))).to.deep.equal([t.c]);
      expect(ids(await request(app).get('/api/tasks?unassigned=true&processKey=http-tasks'))).to.have.members([t.b, t.c]);
    });

    it('filters by state and due date', async () => {
      const t = await seed();
      const done = await request(app).post(`/api/tasks/${t.a}/complete`).set('X-User-Id', 'ann').send({});
      expect(done.status).to.equal(200);

      expect(ids(await request(app).get('/api/tasks?state=completed'))).to.deep.equal([t.a]);
      const active = ids(await request(app).get('/api/tasks?state=active'));
      expect(active).to.include.members([t.b, t.c, t.d]).and.not.include(t.a);
      expect(active).to.have.length(4); // plus the archive task that followed t.a

      const in2Days = new Date(t.now + 2 * DAY).toISOString();
      expect(ids(await request(app).get(`/api/tasks?dueBefore=${encodeURIComponent(in2Days)}`))).to.deep.equal([t.a]);
      expect(ids(await request(app).get(`/api/tasks?dueBefore=${encodeURIComponent(in2Days)}&state=active`))).to.deep.equal([]);
      expect(ids(await request(app).get(`/api/tasks?dueAfter=${encodeURIComponent(in2Days)}`))).to.deep.equal([t.b]);
      // Sorted by due date by default: due tasks first, earliest first.
      const sorted = ids(await request(app).get('/api/tasks?processKey=http-tasks&state=active&sort=due&order=asc'));
      expect(sorted[0]).to.equal(t.b);

      // Against the clock: b (3 days, 7×24) is near due once 80 % of them are gone, then overdue.
      expect(ids(await request(app).get('/api/tasks?state=active&dueState=on-time'))).to.deep.equal([t.b]);
      ctx().clock.advance(2.5 * DAY);
      const nearDue = await request(app).get('/api/tasks?state=active&dueState=near-due');
      expect(ids(nearDue)).to.deep.equal([t.b]);
      expect(nearDue.body.items[0]).to.include({ dueState: 'near-due', nearDueAt: new Date(t.now + 2.4 * DAY).toISOString() });
      ctx().clock.advance(DAY);
      expect(ids(await request(app).get('/api/tasks?state=active&dueState=overdue'))).to.deep.equal([t.b]);
      expect((await request(app).get(`/api/tasks/${t.c}`)).body.dueState, 'no due date').to.equal(null);
      expect((await request(app).get('/api/tasks?dueState=late')).status).to.equal(400);
    });

    it('claims for the caller (X-User-Id); another user claiming gets 409 WF_ERR_TASK_CLAIMED; unclaim gives it back', async () => {
      const t = await seed();
      const claimed = await request(app).post(`/api/tasks/${t.b}/claim`).set('X-User-Id', 'carol').send();
      expect(claimed.status).to.equal(200);
      expect(claimed.body).to.include({ id: t.b, assignee: 'carol', state: 'active' });
      expect(claimed.body.claimedAt).to.be.a('string');

      const again = await request(app).post(`/api/tasks/${t.b}/claim`).set('X-User-Id', 'carol').send();
      expect(again.status, 'claiming a task you hold is a no-op').to.equal(200);

      const stolen = expectError(await request(app).post(`/api/tasks/${t.b}/claim`).set('X-User-Id', 'dave').send(), 409, 'WF_ERR_TASK_CLAIMED');
      expect(stolen.details).to.include({ taskId: t.b, assignee: 'carol' });
      expect(ids(await request(app).get('/api/tasks?assignee=carol'))).to.deep.equal([t.b]);

      const released = await request(app).post(`/api/tasks/${t.b}/unclaim`).set('X-User-Id', 'carol');
      expect(released.status).to.equal(200);
      expect(released.body).to.include({ assignee: null, claimedAt: null });
      expectError(await request(app).post(`/api/tasks/${t.b}/unclaim`).set('X-User-Id', 'carol'), 409, 'WF_ERR_TASK_NOT_CLAIMED');

      const forDave = await request(app).post(`/api/tasks/${t.b}/claim`).set('X-User-Id', 'lead').send({ userId: 'dave' });
      expect(forDave.status).to.equal(200);
      expect(forDave.body.assignee).to.equal('dave');

      const history = await request(app).get(`/api/instances/${t.instances.b.id}/history?limit=200`);
      const claims = (history.body.items as Array<{ kind: string; actor: string }>).filter((h) => h.kind === 'task.claim' || h.kind === 'task.unclaim');
      expect(claims.map((h) => `${h.kind}:${h.actor}`)).to.deep.equal(['task.claim:carol', 'task.unclaim:carol', 'task.claim:lead']);
    });

    it('claiming without signing in is 401 and claims nothing', async () => {
      const t = await seed();
      const anonymous = createApp({ ...frontOf(ctx().wf), logger: silentLogger, authenticate: nobody, ready: () => ctx().store.ping() });
      expectError(await request(anonymous).post(`/api/tasks/${t.c}/claim`).send(), 401, 'WF_ERR_UNAUTHENTICATED');
      expect((await ctx().wf.getTask(t.c)).assignee).to.equal(null);
    });

    it('completes a task with variables: they become process variables and the instance moves on', async () => {
      const t = await seed();
      const res = await request(app)
        .post(`/api/tasks/${t.b}/complete`)
        .set('X-User-Id', 'carol')
        .send({ variables: { approved: true, amount: { value: 1200, type: 'Integer' }, note: 'fine' } });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ id: t.b, state: 'completed', endedBy: 'carol' });
      expect(res.body.endedAt).to.be.a('string');

      const instance = await getInstance(t.instances.b.id);
      expect(instance.variables).to.include({ approved: true, amount: 1200, note: 'fine' });
      expect(instance.activities.map((a) => a.activityId)).to.deep.equal(['archive']);
      const archive = await request(app).get(`/api/tasks/${taskIdOf(instance, 'archive')}`);
      expect(archive.body).to.include({ state: 'active', activityId: 'archive' });
      expect(archive.body.candidateGroups).to.deep.equal(['archivists']);

      // the last task ends the instance
      const last = await request(app).post(`/api/tasks/${taskIdOf(instance, 'archive')}/complete`).send({});
      expect(last.status).to.equal(200);
      const ended = await getInstance(t.instances.b.id);
      expect(ended.state).to.equal('completed');
      expect(ended.activities).to.deep.equal([]);
    });

    it('refuses to complete a task claimed by someone else (409) and leaves it open', async () => {
      const t = await seed();
      const error = expectError(await request(app).post(`/api/tasks/${t.a}/complete`).set('X-User-Id', 'mallory').send({}), 409, 'WF_ERR_TASK_CLAIMED');
      expect(error.details).to.include({ taskId: t.a, assignee: 'ann' });
      expect((await request(app).get(`/api/tasks/${t.a}`)).body.state).to.equal('active');
    });

    it('unknown task ids are 404 on get, claim, unclaim and complete', async () => {
      await seed();
      const id = 'c0ffee00-0000-4000-8000-000000000000';
      for (const res of [
        await request(app).get(`/api/tasks/${id}`),
        await request(app).post(`/api/tasks/${id}/claim`).set('X-User-Id', 'x'),
        await request(app).post(`/api/tasks/${id}/unclaim`),
        await request(app).post(`/api/tasks/${id}/complete`).send({}),
      ]) {
        expect(expectError(res, 404, 'WF_ERR_TASK_NOT_FOUND').details).to.deep.equal({ taskId: id });
      }
    });

    it('completes several tasks at once (batch approval), each on its own: the failures are reported per task in the caller\'s language, the others go through', async () => {
      const t = await seed();
      const claimed = await request(app).post(`/api/tasks/${t.c}/claim`).set('X-User-Id', 'erin');
      expect(claimed.status).to.equal(200);
      const res = await request(app)
        .post('/api/tasks/complete-batch')
        .set('X-User-Id', 'ann')
        .set('Accept-Language', 'en')
        .send({ items: [{ taskId: t.a, variables: { decision: 'ok' } }, { taskId: t.a }, { taskId: 'no-such-task' }, { taskId: t.c }, { taskId: t.d }] });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ succeeded: 2, failed: 3 });
      const outcome = (res.body.results as Array<{ taskId: string; ok: boolean; error?: { code: string; status: number; message: string } }>).map((r) => [r.taskId, r.ok, r.error?.code ?? null, r.error?.status ?? null]);
      expect(outcome).to.deep.equal([
        [t.a, true, null, null],
        [t.a, false, 'WF_ERR_TASK_NOT_ACTIVE', 409],
        ['no-such-task', false, 'WF_ERR_TASK_NOT_FOUND', 404],
        [t.c, false, 'WF_ERR_TASK_CLAIMED', 409],
        [t.d, true, null, null],
      ]);
      expect(res.body.results[2].error.message, 'in English').to.not.match(/[\u4e00-\u9fff]/);
      expect((await getInstance(t.instances.a.id)).variables).to.include({ decision: 'ok' });
      expect((await request(app).get(`/api/tasks/${t.c}`)).body.state, 'the claimed one is untouched').to.equal('active');
      // Done by me.
      expect(ids(await request(app).get('/api/tasks?endedBy=ann&state=completed')).sort()).to.deep.equal([t.a, t.d].sort());
      expectError(await request(app).post('/api/tasks/complete-batch').send({ items: [] }), 400, 'WF_ERR_VALIDATION');
    });

    it('50 parallel completions of one task: exactly one 200, 49 × 409, and the instance advances once', async function () {
      this.timeout(60_000);
      const t = await seed();
      const server = http.createServer(app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const responses = await Promise.all(
          Array.from({ length: 50 }, (_, i) => request(base).post(`/api/tasks/${t.b}/complete`).set('X-User-Id', `user-${i}`).send({ variables: { winner: i } })),
        );
        const statuses = responses.map((r) => r.status);
        expect(statuses.filter((s) => s === 200), JSON.stringify(statuses)).to.have.length(1);
        expect(statuses.filter((s) => s === 409), JSON.stringify(statuses)).to.have.length(49);
        for (const r of responses.filter((x) => x.status === 409)) {
          expect((r.body as ErrorBody).error.code).to.be.oneOf(['WF_ERR_TASK_NOT_ACTIVE', 'WF_ERR_CONCURRENT_MODIFICATION']);
        }
        const winner = responses.findIndex((r) => r.status === 200);

        const instanceId = t.instances.b.id;
        expect(await count(ctx().db, 'wf_history', "instance_id = $1 AND kind = 'task.complete'", [instanceId])).to.equal(1);
        expect(await count(ctx().db, 'wf_tasks', 'instance_id = $1', [instanceId])).to.equal(2);
        expect(await count(ctx().db, 'wf_tasks', "instance_id = $1 AND state = 'active' AND activity_id = 'archive'", [instanceId])).to.equal(1);
        const instance = await getInstance(instanceId);
        expect(instance.activities.map((a) => a.activityId)).to.deep.equal(['archive']);
        expect(instance.variables.winner).to.equal(winner);
        const task = await request(base).get(`/api/tasks/${t.b}`);
        expect(task.body).to.include({ state: 'completed', endedBy: `user-${winner}` });
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });

  // ---- messages and signals ------------------------------------------------------------------

  describe('messages and signals', () => {
    beforeEach(() => deployXml(fixture('http-events')));

    it('delivers a message to the instance waiting under its correlation key (200)', async () => {
      const waiting = await start('http-payment', {}, 'order-1');
      expect(waiting.activities).to.have.length(1);
      expect(waiting.activities[0]).to.include({ activityId: 'waitPayment', name: 'Payment received', kind: 'message', message: 'payment-received', correlationKey: 'order-1' });

      const res = await request(app).post('/api/messages').set('X-User-Id', 'bank').send({ name: 'payment-received', correlationKey: 'order-1', variables: { paid: 99.5 } });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ delivered: [waiting.id], started: [], buffered: false, failed: [] });

      const moved = await getInstance(waiting.id);
      expect(moved.activities.map((a) => a.activityId)).to.deep.equal(['ship']);
      expect(moved.variables).to.include({ paid: 99.5 });
    });

    it('buffers a message nobody waits for when bufferSeconds is given (202); a later receiver consumes it', async () => {
      const res = await request(app).post('/api/messages').send({ name: 'payment-received', correlationKey: 'order-2', bufferSeconds: 60, variables: { paid: 10 } });
      expect(res.status).to.equal(202);
      expect(res.body).to.deep.equal({ delivered: [], started: [], buffered: true, failed: [] });
      expect(await count(ctx().db, 'wf_buffered_messages')).to.equal(1);

      const instance = await start('http-payment', {}, 'order-2');
      expect(instance.activities.map((a) => a.activityId)).to.deep.equal(['ship']);
      expect(instance.variables).to.include({ paid: 10 });
      expect(await count(ctx().db, 'wf_buffered_messages')).to.equal(0);
    });

    it('answers 404 WF_ERR_MESSAGE_NOT_CORRELATED when nobody waits and no buffering was asked', async () => {
      await start('http-payment', {}, 'order-1');
      const error = expectError(await request(app).post('/api/messages').send({ name: 'payment-received', correlationKey: 'order-404' }), 404, 'WF_ERR_MESSAGE_NOT_CORRELATED');
      expect(error.details).to.deep.equal({ name: 'payment-received', correlationKey: 'order-404' });
      expectError(await request(app).post('/api/messages').send({ name: 'nobody-listens' }), 404, 'WF_ERR_MESSAGE_NOT_CORRELATED');
    });

    it('refuses an ambiguous message (409) unless all=true, which delivers to every receiver', async () => {
      const one = await start('http-payment', {}, 'dup');
      const two = await start('http-payment', {}, 'dup');
      const error = expectError(await request(app).post('/api/messages').send({ name: 'payment-received', correlationKey: 'dup' }), 409, 'WF_ERR_MESSAGE_AMBIGUOUS');
      expect(error.details).to.include({ count: 2 });

      const res = await request(app).post('/api/messages').send({ name: 'payment-received', correlationKey: 'dup', all: true });
      expect(res.status).to.equal(200);
      expect(res.body.delivered).to.have.members([one.id, two.id]);
    });

    it('broadcasts a signal to every waiting instance', async () => {
      const one = await start('http-alarm');
      const two = await start('http-alarm');
      const res = await request(app).post('/api/signals').set('X-User-Id', 'ops').send({ name: 'alarm', variables: { level: 3 } });
      expect(res.status).to.equal(200);
      expect(res.body.delivered).to.have.members([one.id, two.id]);
      expect(res.body).to.include({ buffered: false });
      expect(res.body.started).to.deep.equal([]);
      for (const id of [one.id, two.id]) {
        const instance = await getInstance(id);
        expect(instance.activities.map((a) => a.activityId)).to.deep.equal(['react']);
        expect(instance.variables).to.include({ level: 3 });
      }

      const nobody = await request(app).post('/api/signals').send({ name: 'alarm' });
      expect(nobody.status).to.equal(200);
      expect(nobody.body).to.deep.equal({ delivered: [], started: [], buffered: false, failed: [] });
    });
  });

  // ---- incidents ---------------------------------------------------------------------------------

  describe('incidents', () => {
    const failedInstance = async (c: TestContext) => {
      await deployXml(fixture('http-incident'));
      const instance = await start('http-incident');
      expect(instance.activities).to.have.length(1);
      expect(instance.activities[0]).to.include({ activityId: 'callService', kind: 'job' });
      await c.work();
      return instance;
    };

    it('lists the incident of a failed service task, filtered by instance and state', async () => {
      const instance = await failedInstance(ctx());
      const res = await request(app).get('/api/incidents');
      expect(res.status).to.equal(200);
      expect(res.body.total).to.equal(1);
      const [incident] = res.body.items;
      expect(incident).to.include({ instanceId: instance.id, activityId: 'callService', kind: 'job', state: 'open', resolvedAt: null, resolvedBy: null });
      expect(incident.message).to.include('request refused');
      expect(Date.parse(incident.createdAt)).to.satisfy(Number.isFinite);

      expect((await request(app).get(`/api/incidents?instanceId=${instance.id}&state=open`)).body.total).to.equal(1);
      expect((await request(app).get('/api/incidents?state=resolved')).body.total).to.equal(0);
      expect((await request(app).get('/api/incidents?instanceId=other')).body.total).to.equal(0);
    });

    it('retries an incident: resolved by the caller, the job runs again, a second retry is 409', async () => {
      const instance = await failedInstance(ctx());
      const [incident] = (await request(app).get('/api/incidents')).body.items;
      const res = await request(app).post(`/api/incidents/${incident.id}/retry`).set('X-User-Id', 'admin');
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ id: incident.id, state: 'resolved', resolvedBy: 'admin' });
      expect(res.body.resolvedAt).to.be.a('string');

      expectError(await request(app).post(`/api/incidents/${incident.id}/retry`), 409, 'WF_ERR_INCIDENT_NOT_OPEN');
      expectError(await request(app).post('/api/incidents/no-such-incident/retry'), 404, 'WF_ERR_INCIDENT_NOT_FOUND');

      // The handler refuses again: the retry ran and opened a new incident.
      await ctx().work();
      expect(ctx().calls.permanent).to.have.length(2);
      const open = await request(app).get(`/api/incidents?instanceId=${instance.id}&state=open`);
      expect(open.body.total).to.equal(1);
      expect(open.body.items[0].id).to.not.equal(incident.id);
    });
  });

  describe('dead letters', () => {
    const deadLetter = async (c: TestContext) => {
      await deployXml(fixture('http-incident'));
      const instance = await start('http-incident');
      await c.work();
      const failed = await request(app).get(`/api/jobs?state=failed&instanceId=${instance.id}`);
      expect(failed.body.items).to.have.length(1);
      return { instance, job: failed.body.items[0] as { id: string } };
    };

    it('gives up a dead letter and lets the case go on with what was done by hand: the incident is resolved by the admin, the history says why', async () => {
      const { instance, job } = await deadLetter(ctx());
      const res = await request(app).post(`/api/jobs/${job.id}/cancel`).set('X-User-Id', 'admin').send({ reason: '已电话通知申请人', then: 'continue', variables: { notifiedBy: 'phone' } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ id: job.id, state: 'cancelled' });
      const after = await getInstance(instance.id);
      expect(after.state).to.equal('completed');
      expect(after.variables).to.include({ notifiedBy: 'phone' });
      const [incident] = (await request(app).get(`/api/incidents?instanceId=${instance.id}`)).body.items;
      expect(incident).to.include({ state: 'resolved', resolvedBy: 'admin' });
      const history = (await request(app).get(`/api/instances/${instance.id}/history?limit=200`)).body.items as Array<{ kind: string; actor: string; data: Record<string, unknown> }>;
      expect(history.find((h) => h.kind === 'job.cancel')).to.deep.include({ actor: 'admin', data: { handler: 'permanent', reason: '已电话通知申请人', then: 'continue' } });
      expectError(await request(app).post(`/api/jobs/${job.id}/cancel`).send({ reason: 'again', then: 'continue' }), 409, 'WF_ERR_JOB_NOT_FAILED');
      expect(ctx().calls.permanent, 'the effect was not tried again').to.have.length(1);
    });

    it('gives up a dead letter by cancelling its case', async () => {
      const { instance, job } = await deadLetter(ctx());
      const res = await request(app).post(`/api/jobs/${job.id}/cancel`).set('X-User-Id', 'admin').send({ reason: '申请人撤回', then: 'cancel-instance' });
      expect(res.body).to.include({ state: 'cancelled' });
      expect((await getInstance(instance.id)).state).to.equal('cancelled');
      expect((await request(app).get(`/api/incidents?instanceId=${instance.id}&state=open`)).body.total).to.equal(0);
    });

    it('refuses a cancel without a reason or with bad variables (400 naming the field) and a job that is not a dead letter (409), changing nothing', async () => {
      const { instance, job } = await deadLetter(ctx());
      const noReason = expectError(await request(app).post(`/api/jobs/${job.id}/cancel`).set('Accept-Language', 'en').send({ then: 'continue' }), 400, 'WF_ERR_VALIDATION');
      expect(noReason.message).to.include('reason');
      expectError(await request(app).post(`/api/jobs/${job.id}/cancel`).send({ reason: 'x', then: 'skip' }), 400, 'WF_ERR_VALIDATION');
      expectError(await request(app).post(`/api/jobs/${job.id}/cancel`).send({ reason: 'x', then: 'continue', variables: { __proto__x: 1, constructor: 2 } }), 400, 'WF_ERR_VALIDATION');
      expectError(await request(app).post('/api/jobs/no-such-job/cancel').send({ reason: 'x', then: 'continue' }), 404, 'WF_ERR_JOB_NOT_FOUND');
      expect((await request(app).get(`/api/jobs/${job.id}`)).body.state).to.equal('failed');
      expect((await getInstance(instance.id)).state).to.equal('running');
    });
  });

  // ---- operations ----------------------------------------------------------------------------------

  describe('operations', () => {
    it('GET /healthz and /readyz answer 200', async () => {
      const health = await request(app).get('/healthz');
      expect(health.status).to.equal(200);
      expect(health.body).to.deep.equal({ status: 'ok' });
      const ready = await request(app).get('/readyz');
      expect(ready.status).to.equal(200);
      expect(ready.body).to.deep.equal({ status: 'ready' });
    });

    it('GET /readyz answers 503 WF_ERR_NOT_READY when the database is unusable', async () => {
      const broken = createApp({ ...frontOf(ctx().wf),
        logger: silentLogger,
        authenticate: trustedHeader,
        ready: () => Promise.reject(new Error('connection refused')),
      });
      const error = expectError(await request(broken).get('/readyz').set('Accept-Language', 'en'), 503, 'WF_ERR_NOT_READY');
      expect(error.message).to.include('connection refused');
    });

    it('GET /api/openapi.json is OpenAPI 3.1.0 describing every route with its method, and the component schemas', async () => {
      const res = await request(app).get('/api/openapi.json');
      expect(res.status).to.equal(200);
      const doc = res.body as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters: unknown[] }>>; components: { schemas: Record<string, unknown> } };
      expect(doc.openapi).to.equal('3.1.0');
      const { api, clock } = frontOf(ctx().wf);
      const routes = allRoutes(api, clock);
      expect(routes.length).to.be.greaterThan(15);
      for (const route of routes) {
        const path = route.path.replace(/:(\w+)/g, '{$1}');
        expect(doc.paths, `paths has ${path}`).to.have.property(path);
        expect(doc.paths[path], `${route.method.toUpperCase()} ${path}`).to.have.property(route.method);
        const operation = doc.paths[path]![route.method]!;
        expect(Object.keys(operation.responses)).to.include.members(Object.keys(route.responses));
        for (const name of path.match(/\{(\w+)\}/g) ?? []) {
          expect((operation.parameters as Array<{ name: string; in: string }>).some((p) => `{${p.name}}` === name && p.in === 'path'), `${path} declares ${name}`).to.equal(true);
        }
      }
      const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
      expect(documented).to.have.length(routes.length + 2); // and /healthz, /readyz
      expect(doc.components.schemas).to.include.keys('Error', 'Definition', 'Instance', 'Task', 'HistoryEvent', 'Incident', 'Delivery', 'DeployResult', 'Activity');
    });
  });

  // ---- a file straight from Camunda Modeler ------------------------------------------------------------------

  describe('a BPMN error thrown from a user task', () => {
    const xml = `<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
      <error id="rejected" errorCode="REJECTED" />
      <process id="task-errors" isExecutable="true">
        <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="review"/>
        <userTask id="review" camunda:assignee="ann"/>
        <boundaryEvent id="onRejected" attachedToRef="review"><errorEventDefinition errorRef="rejected"/></boundaryEvent>
        <sequenceFlow id="f2" sourceRef="review" targetRef="done"/><endEvent id="done"/>
        <sequenceFlow id="f3" sourceRef="onRejected" targetRef="rework"/>
        <userTask id="rework" camunda:assignee="ann"/><sequenceFlow id="f4" sourceRef="rework" targetRef="end2"/><endEvent id="end2"/>
      </process></definitions>`;

    it('takes the boundary event catching its code, with the variables given; an error nothing catches is refused and changes nothing', async () => {
      expect((await deployXml(xml)).status).to.equal(201);
      const started = await start('task-errors', {}, null, 'ann');
      const reviewId = taskIdOf(started, 'review');

      const uncaught = await request(app).post(`/api/tasks/${reviewId}/bpmn-error`).set('X-User-Id', 'ann').send({ errorCode: 'LOST' });
      expect(uncaught.status).to.equal(422);
      expect(uncaught.body.error).to.include({ code: 'WF_ERR_BPMN_ERROR_UNCAUGHT', field: 'errorCode' });
      expect((await request(app).get(`/api/tasks/${reviewId}`)).body.state, 'nothing changed').to.equal('active');

      const thrown = await request(app).post(`/api/tasks/${reviewId}/bpmn-error`).set('X-User-Id', 'ann').send({ errorCode: 'REJECTED', errorMessage: '材料不全', variables: { reason: '缺少发票' } });
      expect(thrown.status, JSON.stringify(thrown.body)).to.equal(200);
      expect(thrown.body.variables).to.include({ reason: '缺少发票' });
      expect(thrown.body.activities.map((a: { activityId: string }) => a.activityId)).to.deep.equal(['rework']);
      expect((await request(app).get(`/api/tasks/${reviewId}`)).body.state).to.not.equal('active');
      const history = (await request(app).get(`/api/instances/${started.id}/history?limit=200`)).body.items as Array<{ kind: string; data: unknown }>;
      expect(history.find((h) => h.kind === 'task.bpmn-error')?.data).to.deep.include({ code: 'REJECTED', message: '材料不全' });

      // Camunda's own path takes the same request.
      const again = await start('task-errors', {}, null, 'ann');
      const camunda = await request(app).post(`/engine-rest/task/${taskIdOf(again, 'review')}/bpmnError`).set('X-User-Id', 'ann').send({ errorCode: 'REJECTED' });
      expect(camunda.status, JSON.stringify(camunda.body)).to.equal(200);
      expect(camunda.body.activities.map((a: { activityId: string }) => a.activityId)).to.deep.equal(['rework']);
    });
  });

  describe('Camunda Modeler files', () => {
    it('reads a file in the encoding it declares (ISO-8859-1, windows-1252) or the Content-Type names, and refuses one nobody knows naming it', async () => {
      const file = (name: string, encoding: string) =>
        `<?xml version="1.0" encoding="${encoding}"?>\n<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t"><process id="${name}" name="Vorgang für Ämter ~ Übersicht" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="e"/><endEvent id="e"/></process></definitions>`;
      const post = (bytes: Buffer, type = 'application/xml') => request(app).post('/api/definitions').set('Content-Type', type).set('X-User-Id', 'deployer').send(bytes);
      const nameOf = (res: { body: { definitions?: Array<{ name: string }> } }) => res.body.definitions?.[0]?.name;
      const iso = await post(Buffer.from(file('latin-one', 'ISO-8859-1'), 'latin1'));
      expect(iso.status, JSON.stringify(iso.body)).to.equal(201);
      expect(nameOf(iso)).to.equal('Vorgang für Ämter ~ Übersicht');
      // windows-1252 writes the en dash as 0x96, a control character in ISO-8859-1.
      const cp1252 = Buffer.from(file('win-1252', 'windows-1252'), 'latin1');
      cp1252[cp1252.indexOf('~')] = 0x96;
      expect(nameOf(await post(cp1252))).to.equal('Vorgang für Ämter – Übersicht');
      expect(nameOf(await post(Buffer.from(file('by-header', 'UTF-8'), 'latin1'), 'application/xml; charset=ISO-8859-1')), 'the header wins').to.equal('Vorgang für Ämter ~ Übersicht');
      const unknown = await post(Buffer.from(file('nope', 'x-klingon'), 'latin1'));
      expect(unknown.status).to.equal(400);
      expect(unknown.body.error).to.include({ code: 'WF_ERR_VALIDATION', field: 'xml' });
      expect(unknown.body.error.message).to.include('x-klingon');
    });

    it('deploys a Camunda Modeler 5 file (its history time to live listed as ignored) and runs it with Camunda typed variables', async () => {
      const deployed = await deployXml(fixture('camunda-modeler-expense'));
      expect(deployed.status).to.equal(201);
      expect(deployed.body.definitions[0]).to.include({ key: 'camunda-expense', name: 'Expense claim', created: true });
      expect(deployed.body.definitions[0].warnings.map((w: { rule: string }) => w.rule)).to.deep.equal(['ignored-attribute']);

      const started = await request(app).post('/api/instances').set('X-User-Id', 'ann').send({ processKey: 'camunda-expense', variables: { amount: { value: 5000, type: 'Long' } } });
      expect(started.status, JSON.stringify(started.body)).to.equal(201);
      expect(started.body.variables).to.include({ amount: 5000, applicant: 'ann' });
      const reviewId = taskIdOf(started.body, 'Activity_review');
      const review = await request(app).get(`/api/tasks/${reviewId}`);
      expect(review.body).to.include({ assignee: 'ann', formKey: 'camunda-forms:deployment:review.form', priority: 60, name: 'Review claim' });
      expect(review.body.candidateGroups).to.deep.equal(['accounting', 'managers']);
      expect(review.body.dueAt).to.equal(new Date(ctx().clock.now() + 3 * DAY).toISOString());

      const done = await request(app).post(`/api/tasks/${reviewId}/complete`).set('X-User-Id', 'ann').send({});
      expect(done.status, JSON.stringify(done.body)).to.equal(200);
      const after = await getInstance(started.body.id);
      expect(after.activities.map((a) => a.activityId).sort()).to.deep.equal(['Activity_approve', 'Event_reminder']);
      expect(after.variables).to.include({ reviewedAmount: 5000 });
    });
  });
});
