import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { compileService } from '../../definitions/catalog/compile.ts';
import { searchCode } from '../../definitions/catalog/search-codes.ts';
import { TABLE_NAMES, TABLES, type Catalog, type Column, type Row } from '../../definitions/catalog/tables.ts';
import { validateCatalog, type CatalogProblem } from '../../definitions/catalog/validate.ts';
import { shippedCatalog } from '../../engine/catalog-content.ts';
import { editCatalog, publishService, readCatalog, serviceStatuses } from '../../engine/core/usecases/catalog.ts';
import { hallDay, hallTime } from '../../connectors/queue-number/halls.ts';
import { connectorServer, eventually, type ConnectorServer } from '../support/connectors.ts';
import { count } from '../support/databases.ts';
import { deployDemoForms, demoBpmn, JPEG, PDF } from '../support/forms.ts';
import { describeOnBothStores, type TestContext } from '../support/harness.ts';
import { seedDemoOrg } from '../support/org.ts';
import { frontOf } from '../../engine/wiring.ts';
import { SYSTEM_ACTOR } from '../../engine/core/org/actor.ts';
import type { Permission } from '../../engine/core/permissions.ts';
import { formatMessage } from '../../engine/core/errors.ts';

const GOLDEN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/catalog');
const DAY = 86_400_000;

type Failure = { code: string; status: number; context: { problems: CatalogProblem[] } };
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e as Failure,
  );

async function shipped(): Promise<Catalog> {
  const { catalog, problems } = validateCatalog(await shippedCatalog());
  expect(problems.map((p) => p.message['zh-CN'])).to.deep.equal([]);
  return catalog;
}

const compiled = (catalog: Catalog, number: string) => {
  const result = compileService(catalog, number);
  if ('problems' in result) throw new Error(result.problems.map((p) => p.message['zh-CN']).join('\n'));
  return result.compiled;
};

/** The golden file, or (UPDATE_GOLDEN=1) write it: a change to the compiler's output is reviewed as a diff. */
function golden(name: string, actual: string): string {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, actual);
  return fs.readFileSync(file, 'utf8');
}

describe('catalog: the tables and the compiler', () => {
  it('Given the shipped rows, then they pass every rule and each service compiles to the same bytes every time', async () => {
    const catalog = await shipped();
    expect(catalog.services.map((s) => s.number)).to.include.members(['04009', '05010', '02017', '04002']);
    for (const service of catalog.services) expect(compiled(catalog, service.number)).to.deep.equal(compiled(structuredClone(catalog), service.number));
  });

  it('Given two services, then their compiled BPMN and forms equal the golden files', async () => {
    const catalog = await shipped();
    for (const number of ['04009', '02017']) {
      const out = compiled(catalog, number);
      expect(out.bpmn).to.equal(golden(`svc-${number}.bpmn`, out.bpmn));
      const forms = `${JSON.stringify(out.forms, null, 2)}\n`;
      expect(forms).to.equal(golden(`svc-${number}.forms.json`, forms));
    }
  });

  it('Given the road pass, then each node became what its row says: who acts, which form, its state, SMS and timeout', async () => {
    const out = compiled(await shipped(), '04009');
    const binding = (seq: number) => out.bindings.find((b) => b.seq === seq)!;
    expect(binding(1)).to.deep.include({ elements: ['n1_sms', 'n1'], assignees: 'post:clerk@traffic-window', state: { code: 'pending-review', name: '待初审' } });
    expect(binding(3)).to.deep.include({ assignees: '${applicant}', elements: ['n3_sms', 'n3', 'n3_timeout'] });
    expect(binding(5).operations.map((o) => o.category)).to.deep.equal(['system']);
    expect(out.bpmn).to.include(
      '<userTask id="n1" name="业务初审" wf:assignees="post:clerk@traffic-window" wf:assignMode="candidates" camunda:dueDate="P5D" camunda:formRef="svc-04009-review" wf:editable="failedChecks,reviewResult,reviewComment" wf:hidden="correctionFields,correctionItems" wf:state="待初审" />',
    );
    expect(out.bpmn).to.include('<boundaryEvent id="n3_timeout" name="7 日未处理" attachedToRef="n3"><timerEventDefinition><timeDuration>P7D</timeDuration></timerEventDefinition></boundaryEvent>');
    expect(out.bpmn, 'fee > 0 → payment').to.include('<conditionExpression xsi:type="tFormalExpression">${totalFee &gt; 0}</conditionExpression>');
    expect(out.bpmn, 'the tracking number, the result and the rating are asked for later').to.include('wf:hidden="originalsTrackingNo,processResult,processFailReason,rating,ratingComment"');
    const [apply, review] = out.forms;
    expect(apply!.schema.properties.totalFee['x-computed']).to.deep.equal({ fn: 'add', args: ['productionFee', 'courierFee'] });
    expect(apply!.schema.properties.materials['x-materials'].classes.enterprise.map((m: { id: string }) => m.id)).to.deep.equal(['id-card', 'vehicle-licence', 'business-licence', 'authorisation']);
    expect(review!.schema.properties.failedChecks.items.oneOf[0]).to.deep.equal({ const: 'c-id', title: '身份证正反面：身份证照片不清晰或已过期，请重新上传' });
  });

  const mistakes: Array<[string, (c: Row) => void, Partial<CatalogProblem>, string]> = [
    ['a class code outside 01–99', (c) => (c.classes[0].code = '100'), { table: 'classes', row: 1, column: 'code' }, '业务类 第 1 行（100）「业务类编号」：应为 01–99 的两位数字'],
    ['a repeated class name', (c) => (c.classes[1].name = c.classes[0].name), { table: 'classes', row: 2, column: 'name' }, '业务类 第 2 行（02）「业务类名称」：「户政业务」已被第 1 行使用'],
    ['a service of a class that does not exist', (c) => (c.services[0].class = '77'), { table: 'services', column: 'class' }, '「77」不在业务类中'],
    ['a fee with three decimals', (c) => (c.services[0].fee = '15.005'), { table: 'services', column: 'fee' }, '「办理资费（元）」：最多两位小数'],
    ['a switch that is neither yes nor no', (c) => (c.services[0].needsMaterials = '也许'), { table: 'services', column: 'needsMaterials' }, '「是否需要材料」：应为“是”或“否”'],
    [
      'a node leading to a node that does not exist',
      (c) => (c.nodes.find((n: Row) => n.service === '04009' && n.seq === 1).next = 42),
      { table: 'nodes', column: 'next' },
      '本业务没有启用的第 42 号节点',
    ],
    ['a rule on a node that is not a decision', (c) => (c.rules.find((r: Row) => r.service === '04009').node = 1), { table: 'rules', column: 'node' }, '第 1 号节点不是启用的判断节点'],
    [
      'a review check of a material the service lacks',
      (c) => (c.reviewChecks.find((r: Row) => r.service === '04009').ref = 'passport'),
      { table: 'reviewChecks', column: 'ref' },
      '本业务没有材料「passport」',
    ],
    [
      'a choice field without choices',
      (c) =>
        Object.assign(
          c.fields.find((f: Row) => f.service === '05010' && f.key === 'reason'),
          { choices: '' },
        ),
      { table: 'fields', column: 'choices' },
      '选择类控件需要可选值或字典',
    ],
    [
      'a field named as the compiler names its own',
      (c) => (c.fields.find((f: Row) => f.service === '05010' && f.key === 'reason').key = 'totalFee'),
      { table: 'fields', column: 'key' },
      '「totalFee」由系统生成，请换一个名称',
    ],
    ['an unknown column', (c) => (c.states[0].colour = 'red'), { table: 'states', row: 1, column: null }, '没有「colour」这一列'],
    [
      'a decision on a field the service lacks',
      (c) => (c.nodes.find((n: Row) => n.service === '04009' && n.seq === 2).decisionField = 'mood'),
      { table: 'nodes', column: 'decisionField' },
      '本业务没有属性「mood」',
    ],
    ['a system operation without its connector operation', (c) => (c.operations.find((o: Row) => o.code === 'create-payment').topic = ''), { table: 'operations', column: 'topic' }, '系统操作必填'],
    ['inputs that are not a JSON object', (c) => (c.operations.find((o: Row) => o.code === 'create-payment').inputs = '[1]'), { table: 'operations', column: 'inputs' }, '应为 JSON 对象'],
    [
      'a result naming what its case does not hold',
      (c) => (c.services.find((s: Row) => s.number === '01015').result = '共 {sameNameCount} 人，{mood}'),
      { table: 'services', column: 'result' },
      '本业务没有属性或操作输出「mood」',
    ],
  ];
  for (const [what, mutate, where, message] of mistakes) {
    it(`Given ${what}, then the problem names the table, row and column`, async () => {
      const raw = structuredClone(await shippedCatalog()) as Row;
      mutate(raw);
      const { problems } = validateCatalog(raw);
      expect(problems, JSON.stringify(problems.map((p) => p.message['zh-CN']))).to.have.length.greaterThan(0);
      const problem = problems.find((p) => p.message['zh-CN'].includes(message));
      expect(problem, `${message} in ${JSON.stringify(problems.map((p) => p.message['zh-CN']))}`).to.not.equal(undefined);
      expect(problem).to.deep.include(where);
      expect(problem!.message.en).to.match(where.row ? new RegExp(`row ${where.row}`) : /row \d+/);
    });
  }

  it('Given a node that sends an SMS in a service without a mobile field, then compiling names the node row and its column', async () => {
    const raw = structuredClone(await shippedCatalog()) as Row;
    raw.fields = raw.fields.filter((f: Row) => !(f.service === '04002' && f.key === 'mobile'));
    const { catalog } = validateCatalog(raw);
    const result = compileService(catalog, '04002');
    expect('problems' in result && result.problems.map((p) => [p.table, p.key, p.column])).to.deep.equal([
      ['nodes', '04002/3', 'sms'],
      ['nodes', '04002/90', 'sms'],
    ]);
  });

  it('Given decision rules of each operator, then each becomes its condition; `in` a list of alternatives', async () => {
    const raw = structuredClone(await shippedCatalog()) as Row;
    raw.rules.push({ service: '05010', code: 'many', node: 7, operator: 'in', value: 'courier,post', next: 8, order: 9 });
    raw.rules = raw.rules.filter((r: Row) => !(r.service === '05010' && r.code === 'by-courier'));
    const { catalog, problems } = validateCatalog(raw);
    expect(problems).to.deep.equal([]);
    expect(compiled(catalog, '05010').bpmn).to.include("${sendMethod == 'courier' || sendMethod == 'post'}");
  });

  it('Given any table, then its columns have titles of their own in both languages (a sheet is read by them)', () => {
    for (const name of TABLE_NAMES) {
      const columns = TABLES[name].columns as readonly Column[];
      for (const lang of ['zh-CN', 'en'] as const) expect(new Set(columns.map((c) => c.title[lang])).size, `${name} ${lang}`).to.equal(columns.length);
    }
  });

  it('Given a name, then its search code is the pinyin initials; a row without one gets it generated', async () => {
    expect(searchCode('出入境智能咨询')).to.equal('CRJZNZX');
    expect(searchCode('同名人数查询')).to.equal('TMRSCX');
    const catalog = await shipped();
    expect(catalog.classes.find((c) => c.code === '05')!.pinyin).to.equal('CRJYW');
  });
});

