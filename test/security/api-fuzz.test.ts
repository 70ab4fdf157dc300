/**
 * Every route in openapi.json, fuzzed: path ids from the real data and from
 * junk, query values and bodies made from each route's own schema and then
 * broken (wrong types, huge, nested, missing, extra), as an admin, a clerk and
 * a citizen. Never a 5xx, and the server still answers at the end. A fixed
 * list of seeds runs every time, plus one random seed printed with any failure
 * (FUZZ_SEED=n runs that seed alone).
 */
import { expect } from 'chai';
import { BACKENDS } from '../support/databases.ts';
import { startProduct, type Product, type Session } from '../support/product.ts';
import { needs } from '../support/services.ts';

type Schema = Record<string, unknown>;
interface Operation {
  method: string;
  path: string;
  parameters: Array<{ name: string; in: 'path' | 'query'; schema: Schema }>;
  body: Schema | null;
  multipart: boolean;
}

const FIXED_SEEDS = [1, 7, 42, 2026];
const RANDOM_SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const SEEDS = process.env.FUZZ_SEED ? [RANDOM_SEED] : [...FIXED_SEEDS, RANDOM_SEED];
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 3);

/** Routes that would end the fuzzing session itself: tried once, at the end. */
const SESSION_ENDERS = new Set(['POST /api/auth/logout']);

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

const JUNK: unknown[] = [null, true, 0, -1, 1.5, 1e308, -1e-308, '', ' ', '💥', '\u0000', '../../etc/passwd', '<x>', "'; DROP TABLE wf_tasks; --", 'x'.repeat(5000), '1e999', 'NaN', '__proto__', [], {}, [[[[]]]], { __proto__: { admin: true } }, { constructor: { prototype: {} } }];

class Fuzzer {
  constructor(
    readonly rnd: () => number,
    private readonly ids: string[],
  ) {}

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!;
  }

  /** A value for the schema: usually shaped like it, sometimes junk. */
  value(schema: Schema | undefined, depth = 0): unknown {
    if (!schema || this.rnd() < 0.15 || depth > 5) return this.pick(JUNK);
    if (Array.isArray(schema.enum)) return this.pick(schema.enum as unknown[]);
    const type = Array.isArray(schema.type) ? this.pick(schema.type as string[]) : schema.type;
    for (const alternative of ['anyOf', 'oneOf'] as const) if (Array.isArray(schema[alternative])) return this.value(this.pick(schema[alternative] as Schema[]), depth);
    switch (type) {
      case 'string':
        return this.pick([...this.ids, 'leave', 'road-pass', '2026-12-07', '2026-12-07T08:00:00Z', '13800000000', 'zhangsan', 'annual', 'x'.repeat(Number(schema.maxLength ?? 10) + 1), '张三']);
      case 'integer':
      case 'number':
        return this.pick([0, 1, 2, 20, -5, 1e9, Number(schema.maximum ?? 100), Number(schema.minimum ?? 0) - 1, 0.5]);
      case 'boolean':
        return this.rnd() < 0.5;
      case 'null':
        return null;
      case 'array':
        return Array.from({ length: Math.floor(this.rnd() * 4) }, () => this.value(schema.items as Schema | undefined, depth + 1));
      case 'object':
      default: {
        const out: Record<string, unknown> = {};
        const properties = (schema.properties ?? {}) as Record<string, Schema>;
        for (const [name, inner] of Object.entries(properties)) if (this.rnd() < 0.75) out[name] = this.value(inner, depth + 1);
        if (this.rnd() < 0.2) out[`extra${Math.floor(this.rnd() * 9)}`] = this.pick(JUNK);
        return out;
      }
    }
  }

  pathValue(): string {
    return encodeURIComponent(String(this.pick([...this.ids, ...this.ids, 'nope', '%', '..', 'ä'.repeat(300), '0', '-1', ' ', '\u0001'])));
  }
}

function operations(document: { paths: Record<string, Record<string, { parameters?: Operation['parameters']; requestBody?: { content: Record<string, { schema: Schema }> } }>> }): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content['application/json']?.schema ?? op.requestBody?.content['multipart/form-data']?.schema ?? null,
      multipart: Boolean(op.requestBody?.content['multipart/form-data']),
    })),
  );
}

