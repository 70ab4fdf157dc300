import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { HALLS, dailyQuota, displayNumber, hallDay, referenceTime } from '../../connectors/queue-number/halls.ts';
import { queueSimulator } from '../../connectors/queue-number/simulator.ts';
import { PermanentFailure } from '../../engine/core/handlers.ts';
import { ConnectorTables } from '../../engine/store/connector-tables.ts';
import { connectorServer, eventually, type ConnectorServer } from '../support/connectors.ts';
import { describeOnBothStores, type TestContext } from '../support/harness.ts';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions/examples');
const adminHall = HALLS.find((h) => h.id === 'xc-admin')!;
const vehicleHall = HALLS.find((h) => h.id === 'xc-vehicle')!;

interface Ticket {
  ticketId: string;
  seq: number;
  number: string;
  channel: string;
  status: string;
}

describe('queue halls', () => {
  it('fills a day at the hall’s pace and gives each number its reference time and matter letter', () => {
    expect(dailyQuota(adminHall)).to.equal(120); // 09:00–17:00 at 4 minutes a number
    expect(dailyQuota(vehicleHall)).to.equal(90); // 08:30–17:30 at 6 minutes
    expect(referenceTime(adminHall, 1)).to.equal('09:00');
    expect(referenceTime(adminHall, 37)).to.equal('11:24');
    expect(displayNumber('A', 37)).to.equal('A037');
    expect(hallDay(Date.UTC(2026, 0, 1, 16, 30)), 'past midnight in the hall (UTC+8)').to.equal('2026-01-02');
  });
});

