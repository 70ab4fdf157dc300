/**
 * openapi.json as the whole product serves it (connectors and people routes
 * included), linted by @redocly/cli under its recommended rules: no errors.
 * It names no X-User-Id header (the product does not honour one), says how
 * each operation authenticates, and documents uploads as multipart/form-data.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { startProduct } from '../support/product.ts';

interface Problem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: Array<{ pointer?: string }>;
}
interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Problem[];
}

type Operation = {
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  requestBody?: { content: Record<string, { schema: { required?: string[]; properties?: Record<string, { type?: string; format?: string }> } }> };
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, Record<string, string>> } };

const cli = path.join(path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin', 'cli.js');

/** `redocly lint --extends recommended --format json`; it exits 1 when there are errors, so the report is read either way. */
function redoclyLint(file: string): Promise<LintReport> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cli, 'lint', file, '--extends', 'recommended', '--format', 'json', '--max-problems', '10000'],
      { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, maxBuffer: 64 * 1024 * 1024, cwd: path.dirname(file) },
      (err, stdout, stderr) => {
        try {
          resolve(JSON.parse(stdout) as LintReport);
        } catch {
          reject(new Error(`redocly lint gave no report (${err?.message ?? 'exit 0'}): ${stderr.slice(0, 2000)}`));
        }
      },
    );
  });
}

describe('openapi.json under redocly lint', function () {
  this.timeout(120_000);
  let document: Document;
  let dir: string;

  before(async () => {
    const p = await startProduct('sqlite');
    try {
      const answer = await p.call('GET', '/api/openapi.json');
      expect(answer.status).to.equal(200);
      document = answer.body as Document;
    } finally {
      await p.close();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-openapi-'));
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes the recommended rules with no errors', async () => {
    const file = path.join(dir, 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(document, null, 2));
    const report = await redoclyLint(file);
    const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`);
    expect(errors, `redocly lint errors:\n${errors.join('\n')}`).to.deep.equal([]);
    expect(report.totals.errors).to.equal(0);
  });

  it('names no X-User-Id header', () => {
    expect(JSON.stringify(document)).not.to.match(/x-user-id/i);
  });

  it('gives every operation a unique operationId and its security: none for public ones, cookie or bearer otherwise, the CSRF header with the cookie on changes', () => {
    const ids: string[] = [];
    for (const [p, methods] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect(op.operationId, `${method} ${p}`).to.be.a('string');
        ids.push(op.operationId!);
        expect(op.security, `${method} ${p}`).to.be.an('array');
      }
    }
    expect(new Set(ids).size).to.equal(ids.length);
    expect(document.paths['/api/auth/login']!.post!.security).to.deep.equal([]);
    expect(document.paths['/healthz']!.get!.security).to.deep.equal([]);
    expect(document.paths['/api/tasks']!.get!.security).to.deep.equal([{ session: [] }, { bearer: [] }]);
    expect(document.paths['/api/tasks/{id}/complete']!.post!.security).to.deep.equal([{ session: [], csrf: [] }, { bearer: [] }]);
    expect(document.components.securitySchemes.session).to.include({ type: 'apiKey', in: 'cookie', name: 'wf_session' });
    expect(document.components.securitySchemes.csrf).to.include({ type: 'apiKey', in: 'header', name: 'X-CSRF-Token' });
    expect(document.components.securitySchemes.bearer).to.include({ type: 'http', scheme: 'bearer' });
  });

  it('documents the uploads as multipart/form-data: a binary file part and the text parts', () => {
    for (const [p, text] of [
      ['/api/files', ['form', 'formVersion', 'field', 'material']],
      ['/api/org/import', ['kind']],
    ] as const) {
      const content = document.paths[p]!.post!.requestBody!.content;
      expect(Object.keys(content), p).to.deep.equal(['multipart/form-data']);
      const schema = content['multipart/form-data']!.schema;
      expect(schema.properties!.file, p).to.include({ type: 'string', format: 'binary' });
      expect(schema.required, p).to.include('file');
      expect(Object.keys(schema.properties!), p).to.include.members(text);
    }
    expect(document.paths['/api/org/import']!.post!.requestBody!.content['multipart/form-data']!.schema.required).to.include('kind');
  });
});
