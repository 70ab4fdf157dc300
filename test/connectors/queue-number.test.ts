import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { DEFAULT_HALLS, dailyQuota, displayNumber, hallDay, hallTime, referenceTime, slotReferenceTime, slotsOf } from '../../connectors/queue-number/halls.ts';
import { queueSimulator } from '../../connectors/queue-number/simulator.ts';
import { PermanentFailure } from '../../engine/core/handlers.ts';
import { ConnectorTables } from '../../engine/store/connector-tables.ts';
import { connectorServer, eventually, runOperation, type ConnectorServer } from '../support/connectors.ts';
import { describeOnBothStores, type TestContext } from '../support/harness.ts';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions/examples');
const adminHall = DEFAULT_HALLS.find((h) => h.id === 'xc-admin')!;
const vehicleHall = DEFAULT_HALLS.find((h) => h.id === 'xc-vehicle')!;

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

  it('cuts the opening hours into slots, the last one at closing time, and shares a slot’s time among its places', () => {
    expect(slotsOf(vehicleHall)).to.deep.equal(['08:30-10:00', '10:00-11:30', '11:30-13:00', '13:00-14:30', '14:30-16:00', '16:00-17:30']);
    expect(slotsOf({ ...adminHall, slotMinutes: 180 })).to.deep.equal(['09:00-12:00', '12:00-15:00', '15:00-17:00']);
    expect(slotReferenceTime(adminHall, '10:00-11:00', 1)).to.equal('10:00');
    expect(slotReferenceTime(adminHall, '10:00-11:00', 10)).to.equal('10:54'); // ten places in an hour
    expect(hallTime('2026-12-09', '09:00')).to.equal(Date.UTC(2026, 11, 9, 1, 0));
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
  const call = (c: TestContext, operation: string, key: string, input: Record<string, unknown>) => runOperation(c, `queue.${operation}`, input, { key });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => new Error('it did not fail'),
      (e: unknown) => e as Error,
    );
  const walkIn = (hallId: string, matter: string) => server.post('/sim/queue/_walkIn', { hallId, matter });
  const tickets = async (hallId: string, date: string) => ((await server.get(`/sim/queue/_tickets?hallId=${hallId}&date=${date}`)).json as { items: Ticket[] }).items;
  const start = (variables: Record<string, unknown>) =>
    ctx().wf.start(
      {
        processKey: 'queue-number-booking',
        variables: {
          hallId: 'xc-admin',
          matter: '身份证办理',
          appointmentDate: today(),
          slot: '16:00-17:00',
          applicantName: '张三',
          idNumber: '411002199001011234',
          phone: '13812345678',
          ...variables,
        },
      },
      'citizen',
    );

  /** The hall machine as another process would run it: the same database, nothing else shared. */
  const otherProcessWalkIn = async (c: TestContext, hallId: string, matter: string) => {
    const answer = await queueSimulator.handle(
      { method: 'POST', path: '/_walkIn', headers: {}, query: {}, body: Buffer.from(JSON.stringify({ hallId, matter })) },
      {
        records: new ConnectorTables(c.db.executor).records('sim:queue'),
        config: await server.connectors.settings.config('queue'),
        callbackUrl: () => '',
        notify: () => undefined,
        now: () => Date.now(),
      },
    );
    return { status: answer.status, json: JSON.parse(String(answer.body)) as Ticket };
  };

  it('Given many bookings and walk-in tickets at once, from two processes, then every number of the day is issued once, with no gap, until the day is full', async () => {
    const c = ctx();
    const matters = Object.keys(vehicleHall.matters);
    const slots = slotsOf(vehicleHall);
    const online = Array.from({ length: 45 }, (_, i) => call(c, 'issue', `burst-${i}`, { hallId: 'xc-vehicle', matter: matters[i % 3]!, date: today(), slot: slots[i % slots.length]! }));
    const here = Array.from({ length: 25 }, (_, i) => walkIn('xc-vehicle', matters[i % 3]!));
    const there = Array.from({ length: 20 }, (_, i) => otherProcessWalkIn(c, 'xc-vehicle', matters[i % 3]!));
    const [booked, printedHere, printedThere] = await Promise.all([Promise.all(online), Promise.all(here), Promise.all(there)]);
    expect([...printedHere, ...printedThere].map((r) => r.status)).to.deep.equal(Array(45).fill(200));

    const issued = await tickets('xc-vehicle', today());
    expect(
      issued.map((t) => t.seq),
      'one ticket for each number 1..90',
    ).to.deep.equal(Array.from({ length: 90 }, (_, i) => i + 1));
    expect(new Set(issued.map((t) => t.ticketId)).size).to.equal(90);
    expect(issued.filter((t) => t.channel === 'walkIn')).to.have.length(45);
    expect(new Set(booked.map((b) => b.queueTicketId)).size).to.equal(45);
    for (const b of booked) expect(b.queueNumber).to.match(/^[ABC]\d{3}$/);

    const again = await call(c, 'issue', 'burst-7', { hallId: 'xc-vehicle', matter: matters[1]!, date: today(), slot: slots[1]! });
    expect(again, 'a retried booking is the same ticket').to.deep.equal(booked[7]);
    const full = await call(c, 'issue', 'one-too-many', { hallId: 'xc-vehicle', matter: matters[0]!, date: today(), slot: slots[0]! });
    expect(full, 'a full day is the citizen’s answer, not a failure').to.deep.equal({ queueStatus: 'refused', queueRefusal: '当日号已约满，请改约其他日期' });
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
    expect(booked).to.include({
      queueNumber: 'B003',
      queueDate: today(),
      queueSlot: '16:00-17:00',
      queueHallAddress: adminHall.address,
      queueHallName: adminHall.name,
      queueReferenceTime: '16:00',
      queueStatus: 'waiting',
    });
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
    const instance = await start({ appointmentDate: hallDay(Date.now(), 1), matter: '居住证办理', slot: '09:00-10:00' });
    await c.work();
    const { queueTicketId, queueNumber, queueReferenceTime } = (await c.instance(instance.id)).variables;
    expect([queueNumber, queueReferenceTime]).to.deep.equal(['C001', '09:00']);
    await server.post('/sim/queue/_noShow', { ticketId: queueTicketId });
    await eventually('the no-show', async () => (await c.instance(instance.id)).state === 'completed');
    const history = (await c.wf.history(instance.id, { offset: 0, limit: 100 })).items;
    expect(history.filter((h) => h.kind === 'activity.end').map((h) => h.activityId))
      .to.include('lapsed')
      .and.not.include('accept');
    expect((await c.instance(instance.id)).variables).to.include({ queueStatus: 'noShow' });
  });

  it('Given a booking cancelled, then its number is not called and not handed out again', async () => {
    const c = ctx();
    const date = hallDay(Date.now(), 2);
    const first = await call(c, 'issue', 'book-1', { hallId: 'xc-admin', matter: '户口迁移', date, slot: '10:00-11:00' });
    expect(await call(c, 'cancel', 'cancel-1', { ticketId: first.queueTicketId })).to.deep.equal({ queueStatus: 'cancelled' });
    expect(await call(c, 'cancel', 'cancel-1', { ticketId: first.queueTicketId }), 'a retried cancel').to.deep.equal({ queueStatus: 'cancelled' });
    expect((await server.post('/sim/queue/_call', { ticketId: first.queueTicketId, window: 1 })).status).to.equal(409);
    const second = await call(c, 'issue', 'book-2', { hallId: 'xc-admin', matter: '户口迁移', date, slot: '10:00-11:00' });
    expect([first.queueNumber, second.queueNumber]).to.deep.equal(['A001', 'A002']);
    expect((await tickets('xc-admin', date)).map((t) => t.status)).to.deep.equal(['cancelled', 'waiting']);
  });

  it('Given a day that cannot be booked, the citizen is told why; a matter or slot the hall does not have is a final failure', async () => {
    const c = ctx();
    const past = await call(c, 'issue', 'past', { hallId: 'xc-admin', matter: '户口迁移', date: hallDay(Date.now(), -1), slot: '10:00-11:00' });
    expect(past).to.deep.equal({ queueStatus: 'refused', queueRefusal: '只能预约今天起 14 天内的日期' });
    const elsewhere = await failure(call(c, 'issue', 'matter', { hallId: 'xc-admin', matter: '机动车登记', date: today(), slot: '10:00-11:00' }));
    expect(elsewhere).to.be.instanceOf(PermanentFailure);
    expect(elsewhere.message).to.contain('NO_SUCH_MATTER');
    const noSlot = await failure(call(c, 'issue', 'slot', { hallId: 'xc-admin', matter: '户口迁移', date: today(), slot: '07:00-08:00' }));
    expect(noSlot).to.be.instanceOf(PermanentFailure);
    expect(noSlot.message).to.contain('has no slot 07:00-08:00');
    expect(await tickets('xc-admin', today())).to.deep.equal([]);
  });

  it('Given a slot’s places taken, then the slot is refused and tells how many are left elsewhere; one ID number holds one active number per hall per day', async () => {
    const c = ctx();
    const date = hallDay(Date.now(), 3);
    const id = (i: number) => `41100219900101${String(1000 + i)}`;
    const booked = await Promise.all(Array.from({ length: 12 }, (_, i) => call(c, 'issue', `slot-${i}`, { hallId: 'xc-admin', matter: '户口迁移', date, slot: '14:00-15:00', idNumber: id(i) })));
    expect(
      booked.filter((b) => b.queueStatus === 'waiting'),
      'the quota of the slot',
    ).to.have.length(adminHall.slotQuota);
    expect(booked.filter((b) => b.queueStatus === 'refused').map((b) => b.queueRefusal)).to.deep.equal(Array(2).fill('所选时段号已约满，请改选其他时段'));
    expect(
      booked
        .filter((b) => b.queueStatus === 'waiting')
        .map((b) => b.queueReferenceTime)
        .sort(),
    ).to.deep.equal(['14:00', '14:06', '14:12', '14:18', '14:24', '14:30', '14:36', '14:42', '14:48', '14:54']);
    const { json: left } = await server.get(`/sim/queue/halls/xc-admin/slots?date=${date}`);
    expect((left as { items: Array<{ slot: string; left: number }> }).items.find((s) => s.slot === '14:00-15:00')).to.include({ left: 0 });
    expect(await call(c, 'slots', 'slots-1', { hallId: 'xc-admin', date })).to.have.nested.property('queueSlots[0].left', adminHall.slotQuota);

    const holder = booked.find((b) => b.queueStatus === 'waiting')!;
    const holderId = id(booked.indexOf(holder));
    const twice = await call(c, 'issue', 'twice', { hallId: 'xc-admin', matter: '身份证办理', date, slot: '15:00-16:00', idNumber: holderId });
    expect(twice).to.deep.equal({ queueStatus: 'refused', queueRefusal: '您当天在该大厅已有有效预约号，每人每天每个大厅限约一个' });
    expect((await call(c, 'issue', 'other-hall', { hallId: 'xc-vehicle', matter: '驾驶证业务', date, slot: '16:00-17:30', idNumber: holderId })).queueStatus, 'another hall').to.equal('waiting');
    expect(
      (await call(c, 'issue', 'other-day', { hallId: 'xc-admin', matter: '身份证办理', date: hallDay(Date.now(), 4), slot: '15:00-16:00', idNumber: holderId })).queueStatus,
      'another day',
    ).to.equal('waiting');
    await call(c, 'cancel', 'cancel-holder', { ticketId: holder.queueTicketId });
    expect((await call(c, 'issue', 'after-cancel', { hallId: 'xc-admin', matter: '身份证办理', date, slot: '15:00-16:00', idNumber: holderId })).queueStatus, 'once cancelled').to.equal('waiting');
  });

  it('Given a booking, then the reminder is the day before at the hall’s hour, unless booked after it, and the number lapses after its slot', async () => {
    const c = ctx();
    const tomorrow = hallDay(Date.now(), 1);
    const early = await call(c, 'issue', 'early', { hallId: 'xc-admin', matter: '户口迁移', date: hallDay(Date.now(), 5), slot: '09:00-10:00' });
    expect(early.queueNoShowAt).to.equal(new Date(hallTime(hallDay(Date.now(), 5), '10:30')).toISOString());
    expect(early.queueRemindAt).to.equal(new Date(hallTime(hallDay(Date.now(), 4), '18:00')).toISOString());
    const late = await call(c, 'issue', 'late', { hallId: 'xc-admin', matter: '户口迁移', date: tomorrow, slot: '09:00-10:00' });
    if (Date.now() >= hallTime(today(), '18:00')) expect(Date.parse(String(late.queueRemindAt)), 'never before the number lapses').to.be.above(Date.parse(String(late.queueNoShowAt)));
    else expect(late.queueRemindAt).to.equal(new Date(hallTime(today(), '18:00')).toISOString());
  });
});
