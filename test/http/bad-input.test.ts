import { expect } from 'chai';
import type express from 'express';
import request from 'supertest';
import { silentLogger } from '../../engine/core/ports.ts';
import { createApp } from '../../engine/http/app.ts';
import { trustedHeader } from '../support/trusted-header.ts';
import type { Database } from '../../engine/store/connect.ts';
import { count } from '../support/databases.ts';
import { describeOnBothStores, fixture } from '../support/harness.ts';
import { frontOf } from '../../engine/wiring.ts';

interface ErrorBody {
  error: { code: string; status: number; message: string; field?: string; details: Record<string, unknown> };
}

/** Every wf_ table of the database, read from its catalogue so new tables are covered too. */
async function wfTables(db: Database): Promise<string[]> {
  const sql =
    db.dialect === 'postgres'
      ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND substr(table_name, 1, 3) = 'wf_'"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 3) = 'wf_'";
  const rows = (await db.executor.select(sql)) as Array<{ name: string }>;
  return rows.map((r) => r.name).sort();
}

/** Row counts of every wf_ table plus the revisions of instances and the states of tasks. */
async function snapshot(db: Database): Promise<Record<string, unknown>> {
  const tables = await wfTables(db);
  expect(tables).to.include.members(['wf_definitions', 'wf_instances', 'wf_tasks', 'wf_history']);
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await count(db, table);
  const select = (sql: string) => db.executor.select(sql);
  return {
    counts,
    instances: await select('SELECT id, rev, state, variables FROM wf_instances ORDER BY id'),
    tasks: await select('SELECT id, state, assignee FROM wf_tasks ORDER BY id'),
  };
}

const lineOf = (text: string, needle: string): number => {
  const index = text.indexOf(needle);
  expect(index, `${needle} occurs in the text`).to.be.at.least(0);
  return text.slice(0, index).split('\n').length;
};

