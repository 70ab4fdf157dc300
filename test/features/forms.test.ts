import { expect } from 'chai';
import { count } from '../support/databases.ts';
import { deployDemoForms, demoBpmn, demoForm, EXE, JPEG, PDF, PNG, roadPassApplication } from '../support/forms.ts';
import { describeOnBothStores, type TestContext } from '../support/harness.ts';

const page = { offset: 0, limit: 200 };

type Failure = { code: string; status: number; field?: string; context: Record<string, unknown> };
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e as Failure,
  );
const issuesOf = (e: Failure | null) => (e?.context.issues as Array<{ pointer: string; message: string; rule: string }>).map((i) => [i.pointer, i.message]);

/** Rows that a refused submission must not have written. */
const writtenRows = async (c: TestContext) =>
  Object.fromEntries(await Promise.all(['wf_instances', 'wf_tasks', 'wf_history', 'wf_form_drafts', 'wf_files'].map(async (t) => [t, await count(c.db, t)])));

const leaveBpmn = () => demoBpmn('leave');
const validLeave = { leaveType: 'annual', startDate: '2026-12-07', endDate: '2026-12-08', reason: '回老家探亲' };

async function leaveAtHeadApproval(c: TestContext) {
  await deployDemoForms(c.wf, 'leave-request');
  await c.wf.deploy(leaveBpmn(), 'analyst');
  const instance = await c.wf.submitStartForm('leave', { data: validLeave }, 'zhangsan', 'zh-CN');
  const [task] = await c.activeTasks(instance.id);
  return { instance, task: task! };
}

describeOnBothStores('forms: deploying and referencing', (ctx) => {
  it('Given a form, when it is deployed again unchanged, then the version stays; changed, it becomes version 2', async () => {
    const c = ctx();
    await deployDemoForms(c.wf);
    const form = demoForm('leave-request');
    expect(await c.wf.deployForm(form, 'analyst')).to.deep.include({ key: 'leave-request', version: 1, created: true });
    const reordered = { ui: form.ui, schema: form.schema, title: form.title, key: form.key };
    expect(await c.wf.deployForm(reordered, 'analyst'), 'key order does not matter').to.deep.include({ version: 1, created: false });
    const changed = structuredClone(form);
    changed.schema.properties.reason.maxLength = 300;
    expect(await c.wf.deployForm(changed, 'analyst')).to.deep.include({ version: 2, created: true });
    expect((await c.wf.getForm('leave-request')).version).to.equal(2);
    expect((await c.wf.getForm('leave-request', 1)).definition).to.deep.equal(form);
  });

  it('Given a definition with several problems, when deployed, then WF_ERR_FORM_INVALID lists each with its pointer and nothing is stored', async () => {
    const c = ctx();
    const broken = {
      key: 'Bad Key',
      title: { 'zh-CN': '坏表单', en: '' },
      schema: { type: 'object', properties: { kind: { type: 'string', 'x-dictionary': 'nope' }, days: { type: 'number', 'x-computed': { fn: 'magic', args: [] } } }, then: { required: ['ghost'] } },
      ui: { order: ['kind', 'missing'] },
    };
    const error = await failure(c.wf.deployForm(broken as never, 'analyst'));
    expect(error).to.include({ code: 'WF_ERR_FORM_INVALID', status: 422 });
    expect((error!.context.problems as Array<{ pointer: string }>).map((p) => p.pointer)).to.have.members([
      '/key',
      '/title/en',
      '/schema/then/required',
      '/schema/properties/kind/x-dictionary',
      '/schema/properties/days/x-computed',
      '/ui/order/1',
    ]);
    expect(await count(c.db, 'wf_forms')).to.equal(0);
  });

  it('Given a BPMN file naming an undeployed form or a field the form lacks, when deployed, then the problems name the element', async () => {
    const c = ctx();
    const missingForm = await failure(c.wf.deploy(leaveBpmn(), 'analyst'));
    expect(missingForm).to.include({ code: 'WF_ERR_BPMN_INVALID' });
    const problems = (p: Failure | null) => (p!.context.problems as Array<{ rule: string; elementId: string }>).map((x) => `${x.rule}@${x.elementId}`);
    expect(problems(missingForm)).to.include.members(['unknown-form@start', 'unknown-form@headApproval', 'unknown-form@hrRecord']);

    await deployDemoForms(c.wf, 'leave-request');
    const wrongField = leaveBpmn().replace('wf:editable="approved,comment" />', 'wf:editable="approved,salary" />');
    expect(problems(await failure(c.wf.deploy(wrongField, 'analyst')))).to.deep.equal(['unknown-form-field@headApproval']);
    const wrongVersion = leaveBpmn().replace(
      'camunda:formRef="leave-request" wf:readonly="*"',
      'camunda:formRef="leave-request" camunda:formRefBinding="version" camunda:formRefVersion="7" wf:readonly="*"',
    );
    expect(problems(await failure(c.wf.deploy(wrongVersion, 'analyst')))).to.deep.equal(['unknown-form@hrRecord']);
    const requiredReadOnly = leaveBpmn().replace('wf:editable="approved,comment" />', 'wf:editable="approved,comment" wf:required="comment,reason" />');
    expect(problems(await failure(c.wf.deploy(requiredReadOnly, 'analyst'))), 'a node cannot demand what it cannot edit').to.deep.equal(['required-not-editable@headApproval']);
    expect(await count(c.db, 'wf_definitions')).to.equal(0);
    expect((await c.wf.deploy(leaveBpmn(), 'analyst'))[0]).to.include({ created: true });
  });
});

