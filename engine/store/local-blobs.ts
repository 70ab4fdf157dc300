import fs from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from '../core/ports.ts';

/**
 * Uploaded bytes in a local directory: written to a temporary name, then
 * renamed, so a crash never leaves half a file. Readable by this user only
 * (files 0600, folders 0700): they are citizens' documents.
 */
export class LocalBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  async put(key: string, bytes: Buffer): Promise<void> {
    const file = this.#path(key);
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    await fs.writeFile(temporary, bytes, { flag: 'wx', mode: 0o600 });
    await fs.rename(temporary, file);
  }

  get(key: string): Promise<Buffer> {
    return fs.readFile(this.#path(key));
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.#path(key), { force: true });
  }

  #path(key: string): string {
    if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/.test(key) || key.includes('..')) throw new Error(`invalid blob key ${key}`);
    return path.join(this.root, key);
  }
}