describeOnBothStores('queue numbers', (ctx) => {
  let server: ConnectorServer;
  beforeEach(async () => {
    server = await connectorServer(ctx());
    await ctx().wf.deploy(fs.readFileSync(path.join(EXAMPLES, 'queue-number-booking.bpmn'), 'utf8'), 'analyst');
  });
  afterEach(() => server.close());

  const today = () => hallDay(Date.now());
  const call = async (c: TestContext, operation: string, key: string, input: Record<string, unknown>) =>
    (await c.wf.services.handlers.get(`queue.${operation}`)!({ idempotencyKey: key, instanceId: 'x', businessKey: null, activityId: 'a', attempt: 1, variables: {}, input, signal: new AbortController().signal, report: () => undefined })) as Record<string, unknown>;
  const failure = (promise: Promise<unknown>) => promise.then(() => new Error('it did not fail'), (e: unknown) => e as Error);
  const walkIn = (hallId: string, matter: string) => server.post('/sim/queue/_walkIn', { hallId, matter });
  const tickets = async (hallId: string, date: string) => ((await server.get(`/sim/queue/_tickets?hallId=${hallId}&date=${date}`)).json as { items: Ticket[] }).items;
  const start = (variables: Record<string, unknown>) =>
    ctx().wf.start({ processKey: 'queue-number-booking', variables: { hallId: 'xc-admin', matter: '身份证办理', appointmentDate: today(), applicantName: '张三', idNumber: '411002199001011234', phone: '13812345678', ...variables } }, 'citizen');

  /** The hall machine as another process would run it: the same database, nothing else shared. */
  const otherProcessWalkIn = async (c: TestContext, hallId: string, matter: string) => {
    const answer = await queueSimulator.handle(
      { method: 'POST', path: '/_walkIn', headers: {}, query: {}, body: Buffer.from(JSON.stringify({ hallId, matter })) },
      { records: new ConnectorTables(c.db.executor).records('sim:queue'), config: await server.connectors.settings.config('queue'), callbackUrl: () => '', notify: () => undefined, now: () => Date.now() },
    );
    return { status: answer.status, json: JSON.parse(String(answer.body)) as Ticket };
  };

  it('Given many bookings and walk-in tickets at once, from two processes, then every number of the day is issued once, with no gap, until the day is full', async () => {
    const c = ctx();
    const matters = Object.keys(vehicleHall.matters);
    const online = Array.from({ length: 45 }, (_, i) => call(c, 'issue', `burst-${i}`, { hallId: 'xc-vehicle', matter: matters[i % 3]!, date: today() }));
    const here = Array.from({ length: 25 }, (_, i) => walkIn('xc-vehicle', matters[i % 3]!));
    const there = Array.from({ length: 20 }, (_, i) => otherProcessWalkIn(c, 'xc-vehicle', matters[i % 3]!));
    const [booked, printedHere, printedThere] = await Promise.all([Promise.all(online), Promise.all(here), Promise.all(there)]);
    expect([...printedHere, ...printedThere].map((r) => r.status)).to.deep.equal(Array(45).fill(200));

    const issued = await tickets('xc-vehicle', today());
    expect(issued.map((t) => t.seq), 'one ticket for each number 1..90').to.deep.equal(Array.from({ length: 90 }, (_, i) => i + 1));
    expect(new Set(issued.map((t) => t.ticketId)).size).to.equal(90);
    expect(issued.filter((t) => t.channel === 'walkIn')).to.have.length(45);
    expect(new Set(booked.map((b) => b.queueTicketId)).size).to.equal(45);
    for (const b of booked) expect(b.queueNumber).to.match(/^[ABC]\d{3}$/);

    const again = await call(c, 'issue', 'burst-7', { hallId: 'xc-vehicle', matter: matters[1]!, date: today() });
    expect(again, 'a retried booking is the same ticket').to.deep.equal(booked[7]);
    const full = await failure(call(c, 'issue', 'one-too-many', { hallId: 'xc-vehicle', matter: matters[0]!, date: today() }));
    expect(full).to.be.instanceOf(PermanentFailure);
    expect(full.message).to.contain('DAY_FULL');
    expect((await walkIn('xc-vehicle', matters[0]!)).status).to.equal(409);
    expect(await tickets('xc-vehicle', today())).to.have.length(90);
  });

  it('Given walk-in tickets printed first, when a citizen books, then the booking takes the next number of the shared sequence, and the window calling it opens the acceptance', async () => {
    const c = ctx();
    await walkIn('xc-admin', '户口迁移');
    await walkIn('xc-admin', '身份证办理');
    const instance = await start({});
    await c.work();
    const booked = (await c.instance(instance.id)).variables;
    expect(booked).to.include({ queueNumber: 'B003', queueDate: today(), queueHallAddress: adminHall.address, queueHallName: adminHall.name, queueReferenceTime: '09:08', queueStatus: 'waiting' });
    expect(await c.waitingIn(instance.id)).to.deep.equal(['didNotCome', 'wasCalled']);

    expect((await server.post('/sim/queue/_call', { ticketId: booked.queueTicketId, window: 3 })).json).to.include({ notified: true });
    await eventually('the call', async () => (await c.waitingIn(instance.id)).includes('accept'));
    expect((await c.instance(instance.id)).variables).to.include({ queueStatus: 'called', queueWindow: 3 });
    await server.post('/sim/queue/_call', { ticketId: booked.queueTicketId, window: 3 }); // called again: recorded, moves nothing
    await eventually('the second call', async () => (await server.connectors.store.listCallbacks('queue', 10)).filter((cb) => cb.outcome !== 'received').length === 2);
    expect((await server.connectors.store.listCallbacks('queue', 10)).map((cb) => cb.outcome).sort()).to.deep.equal(['delivered', 'unmatched']);

    const error = await failure(call(c, 'cancel', 'cancel-late', { ticketId: booked.queueTicketId }));
    expect(error, 'a called number cannot be cancelled').to.be.instanceOf(PermanentFailure);
    expect(error.message).to.contain('号码已叫过');
  });

  it('Given a citizen who does not come, when the window marks the number a no-show, then the booking lapses', async () => {
    const c = ctx();
    const instance = await start({ appointmentDate: hallDay(Date.now(), 1), matter: '居住证办理' });
    await c.work();
    const { queueTicketId, queueNumber, queueReferenceTime } = (await c.instance(instance.id)).variables;
    expect([queueNumber, queueReferenceTime]).to.deep.equal(['C001', '09:00']);
    await server.post('/sim/queue/_noShow', { ticketId: queueTicketId });
    await eventually('the no-show', async () => (await c.instance(instance.id)).state === 'completed');
    const history = (await c.wf.history(instance.id, { offset: 0, limit: 100 })).items;
    expect(history.filter((h) => h.kind === 'activity.end').map((h) => h.activityId)).to.include('lapsed').and.not.include('accept');
    expect((await c.instance(instance.id)).variables).to.include({ queueStatus: 'noShow' });
  });

  it('Given a booking cancelled, then its number is not called and not handed out again', async () => {
    const c = ctx();
    const date = hallDay(Date.now(), 2);
    const first = await call(c, 'issue', 'book-1', { hallId: 'xc-admin', matter: '户口迁移', date });
    expect(await call(c, 'cancel', 'cancel-1', { ticketId: first.queueTicketId })).to.deep.equal({ queueStatus: 'cancelled' });
    expect(await call(c, 'cancel', 'cancel-1', { ticketId: first.queueTicketId }), 'a retried cancel').to.deep.equal({ queueStatus: 'cancelled' });
    expect((await server.post('/sim/queue/_call', { ticketId: first.queueTicketId, window: 1 })).status).to.equal(409);
    const second = await call(c, 'issue', 'book-2', { hallId: 'xc-admin', matter: '户口迁移', date });
    expect([first.queueNumber, second.queueNumber]).to.deep.equal(['A001', 'A002']);
    expect((await tickets('xc-admin', date)).map((t) => t.status)).to.deep.equal(['cancelled', 'waiting']);
  });

  it('Given a day that cannot be booked or a matter the hall does not handle, then the refusal is final', async () => {
    const c = ctx();
    const past = await failure(call(c, 'issue', 'past', { hallId: 'xc-admin', matter: '户口迁移', date: hallDay(Date.now(), -1) }));
    expect(past).to.be.instanceOf(PermanentFailure);
    expect(past.message).to.contain('DATE_NOT_BOOKABLE');
    const elsewhere = await failure(call(c, 'issue', 'matter', { hallId: 'xc-admin', matter: '机动车登记', date: today() }));
    expect(elsewhere).to.be.instanceOf(PermanentFailure);
    expect(elsewhere.message).to.contain('NO_SUCH_MATTER');
    expect(await tickets('xc-admin', today())).to.deep.equal([]);
  });
});