describeOnBothStores('forms: start forms and task forms', (ctx) => {
  it('Given the leave start form, when submitted with bad data, then every problem comes back in the caller’s language and nothing is written', async () => {
    const c = ctx();
    await deployDemoForms(c.wf, 'leave-request');
    await c.wf.deploy(leaveBpmn(), 'analyst');
    const before = await writtenRows(c);
    const bad = { leaveType: 'sick', startDate: '2026-12-01', endDate: '2026-12-09', reason: 'x', mobile: '1381234567', approved: true, salary: 9000 };

    const zh = await failure(c.wf.submitStartForm('leave', { data: bad }, 'zhangsan', 'zh-CN'));
    expect(zh).to.include({ code: 'WF_ERR_FORM_DATA_INVALID', status: 422, field: '/approved' });
    expect(issuesOf(zh)).to.have.deep.members([
      ['/approved', '审批结果：本环节不可见，不能提交'],
      ['/salary', 'salary：不允许的字段'],
      ['/sickNote', '病假证明：必填'],
      ['/handover', '工作交接人：必填'],
      ['/reason', '请假事由：至少 2 个字符'],
      ['/mobile', '联系电话：应为 11 位数字'],
    ]);
    const { approved: _approved, salary: _salary, ...visible } = bad;
    const en = await failure(c.wf.submitStartForm('leave', { data: { ...visible, mobile: '13812345678' } }, 'zhangsan', 'en'));
    expect(issuesOf(en)).to.have.deep.members([
      ['/sickNote', 'Sick note: is required'],
      ['/handover', 'Hand-over to: is required'],
      ['/reason', 'Reason: must have at least 2 characters'],
    ]);
    // The plain start API validates the same way: the form cannot be side-stepped.
    expect(await failure(c.wf.start({ processKey: 'leave', variables: bad }, 'zhangsan'))).to.include({ code: 'WF_ERR_FORM_DATA_INVALID' });
    expect(await writtenRows(c)).to.deep.equal(before);
  });

  it('Given valid data, when the start form is submitted, then the case starts with the values and computed fields as variables', async () => {
    const c = ctx();
    const { instance } = await leaveAtHeadApproval(c);
    expect(instance.variables).to.deep.equal({ ...validLeave, days: 2, applicant: 'zhangsan' });
    expect(await c.waitingIn(instance.id)).to.deep.equal(['headApproval', 'headReminder']);
  });

  it('Given the head’s approval task, when its form is fetched, then fields hidden at that node are left out and the applicant’s fields are read-only', async () => {
    const c = ctx();
    await deployDemoForms(c.wf, 'leave-request');
    // A stricter variant: the mobile number is hidden from the head of department.
    await c.wf.deploy(leaveBpmn().replace('wf:editable="approved,comment" />', 'wf:editable="approved,comment" wf:hidden="mobile" />'), 'analyst');
    const instance = await c.wf.submitStartForm('leave', { data: { ...validLeave, mobile: '13812345678' } }, 'zhangsan', 'zh-CN');
    const [task] = await c.activeTasks(instance.id);

    const view = await c.wf.taskForm(task!.id, 'lisi');
    expect(view.form.access).to.deep.equal({
      leaveType: 'readonly',
      startDate: 'readonly',
      endDate: 'readonly',
      days: 'readonly',
      reason: 'readonly',
      sickNote: 'readonly',
      handover: 'readonly',
      approved: 'editable',
      comment: 'editable',
    });
    expect(view.form.schema.properties).to.not.have.property('mobile');
    expect(view.form.schema.properties.reason.readOnly).to.equal(true);
    expect(view.form.ui!.order).to.not.include('mobile');
    expect(view.values).to.deep.equal({ ...validLeave, days: 2 });

    const sentHidden = await failure(c.wf.submitTaskForm(task!.id, { approved: true, mobile: '13900000000' }, 'lisi', 'zh-CN'));
    expect(issuesOf(sentHidden)).to.deep.equal([['/mobile', '联系电话：本环节不可见，不能提交']]);
  });

  it('Given an approval task, when a read-only field is changed, then it is refused and the stored value stays; unchanged it passes and the decision is stored', async () => {
    const c = ctx();
    const { instance, task } = await leaveAtHeadApproval(c);
    const changed = await failure(c.wf.submitTaskForm(task.id, { reason: '改一下', approved: true }, 'lisi', 'zh-CN'));
    expect(issuesOf(changed)).to.deep.equal([['/reason', '请假事由：本环节只读，不能修改']]);
    expect((await c.instance(instance.id)).variables.reason).to.equal(validLeave.reason);
    expect((await c.wf.getTask(task.id)).state).to.equal('active');

    const done = await c.wf.submitTaskForm(task.id, { reason: validLeave.reason, approved: true, comment: '同意' }, 'lisi', 'zh-CN');
    expect(done.task.state).to.equal('completed');
    expect(done.instance.variables).to.include({ approved: true, comment: '同意', reason: validLeave.reason });
    expect(await c.waitingIn(instance.id), 'two days: straight to HR').to.deep.equal(['hrRecord']);
    const [hr] = await c.activeTasks(instance.id);
    // Completing through the plain task API is held to the form as well.
    expect(issuesOf(await failure(c.wf.complete(hr!.id, { approved: false }, 'hr')))).to.deep.equal([['/approved', '审批结果：本环节只读，不能修改']]);
  });

  it('Given a field the form leaves optional, when a node requires it (wf:required), then its form shows it required and a submission without it is refused in the schema’s own words', async () => {
    const c = ctx();
    await deployDemoForms(c.wf, 'leave-request');
    await c.wf.deploy(leaveBpmn().replace('wf:editable="approved,comment" />', 'wf:editable="approved,comment" wf:required="comment" />'), 'analyst');
    const instance = await c.wf.submitStartForm('leave', { data: validLeave }, 'zhangsan', 'zh-CN');
    const [task] = await c.activeTasks(instance.id);
    expect((await c.wf.taskForm(task!.id, 'lisi')).form.schema.required).to.include('comment');
    expect(issuesOf(await failure(c.wf.submitTaskForm(task!.id, { approved: true }, 'lisi', 'zh-CN')))).to.deep.equal([['/comment', '审批意见：必填']]);
    expect(issuesOf(await failure(c.wf.submitTaskForm(task!.id, { approved: true, comment: '' }, 'lisi', 'en')))).to.deep.equal([['/comment', 'Comment: is required']]);
    const done = await c.wf.submitTaskForm(task!.id, { approved: true, comment: '同意' }, 'lisi', 'zh-CN');
    expect(done.task.state).to.equal('completed');
  });

  it('Given a task created under form version 1, when version 2 is deployed, then that task keeps showing version 1 while new tasks get version 2', async () => {
    const c = ctx();
    const { task } = await leaveAtHeadApproval(c);
    const v2 = structuredClone(demoForm('leave-request'));
    v2.schema.properties.comment.maxLength = 20;
    await c.wf.deployForm(v2, 'analyst');
    expect((await c.wf.taskForm(task.id, 'lisi')).form.version).to.equal(1);
    await c.wf.submitTaskForm(task.id, { approved: true, comment: '这是一条超过二十个字符的审批意见，但第一版允许五百个字符' }, 'lisi', 'zh-CN');

    // Within LATEST_TTL_MS a new task may still see the cached version: let it pass.
    c.clock.advance(2100);
    const second = await c.wf.submitStartForm('leave', { data: validLeave }, 'wangwu', 'zh-CN');
    const [task2] = await c.activeTasks(second.id);
    expect((await c.wf.taskForm(task2!.id, 'lisi')).form.version).to.equal(2);
    const tooLong = await failure(c.wf.submitTaskForm(task2!.id, { approved: true, comment: '这是一条超过二十个字符的审批意见，但第二版只允许二十个' }, 'lisi', 'zh-CN'));
    expect(issuesOf(tooLong)).to.deep.equal([['/comment', '审批意见：最多 20 个字符']]);
  });

  it('Given a half-filled application, when saved as a draft, then missing fields are fine, wrong values are not, and only its owner sees it until submission removes it', async () => {
    const c = ctx();
    await deployDemoForms(c.wf, 'leave-request');
    await c.wf.deploy(leaveBpmn(), 'analyst');
    const draft = await c.wf.saveStartDraft('leave', { leaveType: 'personal', startDate: '2026-12-07' }, 'zhangsan', 'zh-CN');
    expect(draft.data).to.deep.equal({ leaveType: 'personal', startDate: '2026-12-07' });
    const wrong = await failure(c.wf.saveStartDraft('leave', { leaveType: 'holiday', startDate: '7 Dec' }, 'zhangsan', 'zh-CN'));
    expect(issuesOf(wrong)).to.have.deep.members([
      ['/leaveType', '请假类型：不是可选的值'],
      ['/startDate', '开始日期：不是有效的日期'],
    ]);
    expect((await c.wf.startForm('leave', 'zhangsan')).draft?.data).to.deep.equal({ leaveType: 'personal', startDate: '2026-12-07' });
    expect((await c.wf.startForm('leave', 'lisi')).draft).to.equal(null);
    expect(await c.wf.validateStartForm('leave', draft.data, 'zhangsan', 'zh-CN', 'submit')).to.have.property('valid', false);

    await c.wf.submitStartForm('leave', { data: { ...draft.data, endDate: '2026-12-07', reason: '办理证件' } }, 'zhangsan', 'zh-CN');
    expect((await c.wf.startForm('leave', 'zhangsan')).draft, 'submitted: the draft is gone').to.equal(null);
    expect(await failure(c.wf.deleteStartDraft('leave', 'zhangsan'))).to.include({ code: 'WF_ERR_DRAFT_NOT_FOUND' });
  });

  it('Given a task form draft, when saved and fetched, then it comes back to its owner only, within the node’s permissions', async () => {
    const c = ctx();
    const { task } = await leaveAtHeadApproval(c);
    await c.wf.saveTaskDraft(task.id, { comment: '先看看' }, 'lisi', 'zh-CN');
    expect((await c.wf.taskForm(task.id, 'lisi')).draft?.data).to.deep.equal({ comment: '先看看' });
    expect((await c.wf.taskForm(task.id, 'wangwu')).draft).to.equal(null);
    expect(issuesOf(await failure(c.wf.saveTaskDraft(task.id, { reason: '偷改' }, 'lisi', 'zh-CN')))).to.deep.equal([['/reason', '请假事由：本环节只读，不能修改']]);
    await c.wf.deleteTaskDraft(task.id, 'lisi');
    expect((await c.wf.taskForm(task.id, 'lisi')).draft).to.equal(null);
  });

  it('Given a dictionary, when an admin adds an item, then forms accept it at once; removing an item is refused', async () => {
    const c = ctx();
    await deployDemoForms(c.wf, 'leave-request');
    await c.wf.deploy(leaveBpmn(), 'analyst');
    const data = { ...validLeave, leaveType: 'study' };
    expect(issuesOf(await failure(c.wf.submitStartForm('leave', { data }, 'zhangsan', 'zh-CN')))).to.deep.equal([['/leaveType', '请假类型：不是可选的值']]);
    const dictionary = await c.wf.getDictionary('leave-types');
    await c.wf.putDictionary('leave-types', { name: dictionary.name, items: [...dictionary.items, { value: 'study', label: { 'zh-CN': '学习假', en: 'Study leave' } }] }, dictionary.rev, 'admin');
    expect((await c.wf.submitStartForm('leave', { data }, 'zhangsan', 'zh-CN')).variables.leaveType).to.equal('study');

    const current = await c.wf.getDictionary('leave-types');
    const removal = await failure(c.wf.putDictionary('leave-types', { name: current.name, items: current.items.slice(1) }, current.rev, 'admin'));
    expect(removal).to.include({ code: 'WF_ERR_VALIDATION', field: 'items' });
    expect(await failure(c.wf.putDictionary('leave-types', { name: current.name, items: current.items }, dictionary.rev, 'admin')), 'a stale revision').to.include({
      code: 'WF_ERR_CONCURRENT_MODIFICATION',
    });
  });
});

