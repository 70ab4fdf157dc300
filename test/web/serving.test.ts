/**
 * How the built pages are served (engine/http/web.ts): hashed assets cached
 * for a year and sent compressed as the browser accepts (brotli, gzip, or as
 * they are), the page for every page route and never for the API, the
 * Content-Security-Policy on the page. Over plain HTTP with Node's own client, which decompresses nothing
 * unless told to.
 */
import { expect } from 'chai';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ensureWebBuild, WEB_DIST } from '../../engine/web-build.ts';
import { startProduct, type Product } from '../support/product.ts';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

describe('web: serving the built pages', function () {
  this.timeout(120_000);
  let product: Product;
  /** The entry's script, as the page names it. */
  let entry: string;

  before(async () => {
    await ensureWebBuild();
    product = await startProduct('sqlite');
    entry = /src="(\/assets\/index-[\w-]+\.js)"/.exec(readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8'))![1]!;
  });
  after(async () => product?.close());

  const get = (route: string, headers: Record<string, string> = {}) =>
    new Promise<Raw>((resolve, reject) => {
      // The path as written (a URL object would resolve %2e%2e before sending it).
      const { hostname, port } = new URL(product.base);
      http
        .get({ hostname, port, path: route, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });

  it('a hashed asset: cached for a year, in brotli or gzip when accepted, the same bytes once decompressed', async () => {
    const plain = await get(entry);
    expect(plain.status).to.equal(200);
    expect(plain.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(plain.headers['content-type']).to.match(/javascript/);
    expect(plain.body.equals(readFileSync(path.join(WEB_DIST, entry)))).to.equal(true);

    const br = await get(entry, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).to.equal('br');
    expect(br.headers['content-type']).to.match(/javascript/);
    expect(br.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    expect(br.headers.vary).to.match(/Accept-Encoding/i);
    expect(br.body.length).to.be.lessThan(plain.body.length / 2);
    expect(brotliDecompressSync(br.body).equals(plain.body)).to.equal(true);

    const gzip = await get(entry, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).to.equal('gzip');
    expect(gunzipSync(gzip.body).equals(plain.body)).to.equal(true);

    const refused = await get(entry, { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).to.equal(undefined);
    expect(refused.body.equals(plain.body)).to.equal(true);
  });

  it('no such asset: 404, not the page; a name with a path in it is never looked for', async () => {
    for (const route of ['/assets/no-such-file.js', '/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/index.html']) {
      const answer = await get(route, { 'accept-encoding': 'br', accept: 'text/html' });
      expect(answer.status, route).to.equal(404);
      expect(answer.body.toString(), route).not.to.contain('<div id="root">');
    }
  });

  it('page routes get the page with its policy; the API never does', async () => {
    for (const route of ['/', '/workbench/todo', '/admin/users', '/no/such/page']) {
      const page = await get(route, { accept: 'text/html' });
      expect(page.status, route).to.equal(200);
      expect(page.headers['content-type'], route).to.match(/text\/html/);
      expect(page.headers['cache-control'], route).to.equal('no-cache');
      expect(page.headers['content-security-policy'], route).to.contain("script-src 'self'");
      expect(page.body.toString(), route).to.contain('<div id="root"></div>');
    }
    const api = await get('/api/no-such-route', { accept: 'text/html' });
    expect(api.status).to.equal(404);
    expect(api.headers['content-type']).to.match(/json/);
    expect(JSON.parse(api.body.toString()).error.code).to.equal('WF_ERR_ROUTE_NOT_FOUND');
  });

  it('a rendered list page goes out as it is: compressing it on the fly would hold its head back (README, Measured)', async () => {
    const clerk = await product.login('lisi');
    const cookie = `${clerk.headers.cookie}; wf_zone=Asia%2FShanghai`;
    const page = await get('/workbench/todo', { cookie, accept: 'text/html', 'accept-encoding': 'br, gzip' });
    expect(page.headers['content-encoding']).to.equal(undefined);
    expect(page.headers['cache-control']).to.equal('private, no-store');
    expect(page.body.toString()).to.contain('id="wf-preload"');
  });
});
