/**
 * Thousands of random payloads against the demo forms, over HTTP: never a 5xx,
 * and nothing is written unless a submission was accepted (201 → one instance).
 * The generator is seeded: a failure names the seed and the payload.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { silentLogger } from '../../engine/core/ports.ts';
import { createApp } from '../../engine/http/app.ts';
import { trustedHeader } from '../support/trusted-header.ts';
import { count } from '../support/databases.ts';
import { deployDemoForms, demoBpmn, demoForm } from '../support/forms.ts';
import { describeOnBothStores } from '../support/harness.ts';
import { frontOf } from '../../engine/wiring.ts';

const PAYLOADS = Number(process.env.FUZZ_PAYLOADS ?? 1500);

/** mulberry32: small, fast, good enough to pick values. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = ['', ' ', '张三', '豫K·A8M21', '11010519491231002X', '13812345678', '2026-12-07', '2026-13-45', '411002', 'annual', 'sick', 'personal', 'ems', "'; DROP TABLE wf_instances; --", '<script>alert(1)</script>', '\u0000', '💥', 'x'.repeat(3000), '__proto__', '1e309'];

function value(rnd: () => number, depth = 0): unknown {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  switch (Math.floor(rnd() * (depth > 3 ? 6 : 9))) {
    case 0:
      return null;
    case 1:
      return rnd() < 0.5;
    case 2:
      return pick([0, -1, 1, 1.005, 19.99, 1e21, -1e-9, 365, 366, Number.MAX_SAFE_INTEGER]);
    case 3:
    case 4:
      return pick(STRINGS);
    case 5:
      return Math.floor(rnd() * 1000);
    case 6:
      return Array.from({ length: Math.floor(rnd() * 4) }, () => value(rnd, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 4); i > 0; i--) out[pick(['start', 'end', 'files', 'paper', 'amount', 'date', 'category', 'id-card', 'x', '__proto__'])] = value(rnd, depth + 1);
      return out;
    }
  }
}

/** A payload of the form's own fields with random values — or a valid one with a few fields changed — sometimes plus junk. */
function payload(rnd: () => number, fields: string[], valid: Record<string, unknown> | undefined): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (valid && rnd() < 0.4) {
    Object.assign(data, structuredClone(valid));
    for (let changes = Math.floor(rnd() * 3); changes > 0; changes--) data[fields[Math.floor(rnd() * fields.length)]!] = value(rnd);
  } else {
    for (const field of fields) if (rnd() < 0.6) data[field] = value(rnd);
  }
  if (rnd() < 0.15) data[`junk${Math.floor(rnd() * 10)}`] = value(rnd);
  return data;
}

describeOnBothStores('forms fuzzing', (ctx) => {
  it(`Given ${PAYLOADS} random payloads against the demo forms, then no answer is a 5xx and only accepted submissions write`, async function () {
    this.timeout(240_000);
    const { wf, store, db } = ctx();
    await deployDemoForms(wf, 'leave-request', 'expense-claim', 'road-pass-application');
    for (const flow of ['leave', 'expense', 'road-pass']) await wf.deploy(demoBpmn(flow), 'analyst');
    const server = http.createServer(createApp({ ...frontOf(wf), logger: silentLogger, authenticate: trustedHeader, ready: () => store.ping() }));
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const targets = [
      { process: 'leave', fields: Object.keys(demoForm('leave-request').schema.properties), valid: { leaveType: 'annual', startDate: '2026-12-07', endDate: '2026-12-08', reason: '探亲' } },
      { process: 'expense', fields: Object.keys(demoForm('expense-claim').schema.properties), valid: { title: '出差北京', items: [{ date: '2026-12-01', category: 'travel', amount: 560.5 }] } },
      { process: 'road-pass', fields: Object.keys(demoForm('road-pass-application').schema.properties) },
    ];
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    const rnd = random(seed);
    const tables = ['wf_instances', 'wf_tasks', 'wf_history', 'wf_files'] as const;
    const before = Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(db, t)])));
    let accepted = 0;
    const statuses = new Map<number, number>();
    try {
      for (let i = 0; i < PAYLOADS; i++) {
        const target = targets[i % targets.length]!;
        const data = payload(rnd, target.fields, 'valid' in target ? target.valid : undefined);
        const language = rnd() < 0.5 ? 'en' : 'zh-CN';
        const action = rnd() < 0.7 ? 'submit' : 'validate';
        const body = rnd() < 0.03 ? value(rnd) : { data };
        const res = await request(base).post(`/api/processes/${target.process}/start-form/${action}`).set('X-User-Id', 'fuzzer').set('Accept-Language', language).set('Content-Type', 'application/json').send(JSON.stringify(body) ?? 'null');
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, `seed ${seed}, payload ${i}: ${JSON.stringify(body).slice(0, 500)} → ${JSON.stringify(res.body).slice(0, 300)}`).to.be.below(500);
        if (res.status >= 400) {
          expect(res.body.error?.message, `seed ${seed}, payload ${i}`).to.be.a('string').and.not.include('undefined');
          if (language === 'en') expect(res.body.error.message, `seed ${seed}, payload ${i}: English punctuation`).to.not.match(/[：；]/);
        }
        if (action === 'submit' && res.status === 201) accepted++;
      }
    } finally {
      server.close();
    }
    const after = Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(db, t)])));
    expect(after.wf_instances - before.wf_instances, `instances written (statuses ${JSON.stringify([...statuses])})`).to.equal(accepted);
    expect(after.wf_files).to.equal(before.wf_files);
    expect(statuses.get(422) ?? 0, 'most random payloads are refused as invalid form data').to.be.above(PAYLOADS / 4);
    expect(accepted, 'some mutated valid payloads still pass').to.be.above(PAYLOADS / 50);
  });
});
