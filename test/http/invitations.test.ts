/**
 * Answering by link on the product as `npm start` wires it: the invitation
 * example e-mails an expert a signed link (read back at the SMTP simulator);
 * the link tells what the waiting node asks, in the case's words; the answer
 * is the message the case waits for — once: two clicks at once make one
 * answer, a second use is refused, and so are a changed link, another
 * invitation's key, an expired link and a case that no longer waits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { startProduct, type Product, type Session } from '../support/product.ts';

const EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions/examples/email-expert-invitation.bpmn');
const HOUR = 3600_000;

describe('HTTP API: answering an invitation by its link', function () {
  this.timeout(60_000);
  let p: Product;
  let admin: Session;

  before(async () => {
    p = await startProduct('sqlite', { WORKER: 'true' });
    admin = await p.login('admin');
    const deployed = await admin.call('POST', '/api/definitions', { xml: fs.readFileSync(EXAMPLE, 'utf8') });
    expect(deployed.status, JSON.stringify(deployed.body)).to.be.oneOf([200, 201]);
  });
  after(async () => p?.close());

  /** Starts an invitation and returns its case and the token of the link the e-mail carried. */
  async function invite(invitationId: string, expertEmail: string) {
    const started = await admin.call('POST', '/api/instances', { processKey: 'email-expert-invitation', variables: { expertEmail, expertName: '王教授', meeting: '2026 年度专家评审', invitationId } });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    for (let i = 0; i < 100; i++) {
      const mails = (await p.inspect(`/sim/email/_messages?to=${encodeURIComponent(expertEmail)}`)).body.items as Array<{ text: string }>;
      const link = mails.map((m) => new RegExp(`/portal/invitations/${invitationId}\\?token=(\\S+)`).exec(m.text)).find(Boolean);
      if (link) return { instanceId: started.body.id as string, token: link[1]! };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no letter reached ${expertEmail}`);
  }
  const read = (key: string, token: string) => p.call('GET', `/api/invitations/${key}?token=${encodeURIComponent(token)}`, undefined, { 'accept-language': 'zh-CN' });
  const answer = (key: string, body: Record<string, unknown>) => p.call('POST', `/api/invitations/${key}/answer`, body, { 'accept-language': 'zh-CN' });
  const stateOf = async (id: string) => (await admin.call('GET', `/api/instances/${id}`)).body;

  it('tells what is asked; accepting answers the case once — of two clicks at once one counts — and the link then says so', async () => {
    const { instanceId, token } = await invite('INV-1', 'wang@example.com');
    const open = await read('INV-1', token);
    expect(open.status, JSON.stringify(open.body)).to.equal(200);
    expect(open.headers.get('cache-control')).to.equal('no-store');
    expect(open.body).to.deep.include({ key: 'INV-1', processName: '专家评审邮件邀请', activityName: '等待专家答复', state: 'open', answer: null });
    expect(open.body.ask).to.equal('王教授，您好：诚邀您参加“2026 年度专家评审”。请在链接有效期内确认是否参加。');
    expect(Date.parse(open.body.expiresAt) - p.clock.now()).to.be.within(71 * HOUR, 72 * HOUR);

    const [one, two] = await Promise.all([answer('INV-1', { token, accepted: true, comment: '准时参加' }), answer('INV-1', { token, accepted: true })]);
    expect([one.status, two.status].sort()).to.deep.equal([200, 409]);
    const won = one.status === 200 ? one : two;
    const lost = one.status === 200 ? two : one;
    expect(lost.body.error).to.include({ code: 'WF_ERR_LINK_USED', message: '此链接已经答复过，不能再次使用' });
    expect(won.body).to.deep.include({ state: 'answered' });
    expect(won.body.answer).to.include({ accepted: true });

    const after = await stateOf(instanceId);
    expect(after.state).to.equal('completed');
    const history = (await admin.call('GET', `/api/instances/${instanceId}/history?limit=100`)).body.items as Array<{ kind: string; activityId: string }>;
    expect(history.filter((h) => h.kind === 'message.receive')).to.have.length(1);
    expect(
      history.some((h) => h.kind === 'activity.end' && h.activityId === 'confirmed'),
      'ended at 确认参加',
    ).to.equal(true);

    const again = await read('INV-1', token);
    expect(again.body).to.deep.include({ state: 'answered', activityName: '等待专家答复' });
    expect(again.body.answer.accepted).to.equal(true);
    const late = await answer('INV-1', { token, accepted: false });
    expect([late.status, late.body.error.code]).to.deep.equal([409, 'WF_ERR_LINK_USED']);
  });

  it('declining goes the other way; a changed link, another key, bad input, an expired link and a closed case are each refused, changing nothing', async () => {
    const { instanceId, token } = await invite('INV-2', 'li@example.com');
    const other = await invite('INV-3', 'zhao@example.com');

    const tampered = await read(
      'INV-2',
      token.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')),
    );
    expect([tampered.status, tampered.body.error.code, tampered.body.error.message]).to.deep.equal([404, 'WF_ERR_LINK_INVALID', '链接无效：请打开邀请中的完整链接']);
    const elsewhere = await answer('INV-3', { token, accepted: true });
    expect([elsewhere.status, elsewhere.body.error.code]).to.deep.equal([404, 'WF_ERR_LINK_INVALID']);
    const noAnswer = await answer('INV-2', { token });
    expect([noAnswer.status, noAnswer.body.error.field]).to.deep.equal([400, 'body.accepted']);
    const noToken = await p.call('GET', '/api/invitations/INV-2');
    expect([noToken.status, noToken.body.error.field]).to.deep.equal([400, 'query.token']);
    expect((await read('INV-2', token)).body.state, 'still open').to.equal('open');

    const declined = await answer('INV-2', { token, accepted: false, comment: '当天出差' });
    expect(declined.status, JSON.stringify(declined.body)).to.equal(200);
    expect(declined.body.answer).to.include({ accepted: false, comment: '当天出差' });
    const history = (await admin.call('GET', `/api/instances/${instanceId}/history?limit=100`)).body.items as Array<{ kind: string; activityId: string }>;
    expect(
      history.some((h) => h.kind === 'activity.end' && h.activityId === 'declined'),
      'ended at 不参加',
    ).to.equal(true);

    // INV-3 unanswered: after two days the secretary phones (the case no longer waits), after three the link has expired.
    p.clock.advance(49 * HOUR);
    for (let i = 0; i < 100 && (await read('INV-3', other.token)).body.state !== 'closed'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await read('INV-3', other.token)).body.state).to.equal('closed');
    const tooLate = await answer('INV-3', { token: other.token, accepted: true });
    expect([tooLate.status, tooLate.body.error.code, tooLate.body.error.message]).to.deep.equal([409, 'WF_ERR_INVITATION_CLOSED', '此邀请已结束，不再等待答复']);
    p.clock.advance(24 * HOUR);
    const expired = await read('INV-3', other.token);
    expect([expired.status, expired.body.error.code, expired.body.error.message]).to.deep.equal([410, 'WF_ERR_LINK_EXPIRED', '链接已过期，请与邀请方联系']);
    expect((await answer('INV-3', { token: other.token, accepted: true })).status).to.equal(410);
    admin = await p.login('admin'); // three days later: a new session
    const phoning = await stateOf(other.instanceId);
    expect(phoning.state, JSON.stringify(phoning)).to.equal('running');
  });
});
