/**
 * Bodies that end too soon, never end, or are not what they say: sent over a
 * raw socket to every route that reads a stream (uploads, imports, callbacks,
 * simulators, JSON and XML bodies). Each gets a 4xx or a closed connection,
 * never a 5xx, and the server answers afterwards: nothing ends the process.
 */
import net from 'node:net';
import { expect } from 'chai';
import { BACKENDS } from '../support/databases.ts';
import { startProduct, type Product, type Session } from '../support/product.ts';
import { needs } from '../support/services.ts';

/**
 * Send raw bytes and wait for the answer (the socket stays open for writing:
 * a client that half-closes first gets no answer from Node's HTTP server at
 * all); resolve with its status code, or 0 when the server closed without one.
 */
function raw(base: string, head: string, body: Buffer | string, options: { abortAfterMs?: number } = {}): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.write(head);
    socket.write(body);
    if (options.abortAfterMs !== undefined) setTimeout(() => socket.destroy(), options.abortAfterMs);
  });
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

function multipartHead(path: string, session: Session, length: number, boundary: string): string {
  return [
    `POST ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    `Content-Type: multipart/form-data; boundary=${boundary}`,
    `Content-Length: ${length}`,
    `Cookie: ${session.headers.cookie}`,
    `X-CSRF-Token: ${session.headers['x-csrf-token']}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
}

function jsonHead(path: string, session: Session | null, length: number, type = 'application/json'): string {
  return [
    `POST ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    `Content-Type: ${type}`,
    `Content-Length: ${length}`,
    ...(session ? [`Cookie: ${session.headers.cookie}`, `X-CSRF-Token: ${session.headers['x-csrf-token']}`] : []),
    'Connection: close',
    '',
    '',
  ].join('\r\n');
}

for (const backend of BACKENDS) {
  describe(`security: truncated, malformed and aborted bodies [${backend}]`, function () {
    needs(this, backend);
    this.timeout(60_000);
    let p: Product;
    let citizen: Session;
    let admin: Session;

    before(async () => {
      p = await startProduct(backend);
      citizen = await p.loginCitizen('13800000222');
      admin = await p.login('admin');
    });

    after(async () => {
      await p?.close();
    });

    afterEach(async () => {
      expect((await p.call('GET', '/healthz')).status, 'the server still answers').to.equal(200);
    });

    for (const path of ['/api/files', '/api/org/import']) {
      it(`survives a multipart body to ${path} that stops inside the file (no closing boundary)`, async () => {
        const session = path === '/api/files' ? citizen : admin;
        const boundary = 'xBOUNDARYx';
        const body = Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nusers\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
          PNG,
        ]);
        const status = await raw(p.base, multipartHead(path, session, body.length, boundary), body);
        expect(status).to.be.within(400, 499);
      });

      it(`survives a multipart upload to ${path} whose client goes away half-way`, async () => {
        const session = path === '/api/files' ? citizen : admin;
        const boundary = 'yBOUNDARYy';
        const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n`), PNG]);
        const status = await raw(p.base, multipartHead(path, session, body.length + 100_000, boundary), body, { abortAfterMs: 100 });
        expect(status === 0 || (status >= 400 && status < 500)).to.equal(true);
      });

      it(`refuses a malformed multipart body to ${path} with a 4xx`, async () => {
        const session = path === '/api/files' ? citizen : admin;
        for (const body of ['--nothing-like-the-boundary\r\n\r\n', '--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n', '']) {
          const status = await raw(p.base, multipartHead(path, session, Buffer.byteLength(body), 'b'), body);
          expect(status, JSON.stringify(body)).to.be.within(400, 499);
        }
      });
    }

    for (const path of ['/api/callbacks/payment/notice', '/api/callbacks/sms/report', '/api/callbacks/backend/syncBusInfo', '/sim/payment/orders']) {
      it(`survives truncated, malformed and aborted bodies to ${path}`, async () => {
        for (const body of ['{"noticeId":"n1","orderNo":"P2026', '\u0000\u0001\u0002<<<>>>\u00ff', '']) {
          expect(await raw(p.base, jsonHead(path, null, Buffer.byteLength(body)), body), JSON.stringify(body)).to.be.within(400, 499);
        }
        const aborted = await raw(p.base, jsonHead(path, null, 5000), '{"a":', { abortAfterMs: 100 });
        expect(aborted === 0 || (aborted >= 400 && aborted < 500)).to.equal(true);
      });
    }

    for (const [path, type] of [
      ['/api/definitions', 'application/xml'],
      ['/api/definitions', 'application/json'],
      ['/api/instances', 'application/json'],
      ['/api/processes/road-pass/start-form/submit', 'application/json'],
      ['/api/auth/login', 'application/json'],
    ] as const) {
      it(`survives a truncated or aborted ${type} body to ${path}`, async () => {
        const session = path === '/api/auth/login' ? null : admin;
        const text = type === 'application/xml' ? '<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p" isExecutable="true"><startEvent' : '{"processKey":"leave","variables":{"a":[1,2,';
        expect(await raw(p.base, jsonHead(path, session, Buffer.byteLength(text), type), text)).to.be.within(400, 499);
        const aborted = await raw(p.base, jsonHead(path, session, 100_000, type), text, { abortAfterMs: 100 });
        expect(aborted === 0 || (aborted >= 400 && aborted < 500)).to.equal(true);
        const gzipLie = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', `Content-Type: ${type}`, 'Content-Encoding: gzip', 'Content-Length: 12', ...(session ? [`Cookie: ${session.headers.cookie}`, `X-CSRF-Token: ${session.headers['x-csrf-token']}`] : []), 'Connection: close', '', ''].join('\r\n');
        expect(await raw(p.base, gzipLie, 'not gzip at all')).to.be.within(400, 499);
      });
    }
  });
}
