import { expect } from 'chai';
import { uuidV7 } from '../../engine/core/lib/uuid-v7.ts';

describe('uuidV7', () => {
  it('is an RFC 9562 version 7 UUID carrying its millisecond', () => {
    const id = uuidV7(Date.UTC(2026, 11, 1, 8, 0, 0));
    expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).to.equal(Date.UTC(2026, 11, 1, 8, 0, 0));
  });

  it('sorts by time across milliseconds, and 100,000 ids in a row are distinct', () => {
    expect(uuidV7(1_000) < uuidV7(1_001)).to.equal(true);
    expect(uuidV7(0xfffffffffffe) < uuidV7(0xffffffffffff)).to.equal(true);
    const ids = new Set(Array.from({ length: 100_000 }, () => uuidV7()));
    expect(ids.size).to.equal(100_000);
  });
});
