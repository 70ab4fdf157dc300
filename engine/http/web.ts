/**
 * The built web pages: hashed assets cached for a year, the page itself never
 * cached (it names the current assets), and every other GET that is not the
 * API's answered with the page, whose router shows the route (or its 404).
 * Signed-in list pages come rendered, with the visitor's rows (prerender.ts):
 * those are private and never stored by anyone.
 */
import express from 'express';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/ports.ts';
import { pageRenderer } from './prerender.ts';

const NOT_PAGES = /^\/(api|sim|healthz|readyz)(\/|$)/;

export function mountWeb(app: express.Express, dist: string, options: { renderer: string; logger: Logger }): void {
  const index = path.join(dist, 'index.html');
  const sendRendered = pageRenderer(options.renderer, options.logger);
  let template: string | null = null;
  app.use('/assets', express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '365d', index: false }), (_req: express.Request, res: express.Response) => void res.status(404).end());
  app.use(express.static(dist, { index: false, maxAge: '1h' }));
  app.get(/.*/, async (req, res, next) => {
    if (NOT_PAGES.test(req.path) || !existsSync(index) || !req.accepts('html')) return next();
    template ??= readFileSync(index, 'utf8');
    if (await sendRendered(req, res, template)) return;
    res.setHeader('Cache-Control', 'no-cache');
    res.vary('Cookie');
    res.sendFile(index);
  });
}
