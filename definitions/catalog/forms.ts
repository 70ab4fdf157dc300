/**
 * The forms a service compiles to, all from its rows:
 * - the citizen's application: handling office, material class and materials,
 *   the fields of the field table, sending originals and return delivery,
 *   fees computed from configuration, the declaration — as wizard steps;
 * - the clerk's review: the application (shown read-only at the node), the
 *   review checks to mark as failed, the result and comment;
 * - the approvers': the application with the approval result and comment.
 */
import { t, type FormDefinition, type JsonSchema, type UiSchema, type Widget } from '../../forms/model.ts';
import { parseChoices, parseCondition } from './validate.ts';
import type { Catalog, Row } from './tables.ts';

export const formKeys = (service: string) => ({ apply: `svc-${service}-apply`, review: `svc-${service}-review`, approve: `svc-${service}-approve` });

const FORMAT: Record<string, string> = { idNumber: 'cn-id-number', mobile: 'cn-mobile', plate: 'cn-plate', email: 'email', postcode: 'cn-postcode' };
const WIDGET: Record<string, Widget> = { idNumber: 'idNumber', mobile: 'mobile', plate: 'plate', postcode: 'postcode', email: 'email' };
const active = (row: Row) => row.status !== '0';
const byOrder = (a: Row, b: Row) => a.order - b.order || String(a.code ?? a.key).localeCompare(String(b.code ?? b.key));
const oneOf = (items: Array<{ value: string; label: string }>) => items.map((i) => ({ const: i.value, title: i.label }));

/** A required choice the form adds itself, shown as radio buttons. */
function radio(b: Built, key: string, zh: string, en: string, items: Array<{ value: string; label: string }>): void {
  b.properties[key] = { type: 'string', title: zh, 'x-title-en': en, oneOf: oneOf(items) };
  b.required.push(key);
  b.ui.fields[key] = { widget: 'radio' };
}

interface Built {
  properties: Record<string, JsonSchema>;
  required: string[];
  allOf: JsonSchema[];
  ui: Required<Pick<UiSchema, 'fields' | 'sections'>>;
}

function field(row: Row): { schema: JsonSchema; widget: Widget | null } {
  const title = { title: row.label, ...(row.labelEn && { 'x-title-en': row.labelEn }) };
  const choices = row.choices ? oneOf(parseChoices(row.choices) ?? []) : null;
  const chosen = row.dictionary ? { 'x-dictionary': row.dictionary } : choices ? { oneOf: choices } : {};
  const format = FORMAT[row.validation] ?? FORMAT[row.control];
  const text: JsonSchema = {
    type: 'string',
    ...title,
    ...(row.length && { maxLength: row.length }),
    ...(format && { format }),
    ...(row.validation === 'regex' && row.pattern && { pattern: row.pattern }),
  };
  const control = row.control as string;
  switch (control) {
    case 'number':
      return { schema: { type: 'number', ...title }, widget: 'number' };
    case 'money':
      return { schema: { type: 'number', format: 'money', minimum: 0, ...title }, widget: 'money' };
    case 'date':
      return { schema: { type: 'string', format: 'date', ...title }, widget: 'date' };
    case 'dateRange':
      return {
        schema: {
          type: 'object',
          ...title,
          'x-date-range': true,
          required: ['start', 'end'],
          properties: { start: { type: 'string', format: 'date', title: '起始日期', 'x-title-en': 'from' }, end: { type: 'string', format: 'date', title: '截止日期', 'x-title-en': 'until' } },
        },
        widget: 'dateRange',
      };
    case 'switch':
      return { schema: { type: 'boolean', ...title }, widget: 'switch' };
    case 'select':
    case 'radio':
      return { schema: { type: 'string', ...title, ...chosen }, widget: control };
    case 'checkbox':
      return { schema: { type: 'array', ...title, uniqueItems: true, items: { type: 'string', ...chosen } }, widget: 'checkbox' };
    case 'region':
      return { schema: { type: 'string', format: 'cn-region', ...title, ...chosen }, widget: 'region' };
    case 'file':
      return { schema: { type: 'string', maxLength: 64, ...title, 'x-file': { maxSize: 5 * 1024 * 1024 } }, widget: 'file' };
    case 'textarea':
      return { schema: text, widget: 'textarea' };
    default:
      return { schema: text, widget: WIDGET[row.validation] ?? WIDGET[control] ?? null };
  }
}

function defaultValue(schema: JsonSchema, text: string | null): unknown {
  if (text === null || text === undefined || text === '') return undefined;
  if (schema.type === 'number') return Number.isFinite(Number(text)) ? Number(text) : undefined;
  if (schema.type === 'boolean') return text === 'true' || text === '是' || text === '1';
  if (schema.type === 'string') return text;
  return undefined;
}

