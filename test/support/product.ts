/**
 * The whole product in-process, wired by the composition root (engine/server.ts)
 * exactly as `npm start` wires it — sessions, the demo organisation and demo
 * flows, the connectors and their simulators — on a real port and a clock the
 * test moves.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../engine/config.ts';
import { silentLogger } from '../../engine/core/ports.ts';
import { createLogger } from '../../engine/logger.ts';
import { createServer, type Server } from '../../engine/server.ts';
import { FakeClock } from './clock.ts';
import { databaseUrl, openTestDatabase, truncate, type Backend } from './databases.ts';
import { removeTemp, tempDir } from './services.ts';

export const DEMO_PASSWORD = 'Demo2026';

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are checked field by field
  body: any;
  headers: Headers;
}

export interface Session {
  /** Headers that carry this session: the cookie and its CSRF token, or a bearer token. */
  headers: Record<string, string>;
  call(method: string, path: string, body?: unknown): Promise<Answer>;
}

export interface Product {
  server: Server;
  base: string;
  clock: FakeClock;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** Sign in with username and password (the demo password by default). */
  login(username: string, password?: string): Promise<Session>;
  /** A citizen's sign-in: the code is read off the SMS simulator, as the phone would show it. */
  loginCitizen(mobile: string): Promise<Session>;
  /** GET a simulator's inspection route (/sim/sms/_messages …), which only an admin may read. */
  inspect(path: string): Promise<Answer>;
  as(headers: Record<string, string>): Session;
  close(): Promise<void>;
}

export async function startProduct(backend: Backend, env: Record<string, string> = {}): Promise<Product> {
  const url = databaseUrl(backend);
  if (backend === 'postgres') {
    const db = await openTestDatabase(backend, url);
    await truncate(db);
    await db.close();
  }
  // The data folder (uploads, key files, anchor copies): beside the SQLite file, or a temporary one.
  const data = backend === 'sqlite' ? path.dirname(url.replace(/^sqlite:/, '')) : tempDir('product');
  const clock = new FakeClock();
  const config = loadConfig({ DATABASE_URL: url, PORT: '0', DEMO: 'true', WORKER: 'false', FILES_DIR: path.join(data, 'files'), CONNECTOR_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'), ...env });
  const server = await createServer(config, { clock, logger: process.env.TEST_LOG ? createLogger('error') : silentLogger });
  const listening = await server.listen(0);
  const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(base + path, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };
  const as = (headers: Record<string, string>): Session => ({ headers, call: (method, path, body) => call(method, path, body, headers) });
  let admin: Session | undefined;
  const sessionOf = (answer: Answer): Session => as({ cookie: answer.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': answer.body.csrfToken as string });
  const product: Product = {
    server,
    base,
    clock,
    call,
    as,
    async login(username, password = DEMO_PASSWORD) {
      const answer = await call('POST', '/api/auth/login', { username, password });
      if (answer.status !== 200) throw new Error(`${username} could not sign in: ${answer.status} ${JSON.stringify(answer.body)}`);
      return sessionOf(answer);
    },
    async inspect(path) {
      admin ??= await product.login('admin');
      const answer = await admin.call('GET', path);
      if (answer.status !== 401) return answer;
      admin = await product.login('admin'); // the clock moved past the session's end
      return admin.call('GET', path);
    },
    async loginCitizen(mobile) {
      const asked = await call('POST', '/api/auth/sms-code', { mobile });
      if (asked.status === 429) {
        // Over the SMS limit for this phone (a test that sent it many): the fake clock moves on to when one may go.
        clock.advance(Number(asked.body.error.details.retryAfter ?? 60) * 1000);
        await call('POST', '/api/auth/sms-code', { mobile });
      }
      const sent = await product.inspect(`/sim/sms/_messages?phone=${mobile}`);
      const code = /验证码 (\d{6})/.exec(String(sent.body.items[0]?.text))?.[1];
      const answer = await call('POST', '/api/auth/sms-login', { mobile, code });
      if (answer.status !== 200) throw new Error(`citizen ${mobile} could not sign in: ${answer.status} ${JSON.stringify(answer.body)}`);
      return sessionOf(answer);
    },
    async close() {
      await server.close();
      removeTemp(data);
    },
  };
  return product;
}
