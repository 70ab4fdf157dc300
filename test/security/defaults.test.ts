/**
 * Safe defaults: private files, security headers, Secure cookies behind
 * HTTPS, no demo users in production; and the bounds every request meets —
 * paging numbers and body nesting — checked in one place for every route.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../engine/config.ts';
import { BACKENDS } from '../support/databases.ts';
import { startProduct, type Product, type Session } from '../support/product.ts';
import { needs } from '../support/services.ts';

const LIST_ROUTES = ['/api/instances', '/api/tasks', '/api/incidents', '/api/audit', '/api/jobs', '/api/notices', '/api/definitions', '/api/forms'];
const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('security: configuration defaults', () => {
  it('refuses demo data in production, and turns the simulators off there unless asked', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DEMO: 'true' })).to.throw(/DEMO=true is refused/);
    const production = loadConfig({ NODE_ENV: 'production' });
    expect(production).to.include({ demo: false, simulators: false, production: true });
    expect(loadConfig({ NODE_ENV: 'production', SIMULATORS: 'true' }).simulators).to.equal(true);
    expect(loadConfig({}).demo, 'a developer’s npm start has the demo').to.equal(true);
  });

  it('marks cookies Secure and sends HSTS when the public address is https', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://wf.example.gov.cn' }).secureCookies).to.equal(true);
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3000' }).secureCookies).to.equal(false);
  });
});

for (const backend of BACKENDS) {
  describe(`security: behind https [${backend}]`, function () {
    needs(this, backend);
    this.timeout(60_000);

    it('sends HSTS and marks the session cookie Secure when the public address is https', async () => {
      const p = await startProduct(backend, { PUBLIC_URL: 'https://wf.example.gov.cn' });
      try {
        const login = await p.call('POST', '/api/auth/login', { username: 'lisi', password: 'Demo2026' });
        expect(login.headers.get('set-cookie')).to.include('Secure');
        expect(login.headers.get('strict-transport-security')).to.match(/max-age=\d+/);
        expect(login.headers.get('content-security-policy')).to.include('upgrade-insecure-requests');
      } finally {
        await p.close();
      }
    });
  });

  describe(`security: headers, bounds and files [${backend}]`, function () {
    needs(this, backend);
    this.timeout(60_000);
    let p: Product;
    let admin: Session;

    before(async () => {
      p = await startProduct(backend);
      admin = await p.login('admin');
    });

    after(async () => {
      await p?.close();
    });

    it('sends security headers on every answer, without HSTS over plain http', async () => {
      for (const answer of [await p.call('GET', '/healthz'), await admin.call('GET', '/api/tasks'), await p.call('GET', '/api/nowhere')]) {
        expect(answer.headers.get('x-content-type-options')).to.equal('nosniff');
        expect(answer.headers.get('x-frame-options')).to.equal('DENY');
        expect(answer.headers.get('referrer-policy')).to.equal('no-referrer');
        expect(answer.headers.get('content-security-policy')).to.include("default-src 'self'").and.include("frame-ancestors 'none'").and.not.include('upgrade-insecure-requests');
        expect(answer.headers.get('strict-transport-security')).to.equal(null);
        expect(answer.headers.get('x-powered-by')).to.equal(null);
      }
    });

    for (const route of LIST_ROUTES) {
      it(`answers impossible paging on ${route} with a 400 naming the field`, async () => {
        for (const value of ['1e999', 'Infinity', '-1e999', '-1', '1.5', 'NaN', '99999999999999999999', '']) {
          for (const name of ['limit', 'offset']) {
            const answer = await admin.call('GET', `${route}?${name}=${encodeURIComponent(value)}`);
            expect(answer.status, `${name}=${value}`).to.equal(400);
            expect(answer.body.error.field, `${name}=${value}`).to.equal(`query.${name}`);
          }
        }
        expect((await admin.call('GET', `${route}?limit=200&offset=0`)).status).to.equal(200);
      });
    }

    it('refuses a form schema nested thousands deep before compiling it, and a BPMN file nested as deep', async () => {
      const analyst = await p.login('analyst');
      let schema = '{"type":"string"}';
      for (let i = 0; i < 3000; i++) schema = `{"type":"object","properties":{"a":${schema}}}`;
      const response = await fetch(`${p.base}/api/forms`, { method: 'POST', headers: { ...analyst.headers, 'content-type': 'application/json' }, body: `{"key":"deep","title":{"zh-CN":"深","en":"deep"},"schema":${schema}}` });
      expect(response.status).to.equal(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('WF_ERR_BODY_TOO_DEEP');
      const xml = `<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><process id="deep" isExecutable="true"><startEvent id="s"/>${'<subProcess>'.repeat(3000)}${'</subProcess>'.repeat(3000)}</process></definitions>`;
      const deploy = await fetch(`${p.base}/api/definitions`, { method: 'POST', headers: { ...analyst.headers, 'content-type': 'application/xml' }, body: xml });
      expect(deploy.status).to.be.within(400, 499);
      expect(((await deploy.json()) as { error: { code: string; message: string } }).error.message).to.include('200');
      // A schema of ordinary depth still deploys.
      expect((await analyst.call('POST', '/api/forms', { key: 'shallow', title: { 'zh-CN': '浅', en: 'shallow' }, schema: { type: 'object', properties: { a: { type: 'string', maxLength: 10 } } } })).status).to.equal(201);
    });

    if (backend === 'sqlite') {
      it('keeps the database, its log and the uploaded files readable by this user only', async () => {
        const file = p.server.config.databaseUrl.replace(/^sqlite:/, '');
        const citizen = await p.loginCitizen('13800000333');
        const form = new FormData();
        form.append('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')]), 'a.pdf');
        const upload = await fetch(`${p.base}/api/files`, { method: 'POST', headers: citizen.headers, body: form });
        expect(upload.status).to.equal(201);
        const stored = fs.readdirSync(path.resolve(p.server.config.filesDir), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
        expect(stored.length).to.be.above(0);
        for (const entry of stored) expect(mode(path.join(entry.parentPath, entry.name)), entry.name).to.equal(0o600);
        expect(mode(file)).to.equal(0o600);
        expect(mode(`${file}-wal`)).to.equal(0o600);
        expect(mode(path.dirname(file)) & 0o077, 'the data folder').to.equal(0);
      });
    }
  });
}
