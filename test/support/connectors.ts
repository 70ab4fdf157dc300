/** A test server with the connectors wired as in production: callbacks, admin routes and the simulators, on a real port. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connectors } from '../../engine/core/connectors/facade.ts';
import type { HandlerContext } from '../../engine/core/handlers.ts';
import { silentLogger } from '../../engine/core/ports.ts';
import { createApp } from '../../engine/http/app.ts';
import { wireConnectors, frontOf } from '../../engine/wiring.ts';
import { trustedHeader } from './trusted-header.ts';
import type { TestContext } from './harness.ts';

export interface ConnectorServer {
  base: string;
  connectors: Connectors;
  /** POST JSON to a simulator (e.g. /sim/sms/_reply) or anywhere on the server. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: unknown; text: string }>;
  get(path: string): Promise<{ status: number; json: unknown }>;
  /** Change the settings in force as an admin would, keeping the secrets in force (the simulator's, until changed). */
  tune(connector: string, change: (settings: Record<string, unknown>) => Record<string, unknown>, secrets?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export async function connectorServer(c: TestContext): Promise<ConnectorServer> {
  let base = '';
  const { connectors, stop } = await wireConnectors({ workflow: c.wf, db: c.db, environment: 'test', secretKey: Buffer.alloc(32, 7), simulators: true, baseUrl: () => base });
  const server = http.createServer(createApp({ ...frontOf(c.wf), logger: silentLogger, authenticate: trustedHeader, connectors, simulators: true, ready: () => c.store.ping() }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const answer = async (response: Response) => {
    const text = await response.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, json, text };
  };
  return {
    base,
    connectors,
    post: async (path, body, headers = { 'content-type': 'application/json' }) =>
      answer(await fetch(base + path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })),
    get: async (path) => answer(await fetch(base + path)),
    tune: async (connector, change, secrets = {}) => {
      const current = await connectors.settings.config(connector);
      await connectors.settings.put(connector, { settings: change(current.settings), secrets: { ...current.secrets, ...secrets } }, undefined, 'admin');
    },
    close: async () => {
      await stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Poll until `probe` holds (notices arrive asynchronously, as from a real service). */
export async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A connector's operation (`handler`: sms.send …) run now, as a job of `instanceId` with idempotency key `key` would run it. */
export function runOperation(c: TestContext, handler: string, input: Record<string, unknown>, job: { key: string; instanceId?: string }): Promise<Record<string, unknown>> {
  const run = c.wf.services.handlers.get(handler);
  if (!run) throw new Error(`no handler ${handler}`);
  const context: HandlerContext = {
    idempotencyKey: job.key,
    instanceId: job.instanceId ?? 'x',
    businessKey: null,
    activityId: 'a',
    attempt: 1,
    variables: {},
    input,
    signal: new AbortController().signal,
    report: () => undefined,
  };
  return run(context) as Promise<Record<string, unknown>>;
}
