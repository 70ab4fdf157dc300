/**
 * The admin console through its pages: an import of users from CSV with one
 * bad row is refused as a whole and the row is reported with its problem;
 * fixed, the same file imports.
 */
import { expect } from 'chai';
import { needsChromium, startWeb, type Web } from '../support/browser.ts';

const GOOD = '工号,姓名,手机,岗位,角色\nliuyang,刘洋,13912345678,office:staff,clerk\nchenjing,陈静,13912345679,office:staff,clerk\n';
const BAD = GOOD + 'zhaolei,赵磊,123,office:staff,clerk\n';

describe('web: the admin console', function () {
  needsChromium(this);
  this.timeout(120_000);
  let web: Web;
  before(async () => {
    web = await startWeb();
  });
  after(async () => web?.close());

  it('imports users from a CSV: one bad row is reported by row and column and nothing is imported; fixed, it imports', async () => {
    const admin = await web.as('admin');
    await admin.open('/admin/import');
    await admin.page.locator('input[type=file]').setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD, 'utf8') });
    const report = admin.page.locator('.ant-table', { hasText: '第 4 行' });
    await report.waitFor();
    expect(await report.innerText()).to.match(/手机/);
    expect(await admin.page.getByText('有 1 行有误').count()).to.equal(1);
    await admin.screenshot('scenario-import-bad-row');
    const api = await web.product.login('admin');
    expect((await api.call('GET', '/api/org/users/liuyang')).status, 'all or nothing').to.equal(404);

    await admin.page.locator('input[type=file]').setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOD, 'utf8') });
    await admin.page.getByText('导入成功').waitFor();
    expect((await api.call('GET', '/api/org/users/liuyang')).body).to.include({ name: '刘洋' });
    expect(admin.trouble.pageErrors.concat(admin.trouble.consoleErrors)).to.deep.equal([]);
  });
});
