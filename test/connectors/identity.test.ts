import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { problemOf } from '../../connectors/identity/index.ts';
import { PermanentFailure, type HandlerContext } from '../../engine/core/handlers.ts';
import { makeIdNumber } from '../../forms/formats/chinese.ts';
import { connectorServer, eventually, type ConnectorServer } from '../support/connectors.ts';
import { JPEG, PDF, PNG } from '../support/forms.ts';
import { describeOnBothStores } from '../support/harness.ts';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions/examples');
const page = { offset: 0, limit: 100 };

const ZHANG = makeIdNumber('411002', '19900307', 123);
const LI = makeIdNumber('411002', '19851120', 456);
/** The same number with its last digit changed: the check digit no longer holds. */
const typo = (id: string) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
const ANOTHER_FACE = Buffer.concat([JPEG, Buffer.from('another person')]);

describe('identity check outcome', () => {
  it('names the first check that failed, in the order a clerk would look, against the face threshold', () => {
    expect(problemOf({ identity: 'match', phone: 'match' }, 0.8)).to.equal(null);
    expect(problemOf({ identity: 'name-mismatch', phone: 'mismatch' }, 0.8)).to.equal('name-mismatch');
    expect(problemOf({ identity: 'match', phone: 'mismatch', face: { score: 0.2 } }, 0.8)).to.equal('phone-mismatch');
    expect(problemOf({ identity: 'match', face: { score: 0.79 } }, 0.8)).to.equal('face-mismatch');
    expect(problemOf({ identity: 'match', face: { score: 0.8 }, networkId: 'invalid' }, 0.8)).to.equal('network-id-invalid');
  });
});

