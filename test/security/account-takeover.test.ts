/**
 * Account takeover attempts against the product as `npm start` wires it:
 * SMS codes for staff numbers, SMS sign-in into a locked account, the SMS
 * simulator's inbox read without signing in, codes sprayed over many numbers.
 */
import { expect } from 'chai';
import { BACKENDS } from '../support/databases.ts';
import { DEMO_PASSWORD, startProduct, type Product } from '../support/product.ts';
import { needs } from '../support/services.ts';

/** 陈军, head of the bureau: his mobile is listed to every clerk by GET /api/org/users. */
const DIRECTOR_MOBILE = '13900000001';

for (const backend of BACKENDS) {
  describe(`security: account takeover [${backend}]`, function () {
    needs(this, backend);
    this.timeout(60_000);
    let p: Product;

    before(async () => {
      p = await startProduct(backend, { LOGIN_MAX_FAILURES: '3', SMS_CODES_PER_CLIENT: '4' });
    });

    after(async () => {
      await p?.close();
    });

    const smsTo = async (mobile: string) => ((await p.inspect(`/sim/sms/_messages?phone=${mobile}`)).body.items as Array<{ text: string }>).map((m) => m.text);
    const codeFor = async (mobile: string) => /验证码 (\d{6})/.exec((await smsTo(mobile))[0] ?? '')?.[1];

    it('sends no sign-in code to a staff member’s number, answering as for anyone', async () => {
      const clerk = await p.login('zhangsan');
      const listed = (await clerk.call('GET', '/api/org/users?limit=200')).body.items as Array<{ id: string; mobile: string | null }>;
      expect(listed.find((u) => u.id === 'chenjun')?.mobile, 'the attacker knows the number').to.equal(DIRECTOR_MOBILE);
      const asked = await p.call('POST', '/api/auth/sms-code', { mobile: DIRECTOR_MOBILE });
      expect(asked.status).to.equal(202);
      expect(await smsTo(DIRECTOR_MOBILE), 'no code went out').to.deep.equal([]);
    });

    it('refuses SMS sign-in into a staff account whatever the code, and counts it against the account', async () => {
      for (const code of ['000000', '123456']) {
        const answer = await p.call('POST', '/api/auth/sms-login', { mobile: DIRECTOR_MOBILE, code });
        expect(answer.status).to.equal(401);
        expect(answer.body.error.code).to.equal('WF_ERR_SMS_CODE_INVALID');
        expect(answer.headers.get('set-cookie'), 'no session').to.equal(null);
      }
      const sessions = await p.server.db.executor.select("SELECT COUNT(*) AS n FROM wf_sessions WHERE user_id = 'chenjun'");
      expect(Number(sessions[0]!.n)).to.equal(0);
      // The third failure locks the account: the password no longer opens it either, for a while.
      await p.call('POST', '/api/auth/sms-login', { mobile: DIRECTOR_MOBILE, code: '654321' });
      expect((await p.call('POST', '/api/auth/login', { username: 'chenjun', password: DEMO_PASSWORD })).status).to.equal(423);
      p.clock.advance(16 * 60_000);
      expect((await p.call('POST', '/api/auth/login', { username: 'chenjun', password: DEMO_PASSWORD })).status).to.equal(200);
    });

    it('keeps a locked citizen account locked for SMS sign-in too', async () => {
      const mobile = '13800000111';
      await p.loginCitizen(mobile); // the account exists now
      p.clock.advance(61_000);
      for (let i = 0; i < 3; i++) expect((await p.call('POST', '/api/auth/sms-login', { mobile, code: `11111${i}` })).status).to.equal(401);
      p.clock.advance(61_000);
      await p.call('POST', '/api/auth/sms-code', { mobile });
      const code = await codeFor(mobile);
      expect(code, 'a fresh code was sent').to.match(/^\d{6}$/);
      const answer = await p.call('POST', '/api/auth/sms-login', { mobile, code });
      expect(answer.status).to.equal(423);
      expect(answer.body.error.code).to.equal('WF_ERR_ACCOUNT_LOCKED');
      p.clock.advance(16 * 60_000);
    });

    it('lets only an admin read or steer the simulators (their inbox shows sign-in codes)', async () => {
      expect((await p.call('GET', `/sim/sms/_messages?phone=${DIRECTOR_MOBILE}`)).status, 'anonymous').to.equal(401);
      const clerk = await p.login('zhangsan');
      expect((await clerk.call('GET', '/sim/sms/_messages')).status, 'a clerk').to.equal(403);
      expect((await clerk.call('POST', '/sim/payment/_control', { mode: 'fail', count: 1 })).status, 'a clerk steering').to.equal(403);
      expect((await p.inspect('/sim/sms/_messages')).status, 'an admin').to.equal(200);
    });

    it('sends codes to a few numbers per client at most, then refuses with 429', async () => {
      p.clock.advance(3600_000); // a fresh window for this client
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await p.call('POST', '/api/auth/sms-code', { mobile: `1370000${String(i).padStart(4, '0')}` })).status);
      expect(statuses).to.deep.equal([202, 202, 202, 202, 429, 429]);
      expect(await smsTo('13700000005'), 'the sixth number got nothing').to.deep.equal([]);
      p.clock.advance(3600_000);
      expect((await p.call('POST', '/api/auth/sms-code', { mobile: '13700000005' })).status, 'an hour later').to.equal(202);
    });

    it('records sign-ins and their failures with the client address in the audit trail', async () => {
      await p.call('POST', '/api/auth/login', { username: 'lisi', password: 'wrong-password-1' });
      await p.login('lisi');
      const auditor = await p.login('admin');
      const rows = (await auditor.call('GET', '/api/audit?actor=lisi&limit=20')).body.items as Array<{ action: string; address: string; data: unknown }>;
      const actions = rows.map((r) => r.action);
      expect(actions).to.include('auth.login').and.include('auth.login.failed');
      expect(rows.every((r) => /127\.0\.0\.1/.test(r.address))).to.equal(true);
      expect(JSON.stringify(rows), 'no password in the trail').not.to.include('wrong-password-1');
      const denied = (await auditor.call('GET', '/api/audit?action=auth.sms-login.failed&limit=50')).body.items as Array<{ actor: string | null }>;
      expect(denied.some((r) => r.actor === 'chenjun'), 'the takeover attempt on the director').to.equal(true);
    });
  });
}
