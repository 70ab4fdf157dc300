/**
 * The one error catalogue. Every error the product reports has a stable code,
 * an HTTP status and a message in zh-CN and en. Messages are templates over the
 * error's typed context: `{field}` is replaced by `context.field`.
 * A test keeps this table, its use in the code and docs in sync.
 */

import type { FieldIssue, Locale, LocalizedText } from '../../forms/model.ts';
import type { CatalogProblem } from '../../definitions/catalog/validate.ts';
import { PERMISSIONS, type Permission } from './permissions.ts';

export type { Locale, LocalizedText };
export { t } from '../../forms/model.ts';

interface ErrorSpec {
  status: number;
  'zh-CN': string;
  en: string;
}

export const ERROR_CATALOGUE = {
  WF_ERR_VALIDATION: { status: 400, 'zh-CN': '{fieldLabel}：{reason}', en: '{fieldLabel}: {reason}' },
  WF_ERR_BAD_REQUEST: { status: 400, 'zh-CN': '请求无法处理：{detail}', en: 'The request cannot be processed: {detail}' },
  WF_ERR_MALFORMED_JSON: { status: 400, 'zh-CN': '请求体不是合法的 JSON：{detail}', en: 'The request body is not valid JSON: {detail}' },
  WF_ERR_BODY_TOO_LARGE: { status: 413, 'zh-CN': '请求体过大（上限 {limit}）', en: 'The request body is too large (limit {limit})' },
  WF_ERR_BODY_TOO_DEEP: { status: 400, 'zh-CN': '请求体嵌套过深（最多 {limit} 层）', en: 'The request body is nested too deeply (at most {limit} levels)' },
  WF_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, 'zh-CN': '不支持的内容类型 {contentType}', en: 'Unsupported content type {contentType}' },
  WF_ERR_ROUTE_NOT_FOUND: { status: 404, 'zh-CN': '接口不存在：{method} {path}', en: 'No such endpoint: {method} {path}' },

  WF_ERR_BPMN_MALFORMED: { status: 400, 'zh-CN': 'BPMN 文件无法解析（第 {line} 行第 {column} 列）：{detail}', en: 'The BPMN file cannot be parsed (line {line}, column {column}): {detail}' },
  WF_ERR_BPMN_INVALID: { status: 422, 'zh-CN': 'BPMN 定义有 {count} 处错误：{summary}', en: 'The BPMN definition has {count} error(s): {summary}' },
  WF_ERR_NO_NONE_START_EVENT: {
    status: 422,
    'zh-CN': '流程 {key} 没有空开始事件，只能由消息、信号或定时器启动',
    en: 'Process {key} has no none start event; it starts only by message, signal or timer',
  },
  WF_ERR_SCENARIOS_FAILED: {
    status: 422,
    'zh-CN': '有 {count} 个场景未通过，未部署（可写明理由后仍然部署）：{summary}',
    en: '{count} scenario(s) failed; nothing was deployed (deploy anyway by giving a reason): {summary}',
  },
  WF_ERR_DEFINITION_NOT_FOUND: { status: 404, 'zh-CN': '流程定义不存在：{key}{versionSuffix}', en: 'No process definition {key}{versionSuffix}' },

  WF_ERR_INSTANCE_NOT_FOUND: { status: 404, 'zh-CN': '流程实例不存在：{instanceId}', en: 'No process instance {instanceId}' },
  WF_ERR_INSTANCE_NOT_RUNNING: { status: 409, 'zh-CN': '流程实例 {instanceId} 已{stateLabel}，不能再操作', en: 'Process instance {instanceId} is {state} and cannot be changed' },
  WF_ERR_NOT_INITIATOR: { status: 403, 'zh-CN': '只有申请人可以撤回流程实例 {instanceId}', en: 'Only the initiator can withdraw process instance {instanceId}' },
  WF_ERR_ALREADY_HANDLED: { status: 409, 'zh-CN': '{by} 已处理“{task}”，不能再撤回', en: '{by} has already acted on "{task}"; it can no longer be withdrawn' },
  WF_ERR_CALLED_INSTANCE: {
    status: 409,
    'zh-CN': '流程实例 {instanceId} 由上级流程 {parentId} 调用，请撤销上级流程',
    en: 'Process instance {instanceId} was called by {parentId}; cancel that instance instead',
  },
  WF_ERR_CONCURRENT_MODIFICATION: {
    status: 409,
    'zh-CN': '{entityLabel} {id} 已被他人同时修改，请刷新后重试',
    en: '{entityLabel} {id} was changed by someone else at the same time; reload and retry',
  },

  WF_ERR_TASK_NOT_FOUND: { status: 404, 'zh-CN': '任务不存在：{taskId}', en: 'No task {taskId}' },
  WF_ERR_TASK_NOT_ACTIVE: { status: 409, 'zh-CN': '任务 {taskId} 已{stateLabel}，不能再办理', en: 'Task {taskId} is already {state}' },
  WF_ERR_TASK_CLAIMED: { status: 409, 'zh-CN': '任务 {taskId} 已由 {assignee} 签收', en: 'Task {taskId} is claimed by {assignee}' },
  WF_ERR_BPMN_ERROR_UNCAUGHT: { status: 422, 'zh-CN': '任务 {taskId} 上没有边界事件捕获错误 {code}：未作任何修改', en: 'No boundary event of task {taskId} catches the error {code}; nothing was changed' },
  WF_ERR_TASK_NOT_CLAIMED: { status: 409, 'zh-CN': '任务 {taskId} 尚未被签收', en: 'Task {taskId} is not claimed' },

  WF_ERR_MESSAGE_NOT_CORRELATED: { status: 404, 'zh-CN': '没有等待消息 {name}（关联键 {correlationKey}）的流程', en: 'No process is waiting for message {name} (correlation key {correlationKey})' },
  WF_ERR_MESSAGE_AMBIGUOUS: {
    status: 409,
    'zh-CN': '消息 {name}（关联键 {correlationKey}）匹配到 {count} 个等待者；请指定关联键或使用 all',
    en: 'Message {name} (correlation key {correlationKey}) matches {count} receivers; narrow the key or send with all=true',
  },

  WF_ERR_EXPRESSION: { status: 422, 'zh-CN': '节点 {elementId} 的表达式 {expression} 无法求值：{detail}', en: 'The expression {expression} of element {elementId} cannot be evaluated: {detail}' },
  WF_ERR_NO_OUTGOING_FLOW: {
    status: 422,
    'zh-CN': '网关 {elementId} 没有满足条件的出口，流程无法继续',
    en: 'Gateway {elementId} has no outgoing flow whose condition holds; the process cannot continue',
  },
  WF_ERR_STEP_FAILED: { status: 422, 'zh-CN': '流程在节点 {elementId} 出错：{detail}', en: 'The process failed at element {elementId}: {detail}' },

  WF_ERR_MIGRATION_INVALID: { status: 422, 'zh-CN': '有 {count} 处问题，流程实例未迁移：{summary}', en: 'No instance was migrated; {count} problem(s): {summary}' },

  WF_ERR_FORM_INVALID: { status: 422, 'zh-CN': '表单定义有 {count} 处错误：{summary}', en: 'The form definition has {count} error(s): {summary}' },
  WF_ERR_FORM_NOT_FOUND: { status: 404, 'zh-CN': '表单不存在：{key}{versionSuffix}', en: 'No form {key}{versionSuffix}' },
  WF_ERR_FORM_DATA_INVALID: { status: 422, 'zh-CN': '表单有 {count} 处需要修改：{summary}', en: 'The form has {count} problem(s): {summary}' },
  WF_ERR_TASK_HAS_NO_FORM: { status: 404, 'zh-CN': '任务 {taskId} 没有表单', en: 'Task {taskId} has no form' },
  WF_ERR_NO_START_FORM: { status: 404, 'zh-CN': '流程 {key} 的开始事件没有表单', en: 'The start event of process {key} has no form' },
  WF_ERR_DRAFT_NOT_FOUND: { status: 404, 'zh-CN': '没有保存的草稿', en: 'There is no saved draft' },
  WF_ERR_DICTIONARY_NOT_FOUND: { status: 404, 'zh-CN': '字典不存在：{key}', en: 'No dictionary {key}' },
  WF_ERR_IDENTITY_LEVEL: {
    status: 403,
    'zh-CN': '办理本业务需要{required}级实名认证，你目前为{current}级，请先完成实名认证',
    en: 'This service needs real-name level {required}; yours is {current}: raise it first',
  },
  WF_ERR_DOCUMENT_NOT_FOUND: { status: 404, 'zh-CN': '证照不存在或校验码不正确：{id}', en: 'No such document, or its code does not check: {id}' },
  WF_ERR_CATALOG_INVALID: { status: 422, 'zh-CN': '服务目录有 {count} 处错误，未作任何修改：{summary}', en: 'The catalog has {count} error(s); nothing was changed: {summary}' },
  WF_ERR_CATALOG_COMPILE: { status: 422, 'zh-CN': '业务 {service} 有 {count} 处配置无法编译：{summary}', en: 'Service {service} cannot be compiled; {count} problem(s): {summary}' },
  WF_ERR_CATALOG_ROW_NOT_FOUND: { status: 404, 'zh-CN': '服务目录的 {table} 表中没有 {key}', en: 'The catalog table {table} has no row {key}' },
  WF_ERR_SERVICE_NOT_FOUND: { status: 404, 'zh-CN': '办事大厅没有业务 {number}（未开通或已关闭）', en: 'The service hall has no service {number} (not open, or closed)' },
  WF_ERR_SERVICE_NO_SLOTS: { status: 404, 'zh-CN': '业务 {number} 不预约排队号，没有时段', en: 'Service {number} books no queue numbers: it has no time slots' },
  WF_ERR_LINK_INVALID: { status: 404, 'zh-CN': '链接无效：请打开邀请中的完整链接', en: 'This link is not valid: open the whole link from the invitation' },
  WF_ERR_LINK_EXPIRED: { status: 410, 'zh-CN': '链接已过期，请与邀请方联系', en: 'This link has expired; please contact whoever invited you' },
  WF_ERR_LINK_USED: { status: 409, 'zh-CN': '此链接已经答复过，不能再次使用', en: 'This link has been answered already and cannot be used again' },
  WF_ERR_INVITATION_CLOSED: { status: 409, 'zh-CN': '此邀请已结束，不再等待答复', en: 'This invitation is closed: no answer is awaited any more' },
  WF_ERR_CATALOG_HAND_EDITED: {
    status: 409,
    'zh-CN': '业务 {service} 的流程第 {version} 版是手工修改后发布的，不再由目录编译；确认覆盖后才能重新发布',
    en: 'Version {version} of service {service} was deployed by hand and no longer follows the catalog; publish again only with confirmation to replace it',
  },
  WF_ERR_FILE_NOT_FOUND: { status: 404, 'zh-CN': '文件不存在或无权查看：{fileId}', en: 'No file {fileId}, or it is not yours to see' },
  WF_ERR_FILE_TOO_LARGE: { status: 413, 'zh-CN': '文件 {name} 超过大小上限 {limit}', en: 'The file {name} is larger than {limit}' },
  WF_ERR_UPLOAD_QUOTA: {
    status: 413,
    'zh-CN': '尚未提交的上传文件已达上限 {limit}，请先提交或删除草稿，或稍后再试',
    en: 'Your uploads not yet part of a case reach the limit of {limit}; submit or discard a draft first, or try later',
  },
  WF_ERR_FILE_TYPE: { status: 415, 'zh-CN': '文件 {name} 的类型（{contentType}）不被接受，可上传：{allowed}', en: 'The file {name} ({contentType}) is not accepted; allowed: {allowed}' },

  WF_ERR_JOB_NOT_FOUND: { status: 404, 'zh-CN': '作业不存在：{jobId}', en: 'No job {jobId}' },
  WF_ERR_JOB_NOT_FAILED: { status: 409, 'zh-CN': '作业 {jobId} 不在失败列表中（状态：{state}），不能取消', en: 'Job {jobId} is not a dead letter (state: {state}) and cannot be cancelled' },
  WF_ERR_CONNECTOR_NOT_FOUND: { status: 404, 'zh-CN': '连接器不存在：{connector}', en: 'No connector {connector}' },
  WF_ERR_PROVIDER_UNAVAILABLE: { status: 503, 'zh-CN': '{connector}暂时无法应答，请稍后再试', en: 'The {connector} does not answer now; try again later' },
  WF_ERR_CALLBACK_REJECTED: { status: 401, 'zh-CN': '{connector} 回调验证失败：{detail}', en: 'The {connector} callback failed verification: {detail}' },
  WF_ERR_CALLBACK_IN_PROGRESS: { status: 409, 'zh-CN': '{connector} 的同一回调正在处理中，请稍后重发', en: 'The same {connector} callback is being handled; send it again later' },

  WF_ERR_INCIDENT_NOT_FOUND: { status: 404, 'zh-CN': '异常不存在：{incidentId}', en: 'No incident {incidentId}' },
  WF_ERR_INCIDENT_NOT_OPEN: { status: 409, 'zh-CN': '异常 {incidentId} 已处理', en: 'Incident {incidentId} is already resolved' },

  WF_ERR_UNAUTHENTICATED: { status: 401, 'zh-CN': '请先登录（会话不存在或已过期）', en: 'Sign in first (no session, or it has expired)' },
  WF_ERR_LOGIN_FAILED: { status: 401, 'zh-CN': '用户名或密码不正确', en: 'Wrong username or password' },
  WF_ERR_ACCOUNT_LOCKED: { status: 423, 'zh-CN': '登录失败次数过多，账号已锁定至 {until}', en: 'Too many failed sign-ins; the account is locked until {until}' },
  WF_ERR_RATE_LIMITED: { status: 429, 'zh-CN': '操作过于频繁，请 {retryAfter} 秒后再试', en: 'Too many attempts; try again in {retryAfter} s' },
  WF_ERR_SMS_CODE_INVALID: { status: 401, 'zh-CN': '短信验证码不正确或已失效（{problemLabel}）', en: 'The SMS code is wrong or no longer valid ({problem})' },
  WF_ERR_CSRF: { status: 403, 'zh-CN': '请求缺少有效的 CSRF 令牌（X-CSRF-Token），请刷新页面后重试', en: 'The request lacks a valid CSRF token (X-CSRF-Token); reload the page and retry' },
  WF_ERR_FORBIDDEN: { status: 403, 'zh-CN': '没有权限：{permissionLabel}', en: 'Not allowed: {permission}' },
  WF_ERR_OUT_OF_SCOPE: { status: 403, 'zh-CN': '{entityLabel} {id} 不在你的数据范围内', en: 'The {entityLabel} {id} is outside your data scope' },
  WF_ERR_START_FORBIDDEN: { status: 403, 'zh-CN': '你不能发起流程 {key}', en: 'You may not start process {key}' },
  WF_ERR_NOT_CANDIDATE: { status: 403, 'zh-CN': '你不是任务 {taskId} 的办理人或候选人', en: 'You are neither the assignee nor a candidate of task {taskId}' },
  WF_ERR_USER_NOT_FOUND: { status: 404, 'zh-CN': '用户不存在：{userId}', en: 'No user {userId}' },
  WF_ERR_DEPARTMENT_NOT_FOUND: { status: 404, 'zh-CN': '部门不存在：{departmentId}', en: 'No department {departmentId}' },
  WF_ERR_ROLE_NOT_FOUND: { status: 404, 'zh-CN': '角色不存在：{role}', en: 'No role {role}' },
  WF_ERR_USER_EXISTS: { status: 409, 'zh-CN': '用户 {userId} 或用户名 {username} 已存在', en: 'User {userId} or username {username} already exists' },
  WF_ERR_DEPARTMENT_NOT_EMPTY: {
    status: 409,
    'zh-CN': '部门 {departmentId} 下还有 {count} 个子部门或人员，不能删除',
    en: 'Department {departmentId} still has {count} sub-department(s) or member(s)',
  },
  WF_ERR_DEPARTMENT_CYCLE: { status: 409, 'zh-CN': '部门 {departmentId} 不能放在自己的下级部门 {parentId} 之下', en: 'Department {departmentId} cannot move under its own sub-department {parentId}' },
  WF_ERR_SEPARATION_OF_DUTIES: { status: 409, 'zh-CN': '三员分立：{userId} 不能同时担任 {roles}', en: 'Separation of duties: {userId} cannot hold {roles} together' },
  WF_ERR_GRANT_EXCEEDS_OWN: { status: 403, 'zh-CN': '不能授予超出自己权限或管理范围的{what}：{value}', en: 'Cannot grant a {what} beyond your own rights or managed departments: {value}' },
  WF_ERR_IMPORT_INVALID: { status: 422, 'zh-CN': '导入文件有 {count} 行有误，未导入任何数据：{summary}', en: 'The import has {count} bad row(s); nothing was imported: {summary}' },
  WF_ERR_INCIDENT_NEEDS_ASSIGNEE: { status: 409, 'zh-CN': '异常 {incidentId} 不能重试：请为任务 {taskId} 指定办理人', en: 'Incident {incidentId} cannot be retried: assign task {taskId} to someone' },
  WF_ERR_RETURN_NOT_ALLOWED: {
    status: 409,
    'zh-CN': '任务 {taskId} 不能退回到 {target}（可退回到：{allowed}；有并行分支未完成时不能退回）',
    en: 'Task {taskId} cannot be returned to {target} (allowed: {allowed}; not while parallel branches are open)',
  },
  WF_ERR_NOTICE_NOT_FOUND: { status: 404, 'zh-CN': '通知不存在：{noticeId}', en: 'No notice {noticeId}' },
  WF_ERR_NOT_READY: { status: 503, 'zh-CN': '服务尚未就绪：{detail}', en: 'The service is not ready: {detail}' },
  WF_ERR_INTERNAL: { status: 500, 'zh-CN': '服务器内部错误（编号 {errorId}）', en: 'Internal server error (reference {errorId})' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** One problem found in a BPMN file, reported with the element and its line. */
export interface DefinitionProblem {
  rule: string;
  elementId?: string;
  line?: number;
  message: LocalizedText;
}

/** Why an instance cannot move to another version, naming the instance and the activity. */
export interface MigrationProblem {
  instanceId?: string;
  elementId?: string;
  message: LocalizedText;
}

/** A bad row of an import file: its line and what is wrong, per field. */
export interface ImportRowProblem {
  row: number;
  field: string;
  message: LocalizedText;
}

/** One failed rule of one input field. */
export interface ValidationIssue {
  field: string;
  rule: string;
  reason: LocalizedText;
}

/** The typed context each code carries. */
export interface ErrorContexts {
  WF_ERR_VALIDATION: { field: string; reason: LocalizedText; rule: string; issues?: ValidationIssue[] };
  WF_ERR_BAD_REQUEST: { detail: LocalizedText };
  WF_ERR_MALFORMED_JSON: { detail: LocalizedText };
  WF_ERR_BODY_TOO_LARGE: { limit: string };
  WF_ERR_BODY_TOO_DEEP: { limit: number };
  WF_ERR_START_FORBIDDEN: { key: string };
  WF_ERR_UNSUPPORTED_MEDIA_TYPE: { contentType: string };
  WF_ERR_ROUTE_NOT_FOUND: { method: string; path: string };
  WF_ERR_BPMN_MALFORMED: { line: number; column: number; detail: LocalizedText };
  WF_ERR_BPMN_INVALID: { count: number; problems: DefinitionProblem[] };
  WF_ERR_SCENARIOS_FAILED: { count: number; problems: DefinitionProblem[] };
  WF_ERR_DEFINITION_NOT_FOUND: { key: string; version?: number };
  WF_ERR_NO_NONE_START_EVENT: { key: string };
  WF_ERR_INSTANCE_NOT_FOUND: { instanceId: string };
  WF_ERR_INSTANCE_NOT_RUNNING: { instanceId: string; state: string };
  WF_ERR_NOT_INITIATOR: { instanceId: string };
  WF_ERR_ALREADY_HANDLED: { instanceId: string; task: string; by: string };
  WF_ERR_CALLED_INSTANCE: { instanceId: string; parentId: string };
  WF_ERR_CONCURRENT_MODIFICATION: { entity: string; id: string };
  WF_ERR_TASK_NOT_FOUND: { taskId: string };
  WF_ERR_TASK_NOT_ACTIVE: { taskId: string; state: string };
  WF_ERR_TASK_CLAIMED: { taskId: string; assignee: string };
  WF_ERR_BPMN_ERROR_UNCAUGHT: { taskId: string; code: string };
  WF_ERR_TASK_NOT_CLAIMED: { taskId: string };
  WF_ERR_MESSAGE_NOT_CORRELATED: { name: string; correlationKey: string | null };
  WF_ERR_MESSAGE_AMBIGUOUS: { name: string; correlationKey: string | null; count: number };
  WF_ERR_EXPRESSION: { elementId: string; expression: string; detail: LocalizedText; identifier?: string };
  WF_ERR_NO_OUTGOING_FLOW: { elementId: string };
  WF_ERR_STEP_FAILED: { elementId: string; detail: LocalizedText };
  WF_ERR_MIGRATION_INVALID: { count: number; problems: MigrationProblem[] };
  WF_ERR_FORM_INVALID: { key: string; count: number; problems: Array<{ pointer: string; message: LocalizedText }> };
  WF_ERR_FORM_NOT_FOUND: { key: string; version?: number };
  WF_ERR_FORM_DATA_INVALID: { count: number; issues: FieldIssue[] };
  WF_ERR_TASK_HAS_NO_FORM: { taskId: string };
  WF_ERR_NO_START_FORM: { key: string };
  WF_ERR_DRAFT_NOT_FOUND: { target: string };
  WF_ERR_DICTIONARY_NOT_FOUND: { key: string };
  WF_ERR_DOCUMENT_NOT_FOUND: { id: string };
  WF_ERR_IDENTITY_LEVEL: { key: string; required: number; current: number };
  WF_ERR_CATALOG_INVALID: { count: number; problems: CatalogProblem[] };
  WF_ERR_CATALOG_COMPILE: { service: string; count: number; problems: CatalogProblem[] };
  WF_ERR_CATALOG_ROW_NOT_FOUND: { table: string; key: string };
  WF_ERR_SERVICE_NOT_FOUND: { number: string };
  WF_ERR_SERVICE_NO_SLOTS: { number: string };
  WF_ERR_LINK_INVALID: Record<string, never>;
  WF_ERR_LINK_EXPIRED: { expiresAt: number };
  WF_ERR_LINK_USED: { answeredAt: number };
  WF_ERR_INVITATION_CLOSED: { instanceId: string };
  WF_ERR_CATALOG_HAND_EDITED: { service: string; version: number };
  WF_ERR_FILE_NOT_FOUND: { fileId: string };
  WF_ERR_FILE_TOO_LARGE: { name: string; limit: string };
  WF_ERR_UPLOAD_QUOTA: { limit: string };
  WF_ERR_FILE_TYPE: { name: string; contentType: string; allowed: string };
  WF_ERR_JOB_NOT_FOUND: { jobId: string };
  WF_ERR_JOB_NOT_FAILED: { jobId: string; state: string };
  WF_ERR_CONNECTOR_NOT_FOUND: { connector: string };
  WF_ERR_PROVIDER_UNAVAILABLE: { connector: LocalizedText };
  WF_ERR_CALLBACK_REJECTED: { connector: string; detail: LocalizedText };
  WF_ERR_CALLBACK_IN_PROGRESS: { connector: string };
  WF_ERR_INCIDENT_NOT_FOUND: { incidentId: string };
  WF_ERR_INCIDENT_NOT_OPEN: { incidentId: string };
  WF_ERR_UNAUTHENTICATED: Record<string, never>;
  WF_ERR_LOGIN_FAILED: Record<string, never>;
  WF_ERR_ACCOUNT_LOCKED: { until: string };
  WF_ERR_RATE_LIMITED: { retryAfter: number };
  WF_ERR_SMS_CODE_INVALID: { problem: string };
  WF_ERR_CSRF: Record<string, never>;
  WF_ERR_FORBIDDEN: { permission: string };
  WF_ERR_OUT_OF_SCOPE: { entity: string; id: string };
  WF_ERR_NOT_CANDIDATE: { taskId: string };
  WF_ERR_USER_NOT_FOUND: { userId: string };
  WF_ERR_DEPARTMENT_NOT_FOUND: { departmentId: string };
  WF_ERR_ROLE_NOT_FOUND: { role: string };
  WF_ERR_USER_EXISTS: { userId: string; username: string };
  WF_ERR_DEPARTMENT_NOT_EMPTY: { departmentId: string; count: number };
  WF_ERR_DEPARTMENT_CYCLE: { departmentId: string; parentId: string };
  WF_ERR_SEPARATION_OF_DUTIES: { userId: string; roles: string };
  WF_ERR_GRANT_EXCEEDS_OWN: { what: LocalizedText; value: string };
  WF_ERR_IMPORT_INVALID: { count: number; rows: ImportRowProblem[] };
  WF_ERR_INCIDENT_NEEDS_ASSIGNEE: { incidentId: string; taskId: string };
  WF_ERR_RETURN_NOT_ALLOWED: { taskId: string; target: string; allowed: string };
  WF_ERR_NOTICE_NOT_FOUND: { noticeId: string };
  WF_ERR_NOT_READY: { detail: LocalizedText };
  WF_ERR_INTERNAL: { errorId: string };
}

const STATE_LABELS: Record<string, string> = {
  running: '运行中',
  completed: '结束',
  cancelled: '撤销',
  failed: '失败',
  active: '待办',
};

/** What an error's `entity` names, as people call it. */
const ENTITY_LABELS: Record<string, LocalizedText> = {
  task: { 'zh-CN': '任务', en: 'task' },
  instance: { 'zh-CN': '流程实例', en: 'process instance' },
  chain: { 'zh-CN': '流程实例的办理记录', en: 'history of process instance' },
  user: { 'zh-CN': '用户', en: 'user' },
  department: { 'zh-CN': '部门', en: 'department' },
  dictionary: { 'zh-CN': '字典', en: 'dictionary' },
  connector: { 'zh-CN': '连接器', en: 'connector' },
  definition: { 'zh-CN': '流程定义', en: 'process definition' },
  form: { 'zh-CN': '表单', en: 'form' },
  file: { 'zh-CN': '文件', en: 'file' },
  transaction: { 'zh-CN': '数据', en: 'data' },
};

/**
 * The API's field names people meet in messages, by their label; any other
 * field shows as its plain name (`body.variables.amount` → `variables.amount`).
 * The error's `field` keeps the full path for programs.
 */
const FIELD_LABELS: Record<string, LocalizedText> = {
  '': { 'zh-CN': '请求内容', en: 'request body' },
  path: { 'zh-CN': '地址', en: 'address' },
  limit: { 'zh-CN': '每页条数', en: 'page size' },
  offset: { 'zh-CN': '起始位置', en: 'offset' },
  sort: { 'zh-CN': '排序', en: 'sort order' },
  xml: { 'zh-CN': 'BPMN 文件', en: 'BPMN file' },
  file: { 'zh-CN': '文件', en: 'file' },
  key: { 'zh-CN': '标识', en: 'key' },
  id: { 'zh-CN': '编号', en: 'id' },
  version: { 'zh-CN': '版本', en: 'version' },
  processKey: { 'zh-CN': '流程', en: 'process' },
  instanceId: { 'zh-CN': '流程实例', en: 'process instance' },
  instanceIds: { 'zh-CN': '流程实例', en: 'process instances' },
  taskId: { 'zh-CN': '任务', en: 'task' },
  activityId: { 'zh-CN': '节点', en: 'activity' },
  variables: { 'zh-CN': '流程变量', en: 'variables' },
  priority: { 'zh-CN': '优先级', en: 'priority' },
  dueBefore: { 'zh-CN': '到期时间上限', en: 'due before' },
  dueAfter: { 'zh-CN': '到期时间下限', en: 'due after' },
  username: { 'zh-CN': '用户名', en: 'username' },
  password: { 'zh-CN': '密码', en: 'password' },
  phone: { 'zh-CN': '手机号', en: 'phone number' },
  code: { 'zh-CN': '验证码', en: 'code' },
  comment: { 'zh-CN': '意见', en: 'comment' },
  assignee: { 'zh-CN': '办理人', en: 'assignee' },
  departmentId: { 'zh-CN': '部门', en: 'department' },
  message: { 'zh-CN': '消息', en: 'message' },
  signal: { 'zh-CN': '信号', en: 'signal' },
  rev: { 'zh-CN': '修订号', en: 'revision' },
};

/** A field as a person reads it: its label, or its path without the request part it came in. */
export function fieldLabel(field: string, locale: Locale): string {
  const plain = field.replace(/^(body|query|params)(\.|$)/, '');
  return FIELD_LABELS[plain]?.[locale] ?? plain;
}

const CODE_PROBLEM_LABELS: Record<string, string> = {
  'none-sent': '未发送或已使用',
  expired: '已过期',
  'too-many-tries': '尝试次数过多',
  wrong: '验证码错误',
};

export class WorkflowError<C extends ErrorCode = ErrorCode> extends Error {
  readonly status: number;
  constructor(
    readonly code: C,
    readonly context: ErrorContexts[C],
    /** JSON pointer-ish path of the offending input field, when there is one. */
    readonly field?: string,
  ) {
    super(`${code}: ${formatMessage(code, context, 'en')}`);
    this.name = 'WorkflowError';
    this.status = ERROR_CATALOGUE[code].status;
  }

  localizedMessage(locale: Locale): string {
    return formatMessage(this.code, this.context, locale);
  }
}

/**
 * Why something failed, in both languages: the failure's own bilingual `text` (an expression's, a
 * callback's), or else a library's English message with a plain Chinese gist of it.
 */
export function explain(err: unknown, gist: string): LocalizedText {
  const text = (err as { text?: unknown } | null)?.text as Partial<LocalizedText> | undefined;
  if (typeof text?.en === 'string' && typeof text['zh-CN'] === 'string') return { 'zh-CN': text['zh-CN'], en: text.en };
  return { 'zh-CN': gist, en: err instanceof Error ? err.message : String(err) };
}

/** A failure inside the core told in both languages, for `explain` to pass on. */
export class Explained extends Error {
  constructor(readonly text: LocalizedText) {
    super(text.en);
  }
}

export function isWorkflowError<C extends ErrorCode>(err: unknown, code?: C): err is WorkflowError<C> {
  return err instanceof WorkflowError && (code === undefined || err.code === code);
}

/** Shorthand for input validation failures: the field and a reason in both languages. */
export function invalid(field: string, rule: string, reason: LocalizedText): WorkflowError<'WF_ERR_VALIDATION'> {
  return new WorkflowError('WF_ERR_VALIDATION', { field, reason, rule }, field);
}

/** Several failed rules at once: the first names the error, all are listed. */
export function invalidAll(issues: ValidationIssue[]): WorkflowError<'WF_ERR_VALIDATION'> {
  const [first] = issues;
  if (!first) throw new Error('invalidAll needs at least one issue');
  return new WorkflowError('WF_ERR_VALIDATION', { ...first, issues }, first.field);
}

export function formatMessage<C extends ErrorCode>(code: C, context: ErrorContexts[C], locale: Locale): string {
  const template: string = ERROR_CATALOGUE[code][locale];
  const values = { ...(context as Record<string, unknown>) };
  if (typeof values.field === 'string') values.fieldLabel = fieldLabel(values.field, locale);
  if (typeof values.entity === 'string') values.entityLabel = ENTITY_LABELS[values.entity]?.[locale] ?? values.entity;
  if (typeof values.state === 'string') values.stateLabel = locale === 'zh-CN' ? (STATE_LABELS[values.state] ?? values.state) : values.state;
  values.versionSuffix = values.version !== undefined ? (locale === 'zh-CN' ? ` 第 ${values.version} 版` : ` version ${values.version}`) : '';
  const separator = locale === 'zh-CN' ? '；' : '; ';
  if (code === 'WF_ERR_FORM_DATA_INVALID') values.summary = (values.issues as FieldIssue[]).map((i) => i.message).join(separator);
  if (typeof values.problem === 'string') values.problemLabel = locale === 'zh-CN' ? (CODE_PROBLEM_LABELS[values.problem] ?? values.problem) : values.problem;
  if (typeof values.permission === 'string') values.permissionLabel = locale === 'zh-CN' ? (PERMISSIONS[values.permission as Permission]?.['zh-CN'] ?? values.permission) : values.permission;
  if (code === 'WF_ERR_IMPORT_INVALID') {
    const rows = values.rows as ImportRowProblem[];
    values.summary =
      rows
        .slice(0, 5)
        .map((r) => (locale === 'zh-CN' ? `第 ${r.row} 行 ${r.field}：${r.message[locale]}` : `row ${r.row}, ${r.field}: ${r.message[locale]}`))
        .join(separator) + (rows.length > 5 ? '…' : '');
  }
  if (Array.isArray(values.problems)) {
    values.summary = (values.problems as Array<DefinitionProblem | MigrationProblem>).map((p) => describeProblem(p, locale)).join(separator);
  }
  return template.replace(/\{(\w+)\}/g, (_, name: string) => textOf(values[name], locale));
}

export function describeProblem(p: Omit<DefinitionProblem, 'rule'> & { instanceId?: string; pointer?: string }, locale: Locale): string {
  const zh = locale === 'zh-CN';
  const where: string[] = [];
  if (p.pointer) where.push(zh ? `位置 ${p.pointer}` : `at ${p.pointer}`);
  if (p.instanceId) where.push(zh ? `实例 ${p.instanceId}` : `instance ${p.instanceId}`);
  if (p.elementId) where.push(zh ? `元素 ${p.elementId}` : `element ${p.elementId}`);
  if (p.line !== undefined) where.push(zh ? `第 ${p.line} 行` : `line ${p.line}`);
  if (!where.length) return p.message[locale];
  return zh ? `${p.message[locale]}（${where.join('，')}）` : `${p.message[locale]} (${where.join(', ')})`;
}

function textOf(value: unknown, locale: Locale): string {
  if (value === null || value === undefined) return locale === 'zh-CN' ? '无' : 'none';
  if (typeof value === 'object' && locale in (value as object)) return String((value as LocalizedText)[locale]);
  return String(value);
}

/** Parse an Accept-Language header: the caller's most preferred of zh-CN and en; zh-CN when neither is named. */
export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'zh-CN';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = Number(
        params
          .map((p) => p.trim())
          .find((p) => p.startsWith('q='))
          ?.slice(2) ?? 1,
      );
      return { tag, q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((l) => l.q > 0 && (l.tag.startsWith('en') || l.tag.startsWith('zh')))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.tag.startsWith('en') ? 'en' : 'zh-CN';
}