describeOnBothStores('identity checks', (ctx) => {
  let server: ConnectorServer;
  beforeEach(async () => {
    server = await connectorServer(ctx());
    await server.post('/sim/identity/_people', { idNumber: ZHANG, name: '张三', phone: '13812345678', portrait: JPEG.toString('base64'), networkIdCode: 'CTID0000ZHANG001' });
    await server.post('/sim/identity/_people', { idNumber: LI, name: '李四', phone: '13987654321' });
  });
  afterEach(() => server.close());

  const run = (operation: string, input: Record<string, unknown>, instanceId = 'case-x', key = `job-${Math.random()}`) =>
    ctx().wf.services.handlers.get(`identity.${operation}`)!({ idempotencyKey: key, instanceId, businessKey: null, activityId: 'check', attempt: 1, variables: {}, input, signal: new AbortController().signal, report: () => undefined } satisfies HandlerContext);
  const checksAt = async (idNumber: string) => ((await server.get(`/sim/identity/_checks?idNumber=${idNumber}`)).json as { items: unknown[] }).items.length;
  /** A case with files: the photo must be one of the case's own. */
  const caseWith = async (...photos: Buffer[]) => {
    const c = ctx();
    await c.deploy('store-values');
    const instance = await c.start('store-values');
    const ids: string[] = [];
    for (const [i, bytes] of photos.entries()) {
      const file = await c.wf.uploadFile({ name: `photo-${i}`, bytes }, 'citizen');
      await c.store.commit([{ type: 'file.bind', id: file.id, owner: 'citizen', instanceId: instance.id }]);
      ids.push(file.id);
    }
    return { instanceId: instance.id, files: ids };
  };

  it('Given level 1, then the name, the ID number and the phone are checked against the registry, each mismatch named', async () => {
    expect(await run('verify', { name: '张三', idNumber: ZHANG, phone: '13812345678', level: 1 })).to.include({ identityPassed: true, identityLevel: 1, identityProblem: null });
    const wrongName = await run('verify', { name: '张叁', idNumber: ZHANG, phone: '13812345678', level: 1 });
    expect(wrongName).to.include({ identityPassed: false, identityLevel: 0, identityProblem: 'name-mismatch' });
    expect(wrongName!.identityMessage).to.deep.equal({ 'zh-CN': '姓名与身份证号码不一致', en: 'the name does not match the ID number' });
    expect(await run('verify', { name: '张三', idNumber: ZHANG, phone: '13987654321', level: 1 })).to.include({ identityPassed: false, identityProblem: 'phone-mismatch' });
    expect(await checksAt(ZHANG), 'three checks made').to.equal(3);
  });

  it('Given an ID number set to fail at the simulator, then it has no record until the set is cleared; an unregistered one passes', async () => {
    await server.post('/sim/identity/_failing', { idNumbers: [LI] });
    expect(await run('verify', { name: '李四', idNumber: LI, phone: '13987654321', level: 1 })).to.include({ identityPassed: false, identityProblem: 'no-record' });
    const stranger = makeIdNumber('110105', '20000101', 7);
    expect(await run('verify', { name: '王五', idNumber: stranger, phone: '13700000000', level: 1 })).to.include({ identityPassed: true });
    await server.post('/sim/identity/_failing', { idNumbers: [] });
    expect(await run('verify', { name: '李四', idNumber: LI, phone: '13987654321', level: 1 })).to.include({ identityPassed: true });
  });

  it('Given an ID number whose check digit is wrong, then it fails here and the service is never asked', async () => {
    const result = await run('verify', { name: '张三', idNumber: typo(ZHANG), phone: '13812345678', level: 1 });
    expect(result).to.include({ identityPassed: false, identityProblem: 'invalid-id-number' });
    expect(result!.identityMessage).to.deep.equal({ 'zh-CN': '身份证号码：校验位不正确', en: 'ID number: the check digit is wrong' });
    expect(await run('compareFace', { idNumber: typo(ZHANG), photo: 'unused' })).to.include({ faceMatched: false, faceProblem: 'invalid-id-number' });
    expect(await checksAt(typo(ZHANG))).to.equal(0);
    const missingPhone = await run('verify', { name: '张三', idNumber: ZHANG, level: 1 }).catch((e: unknown) => e);
    expect(missingPhone, 'level 1 needs the phone').to.be.instanceOf(PermanentFailure);
  });

  it('Given levels 2 and 3, then the case photo is compared with the portrait and the network ID is checked', async () => {
    const { instanceId, files } = await caseWith(JPEG, ANOTHER_FACE, PDF);
    const [same, other, notAPhoto] = files as [string, string, string];
    expect(await run('verify', { name: '张三', idNumber: ZHANG, level: 2, photo: same }, instanceId)).to.include({ identityPassed: true, identityLevel: 2, faceScore: 0.97 });
    const mismatch = await run('verify', { name: '张三', idNumber: ZHANG, level: 2, photo: other }, instanceId);
    expect(mismatch).to.include({ identityPassed: false, identityProblem: 'face-mismatch' });
    expect(mismatch!.faceScore).to.be.within(0.2, 0.6);
    expect(await run('verify', { name: '张三', idNumber: ZHANG, level: 3, photo: same, networkIdCode: 'CTID0000ZHANG001' }, instanceId)).to.include({ identityPassed: true, identityLevel: 3 });
    expect(await run('verify', { name: '张三', idNumber: ZHANG, level: 3, photo: same, networkIdCode: 'CTID9999FORGED01' }, instanceId)).to.include({ identityPassed: false, identityProblem: 'network-id-invalid' });
    expect(await run('verify', { name: '李四', idNumber: LI, level: 2, photo: same }, instanceId), 'no portrait on file').to.include({ identityPassed: false, identityProblem: 'no-portrait' });
    expect(await run('verify', { name: '张三', idNumber: ZHANG, level: 2, photo: notAPhoto }, instanceId).catch((e: unknown) => e), 'a PDF is no face').to.be.instanceOf(PermanentFailure);
    expect(await run('verify', { name: '张三', idNumber: ZHANG, level: 2, photo: same }, 'another-case').catch((e: unknown) => e), "another case's file").to.be.instanceOf(PermanentFailure);
  });

  it('Given a synchronous face comparison, then the score comes back at once; repeated, the service compares once', async () => {
    const { instanceId, files } = await caseWith(PNG);
    await server.post('/sim/identity/_people', { idNumber: ZHANG, name: '张三', portrait: PNG.toString('base64') });
    const first = await run('compareFace', { idNumber: ZHANG, photo: files[0] }, instanceId, 'face-job');
    expect(first).to.include({ faceMatched: true, faceScore: 0.97, facePending: false });
    expect(await run('compareFace', { idNumber: ZHANG, photo: files[0] }, instanceId, 'face-job')).to.deep.equal(first);
    expect(await checksAt(ZHANG)).to.equal(1);
  });

  it('Given the identity example, when the photo matches then the application goes on; when it does not, a clerk reviews first', async () => {
    const c = ctx();
    await c.wf.deploy(fs.readFileSync(path.join(EXAMPLES, 'identity-citizen-service.bpmn'), 'utf8'), 'analyst');
    const apply = async (photo: Buffer) => {
      const file = await c.wf.uploadFile({ name: '人像.jpg', bytes: photo }, 'citizen');
      const instance = await c.wf.start({ processKey: 'identity-citizen-service', variables: { applicantName: '张三', applicantIdNumber: ZHANG, facePhoto: file.id } }, 'citizen');
      await c.store.commit([{ type: 'file.bind', id: file.id, owner: 'citizen', instanceId: instance.id }]);
      return instance.id;
    };
    const genuine = await apply(JPEG);
    const impostor = await apply(ANOTHER_FACE);
    await c.work();
    expect(await c.waitingIn(genuine)).to.deep.equal(['accept']);
    expect((await c.instance(genuine)).variables).to.include({ identityPassed: true, identityLevel: 2 });
    expect(await c.waitingIn(impostor)).to.deep.equal(['clerkReview']);
    expect((await c.instance(impostor)).variables).to.include({ identityPassed: false, identityProblem: 'face-mismatch' });
    await c.complete(impostor, 'clerkReview', { identityConfirmedByClerk: true });
    expect(await c.waitingIn(impostor)).to.deep.equal(['accept']);
  });

  it('Given an asynchronous face comparison in a flow, then the flow waits on faceCheckId and takes the signed result', async () => {
    const c = ctx();
    await c.wf.deploy(`<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:wf="http://workflow.dev/schema/bpmn/1.0" id="face-d" targetNamespace="http://workflow.dev/test">
  <message id="faceResult" name="identity.face" />
  <process id="face-later" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="compare" />
    <serviceTask id="compare" camunda:type="external" camunda:topic="identity.compareFace">
      <extensionElements><camunda:inputOutput>
        <camunda:inputParameter name="idNumber">\${idNumber}</camunda:inputParameter>
        <camunda:inputParameter name="photo">\${photo}</camunda:inputParameter>
        <camunda:inputParameter name="async">\${true}</camunda:inputParameter>
      </camunda:inputOutput></extensionElements>
    </serviceTask>
    <sequenceFlow id="f2" sourceRef="compare" targetRef="wait" />
    <receiveTask id="wait" messageRef="faceResult" wf:correlationKey="\${faceCheckId}" />
    <sequenceFlow id="f3" sourceRef="wait" targetRef="g" />
    <exclusiveGateway id="g" default="toReview" />
    <sequenceFlow id="toOk" sourceRef="g" targetRef="ok"><conditionExpression xsi:type="tFormalExpression">\${faceMatched}</conditionExpression></sequenceFlow>
    <sequenceFlow id="toReview" sourceRef="g" targetRef="review" />
    <endEvent id="ok" /><userTask id="review" />
  </process>
</definitions>`, 'analyst');
    await server.post('/sim/identity/_control', { mode: 'late', delayMs: 200 });
    const file = await c.wf.uploadFile({ name: '人像.jpg', bytes: JPEG }, 'citizen');
    const instance = await c.wf.start({ processKey: 'face-later', variables: { idNumber: ZHANG, photo: file.id } }, 'citizen');
    await c.store.commit([{ type: 'file.bind', id: file.id, owner: 'citizen', instanceId: instance.id }]);
    await c.work();
    expect(await c.waitingIn(instance.id)).to.deep.equal(['wait']);
    expect((await c.instance(instance.id)).variables).to.include({ facePending: true });
    await eventually('the face result', async () => (await c.instance(instance.id)).state === 'completed');
    expect((await c.instance(instance.id)).variables).to.include({ faceMatched: true, faceScore: 0.97, facePending: false });
    expect((await c.wf.history(instance.id, page)).items.filter((h) => h.kind === 'activity.end').map((h) => h.activityId)).to.include('ok');
  });
});