describeOnBothStores('HTTP API refuses bad input', (ctx) => {
  let app: express.Express;
  /** An instance waiting in its review task, and that task. */
  let instanceId: string;
  let taskId: string;

  beforeEach(async () => {
    const { wf, store } = ctx();
    app = createApp({ ...frontOf(wf), logger: silentLogger, authenticate: trustedHeader, ready: () => store.ping() });
    await wf.deploy(fixture('http-tasks'), 'tester');
    await wf.deploy(fixture('http-events'), 'tester');
    const instance = await wf.start({ processKey: 'http-tasks', businessKey: 'order-1', variables: { assignee: 'ann', candidates: null, groups: null, due: null } }, 'tester');
    instanceId = instance.id;
    taskId = instance.activities[0]!.taskId!;
  });

  /**
   * Send a bad request and check the answer is the expected 4xx with a message,
   * and that the database did not change at all.
   */
  const refused = async (send: () => request.Test, status: number, code: string): Promise<ErrorBody['error']> => {
    const before = await snapshot(ctx().db);
    const res = await send();
    expect(res.status, JSON.stringify(res.body)).to.equal(status);
    const { error } = res.body as ErrorBody;
    expect(error, JSON.stringify(res.body)).to.be.an('object');
    expect(error.code).to.equal(code);
    expect(error.status).to.equal(status);
    expect(error.message).to.be.a('string').and.have.length.above(0);
    expect(await snapshot(ctx().db), 'nothing written').to.deep.equal(before);
    return error;
  };

  const post = (path: string) => request(app).post(path);
  const startBody = (variables: unknown, extra: Record<string, unknown> = {}) => ({ processKey: 'http-tasks', variables, ...extra });

  describe('BPMN files', () => {
    it('malformed XML: 400 WF_ERR_BPMN_MALFORMED with the 1-based line and column', async () => {
      const xml = fixture('http-malformed');
      const error = await refused(() => post('/api/definitions').set('Content-Type', 'application/xml').send(xml), 400, 'WF_ERR_BPMN_MALFORMED');
      expect(error.field).to.equal('xml');
      // <startEvent id="start"> is never closed: the parser notices at </process>.
      const line = lineOf(xml, '</process>');
      expect(error.details).to.include({ line, column: 3 });
      expect(error.details.detail).to.be.a('string').and.have.length.above(0);
      expect(error.message).to.include(`第 ${line} 行第 3 列`);
      expect(error.message, 'the parser’s reason in Chinese').to.include('结束标签与开始标签不匹配').and.not.match(/[a-z]{4,}/);

      const en = await refused(() => post('/api/definitions').set('Accept-Language', 'en').send({ xml }), 400, 'WF_ERR_BPMN_MALFORMED');
      expect(en.message).to.include(`line ${line}, column 3`).and.include('closing tag mismatch');
    });

    it('text that is not XML, and XML that is not BPMN, are malformed too', async () => {
      await refused(() => post('/api/definitions').set('Content-Type', 'application/xml').send('hello, world'), 400, 'WF_ERR_BPMN_MALFORMED');
      await refused(() => post('/api/definitions').set('Content-Type', 'application/xml').send('<invoice id="1"/>'), 400, 'WF_ERR_BPMN_MALFORMED');
    });

    it('invalid BPMN: 422 WF_ERR_BPMN_INVALID listing every problem with its element and line', async () => {
      const xml = fixture('http-invalid');
      const error = await refused(() => post('/api/definitions').set('Content-Type', 'application/xml').send(xml), 422, 'WF_ERR_BPMN_INVALID');
      expect(error.field).to.equal('xml');
      const problems = error.details.problems as Array<{ rule: string; elementId: string; line: number; message: string }>;
      expect(error.details.count).to.equal(problems.length);
      expect(problems.map((p) => [p.rule, p.elementId, p.line])).to.deep.equal([
        ['unsupported-element', 'calculate', lineOf(xml, 'id="calculate"')],
        ['unknown-handler', 'notify', lineOf(xml, 'id="notify"')],
      ]);
      // The messages arrive in the caller's language, not as {zh-CN, en} pairs.
      expect(problems[0]!.message).to.be.a('string').and.include('脚本任务');
      expect(error.message).to.include('2 处错误').and.include('sms-gateway');

      const en = await refused(() => post('/api/definitions').set('Accept-Language', 'en').send({ xml }), 422, 'WF_ERR_BPMN_INVALID');
      expect(en.message).to.include('2 error(s)').and.include('No handler named sms-gateway is registered');
      expect((en.details.problems as Array<{ message: string }>)[0]!.message).to.include('Script tasks are not run');
    });

    it('a file without an executable process is 422', async () => {
      const xml = '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://x"><process id="p" /></definitions>';
      const error = await refused(() => post('/api/definitions').set('Content-Type', 'application/xml').send(xml), 422, 'WF_ERR_BPMN_INVALID');
      expect((error.details.problems as Array<{ rule: string }>)[0]!.rule).to.equal('no-executable-process');
    });

    it('no XML at all: 400 naming body.xml, in Chinese by default and in English on request', async () => {
      const zh = await refused(() => post('/api/definitions').send({}), 400, 'WF_ERR_VALIDATION');
      expect(zh.field).to.equal('body.xml');
      expect(zh.message, 'the field by its label').to.equal('BPMN 文件：必填');
      const en = await refused(() => post('/api/definitions').set('Accept-Language', 'en-US,en;q=0.9').send({}), 400, 'WF_ERR_VALIDATION');
      expect(en.message).to.equal('BPMN file: is required');
      const empty = await refused(() => post('/api/definitions').set('Content-Type', 'application/xml').send(''), 400, 'WF_ERR_VALIDATION');
      expect(empty.field).to.equal('body.xml');
    });
  });

  describe('starting instances', () => {
    it('unknown process key: 404 WF_ERR_DEFINITION_NOT_FOUND', async () => {
      const zh = await refused(() => post('/api/instances').send({ processKey: 'no-such-process' }), 404, 'WF_ERR_DEFINITION_NOT_FOUND');
      expect(zh.message).to.include('不存在').and.include('no-such-process');
      expect(zh.details).to.deep.equal({ key: 'no-such-process' });
      const en = await refused(() => post('/api/instances').set('Accept-Language', 'en').send({ processKey: 'no-such-process', version: 3 }), 404, 'WF_ERR_DEFINITION_NOT_FOUND');
      expect(en.message).to.equal('No process definition no-such-process version 3');
    });

    it('missing processKey: 400 naming body.processKey (必填 / is required)', async () => {
      const zh = await refused(() => post('/api/instances').send({ variables: {} }), 400, 'WF_ERR_VALIDATION');
      expect(zh).to.include({ field: 'body.processKey' });
      expect(zh.message).to.equal('流程：必填');
      const en = await refused(() => post('/api/instances').set('Accept-Language', 'en').send({ variables: {} }), 400, 'WF_ERR_VALIDATION');
      expect(en.message).to.equal('process: is required');
    });

    it('variables that are not an object: 400 naming body.variables', async () => {
      for (const variables of [[1, 2], 'amount=5', 42, true]) {
        const error = await refused(() => post('/api/instances').send(startBody(variables)), 400, 'WF_ERR_VALIDATION');
        expect(error.field, JSON.stringify(variables)).to.equal('body.variables');
        expect(error.details.rule).to.equal('type');
      }
    });

    it('a Camunda typed variable whose value does not fit its type: 400 naming variables.x', async () => {
      const error = await refused(() => post('/api/instances').send(startBody({ x: { value: 'abc', type: 'Long' } })), 400, 'WF_ERR_VALIDATION');
      expect(error.field).to.equal('variables.x');
      expect(error.message).to.include('variables.x').and.include('Long');
      const en = await refused(() => post('/api/instances').set('Accept-Language', 'en').send(startBody({ x: { value: 'abc', type: 'Long' } })), 400, 'WF_ERR_VALIDATION');
      expect(en.message).to.equal('variables.x: a Long value must be a long integer');
    });

    it('every wrong variable is reported at once', async () => {
      const error = await refused(
        () => post('/api/instances').send(startBody({ a: { value: 1.5, type: 'Integer' }, b: { value: 'yes', type: 'Boolean' }, ok: 1, c: { value: 70000, type: 'Short' } })),
        400,
        'WF_ERR_VALIDATION',
      );
      const issues = error.details.issues as Array<{ field: string; rule: string }>;
      expect(issues.map((i) => i.field)).to.deep.equal(['variables.a', 'variables.b', 'variables.c']);
    });

    it('a forbidden variable name (__proto__) or too deep nesting is refused, naming the variable', async () => {
      const proto = await refused(
        () => post('/api/instances').set('Content-Type', 'application/json').send('{"processKey":"http-tasks","variables":{"__proto__":{"polluted":true}}}'),
        400,
        'WF_ERR_VALIDATION',
      );
      expect(proto.field).to.equal('variables.__proto__');
      let deep: unknown = 'bottom';
      for (let i = 0; i < 40; i++) deep = { deeper: deep };
      const nested = await refused(() => post('/api/instances').send(startBody({ deep })), 400, 'WF_ERR_VALIDATION');
      expect(nested.field).to.equal('variables.deep');
    });

    it('more than 500 variables: 400 naming body.variables', async () => {
      const many = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`v${i}`, i]));
      const error = await refused(() => post('/api/instances').send(startBody(many)), 400, 'WF_ERR_VALIDATION');
      expect(error.field).to.equal('body.variables');
      expect(error.details.rule).to.equal('maxProperties');
    });

    it('an unknown body field: 400 additionalProperties naming it', async () => {
      const error = await refused(() => post('/api/instances').send({ processKey: 'http-tasks', tenantId: 'acme' }), 400, 'WF_ERR_VALIDATION');
      expect(error.field).to.equal('body.tenantId');
      expect(error.details.rule).to.equal('additionalProperties');
      expect(error.message, 'a plain name').to.match(/^tenantId：/);
    });

    it('a field of the wrong type is explained in words in both languages', async () => {
      const zh = await refused(() => post('/api/instances').send({ processKey: 'http-tasks', businessKey: 42 }), 400, 'WF_ERR_VALIDATION');
      expect(zh.field).to.equal('body.businessKey');
      expect(zh.message, 'no raw JSON Schema type names in a Chinese message').to.not.match(/string|null/);
      const en = await refused(() => post('/api/instances').set('Accept-Language', 'en').send({ processKey: 'http-tasks', businessKey: 42 }), 400, 'WF_ERR_VALIDATION');
      expect(en.message, 'no raw JSON Schema type list in an English message').to.not.include('string,null');
    });

    it('a start whose expressions cannot be evaluated is 422 and leaves nothing behind', async () => {
      const error = await refused(() => post('/api/instances').send({ processKey: 'http-tasks', variables: { assignee: 'ann' } }), 422, 'WF_ERR_EXPRESSION');
      expect(error.details).to.include({ elementId: 'review' });
      expect(error.message, 'the evaluator’s reason in Chinese').to.include('找不到变量').and.not.match(/Cannot|resolve/);
      const en = await refused(() => post('/api/instances').set('Accept-Language', 'en').send({ processKey: 'http-tasks', variables: { assignee: 'ann' } }), 422, 'WF_ERR_EXPRESSION');
      expect(en.message).to.include('Cannot resolve identifier');
    });
  });

  describe('request bodies', () => {
    it('malformed JSON: 400 WF_ERR_MALFORMED_JSON', async () => {
      const error = await refused(() => post('/api/instances').set('Content-Type', 'application/json').send('{"processKey": "http-tasks",'), 400, 'WF_ERR_MALFORMED_JSON');
      expect(error.field).to.equal('body');
      expect(error.message, 'no English parser text').to.equal('请求体不是合法的 JSON：第 29 个字符附近有语法错误');
      const zh = await refused(() => post('/api/instances').set('Content-Type', 'application/json').send('{oops}'), 400, 'WF_ERR_MALFORMED_JSON');
      expect(zh.message).to.equal('请求体不是合法的 JSON：第 2 个字符附近有语法错误');
      const en = await refused(() => post('/api/instances').set('Accept-Language', 'en').set('Content-Type', 'application/json').send('{oops}'), 400, 'WF_ERR_MALFORMED_JSON');
      expect(en.message).to.match(/^The request body is not valid JSON: .*position 1/);
    });

    it('a JSON body that is not an object: 400', async () => {
      const array = await refused(() => post('/api/instances').set('Content-Type', 'application/json').send('[]'), 400, 'WF_ERR_VALIDATION');
      expect(array.field).to.equal('body');
      await refused(() => post('/api/instances').set('Content-Type', 'application/json').send('null'), 400, 'WF_ERR_MALFORMED_JSON');
    });

    it('a wrong content type: 415 (text/plain, or XML where only JSON is accepted)', async () => {
      const error = await refused(() => post('/api/instances').set('Content-Type', 'text/plain').send('processKey=http-tasks'), 415, 'WF_ERR_UNSUPPORTED_MEDIA_TYPE');
      expect(error.details).to.deep.equal({ contentType: 'text/plain' });
      await refused(() => post('/api/definitions').set('Content-Type', 'text/plain').send(fixture('http-tasks')), 415, 'WF_ERR_UNSUPPORTED_MEDIA_TYPE');
      await refused(() => post('/api/instances').set('Content-Type', 'application/xml').send('<processKey>http-tasks</processKey>'), 415, 'WF_ERR_UNSUPPORTED_MEDIA_TYPE');
      await refused(() => post(`/api/tasks/${taskId}/complete`).set('Content-Type', 'application/x-www-form-urlencoded').send('a=1'), 415, 'WF_ERR_UNSUPPORTED_MEDIA_TYPE');
    });

    it('an unsupported charset or content encoding: 415', async () => {
      await refused(() => post('/api/instances').set('Content-Type', 'application/json; charset=latin1').send('{}'), 415, 'WF_ERR_UNSUPPORTED_MEDIA_TYPE');
      await refused(() => post('/api/instances').set('Content-Type', 'application/json').set('Content-Encoding', 'compress').send('{}'), 415, 'WF_ERR_UNSUPPORTED_MEDIA_TYPE');
    });

    it('a body that claims to be gzip but is not: 400, not 500', async () => {
      const error = await refused(() => post('/api/instances').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{"processKey":"http-tasks"}'), 400, 'WF_ERR_BAD_REQUEST');
      expect(error.field).to.equal('body');
      expect(error.message).to.equal('请求无法处理：请求体无法读取');
    });

    it('a JSON body over 2 MB: 413 WF_ERR_BODY_TOO_LARGE', async () => {
      const error = await refused(() => post('/api/instances').send({ processKey: 'http-tasks', variables: { blob: 'x'.repeat(2 * 1024 * 1024 + 1) } }), 413, 'WF_ERR_BODY_TOO_LARGE');
      expect(error.field).to.equal('body');
      expect(error.details.limit).to.include(String(2 * 1024 * 1024));
      await refused(() => post('/api/definitions').send({ xml: `<definitions>${'x'.repeat(2_100_000)}</definitions>` }), 413, 'WF_ERR_BODY_TOO_LARGE');
    });

    it('an XML body over 5 MB: 413', async () => {
      await refused(() => post('/api/definitions').set('Content-Type', 'application/xml').send(`<definitions>${'x'.repeat(5 * 1024 * 1024)}</definitions>`), 413, 'WF_ERR_BODY_TOO_LARGE');
    });
  });

  describe('queries and paths', () => {
    it('limit=1000: 400 naming query.limit', async () => {
      for (const path of ['/api/tasks', '/api/instances', '/api/definitions', '/api/incidents', `/api/instances/${instanceId}/history`]) {
        const error = await refused(() => request(app).get(`${path}?limit=1000`), 400, 'WF_ERR_VALIDATION');
        expect(error.field, path).to.equal('query.limit');
        expect(error.details.rule).to.equal('maximum');
      }
      const en = await refused(() => request(app).get('/api/tasks?limit=1000').set('Accept-Language', 'en'), 400, 'WF_ERR_VALIDATION');
      expect(en.message).to.equal('page size: must be at most 200');
      const zh = await refused(() => request(app).get('/api/tasks?limit=1000'), 400, 'WF_ERR_VALIDATION');
      expect(zh.message).to.equal('每页条数：不能大于 200');
    });

    it('unknown query parameters and bad values name the parameter', async () => {
      const cases: Array<[string, string]> = [
        ['/api/tasks?owner=ann', 'query.owner'],
        ['/api/tasks?state=done', 'query.state'],
        ['/api/tasks?dueBefore=tomorrow', 'query.dueBefore'],
        ['/api/tasks?unassigned=perhaps', 'query.unassigned'],
        ['/api/tasks?offset=-1', 'query.offset'],
        ['/api/tasks?limit=0', 'query.limit'],
        ['/api/tasks?limit=1&limit=2', 'query.limit'],
        ['/api/instances?version=latest', 'query.version'],
        ['/api/incidents?state=closed', 'query.state'],
        ['/api/definitions?latest=maybe', 'query.latest'],
        ['/api/definitions/http-tasks/xml?version=0', 'query.version'],
        ['/api/definitions/http-tasks/versions/first', 'params.version'],
        [`/api/instances/${'x'.repeat(65)}`, 'params.id'],
      ];
      for (const [path, field] of cases) {
        const error = await refused(() => request(app).get(path), 400, 'WF_ERR_VALIDATION');
        expect(error.field, path).to.equal(field);
      }
    });

    it('NUL characters and out-of-range numbers: 400 naming the field, never a 500 from the database', async () => {
      expect((await refused(() => request(app).get('/api/tasks?assignee=a%00b'), 400, 'WF_ERR_VALIDATION')).field).to.equal('query.assignee');
      expect((await refused(() => request(app).get('/api/tasks/%00'), 400, 'WF_ERR_VALIDATION')).field).to.equal('params.id');
      expect((await refused(() => post('/api/instances').send({ processKey: 'http-tasks', businessKey: 'A\u0000B' }), 400, 'WF_ERR_VALIDATION')).field).to.equal('body.businessKey');
      expect((await refused(() => request(app).get('/api/definitions/http-tasks/versions/99999999999'), 400, 'WF_ERR_VALIDATION')).field).to.equal('params.version');
      expect((await refused(() => post('/api/messages').send({ name: 'm', correlationKey: 'x'.repeat(256) }), 400, 'WF_ERR_VALIDATION')).field).to.equal('body.correlationKey');
    });

    it('a path with broken percent-encoding: 400, not 500', async () => {
      const error = await refused(() => request(app).get('/api/tasks/%E0%A4%A'), 400, 'WF_ERR_VALIDATION');
      expect(error.field).to.equal('path');
    });

    it('an unknown route: 404 WF_ERR_ROUTE_NOT_FOUND (接口不存在 / No such endpoint)', async () => {
      const zh = await refused(() => request(app).get('/api/workflows'), 404, 'WF_ERR_ROUTE_NOT_FOUND');
      expect(zh.message).to.equal('接口不存在：GET /api/workflows');
      expect(zh.message).to.include('不存在');
      const en = await refused(() => request(app).delete(`/api/tasks/${taskId}`).set('Accept-Language', 'en'), 404, 'WF_ERR_ROUTE_NOT_FOUND');
      expect(en.message).to.equal(`No such endpoint: DELETE /api/tasks/${taskId}`);
      await refused(() => request(app).put('/api/instances'), 404, 'WF_ERR_ROUTE_NOT_FOUND');
      await refused(() => post('/api/tasks').send({}), 404, 'WF_ERR_ROUTE_NOT_FOUND');
    });
  });

  describe('tasks', () => {
    it('completing a finished task: 409 WF_ERR_TASK_NOT_ACTIVE, and nothing changes', async () => {
      const done = await post(`/api/tasks/${taskId}/complete`).set('X-User-Id', 'ann').send({ variables: { approved: true } });
      expect(done.status).to.equal(200);
      const zh = await refused(() => post(`/api/tasks/${taskId}/complete`).set('X-User-Id', 'ann').send({ variables: { approved: false } }), 409, 'WF_ERR_TASK_NOT_ACTIVE');
      expect(zh.details).to.deep.equal({ taskId, state: 'completed' });
      expect(zh.message).to.equal(`任务 ${taskId} 已结束，不能再办理`);
      const en = await refused(() => post(`/api/tasks/${taskId}/complete`).set('Accept-Language', 'en').send({}), 409, 'WF_ERR_TASK_NOT_ACTIVE');
      expect(en.message).to.equal(`Task ${taskId} is already completed`);
      await refused(() => post(`/api/tasks/${taskId}/claim`).set('X-User-Id', 'ann'), 409, 'WF_ERR_TASK_NOT_ACTIVE');
      await refused(() => post(`/api/tasks/${taskId}/unclaim`), 409, 'WF_ERR_TASK_NOT_ACTIVE');
    });

    it('an unknown task id: 404 WF_ERR_TASK_NOT_FOUND', async () => {
      const id = '0a0a0a0a-0000-4000-8000-000000000000';
      const zh = await refused(() => post(`/api/tasks/${id}/complete`).send({ variables: { a: 1 } }), 404, 'WF_ERR_TASK_NOT_FOUND');
      expect(zh.message).to.equal(`任务不存在：${id}`);
      const en = await refused(() => request(app).get(`/api/tasks/${id}`).set('Accept-Language', 'en'), 404, 'WF_ERR_TASK_NOT_FOUND');
      expect(en.message).to.equal(`No task ${id}`);
    });

    it('completing with a bad variable is refused before anything happens', async () => {
      const error = await refused(() => post(`/api/tasks/${taskId}/complete`).set('X-User-Id', 'ann').send({ variables: { amount: { value: 'lots', type: 'Double' } } }), 400, 'WF_ERR_VALIDATION');
      expect(error.field).to.equal('variables.amount');
      const extra = await refused(() => post(`/api/tasks/${taskId}/complete`).set('X-User-Id', 'ann').send({ variables: {}, comment: 'ok' }), 400, 'WF_ERR_VALIDATION');
      expect(extra.field).to.equal('body.comment');
    });
  });

  describe('messages, signals, instances, incidents', () => {
    it('an unknown correlation key: 404 WF_ERR_MESSAGE_NOT_CORRELATED', async () => {
      await post('/api/instances').send({ processKey: 'http-payment', businessKey: 'order-1' }).expect(201);
      const zh = await refused(() => post('/api/messages').send({ name: 'payment-received', correlationKey: 'order-999' }), 404, 'WF_ERR_MESSAGE_NOT_CORRELATED');
      expect(zh.message).to.equal('没有等待消息 payment-received（关联键 order-999）的流程');
      const en = await refused(() => post('/api/messages').set('Accept-Language', 'en').send({ name: 'payment-received', correlationKey: 'order-999' }), 404, 'WF_ERR_MESSAGE_NOT_CORRELATED');
      expect(en.message).to.equal('No process is waiting for message payment-received (correlation key order-999)');
    });

    it('bad message and signal bodies name the field', async () => {
      const cases: Array<[string, unknown, string]> = [
        ['/api/messages', {}, 'body.name'],
        ['/api/messages', { name: '' }, 'body.name'],
        ['/api/messages', { name: 'm', bufferSeconds: -1 }, 'body.bufferSeconds'],
        ['/api/messages', { name: 'm', bufferSeconds: 1.5 }, 'body.bufferSeconds'],
        ['/api/messages', { name: 'm', all: 'yes' }, 'body.all'],
        ['/api/messages', { name: 'm', variables: [] }, 'body.variables'],
        ['/api/signals', {}, 'body.name'],
        ['/api/signals', { name: 'alarm', variables: { level: { value: 'high', type: 'Integer' } } }, 'variables.level'],
      ];
      for (const [path, body, field] of cases) {
        const error = await refused(() => post(path).send(body as object), 400, 'WF_ERR_VALIDATION');
        expect(error.field, `${path} ${JSON.stringify(body)}`).to.equal(field);
      }
    });

    it('cancelling an unknown or finished instance: 404 / 409', async () => {
      await refused(() => post('/api/instances/nope/cancel').send({}), 404, 'WF_ERR_INSTANCE_NOT_FOUND');
      const reason = await refused(() => post(`/api/instances/${instanceId}/cancel`).send({ reason: 5 }), 400, 'WF_ERR_VALIDATION');
      expect(reason.field).to.equal('body.reason');
      await post(`/api/instances/${instanceId}/cancel`).send({}).expect(200);
      const zh = await refused(() => post(`/api/instances/${instanceId}/cancel`).send({}), 409, 'WF_ERR_INSTANCE_NOT_RUNNING');
      expect(zh.message).to.equal(`流程实例 ${instanceId} 已撤销，不能再操作`);
    });

    it('retrying an unknown incident: 404', async () => {
      const error = await refused(() => post('/api/incidents/nope/retry'), 404, 'WF_ERR_INCIDENT_NOT_FOUND');
      expect(error.details).to.deep.equal({ incidentId: 'nope' });
    });
  });

  it('never answers 500 to odd requests (and writes nothing)', async () => {
    const requests: Record<string, () => request.Test> = {
      'repeated __proto__ query key': () => request(app).get('/api/tasks?__proto__=a&__proto__=b'),
      'constructor query key': () => request(app).get('/api/tasks?constructor=x'),
      '101 candidate groups': () => request(app).get('/api/tasks?candidateGroups=' + Array.from({ length: 101 }, (_, i) => `g${i}`).join(',')),
      'a JSON string body': () => post('/api/instances').set('Content-Type', 'application/json').send('"http-tasks"'),
      'a duplicated JSON key': () => post('/api/instances').set('Content-Type', 'application/json').send('{"processKey":"http-tasks","processKey":5}'),
      'version 0': () => post('/api/instances').send({ processKey: 'http-tasks', version: 0 }),
      'a too long process key': () => post('/api/instances').send({ processKey: 'x'.repeat(129) }),
      'an empty variable name': () => post('/api/instances').send({ processKey: 'http-tasks', variables: { '': 1 } }),
      'a too long variable name': () => post('/api/instances').send({ processKey: 'http-tasks', variables: { ['n'.repeat(256)]: 1 } }),
      'xml that is a number': () => post('/api/definitions').send({ xml: 42 }),
      'unclosed definitions': () =>
        post('/api/definitions')
          .set('Content-Type', 'application/xml')
          .send('<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p" isExecutable="true"><startEvent id="s"/></process>'),
      'a DOCTYPE with entities': () => post('/api/definitions').set('Content-Type', 'application/xml').send('<!DOCTYPE x [<!ENTITY a "aaaa">]><definitions/>'),
      'an empty userId': () => post(`/api/tasks/${taskId}/claim`).send({ userId: '' }),
      'a too long userId': () => post(`/api/tasks/${taskId}/claim`).send({ userId: 'u'.repeat(129) }),
      'truncated JSON': () => post(`/api/tasks/${taskId}/complete`).set('Content-Type', 'application/json').send('{"variables":{"a":1}'),
      'a path below openapi.json': () => request(app).get('/api/openapi.json/extra'),
    };
    const wrong: string[] = [];
    for (const [label, send] of Object.entries(requests)) {
      const before = await snapshot(ctx().db);
      const res = await send();
      const code = (res.body as Partial<ErrorBody>).error?.code ?? '(no error code)';
      if (res.status < 400 || res.status > 499 || !code.startsWith('WF_ERR_')) wrong.push(`${label}: ${res.status} ${code}`);
      expect(await snapshot(ctx().db), label).to.deep.equal(before);
    }
    expect(wrong).to.deep.equal([]);
  });
});
