/**
 * Connectors over HTTP: inbound callbacks (raw bodies, for their signatures),
 * the local simulators under /sim/<connector>, and the admin API for settings,
 * recent callbacks and jobs with their attempts.
 */
import express, { type Request, type Response } from 'express';
import type { ConfigView, Connectors } from '../core/connectors/facade.ts';
import type { InboundRequest } from '../core/connectors/port.ts';
import type { Logger } from '../core/ports.ts';
import { iso } from './views.ts';
import type { ApiRequest, Route } from './route.ts';
import type { Authenticate } from './authenticate.ts';
import { demand } from '../core/org/actor.ts';
import { keyParams, requests } from './schemas.ts';
import type { Locale } from '../core/errors.ts';

const MAX_CALLBACK_BYTES = 1024 * 1024;
/** A simulator's notice is tried this often before it gives up, as a gateway does. */
const NOTIFY_BACKOFF_MS = [0, 500, 2000, 5000];

const inbound = (req: Request): InboundRequest => ({
  headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])),
  query: Object.fromEntries(Object.entries(req.query as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : undefined])),
  body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
});

/** Callback and simulator endpoints take raw bytes: mounted before the JSON body parser. */
export function mountRawConnectorRoutes(app: express.Express, connectors: Connectors, options: { simulators: boolean; logger: Logger; authenticate: Authenticate }): { close(): void } {
  const raw = express.raw({ type: () => true, limit: MAX_CALLBACK_BYTES });
  app.post('/api/callbacks/:connector/:callback', raw, async (req: Request, res: Response) => {
    const reply = await connectors.handleCallback(String(req.params.connector), String(req.params.callback), inbound(req));
    res.status(reply.status).type(reply.contentType).send(reply.body);
  });
  const pending = new Set<NodeJS.Timeout>();
  if (options.simulators) {
    app.all('/sim/:connector/{*path}', raw, async (req: Request, res: Response) => {
      const name = String(req.params.connector);
      const path = `/${([] as string[]).concat(req.params.path ?? []).join('/')}`;
      // What the service itself answers stays open; its inspection and control (/_messages, /_control …) is for admins.
      if (path.startsWith('/_')) demand((await options.authenticate(req))?.actor ?? null, 'connector:manage');
      const request = inbound(req);
      const answer = await connectors.simulate(name, { method: req.method, path, ...request }, (url, body, headers, delayMs) => notify(url, body, headers, delayMs, pending, options.logger));
      res.status(answer.status).set(answer.headers ?? {}).send(answer.body);
    });
  }
  return { close: () => pending.forEach((timer) => clearTimeout(timer)) };
}

function notify(url: string, body: string, headers: Record<string, string>, delayMs: number, pending: Set<NodeJS.Timeout>, logger: Logger): void {
  const attempt = (n: number) => {
    const timer = setTimeout(async () => {
      pending.delete(timer);
      try {
        const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
        if (response.ok) return;
        logger.warn({ url, status: response.status }, 'simulated notice refused');
      } catch (err) {
        logger.warn({ url, err: String(err) }, 'simulated notice failed');
      }
      if (n + 1 < NOTIFY_BACKOFF_MS.length) attempt(n + 1);
    }, n === 0 ? delayMs : NOTIFY_BACKOFF_MS[n]);
    timer.unref();
    pending.add(timer);
  };
  attempt(0);
}


export function connectorRoutes(connectors: Connectors): Route[] {
  return [
    {
      method: 'get',
      path: '/api/connectors',
      access: 'connector:manage',
      tag: 'connectors',
      summary: 'The connectors, their operations (handlers for service tasks) and callbacks',
      responses: { 200: { description: 'connectors' } },
      async handle() {
        return {
          body: {
            items: connectors.list().map((c) => ({
              name: c.name,
              title: c.title,
              operations: Object.entries(c.operations).map(([name, op]) => ({ handler: `${c.name}.${name}`, title: op.title, input: op.input })),
              callbacks: Object.entries(c.callbacks ?? {}).map(([name, cb]) => ({ name, title: cb.title, path: `/api/callbacks/${c.name}/${name}` })),
              simulator: Boolean(c.simulator),
              reports: Object.entries(c.reports ?? {}).map(([name, r]) => ({ name, title: r.title, path: `/api/connectors/${c.name}/reports/${name}` })),
            })),
          },
        };
      },
    },
    {
      method: 'get',
      path: '/api/connectors/:key/config',
      access: 'connector:manage',
      tag: 'connectors',
      summary: "A connector's settings in this environment (which secrets are set, never their values)",
      params: keyParams,
      responses: { 200: { description: 'the settings' } },
      async handle(req: ApiRequest<{ key: string }>) {
        return { body: localized(await connectors.view(req.params.key), req) };
      },
    },
    {
      method: 'put',
      path: '/api/connectors/:key/config',
      access: 'connector:manage',
      audit: { action: 'connector.config' },
      tag: 'connectors',
      summary: 'Replace the settings; secrets given are stored encrypted, secrets left out stay; pass rev to guard against a concurrent edit',
      params: keyParams,
      body: requests.putConnectorConfig,
      responses: { 200: { description: 'the settings' } },
      async handle(req: ApiRequest<{ key: string }, object, { settings: Record<string, unknown>; secrets?: Record<string, string>; rev?: number }>) {
        const { rev, ...input } = req.body;
        // Views name which secrets are set, never their values.
        const { before, after } = await connectors.put(req.params.key, input, rev, req.actor);
        return { body: localized(after, req), audit: { before, after } };
      },
    },
    {
      method: 'get',
      path: '/api/connectors/:key/callbacks',
      access: 'connector:manage',
      tag: 'connectors',
      summary: 'Recent inbound callbacks of a connector and what became of them',
      params: keyParams,
      responses: { 200: { description: 'callbacks, newest first' } },
      async handle(req: ApiRequest<{ key: string }>) {
        return { body: { items: (await connectors.recentCallbacks(req.params.key)).map((c) => ({ ...c, receivedAt: iso(c.receivedAt) })) } };
      },
    },
    {
      method: 'get',
      path: '/api/connectors/:key/reports/:report',
      access: 'connector:manage',
      tag: 'connectors',
      summary: "One of a connector's reports for admins (payment: anomalies to refund, reconciliations), newest first",
      params: reportParams,
      responses: { 200: { description: 'the records of the report' } },
      async handle(req: ApiRequest<{ key: string; report: string }>) {
        const report = await connectors.report(req.params.key, req.params.report);
        return { body: { title: report.title, items: report.items.map((r) => ({ key: r.key, ...r.data, recordedAt: iso(r.createdAt) })) } };
      },
    },
  ];
}

/** A settings view with its warnings in the caller's language. */
const localized = (view: ConfigView, req: { locale: Locale }) => ({ ...view, warnings: view.warnings.map((w) => w[req.locale]) });

const reportParams = { type: 'object', required: ['key', 'report'], properties: { key: { type: 'string', minLength: 1, maxLength: 128 }, report: { type: 'string', pattern: '^[a-z][a-zA-Z0-9-]{0,63}$' } } };
