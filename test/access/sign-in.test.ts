/**
 * Sign-in on the product as `npm start` wires it: password hashes, lockout
 * per account and per address, cookies with CSRF, bearer tokens, logout,
 * expiry, and citizens signing in with an SMS code sent through the SMS
 * connector's simulator.
 */
import { expect } from 'chai';
import { BACKENDS } from '../support/databases.ts';
import { DEMO_PASSWORD, startProduct, type Product } from '../support/product.ts';
import { needs } from '../support/services.ts';

for (const backend of BACKENDS) {
  describe(`sign-in [${backend}]`, function () {
    needs(this, backend);
    this.timeout(60_000);
    let p: Product;

    before(async () => {
      p = await startProduct(backend, { LOGIN_MAX_FAILURES: '3', SESSION_IDLE_MINUTES: '30' });
    });

    after(async () => {
      await p?.close();
    });

    it('signs staff in with a session cookie that is httpOnly and SameSite, and says who they are', async () => {
      const answer = await p.call('POST', '/api/auth/login', { username: 'lisi', password: DEMO_PASSWORD });
      expect(answer.status).to.equal(200);
      const cookie = answer.headers.get('set-cookie')!;
      expect(cookie)
        .to.match(/^wf_session=[\w-]{40,};/)
        .and.include('HttpOnly')
        .and.include('SameSite=Lax')
        .and.include('Path=/');
      expect(answer.body).to.include({ id: 'lisi', name: '李四', kind: 'staff', dataScope: 'own' });
      expect(answer.body.roles).to.deep.equal(['clerk']);
      expect(answer.body.permissions).to.include('task:handle').and.not.include('definition:deploy');
      expect(answer.body.menus).to.include('inbox');
      expect(answer.body.csrfToken).to.be.a('string');
      const me = await p.call('GET', '/api/auth/me', undefined, { cookie: cookie.split(';')[0]! });
      expect(me.body).to.include({ id: 'lisi', csrfToken: answer.body.csrfToken });
      // The stored hash is scrypt with a salt, never the password.
      const [row] = await p.server.db.executor.select("SELECT password_hash FROM wf_users WHERE id = 'lisi'");
      expect(String(row!.password_hash))
        .to.match(/^scrypt\$16384\$8\$1\$/)
        .and.not.include(DEMO_PASSWORD);
    });

    it('refuses a wrong password or an unknown user with the same 401, in the caller’s language', async () => {
      const wrong = await p.call('POST', '/api/auth/login', { username: 'zhaoliu', password: 'nope-1234' });
      const unknown = await p.call('POST', '/api/auth/login', { username: 'nobody', password: 'nope-1234' }, { 'accept-language': 'en' });
      expect(wrong.status).to.equal(401);
      expect(wrong.body.error).to.include({ code: 'WF_ERR_LOGIN_FAILED', message: '用户名或密码不正确' });
      expect(unknown.body.error).to.include({ code: 'WF_ERR_LOGIN_FAILED', message: 'Wrong username or password' });
      expect((await p.call('POST', '/api/auth/login', { username: 'lisi' })).body.error).to.include({ code: 'WF_ERR_VALIDATION', field: 'body.password' });
      await p.call('POST', '/api/auth/login', { username: 'zhaoliu', password: DEMO_PASSWORD }); // clears zhaoliu's count
    });

    it('locks an account after repeated failures, even for the right password, and only that account', async () => {
      for (let i = 0; i < 3; i++) expect((await p.call('POST', '/api/auth/login', { username: 'qianqi', password: `wrong-${i}x` })).status).to.equal(401);
      const locked = await p.call('POST', '/api/auth/login', { username: 'qianqi', password: DEMO_PASSWORD });
      expect(locked.status).to.equal(423);
      expect(locked.body.error.code).to.equal('WF_ERR_ACCOUNT_LOCKED');
      expect((await p.call('POST', '/api/auth/login', { username: 'sunqi', password: DEMO_PASSWORD })).status, 'another account').to.equal(200);
      p.clock.advance(16 * 60_000);
      expect((await p.call('POST', '/api/auth/login', { username: 'qianqi', password: DEMO_PASSWORD })).status, 'after the lock').to.equal(200);
    });

    it('throttles a client address that keeps failing across accounts', async () => {
      const product = await startProduct(backend, { LOGIN_MAX_FAILURES: '100' });
      try {
        let answer;
        for (let i = 0; i < 31; i++) answer = await product.call('POST', '/api/auth/login', { username: `guess${i}`, password: 'guess-1234' });
        expect(answer!.status).to.equal(429);
        expect(answer!.body.error.code).to.equal('WF_ERR_RATE_LIMITED');
        expect((await product.call('POST', '/api/auth/login', { username: 'lisi', password: DEMO_PASSWORD })).status, 'even a right password from there').to.equal(429);
      } finally {
        await product.close();
      }
    });

    it('needs the CSRF token for a change made with the cookie, and not for a read', async () => {
      const session = await p.login('zhangsan');
      const cookieOnly = { cookie: session.headers.cookie! };
      expect((await p.call('GET', '/api/tasks', undefined, cookieOnly)).status).to.equal(200);
      const forged = await p.call('POST', '/api/processes/leave/start-form/validate', { data: {} }, cookieOnly);
      expect(forged.status).to.equal(403);
      expect(forged.body.error.code).to.equal('WF_ERR_CSRF');
      expect((await p.call('POST', '/api/processes/leave/start-form/validate', { data: {} }, { ...cookieOnly, 'x-csrf-token': 'guess' })).status).to.equal(403);
      expect((await session.call('POST', '/api/processes/leave/start-form/validate', { data: {} })).status).to.equal(200);
    });

    it('issues bearer tokens with the user’s rights, needing no CSRF token, until revoked', async () => {
      const session = await p.login('analyst');
      const created = await session.call('POST', '/api/auth/tokens', { name: '夜间导出', days: 30 });
      expect(created.status).to.equal(201);
      const bearer = { authorization: `Bearer ${created.body.token}` };
      expect((await p.call('GET', '/api/auth/me', undefined, bearer)).body).to.include({ id: 'qianduo', csrfToken: null });
      expect((await p.call('PUT', '/api/dictionaries/risk-levels', { name: { 'zh-CN': '风险等级', en: 'Risk levels' }, items: [] }, bearer)).status).to.equal(200);
      expect((await session.call('GET', '/api/auth/tokens')).body.items.map((t: { name: string }) => t.name)).to.deep.equal(['夜间导出']);
      expect((await session.call('DELETE', `/api/auth/tokens/${created.body.id}`)).status).to.equal(204);
      const revoked = await p.call('GET', '/api/auth/me', undefined, bearer);
      expect(revoked.status).to.equal(401);
      expect(revoked.body.error.code).to.equal('WF_ERR_UNAUTHENTICATED');
    });

    it('ends a session on logout, after idle time, and when the user is disabled', async () => {
      const a = await p.login('zhangsan');
      expect((await a.call('POST', '/api/auth/logout')).status).to.equal(204);
      expect((await a.call('GET', '/api/auth/me')).status).to.equal(401);

      const b = await p.login('zhangsan');
      p.clock.advance(29 * 60_000);
      expect((await b.call('GET', '/api/auth/me')).status, 'used within the idle time').to.equal(200);
      p.clock.advance(29 * 60_000);
      expect((await b.call('GET', '/api/auth/me')).status, 'the use above extended it').to.equal(200);
      p.clock.advance(31 * 60_000);
      expect((await b.call('GET', '/api/auth/me')).status, 'idle too long').to.equal(401);

      const c = await p.login('fengyi');
      const admin = await p.login('admin');
      expect((await admin.call('PUT', '/api/org/users/fengyi', { name: '冯毅', status: 'disabled' })).status).to.equal(200);
      expect((await c.call('GET', '/api/auth/me')).status).to.equal(401);
      expect((await p.call('POST', '/api/auth/login', { username: 'fengyi', password: DEMO_PASSWORD })).status).to.equal(401);
    });

    it('signs a citizen in with an SMS code sent through the SMS connector; a wrong code is refused', async () => {
      const mobile = '13700001111';
      expect((await p.call('POST', '/api/auth/sms-code', { mobile })).status).to.equal(202);
      const sent = await p.inspect(`/sim/sms/_messages?phone=${mobile}`);
      const text = String(sent.body.items[0].text);
      expect(text).to.match(/验证码 \d{6}/);
      const code = /验证码 (\d{6})/.exec(text)![1]!;
      const wrong = await p.call('POST', '/api/auth/sms-login', { mobile, code: code === '000000' ? '111111' : '000000' });
      expect(wrong.status).to.equal(401);
      expect(wrong.body.error.code).to.equal('WF_ERR_SMS_CODE_INVALID');
      const answer = await p.call('POST', '/api/auth/sms-login', { mobile, code });
      expect(answer.status).to.equal(200);
      expect(answer.body).to.include({ kind: 'citizen', dataScope: 'own' });
      expect(answer.body.roles).to.deep.equal(['citizen']);
      expect((await p.call('POST', '/api/auth/sms-login', { mobile, code })).body.error.code, 'a code works once').to.equal('WF_ERR_SMS_CODE_INVALID');
      const cookie = { cookie: String(answer.headers.get('set-cookie')).split(';')[0]! };
      expect((await p.call('GET', '/api/auth/session', undefined, cookie)).body.me, 'the portal’s question: who is signed in').to.include({ kind: 'citizen', id: answer.body.id });
      const nobody = await p.call('GET', '/api/auth/session');
      expect([nobody.status, nobody.body], 'nobody, without a 401').to.deep.equal([200, { me: null }]);
      expect((await p.call('POST', '/api/auth/sms-code', { mobile: '12345' })).body.error).to.include({ code: 'WF_ERR_VALIDATION', field: 'body.mobile' });
    });
  });
}