describeOnBothStores('forms: materials and files', (ctx) => {
  async function roadPass(c: TestContext) {
    await deployDemoForms(c.wf, 'road-pass-application');
    await c.wf.deploy(demoBpmn('road-pass'), 'analyst');
  }
  const upload = (c: TestContext, bytes: Buffer, name: string, actor: string, materialId?: string) =>
    c.wf.uploadFile({ name, bytes, ...(materialId && { target: { formKey: 'road-pass-application', field: 'materials', materialId } }) }, actor);

  it('Given uploads, when their bytes are not what a material accepts, then they are refused however they are named', async () => {
    const c = ctx();
    await roadPass(c);
    expect(await failure(upload(c, EXE, 'photo.jpg', 'zhangsan'))).to.deep.include({ code: 'WF_ERR_FILE_TYPE', status: 415 });
    expect(await failure(upload(c, PDF, 'id.png', 'zhangsan', 'id-card'))).to.deep.include({ code: 'WF_ERR_FILE_TYPE' });
    expect(await failure(upload(c, Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]), 'big.png', 'zhangsan', 'id-card'))).to.deep.include({ code: 'WF_ERR_FILE_TOO_LARGE', status: 413 });
    expect(await failure(upload(c, PNG, 'x.png', 'zhangsan', 'no-such-material'))).to.deep.include({ code: 'WF_ERR_VALIDATION' });
    const stored = await upload(c, PNG, '../../etc/身份证\u0000正面.png', 'zhangsan', 'id-card');
    expect(stored).to.include({ name: '身份证正面.png', contentType: 'image/png', size: PNG.length, owner: 'zhangsan', instanceId: null });
    expect(stored.sha256).to.match(/^[0-9a-f]{64}$/);
    expect(await count(c.db, 'wf_files')).to.equal(1);
  });

  it('Given an application, when a required material of the chosen class is missing, then it is named; complete, the files join the case and only its people can read them', async () => {
    const c = ctx();
    await roadPass(c);
    const front = await upload(c, JPEG, '身份证正面.jpg', 'zhangsan', 'id-card');
    const licence = await upload(c, PDF, '行驶证.pdf', 'zhangsan', 'vehicle-licence');
    const strangers = await upload(c, PNG, 'other.png', 'lisi', 'id-card');

    const missing = await failure(c.wf.submitStartForm('road-pass', { data: roadPassApplication({ idCard: [front.id], licence: [] }) }, 'zhangsan', 'zh-CN'));
    expect(issuesOf(missing)).to.deep.equal([['/materials/vehicle-licence', '申请材料机动车行驶证：请上传该材料']]);
    const enterprise = await failure(
      c.wf.submitStartForm('road-pass', { data: { ...roadPassApplication({ idCard: [front.id], licence: [licence.id] }), applicantType: 'enterprise' } }, 'zhangsan', 'zh-CN'),
    );
    expect(issuesOf(enterprise)).to.have.deep.members([
      ['/companyName', '单位名称：必填'],
      ['/creditCode', '统一社会信用代码：必填'],
      ['/contactName', '联系人：必填'],
      ['/materials/business-licence', '申请材料营业执照：请上传该材料'],
      ['/materials/business-licence', '申请材料营业执照：请确认寄送原件'],
      ['/materials/authorisation', '申请材料单位授权委托书：请确认寄送原件'],
    ]);
    const foreign = await failure(c.wf.submitStartForm('road-pass', { data: roadPassApplication({ idCard: [strangers.id], licence: [licence.id] }) }, 'zhangsan', 'zh-CN'));
    expect(issuesOf(foreign)).to.deep.equal([[`/materials/id-card/files/0`, `申请材料身份证正反面第 1 个文件：文件 ${strangers.id} 不存在`]]);
    expect(await count(c.db, 'wf_instances')).to.equal(0);

    const instance = await c.wf.submitStartForm('road-pass', { data: roadPassApplication({ idCard: [front.id], licence: [licence.id] }) }, 'zhangsan', 'zh-CN');
    expect((await c.store.getFile(front.id))!.instanceId).to.equal(instance.id);
    expect((await c.store.getFile(licence.id))!.instanceId).to.equal(instance.id);
    expect((await c.wf.readFile(front.id, 'zhangsan')).bytes.equals(JPEG)).to.equal(true);
    expect(await failure(c.wf.readFile(front.id, 'lisi'))).to.include({ code: 'WF_ERR_FILE_NOT_FOUND', status: 404 });
    const [review] = await c.activeTasks(instance.id);
    await c.wf.claim(review!.id, 'officer-wang', 'officer-wang');
    expect((await c.wf.readFile(licence.id, 'officer-wang')).record.name).to.equal('行驶证.pdf');
    // A file already bound to one case cannot be submitted with another.
    const reuse = await failure(c.wf.submitStartForm('road-pass', { data: roadPassApplication({ idCard: [front.id], licence: [licence.id] }) }, 'zhangsan', 'zh-CN'));
    expect(issuesOf(reuse).map(([pointer]) => pointer)).to.have.members(['/materials/id-card/files/0', '/materials/vehicle-licence/files/0']);
  });

  it('Given the clerk’s review, when the case needs correction, then the applicant fixes the materials at the correction task and the clerk reviews again', async () => {
    const c = ctx();
    await roadPass(c);
    const front = await upload(c, JPEG, 'front.jpg', 'zhangsan', 'id-card');
    const licence = await upload(c, PDF, 'licence.pdf', 'zhangsan', 'vehicle-licence');
    const instance = await c.wf.submitStartForm('road-pass', { data: roadPassApplication({ idCard: [front.id], licence: [licence.id] }) }, 'zhangsan', 'zh-CN');
    const [review] = await c.activeTasks(instance.id);
    const reviewView = await c.wf.taskForm(review!.id, 'officer-wang');
    expect(reviewView.form.access.reviewResult).to.equal('editable');
    expect(reviewView.form.access.materials).to.equal('readonly');
    await c.wf.submitTaskForm(review!.id, { reviewResult: 'correction', reviewComment: '身份证背面缺失' }, 'officer-wang', 'zh-CN');

    const [correction] = await c.activeTasks(instance.id);
    expect(correction).to.include({ activityId: 'correction', assignee: 'zhangsan' });
    const back = await upload(c, PNG, 'back.png', 'zhangsan', 'id-card');
    const materials = { 'id-card': { files: [front.id, back.id] }, 'vehicle-licence': { files: [licence.id] } };
    await c.wf.submitTaskForm(correction!.id, { materials }, 'zhangsan', 'zh-CN');
    expect((await c.store.getFile(back.id))!.instanceId).to.equal(instance.id);
    expect((await c.instance(instance.id)).variables.materials).to.deep.equal(materials);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['preReview']);
    expect((await c.wf.history(instance.id, page)).items.filter((h) => h.kind === 'task.complete').map((h) => h.activityId)).to.deep.equal(['preReview', 'correction']);
  });
});
