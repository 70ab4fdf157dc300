/**
 * The service hall on the product as `npm start` wires it (the shipped
 * catalog published at start): an appointment service's time slots with the
 * places left, asked of the queue machine — a booking takes one; a service
 * that books no numbers, a bad date and a machine that does not answer are
 * each told as such, never a 500.
 */
import { expect } from 'chai';
import { hallDay } from '../../connectors/queue-number/halls.ts';
import { startProduct, type Product } from '../support/product.ts';

describe('HTTP API: the service hall’s time slots', function () {
  this.timeout(60_000);
  let p: Product;
  before(async () => {
    p = await startProduct('sqlite', { WORKER: 'true' });
  });
  after(async () => p?.close());

  it('tells the places left in each slot of a day, one fewer once a number is booked', async () => {
    const date = hallDay(Date.now(), 3);
    const before = await p.call('GET', `/api/hall/services/01020/slots?date=${date}`);
    expect(before.status, JSON.stringify(before.body)).to.equal(200);
    expect(before.body).to.deep.include({ hallId: 'xc-admin', date, fields: { date: 'appointmentDate', slot: 'slot' } });
    expect(before.body.items.map((s: { slot: string }) => s.slot)).to.deep.equal([
      '09:00-10:00',
      '10:00-11:00',
      '11:00-12:00',
      '12:00-13:00',
      '13:00-14:00',
      '14:00-15:00',
      '15:00-16:00',
      '16:00-17:00',
    ]);
    expect(before.body.items[1]).to.deep.equal({ slot: '10:00-11:00', quota: 10, left: 10 });

    const citizen = await p.loginCitizen('13800000000');
    const data = { applicantName: '刘芳', idNumber: '11010519491231002X', mobile: '13800000000', matter: '身份证办理', appointmentDate: date, slot: '10:00-11:00', declaration: true };
    expect((await citizen.call('POST', '/api/processes/svc-01020/start-form/submit', { data })).status).to.equal(201);
    for (let i = 0; i < 50; i++) {
      const now = await p.call('GET', `/api/hall/services/01020/slots?date=${date}`);
      if (now.body.items[1].left === 9) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect.fail('the booking did not take a place');
  });

  it('says a service books no numbers, a date is not one, and the machine does not answer', async () => {
    const none = await p.call('GET', `/api/hall/services/04009/slots?date=${hallDay(Date.now(), 1)}`);
    expect([none.status, none.body.error.code]).to.deep.equal([404, 'WF_ERR_SERVICE_NO_SLOTS']);
    const bad = await p.call('GET', '/api/hall/services/01020/slots?date=tomorrow');
    expect([bad.status, bad.body.error.field]).to.deep.equal([400, 'query.date']);
    const admin = await p.login('admin');
    expect((await admin.call('POST', '/sim/queue/_control', { mode: 'fail' })).status).to.equal(200);
    const down = await p.call('GET', `/api/hall/services/01020/slots?date=${hallDay(Date.now(), 1)}`, undefined, { 'accept-language': 'zh-CN' });
    expect([down.status, down.body.error.code, down.body.error.message]).to.deep.equal([503, 'WF_ERR_PROVIDER_UNAVAILABLE', '排号机暂时无法应答，请稍后再试']);
  });
});