/** The application's parts, shared by the three forms. */
function application(catalog: Catalog, service: Row, offices: Row[]): Built {
  const number = service.number as string;
  const b: Built = { properties: {}, required: [], allOf: [], ui: { fields: {}, sections: [] } };
  const section = (id: string, zh: string, en: string, fields: string[]) => fields.length && b.ui.sections.push({ id, title: t(zh, en), fields });
  const online = service.type === '1';

  // One office: nothing to choose (its clerks are named in the flow itself).
  if (offices.length > 1) {
    b.properties.office = {
      type: 'string',
      title: '办理单位',
      'x-title-en': 'Handling office',
      oneOf: oneOf(offices.map((o) => ({ value: o.code, label: o.name }))),
      ...(service.defaultOffice && { default: service.defaultOffice }),
    };
    b.required.push('office');
    // Many offices: found by name, initials or place; a few: all in sight.
    b.ui.fields.office = { widget: offices.length > 4 ? 'office' : 'radio' };
    section('office', '办理单位', 'Office', ['office']);
  }

  const materials = catalog.materials.filter((m) => m.service === number && active(m)).sort(byOrder);
  const classes = catalog.materialClasses.filter((c) => c.service === number).sort(byOrder);
  let sendsOriginals = false;
  if (service.needsMaterials && materials.length) {
    const sample = (code: string | null) => (code ? catalog.images.find((i) => i.code === code)?.url : undefined);
    const spec = (m: Row) => ({
      id: m.code,
      name: t(m.name, m.name),
      required: m.required,
      delivery: Number(m.delivery),
      maxSize: m.maxSizeKb * 1024,
      ...(m.maxFiles > 1 && { maxFiles: m.maxFiles }),
      ...(sample(m.sample) && { sample: sample(m.sample) }),
      ...(m.description && { description: t(m.description, m.description) }),
    });
    const of = (c: string | null) => materials.filter((m) => !m.materialClass.length || (c !== null && m.materialClass.includes(c))).map(spec);
    const byClass = classes.length ? Object.fromEntries(classes.map((c) => [c.code, of(c.code)])) : { all: of(null) };
    sendsOriginals = materials.some((m) => m.delivery !== '1');
    if (classes.length) {
      radio(
        b,
        'materialClass',
        '材料类别',
        'Material class',
        classes.map((c) => ({ value: c.code, label: c.name })),
      );
    }
    b.properties.materials = { type: 'object', title: '申请材料', 'x-title-en': 'Materials', 'x-materials': { ...(classes.length && { classField: 'materialClass' }), classes: byClass } };
    b.required.push('materials');
    b.ui.fields.materials = { widget: 'materials' };
    section('materials', '申请材料', 'Materials', classes.length ? ['materialClass', 'materials'] : ['materials']);
  }

  const fields = catalog.fields.filter((f) => f.service === number && f.enabled !== false).sort(byOrder);
  // A field an operation fills later is required only at its node (wf:required), not of the applicant.
  const later = laterFields(catalog, number);
  for (const row of fields) {
    const { schema, widget } = field(row);
    const value = defaultValue(schema, row.default);
    if (value !== undefined) schema.default = value;
    if (row.emptyHint) schema['x-messages'] = { required: t(row.emptyHint, row.emptyHint) };
    b.properties[row.key] = schema;
    if (!row.nullable && !later.includes(row.key)) b.required.push(row.key);
    const when = row.requiredWhen ? parseCondition(row.requiredWhen) : null;
    if (when) b.allOf.push({ if: { properties: { [when.field]: { const: when.value } }, required: [when.field] }, then: { required: [row.key] } });
    b.ui.fields[row.key] = { ...(widget && { widget }), ...(row.inputHint && { placeholder: t(row.inputHint, row.inputHint) }) };
  }
  section(
    'business',
    '申报信息',
    'Application',
    fields.map((f) => f.key),
  );

  const delivery: string[] = [];
  if (online && sendsOriginals) {
    radio(b, 'sendMethod', '原件递交方式', 'Originals sent by', [
      { value: 'in-person', label: '亲自送达' },
      { value: 'courier', label: '快递寄送' },
    ]);
    // Where to post them: the office chosen (or the only one), its address and telephone.
    const to = (o: Row) => [o.name, o.address, o.phone && `电话 ${o.phone}`].filter(Boolean).join('，');
    b.properties.originalsAddress = {
      type: 'string',
      title: '原件寄往',
      'x-title-en': 'Post the originals to',
      'x-computed':
        offices.length > 1
          ? { fn: 'choose', args: ['office'], cases: Object.fromEntries(offices.map((o) => [o.code, to(o)])), otherwise: null }
          : { fn: 'constant', args: [], value: offices[0] ? to(offices[0]) : '' },
    };
    b.ui.fields.originalsAddress = { widget: 'computed', visibleWhen: { field: 'sendMethod', in: ['courier'] } };
    delivery.push('sendMethod', 'originalsAddress');
  }
  if (online && service.returnsMaterials) {
    b.properties.returnMethod = { type: 'string', title: '回寄方式', 'x-title-en': 'Return delivery', 'x-dictionary': 'return-methods' };
    b.required.push('returnMethod');
    // What comes back, so that the citizen knows before choosing how.
    const returned = (outcome: 'success' | 'failure') => returnedOn(catalog, service.number, outcome).join('、');
    const help = [returned('success') && `办理成功回寄：${returned('success')}`, returned('failure') && `办理未成功退回：${returned('failure')}`].filter(Boolean).join('；');
    b.ui.fields.returnMethod = { widget: 'radio', ...(help && { help: t(help, help) }) };
    const recipient: Array<[string, string, string, JsonSchema, Widget | null]> = [
      ['recipientName', '收件人', 'Recipient', { maxLength: 50 }, null],
      ['recipientIdNumber', '收件人身份证号', "Recipient's ID number", { format: 'cn-id-number' }, 'idNumber'],
      ['recipientMobile', '收件人手机', "Recipient's mobile", { format: 'cn-mobile' }, 'mobile'],
      ['recipientAddress', '收件地址', 'Address', { maxLength: 200 }, 'textarea'],
      ['recipientPostcode', '邮政编码', 'Postcode', { format: 'cn-postcode' }, 'postcode'],
    ];
    const posted = { field: 'returnMethod', in: ['ems', 'cod'] };
    for (const [key, zh, en, extra, widget] of recipient) {
      b.properties[key] = { type: 'string', title: zh, 'x-title-en': en, ...extra };
      b.ui.fields[key] = { ...(widget && { widget }), visibleWhen: posted };
    }
    b.allOf.push({ if: { properties: { returnMethod: { enum: ['ems', 'cod'] } }, required: ['returnMethod'] }, then: { required: recipient.map(([key]) => key) } });
    delivery.push('returnMethod', ...recipient.map(([key]) => key));
  }
  section('delivery', '寄送与回寄', 'Sending and return', delivery);

  const money = (zh: string, en: string, computed: JsonSchema) => ({ type: 'number', format: 'money', title: zh, 'x-title-en': en, 'x-computed': computed });
  b.properties.productionFee = money('工本费', 'Production fee', { fn: 'constant', args: [], value: service.fee });
  const fees = ['productionFee'];
  if (online && service.returnsMaterials) {
    b.properties.courierFee = money('快递费', 'Courier fee', { fn: 'choose', args: ['returnMethod'], cases: { ems: service.courierFee }, otherwise: 0 });
    fees.push('courierFee');
  }
  b.properties.totalFee = money('应缴合计', 'Total to pay', { fn: 'add', args: [...fees] });
  b.properties.declaration = {
    type: 'boolean',
    const: true,
    title: '承诺所填信息真实有效',
    'x-title-en': 'I declare the information true',
    'x-messages': { const: t('请勾选承诺', 'please tick the declaration') },
  };
  b.required.push('declaration');
  for (const fee of [...fees, 'totalFee']) b.ui.fields[fee] = { widget: 'computed' };
  section('fees', '费用与承诺', 'Fees and declaration', [...fees, 'totalFee', 'declaration']);
  return b;
}