const upload = (c: TestContext, formKey: string, materialId: string, actor: string) =>
  c.wf.uploadFile({ name: `${materialId}.pdf`, bytes: PDF, target: { formKey, field: 'materials', materialId } }, actor);

async function publishShipped(c: TestContext): Promise<void> {
  await seedDemoOrg(c.org);
  await c.store.raiseIdentityLevel('citizen', 3, 'V-test', c.clock.now()); // every service open to the test citizen
  await deployDemoForms(c.wf);
  await editCatalog(c.wf.services, { put: await shippedCatalog() }, 'analyst');
  for (const s of await serviceStatuses(c.wf.services)) await publishService(c.wf.services, s.service, 'analyst');
}

const certificate = (letter: string) => ({
  office: 'xc-weidu-station',
  materials: { letter: { files: [letter] } },
  orgName: '许昌市建设投资有限公司',
  creditCode: '91411000MA44XY1234',
  applicantName: '王经理',
  mobile: '13812345678',
  subjectName: '刘洋',
  subjectIdNumber: '11010519491231002X',
  purpose: 'recruit',
  declaration: true,
});

/** A complete road-pass application of a private person whose licence original goes by courier and whose pass returns by EMS. */
async function roadPass(c: TestContext) {
  const idCard = await upload(c, 'svc-04009-apply', 'id-card', 'citizen');
  const licence = await upload(c, 'svc-04009-apply', 'vehicle-licence', 'citizen');
  return {
    office: 'traffic-window',
    materialClass: 'personal',
    materials: { 'id-card': { files: [idCard.id] }, 'vehicle-licence': { files: [licence.id], paper: true } },
    applicantName: '张三',
    idNumber: '11010519491231002X',
    mobile: '13812345679',
    plateColour: 'blue',
    plateNumber: '豫K·A8M21',
    vehicleType: 'small-car',
    roads: ['wenfeng-rd'],
    validity: { start: '2026-12-10', end: '2027-01-10' },
    purpose: '运送建筑材料进入市区',
    sendMethod: 'courier',
    returnMethod: 'ems',
    recipientName: '张三',
    recipientIdNumber: '11010519491231002X',
    recipientMobile: '13812345679',
    recipientAddress: '许昌市魏都区文峰路 1 号',
    recipientPostcode: '461000',
    declaration: true,
  };
}

