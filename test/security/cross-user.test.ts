/**
 * One person reaching for another's things by id: a citizen's files, cases,
 * history and drafts are hers alone (and her clerks'); guessing ids gets the
 * same answer as ids that do not exist; changes need the CSRF token.
 */
import { expect } from 'chai';
import { BACKENDS } from '../support/databases.ts';
import { startProduct, type Product, type Session } from '../support/product.ts';
import { needs } from '../support/services.ts';

for (const backend of BACKENDS) {
  describe(`security: reaching for other people's things [${backend}]`, function () {
    needs(this, backend);
    this.timeout(60_000);
    let p: Product;
    let alice: Session;
    let bob: Session;
    let fileId: string;
    let caseId: string;

    before(async () => {
      p = await startProduct(backend);
      alice = await p.loginCitizen('13800000881');
      bob = await p.loginCitizen('13800000882');
      const form = new FormData();
      form.append('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')]), '户口本.pdf');
      fileId = ((await (await fetch(`${p.base}/api/files`, { method: 'POST', headers: alice.headers, body: form })).json()) as { id: string }).id;
      const clerk = await p.login('zhangsan');
      caseId = (await clerk.call('POST', '/api/processes/leave/start-form/submit', { data: { leaveType: 'annual', startDate: '2026-12-07', endDate: '2026-12-08', reason: '回老家探亲', handover: 'wangwu' } })).body.id;
    });

    after(async () => {
      await p?.close();
    });

    it('answers another citizen’s file as a file that does not exist', async () => {
      const theirs = await bob.call('GET', `/api/files/${fileId}`);
      const none = await bob.call('GET', '/api/files/01900000-0000-7000-8000-000000000000');
      expect([theirs.status, theirs.body.error.code]).to.deep.equal([none.status, none.body.error.code]);
      expect(theirs.status).to.equal(404);
      expect((await alice.call('GET', `/api/files/${fileId}`)).status).to.equal(200);
    });

    it('keeps a clerk’s case, its history and its tasks from a citizen and from a clerk of another department', async () => {
      for (const who of [bob, await p.login('zhoubo')]) {
        for (const path of [`/api/instances/${caseId}`, `/api/instances/${caseId}/history`]) expect((await who.call('GET', path)).status, path).to.be.oneOf([403, 404]);
        const tasks = await who.call('GET', `/api/tasks?instanceId=${caseId}`);
        expect(tasks.body.items ?? [], 'no task of it listed').to.deep.equal([]);
        expect((await who.call('POST', `/api/instances/${caseId}/comments`, { text: '看看' })).status).to.be.oneOf([403, 404]);
        expect((await who.call('POST', `/api/instances/${caseId}/withdraw`, { reason: 'x' })).status).to.be.oneOf([403, 404]);
      }
    });

    it('refuses a change made with the session cookie but without the CSRF token', async () => {
      const cookieOnly = { cookie: alice.headers.cookie! };
      const answer = await p.call('PUT', '/api/processes/road-pass/start-form/draft', { data: {} }, cookieOnly);
      expect(answer.status).to.equal(403);
      expect(answer.body.error.code).to.equal('WF_ERR_CSRF');
      const wrong = await p.call('PUT', '/api/processes/road-pass/start-form/draft', { data: {} }, { ...cookieOnly, 'x-csrf-token': bob.headers['x-csrf-token']! });
      expect(wrong.status, 'another session’s token').to.equal(403);
    });
  });
}