function definition(key: string, title: string, titleEn: string, b: Built, wizard: boolean): FormDefinition {
  const order = b.ui.sections.flatMap((s) => s.fields);
  return {
    key,
    title: t(title, titleEn),
    schema: { type: 'object', required: b.required, properties: b.properties, ...(b.allOf.length && { allOf: b.allOf }) },
    ui: { order, fields: b.ui.fields, sections: b.ui.sections, ...(wizard && { wizard: true }) },
  };
}

export function applicationForm(catalog: Catalog, service: Row, offices: Row[]): FormDefinition {
  return definition(formKeys(service.number).apply, service.name, `Application: ${service.name}`, application(catalog, service, offices), true);
}

/** The clerk's review: each check shown with its pass text, failed ones ticked with their fail texts. */
export function reviewForm(catalog: Catalog, service: Row, offices: Row[]): FormDefinition {
  const b = application(catalog, service, offices);
  const checks = catalog.reviewChecks.filter((c) => c.service === service.number).sort(byOrder);
  const targetName = (c: Row) =>
    c.target === 'field'
      ? (catalog.fields.find((f) => f.service === service.number && f.key === c.ref)?.label ?? c.ref)
      : (catalog.materials.find((m) => m.service === service.number && m.code === c.ref)?.name ?? c.ref);
  const review: string[] = [];
  if (checks.length) {
    b.properties.failedChecks = {
      type: 'array',
      title: '不合格项',
      'x-title-en': 'Failed checks',
      uniqueItems: true,
      items: { type: 'string', oneOf: checks.map((c) => ({ const: c.code, title: `${targetName(c)}：${c.failText}` })) },
    };
    b.ui.fields.failedChecks = { widget: 'checkbox', help: t(checks.map((c) => `${targetName(c)}：${c.passText}`).join('；'), checks.map((c) => `${targetName(c)}: ${c.passText}`).join('; ')) };
    b.allOf.push({ if: { properties: { reviewResult: { const: 'correction' } }, required: ['reviewResult'] }, then: { required: ['failedChecks'], properties: { failedChecks: { minItems: 1 } } } });
    review.push('failedChecks');
    // What the failed checks ask the applicant to change (a field, or one material of the materials), and in words: the correction request.
    const fieldOf = (c: Row) => (c.target === 'field' ? c.ref : `materials/${c.ref}`);
    b.properties.correctionFields = {
      type: 'array',
      title: '需补正的项',
      'x-title-en': 'To correct',
      items: { type: 'string' },
      'x-computed': { fn: 'mapList', args: ['failedChecks'], map: Object.fromEntries(checks.map((c) => [c.code, [fieldOf(c)]])) },
    };
    b.properties.correctionItems = {
      type: 'array',
      title: '补正要求',
      'x-title-en': 'Correction request',
      items: { type: 'string' },
      'x-computed': { fn: 'mapList', args: ['failedChecks'], map: Object.fromEntries(checks.map((c) => [c.code, [`${targetName(c)}：${c.failText}`]])) },
    };
  }
  b.properties.reviewResult = { type: 'string', title: '审核结果', 'x-title-en': 'Review result', 'x-dictionary': 'review-results' };
  b.properties.reviewComment = { type: 'string', title: '审核意见', 'x-title-en': 'Review comment', maxLength: 500 };
  b.required.push('reviewResult');
  b.ui.fields.reviewResult = { widget: 'radio' };
  b.ui.fields.reviewComment = { widget: 'textarea' };
  review.push('reviewResult', 'reviewComment');
  b.ui.sections.push({ id: 'review', title: t('审核', 'Review'), fields: review });
  return definition(formKeys(service.number).review, `${service.name}（审核）`, `Review: ${service.name}`, b, false);
}