describeOnBothStores('catalog: rows, publishing and the citizen lifecycle', (ctx) => {
  let server: ConnectorServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });
  const parcel = async (trackingNo: string) =>
    ((await server!.get(`/sim/courier/_waybills?trackingNo=${trackingNo}`)).json as { items: Array<{ trackingNo: string; order: { items: unknown[] } }> }).items.find(
      (w) => w.trackingNo === trackingNo,
    )?.order.items;
  const sms = async (phone: string) => ((await server!.get(`/sim/sms/_messages?phone=${phone}`)).json as { items: Array<{ text: string }> }).items.map((m) => m.text);

  it('Given an edit, then it is checked against the whole catalog, logged with who and when, and a cancelled class closes its services', async () => {
    const c = ctx();
    const first = await editCatalog(c.wf.services, { put: await shippedCatalog() }, 'analyst');
    expect(first.revision).to.equal(1);
    const bad = await failure(editCatalog(c.wf.services, { put: { classes: [{ code: '06', name: '交警业务' }] } }, 'analyst'));
    expect(bad).to.deep.include({ code: 'WF_ERR_CATALOG_INVALID', status: 422 });
    expect(bad!.context.problems.map((p) => p.message['zh-CN'])).to.deep.equal(['业务类 第 1 行（06）「业务类名称」：「交警业务」已被第 4 行使用']);
    expect((await readCatalog(c.wf.services)).revision, 'nothing written').to.equal(1);

    c.clock.advance(60_000);
    const cancel = await editCatalog(c.wf.services, { put: { classes: [{ code: '04', name: '交通警察业务', status: '0', logo: 'logo-traffic' }] } }, 'qianduo');
    const traffic = (await shipped()).services.filter((x) => x.class === '04').length;
    expect(cancel).to.deep.equal({ revision: 2, changed: 1 + traffic }); // the class and its services
    const { catalog } = await readCatalog(c.wf.services);
    expect(catalog.services.filter((s) => s.class === '04').map((s) => s.status)).to.deep.equal(Array(traffic).fill('0'));
    expect(catalog.services.find((s) => s.number === '05010')!.status).to.equal('1');
    const log = await c.store.listCatalogChanges({ table: 'classes', key: '04' }, { offset: 0, limit: 10 });
    expect(log.items.map((i) => [i.revision, i.action, i.by, i.at, i.data?.name])).to.deep.equal([
      [2, 'put', 'qianduo', c.clock.now(), '交通警察业务'],
      [1, 'put', 'analyst', c.clock.now() - 60_000, '交警业务'],
    ]);
    expect(await editCatalog(c.wf.services, { put: { classes: [catalog.classes.find((x) => x.code === '04')!] } }, 'qianduo'), 'the same rows again').to.deep.equal({ revision: 2, changed: 0 });
  });

  it('Given published rows, when published again unchanged, nothing is deployed; a changed field makes version 2 while a running case finishes on version 1', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    expect((await c.wf.getDefinition('svc-02017')).version).to.equal(1);
    expect(await publishService(c.wf.services, '02017', 'analyst')).to.deep.include({ definitionId: 'svc-02017:1', created: false });

    const letter = await upload(c, 'svc-02017-apply', 'letter', 'citizen');
    const running = await c.wf.submitStartForm('svc-02017', { data: certificate(letter.id) }, 'citizen', 'zh-CN');
    const raw = (await readCatalog(c.wf.services)).catalog;
    const field = raw.fields.find((f) => f.service === '02017' && f.key === 'orgName')!;
    await editCatalog(c.wf.services, { put: { fields: [{ ...field, label: '申请单位名称' }] } }, 'analyst');
    const second = await publishService(c.wf.services, '02017', 'analyst');
    expect(second).to.deep.include({ definitionId: 'svc-02017:2', created: true });
    expect(second.forms.filter((f) => f.created).map((f) => [f.key, f.version])).to.deep.equal([
      ['svc-02017-apply', 2],
      ['svc-02017-review', 2],
    ]);
    expect((await c.wf.getInstance(running.id)).definitionId, 'the running case stays on its version').to.equal('svc-02017:1');
  });

  it('Given a version deployed by hand, then the catalog says the flow no longer follows the rows, and publishing needs a confirmation to replace it', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const xml = (await c.wf.getDefinition('svc-04002')).xml.replace('name="审核线索"', 'name="审核线索（手工修改）"');
    await c.wf.deploy(xml, 'analyst');
    expect((await serviceStatuses(c.wf.services)).find((s) => s.service === '04002')!.handEditedVersion).to.equal(2);
    expect(await failure(publishService(c.wf.services, '04002', 'analyst'))).to.deep.include({ code: 'WF_ERR_CATALOG_HAND_EDITED', status: 409 });
    expect(await publishService(c.wf.services, '04002', 'analyst', { replaceHandEdited: true })).to.deep.include({ definitionId: 'svc-04002:3', created: true });
    expect((await serviceStatuses(c.wf.services)).find((s) => s.service === '04002')!.handEditedVersion).to.equal(null);
  });

  it('Given a certificate with fee 0, when the clerk passes it, then payment is skipped and the case runs to 已办结 with an SMS at each configured node', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const letter = await upload(c, 'svc-02017-apply', 'letter', 'citizen');
    const instance = await c.wf.submitStartForm('svc-02017', { data: certificate(letter.id) }, 'citizen', 'zh-CN');
    expect(instance.variables).to.include({ productionFee: 0, totalFee: 0 });
    await c.work();
    const [review] = await c.activeTasks(instance.id);
    expect(review).to.deep.include({ activityId: 'n1', assignee: null });
    await c.wf.claim(review!.id, 'zhoubo', 'zhoubo');
    await c.wf.submitTaskForm(review!.id, { reviewResult: 'pass', reviewComment: '材料齐全' }, 'zhoubo', 'zh-CN');
    await c.work();
    expect(await c.waitingIn(instance.id), 'no payment: straight to processing').to.deep.equal(['n10']);
    for (const activity of ['n10', 'n11']) {
      await c.complete(instance.id, activity, {}, 'zhoubo');
      await c.work(); // the node's SMS goes first
    }
    await c.complete(instance.id, 'n13', {}, 'citizen');
    await c.work();
    const [rate] = await c.activeTasks(instance.id);
    await c.wf.submitTaskForm(rate!.id, { rating: '5', ratingComment: '很方便' }, 'citizen', 'zh-CN');
    await c.work();
    expect(await c.instance(instance.id)).to.deep.include({ state: 'completed', stateName: '已办结' });
    const texts = await eventually('the SMS to arrive', async () => {
      const all = await sms('13812345678');
      return all.length >= 3 && all;
    });
    expect(texts).to.have.members([
      '王经理，你申请的无违法证明业务，申请已提交，我们将尽快审核，【许昌市公安局】',
      '王经理，你申请的无违法证明业务，证件已制作完成，请注意查收，【许昌市公安局】',
      '王经理，你申请的无违法证明业务，业务已办结，感谢您的评价，【许昌市公安局】',
    ]);
  });

  it('Given a road-pass application sent back for correction, when seven days pass without a resubmission, then the case closes and the citizen is told', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const data = await roadPass(c);
    const instance = await c.wf.submitStartForm('svc-04009', { data }, 'citizen', 'zh-CN');
    expect(instance.variables, 'fees from configuration: production fee + EMS').to.include({ productionFee: 15, courierFee: 22, totalFee: 37 });
    expect(instance.variables.originalsAddress, 'where the originals go: the office chosen').to.equal('许昌市公安局交警支队车管所服务窗口，许昌市魏都区劳动路 18 号，电话 0374-2345678');
    expect(instance.stateName, 'the state of the node the case is at').to.equal('待初审');
    await c.work();
    const [review] = await c.activeTasks(instance.id);
    const incomplete = await failure(c.wf.submitTaskForm(review!.id, { reviewResult: 'correction' }, 'zhoubo', 'zh-CN'));
    expect(incomplete, 'a correction names what failed').to.deep.include({ code: 'WF_ERR_FORM_DATA_INVALID' });
    await c.wf.submitTaskForm(review!.id, { reviewResult: 'correction', failedChecks: ['c-id'], reviewComment: '身份证背面不清晰' }, 'zhoubo', 'zh-CN');
    await c.work();
    expect(await c.waitingIn(instance.id)).to.deep.equal(['n3', 'n3_timeout']);
    expect((await c.instance(instance.id)).variables, 'the correction request').to.deep.include({
      correctionFields: ['materials/id-card'],
      correctionItems: ['身份证正反面：身份证照片不清晰或已过期，请重新上传'],
    });
    const [correction] = await c.activeTasks(instance.id);
    const view = await c.wf.taskForm(correction!.id, 'citizen');
    expect(view.form.access, 'only what failed is editable').to.deep.include({ materials: 'editable', plateNumber: 'readonly', purpose: 'readonly' });
    expect(view.form.schema.properties.materials['x-editable-keys'], 'of the materials, only the one that failed').to.deep.equal(['id-card']);
    const changed = await failure(c.wf.submitTaskForm(correction!.id, { plateNumber: '豫K·B1234' }, 'citizen', 'zh-CN'));
    expect(changed).to.deep.include({ code: 'WF_ERR_FORM_DATA_INVALID' });
    const other = await upload(c, 'svc-04009-apply', 'vehicle-licence', 'citizen');
    const otherMaterial = await failure(c.wf.submitTaskForm(correction!.id, { materials: { ...data.materials, 'vehicle-licence': { files: [other.id], paper: true } } }, 'citizen', 'zh-CN'));
    expect((otherMaterial as unknown as { context: { issues: Array<{ pointer: string; message: string }> } }).context.issues.map((i) => [i.pointer, i.message])).to.deep.equal([
      ['/materials/vehicle-licence', '申请材料机动车行驶证：本环节只读，不能修改'],
    ]);
    expect((await c.activeTasks(instance.id))[0]).to.deep.include({ assignee: 'citizen', name: '补正材料', stateName: '待补正' });
    expect((await c.instance(instance.id)).stateName).to.equal('待补正');
    expect((await c.store.listInstances({ stateName: '待补正' }, { offset: 0, limit: 10 })).items.map((i) => i.id)).to.deep.equal([instance.id]);
    await c.advance(7 * DAY + 1000);
    await c.work();
    expect(await c.instance(instance.id)).to.deep.include({ state: 'completed', stateName: '已关闭' });
    const history = (await c.wf.history(instance.id, { offset: 0, limit: 200 })).items;
    expect(history.filter((h) => h.kind === 'activity.end').map((h) => h.activityId)).to.include('n91');
    const texts = await eventually('the closing SMS', async () => {
      const all = await sms('13812345679');
      return all.some((t) => t.includes('自动关闭')) && all;
    });
    const notices = await c.store.listNotices('citizen', {}, { offset: 0, limit: 20 });
    expect(notices.items.map((n) => [n.kind, n.title]).reverse(), 'an in-site notice at every change of state').to.deep.equal([
      ['state', '禁行道路通行证核发：待初审'],
      ['state', '禁行道路通行证核发：待补正'],
      ['state', '禁行道路通行证核发：已关闭'], // while its SMS goes out
      ['result', '办结：禁行道路通行证核发（已关闭）'],
    ]);
    expect(texts).to.include('张三，你申请的禁行道路通行证核发业务，申请逾期未补正，已自动关闭，【许昌市公安局】');
    expect(await count(c.db, 'wf_tasks', "instance_id = $1 AND state = 'active'", [instance.id])).to.equal(0);
  });

  it('Given a correction of one material, when the citizen replaces just that one, then the clerk reviews the application again', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const data = await roadPass(c);
    const instance = await c.wf.submitStartForm('svc-04009', { data }, 'citizen', 'zh-CN');
    await c.work();
    const [review] = await c.activeTasks(instance.id);
    await c.wf.submitTaskForm(review!.id, { reviewResult: 'correction', failedChecks: ['c-id'] }, 'zhoubo', 'zh-CN');
    await c.work();
    const [correction] = await c.activeTasks(instance.id);
    const newer = await upload(c, 'svc-04009-apply', 'id-card', 'citizen');
    await c.wf.submitTaskForm(correction!.id, { materials: { ...data.materials, 'id-card': { files: [newer.id] } } }, 'citizen', 'zh-CN');
    await c.work();
    expect(await c.waitingIn(instance.id), 'back to review').to.deep.equal(['n1']);
    expect((await c.instance(instance.id)).variables.materials).to.deep.equal({ ...data.materials, 'id-card': { files: [newer.id] } });
  });

  it('Given a road pass with fees, when a payment fails, then the citizen pays again; paid, the originals go by courier, the clerk confirms them and the case runs to its rating', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const instance = await c.wf.submitStartForm('svc-04009', { data: await roadPass(c) }, 'citizen', 'zh-CN');
    await c.work();
    const [review] = await c.activeTasks(instance.id);
    await c.wf.submitTaskForm(review!.id, { reviewResult: 'pass' }, 'zhoubo', 'zh-CN');
    await c.work();
    expect(await c.waitingIn(instance.id)).to.deep.equal(['n5_wait']);
    const first = (await c.instance(instance.id)).variables as { orderNo: string };
    expect(((await server.get('/sim/payment/_orders')).json as { items: Array<{ orderNo: string; amountFen: number }> }).items.find((o) => o.orderNo === first.orderNo)).to.include({
      amountFen: 3700,
    });
    await server.post('/sim/payment/_fail', { orderNo: first.orderNo, reason: 'INSUFFICIENT_FUNDS' });
    await eventually('the failure to reach the case', async () => (await c.waitingIn(instance.id)).includes('n12'));
    expect((await c.instance(instance.id)).stateName).to.equal('待缴费');
    await c.complete(instance.id, 'n12', {}, 'citizen'); // 重新缴费
    await c.work();
    const second = (await c.instance(instance.id)).variables as { orderNo: string };
    expect(second.orderNo, 'a new order').to.not.equal(first.orderNo);
    await server.post(`/sim/payment/pay/${second.orderNo}`, '', { 'content-type': 'application/x-www-form-urlencoded' });
    await eventually('the payment to reach the case', async () => (await c.waitingIn(instance.id)).includes('n8'));
    expect(await c.instance(instance.id)).to.deep.include({ stateName: '待寄送原件' });

    const [send] = await c.activeTasks(instance.id);
    const readonly = await failure(c.wf.submitTaskForm(send!.id, { originalsTrackingNo: 'EMS1234567890', purpose: '改一下' }, 'citizen', 'zh-CN'));
    expect(readonly, 'sending originals changes only the tracking number').to.not.equal(null);
    await c.wf.submitTaskForm(send!.id, { originalsTrackingNo: 'EMS1234567890' }, 'citizen', 'zh-CN');
    await c.work();
    await c.complete(instance.id, 'n9', {}, 'zhoubo'); // 确认收到原件
    await c.work();
    expect(await sms('13812345679')).to.include('张三，你申请的禁行道路通行证核发业务，快递的材料，已经收到，【许昌市公安局】');
    const [processing] = await c.activeTasks(instance.id);
    const unsaid = await failure(c.wf.submitTaskForm(processing!.id, {}, 'zhoubo', 'zh-CN'));
    expect(unsaid, 'the clerk says how it went').to.deep.include({ code: 'WF_ERR_FORM_DATA_INVALID' });
    await c.wf.submitTaskForm(processing!.id, { processResult: 'success' }, 'zhoubo', 'zh-CN');
    await c.work();
    await c.complete(instance.id, 'n11', {}, 'zhoubo');
    await c.work();
    expect(await c.waitingIn(instance.id), 'the sixth SMS to one phone within a minute waits for the next minute').to.deep.equal(['n16_sms']);
    await c.advance(60_000);
    expect(await c.waitingIn(instance.id), 'the pass went by EMS').to.deep.equal(['n13']);
    const posted = (await c.instance(instance.id)).variables.trackingNo as string;
    expect(posted).to.match(/^[A-Za-z0-9]{8,30}$/);
    expect(await sms('13812345679')).to.include(`张三，你申请的禁行道路通行证核发业务，证件已通过邮政速递寄出，运单号 ${posted}，【许昌市公安局】`);
    expect(await parcel(posted), 'the parcel holds what the service returns on success').to.deep.equal([{ name: '单位授权委托书原件' }, { name: '禁行道路通行证' }]);
    expect((await c.store.listDocuments('citizen')).map((d) => [d.kind, d.data['号牌号码']])).to.deep.equal([['road-pass', '豫K·A8M21']]);
    await c.complete(instance.id, 'n13', {}, 'citizen');
    await c.work();
    const [rate] = await c.activeTasks(instance.id);
    await c.wf.submitTaskForm(rate!.id, { rating: '4', ratingComment: '快递很快' }, 'citizen', 'zh-CN');
    await c.work();
    expect(await c.instance(instance.id)).to.deep.include({ state: 'completed', stateName: '已办结' });
    expect((await c.instance(instance.id)).variables).to.include({ paymentStatus: 'paid', originalsTrackingNo: 'EMS1234567890', rating: '4' });
  });

  it('Given a road pass the office cannot issue, then the clerk says why, the originals alone go back by the courier the citizen chose, and the case ends as 办理失败', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const instance = await c.wf.submitStartForm('svc-04009', { data: { ...(await roadPass(c)), sendMethod: 'in-person' } }, 'citizen', 'zh-CN');
    await c.work();
    const [review] = await c.activeTasks(instance.id);
    await c.wf.submitTaskForm(review!.id, { reviewResult: 'pass' }, 'zhoubo', 'zh-CN');
    await c.work();
    const { orderNo } = (await c.instance(instance.id)).variables as { orderNo: string };
    await server.post(`/sim/payment/pay/${orderNo}`, '', { 'content-type': 'application/x-www-form-urlencoded' });
    await eventually('the payment to reach the case', async () => (await c.waitingIn(instance.id)).includes('n9'));
    await c.complete(instance.id, 'n9', {}, 'zhoubo'); // 确认收到原件
    await c.work();
    const [processing] = await c.activeTasks(instance.id);
    const view = await c.wf.taskForm(processing!.id, 'zhoubo');
    expect(view.form.access, 'the clerk writes the result, nothing else').to.deep.include({ processResult: 'editable', processFailReason: 'editable', plateNumber: 'readonly' });
    const why = await failure(c.wf.submitTaskForm(processing!.id, { processResult: 'failure' }, 'zhoubo', 'zh-CN'));
    expect(why, 'a failure says why').to.deep.include({ code: 'WF_ERR_FORM_DATA_INVALID' });
    expect((why as unknown as { context: { issues: Array<{ message: string }> } }).context.issues.map((i) => i.message)).to.deep.equal(['未能办理的原因：必填']);
    await c.wf.submitTaskForm(processing!.id, { processResult: 'failure', processFailReason: '该车辆有未处理的交通违法记录' }, 'zhoubo', 'zh-CN');
    await c.work();
    await c.advance(60_000); // the SMS rate limit of one phone
    await c.work();
    expect(await c.instance(instance.id)).to.deep.include({ state: 'completed', stateName: '办理失败' });
    const { trackingNo } = (await c.instance(instance.id)).variables as { trackingNo: string };
    expect(await parcel(trackingNo), 'only the originals come back').to.deep.equal([{ name: '单位授权委托书原件' }]);
    const texts = await sms('13812345679');
    expect(texts).to.include(`张三，你申请的禁行道路通行证核发业务，原件已通过邮政速递退回，运单号 ${trackingNo}，【许昌市公安局】`);
    expect(texts).to.include('张三，你申请的禁行道路通行证核发业务，业务未能办理，原因：该车辆有未处理的交通违法记录，【许昌市公安局】');
    expect(await c.store.listDocuments('citizen'), 'no pass').to.deep.equal([]);
  });

  it('Given a repeat endorsement past review, then the approval chain goes 科员 → 科长 → 分管领导; a 科长 who does not approve ends it as 不予批准', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const apply = async () => {
      const photo = await upload(c, 'svc-05012-apply', 'photo', 'citizen');
      const permit = await upload(c, 'svc-05012-apply', 'permit', 'citizen');
      const data = {
        materials: { photo: { files: [photo.id] }, permit: { files: [permit.id] } },
        applicantName: '李梅',
        idNumber: '11010519491231002X',
        mobile: '13812345670',
        permitNumber: 'C12345678',
        destination: 'HK',
        endorsement: 'tourist-1',
        declaration: true,
      };
      const instance = await c.wf.submitStartForm('svc-05012', { data }, 'citizen', 'zh-CN');
      await c.work();
      const [review] = await c.activeTasks(instance.id);
      await c.wf.submitTaskForm(review!.id, { reviewResult: 'pass' }, 'zhoubo', 'zh-CN');
      await c.work();
      return instance;
    };
    const approve = async (id: string, result: 'approve' | 'reject') => {
      const [task] = await c.activeTasks(id);
      const who = task!.candidateUsers[0]!;
      await c.wf.submitTaskForm(task!.id, { approvalResult: result, approvalComment: result === 'approve' ? '同意' : '材料存疑' }, who, 'zh-CN');
      await c.work();
      return { name: task!.name, who };
    };
    const refused = await apply();
    expect((await c.instance(refused.id)).stateName).to.equal('待审批');
    expect(await approve(refused.id, 'approve')).to.deep.equal({ name: '签注审批（科员）', who: 'zhoubo' });
    expect(await approve(refused.id, 'reject')).to.deep.equal({ name: '签注审批（科长）', who: 'zhengshi' });
    expect(await c.instance(refused.id)).to.deep.include({ state: 'completed', stateName: '不予受理' });

    const approved = await apply();
    for (const who of ['zhoubo', 'zhengshi', 'wangwu']) expect((await approve(approved.id, 'approve')).who).to.equal(who);
    expect(await c.waitingIn(approved.id), 'approved by all three: the fee').to.deep.equal(['n6_wait']);
    expect((await c.instance(approved.id)).variables).to.include({ totalFee: 15 });
  });

  it('Given a hotel stay without an ID card, when the clerk verifies the applicant, then a verification code goes by SMS', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const data = {
      office: 'xc-weidu-station',
      applicantName: '赵强',
      idNumber: '11010519491231002X',
      mobile: '13812345671',
      hotelName: '许昌宾馆',
      checkInDate: '2026-12-08',
      reason: 'forgot',
      declaration: true,
    };
    const instance = await c.wf.submitStartForm('svc-02018', { data }, 'citizen', 'zh-CN');
    await c.work();
    const [review] = await c.activeTasks(instance.id);
    await c.wf.submitTaskForm(review!.id, { reviewResult: 'pass' }, 'zhoubo', 'zh-CN');
    await c.work();
    expect(await c.instance(instance.id)).to.deep.include({ state: 'completed', stateName: '已办结' });
    const [code] = await eventually('the code', async () => (await sms('13812345671')).length > 0 && (await sms('13812345671')));
    expect(code).to.match(/验证码.*\d{6}/);
  });

  it('Given hall queue bookings, then a number of the slot is drawn and sent by SMS, reminded the day before, and the window calling it opens the acceptance; a second number that day is refused, a booking can be cancelled and lapses after its slot', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const date = hallDay(c.clock.now(), 2);
    const book = (name: string, idNumber: string, mobile: string) =>
      c.wf.submitStartForm('svc-01020', { data: { applicantName: name, idNumber, mobile, matter: '身份证办理', appointmentDate: date, slot: '10:00-11:00', declaration: true } }, 'citizen', 'zh-CN');
    const texts = (phone: string, count: number) => eventually(`${count} SMS to ${phone}`, async () => (await sms(phone)).length >= count && (await sms(phone)));

    const first = await book('王芳', '11010519491231002X', '13812345672');
    await c.work();
    expect(await c.instance(first.id)).to.deep.include({ state: 'running', stateName: '已取号' });
    expect((await c.instance(first.id)).variables).to.include({ queueNumber: 'B001', queueDate: date, queueSlot: '10:00-11:00', queueReferenceTime: '10:00' });
    expect((await c.instance(first.id)).result, 'the number, told on the case').to.match(new RegExp(`^排队号 B001：${date} 10:00-11:00，许昌市公安局行政服务大厅（.+），请按时到场$`));
    expect(await c.waitingIn(first.id), 'the citizen may cancel while the number waits for its call, its lapse or its reminder').to.deep.equal([
      'n3',
      'n3_called',
      'n3_lapsed',
      'n3_no-show',
      'n3_remind',
    ]);
    expect((await texts('13812345672', 1))[0]).to.match(new RegExp(`^王芳，你申请的行政大厅排号业务，您已取得许昌市公安局行政服务大厅 ${date} 的 B001 号，参考办理时间 10:00`));

    const again = await book('王芳', '11010519491231002X', '13812345673');
    await c.work();
    expect(await c.instance(again.id), 'one active number per ID number per hall per day').to.deep.include({
      state: 'completed',
      stateName: '取号失败',
      result: '未能取号：您当天在该大厅已有有效预约号，每人每天每个大厅限约一个',
    });
    expect((await texts('13812345673', 1))[0]).to.contain('取号未成功：您当天在该大厅已有有效预约号');

    const cancelled = await book('李雷', '110105194912310046', '13812345674');
    await c.work();
    const lapsing = await book('韩梅', '110105194912310054', '13812345675');
    await c.work();
    const [waiting] = await c.activeTasks(cancelled.id);
    expect(waiting).to.deep.include({ assignee: 'citizen', name: '查看或取消排号' });
    await c.wf.submitTaskForm(waiting!.id, { cancelReason: '临时有事' }, 'citizen', 'zh-CN');
    await c.work();
    expect(await c.instance(cancelled.id)).to.deep.include({ state: 'completed', stateName: '已取消' });
    expect((await c.instance(cancelled.id)).variables).to.include({ queueStatus: 'cancelled', cancelReason: '临时有事' });
    expect((await c.instance(cancelled.id)).result, 'a cancelled number is no longer told').to.equal(null);
    expect((await texts('13812345674', 2)).join('\n')).to.contain(`您已取消 ${date} 的 B002 号`);

    await c.advance(hallTime(hallDay(c.clock.now(), 1), '18:00') - c.clock.now() + 1000);
    await c.work();
    expect((await texts('13812345672', 2)).join('\n'), 'the day before, at the hall’s hour').to.contain(`提醒：您预约了许昌市公安局行政服务大厅 ${date} 10:00-11:00 的 B001 号`);
    expect(await c.waitingIn(first.id), 'a reminder leaves the number waiting').to.include('n3');

    await server.post('/sim/queue/_call', { ticketId: (await c.instance(first.id)).variables.queueTicketId, window: 3 });
    await eventually('the call', async () => (await c.waitingIn(first.id)).includes('n4'));
    expect(await c.instance(first.id)).to.deep.include({ stateName: '窗口办理中' });
    expect((await c.instance(first.id)).variables).to.include({ queueStatus: 'called', queueWindow: 3 });
    const [accept] = await c.activeTasks(first.id);
    await c.wf.submitTaskForm(accept!.id, {}, 'zhoubo', 'zh-CN');
    await c.work();
    expect(await c.instance(first.id)).to.deep.include({ state: 'completed', stateName: '已办结' });

    await c.advance(hallTime(date, '11:30') - c.clock.now() + 1000);
    await c.work();
    expect(await c.instance(lapsing.id), 'nobody called it by half an hour after its slot').to.deep.include({ state: 'completed', stateName: '已过号' });
    expect((await texts('13812345675', 2)).join('\n')).to.contain(`您 ${date} 10:00-11:00 的 B003 号未到场，已作废`);
  });

  const pay = async (c: TestContext, id: string) => {
    const { orderNo } = (await c.instance(id)).variables as { orderNo: string };
    await server!.post(`/sim/payment/pay/${orderNo}`, '', { 'content-type': 'application/x-www-form-urlencoded' });
    await eventually('the payment to reach the case and its SMS to go', async () => {
      await c.work();
      return (await c.instance(id)).state === 'completed';
    });
  };

  it('Given traffic violations, then the tiers are decision rules: under 3 points pay at once, 3 needs a bound licence, 12 and non-local plates are refused; the threshold is configurable', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const handle = async (plateNumber: string, licenceBound = false) => {
      const instance = await c.wf.submitStartForm('svc-04001', { data: { applicantName: '孙明', mobile: '13812345673', plateNumber, licenceBound, declaration: true } }, 'citizen', 'zh-CN');
      await c.work();
      return c.instance(instance.id);
    };
    const onePoint = await handle('豫K·E1357');
    expect(onePoint).to.deep.include({ stateName: '待缴费' });
    expect(onePoint.variables).to.include({ violationPoints: 1, fineAmount: 200 });
    await pay(c, onePoint.id);
    expect(await c.instance(onePoint.id)).to.deep.include({ stateName: '已办结' });
    expect(await handle('豫K·B1234'), 'exactly 3 points, no licence').to.deep.include({ state: 'completed', stateName: '不予受理' });
    expect(await handle('豫K·B1234', true), 'exactly 3 points, licence bound').to.deep.include({ stateName: '待缴费' });
    expect(await handle('豫K·C5678', true), '12 points').to.deep.include({ state: 'completed', stateName: '不予受理' });
    expect(await handle('豫A·12345', true), 'not a local plate').to.deep.include({ state: 'completed', stateName: '不予受理' });
    expect(await handle('豫K·A0009'), 'nothing to pay').to.deep.include({ state: 'completed', stateName: '已查询' });

    const rule = (await readCatalog(c.wf.services)).catalog.rules.find((r) => r.service === '04001' && r.code === 'needs-licence')!;
    await editCatalog(c.wf.services, { put: { rules: [{ ...rule, value: '4' }] } }, 'analyst');
    await publishService(c.wf.services, '04001', 'analyst');
    expect(await handle('豫K·B1234'), 'the threshold raised to 4: 3 points pay at once').to.deep.include({ stateName: '待缴费' });
  });

  it('Given the query-only services, then each asks its business system and the case holds the answer, with no clerk step', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const results: string[] = [];
    const ask = async (processKey: string, data: Record<string, unknown>) => {
      const instance = await c.wf.submitStartForm(processKey, { data: { ...data, declaration: true } }, 'citizen', 'zh-CN');
      expect(instance.result, 'not known before the answer').to.equal(null);
      await c.work();
      const done = await c.instance(instance.id);
      expect(done, processKey).to.deep.include({ state: 'completed', stateName: '已查询' });
      results.push(done.result!);
      return done.variables;
    };
    const { sameNameCount } = await ask('svc-01015', { queryName: '张伟' });
    expect(sameNameCount).to.be.a('number').within(1, 500);
    const { progress } = await ask('svc-01016', { acceptanceNo: '411002202612' });
    expect(progress).to.be.a('string');
    const exitEntry = await ask('svc-05014', { serialNo: 'E41100012345' });
    const traffic = await ask('svc-04006', { road: '文峰路' });
    expect(traffic).to.include({ trafficRoad: '文峰路' }).and.have.property('trafficLevel');
    // What the applicant is told: the service's result, filled from the case.
    expect(results).to.deep.equal([
      `全市与“张伟”同名的户籍人口共 ${String(sameNameCount)} 人。`,
      `受理编号 411002202612 的身份证办理进度：${String(progress)}`,
      `流水号 E41100012345 的办证进度：${String(exitEntry.progress)}`,
      `文峰路：${String(traffic.trafficLevel)}（实时）`,
    ]);
  });

  it('Given fees looked up from a business system, then the citizen pays what it says (confirming first for exit-entry), and the fee type stays with the case', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const person = { applicantName: '周杰', idNumber: '11010519491231002X', mobile: '13812345674', declaration: true };
    const vehicle = await c.wf.submitStartForm('svc-03007', { data: person }, 'citizen', 'zh-CN');
    await c.work();
    expect((await c.instance(vehicle.id)).variables).to.include({ feeAmount: 115, feeType: 'plate,licence' });
    await pay(c, vehicle.id);
    expect((await c.instance(vehicle.id)).stateName).to.equal('已办结');

    const exit = await c.wf.submitStartForm('svc-05013', { data: { ...person, documentType: 'passport' } }, 'citizen', 'zh-CN');
    await c.work();
    expect(await c.instance(exit.id)).to.deep.include({ stateName: '待确认' });
    expect((await c.instance(exit.id)).variables).to.include({ feeAmount: 120, feeType: 'passport' });
    await c.complete(exit.id, 'n2', {}, 'citizen');
    await c.work();
    await pay(c, exit.id);
    const byType = await c.store.listInstances({ processKey: 'svc-03007', stateName: '已办结' }, { offset: 0, limit: 10 });
    expect(
      byType.items.map((i) => i.variables.feeType),
      'reconciliation by fee type reads the cases',
    ).to.deep.equal(['plate,licence']);
  });

  it('Given a question to the Q&A service, then the knowledge base answers it; one it cannot answer becomes an officer’s task whose reply reaches the citizen', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const ask = (question: string) => c.wf.submitStartForm('svc-05011', { data: { applicantName: '陈女士', mobile: '13812345675', question, declaration: true } }, 'citizen', 'zh-CN');
    const known = await ask('我的护照下个月过期，需要怎么换发？');
    await c.work();
    expect(await c.instance(known.id)).to.deep.include({ state: 'completed', stateName: '已答复' });
    expect((await c.instance(known.id)).variables).to.include({ kbMatched: true, kbQuestion: '护照过期或即将过期怎么换发？' });

    const unknown = await ask('外国人来许昌工作需要办理什么手续？');
    await c.work();
    expect(await c.instance(unknown.id)).to.deep.include({ stateName: '待答复' });
    const [task] = await c.activeTasks(unknown.id);
    expect(task).to.deep.include({ name: '人工答复', candidateUsers: ['zhoubo'] });
    await c.wf.submitTaskForm(task!.id, { reply: '请携带护照和工作许可到出入境管理支队办理居留许可。' }, 'zhoubo', 'zh-CN');
    await c.work();
    expect(await c.instance(unknown.id)).to.deep.include({ state: 'completed', stateName: '已答复' });
    expect(await eventually('the reply by SMS', async () => (await sms('13812345675')).length > 0 && (await sms('13812345675')))).to.deep.equal([
      '陈女士，你申请的出入境智能咨询业务，您的咨询已由民警答复：请携带护照和工作许可到出入境管理支队办理居留许可，【许昌市公安局】',
    ]);
  });

  it('Given an e-driving licence application, when the licence system knows the driver, then an e-licence is issued to them; its QR code verifies as valid, then as revoked, and a forged code verifies nothing', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const apply = (idNumber: string) => c.wf.submitStartForm('svc-04004', { data: { applicantName: '刘洋', idNumber, mobile: '13812345676', declaration: true } }, 'citizen', 'zh-CN');
    const unknown = await apply('411002199001011010'); // the simulated licence system knows no ID ending in 0
    await c.work();
    expect(await c.instance(unknown.id)).to.deep.include({ state: 'completed', stateName: '不予受理' });

    const known = await apply('11010519491231002X');
    await c.work();
    expect(await c.instance(known.id)).to.deep.include({ state: 'completed', stateName: '已发证' });
    const api = frontOf(c.wf).api.documents;
    const citizen = { ...SYSTEM_ACTOR, id: 'citizen', permissions: new Set<Permission>() };
    const [licence] = await api.mine(citizen);
    expect(licence).to.deep.include({ kind: 'e-driving-licence', title: '电子驾驶证', holderName: '刘洋', status: 'valid', instanceId: known.id });
    expect(licence!.data).to.have.keys('证号', '准驾车型');
    expect(await api.verify(licence!.code)).to.deep.include({ status: 'valid', holderName: '刘*', title: '电子驾驶证' });
    expect(await api.mine({ ...citizen, id: 'someone-else' })).to.deep.equal([]);
    const forged = `${licence!.id}.${'A'.repeat(22)}`;
    expect(
      await api.verify(forged).then(
        () => null,
        (e: { code: string }) => e.code,
      ),
    ).to.equal('WF_ERR_DOCUMENT_NOT_FOUND');
    await api.revoke({ ...SYSTEM_ACTOR, id: 'admin' }, licence!.id);
    expect((await api.verify(licence!.code)).status).to.equal('revoked');
    expect(await eventually('the SMS', async () => (await sms('13812345676')).length > 1 && (await sms('13812345676')))).to.have.members([
      '刘洋，你申请的电子驾驶证业务，未查到相关信息，请核对后重新申请或到窗口办理，【许昌市公安局】',
      '刘洋，你申请的电子驾驶证业务，电子证照已签发，请在“我的证照”中查看，【许昌市公安局】',
    ]);
  });

  it('Given car moving, then the registered owner is found in the vehicle system and told by SMS, the applicant confirmed, with no clerk step', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const instance = await c.wf.submitStartForm(
      'svc-04003',
      { data: { plateColour: 'blue', plateNumber: '豫K·E1357', location: '魏都区七一路 88 号门口', applicantName: '王芳', idNumber: '11010519491231002X', mobile: '13812345677', declaration: true } },
      'citizen',
      'zh-CN',
    );
    await c.work();
    const done = await c.instance(instance.id);
    expect(done).to.deep.include({ state: 'completed', stateName: '已通知车主' });
    const owner = String(done.variables.ownerMobile);
    expect(await eventually('the owner’s SMS', async () => (await sms(owner)).length > 0 && (await sms(owner)))).to.deep.equal([
      '您的车辆（豫K·E1357）停放在魏都区七一路 88 号门口，影响他人通行，请尽快挪车，【许昌市公安局】',
    ]);
    expect(await eventually('the applicant’s SMS', async () => (await sms('13812345677')).length > 0 && (await sms('13812345677')))).to.deep.equal([
      '王芳，你申请的自助挪车业务，已短信通知车主挪车，请耐心等待，【许昌市公安局】',
    ]);
  });

  it('Given online study, then hours accumulate on the study platform; short of 12 the driver is told how many, with 12 a clerk schedules the exam', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const driver = { applicantName: '赵磊', idNumber: '11010519491231002X', mobile: '13812345678', declaration: true };
    await server.post('/sim/backend/_study', { idNumber: driver.idNumber, hours: 8 });
    const early = await c.wf.submitStartForm('svc-04008', { data: driver }, 'citizen', 'zh-CN');
    await c.work();
    expect(await c.instance(early.id)).to.deep.include({ state: 'completed', stateName: '学时不足' });
    await server.post('/sim/backend/_study', { idNumber: driver.idNumber, hours: 4 });
    const ready = await c.wf.submitStartForm('svc-04008', { data: driver }, 'citizen', 'zh-CN');
    await c.work();
    expect(await c.instance(ready.id)).to.deep.include({ stateName: '待安排考试' });
    const [task] = await c.activeTasks(ready.id);
    await c.wf.submitTaskForm(task!.id, { examDate: '2026-12-20' }, 'zhoubo', 'zh-CN');
    await c.work();
    expect(await c.instance(ready.id)).to.deep.include({ state: 'completed', stateName: '已办结' });
    expect(await eventually('both SMS', async () => (await sms('13812345678')).length >= 2 && (await sms('13812345678')))).to.have.members([
      '赵磊，你申请的在线学习业务，已学习 8 学时，满 12 学时后方可申请考试，【许昌市公安局】',
      '赵磊，你申请的在线学习业务，考试已安排在 2026-12-20，请携带身份证按时参加，【许昌市公安局】',
    ]);
  });

  it('Given a service that needs real-name level 2, then a citizen at level 1 is refused and told so; after 实名认证 with a face photo they start it', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await seedDemoOrg(c.org);
    await deployDemoForms(c.wf, 'identity-verification');
    await c.wf.deploy(demoBpmn('identity-verification'), 'analyst');
    await editCatalog(c.wf.services, { put: await shippedCatalog() }, 'analyst');
    await publishService(c.wf.services, '04004', 'analyst');
    await c.store.raiseIdentityLevel('citizen', 1, null, c.clock.now());
    const citizen = { ...SYSTEM_ACTOR, id: 'citizen', kind: 'citizen' as const, permissions: new Set<Permission>(['instance:start']) };
    const api = frontOf(c.wf).api.cases;
    const data = { applicantName: '刘洋', idNumber: '11010519491231002X', mobile: '13812345676', declaration: true };
    const refused = await failure(api.submitStartForm(citizen, 'svc-04004', { data }, 'zh-CN'));
    expect(refused).to.deep.include({ code: 'WF_ERR_IDENTITY_LEVEL', status: 403 });
    expect(formatMessage('WF_ERR_IDENTITY_LEVEL', (refused as unknown as { context: { key: string; required: number; current: number } }).context, 'zh-CN')).to.equal(
      '办理本业务需要2级实名认证，你目前为1级，请先完成实名认证',
    );
    expect((await api.startable(citizen)).find((p) => p.key === 'svc-04004')).to.include({ identityLevel: 2 });
    expect(await api.identity(citizen), 'the level, and the process that raises it').to.deep.equal({ level: 1, processKey: 'identity-verification' });

    await server.post('/sim/identity/_people', { idNumber: data.idNumber, name: '刘洋', phone: data.mobile, portrait: JPEG.toString('base64') });
    const photo = await c.wf.uploadFile({ name: 'face.jpg', bytes: JPEG }, 'citizen');
    const verification = await api.submitStartForm(citizen, 'identity-verification', { data: { level: 2, name: '刘洋', idNumber: data.idNumber, phone: data.mobile, photo: photo.id } }, 'zh-CN');
    await c.work();
    expect(await c.instance(verification.id)).to.deep.include({ state: 'completed' });
    expect((await c.instance(verification.id)).variables).to.include({ identityPassed: true, identityRecorded: true });
    expect(await c.store.identityLevel('citizen')).to.equal(2);
    expect(await api.identity(citizen)).to.deep.include({ level: 2 });
    expect((await api.submitStartForm(citizen, 'svc-04004', { data }, 'zh-CN')).processKey).to.equal('svc-04004');
  });

  it('Given the remaining services, then each runs its path: a report published by a clerk, a vehicle-hall number, a household question answered, an e-vehicle licence, a border pass to its fee', async () => {
    const c = ctx();
    server = await connectorServer(c);
    await publishShipped(c);
    const start = async (key: string, data: Record<string, unknown>) => {
      const instance = await c.wf.submitStartForm(key, { data: { ...data, declaration: true } }, 'citizen', 'zh-CN');
      await c.work();
      return instance.id;
    };
    const photos = await upload(c, 'svc-04002-apply', 'photos', 'citizen');
    const report = await start('svc-04002', {
      materials: { photos: { files: [photos.id] } },
      applicantName: '钱女士',
      mobile: '13812340001',
      plateNumber: '豫K·A8M21',
      behaviour: 'parking',
      location: '七一路',
      happenedOn: '2026-12-06',
    });
    const [review] = await c.activeTasks(report);
    await c.wf.submitTaskForm(review!.id, { reviewResult: 'pass' }, 'zhoubo', 'zh-CN');
    await c.work();
    expect(await c.instance(report), '随手拍').to.deep.include({ state: 'completed', stateName: '已发布' });

    const hall = await start('svc-03021', {
      applicantName: '吴刚',
      idNumber: '11010519491231002X',
      mobile: '13812340002',
      matter: '驾驶证业务',
      appointmentDate: hallDay(c.clock.now(), 2),
      slot: '08:30-10:00',
    });
    expect(await c.instance(hall), '车管大厅排号').to.deep.include({ stateName: '已取号' });
    expect((await c.instance(hall)).variables).to.include({ queueNumber: 'B001' });

    const question = await start('svc-01019', { applicantName: '郑先生', mobile: '13812340003', question: '身份证丢了怎么补办？' });
    expect((await c.instance(question)).variables, '户政智能咨询').to.include({ kbMatched: true, kbQuestion: '身份证丢了怎么补办？' });

    const licence = await start('svc-04005', { applicantName: '冯敏', idNumber: '11010519491231002X', mobile: '13812340004', plateNumber: '豫K·E1357' });
    expect(await c.instance(licence), '电子行驶证').to.deep.include({ state: 'completed', stateName: '已发证' });
    expect((await c.store.listDocuments('citizen')).map((d) => d.kind)).to.include('e-vehicle-licence');

    const idCard = await upload(c, 'svc-05010-apply', 'id-card', 'citizen');
    const photo = await upload(c, 'svc-05010-apply', 'photo', 'citizen');
    const border = await start('svc-05010', {
      materials: { 'id-card': { files: [idCard.id], paper: true }, photo: { files: [photo.id] } },
      applicantName: '褚亮',
      idNumber: '11010519491231002X',
      mobile: '13812340005',
      destination: '云南瑞丽',
      travelDates: { start: '2026-12-20', end: '2026-12-30' },
      reason: 'travel',
      sendMethod: 'in-person',
      returnMethod: 'self',
    });
    const [borderReview] = await c.activeTasks(border);
    await c.wf.submitTaskForm(borderReview!.id, { reviewResult: 'pass' }, 'zhoubo', 'zh-CN');
    await c.work();
    expect(await c.instance(border), '边境地区通行证').to.deep.include({ stateName: '待缴费' });
    expect((await c.instance(border)).variables).to.include({ productionFee: 10, courierFee: 0, totalFee: 10 });
  });
});
