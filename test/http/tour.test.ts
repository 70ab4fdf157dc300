/**
 * The README's tour stays true: docs/tour.sh — the same text as the README's tour block — is run with bash
 * against the started product (demo organisation and flows, as `npm start` serves them), every request in
 * order, and must end well, with the outcomes it announces. Its sample files are the ones shipped in docs/.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { readTable } from '../../engine/http/sheets.ts';
import { TOUR_USERS, TOUR_USERS_FILE } from '../../scripts/tour-users.ts';
import { startProduct, type Product } from '../support/product.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TOUR = path.join(ROOT, 'docs', 'tour.sh');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** bash SCRIPT… with the product's address; never rejects: the exit code is part of the answer. */
function bash(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile('bash', args, { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 150_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('the README tour (docs/tour.sh) against the started product [sqlite]', function () {
  this.timeout(180_000);
  let p: Product;
  let tmp: string;

  before(async () => {
    p = await startProduct('sqlite');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-tour-test-'));
  });

  after(async () => {
    await p.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is the README tour, word for word', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## A five-minute tour (API)'));
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block, 'the tour section has a sh block').to.be.a('string');
    expect(block).to.equal(fs.readFileSync(TOUR, 'utf8'));
  });

  it('ships docs/users.xlsx with the rows scripts/tour-users.ts writes', async () => {
    expect(await readTable('users.xlsx', fs.readFileSync(TOUR_USERS_FILE))).to.deep.equal(TOUR_USERS);
  });

  it('runs every step in order and ends well', async () => {
    const run = await bash([TOUR], { WF: p.base, TMPDIR: tmp });
    const output = `${run.stdout}\n--- stderr\n${run.stderr}`;
    expect(run.code, output).to.equal(0);
    const lines = run.stdout.split('\n');
    const said = (prefix: string) => {
      const line = lines.find((l) => l.startsWith(`== ${prefix}`));
      expect(line, `the tour says "${prefix}…"\n${output}`).to.be.a('string');
      return line!.slice(3 + prefix.length);
    };
    // 1–2: the demo flows, the deploy of the shipped BPMN (as XML alone), a clerk refused, the new flow run.
    expect(said('deployed: ').split(' ')).to.include.members(['leave', 'expense', 'road-pass', 'fee-payment']);
    expect(said('deployed ')).to.equal('seal-request:1');
    expect(lines).to.include('zhangsan POST /api/definitions → 403');
    expect(said('the seal request waits for: ')).to.equal('部门负责人审批');
    // 3–6: the leave request (draft, refusal, submit) through 李四, 王五 and 孙琪; the other inbox operations.
    expect(lines).to.include('zhangsan PUT /api/processes/leave/start-form/draft → 200');
    expect(lines).to.include('zhangsan POST /api/processes/leave/start-form/submit → 422');
    expect(said('leave case ')).to.match(/: 5 days, waiting in 部门负责人审批$/);
    expect(said('next approver: ')).to.equal('wangwu (分管领导审批)');
    expect(said('leave case: ')).to.equal('completed');
    expect(said('after the delegate: ')).to.equal('lisi holds it again');
    expect(said('batch: ')).to.equal('1 approved');
    expect(said('added signer: ')).to.equal('chenjun');
    expect(said('withdrawn: ')).to.equal('cancelled');
    expect(said('history: ')).to.include('task.complete lisi').and.include('task.complete wangwu').and.include('instance.end sunqi');
    // 7: the citizen signed in by SMS code, uploaded the materials and applied; the window's clerks have it.
    expect(lines).to.include('signed in: citizen');
    expect(lines).to.include('citizen GET /api/processes/leave/start-form → 403');
    expect(said('road-pass case ')).to.match(/: waiting in 业务初审$/);
    expect(said('offered to: ').split(' ')).to.include.members(['zhengshi', 'zhoubo']);
    // 8: the import of docs/users.xlsx, an imported user signing in, the audit trail.
    expect(said('imported ')).to.equal(`${TOUR_USERS.length - 1} users`);
    expect(lines).to.include('signed in: liuyang');
    expect(said('audit trail intact: ')).to.equal('true');
    expect(said('tour done')).to.equal('');

    // What the tour left, read back through the API.
    const admin = await p.login('admin');
    const stateOf = async (businessKey: string) => (await admin.call('GET', `/api/instances?businessKey=${businessKey}`)).body.items.map((i: { state: string }) => i.state);
    expect(await stateOf('QJ-2026-001')).to.deep.equal(['completed']);
    expect(await stateOf('QJ-2026-002')).to.deep.equal(['running']);
    expect(await stateOf('QJ-2026-003')).to.deep.equal(['cancelled']);
    expect(await stateOf('TXZ-2026-001')).to.deep.equal(['running']);
    const [pass] = (await admin.call('GET', '/api/instances?businessKey=TXZ-2026-001')).body.items;
    const materials = (await admin.call('GET', `/api/instances/${pass.id}`)).body.variables.materials;
    expect(Object.keys(materials)).to.deep.equal(['id-card', 'vehicle-licence']);
    const imported = await admin.call('GET', '/api/org/users/zhaolei');
    expect(imported.status).to.equal(200);
    const posts = imported.body.posts.map((post: { departmentId: string; post: string; primary: boolean }) => `${post.departmentId}:${post.post}${post.primary ? ' (primary)' : ''}`);
    expect(posts).to.have.members(['traffic-window:traffic-clerk (primary)', 'traffic-window:clerk']);
    expect(fs.readdirSync(tmp), 'the tour removed its sessions').to.deep.equal([]);
  });

  it('stops loudly: a failed sign-in keeps no token, an unexpected status fails the step, no server fails at once', async () => {
    const helpers = (steps: string) => bash(['-c', `source "${TOUR}" --helpers; ${steps}`], { WF: p.base, TMPDIR: tmp });
    const wrong = await helpers('signin nobody not-the-password; echo "went on: $?"; ls "$JARS"; rm -rf "$JARS"');
    expect(wrong.stderr).to.match(/FAILED: sign-in of nobody answered 401/);
    expect(wrong.stdout).to.include('went on: 1');
    expect(wrong.stdout).to.not.include('nobody.csrf');
    const refused = await helpers('signin zhangsan; as zhangsan POST /api/definitions --xml docs/my-process.bpmn; echo "went on: $?"; rm -rf "$JARS"');
    expect(refused.stdout).to.include('zhangsan POST /api/definitions → 403');
    expect(refused.stderr).to.include('FAILED: POST /api/definitions answered 403');
    expect(refused.stdout).to.include('went on: 1');
    const nowhere = await bash([TOUR], { WF: 'http://127.0.0.1:9', TMPDIR: tmp });
    expect(nowhere.code).to.not.equal(0);
    expect(nowhere.stderr).to.include('is the product started');
    expect(fs.readdirSync(tmp)).to.deep.equal([]);
  });
});
