/**
 * The service catalog's tables (catalog.md): each table's columns, once, for
 * everything that reads or writes rows — validation, JSON and XLSX import
 * and export, the editor's grids. A row is a plain object keyed by column
 * name; a service's own rows carry its number in `service`.
 */
import { t, type LocalizedText } from '../../forms/model.ts';

export type ColumnType =
  /** Letters, digits, `-` and `_`: the id other rows refer to. */
  | 'code'
  | 'text'
  | 'int'
  /** Yuan, two decimals at most. */
  | 'money'
  | 'bool'
  | 'enum'
  /** Codes separated by commas (a JSON array in JSON). */
  | 'list';

export interface Column {
  name: string;
  title: LocalizedText;
  type: ColumnType;
  required?: boolean;
  /** Longest text, in characters. */
  max?: number;
  min?: number;
  /** For `enum`: the values, with their labels. */
  values?: ReadonlyArray<{ value: string; label: LocalizedText }>;
  /** The table whose rows a code or list refers to (a TableName); a service's own rows are looked up within the service. */
  ref?: string;
  /** Filled in from the row when left empty (a search code from the name). */
  generated?: boolean;
  default?: unknown;
}

export interface TableSpec {
  title: LocalizedText;
  /** The columns naming a row; unique within the table. */
  key: readonly string[];
  /** Rows belonging to one service. */
  perService: boolean;
  columns: readonly Column[];
}

const STATUS: Column = {
  name: 'status',
  title: t('启用状态', 'Active'),
  type: 'enum',
  values: [
    { value: '1', label: t('启用', 'active') },
    { value: '0', label: t('停用', 'inactive') },
  ],
  default: '1',
};
const SERVICE: Column = { name: 'service', title: t('业务编号', 'Service number'), type: 'code', required: true, ref: 'services' };
const SEARCH_CODES: Column[] = [
  { name: 'pinyin', title: t('拼音码', 'Pinyin code'), type: 'text', max: 32, generated: true },
  { name: 'wubi', title: t('五笔码', 'Wubi code'), type: 'text', max: 32 },
];
const code = (title: LocalizedText): Column => ({ name: 'code', title, type: 'code', required: true });
const name = (title: LocalizedText, max = 60): Column => ({ name: 'name', title, type: 'text', required: true, max });
const text = (column: string, title: LocalizedText, max = 500): Column => ({ name: column, title, type: 'text', max });
const order: Column = { name: 'order', title: t('顺序', 'Order'), type: 'int', min: 0, max: 9999, default: 0 };
const bool = (column: string, title: LocalizedText, value: boolean): Column => ({ name: column, title, type: 'bool', default: value });
const enumOf = (column: string, title: LocalizedText, values: Array<[string, string, string]>, extra: Partial<Column> = {}): Column => ({
  name: column,
  title,
  type: 'enum',
  values: values.map(([value, zh, en]) => ({ value, label: t(zh, en) })),
  ...extra,
});
const nodeRef = (column: string, title: LocalizedText): Column => ({ name: column, title, type: 'int', min: 1, max: 999 });

/** The guide's thirteen items (业务指南), in their order; a service may add its own. */
export const GUIDE_ITEMS: Array<[string, string, string]> = [
  ['basis', '办事依据', 'Legal basis'],
  ['authority', '决定机构', 'Deciding authority'],
  ['conditions', '办事条件', 'Conditions'],
  ['materials', '申请材料', 'Materials'],
  ['process', '办理流程', 'Process'],
  ['timeLimit', '办理时限', 'Time limit'],
  ['fees', '收费情况', 'Fees'],
  ['supervision', '监督检查', 'Supervision'],
  ['enquiry', '咨询渠道', 'Enquiries'],
  ['accountability', '责任追究', 'Accountability'],
  ['hours', '办公时间', 'Office hours'],
  ['directions', '乘车路线', 'Directions'],
  ['notes', '备注', 'Notes'],
];

export const CONTROLS: Array<[string, string, string]> = [
  ['text', '文本', 'text'],
  ['textarea', '多行文本', 'multi-line text'],
  ['number', '数字', 'number'],
  ['money', '金额', 'money'],
  ['date', '日期', 'date'],
  ['dateRange', '日期范围', 'date range'],
  ['select', '下拉选择', 'select'],
  ['radio', '单选', 'radio'],
  ['checkbox', '多选', 'checkboxes'],
  ['switch', '开关', 'switch'],
  ['region', '行政区划', 'region'],
  ['idNumber', '身份证号', 'ID number'],
  ['mobile', '手机号', 'mobile'],
  ['plate', '号牌号码', 'plate number'],
  ['file', '附件', 'file'],
];

