/**
 * The catalog as an XLSX workbook: one sheet per table (named by its Chinese
 * title), a heading row of column titles, then the rows as text — lists
 * joined by commas, switches as 是/否. Reading accepts Chinese or English
 * sheet and column titles, or the tables' and columns' own names.
 */
import readXlsxFile from 'read-excel-file/node';
import writeXlsxFile from 'write-excel-file/node';
import { TABLE_NAMES, TABLES, type Catalog, type Column, type TableName } from '../core/api/catalog.ts';
import { invalid } from '../core/errors.ts';

const columnsOf = (table: TableName) => TABLES[table].columns as readonly Column[];

function cellText(column: Column, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (column.type === 'bool') return value ? '是' : '否';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

export function catalogWorkbook(catalog: Catalog): Promise<Buffer> {
  const sheets = TABLE_NAMES.map((table) => ({
    sheet: TABLES[table].title['zh-CN'],
    data: [
      columnsOf(table).map((c) => ({ value: c.title['zh-CN'], type: String, fontWeight: 'bold' as const })),
      ...catalog[table].map((row) => columnsOf(table).map((c) => ({ value: cellText(c, row[c.name]), type: String }))),
    ],
  }));
  return writeXlsxFile(sheets).toBuffer();
}

const names = (x: { name?: string; title: { 'zh-CN': string; en: string } }, own: string) => [own, x.title['zh-CN'], x.title.en].map((s) => s.toLowerCase());

/** A workbook's sheets as rows of cells by column name; unknown sheets and columns are kept so that validation names them. */
export async function readCatalogWorkbook(name: string, bytes: Buffer): Promise<Partial<Record<string, unknown[]>>> {
  let sheets: Array<{ sheet: string; data: unknown[][] }>;
  try {
    sheets = (await readXlsxFile(bytes)) as Array<{ sheet: string; data: unknown[][] }>;
  } catch (err) {
    throw invalid('body.file', 'xlsx', { 'zh-CN': `${name} 不是可读的 XLSX 文件`, en: `${name} is not a readable XLSX file (${(err as Error).message})` });
  }
  const content: Record<string, unknown[]> = {};
  for (const { sheet, data } of sheets) {
    const table = TABLE_NAMES.find((t) => names(TABLES[t], t).includes(sheet.trim().toLowerCase())) ?? sheet;
    const [heading = [], ...rows] = data;
    const columns = heading.map((h) => {
      const title = String(h ?? '').trim();
      const column = (TABLE_NAMES as string[]).includes(table) ? columnsOf(table as TableName).find((c) => names(c, c.name).includes(title.toLowerCase())) : undefined;
      return column?.name ?? title;
    });
    content[table] = rows
      .filter((cells) => cells.some((c) => c !== null && c !== ''))
      .map((cells) =>
        Object.fromEntries(
          columns
            .map((column, i) => [column, cells[i] === null || cells[i] === undefined ? '' : cells[i] instanceof Date ? (cells[i] as Date).toISOString().slice(0, 10) : String(cells[i])])
            .filter(([column]) => column !== ''),
        ),
      );
  }
  return content;
}