export function approvalForm(catalog: Catalog, service: Row, offices: Row[]): FormDefinition {
  const b = application(catalog, service, offices);
  radio(b, 'approvalResult', '审批结果', 'Decision', [
    { value: 'approve', label: '同意' },
    { value: 'reject', label: '不同意' },
  ]);
  b.properties.approvalComment = { type: 'string', title: '审批意见', 'x-title-en': 'Comment', maxLength: 500 };
  b.ui.fields.approvalComment = { widget: 'textarea' };
  b.ui.sections.push({ id: 'approval', title: t('审批', 'Approval'), fields: ['approvalResult', 'approvalComment'] });
  return definition(formKeys(service.number).approve, `${service.name}（审批）`, `Approval: ${service.name}`, b, false);
}

/** The names of what a service returns on success or failure (its active return materials, in order). */
export function returnedOn(catalog: Catalog, number: string, outcome: 'success' | 'failure'): string[] {
  return catalog.returnMaterials
    .filter((r) => r.service === number && r.status !== '0' && (r.when === outcome || r.when === 'both'))
    .sort((a, b) => String(a.code).localeCompare(String(b.code)))
    .map((r) => r.name as string);
}

/** The service's fields its nodes' operations fill (a tracking number, a result, the rating): not the applicant's to give. */
export function laterFields(catalog: Catalog, number: string): string[] {
  const own = new Set(catalog.fields.filter((f) => f.service === number && f.enabled !== false).map((f) => f.key as string));
  const codes = catalog.nodes.filter((n) => n.service === number && n.status !== '0').flatMap((n) => n.operations as string[]);
  return [...new Set(codes.flatMap((code) => (catalog.operations.find((o) => o.code === code)?.fields as string[] | undefined) ?? []))].filter((key) => own.has(key));
}
