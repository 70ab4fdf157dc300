/**
 * What one user can store: uploads per minute, bytes not yet part of a case,
 * and uploads never bound to a case deleted after their time (a draft keeps
 * the files it refers to for longer).
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { BACKENDS } from '../support/databases.ts';
import { startProduct, type Product, type Session } from '../support/product.ts';
import { needs } from '../support/services.ts';

const HOUR = 3600_000;
const pdf = (size = 64) => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(Math.max(0, size - 16), 0x20), Buffer.from('\n%%EOF\n')]);

async function upload(p: Product, session: Session, bytes: Buffer, name = 'a.pdf'): Promise<{ status: number; body: { id?: string; error?: { code: string; message: string } } }> {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const response = await fetch(`${p.base}/api/files`, { method: 'POST', headers: session.headers, body: form });
  return { status: response.status, body: (await response.json()) as { id?: string } };
}

for (const backend of BACKENDS) {
  describe(`security: upload quotas and expiry [${backend}]`, function () {
    needs(this, backend);
    this.timeout(60_000);
    let p: Product;

    before(async () => {
      p = await startProduct(backend, { UPLOADS_PER_MINUTE: '5', UPLOAD_QUOTA_MB: '1', UPLOAD_TTL_HOURS: '24' });
    });

    after(async () => {
      await p?.close();
    });

    it('takes a few uploads a minute from one user, then answers 429 until the minute is over', async () => {
      const citizen = await p.loginCitizen('13800000555');
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await upload(p, citizen, pdf())).status);
      expect(statuses).to.deep.equal([201, 201, 201, 201, 201, 429, 429]);
      const other = await p.loginCitizen('13800000556');
      expect((await upload(p, other, pdf())).status, 'someone else').to.equal(201);
      p.clock.advance(61_000);
      expect((await upload(p, citizen, pdf())).status, 'a minute later').to.equal(201);
    });

    it('refuses uploads beyond the quota of files not yet part of a case, saying how much that is', async () => {
      const citizen = await p.loginCitizen('13800000557');
      expect((await upload(p, citizen, pdf(600 * 1024))).status).to.equal(201);
      const over = await upload(p, citizen, pdf(600 * 1024));
      expect(over.status).to.equal(413);
      expect(over.body.error).to.include({ code: 'WF_ERR_UPLOAD_QUOTA' });
      expect(over.body.error!.message).to.include('1 MB');
    });

    it('deletes an upload never bound to a case a day later, bytes and all; one a draft refers to stays', async () => {
      let citizen = await p.loginCitizen('13800000558');
      p.clock.advance(61_000);
      const loose = (await upload(p, citizen, pdf())).body.id!;
      const kept = (await upload(p, citizen, Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), 'photo.png')).body.id!;
      const form = await citizen.call('GET', '/api/processes/road-pass/start-form');
      expect(form.status).to.equal(200);
      const draft = await citizen.call('PUT', '/api/processes/road-pass/start-form/draft', { data: { applicantType: 'personal', materials: { 'id-card': { files: [kept] } } } });
      expect(draft.status, JSON.stringify(draft.body)).to.equal(200);
      const stored = (id: string) => p.server.db.executor.select('SELECT storage_key FROM wf_files WHERE id = $1', [id]);
      const looseKey = String((await stored(loose))[0]!.storage_key);
      const blob = path.join(path.resolve(p.server.config.filesDir), looseKey);
      expect(fs.existsSync(blob)).to.equal(true);

      p.clock.advance(23 * HOUR);
      await p.server.scheduler.runUntilIdle();
      citizen = await p.loginCitizen('13800000558'); // the session ended meanwhile
      expect((await citizen.call('GET', `/api/files/${loose}`)).status, 'within the day').to.equal(200);

      p.clock.advance(2 * HOUR);
      await p.server.scheduler.runUntilIdle();
      citizen = await p.loginCitizen('13800000558');
      expect((await citizen.call('GET', `/api/files/${loose}`)).status, 'after the day').to.equal(404);
      expect(await stored(loose)).to.deep.equal([]);
      expect(fs.existsSync(blob), 'the bytes went too').to.equal(false);
      expect((await citizen.call('GET', `/api/files/${kept}`)).status, 'the draft keeps its file').to.equal(200);
    });
  });
}