export const VALIDATIONS: Array<[string, string, string]> = [
  ['idNumber', '18 位身份证号（含校验位）', '18-digit ID number with checksum'],
  ['mobile', '手机号码', 'mobile number'],
  ['plate', '号牌号码', 'plate number'],
  ['email', '电子邮箱', 'e-mail'],
  ['postcode', '邮政编码', 'postcode'],
  ['regex', '正则表达式', 'regular expression'],
];

export const OPERATORS = ['=', '!=', '>', '>=', '<', '<='] as const;

export const TABLES = {
  classes: {
    title: t('业务类', 'Business classes'),
    key: ['code'],
    perService: false,
    columns: [
      { name: 'code', title: t('业务类编号', 'Class code'), type: 'code', required: true },
      name(t('业务类名称', 'Class name'), 30),
      STATUS,
      { name: 'logo', title: t('图标', 'Logo'), type: 'code', ref: 'images' },
      text('introduction', t('简介', 'Introduction')),
      ...SEARCH_CODES,
    ],
  },
  services: {
    title: t('业务', 'Services'),
    key: ['number'],
    perService: false,
    columns: [
      { name: 'number', title: t('业务编号', 'Service number'), type: 'code', required: true },
      name(t('业务名称', 'Service name')),
      { name: 'class', title: t('业务类', 'Business class'), type: 'code', required: true, ref: 'classes' },
      enumOf(
        'type',
        t('业务类型', 'Type'),
        [
          ['1', '网上办理', 'online processing'],
          ['2', '预约办理', 'appointment'],
          ['3', '业务查询', 'query only'],
        ],
        { required: true },
      ),
      { name: 'fee', title: t('办理资费（元）', 'Fee (yuan)'), type: 'money', min: 0, default: 0 },
      { name: 'courierFee', title: t('邮政速递费（元）', 'EMS fee (yuan)'), type: 'money', min: 0, default: 0 },
      { name: 'timeLimitDays', title: t('办理时限（工作日）', 'Time limit (working days)'), type: 'int', min: 0, max: 365, default: 0 },
      { name: 'supervisionDays', title: t('督办天数', 'Supervision days'), type: 'int', min: 0, max: 365, default: 0 },
      enumOf(
        'identityLevel',
        t('实名认证等级', 'Identity level'),
        [
          ['0', '无需认证', 'none'],
          ['1', '一级（姓名、身份证号、手机）', 'level 1 (name, ID, phone)'],
          ['2', '二级（人像比对）', 'level 2 (face comparison)'],
          ['3', '三级（网证＋读卡＋人像）', 'level 3 (network ID, card, face)'],
        ],
        { default: '1' },
      ),
      bool('needsMaterials', t('是否需要材料', 'Needs materials'), true),
      bool('returnsMaterials', t('是否回寄材料', 'Returns materials'), false),
      bool('needsApproval', t('是否审批', 'Needs approval'), false),
      bool('web', t('网站渠道', 'Web channel'), true),
      bool('app', t('App 渠道', 'App channel'), true),
      bool('miniProgram', t('小程序渠道', 'Mini-program channel'), true),
      enumOf(
        'status',
        t('开通状态', 'Status'),
        [
          ['1', '开通', 'open'],
          ['0', '关闭', 'closed'],
        ],
        { default: '1' },
      ),
      { name: 'defaultOffice', title: t('默认办理单位', 'Default office'), type: 'code', ref: 'offices' },
      { name: 'offices', title: t('可选办理单位', 'Offices'), type: 'list', ref: 'offices' },
      { name: 'clerkPost', title: t('经办岗位', "Clerks' post"), type: 'code', default: 'clerk' },
      text('category', t('分类', 'Category'), 30),
      text('introduction', t('业务介绍', 'Introduction'), 2000),
      text('hint', t('卡通提示', 'Hint'), 200),
      // One way per line, {属性} filled from the case: the first whose values are all known is shown.
      text('result', t('办理结果（给申请人看）', 'Result (shown to the applicant)'), 1000),
      ...SEARCH_CODES,
    ],
  },
  guides: {
    title: t('业务指南', 'Service guides'),
    key: ['service', 'item'],
    perService: true,
    columns: [
      SERVICE,
      { name: 'item', title: t('指南项', 'Item'), type: 'code', required: true },
      { name: 'title', title: t('标题（自定义项）', 'Title (own items)'), type: 'text', max: 30 },
      order,
      { name: 'content', title: t('内容', 'Content'), type: 'text', required: true, max: 4000 },
    ],
  },
  offices: {
    title: t('办理单位', 'Handling offices'),
    key: ['code'],
    perService: false,
    columns: [
      { name: 'code', title: t('单位编号', 'Office code'), type: 'code', required: true },
      { name: 'region', title: t('行政区划代码', 'Region code'), type: 'text', required: true, max: 6 },
      name(t('单位名称', 'Office name'), 60),
      STATUS,
      { name: 'department', title: t('对应部门', 'Department'), type: 'code' },
      text('address', t('地址', 'Address'), 200),
      text('phone', t('电话', 'Phone'), 20),
      text('postcode', t('邮编', 'Postcode'), 6),
      ...SEARCH_CODES,
    ],
  },
  fields: {
    title: t('属性', 'Fields'),
    key: ['service', 'key'],
    perService: true,
    columns: [
      SERVICE,
      { name: 'key', title: t('属性名', 'Field name'), type: 'code', required: true },
      order,
      { name: 'label', title: t('显示名称', 'Label'), type: 'text', required: true, max: 30 },
      { name: 'labelEn', title: t('英文名称', 'English label'), type: 'text', max: 60 },
      { name: 'length', title: t('存储长度', 'Length'), type: 'int', min: 1, max: 4000 },
      bool('nullable', t('可为空', 'May be empty'), true),
      { name: 'requiredWhen', title: t('必填条件（属性=值）', 'Required when (field=value)'), type: 'text', max: 200 },
      enumOf('control', t('控件类型', 'Control'), CONTROLS, { required: true }),
      { name: 'choices', title: t('可选值（值:名称|…）', 'Choices (value:label|…)'), type: 'text', max: 2000 },
      { name: 'dictionary', title: t('字典', 'Dictionary'), type: 'code' },
      enumOf('validation', t('校验类型', 'Validation'), VALIDATIONS),
      text('pattern', t('正则表达式', 'Pattern'), 200),
      text('inputHint', t('输入提示', 'Input hint'), 100),
      text('emptyHint', t('为空提示', 'Empty-value hint'), 100),
      text('default', t('默认值', 'Default'), 200),
      bool('enabled', t('启用', 'Enabled'), true),
    ],
  },
  states: {
    title: t('状态', 'States'),
    key: ['code'],
    perService: false,
    columns: [
      code(t('状态编号', 'State code')),
      name(t('状态名称', 'State name'), 20),
      { name: 'logo', title: t('图标', 'Logo'), type: 'code', ref: 'images' },
      text('description', t('描述', 'Description')),
      enumOf('flag', t('结果标志', 'Outcome'), [
        ['success', '办结（成功）', 'ended well'],
        ['failure', '未成功结束', 'ended otherwise'],
      ]),
    ],
  },
  materialClasses: {
    title: t('材料类', 'Material classes'),
    key: ['service', 'code'],
    perService: true,
    columns: [SERVICE, code(t('材料类编号', 'Class code')), name(t('材料类名称', 'Class name'), 30), order],
  },
  materials: {
    title: t('材料', 'Materials'),
    key: ['service', 'code'],
    perService: true,
    columns: [
      SERVICE,
      code(t('材料编号', 'Material code')),
      { name: 'materialClass', title: t('材料类（空为全部）', 'Material class (empty: all)'), type: 'list', ref: 'materialClasses' },
      name(t('材料名称', 'Material name'), 60),
      bool('required', t('是否必须', 'Required'), true),
      { name: 'maxSizeKb', title: t('大小限制（KB）', 'Size limit (KB)'), type: 'int', min: 1, max: 51200, default: 5120 },
      { name: 'maxFiles', title: t('文件数', 'Files'), type: 'int', min: 1, max: 20, default: 1 },
      order,
      { name: 'sample', title: t('样例图片', 'Sample image'), type: 'code', ref: 'images' },
      STATUS,
      text('description', t('说明', 'Description')),
      enumOf(
        'delivery',
        t('递交方式', 'Delivery'),
        [
          ['1', '仅电子上传', 'upload only'],
          ['2', '仅纸质原件', 'paper original only'],
          ['3', '上传并寄送原件', 'upload and original'],
        ],
        { required: true },
      ),
    ],
  },
  reviewChecks: {
    title: t('审核配置', 'Review checks'),
    key: ['service', 'code'],
    perService: true,
    columns: [
      SERVICE,
      code(t('审核项编号', 'Check code')),
      enumOf(
        'target',
        t('审核对象', 'Checks a'),
        [
          ['field', '属性', 'field'],
          ['material', '材料', 'material'],
        ],
        { required: true },
      ),
      { name: 'ref', title: t('属性名或材料编号', 'Field name or material code'), type: 'code', required: true },
      order,
      { name: 'passText', title: t('审核合格描述', 'Pass text'), type: 'text', required: true, max: 200 },
      { name: 'failText', title: t('审核不合格描述', 'Fail text'), type: 'text', required: true, max: 200 },
    ],
  },
  returnMaterials: {
    title: t('回寄材料', 'Return materials'),
    key: ['service', 'code'],
    perService: true,
    columns: [
      SERVICE,
      code(t('回寄材料编号', 'Code')),
      enumOf(
        'when',
        t('回寄情形', 'Returned on'),
        [
          ['success', '办理成功', 'success'],
          ['failure', '办理失败', 'failure'],
          ['both', '均回寄', 'both'],
        ],
        { required: true },
      ),
      enumOf('type', t('类型', 'Type'), [
        ['document', '新证件', 'new document'],
        ['original', '原件', 'original'],
      ]),
      name(t('名称', 'Name'), 60),
      text('materialType', t('材料类型', 'Material type'), 30),
      { name: 'sample', title: t('样例图片', 'Sample image'), type: 'code', ref: 'images' },
      text('note', t('备注', 'Note'), 200),
      STATUS,
    ],
  },
  nodes: {
    title: t('流程配置', 'Flow nodes'),
    key: ['service', 'seq'],
    perService: true,
    columns: [
      SERVICE,
      { name: 'seq', title: t('顺序号', 'Sequence'), type: 'int', required: true, min: 1, max: 999 },
      name(t('节点名称', 'Node name'), 30),
      enumOf(
        'type',
        t('节点类型', 'Type'),
        [
          ['normal', '正常', 'normal'],
          ['approval', '审批', 'approval'],
          ['decision', '判断', 'decision'],
        ],
        { required: true },
      ),
      text('description', t('描述', 'Description')),
      { name: 'state', title: t('状态', 'State'), type: 'code', ref: 'states' },
      { name: 'operations', title: t('操作', 'Operations'), type: 'list', ref: 'operations' },
      { name: 'sms', title: t('短信模板', 'SMS template'), type: 'code', ref: 'smsTemplates' },
      nodeRef('next', t('下一节点', 'Next node')),
      { name: 'decisionField', title: t('判断属性', 'Decision field'), type: 'code' },
      nodeRef('failNext', t('审批不通过转至', 'If not approved, to')),
      { name: 'timeoutDays', title: t('超时天数', 'Timeout (days)'), type: 'int', min: 1, max: 365 },
      nodeRef('timeoutNext', t('超时转至（空为关闭）', 'On timeout, to (empty: close)')),
      STATUS,
    ],
  },
  events: {
    title: t('节点事件', 'Node events'),
    key: ['service', 'code'],
    perService: true,
    columns: [
      SERVICE,
      code(t('事件编号', 'Event code')),
      name(t('事件名称', 'Event name'), 30),
      { name: 'node', title: t('等待节点', 'Waiting node'), type: 'int', required: true, min: 1, max: 999 },
      enumOf(
        'kind',
        t('事件类型', 'Kind'),
        [
          ['message', '收到消息', 'a message arrives'],
          ['time', '到达时间', 'a time is reached'],
        ],
        { required: true },
      ),
      { name: 'message', title: t('消息名称', 'Message name'), type: 'text', max: 64 },
      { name: 'correlation', title: t('消息关联键', 'Correlation key'), type: 'text', max: 200 },
      { name: 'at', title: t('时间变量（ISO 时间）', 'Time variable (ISO instant)'), type: 'code' },
      bool('continues', t('节点继续等待（仅发短信）', 'The node keeps waiting (SMS only)'), false),
      { name: 'sms', title: t('短信模板', 'SMS template'), type: 'code', ref: 'smsTemplates' },
      nodeRef('next', t('转至节点（空为结束）', 'Next node (empty: end)')),
      order,
      STATUS,
    ],
  },
  rules: {
    title: t('判断规则', 'Decision rules'),
    key: ['service', 'code'],
    perService: true,
    columns: [
      SERVICE,
      code(t('规则编号', 'Rule code')),
      { name: 'node', title: t('判断节点', 'Decision node'), type: 'int', required: true, min: 1, max: 999 },
      order,
      enumOf(
        'operator',
        t('运算符', 'Operator'),
        [...OPERATORS, 'in'].map((op): [string, string, string] => [op, op, op]),
        { required: true },
      ),
      { name: 'value', title: t('值', 'Value'), type: 'text', required: true, max: 200 },
      nodeRef('next', t('转至节点（空为结束）', 'Next node (empty: end)')),
      STATUS,
    ],
  },
  approvals: {
    title: t('审批配置', 'Approval chains'),
    key: ['service', 'node', 'order'],
    perService: true,
    columns: [
      SERVICE,
      { name: 'node', title: t('审批节点', 'Approval node'), type: 'int', required: true, min: 1, max: 999 },
      { name: 'post', title: t('审批对象（岗位）', 'Approver post'), type: 'code', required: true },
      { name: 'postName', title: t('岗位名称', 'Post name'), type: 'text', max: 30 },
      { name: 'department', title: t('所在部门（空为办理单位）', "Post's department (empty: the office's)"), type: 'code' },
      { ...order, required: true },
      STATUS,
    ],
  },
  knowledge: {
    title: t('知识库', 'Knowledge base'),
    key: ['service', 'code'],
    perService: true,
    columns: [
      SERVICE,
      code(t('条目编号', 'Entry code')),
      { name: 'question', title: t('问题', 'Question'), type: 'text', required: true, max: 200 },
      { name: 'keywords', title: t('关键词（逗号分隔）', 'Keywords (comma-separated)'), type: 'text', required: true, max: 200 },
      { name: 'answer', title: t('答复', 'Answer'), type: 'text', required: true, max: 2000 },
      order,
      STATUS,
    ],
  },
  operations: {
    title: t('操作配置', 'Operations'),
    key: ['code'],
    perService: false,
    columns: [
      code(t('操作编号', 'Operation code')),
      name(t('操作名称', 'Operation name'), 30),
      text('url', t('地址', 'URL'), 200),
      { name: 'icon', title: t('图标', 'Icon'), type: 'code', ref: 'images' },
      STATUS,
      enumOf(
        'category',
        t('类别', 'Category'),
        [
          ['police', '警员', 'police'],
          ['citizen', '群众', 'citizen'],
          ['system', '系统', 'system'],
        ],
        { required: true },
      ),
      { name: 'fields', title: t('可填属性', 'Fields it fills'), type: 'list' },
      bool('correction', t('补正操作（只改审核不合格项）', 'Correction (changes only what failed review)'), false),
      { name: 'topic', title: t('连接器操作', 'Connector operation'), type: 'text', max: 64 },
      { name: 'inputs', title: t('输入（JSON）', 'Inputs (JSON)'), type: 'text', max: 2000 },
      { name: 'outputs', title: t('输出变量', 'Variables it sets'), type: 'list' },
      enumOf('returns', t('回寄清单（作为 items 输入）', 'Sends as its items'), [
        ['success', '办理成功的回寄材料', 'what is returned on success'],
        ['failure', '办理失败退回的材料', 'what is returned on failure'],
      ]),
      { name: 'awaitMessage', title: t('等待消息', 'Then waits for message'), type: 'text', max: 64 },
      { name: 'correlation', title: t('消息关联键', 'Correlation key'), type: 'text', max: 200 },
      text('description', t('描述', 'Description')),
    ],
  },
  smsTemplates: {
    title: t('短信内容配置', 'SMS templates'),
    key: ['code'],
    perService: false,
    columns: [
      code(t('模板编号', 'Template code')),
      name(t('模板名称', 'Template name'), 30),
      { name: 'text', title: t('短信内容（中间部分）', 'Text (the middle)'), type: 'text', required: true, max: 200 },
    ],
  },
  images: {
    title: t('图片库', 'Image library'),
    key: ['code'],
    perService: false,
    columns: [
      code(t('图片编号', 'Image code')),
      name(t('图片名称', 'Image name'), 60),
      enumOf(
        'kind',
        t('用途', 'Used as'),
        [
          ['logo', '图标', 'logo'],
          ['icon', '操作图标', 'icon'],
          ['sample', '样例图片', 'sample'],
        ],
        { required: true },
      ),
      { name: 'url', title: t('地址', 'URL'), type: 'text', required: true, max: 500 },
    ],
  },
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>;
/** The whole catalog, or one service's part of it: rows by table. */
export type Catalog = { [K in TableName]: Row[] };

export const emptyCatalog = (): Catalog => Object.fromEntries(TABLE_NAMES.map((name) => [name, []])) as unknown as Catalog;

/** A row's identity within its table: its key columns joined. */
export const rowKey = (table: TableName, row: Row): string => TABLES[table].key.map((column) => String(row[column] ?? '')).join('/');

export const columnOf = (table: TableName, column: string): Column | undefined => (TABLES[table].columns as readonly Column[]).find((c) => c.name === column);
