/**
 * The built web pages: hashed assets cached for a year (compressed as the
 * build compressed them, for a browser that accepts it), the page itself never
 * cached (it names the current assets), and every other GET that is not the
 * API's answered with the page, whose router shows the route (or its 404).
 * Signed-in list pages come rendered, with the visitor's rows, and so does
 * the portal's service hall (prerender.ts): those are never stored by anyone.
 */
import express from 'express';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/ports.ts';
import { pageRenderer } from './prerender.ts';

const NOT_PAGES = /^\/(api|sim|healthz|readyz)(\/|$)/;
const IMMUTABLE = { immutable: true, maxAge: '365d', index: false };
/** An asset's name as the build writes them: nothing else is looked for on disk. */
const ASSET = /^\/[\w.-]+\.(js|css|svg|json)$/;
const ENCODINGS = [
  ['br', '.br'],
  ['gzip', '.gz'],
] as const;

/** The .br or .gz the build wrote beside an asset, when the browser accepts it. */
function compressed(dir: string): express.RequestHandler {
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !ASSET.test(req.path)) return next();
    res.vary('Accept-Encoding');
    // Brotli when the browser takes it (browsers list gzip first, at the same weight).
    const [accepted, suffix] = ENCODINGS.find(([name]) => req.acceptsEncodings(name) === name) ?? [];
    const file = path.join(dir, req.path);
    if (!suffix || !existsSync(file + suffix)) return next();
    res.setHeader('Content-Encoding', accepted!);
    res.type(path.extname(file));
    res.sendFile(file + suffix, IMMUTABLE);
  };
}

/** The citizens' portal: a page of its own. */
const PORTAL = /^\/portal(\/|$)/;

export function mountWeb(app: express.Express, dist: string, options: { renderers: { staff: string; portal: string }; logger: Logger }): void {
  const index = path.join(dist, 'index.html');
  const portal = path.join(dist, 'portal.html');
  const sendRendered = pageRenderer(options.renderers.staff, options.logger, { signedInOnly: true });
  const sendPortalRendered = pageRenderer(options.renderers.portal, options.logger, { signedInOnly: false });
  let template: string | null = null;
  let portalTemplate: string | null = null;
  const assets = path.join(dist, 'assets');
  app.use('/assets', compressed(assets), express.static(assets, IMMUTABLE), (_req: express.Request, res: express.Response) => void res.status(404).end());
  app.use(express.static(dist, { index: false, maxAge: '1h' }));
  app.get(PORTAL, async (req, res, next) => {
    if (!existsSync(portal) || !req.accepts('html')) return next();
    portalTemplate ??= readFileSync(portal, 'utf8');
    if (await sendPortalRendered(req, res, portalTemplate)) return;
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(portal);
  });
  app.get(/.*/, async (req, res, next) => {
    if (NOT_PAGES.test(req.path) || !existsSync(index) || !req.accepts('html')) return next();
    template ??= readFileSync(index, 'utf8');
    if (await sendRendered(req, res, template)) return;
    res.setHeader('Cache-Control', 'no-cache');
    res.vary('Cookie');
    res.sendFile(index);
  });
}
