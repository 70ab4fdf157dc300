/**
 * The server's render of pages (the workbench's signed-in lists,
 * designer/src/entry-server.tsx; the portal's hall,
 * designer/src/portal/entry-server.tsx; built beside the pages by
 * engine/web-build.ts): loaded once, given the visitor's cookie and a way to ask this server's own API as that visitor —
 * over HTTP, on the address the request came in on, so that a rendered page
 * shows exactly what the visitor may read. Whatever goes wrong, the page goes
 * out unrendered and the browser renders it.
 */
import { existsSync } from 'node:fs';
import type { Request, Response } from 'express';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../core/ports.ts';
import { cookieValue, SESSION_COOKIE } from './authenticate.ts';

/** What a built renderer exports. */
interface Renderer {
  renders(url: string, cookies: string): { locale: string } | null;
  styleElements(): string;
  render(request: { url: string; cookies: string; get(path: string, locale: string): Promise<unknown> }): Promise<{ styles: string; root: string; after: string } | null>;
}

/** The page's scripts: on a rendered page they follow the rows, so that the rows are painted before any script is compiled. */
const SCRIPTS = /<script type="module"[^>]*><\/script>|<link rel="modulepreload"[^>]*>/g;

/** A rendered page's API calls, each. */
const CALL_TIMEOUT_MS = 3000;

/** `signedInOnly`: pages rendered for a signed-in visitor only (the workbench's); the portal's hall is everyone's. */
export function pageRenderer(file: string, logger: Logger, options: { signedInOnly: boolean }) {
  // Loaded at once (half a second), not by the first visitor.
  const loading: Promise<Renderer | null> = existsSync(file)
    ? (import(pathToFileURL(file).href) as Promise<Renderer>).catch((err: unknown) => {
        logger.warn({ err, file }, 'the server render of pages could not be loaded; pages are rendered in the browser');
        return null;
      })
    : Promise.resolve(null);

  let parts: ReturnType<typeof split> | null = null;

  /**
   * Sends a page rendered, or returns false having sent nothing
   * (the caller sends the page as built). The head, with Ant Design's styles,
   * goes out at once: the browser reads the styles while the answers are asked
   * for and the page is rendered; then the body, rendered — or, should that
   * fail, as built.
   */
  return async function sendRendered(req: Request, res: Response, template: string): Promise<boolean> {
    const cookies = req.headers.cookie ?? '';
    if (options.signedInOnly && !cookieValue(cookies, SESSION_COOKIE)) return false;
    const renderer = await loading;
    const plan = renderer?.renders(req.originalUrl, cookies);
    if (!renderer || !plan) return false;

    const { head, body, scripts } = parts?.template === template ? parts : (parts = split(template));
    const sent = renderer.styleElements();
    res.status(200).type('html').setHeader('Cache-Control', 'private, no-store');
    res.vary('Cookie');
    res.write(head.replace(/<html lang="[^"]*"/, `<html lang="${plan.locale}"`) + sent);

    let root = `<div id="root"></div>${scripts}`;
    try {
      const rendered = await renderer.render({ url: req.originalUrl, cookies, get: asVisitor(req, cookies) });
      // Styles this render generated for the first time follow in the body.
      if (rendered) root = `${newStyles(sent, rendered.styles)}<div id="root">${rendered.root}</div>${rendered.after}${scripts}`;
    } catch (err) {
      logger.warn({ err, path: req.originalUrl }, 'a page could not be rendered on the server; sent for the browser to render');
    }
    res.end(body.replace('<div id="root"></div>', root));
    return true;
  };
}

/** The page as built, cut for rendering: its head, its body, and its scripts (taken out of the head). */
function split(template: string) {
  const [head = '', body = ''] = template.replace(SCRIPTS, '').split(/(?=<\/head>)/);
  return { template, head, body, scripts: (template.match(SCRIPTS) ?? []).join('') };
}

/** A GET of this server's own API as the visitor, on the address the request came in on. */
function asVisitor(req: Request, cookies: string) {
  const address = req.socket.localAddress ?? '127.0.0.1';
  const origin = `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort}`;
  return async (path: string, locale: string) => {
    const res = await fetch(origin + path, { headers: { cookie: cookies, accept: 'application/json', 'accept-language': locale }, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`${path} answered ${res.status}`);
    return (await res.json()) as unknown;
  };
}

/** The <style> elements of `now` that `sent` did not hold. */
function newStyles(sent: string, now: string): string {
  if (now === sent) return '';
  const known = new Set(sent.split('</style>'));
  return now
    .split('</style>')
    .filter((element) => element && !known.has(element))
    .map((element) => `${element}</style>`)
    .join('');
}
