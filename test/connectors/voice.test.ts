import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { composeScript } from '../../connectors/voice/index.ts';
import { connectorServer, eventually, type ConnectorServer } from '../support/connectors.ts';
import { describeOnBothStores } from '../support/harness.ts';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions/examples');
const page = { offset: 0, limit: 100 };

describe('voice script', () => {
  const settings = { templates: { expertConfirm: '{name}您好，邀请您参加{meeting}评审。确认请按1，拒绝请按2。' } };
  it('fills a configured template with its variables, or reads a text as given', () => {
    expect(composeScript(settings, { template: 'expertConfirm', variables: { name: '王教授', meeting: '年度标准' } })).to.equal('王教授您好，邀请您参加年度标准评审。确认请按1，拒绝请按2。');
    expect(composeScript(settings, { text: '系统演练，无需操作。' })).to.equal('系统演练，无需操作。');
    expect(() => composeScript(settings, { template: 'expertConfirm', variables: { name: '王教授' } })).to.throw('needs the variable meeting');
    expect(() => composeScript(settings, { template: 'nope' })).to.throw('no voice template named nope');
  });
});

interface SimCall {
  callId: string;
  script: string;
  keys: string[];
  requests: number;
  ending: { outcome: string; key: string | null } | null;
}

describeOnBothStores('voice calls in flows', (ctx) => {
  let server: ConnectorServer;
  beforeEach(async () => {
    server = await connectorServer(ctx());
    await ctx().wf.deploy(fs.readFileSync(path.join(EXAMPLES, 'voice-expert-confirmation.bpmn'), 'utf8'), 'analyst');
  });
  afterEach(() => server.close());

  const start = (phone: string) => ctx().wf.start({ processKey: 'voice-expert-confirmation', variables: { expertPhone: phone, expertName: '王教授', meeting: '2026 年度标准', meetingTime: '3月5日上午9点' } }, 'admin');
  const calls = async (phone: string) => ((await server.get(`/sim/voice/_calls?phone=${phone}`)).json as { items: SimCall[] }).items;
  const endedIn = async (instanceId: string, activityId: string) => {
    await eventually(`the case to reach ${activityId}`, async () => {
      const history = (await ctx().wf.history(instanceId, page)).items;
      return history.some((h) => h.kind === 'activity.end' && h.activityId === activityId) || (await ctx().waitingIn(instanceId)).includes(activityId);
    });
  };

  it('Given an expert who presses 1, then the call outcome comes back signed, with the recording, and the review is confirmed', async () => {
    const c = ctx();
    const instance = await start('13912345678');
    await c.work();
    const [call] = await calls('13912345678');
    expect(call!.script).to.equal('王教授您好，这里是许昌市公安局。邀请您参加2026 年度标准评审，时间3月5日上午9点。确认参加请按1，不能参加请按2。');
    expect(call!.keys).to.deep.equal(['1', '2']);
    expect((await c.instance(instance.id)).variables.callId).to.equal(call!.callId);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['awaitOutcome', 'noOutcome']);

    expect((await server.post('/sim/voice/_answer', { phone: '13912345678', key: '1' })).status).to.equal(200);
    await eventually('the outcome to be taken', async () => (await c.instance(instance.id)).state === 'completed');
    const variables = (await c.instance(instance.id)).variables;
    expect(variables).to.include({ voiceOutcome: 'answered', voiceKey: '1' });
    await endedIn(instance.id, 'confirmed');
    const recording = String(variables.voiceRecording);
    expect(recording).to.equal(`${server.base}/sim/voice/recordings/${call!.callId}.wav`);
    const audio = await fetch(recording);
    expect(audio.headers.get('content-type')).to.equal('audio/wav');
    expect(Buffer.from(await audio.arrayBuffer()).subarray(0, 4).toString()).to.equal('RIFF');
  });

  it('Given a key the call does not listen for, then the script plays again; 2 then declines, and the call cannot be answered twice', async () => {
    const c = ctx();
    const instance = await start('13912345670');
    await c.work();
    const wrong = await server.post('/sim/voice/_answer', { phone: '13912345670', key: '5' });
    expect(wrong.status).to.equal(422);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['awaitOutcome', 'noOutcome']);
    expect((await server.post('/sim/voice/_answer', { phone: '13912345670', key: '2' })).status).to.equal(200);
    await endedIn(instance.id, 'declined');
    expect((await c.instance(instance.id)).variables).to.include({ voiceOutcome: 'answered', voiceKey: '2' });
    const [call] = await calls('13912345670');
    expect((await server.post('/sim/voice/_answer', { callId: call!.callId, key: '1' })).status, 'the call has ended').to.equal(409);
  });

  it('Given a busy line, then a person follows up', async () => {
    const c = ctx();
    const instance = await start('13912345671');
    await c.work();
    await server.post('/sim/voice/_answer', { phone: '13912345671', outcome: 'busy' });
    await eventually('the follow-up', async () => (await c.waitingIn(instance.id)).includes('followUp'));
    expect((await c.instance(instance.id)).variables).to.include({ voiceOutcome: 'busy', voiceKey: null, voiceRecording: null });
  });

  it('Given nobody picks up within the ring time, then the network reports no-answer by itself and a person follows up', async () => {
    const c = ctx();
    await server.tune('voice', (settings) => ({ ...settings, ringSeconds: 1 }));
    const instance = await start('13912345672');
    await c.work();
    expect((await calls('13912345672'))[0]!.ending).to.equal(null);
    await eventually('the no-answer report', async () => (await c.waitingIn(instance.id)).includes('followUp'), 5000);
    expect((await c.instance(instance.id)).variables).to.include({ voiceOutcome: 'no-answer', voiceKey: null });
    expect((await server.post('/sim/voice/_answer', { callId: (await calls('13912345672'))[0]!.callId, key: '1' })).status, 'too late to pick up').to.equal(409);
  });

  it('Given no outcome within 15 minutes (the gateway is slow to report), then the timer hands it to a person and the late outcome moves nothing', async () => {
    const c = ctx();
    await server.post('/sim/voice/_control', { mode: 'late', delayMs: 300 });
    const instance = await start('13912345673');
    await c.work();
    await c.advance(16 * 60_000);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['followUp']);
    await server.post('/sim/voice/_answer', { phone: '13912345673', key: '1' });
    const [notice] = await eventually('the late outcome', async () => {
      const list = (await server.connectors.store.listCallbacks('voice', 10)).filter((cb) => cb.outcome !== 'received');
      return list.length ? list : null;
    });
    expect(notice!.outcome, 'kept for a receiver that will never come').to.equal('buffered');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['followUp']);
    expect((await c.instance(instance.id)).variables.voiceOutcome).to.equal(undefined);
  });

  it('Given a worker that runs the same call job twice, then the expert is called once', async () => {
    const c = ctx();
    const run = (key: string) => c.wf.services.handlers.get('voice.call')!({ idempotencyKey: key, instanceId: 'x', businessKey: null, activityId: 'call', attempt: 1, variables: {}, input: { phone: '13912345674', text: '测试呼叫，请按1。', keys: ['1'] }, signal: new AbortController().signal, report: () => undefined });
    const first = (await run('job-1')) as { callId: string };
    expect(await run('job-1')).to.deep.equal(first);
    const placed = await calls('13912345674');
    expect(placed.map((p) => [p.callId, p.requests])).to.deep.equal([[first.callId, 2]]);
  });
});
