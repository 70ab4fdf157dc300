/**
 * The built web pages: hashed assets cached for a year, the page itself never
 * cached (it names the current assets), and every other GET that is not the
 * API's answered with the page, whose router shows the route (or its 404).
 */
import express from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';

const NOT_PAGES = /^\/(api|sim|healthz|readyz)(\/|$)/;

export function mountWeb(app: express.Express, dist: string): void {
  const index = path.join(dist, 'index.html');
  app.use(
    '/assets',
    express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '365d', index: false }),
    (_req: express.Request, res: express.Response) => void res.status(404).end(),
  );
  app.use(express.static(dist, { index: false, maxAge: '1h' }));
  app.get(/.*/, (req, res, next) => {
    if (NOT_PAGES.test(req.path) || !existsSync(index) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