for (const backend of BACKENDS) {
  describe(`security: every route fuzzed [${backend}]`, function () {
    needs(this, backend);
    this.timeout(300_000);
    let p: Product;
    let sessions: Array<{ who: string; login: () => Promise<Session> }>;
    let ops: Operation[];
    let ids: string[];

    // A product of its own per seed: the admin's turn may rewrite connector settings, dictionaries, the organisation.
    beforeEach(async () => {
      p = await startProduct(backend, { UPLOADS_PER_MINUTE: '100000', SMS_CODES_PER_CLIENT: '100000' });
      const admin = await p.login('admin');
      ops = operations((await p.call('GET', '/api/openapi.json')).body);
      // Real ids to aim at: a case, its task, a definition, a form, a notice.
      const clerk = await p.login('zhangsan');
      const started = await clerk.call('POST', '/api/processes/leave/start-form/submit', { data: { leaveType: 'annual', startDate: '2026-12-07', endDate: '2026-12-08', reason: '回老家探亲', handover: 'wangwu' } });
      const task = (await admin.call('GET', `/api/tasks?instanceId=${started.body.id}`)).body.items[0];
      ids = [started.body.id, task?.id, 'leave', 'leave-request', 'leave-types', 'payment', 'sms', 'office', 'wangwu', 'clerk'].filter(Boolean);
      sessions = [
        {
          who: 'citizen',
          login: () => {
            p.clock.advance(61_000); // one sign-in code a minute per number
            return p.loginCitizen('13800000777');
          },
        },
        { who: 'clerk', login: () => p.login('lisi') },
        { who: 'admin', login: () => p.login('admin') },
      ];
    });

    afterEach(async () => {
      await p?.close();
    });

    for (const seed of SEEDS) {
      it(`answers no request with a 5xx and stays up (seed ${seed})`, async () => {
        const f = new Fuzzer(random(seed), ids);
        const failures: string[] = [];
        for (const { who, login } of sessions) {
          let session = await login();
          for (let round = 0; round < ROUNDS; round++) {
            for (const op of ops) {
              if (SESSION_ENDERS.has(`${op.method} ${op.path}`)) continue;
              const path = op.path.replace(/\{(\w+)\}/g, () => f.pathValue());
              const query = op.parameters.filter((q) => q.in === 'query' && f.rnd() < 0.6).map((q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(String(f.value(q.schema)))}`);
              if (f.rnd() < 0.1) query.push(`${f.pick(['limit', 'offset', 'x', '__proto__'])}=${encodeURIComponent(String(f.pick(JUNK)))}`);
              const url = `${p.base}${path}${query.length ? `?${query.join('&')}` : ''}`;
              let init: RequestInit = { method: op.method, headers: session.headers };
              if (op.multipart) {
                const form = new FormData();
                form.append(f.pick(['file', 'file', 'other']), new Blob([f.pick([Buffer.from('%PDF-1.4\n%%EOF'), Buffer.from('not a file'), Buffer.alloc(0)])]), f.pick(['a.pdf', '../x', '']));
                // The text parts from the schema; its binary `file` part is the one appended above.
                for (const [name, value] of Object.entries((f.value(op.body ?? undefined) ?? {}) as Record<string, unknown>)) if (name !== 'file') form.append(name, String(value));
                init = { ...init, body: form };
              } else if (op.body && op.method !== 'GET') {
                const body = f.rnd() < 0.1 ? f.pick(['{', '[]', 'null', '"x"', '{"a":' + '['.repeat(100) + ']'.repeat(100) + '}']) : JSON.stringify(f.value(op.body));
                init = { ...init, headers: { ...session.headers, 'content-type': 'application/json' }, body };
              }
              let status: number;
              try {
                const response = await fetch(url, init);
                status = response.status;
                await response.arrayBuffer();
              } catch (err) {
                failures.push(`${who} ${op.method} ${url}: ${String(err)}`);
                continue;
              }
              if (status >= 500) failures.push(`${who} ${op.method} ${url} ${typeof init.body === 'string' ? init.body.slice(0, 300) : ''} → ${status}`);
              if (status === 401) session = await login(); // a route that ended the session (a revoked token …)
            }
          }
        }
        expect(failures, `seed ${seed} (FUZZ_SEED=${seed} repeats it)`).to.deep.equal([]);
        expect((await p.call('GET', '/healthz')).status).to.equal(200);
      });
    }
  });
}
