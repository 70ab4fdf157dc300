/** Anchors copied to a file outside the database, one JSON line each (appended, never rewritten). */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AnchorCopies, AnchorRecord } from '../core/audit.ts';

export class AnchorFile implements AnchorCopies {
  constructor(private readonly file: string) {}

  async append(anchor: Omit<AnchorRecord, 'id'>): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await fs.appendFile(this.file, `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
  }

  async read(): Promise<{ anchors: Array<Omit<AnchorRecord, 'id'>>; unreadable: number[] }> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { anchors: [], unreadable: [] };
      throw err;
    }
    const anchors: Array<Omit<AnchorRecord, 'id'>> = [];
    const unreadable: number[] = [];
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      try {
        const anchor = JSON.parse(line) as Omit<AnchorRecord, 'id'>;
        if (typeof anchor.period === 'string' && typeof anchor.digest === 'string') anchors.push(anchor);
        else unreadable.push(i + 1);
      } catch {
        unreadable.push(i + 1);
      }
    });
    return { anchors, unreadable };
  }
}
