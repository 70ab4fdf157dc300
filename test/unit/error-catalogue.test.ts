import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  ERROR_CATALOGUE,
  explain,
  Explained,
  fieldLabel,
  formatMessage,
  invalid,
  invalidAll,
  isWorkflowError,
  pickLocale,
  WorkflowError,
  type ErrorCode,
  type ErrorContexts,
  type Locale,
} from '../../engine/core/errors.ts';

const ENGINE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../engine');
const ERRORS_FILE = path.join(ENGINE, 'core', 'errors.ts');
const CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];
const LOCALES: Locale[] = ['zh-CN', 'en'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every quoted 'WF_ERR_…' string literal in the file, as written. */
function codeLiterals(text: string): string[] {
  return [...text.matchAll(/(['"`])(WF_ERR_[A-Za-z0-9_]*)\1/g)].map((m) => m[2]!);
}

/**
 * Placeholders of a template. Some are derived from a context field in a
 * language-specific way (zh-CN shows the state as a Chinese label), so they
 * count as that field.
 */
const DERIVED: Record<string, string> = { stateLabel: 'state', problemLabel: 'problem', permissionLabel: 'permission', fieldLabel: 'field', entityLabel: 'entity' };
const placeholders = (template: string): string[] => [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => DERIVED[m[1]!] ?? m[1]!))].sort();

/** A typical context for every code: the compiler insists each one is here. */
const SAMPLES: { [C in ErrorCode]: ErrorContexts[C] } = {
  WF_ERR_VALIDATION: { field: 'body.processKey', rule: 'required', reason: { 'zh-CN': '必填', en: 'is required' } },
  WF_ERR_BAD_REQUEST: { detail: { 'zh-CN': '请求体无法读取', en: 'incorrect header check' } },
  WF_ERR_MALFORMED_JSON: { detail: { 'zh-CN': '内容不完整', en: 'Unexpected end of JSON input' } },
  WF_ERR_BODY_TOO_LARGE: { limit: '2097152 bytes' },
  WF_ERR_BODY_TOO_DEEP: { limit: 64 },
  WF_ERR_START_FORBIDDEN: { key: 'leave' },
  WF_ERR_UNSUPPORTED_MEDIA_TYPE: { contentType: 'text/plain' },
  WF_ERR_ROUTE_NOT_FOUND: { method: 'GET', path: '/api/nope' },
  WF_ERR_BPMN_MALFORMED: { line: 3, column: 7, detail: { 'zh-CN': '结束标签与开始标签不匹配', en: 'closing tag mismatch' } },
  WF_ERR_BPMN_INVALID: {
    count: 2,
    problems: [
      { rule: 'unsupported-element', elementId: 'calc', line: 9, message: { 'zh-CN': '脚本任务不执行', en: 'Script tasks are not run' } },
      { rule: 'no-executable-process', message: { 'zh-CN': '没有可执行的流程', en: 'No executable process' } },
    ],
  },
  WF_ERR_SCENARIOS_FAILED: {
    count: 1,
    problems: [{ rule: 'scenario-failed', message: { 'zh-CN': '场景“大额”第 2 步：流程没有停在“总监审批”', en: 'scenario "large", step 2: the case does not wait at "director"' } }],
  },
  WF_ERR_NO_NONE_START_EVENT: { key: 'orders' },
  WF_ERR_DEFINITION_NOT_FOUND: { key: 'orders', version: 2 },
  WF_ERR_INSTANCE_NOT_FOUND: { instanceId: 'i-1' },
  WF_ERR_INSTANCE_NOT_RUNNING: { instanceId: 'i-1', state: 'completed' },
  WF_ERR_NOT_INITIATOR: { instanceId: 'i-1' },
  WF_ERR_ALREADY_HANDLED: { instanceId: 'i-1', task: '部门审批', by: 'lisi' },
  WF_ERR_CALLED_INSTANCE: { instanceId: 'i-2', parentId: 'i-1' },
  WF_ERR_CONCURRENT_MODIFICATION: { entity: 'instance', id: 'i-1' },
  WF_ERR_TASK_NOT_FOUND: { taskId: 't-1' },
  WF_ERR_TASK_NOT_ACTIVE: { taskId: 't-1', state: 'cancelled' },
  WF_ERR_TASK_CLAIMED: { taskId: 't-1', assignee: 'ann' },
  WF_ERR_BPMN_ERROR_UNCAUGHT: { taskId: 't-1', code: 'REJECTED' },
  WF_ERR_TASK_NOT_CLAIMED: { taskId: 't-1' },
  WF_ERR_MESSAGE_NOT_CORRELATED: { name: 'paid', correlationKey: 'order-1' },
  WF_ERR_MESSAGE_AMBIGUOUS: { name: 'paid', correlationKey: null, count: 3 },
  WF_ERR_EXPRESSION: { elementId: 'check', expression: '${amount > 5}', detail: { 'zh-CN': "找不到变量 'amount'", en: "Cannot resolve identifier 'amount'" } },
  WF_ERR_NO_OUTGOING_FLOW: { elementId: 'decide' },
  WF_ERR_STEP_FAILED: { elementId: 'pay', detail: { 'zh-CN': '引擎执行出错', en: 'boom' } },
  WF_ERR_MIGRATION_INVALID: {
    count: 2,
    problems: [
      { instanceId: 'i-1', elementId: 'review', message: { 'zh-CN': '目标版本没有节点 review', en: 'the target version has no element review' } },
      { instanceId: 'i-2', message: { 'zh-CN': '实例已结束', en: 'the instance is completed' } },
    ],
  },
  WF_ERR_FORM_INVALID: {
    key: 'leave',
    count: 1,
    problems: [{ pointer: '/schema/properties/type/x-dictionary', message: { 'zh-CN': '字典 leave-types 不存在', en: 'there is no dictionary leave-types' } }],
  },
  WF_ERR_FORM_NOT_FOUND: { key: 'leave', version: 3 },
  WF_ERR_FORM_DATA_INVALID: {
    count: 2,
    issues: [
      { pointer: '/idNumber', label: '身份证号码', rule: 'format', message: '身份证号码：校验位不正确' },
      { pointer: '/days', label: '天数', rule: 'required', message: '天数：必填' },
    ],
  },
  WF_ERR_TASK_HAS_NO_FORM: { taskId: 't-1' },
  WF_ERR_NO_START_FORM: { key: 'leave' },
  WF_ERR_DRAFT_NOT_FOUND: { target: 'start:leave' },
  WF_ERR_DICTIONARY_NOT_FOUND: { key: 'plate-colours' },
  WF_ERR_IDENTITY_LEVEL: { key: 'svc-04004', required: 2, current: 1 },
  WF_ERR_DOCUMENT_NOT_FOUND: { id: 'DZ0123456789ABCDEF' },
  WF_ERR_CATALOG_INVALID: {
    count: 1,
    problems: [
      {
        table: 'classes',
        key: '100',
        row: 1,
        column: 'code',
        message: { 'zh-CN': '业务类 第 1 行（100）「业务类编号」：应为 01–99 的两位数字', en: 'Business classes row 1 (100), Class code: must be two digits, 01–99' },
      },
    ],
  },
  WF_ERR_CATALOG_COMPILE: {
    service: '04009',
    count: 1,
    problems: [
      {
        table: 'nodes',
        key: '04009/3',
        row: 3,
        column: 'sms',
        message: {
          'zh-CN': '流程配置 第 3 行（04009/3）「短信模板」：发短信需要本业务有手机号属性',
          en: 'Flow nodes row 3 (04009/3), SMS template: sending an SMS needs a mobile field in the service',
        },
      },
    ],
  },
  WF_ERR_CATALOG_ROW_NOT_FOUND: { table: 'services', key: '09999' },
  WF_ERR_SERVICE_NOT_FOUND: { number: '09999' },
  WF_ERR_SERVICE_NO_SLOTS: { number: '04009' },
  WF_ERR_LINK_INVALID: {},
  WF_ERR_LINK_EXPIRED: { expiresAt: 1 },
  WF_ERR_LINK_USED: { answeredAt: 1 },
  WF_ERR_INVITATION_CLOSED: { instanceId: 'i-1' },
  WF_ERR_CATALOG_HAND_EDITED: { service: '04009', version: 3 },
  WF_ERR_FILE_NOT_FOUND: { fileId: 'f-1' },
  WF_ERR_FILE_TOO_LARGE: { name: '身份证.jpg', limit: '10 MB' },
  WF_ERR_UPLOAD_QUOTA: { limit: '200 MB' },
  WF_ERR_FILE_TYPE: { name: 'a.exe', contentType: 'application/octet-stream', allowed: 'image/jpeg, application/pdf' },
  WF_ERR_JOB_NOT_FOUND: { jobId: 'j-1' },
  WF_ERR_JOB_NOT_FAILED: { jobId: 'j-1', state: 'done' },
  WF_ERR_CONNECTOR_NOT_FOUND: { connector: 'fax' },
  WF_ERR_PROVIDER_UNAVAILABLE: { connector: { 'zh-CN': '排号机', en: 'queue-number machine' } },
  WF_ERR_CALLBACK_REJECTED: { connector: 'payment', detail: { 'zh-CN': '签名不匹配', en: 'signature does not match' } },
  WF_ERR_CALLBACK_IN_PROGRESS: { connector: 'payment' },
  WF_ERR_INCIDENT_NOT_FOUND: { incidentId: 'x-1' },
  WF_ERR_INCIDENT_NOT_OPEN: { incidentId: 'x-1' },
  WF_ERR_UNAUTHENTICATED: {},
  WF_ERR_LOGIN_FAILED: {},
  WF_ERR_ACCOUNT_LOCKED: { until: '2026-12-02T09:15:00.000Z' },
  WF_ERR_RATE_LIMITED: { retryAfter: 60 },
  WF_ERR_SMS_CODE_INVALID: { problem: 'expired' },
  WF_ERR_CSRF: {},
  WF_ERR_FORBIDDEN: { permission: 'definition:deploy' },
  WF_ERR_OUT_OF_SCOPE: { entity: 'instance', id: 'i-1' },
  WF_ERR_NOT_CANDIDATE: { taskId: 't-1' },
  WF_ERR_USER_NOT_FOUND: { userId: 'nobody' },
  WF_ERR_DEPARTMENT_NOT_FOUND: { departmentId: 'd-x' },
  WF_ERR_ROLE_NOT_FOUND: { role: 'pilot' },
  WF_ERR_USER_EXISTS: { userId: 'u-2', username: 'zhangsan' },
  WF_ERR_DEPARTMENT_NOT_EMPTY: { departmentId: 'd-1', count: 3 },
  WF_ERR_DEPARTMENT_CYCLE: { departmentId: 'd-1', parentId: 'd-1-2' },
  WF_ERR_SEPARATION_OF_DUTIES: { userId: 'wang', roles: 'sysadmin, auditor' },
  WF_ERR_GRANT_EXCEEDS_OWN: { what: { 'zh-CN': '权限', en: 'permission' }, value: 'audit:read' },
  WF_ERR_IMPORT_INVALID: { count: 1, rows: [{ row: 3, field: 'parentId', message: { 'zh-CN': '上级部门 d-9 不存在', en: 'parent department d-9 does not exist' } }] },
  WF_ERR_INCIDENT_NEEDS_ASSIGNEE: { incidentId: 'x-2', taskId: 't-1' },
  WF_ERR_RETURN_NOT_ALLOWED: { taskId: 't-1', target: 'draft', allowed: 'headApproval' },
  WF_ERR_NOTICE_NOT_FOUND: { noticeId: 'n-1' },
  WF_ERR_NOT_READY: { detail: { 'zh-CN': '数据库或队列无法连接', en: 'connection refused' } },
  WF_ERR_INTERNAL: { errorId: 'e-1' },
};

const HAN = /[\u4e00-\u9fff]/;

describe('error catalogue', () => {
  it('has codes named WF_ERR_…', () => {
    expect(CODES.length).to.be.greaterThan(20);
    for (const code of CODES) expect(code).to.match(/^WF_ERR_[A-Z][A-Z0-9_]*[A-Z0-9]$/);
  });

  it('gives every code a 4xx or 5xx status and non-empty zh-CN and en messages', () => {
    for (const code of CODES) {
      const spec = ERROR_CATALOGUE[code];
      expect(Number.isInteger(spec.status), code).to.equal(true);
      expect(spec.status, code).to.be.within(400, 599);
      expect(spec['zh-CN'].trim(), `${code} zh-CN`).to.not.equal('');
      expect(spec.en.trim(), `${code} en`).to.not.equal('');
    }
  });

  it('uses 500 only for the internal error, and 5xx only for server-side conditions', () => {
    const serverSide = CODES.filter((code) => ERROR_CATALOGUE[code].status >= 500);
    // NOT_READY: the store is down; PROVIDER_UNAVAILABLE: a service the server asks (a hall's queue machine) does not answer.
    expect(serverSide).to.have.members(['WF_ERR_INTERNAL', 'WF_ERR_NOT_READY', 'WF_ERR_PROVIDER_UNAVAILABLE']);
    expect(ERROR_CATALOGUE.WF_ERR_INTERNAL.status).to.equal(500);
  });

  it('uses the same {placeholders} in both languages', () => {
    for (const code of CODES) {
      const spec = ERROR_CATALOGUE[code];
      expect(placeholders(spec['zh-CN']), code).to.deep.equal(placeholders(spec.en));
    }
  });

  it('writes zh-CN messages in Chinese and en messages without Chinese', () => {
    for (const code of CODES) {
      // A template that is only placeholders and punctuation ('{field}：{reason}') has nothing to translate.
      const words = ERROR_CATALOGUE[code]['zh-CN'].replace(/\{\w+\}/g, '');
      if (/[A-Za-z\u4e00-\u9fff]/.test(words)) expect(words, code).to.match(HAN);
      expect(ERROR_CATALOGUE[code].en, code).to.not.match(HAN);
    }
  });

  it('renders every message from its typed context with no placeholder left and nothing undefined', () => {
    for (const code of CODES) {
      for (const locale of LOCALES) {
        const text = formatMessage(code, SAMPLES[code] as never, locale);
        expect(text, `${code} ${locale}`).to.not.match(/\{\w+\}/);
        expect(text, `${code} ${locale}`).to.not.include('undefined');
        expect(text, `${code} ${locale}`).to.not.include('[object Object]');
      }
    }
  });

  it('renders the derived parts: state labels, version suffix, problem summary, missing values', () => {
    expect(formatMessage('WF_ERR_TASK_NOT_ACTIVE', { taskId: 't-1', state: 'completed' }, 'zh-CN')).to.equal('任务 t-1 已结束，不能再办理');
    expect(formatMessage('WF_ERR_TASK_NOT_ACTIVE', { taskId: 't-1', state: 'completed' }, 'en')).to.equal('Task t-1 is already completed');
    expect(formatMessage('WF_ERR_INSTANCE_NOT_RUNNING', { instanceId: 'i-1', state: 'cancelled' }, 'zh-CN')).to.equal('流程实例 i-1 已撤销，不能再操作');
    expect(formatMessage('WF_ERR_DEFINITION_NOT_FOUND', { key: 'orders', version: 2 }, 'zh-CN')).to.equal('流程定义不存在：orders 第 2 版');
    expect(formatMessage('WF_ERR_DEFINITION_NOT_FOUND', { key: 'orders', version: 2 }, 'en')).to.equal('No process definition orders version 2');
    expect(formatMessage('WF_ERR_DEFINITION_NOT_FOUND', { key: 'orders' }, 'en')).to.equal('No process definition orders');
    expect(formatMessage('WF_ERR_BPMN_INVALID', SAMPLES.WF_ERR_BPMN_INVALID, 'en')).to.equal(
      'The BPMN definition has 2 error(s): Script tasks are not run (element calc, line 9); No executable process',
    );
    expect(formatMessage('WF_ERR_BPMN_INVALID', SAMPLES.WF_ERR_BPMN_INVALID, 'zh-CN')).to.equal('BPMN 定义有 2 处错误：脚本任务不执行（元素 calc，第 9 行）；没有可执行的流程');
    expect(formatMessage('WF_ERR_FORM_DATA_INVALID', SAMPLES.WF_ERR_FORM_DATA_INVALID, 'zh-CN')).to.equal('表单有 2 处需要修改：身份证号码：校验位不正确；天数：必填');
    expect(formatMessage('WF_ERR_FORM_INVALID', SAMPLES.WF_ERR_FORM_INVALID, 'en')).to.equal(
      'The form definition has 1 error(s): there is no dictionary leave-types (at /schema/properties/type/x-dictionary)',
    );
    expect(formatMessage('WF_ERR_MIGRATION_INVALID', SAMPLES.WF_ERR_MIGRATION_INVALID, 'zh-CN')).to.equal(
      '有 2 处问题，流程实例未迁移：目标版本没有节点 review（实例 i-1，元素 review）；实例已结束（实例 i-2）',
    );
    expect(formatMessage('WF_ERR_MIGRATION_INVALID', SAMPLES.WF_ERR_MIGRATION_INVALID, 'en')).to.equal(
      'No instance was migrated; 2 problem(s): the target version has no element review (instance i-1, element review); the instance is completed (instance i-2)',
    );
    expect(formatMessage('WF_ERR_MESSAGE_AMBIGUOUS', SAMPLES.WF_ERR_MESSAGE_AMBIGUOUS, 'zh-CN')).to.include('关联键 无');
    expect(formatMessage('WF_ERR_MESSAGE_AMBIGUOUS', SAMPLES.WF_ERR_MESSAGE_AMBIGUOUS, 'en')).to.include('correlation key none');
    expect(formatMessage('WF_ERR_VALIDATION', SAMPLES.WF_ERR_VALIDATION, 'zh-CN')).to.equal('流程：必填');
    expect(formatMessage('WF_ERR_VALIDATION', SAMPLES.WF_ERR_VALIDATION, 'en')).to.equal('process: is required');
  });

  it('names fields by their label or a plain name, and things as people call them', () => {
    expect(fieldLabel('query.limit', 'zh-CN')).to.equal('每页条数');
    expect(fieldLabel('body.xml', 'en')).to.equal('BPMN file');
    expect(fieldLabel('body.variables.amount', 'zh-CN')).to.equal('variables.amount');
    expect(fieldLabel('body', 'zh-CN')).to.equal('请求内容');
    expect(fieldLabel('posts[0].departmentId', 'en')).to.equal('posts[0].departmentId');
    expect(formatMessage('WF_ERR_OUT_OF_SCOPE', { entity: 'task', id: 't-1' }, 'zh-CN')).to.equal('任务 t-1 不在你的数据范围内');
    expect(formatMessage('WF_ERR_OUT_OF_SCOPE', { entity: 'task', id: 't-1' }, 'en')).to.equal('The task t-1 is outside your data scope');
    expect(formatMessage('WF_ERR_CONCURRENT_MODIFICATION', { entity: 'instance', id: 'i-1' }, 'zh-CN')).to.equal('流程实例 i-1 已被他人同时修改，请刷新后重试');
  });

  it('tells a failure’s reason in the caller’s language: its own bilingual text, or a Chinese gist of a library’s English', () => {
    expect(explain(new Explained({ 'zh-CN': '甲', en: 'a' }), '出错')).to.deep.equal({ 'zh-CN': '甲', en: 'a' });
    expect(explain(new SyntaxError('Unexpected token'), '语法错误')).to.deep.equal({ 'zh-CN': '语法错误', en: 'Unexpected token' });
    const message = formatMessage('WF_ERR_EXPRESSION', SAMPLES.WF_ERR_EXPRESSION, 'zh-CN');
    expect(message).to.equal("节点 check 的表达式 ${amount > 5} 无法求值：找不到变量 'amount'");
  });

  it('puts no English prose into a Chinese message rendered from the samples', () => {
    for (const code of CODES) {
      const text = formatMessage(code, SAMPLES[code] as never, 'zh-CN');
      // Identifiers, keys and file names stay as they are; sentences do not.
      expect(text, code).to.not.match(/\b(is|the|not|cannot|failed|of)\b/i);
    }
  });

  it('WorkflowError carries the code, the catalogue status, the field and an English Error message', () => {
    const error = new WorkflowError('WF_ERR_TASK_CLAIMED', { taskId: 't-1', assignee: 'ann' });
    expect(error).to.be.instanceOf(Error);
    expect(error).to.include({ code: 'WF_ERR_TASK_CLAIMED', status: 409, name: 'WorkflowError' });
    expect(error.message).to.equal('WF_ERR_TASK_CLAIMED: Task t-1 is claimed by ann');
    expect(error.localizedMessage('zh-CN')).to.equal('任务 t-1 已由 ann 签收');
    expect(isWorkflowError(error)).to.equal(true);
    expect(isWorkflowError(error, 'WF_ERR_TASK_CLAIMED')).to.equal(true);
    expect(isWorkflowError(error, 'WF_ERR_TASK_NOT_FOUND')).to.equal(false);
    expect(isWorkflowError(new Error('x'))).to.equal(false);

    const field = invalid('body.limit', 'maximum', { 'zh-CN': '不能大于 200', en: 'must be at most 200' });
    expect(field).to.include({ code: 'WF_ERR_VALIDATION', status: 400, field: 'body.limit' });

    const all = invalidAll([
      { field: 'variables.a', rule: 'type', reason: { 'zh-CN': '甲', en: 'a' } },
      { field: 'variables.b', rule: 'type', reason: { 'zh-CN': '乙', en: 'b' } },
    ]);
    expect(all.field).to.equal('variables.a');
    expect(all.context.issues!.map((i) => i.field)).to.deep.equal(['variables.a', 'variables.b']);
    expect(() => invalidAll([])).to.throw();
  });

  describe('use in the code', () => {
    const files = sourceFiles(ENGINE);
    const used = new Map<string, string[]>();
    for (const file of files) {
      for (const code of codeLiterals(fs.readFileSync(file, 'utf8'))) {
        used.set(code, [...(used.get(code) ?? []), path.relative(ENGINE, file)]);
      }
    }

    it('scans the engine sources', () => {
      expect(files.length).to.be.greaterThan(20);
      expect(files).to.include(ERRORS_FILE);
    });

    it('every WF_ERR_… string literal under engine/ is in the catalogue', () => {
      const unknown = [...used.entries()].filter(([code]) => !(code in ERROR_CATALOGUE)).map(([code, where]) => `${code} (${where.join(', ')})`);
      expect(unknown).to.deep.equal([]);
    });

    it('every catalogue code is used under engine/ outside the catalogue file (no dead codes)', () => {
      const outside = new Set<string>();
      for (const file of files.filter((f) => f !== ERRORS_FILE)) for (const code of codeLiterals(fs.readFileSync(file, 'utf8'))) outside.add(code);
      const dead = CODES.filter((code) => !outside.has(code));
      expect(dead).to.deep.equal([]);
    });
  });

  describe('pickLocale', () => {
    it('defaults to zh-CN', () => {
      expect(pickLocale(undefined)).to.equal('zh-CN');
      expect(pickLocale('')).to.equal('zh-CN');
      expect(pickLocale('*')).to.equal('zh-CN');
      expect(pickLocale('zh-CN')).to.equal('zh-CN');
      expect(pickLocale('zh-CN,zh;q=0.9,en;q=0.8')).to.equal('zh-CN');
      expect(pickLocale('zh-TW')).to.equal('zh-CN');
      expect(pickLocale('de-DE')).to.equal('zh-CN');
    });

    it('chooses English when the caller prefers it, in any case and region', () => {
      expect(pickLocale('en')).to.equal('en');
      expect(pickLocale('en-US')).to.equal('en');
      expect(pickLocale('EN-gb')).to.equal('en');
      expect(pickLocale(' en-US , en;q=0.9')).to.equal('en');
      expect(pickLocale('en-US,en;q=0.9,zh-CN;q=0.8')).to.equal('en');
    });

    it('honours q-values: English is chosen when weighted above Chinese', () => {
      expect(pickLocale('zh-CN;q=0.5, en;q=0.9')).to.equal('en');
      expect(pickLocale('fr-FR, en;q=0.8')).to.equal('en');
      expect(pickLocale('en;q=0.1, zh-CN;q=0.9')).to.equal('zh-CN');
    });
  });
});
