/** The catalog rows shipped with the product (definitions/catalog/content): the shared tables, then one file per service. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TABLE_NAMES, type Row } from '../definitions/catalog/tables.ts';

const CONTENT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../definitions/catalog/content');

export async function shippedCatalog(): Promise<Record<string, Row[]>> {
  const merged: Record<string, Row[]> = Object.fromEntries(TABLE_NAMES.map((name) => [name, []]));
  const services = (await fs.readdir(path.join(CONTENT, 'services'))).filter((f) => f.endsWith('.json')).sort();
  for (const file of ['shared.json', ...services.map((f) => path.join('services', f))]) {
    const part = JSON.parse(await fs.readFile(path.join(CONTENT, file), 'utf8')) as Record<string, Row[]>;
    for (const [table, rows] of Object.entries(part)) (merged[table] ??= []).push(...rows);
  }
  return merged;
}
