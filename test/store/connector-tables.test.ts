import { expect } from 'chai';
import type { CallbackRecord } from '../../engine/core/connectors/port.ts';
import { ConnectorTables } from '../../engine/store/connector-tables.ts';
import { describeOnBothStores } from '../support/harness.ts';

describeOnBothStores('connector tables: callbacks', (ctx) => {
  const tables = () => new ConnectorTables(ctx().db.executor);
  const record = (id: string, receivedAt: number): CallbackRecord => ({ id, connector: 'payment', externalId: `notice:${id}`, receivedAt, payload: '{}', outcome: 'received', detail: null });

  it('records a notice once per connector and id', async () => {
    const t = tables();
    expect(await t.insertCallback(record('n1', 1000))).to.equal(true);
    expect(await t.insertCallback({ ...record('n1-again', 1000), externalId: 'notice:n1' })).to.equal(false);
    expect(await t.insertCallback({ ...record('n1-sms', 1000), connector: 'sms', externalId: 'notice:n1' }), 'another connector').to.equal(true);
  });

  it('lets exactly one resend take a failed notice, and a notice whose handler died once it is stale — not one being handled', async () => {
    const t = tables();
    await t.insertCallback(record('f1', 1000));
    await t.finishCallback('f1', 'failed', 'database down');
    const claims = await Promise.all([1, 2, 3, 4].map(() => t.claimCallback('f1', 5000, 4000)));
    expect(claims.filter(Boolean)).to.have.length(1);
    expect((await t.getCallback('payment', 'notice:f1'))!.outcome).to.equal('received');

    await t.insertCallback(record('r1', 10_000));
    expect(await t.claimCallback('r1', 20_000, 5_000), 'still being handled').to.equal(false);
    expect(await t.claimCallback('r1', 50_000, 20_000), 'its handler died').to.equal(true);
    await t.finishCallback('r1', 'delivered', null);
    expect(await t.claimCallback('r1', 90_000, 80_000), 'done is done').to.equal(false);
  });
});
