/**
 * Catalog rows checked as a whole: each cell against its column (coerced from
 * the text a sheet holds), then the rules between rows — unique keys and
 * names, references, the flow's nodes and jumps. Every problem names the
 * table, the row (its key, and its position when it came in a list) and the
 * column, in both languages.
 */
import { t, type LocalizedText } from '../../forms/model.ts';
import { namesIn } from '../bpmn/texts.ts';
import { parseInputs } from './inputs.ts';
import { searchCode } from './search-codes.ts';
import { columnOf, GUIDE_ITEMS, OPERATORS, rowKey, TABLE_NAMES, TABLES, type Catalog, type Column, type Row, type TableName } from './tables.ts';

export interface CatalogProblem {
  table: TableName;
  /** The row's key (`04009/3`), or null when the row has none yet. */
  key: string | null;
  /** 1-based position of the row in the list it came in. */
  row: number;
  column: string | null;
  message: LocalizedText;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const TRUE = new Set(['1', 'true', '是', 'y', 'yes']);
const FALSE = new Set(['0', 'false', '否', 'n', 'no', '']);

export class Problems {
  readonly list: CatalogProblem[] = [];
  /** Where a row stood in the list it came in (an import's), when not where it stands in the catalog. */
  constructor(private readonly positionOf: (table: TableName, key: string) => number | undefined = () => undefined) {}
  add(table: TableName, position: number, row: Row | null, column: string | null, message: LocalizedText): void {
    const key = row && TABLES[table].key.every((c) => row[c] !== undefined && row[c] !== '') ? rowKey(table, row) : null;
    const index = (key !== null ? this.positionOf(table, key) : undefined) ?? position;
    const at = (lang: 'zh-CN' | 'en') => {
      const col = column ? columnOf(table, column)?.title[lang] : null;
      const where = lang === 'zh-CN' ? `${TABLES[table].title[lang]} 第 ${index + 1} 行${key ? `（${key}）` : ''}` : `${TABLES[table].title[lang]} row ${index + 1}${key ? ` (${key})` : ''}`;
      return col ? (lang === 'zh-CN' ? `${where}「${col}」` : `${where}, ${col}`) : where;
    };
    this.list.push({ table, key, row: index + 1, column, message: { 'zh-CN': `${at('zh-CN')}：${message['zh-CN']}`, en: `${at('en')}: ${message.en}` } });
  }
}

export const problemsOf = () => new Problems();

/** One cell from a sheet or JSON as its column's type; a problem's message when it cannot be. */
export function coerceCell(column: Column, value: unknown): { value: unknown } | { problem: LocalizedText } {
  const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  if (empty) {
    if (column.required) return { problem: t('必填', 'is required') };
    return { value: column.default ?? (column.type === 'list' ? [] : null) };
  }
  const text = typeof value === 'string' ? value.trim() : value;
  switch (column.type) {
    case 'code':
      return typeof text === 'string' && CODE.test(text)
        ? { value: text }
        : typeof text === 'number' && Number.isInteger(text)
          ? { value: String(text) }
          : { problem: t('只能是字母、数字、- 和 _（最多 32 个）', 'must be letters, digits, - and _ (32 at most)') };
    case 'text': {
      const s = String(text);
      if (column.max && s.length > column.max) return { problem: t(`不能超过 ${column.max} 个字`, `must be at most ${column.max} characters`) };
      return { value: s };
    }
    case 'int':
    case 'money': {
      const n = typeof text === 'number' ? text : Number(text);
      if (!Number.isFinite(n)) return { problem: t('应为数字', 'must be a number') };
      if (column.type === 'int' && !Number.isInteger(n)) return { problem: t('应为整数', 'must be a whole number') };
      if (column.type === 'money' && Math.round(n * 100) !== Number((n * 100).toPrecision(12))) return { problem: t('最多两位小数', 'must have at most two decimals') };
      if (column.min !== undefined && n < column.min) return { problem: t(`不能小于 ${column.min}`, `must be at least ${column.min}`) };
      if (column.max !== undefined && n > column.max) return { problem: t(`不能大于 ${column.max}`, `must be at most ${column.max}`) };
      return { value: n };
    }
    case 'bool': {
      if (typeof text === 'boolean') return { value: text };
      const s = String(text).toLowerCase();
      if (TRUE.has(s)) return { value: true };
      if (FALSE.has(s)) return { value: false };
      return { problem: t('应为“是”或“否”', 'must be yes or no') };
    }
    case 'enum': {
      const s = String(text);
      const found = column.values?.find((v) => v.value === s || v.label['zh-CN'] === s || v.label.en === s);
      return found ? { value: found.value } : { problem: t(`应为 ${column.values!.map((v) => v.value).join('、')} 之一`, `must be one of ${column.values!.map((v) => v.value).join(', ')}`) };
    }
    case 'list': {
      const items = Array.isArray(text) ? text.map(String) : String(text).split(/[,，]/);
      const codes = items.map((s) => s.trim()).filter(Boolean);
      const bad = codes.find((c) => !CODE.test(c));
      return bad === undefined ? { value: codes } : { problem: t(`「${bad}」不是有效的编号`, `"${bad}" is not a valid code`) };
    }
  }
}

/** A row with every column of its table, coerced; unknown columns are problems. */
function normalizeRow(table: TableName, raw: Row, index: number, problems: Problems): Row {
  const row: Row = {};
  for (const column of TABLES[table].columns as readonly Column[]) {
    const result = coerceCell(column, raw[column.name]);
    if ('problem' in result) problems.add(table, index, raw, column.name, result.problem);
    else row[column.name] = result.value;
    if (column.generated && !row[column.name] && typeof raw.name === 'string') row[column.name] = searchCode(raw.name);
  }
  for (const name of Object.keys(raw)) if (!columnOf(table, name)) problems.add(table, index, raw, null, t(`没有「${name}」这一列`, `has no column "${name}"`));
  return row;
}

/** Coerce each cell of each table's rows (positions as given); unknown tables and columns are problems. */
export function normalizeTables(input: Partial<Record<string, unknown>>): { catalog: Catalog; problems: CatalogProblem[] } {
  const problems = new Problems();
  const catalog = {} as Catalog;
  for (const table of TABLE_NAMES) {
    const rows = input[table] ?? [];
    catalog[table] = Array.isArray(rows) ? rows.map((raw, i) => normalizeRow(table, raw && typeof raw === 'object' ? (raw as Row) : {}, i, problems)) : [];
  }
  for (const name of Object.keys(input))
    if (!(TABLE_NAMES as string[]).includes(name))
      problems.list.push({ table: name as TableName, key: null, row: 0, column: null, message: t(`没有「${name}」这张表`, `there is no table "${name}"`) });
  return { catalog, problems: problems.list };
}

/**
 * The rules between the rows of a normalised catalog. Rows of `incoming` (the
 * edit or import being checked) are numbered by their place in it.
 */
export function checkCatalog(catalog: Catalog, incoming?: Catalog): CatalogProblem[] {
  const positions = new Map(TABLE_NAMES.map((table) => [table, new Map((incoming?.[table] ?? []).map((row, i) => [rowKey(table, row), i]))]));
  const problems = new Problems((table, key) => positions.get(table)?.get(key));
  checkRelations(catalog, problems);
  return problems.list;
}

/** Coerce and check a whole catalog; returns the normalised rows and every problem found. */
export function validateCatalog(input: Partial<Record<string, unknown>>): { catalog: Catalog; problems: CatalogProblem[] } {
  const { catalog, problems } = normalizeTables(input);
  return { catalog, problems: problems.length ? problems : checkCatalog(catalog) };
}

/** The rules between rows. */
function checkRelations(catalog: Catalog, problems: Problems): void {
  for (const table of TABLE_NAMES) {
    const seen = new Set<string>();
    catalog[table].forEach((row, i) => {
      const key = rowKey(table, row);
      if (seen.has(key)) problems.add(table, i, row, TABLES[table].key.at(-1)!, t('与前面的行重复', 'repeats an earlier row'));
      seen.add(key);
    });
    // References to shared tables, and to the same service's rows.
    for (const column of TABLES[table].columns as readonly Column[]) {
      if (!column.ref) continue;
      const target = column.ref as TableName;
      const scoped = TABLES[target].perService;
      catalog[table].forEach((row, i) => {
        const values: string[] = column.type === 'list' ? row[column.name] : row[column.name] ? [row[column.name]] : [];
        for (const value of values) {
          const found = catalog[target].some((other) => (scoped ? other.service === row.service && other.code === value : rowKey(target, other) === value));
          if (!found) problems.add(table, i, row, column.name, t(`「${value}」不在${TABLES[target].title['zh-CN']}中`, `"${value}" is not in ${TABLES[target].title.en}`));
        }
      });
    }
  }
  unique(catalog, 'classes', 'name', problems);
  unique(catalog, 'services', 'name', problems);
  catalog.classes.forEach((row, i) => {
    if (!/^(0[1-9]|[1-9]\d)$/.test(row.code)) problems.add('classes', i, row, 'code', t('应为 01–99 的两位数字', 'must be two digits, 01–99'));
  });
  catalog.offices.forEach((row, i) => {
    if (!/^\d{6}$/.test(row.region)) problems.add('offices', i, row, 'region', t('应为 6 位行政区划代码', 'must be a 6-digit region code'));
  });
  catalog.guides.forEach((row, i) => {
    if (!GUIDE_CODES.has(row.item) && !row.title) problems.add('guides', i, row, 'title', t('自定义指南项需要标题', 'an item of its own needs a title'));
  });
  catalog.services.forEach((row, i) => {
    if (row.defaultOffice && row.offices.length && !row.offices.includes(row.defaultOffice)) problems.add('services', i, row, 'defaultOffice', t('应在可选办理单位之中', 'must be one of the offices'));
  });
  catalog.operations.forEach((row, i) => {
    if (row.topic && !/^[a-z][a-z0-9-]*\.[A-Za-z][A-Za-z0-9]*$/.test(row.topic))
      problems.add('operations', i, row, 'topic', t('应写作 连接器.操作，如 payment.createOrder', 'must read connector.operation, e.g. payment.createOrder'));
    if (row.category === 'system' && !row.topic) problems.add('operations', i, row, 'topic', t('系统操作必填', 'is required for a system operation'));
    if (parseInputs(row.inputs) === null) problems.add('operations', i, row, 'inputs', t('应为 JSON 对象，如 {"phone": "${mobile}"}', 'must be a JSON object, e.g. {"phone": "${mobile}"}'));
    if (row.correlation && !row.awaitMessage) problems.add('operations', i, row, 'correlation', t('只在等待消息时使用', 'is used only with a message to wait for'));
  });
  checkFields(catalog, problems);
  checkResults(catalog, problems);
  checkReviewChecks(catalog, problems);
  checkFlow(catalog, problems);
}

const GUIDE_CODES = new Set(GUIDE_ITEMS.map(([code]) => code));

function unique(catalog: Catalog, table: TableName, column: string, problems: Problems): void {
  const seen = new Map<string, number>();
  catalog[table].forEach((row, i) => {
    const value = String(row[column]);
    if (seen.has(value)) problems.add(table, i, row, column, t(`「${value}」已被第 ${seen.get(value)! + 1} 行使用`, `"${value}" is already used by row ${seen.get(value)! + 1}`));
    else seen.set(value, i);
  });
}

/** Field names the compiled form adds itself: a service's fields may not take them. */
export const RESERVED_FIELDS = new Set([
  'office',
  'materialClass',
  'materials',
  'sendMethod',
  'returnMethod',
  'recipientName',
  'recipientMobile',
  'recipientIdNumber',
  'recipientAddress',
  'recipientPostcode',
  'productionFee',
  'courierFee',
  'totalFee',
  'declaration',
  'originalsAddress',
  'reviewResult',
  'reviewComment',
  'failedChecks',
  'correctionFields',
  'correctionItems',
  'approvalResult',
  'approvalComment',
  'applicant',
]);

function checkFields(catalog: Catalog, problems: Problems): void {
  catalog.fields.forEach((row, i) => {
    if (!/^[a-z][A-Za-z0-9]{0,39}$/.test(row.key)) problems.add('fields', i, row, 'key', t('应以小写字母开头，只含字母和数字', 'must start with a lower-case letter and hold only letters and digits'));
    else if (RESERVED_FIELDS.has(row.key)) problems.add('fields', i, row, 'key', t(`「${row.key}」由系统生成，请换一个名称`, `"${row.key}" is generated by the compiler; pick another name`));
    const choosing = ['select', 'radio', 'checkbox'].includes(row.control);
    if (choosing && !row.choices && !row.dictionary) problems.add('fields', i, row, 'choices', t('选择类控件需要可选值或字典', 'a choice control needs choices or a dictionary'));
    if (row.choices && parseChoices(row.choices) === null) problems.add('fields', i, row, 'choices', t('应写作 值:名称|值:名称', 'must read value:label|value:label'));
    if (row.requiredWhen) {
      const when = parseCondition(row.requiredWhen);
      if (!when) problems.add('fields', i, row, 'requiredWhen', t('应写作 属性=值，如 processResult=failure', 'must read field=value, e.g. processResult=failure'));
      else if (when.field === row.key || !catalog.fields.some((f) => f.service === row.service && f.key === when.field))
        problems.add('fields', i, row, 'requiredWhen', t(`本业务没有另一个属性「${when.field}」`, `the service has no other field "${when.field}"`));
    }
    if (row.validation === 'regex') {
      if (!row.pattern) problems.add('fields', i, row, 'pattern', t('校验类型为正则表达式时必填', 'is required when the validation is a regular expression'));
      else if (!validRegex(row.pattern)) problems.add('fields', i, row, 'pattern', t('不是有效的正则表达式', 'is not a valid regular expression'));
    }
  });
}

/** A service's result names only what its case holds: its fields, what the compiler adds, what its operations set. */
function checkResults(catalog: Catalog, problems: Problems): void {
  catalog.services.forEach((row, i) => {
    if (!row.result) return;
    const operations = new Set(catalog.nodes.filter((n) => n.service === row.number).flatMap((n) => (n.operations as string[] | undefined) ?? []));
    const known = new Set([
      ...RESERVED_FIELDS,
      ...catalog.fields.filter((f) => f.service === row.number).map((f) => f.key as string),
      ...catalog.operations.filter((o) => operations.has(o.code)).flatMap((o) => (o.outputs as string[] | undefined) ?? []),
    ]);
    const unknown = (row.result as string)
      .split('\n')
      .flatMap(namesIn)
      .filter((name) => !known.has(name));
    if (unknown.length) problems.add('services', i, row, 'result', t(`本业务没有属性或操作输出「${unknown.join('、')}」`, `the service has no field or operation output "${unknown.join('", "')}"`));
  });
}

/** `field=value`: a condition on another field of the form, or null when malformed. */
export function parseCondition(text: string): { field: string; value: string } | null {
  const match = /^\s*([a-z][A-Za-z0-9]{0,39})\s*=\s*(\S(?:.*\S)?)\s*$/.exec(text);
  return match ? { field: match[1]!, value: match[2]! } : null;
}

/**
 * `value:label|value:label` (a bare value is its own label), or null when
 * malformed. A colon between two digits belongs to the value, so that times
 * (`09:00-10:00`) need no label.
 */
export function parseChoices(text: string): Array<{ value: string; label: string }> | null {
  const items = text.split('|').map((part) => {
    const at = part.search(/(?<!\d):|:(?!\d)/);
    const value = (at < 0 ? part : part.slice(0, at)).trim();
    return { value, label: (at < 0 ? value : part.slice(at + 1)).trim() };
  });
  return items.every((item) => item.value && item.label) ? items : null;
}

function validRegex(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

function checkReviewChecks(catalog: Catalog, problems: Problems): void {
  catalog.reviewChecks.forEach((row, i) => {
    const found = row.target === 'field' ? catalog.fields.some((f) => f.service === row.service && f.key === row.ref) : catalog.materials.some((m) => m.service === row.service && m.code === row.ref);
    if (!found) problems.add('reviewChecks', i, row, 'ref', t(`本业务没有${row.target === 'field' ? '属性' : '材料'}「${row.ref}」`, `the service has no ${row.target} "${row.ref}"`));
  });
}

/** System variables a decision may branch on besides the service's fields. */
export const DECISION_VARIABLES = new Set(['paymentStatus', 'totalFee', 'productionFee', 'courierFee', 'reviewResult', 'approvalResult', 'returnMethod', 'sendMethod', 'materialClass', 'office']);

function checkFlow(catalog: Catalog, problems: Problems): void {
  const active = (row: Row) => row.status !== '0';
  for (const service of catalog.services) {
    const nodes = catalog.nodes.filter((n) => n.service === service.number && active(n));
    const seqs = new Set(nodes.map((n) => n.seq as number));
    // what the service's system operations set (a query's answer) may be branched on too
    const outputs = new Set(nodes.flatMap((n) => (n.operations as string[]).flatMap((code) => (catalog.operations.find((o) => o.code === code)?.outputs as string[] | undefined) ?? [])));
    const at = (row: Row) => catalog.nodes.indexOf(row);
    const jump = (row: Row, column: string) => {
      const to = row[column];
      if (to !== null && to !== undefined && !seqs.has(to)) problems.add('nodes', at(row), row, column, t(`本业务没有启用的第 ${to} 号节点`, `the service has no active node ${to}`));
      if (to === row.seq) problems.add('nodes', at(row), row, column, t('不能转到自身', 'cannot lead to itself'));
    };
    const clerksAct = nodes.some(
      (n) => n.type === 'approval' || (n.type === 'normal' && (n.operations as string[]).some((op) => catalog.operations.find((o) => o.code === op)?.category === 'police')),
    );
    if (clerksAct && !service.defaultOffice && !service.offices.length)
      problems.add(
        'services',
        catalog.services.indexOf(service),
        service,
        'defaultOffice',
        t('有警员办理的节点时必填（由该单位的民警办理）', 'is required when clerks act on the flow (the office’s clerks do)'),
      );
    for (const node of nodes) {
      jump(node, 'next');
      jump(node, 'failNext');
      jump(node, 'timeoutNext');
      if (node.type === 'decision') {
        if (!node.decisionField) problems.add('nodes', at(node), node, 'decisionField', t('判断节点必填', 'is required on a decision node'));
        else if (!DECISION_VARIABLES.has(node.decisionField) && !catalog.fields.some((f) => f.service === service.number && f.key === node.decisionField) && !outputs.has(node.decisionField))
          problems.add('nodes', at(node), node, 'decisionField', t(`本业务没有属性「${node.decisionField}」`, `the service has no field "${node.decisionField}"`));
        if (!catalog.rules.some((r) => r.service === service.number && r.node === node.seq && active(r)))
          problems.add('nodes', at(node), node, null, t('判断节点至少需要一条启用的判断规则', 'a decision node needs at least one active rule'));
      }
      if (node.type === 'approval' && !catalog.approvals.some((a) => a.service === service.number && a.node === node.seq && active(a)))
        problems.add('nodes', at(node), node, null, t('审批节点至少需要一个审批岗位', 'an approval node needs at least one approver post'));
      if (node.timeoutNext && !node.timeoutDays) problems.add('nodes', at(node), node, 'timeoutDays', t('设置了超时转至时必填', 'is required when a timeout target is set'));
      if (node.type === 'normal' && node.operations.length === 0 && node.next !== null)
        problems.add('nodes', at(node), node, 'operations', t('没有操作的节点是流程的终点，不能有下一节点', 'a node without operations ends the flow and has no next node'));
      const categories = new Set<string>(node.operations.map((op: string) => catalog.operations.find((o) => o.code === op)?.category));
      if (categories.size > 1)
        problems.add('nodes', at(node), node, 'operations', t('一个节点的操作应属同一类别（警员、群众或系统）', "a node's operations must all be police's, citizen's or the system's"));
    }
    catalog.rules.forEach((rule, i) => {
      if (rule.service !== service.number) return;
      const node = nodes.find((n) => n.seq === rule.node);
      if (!node || node.type !== 'decision') problems.add('rules', i, rule, 'node', t(`第 ${rule.node} 号节点不是启用的判断节点`, `node ${rule.node} is not an active decision node`));
      if (rule.next !== null && !seqs.has(rule.next)) problems.add('rules', i, rule, 'next', t(`本业务没有启用的第 ${rule.next} 号节点`, `the service has no active node ${rule.next}`));
      if ((OPERATORS as readonly string[]).slice(2).includes(rule.operator) && !Number.isFinite(Number(rule.value)))
        problems.add('rules', i, rule, 'value', t('比较大小时应为数字', 'must be a number for this operator'));
    });
    catalog.events.forEach((row, i) => {
      if (row.service !== service.number || !active(row)) return;
      if (!nodes.some((n) => n.seq === row.node)) problems.add('events', i, row, 'node', t(`本业务没有启用的第 ${row.node} 号节点`, `the service has no active node ${row.node}`));
      if (row.kind === 'message' && !row.message) problems.add('events', i, row, 'message', t('收到消息的事件必填', 'is required for a message event'));
      if (row.kind === 'time' && !row.at) problems.add('events', i, row, 'at', t('到达时间的事件必填', 'is required for a time event'));
      if (row.continues && !row.sms) problems.add('events', i, row, 'sms', t('节点继续等待时，事件只发短信，必填', 'is required when the node keeps waiting: the event only sends an SMS'));
      if (row.continues && row.next !== null) problems.add('events', i, row, 'next', t('节点继续等待时不转至其他节点', 'a node that keeps waiting does not lead elsewhere'));
      if (row.next !== null && !seqs.has(row.next)) problems.add('events', i, row, 'next', t(`本业务没有启用的第 ${row.next} 号节点`, `the service has no active node ${row.next}`));
    });
    catalog.approvals.forEach((row, i) => {
      if (row.service !== service.number) return;
      const node = nodes.find((n) => n.seq === row.node);
      if (!node || node.type !== 'approval') problems.add('approvals', i, row, 'node', t(`第 ${row.node} 号节点不是启用的审批节点`, `node ${row.node} is not an active approval node`));
    });
  }
  catalog.nodes.forEach((row, i) => {
    if (!catalog.services.some((s) => s.number === row.service)) return; // the reference check said so
    if (row.type !== 'decision' && catalog.rules.some((r) => r.service === row.service && r.node === row.seq) && active(row))
      problems.add('nodes', i, row, 'type', t('有判断规则的节点应为判断节点', 'a node with decision rules must be a decision node'));
  });
}
