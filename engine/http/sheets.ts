/**
 * An uploaded sheet as rows of text cells: XLSX (the first worksheet) or CSV
 * (RFC 4180 quoting; UTF-8, or GB18030 as Excel in Chinese saves it).
 */
import { readSheet } from 'read-excel-file/node';
import { invalid } from '../core/errors.ts';
import type { Table } from '../core/org/import-table.ts';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export async function readTable(name: string, bytes: Buffer): Promise<Table> {
  if (bytes.subarray(0, 4).equals(ZIP_MAGIC)) {
    try {
      const rows = await readSheet(bytes);
      return rows.map((row) => row.map((cell) => (cell === null ? '' : cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell))));
    } catch (err) {
      throw invalid('body.file', 'xlsx', { 'zh-CN': `${name} 不是可读的 XLSX 文件`, en: `${name} is not a readable XLSX file (${(err as Error).message})` });
    }
  }
  return parseCsv(decodeText(bytes));
}

function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** Fields separated by commas, rows by CR LF or LF; a quoted field may hold commas, newlines and doubled quotes. */
export function parseCsv(text: string): Table {
  const rows: Table = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
