/**
 * Multi-person nodes and inbox operations on the demo organisation:
 * countersign (all / a share), sequential signing, adding a signer before or
 * after, transfer, delegate and back, return to the previous or any earlier
 * node, urge (rate-limited), copies and comments — each recorded in the
 * history, each telling the people concerned.
 */
import { expect } from 'chai';
import type { TaskRecord } from '../../engine/core/model.ts';
import { addComment, addSigner, copyCase, handOver, returnTargets, returnTask, urgeTask, URGE_INTERVAL_MS } from '../../engine/core/usecases/inbox.ts';
import { describeOnBothStores, fixture } from '../support/harness.ts';
import { seedDemoOrg } from '../support/org.ts';

describeOnBothStores('inbox operations', (ctx) => {
  beforeEach(async () => {
    await seedDemoOrg(ctx().org);
  });

  const active = async (instanceId: string): Promise<TaskRecord[]> => ctx().activeTasks(instanceId);
  const only = async (instanceId: string, activityId?: string): Promise<TaskRecord> => {
    const tasks = (await active(instanceId)).filter((t) => !activityId || t.activityId === activityId);
    expect(tasks, `one active task${activityId ? ` at ${activityId}` : ''}`).to.have.length(1);
    return tasks[0]!;
  };
  const kinds = async (instanceId: string) => (await ctx().wf.history(instanceId, { offset: 0, limit: 200 })).items.map((h) => h.kind);
  const notices = async (userId: string, kind?: string) => (await ctx().store.listNotices(userId, { ...(kind && { kind }) }, { offset: 0, limit: 50 })).items;

  async function cab(sign: string, board: string[]) {
    const { wf } = ctx();
    const xml = fixture('cab-countersign').replace('wf:sign="all"', `wf:sign="${sign}"`).replace('id="cab-countersign"', `id="cab-${sign.replace('%', 'pct')}"`);
    await wf.deploy(xml, 'analyst');
    return wf.start({ processKey: `cab-${sign.replace('%', 'pct')}`, variables: { board } }, 'zhangsan');
  }

  it('countersign (all): a row per signer; the node waits for every approval, then goes on approved with the votes', async () => {
    const { wf } = ctx();
    const instance = await cab('all', ['lisi', 'zhaoliu', 'wujiu']);
    const rows = await active(instance.id);
    expect(rows.map((t) => t.assignee).sort()).to.deep.equal(['lisi', 'wujiu', 'zhaoliu']);
    expect((await notices('zhaoliu', 'task')).length, 'each signer is told').to.equal(1);
    const of = (user: string) => rows.find((t) => t.assignee === user)!.id;
    await wf.complete(of('lisi'), { approved: true, opinion: '同意' }, 'lisi');
    await wf.complete(of('zhaoliu'), { approved: true }, 'zhaoliu');
    expect(await ctx().waitingIn(instance.id)).to.deep.equal(['cab']);
    const conflict = await wf.complete(of('lisi'), { approved: true }, 'lisi').catch((err) => err.code);
    expect(conflict, 'a signer votes once').to.equal('WF_ERR_TASK_NOT_ACTIVE');
    await wf.complete(of('wujiu'), { approved: true }, 'wujiu');
    expect(await ctx().waitingIn(instance.id)).to.deep.equal(['implement']);
    const variables = (await wf.getInstance(instance.id)).variables;
    expect(variables).to.deep.include({ approved: true, opinion: '同意' });
    expect(variables.cabVotes).to.deep.equal([
      { userId: 'lisi', approved: true },
      { userId: 'zhaoliu', approved: true },
      { userId: 'wujiu', approved: true },
    ]);
    expect((await kinds(instance.id)).filter((k) => k === 'task.vote')).to.have.length(3);
  });

  it('countersign (all): one rejection rejects at once and cancels the others’ rows', async () => {
    const { wf } = ctx();
    const instance = await cab('all', ['lisi', 'zhaoliu', 'wujiu']);
    const rows = await active(instance.id);
    await wf.complete(rows.find((t) => t.assignee === 'zhaoliu')!.id, { approved: false }, 'zhaoliu');
    expect((await wf.getInstance(instance.id)).state).to.equal('completed');
    expect((await wf.getInstance(instance.id)).variables.approved).to.equal(false);
    const all = (await wf.listTasks({ instanceId: instance.id }, { offset: 0, limit: 10 })).items;
    expect(all.map((t) => `${t.assignee}:${t.state}`).sort()).to.deep.equal(['lisi:cancelled', 'wujiu:cancelled', 'zhaoliu:completed']);
  });

  it('a share (60%): decided once enough approve, or once too many reject for the share to be reached', async () => {
    const { wf } = ctx();
    const approved = await cab('60%', ['lisi', 'zhaoliu', 'wujiu']);
    let rows = await active(approved.id);
    await wf.complete(rows[0]!.id, { approved: false }, rows[0]!.assignee);
    await wf.complete(rows[1]!.id, { approved: true }, rows[1]!.assignee);
    expect(await ctx().waitingIn(approved.id), '1 of 3 is not 60%').to.deep.equal(['cab']);
    await wf.complete(rows[2]!.id, { approved: true }, rows[2]!.assignee);
    expect(await ctx().waitingIn(approved.id), '2 of 3').to.deep.equal(['implement']);

    const rejected = await cab('60%', ['lisi', 'zhaoliu', 'wujiu']);
    rows = await active(rejected.id);
    await wf.complete(rows[0]!.id, { approved: false }, rows[0]!.assignee);
    await wf.complete(rows[1]!.id, { approved: false }, rows[1]!.assignee);
    expect((await wf.getInstance(rejected.id)).state, 'two rejections: 60% is out of reach').to.equal('completed');
    expect((await wf.getInstance(rejected.id)).variables.approved).to.equal(false);
  });

  it('sequential signing (依次审批): one after another in the order found; a rejection ends it', async () => {
    const { wf } = ctx();
    const instance = await cab('sequential', ['zhoubo', 'zhengshi', 'wujiu']);
    for (const user of ['zhoubo', 'zhengshi']) {
      const row = await only(instance.id);
      expect(row.assignee).to.equal(user);
      await wf.complete(row.id, { approved: true }, user);
    }
    const last = await only(instance.id);
    expect(last.assignee).to.equal('wujiu');
    await wf.complete(last.id, { approved: false }, 'wujiu');
    expect((await wf.getInstance(instance.id)).variables.approved).to.equal(false);
  });

  it('adds a signer after the holder (the node waits for both) or before (the newcomer first, then the holder again)', async () => {
    const { wf } = ctx();
    await ctx().deploy('tiered-approval');
    const after = await wf.start({ processKey: 'tiered-approval' }, 'zhangsan');
    await wf.complete((await only(after.id)).id, {}, 'zhangsan');
    const review = await only(after.id, 'review');
    expect(review.assignee).to.equal('lisi');
    await addSigner(wf.services, review.id, 'zhaoliu', 'after', 'lisi');
    await wf.complete(review.id, { approved: true }, 'lisi');
    const added = await only(after.id, 'review');
    expect(added.assignee).to.equal('zhaoliu');
    await wf.complete(added.id, { approved: true }, 'zhaoliu');
    expect((await only(after.id)).activityId).to.equal('approve');

    const before = await wf.start({ processKey: 'tiered-approval' }, 'zhangsan');
    await wf.complete((await only(before.id)).id, {}, 'zhangsan');
    const held = await only(before.id, 'review');
    const { task: ended, added: newcomer } = await addSigner(wf.services, held.id, 'wangwu', 'before', 'lisi');
    expect(newcomer, 'the new signer’s task').to.include({ assignee: 'wangwu', state: 'active' });
    expect(ended.state).to.equal('cancelled');
    await wf.complete((await only(before.id)).id, { approved: true }, 'wangwu');
    const back = await only(before.id, 'review');
    expect(back.assignee, 'the holder signs again after').to.equal('lisi');
    await wf.complete(back.id, { approved: true }, 'lisi');
    expect((await only(before.id)).activityId).to.equal('approve');
    expect(await kinds(before.id)).to.include('task.sign-add');
  });

  it('transfers a task (转办) and delegates one (委派): the delegate’s completion gives it back to the owner', async () => {
    const { wf } = ctx();
    await ctx().deploy('tiered-approval');
    const instance = await wf.start({ processKey: 'tiered-approval' }, 'zhangsan');
    await wf.complete((await only(instance.id)).id, {}, 'zhangsan');
    const review = await only(instance.id, 'review');
    const transferred = await handOver(wf.services, review.id, 'zhaoliu', 'transfer', '出差，请代为审核', 'lisi');
    expect(transferred).to.include({ assignee: 'zhaoliu', owner: null });
    expect((await notices('zhaoliu', 'transfer'))[0]).to.include({ title: '转办：部门负责人审核', body: '出差，请代为审核', taskId: review.id });
    const unknown = await handOver(wf.services, review.id, 'nobody', 'transfer', null, 'zhaoliu').catch((err) => err.code);
    expect(unknown).to.equal('WF_ERR_USER_NOT_FOUND');

    const delegated = await handOver(wf.services, review.id, 'qianqi', 'delegate', '请核对金额', 'zhaoliu');
    expect(delegated).to.include({ assignee: 'qianqi', owner: 'zhaoliu' });
    await wf.complete(review.id, { checked: true }, 'qianqi');
    const returned = await wf.getTask(review.id);
    expect(returned).to.include({ state: 'active', assignee: 'zhaoliu', owner: null });
    await wf.complete(review.id, { approved: true }, 'zhaoliu');
    expect((await only(instance.id)).activityId).to.equal('approve');
    const history = (await wf.history(instance.id, { offset: 0, limit: 100 })).items;
    expect(history.find((h) => h.kind === 'task.resolve')).to.deep.include({ actor: 'qianqi', data: { owner: 'zhaoliu', variables: { checked: true } } });
    expect(history.filter((h) => ['task.transfer', 'task.delegate'].includes(h.kind)).map((h) => `${h.kind}:${(h.data as { to: string }).to}`)).to.deep.equal(['task.transfer:zhaoliu', 'task.delegate:qianqi']);
  });

  it('returns a case (退回) to the previous node, to its last handler; to any earlier node only where allowed', async () => {
    const { wf } = ctx();
    await ctx().deploy('tiered-approval');
    const instance = await wf.start({ processKey: 'tiered-approval' }, 'zhangsan');
    await wf.complete((await only(instance.id)).id, { amount: 100 }, 'zhangsan');
    await wf.complete((await only(instance.id, 'review')).id, { approved: true }, 'lisi');
    const approve = await only(instance.id, 'approve');
    expect(approve.assignee).to.equal('chenjun');
    expect((await returnTargets(wf.services, approve.id)).map((t) => t.activityId), 'approve may go back anywhere earlier').to.deep.equal(['draft', 'review']);

    const back = await returnTask(wf.services, approve.id, null, '请补充预算依据', 'chenjun');
    expect(back).to.include({ activityId: 'review', assignee: 'lisi', state: 'active' });
    expect((await wf.getTask(approve.id)).state).to.equal('cancelled');
    expect(await ctx().waitingIn(instance.id)).to.deep.equal(['review']);
    expect((await notices('lisi', 'return'))[0]).to.include({ body: '请补充预算依据' });

    expect(await returnTargets(wf.services, back.id), 'review offers only the draft').to.deep.equal([{ activityId: 'draft', name: '填写申请' }]);
    const notAllowed = await returnTask(wf.services, back.id, 'approve', '不行', 'lisi').catch((err) => err.code);
    expect(notAllowed, 'review may only go back to the draft').to.equal('WF_ERR_RETURN_NOT_ALLOWED');
    await wf.complete(back.id, { approved: true }, 'lisi');
    const again = await only(instance.id, 'approve');
    const toDraft = await returnTask(wf.services, again.id, 'draft', '请重新填写', 'chenjun');
    expect(toDraft).to.include({ activityId: 'draft', assignee: 'zhangsan' });
    // The case flows on from the returned node as drawn.
    await wf.complete(toDraft.id, { amount: 80 }, 'zhangsan');
    await wf.complete((await only(instance.id, 'review')).id, { approved: true }, 'lisi');
    await wf.complete((await only(instance.id, 'approve')).id, { approved: true }, 'chenjun');
    await wf.complete((await only(instance.id, 'record')).id, {}, 'sunqi');
    expect((await wf.getInstance(instance.id)).state).to.equal('completed');
    expect((await wf.getInstance(instance.id)).variables.amount).to.equal(80);
    expect((await kinds(instance.id)).filter((k) => k === 'task.return')).to.have.length(2);
  });

  it('urges the holder at most once per interval, copies the case (by node rule and by hand), and keeps comments with files', async () => {
    const { wf, clock } = ctx();
    await ctx().deploy('tiered-approval');
    const instance = await wf.start({ processKey: 'tiered-approval' }, 'zhangsan');
    await wf.complete((await only(instance.id)).id, {}, 'zhangsan');
    const review = await only(instance.id, 'review');
    expect(await urgeTask(wf.services, review.id, '请尽快审核', 'zhangsan')).to.deep.equal({ notified: ['lisi'] });
    expect((await notices('lisi', 'urge'))[0]).to.include({ title: '催办：部门负责人审核', body: '请尽快审核' });
    expect(await urgeTask(wf.services, review.id, null, 'zhangsan').catch((err) => err.code)).to.equal('WF_ERR_RATE_LIMITED');
    clock.advance(URGE_INTERVAL_MS);
    expect((await urgeTask(wf.services, review.id, null, 'zhangsan')).notified).to.deep.equal(['lisi']);

    await wf.complete(review.id, { approved: true }, 'lisi');
    expect((await notices('sunqi', 'cc')).map((n) => n.instanceId), 'wf:cc on the review node').to.deep.equal([instance.id]);
    await copyCase(wf.services, instance.id, ['fengyi'], '供参考', 'lisi');
    expect(await wf.services.store.hasNotice('fengyi', instance.id, 'cc')).to.equal(true);

    const file = await wf.uploadFile({ name: '预算表.pdf', bytes: Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n') }, 'lisi');
    await addComment(wf.services, instance.id, '预算表见附件', [file.id], 'lisi');
    expect((await wf.services.store.getFile(file.id))!.instanceId).to.equal(instance.id);
    const someoneElses = await addComment(wf.services, instance.id, '我的附件', [file.id], 'zhaoliu').catch((err) => err.code);
    expect(someoneElses).to.equal('WF_ERR_FILE_NOT_FOUND');
    const comment = (await wf.history(instance.id, { offset: 0, limit: 100 })).items.find((h) => h.kind === 'comment');
    expect(comment).to.deep.include({ actor: 'lisi', data: { text: '预算表见附件', files: [file.id] } });
  });

  it('of two signers completing the same row at once, exactly one wins', async () => {
    const { wf } = ctx();
    const instance = await cab('all', ['lisi', 'zhaoliu']);
    const row = (await active(instance.id)).find((t) => t.assignee === 'lisi')!;
    const results = await Promise.allSettled([wf.complete(row.id, { approved: true }, 'lisi'), wf.complete(row.id, { approved: true }, 'lisi')]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    expect((await wf.history(instance.id, { offset: 0, limit: 50 })).items.filter((h) => h.kind === 'task.vote')).to.have.length(1);
  });
});
