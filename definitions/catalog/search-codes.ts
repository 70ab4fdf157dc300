/**
 * Search codes for the service hall's search box: the pinyin initials of a
 * name (禁行道路通行证 → JXDLTXZ), from pinyin-pro's dictionary, which reads
 * polyphonic characters in context (银行 → YH). Letters and digits in the
 * name are kept; other characters are skipped. Wubi codes need a code table
 * the project does not ship: they are entered by hand.
 */
import { pinyin } from 'pinyin-pro';

export function searchCode(name: string): string {
  const initials = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' });
  return initials
    .join('')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 32);
}

/**
 * Whether a row matches what someone typed: part of its name, or the start of
 * its pinyin or wubi code ("xdj" finds 西大街派出所), case aside.
 */
export function matchesSearch(row: { name?: unknown; pinyin?: unknown; wubi?: unknown }, typed: string): boolean {
  const q = typed.trim().toLowerCase();
  if (!q) return true;
  const name = String(row.name ?? '').toLowerCase();
  const codes = [row.pinyin, row.wubi].map((c) => String(c ?? '').toLowerCase());
  return name.includes(q) || codes.some((c) => c.includes(q));
}
