/**
 * The server's render of signed-in list pages (designer/src/entry-server.tsx,
 * built beside the pages by engine/web-build.ts): loaded once, given the
 * visitor's cookie and a way to ask this server's own API as that visitor —
 * over HTTP, on the address the request came in on, so that a rendered page
 * shows exactly what the visitor may read. Whatever goes wrong, the page goes
 * out unrendered and the browser renders it.
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../core/ports.ts';

/** What the built renderer exports (designer/src/entry-server.tsx). */
interface Renderer {
  render(request: { url: string; cookies: string; get(path: string, locale: string): Promise<unknown> }): Promise<{ locale: string; head: string; root: string; after: string } | null>;
}

/** The page's scripts: on a rendered page they follow the rows, so that the rows are painted before any script is compiled. */
const SCRIPTS = /<script type="module"[^>]*><\/script>|<link rel="modulepreload"[^>]*>/g;

/** A rendered page's API calls, each. */
const CALL_TIMEOUT_MS = 3000;

export function pageRenderer(file: string, logger: Logger) {
  // Loaded at once (half a second), not by the first visitor.
  const loading: Promise<Renderer | null> = existsSync(file)
    ? (import(pathToFileURL(file).href) as Promise<Renderer>).catch((err: unknown) => {
        logger.warn({ err, file }, 'the server render of pages could not be loaded; pages are rendered in the browser');
        return null;
      })
    : Promise.resolve(null);

  /** The page template with the rendered page in it, or null to send it as it is. */
  return async function renderPage(req: IncomingMessage & { originalUrl: string }, template: string): Promise<string | null> {
    const cookies = req.headers.cookie;
    if (!cookies) return null;
    const render = await loading;
    if (!render) return null;
    const address = req.socket.localAddress ?? '127.0.0.1';
    const origin = `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort}`;
    const get = async (path: string, locale: string) => {
      const res = await fetch(origin + path, { headers: { cookie: cookies, accept: 'application/json', 'accept-language': locale }, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`${path} answered ${res.status}`);
      return (await res.json()) as unknown;
    };
    try {
      const page = await render.render({ url: req.originalUrl, cookies, get });
      if (!page) return null;
      const scripts = template.match(SCRIPTS) ?? [];
      return template
        .replace(SCRIPTS, '')
        .replace(/<html lang="[^"]*"/, `<html lang="${page.locale}"`)
        .replace('</head>', `${page.head}</head>`)
        .replace('<div id="root"></div>', `<div id="root">${page.root}</div>${page.after}${scripts.join('')}`);
    } catch (err) {
      logger.warn({ err, path: req.originalUrl }, 'a page could not be rendered on the server; sent for the browser to render');
      return null;
    }
  };
}
