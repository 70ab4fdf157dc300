import { expect } from 'chai';
import type { Connector } from '../../engine/core/connectors/port.ts';
import { HandlerRegistry, type HandlerContext } from '../../engine/core/handlers.ts';
import { wireConnectors } from '../../engine/wiring.ts';
import { describeOnBothStores } from '../support/harness.ts';

describeOnBothStores('connector concurrency', (ctx) => {
  let running = 0;
  let mostAtOnce = 0;
  /** When set, calls stay at the service until it resolves (instead of 40 ms): a loaded machine cannot reorder the test. */
  let hold: Promise<void> | null = null;
  const slow = async () => {
    running++;
    mostAtOnce = Math.max(mostAtOnce, running);
    await (hold ?? new Promise((resolve) => setTimeout(resolve, 40)));
    running--;
    return { done: true };
  };
  const operation = { title: { 'zh-CN': '慢', en: 'slow' }, input: { type: 'object' }, run: slow };
  const connector: Connector = {
    name: 'channels',
    title: { 'zh-CN': '两路', en: 'two channels' },
    settings: { type: 'object' },
    secrets: [],
    defaults: () => ({ settings: {}, secrets: {} }),
    operations: { call: operation, ask: operation },
    concurrency: 2,
  };

  const handlers = async () => {
    const { connectors } = await wireConnectors({ workflow: ctx().wf, db: ctx().db, environment: 'test', secretKey: Buffer.alloc(32, 1), simulators: true, baseUrl: () => 'http://127.0.0.1:1', connectors: [connector] });
    const registered = new HandlerRegistry();
    connectors.operations.registerHandlers(registered);
    return registered;
  };
  const context = (key: string, signal = new AbortController().signal): HandlerContext => ({ idempotencyKey: key, instanceId: 'i', businessKey: null, activityId: 'a', attempt: 1, variables: {}, input: {}, signal, report: () => undefined });

  beforeEach(() => {
    running = 0;
    mostAtOnce = 0;
  });

  it('Given a connector allowing two calls at once, when six jobs of its two operations run together, then never more than two are at the service, and all finish', async () => {
    const registered = await handlers();
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => registered.get(n % 2 ? 'channels.call' : 'channels.ask')!(context(`k${n}`))));
    expect(results).to.have.length(6);
    expect(mostAtOnce).to.equal(2);
    expect(running).to.equal(0);
  });

  it('Given a job waiting for a free slot whose time runs out, then it gives up without taking a slot from the others', async () => {
    const registered = await handlers();
    const call = registered.get('channels.call')!;
    const timedOut = new AbortController();
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const busy = [call(context('a')), call(context('b'))];
    while (running < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    const waiting = call(context('c', timedOut.signal)).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 10)); // c is in the queue now
    timedOut.abort(new Error('handler did not finish in time'));
    expect(((await waiting) as Error).message).to.equal('handler did not finish in time');
    hold = null;
    release();
    await Promise.all([...busy, call(context('d')), call(context('e'))]);
    expect(mostAtOnce).to.equal(2);
  });
});
