/**
 * A worker killed while it holds jobs: each flow sends one SMS through the
 * simulated gateway, which records a message at once and answers three
 * seconds later. The server is killed -9 while answers are outstanding and
 * restarted; every SMS must have gone out exactly once and every case moved
 * on once — on the database queue and on BullMQ.
 */
import path from 'node:path';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { databaseUrl, openTestDatabase, removeDatabase, truncate, type Backend } from '../support/databases.ts';
import { kill, startServer as startProcess, type ServerProcess } from '../support/server-process.ts';
import { deleteRedisKeys, needs, redisPrefix, redisUrl, removeTemp, tempDir } from '../support/services.ts';

const CASES = 20;

const FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="qc-d" targetNamespace="http://workflow.dev/test">
  <process id="queue-crash" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="notify" />
    <serviceTask id="notify" camunda:type="external" camunda:topic="sms.send">
      <extensionElements><camunda:inputOutput>
        <camunda:inputParameter name="phone">\${phone}</camunda:inputParameter>
        <camunda:inputParameter name="template">accepted</camunda:inputParameter>
      </camunda:inputOutput></extensionElements>
    </serviceTask>
    <sequenceFlow id="f2" sourceRef="notify" targetRef="handle" /><userTask id="handle" camunda:candidateGroups="clerks" />
  </process>
</definitions>`;

const startServer = (env: Record<string, string>) => startProcess({ HANDLER_TIMEOUT_MS: '2000', ...env });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are checked field by field
async function call(server: ServerProcess, method: string, route: string, body?: unknown, contentType = 'application/json'): Promise<any> {
  const response = await fetch(server.base + route, { method, headers: { 'content-type': contentType, ...server.headers }, ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  return response.json();
}

async function until(what: string, probe: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const SETUPS: Array<{ queue: 'database' | 'bullmq'; store: Backend }> = [
  { queue: 'database', store: 'sqlite' },
  { queue: 'bullmq', store: 'postgres' },
];

for (const setup of SETUPS) {
  describe(`worker killed while holding jobs [${setup.queue} on ${setup.store}]`, function () {
    needs(this, setup.store, ...(setup.queue === 'bullmq' ? (['redis'] as const) : []));
    this.timeout(180_000);
    let server: ServerProcess | null = null;
    let url: string;
    let data: string;
    let env: Record<string, string>;

    before(async () => {
      url = databaseUrl(setup.store);
      data = tempDir('queue-crash');
      // BullMQ's keys under a prefix of this suite's own: other runs on the same Redis are left alone.
      env = { DATABASE_URL: url, FILES_DIR: path.join(data, 'files'), ...(setup.queue === 'bullmq' && { REDIS_URL: redisUrl(), REDIS_PREFIX: redisPrefix('queue-crash') }) };
      const db = await openTestDatabase(setup.store, url);
      await truncate(db);
      await db.close();
    });
    after(async () => {
      if (server) await kill(server);
      if (env?.REDIS_PREFIX) {
        const redis = new Redis(redisUrl());
        try {
          await deleteRedisKeys(redis, `${env.REDIS_PREFIX}:`);
        } finally {
          redis.disconnect();
        }
      }
      removeDatabase(url);
      removeTemp(data);
    });

    it(`Given ${CASES} cases sending an SMS, when the worker is killed -9 with answers outstanding and restarted, then every SMS went out exactly once and every case moved on once`, async () => {
      server = await startServer(env);
      expect((await call(server, 'POST', '/api/definitions', FLOW, 'application/xml')).definitions[0].created).to.equal(true);
      await call(server, 'POST', '/sim/sms/_control', { mode: 'slow', count: CASES, delayMs: 3000 });
      const phones = Array.from({ length: CASES }, (_, i) => `1370000${String(i).padStart(4, '0')}`);
      for (const phone of phones) await call(server, 'POST', '/api/instances', { processKey: 'queue-crash', variables: { phone } });
      const sent = async () => (await call(server!, 'GET', '/sim/sms/_messages')).items as Array<{ phone: string; requestId: string; requests: number }>;
      await until('some messages accepted', async () => (await sent()).length >= 3);
      await kill(server);

      server = await startServer(env);
      await call(server, 'POST', '/sim/sms/_control', { mode: 'normal' });
      await until('every case to move on', async () => (await call(server!, 'GET', '/api/tasks?processKey=queue-crash&state=active&limit=1')).total === CASES);

      const messages = await sent();
      expect(messages.map((m) => m.phone).sort(), 'one SMS per case').to.deep.equal([...phones].sort());
      expect(new Set(messages.map((m) => m.requestId)).size).to.equal(CASES);
      const instances = (await call(server, 'GET', '/api/instances?processKey=queue-crash&limit=100')).items as Array<{ id: string }>;
      expect(instances).to.have.length(CASES);
      for (const instance of instances) {
        const history = (await call(server, 'GET', `/api/instances/${instance.id}/history?limit=200`)).items as Array<{ kind: string }>;
        expect(history.filter((h) => h.kind === 'job.complete'), `case ${instance.id} moved on once`).to.have.length(1);
      }
      // Jobs cut off by the kill ran again after the restart, with the same request id: sent again, delivered once.
      expect(messages.filter((m) => m.requests > 1).length, 'some requests were repeated').to.be.above(0);
      if (env.REDIS_PREFIX) {
        const redis = new Redis(redisUrl());
        try {
          expect((await redis.keys(`${env.REDIS_PREFIX}:*`)).length, 'the jobs went through Redis, under REDIS_PREFIX').to.be.above(0);
        } finally {
          redis.disconnect();
        }
      }
    });
  });
}
