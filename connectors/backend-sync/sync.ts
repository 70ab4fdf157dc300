/**
 * One syncBusInfo request, whichever format it came in (JSON or the XML of
 * the interface document): the business system is authenticated by its own
 * secret, then either reads a case (GET: only the processes and variables its
 * settings name) or reports progress on one (UPDATE: a message to the
 * instance waiting for the system's decision). Refusals are answered in the
 * sender's own format.
 */
import { createHash } from 'node:crypto';
import { t, CallbackRejected, type CallbackContext, type CallbackEvent, type CaseSnapshot, type InboundRequest, type LocalizedText } from '../../engine/core/connectors/port.ts';
import { signatureProblem } from '../lib/signing.ts';
import { readDataDocument, writeAnswer, XmlProblem } from './xml.ts';

export const SYSTEM_HEADER = 'x-business-system';
/** What a receive task waiting for the business system's decision listens to, keyed by case id. */
const UPDATE_MESSAGE = 'backend.update';

/** What a case handed to a system waits on: that system's UPDATEs for that case (another system's never reach it). */
export const updateKey = (system: string, caseId: string) => `${system}:${caseId}`;

export interface BackendSettings {
  systems: Record<string, BusinessSystem>;
  timeoutMs: number;
}

export interface BusinessSystem {
  /** Where it is told that a case is ready to pull. */
  url: string;
  /** Where it answers queries (业务查询), if it does. */
  queryUrl?: string;
  /** The processes whose cases it handles. */
  processKeys: string[];
  /** What it may read of a case. */
  variables: string[];
}

interface SyncRequest {
  op: 'GET' | 'UPDATE';
  caseId: string;
  state: string;
  detail: string;
  /** The sender's id of an UPDATE, if it has one; otherwise its content is. */
  updateId: string | null;
}

interface Answers {
  found(snapshot: CaseSnapshot): string;
  updated(): string;
  error(text: LocalizedText): string;
}

export interface Dialect {
  contentType: string;
  /** A refused sender is answered in the protocol's own form (the XML's RESULT 1), else with the API's 401. */
  answersRefusals: boolean;
  /** Before the body is read, answers go out in this form. */
  answers: Answers;
  /** The request's fields by our names; throws BadRequest. */
  read(body: Buffer): { fields: Partial<Record<keyof SyncRequest, unknown>>; answers: Answers };
}

class BadRequest extends Error {
  constructor(readonly text: LocalizedText) {
    super(text.en);
  }
}

export const settingsOf = (config: { settings: Record<string, unknown> }) => config.settings as unknown as BackendSettings;
export const systemOf = (settings: BackendSettings, name: string): BusinessSystem | undefined => (Object.hasOwn(settings.systems, name) ? settings.systems[name] : undefined);

const text = (value: unknown, max: number): string | null => (typeof value === 'string' && value.trim().length <= max ? value.trim() : null);

function checked(fields: Partial<Record<keyof SyncRequest, unknown>>): SyncRequest {
  const op = text(fields.op, 10)?.toUpperCase();
  if (op !== 'GET' && op !== 'UPDATE') throw new BadRequest(t('op 只能是 GET 或 UPDATE', 'op must be GET or UPDATE'));
  const caseId = text(fields.caseId, 100);
  if (!caseId) throw new BadRequest(t('缺少办事ID（source_id），或超过 100 个字符', 'the case id (source_id) is missing or longer than 100 characters'));
  if (op === 'GET') return { op, caseId, state: '', detail: '', updateId: null };
  const state = text(fields.state, 50);
  if (!state) throw new BadRequest(t('UPDATE 需要办理状态（state），最多 50 个字符', 'UPDATE needs a state of at most 50 characters'));
  const detail = fields.detail === undefined ? '' : text(fields.detail, 2000);
  if (detail === null) throw new BadRequest(t('备注说明（detail）须为文字，最多 2000 个字符', 'detail must be text of at most 2000 characters'));
  const updateId = fields.updateId === undefined ? null : text(fields.updateId, 100);
  if (updateId === '' || (fields.updateId !== undefined && updateId === null)) throw new BadRequest(t('updateId 须为 1–100 个字符', 'updateId must have 1 to 100 characters'));
  return { op, caseId, state, detail, updateId };
}

export async function handleSync(dialect: Dialect, request: InboundRequest, ctx: CallbackContext): Promise<CallbackEvent> {
  const reply = (status: number, body: string) => ({ status, contentType: dialect.contentType, body });
  const refuse = (status: number, why: LocalizedText, answers: Answers = dialect.answers) => new CallbackRejected(why, reply(status, answers.error(why)));
  const unauthorized = (why: LocalizedText) => (dialect.answersRefusals ? refuse(401, why) : new CallbackRejected(why));
  const name = request.headers[SYSTEM_HEADER] ?? '';
  const system = systemOf(settingsOf(ctx.config), name);
  if (!system) throw unauthorized(t(`未知的业务系统：${name.slice(0, 64)}`, `unknown business system: ${name.slice(0, 64)}`));
  const problem = signatureProblem(ctx.config.secrets[`system:${name}`], request.headers, request.body, Date.now());
  if (problem) throw unauthorized(t(`签名验证失败：${problem['zh-CN']}`, `signature check failed: ${problem.en}`));
  let read: ReturnType<Dialect['read']>;
  let sync: SyncRequest;
  try {
    read = dialect.read(request.body);
    sync = checked(read.fields);
  } catch (err) {
    if (err instanceof BadRequest) throw refuse(400, err.text);
    throw err;
  }
  const found = await ctx.findCase(sync.caseId, system);
  const unknown = t(`办事ID ${sync.caseId} 不存在`, `no case ${sync.caseId}`);
  // A read has no effect: answered, never recorded.
  if (sync.op === 'GET') return { externalId: null, reply: found ? reply(200, read.answers.found(found)) : reply(404, read.answers.error(unknown)) };
  if (!found) throw refuse(404, unknown, read.answers);
  return {
    // The interface has no id for an UPDATE: the same state and detail again for the same instance is the same notice.
    externalId: `${name}:${found.instanceId}:${sync.updateId ?? createHash('sha256').update(`${sync.state}\n${sync.detail}`).digest('hex').slice(0, 32)}`,
    message: { name: UPDATE_MESSAGE, correlationKey: updateKey(name, sync.caseId), variables: { backendState: sync.state, backendDetail: sync.detail, backendSystem: name } },
    reply: reply(200, read.answers.updated()),
  };
}

const caseJson = (c: CaseSnapshot) => ({
  caseId: c.businessKey,
  processKey: c.processKey,
  state: c.state,
  startedAt: new Date(c.startedAt).toISOString(),
  waitingIn: c.waitingIn,
  variables: c.variables,
});

const jsonAnswers: Answers = {
  found: (c) => JSON.stringify({ result: 0, case: caseJson(c) }),
  updated: () => JSON.stringify({ result: 0 }),
  error: (why) => JSON.stringify({ result: 1, error: why }),
};

export const jsonDialect: Dialect = {
  contentType: 'application/json',
  answersRefusals: false,
  answers: jsonAnswers,
  read(body) {
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      throw new BadRequest(t('请求不是 JSON', 'the body is not JSON'));
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new BadRequest(t('请求须为 JSON 对象', 'the body must be a JSON object'));
    return { fields: value as Record<string, unknown>, answers: jsonAnswers };
  },
};

const xmlAnswers = (soap: boolean): Answers => ({
  found(c) {
    const about = { source_id: c.businessKey, process_key: c.processKey, case_state: c.state, started_at: new Date(c.startedAt).toISOString(), waiting_in: c.waitingIn.join(',') };
    // The case's own fields first; a variable cannot pass itself off as one of them.
    return writeAnswer({ fields: { ...about, ...Object.fromEntries(Object.entries(c.variables).filter(([name]) => !Object.hasOwn(about, name))) } }, soap);
  },
  updated: () => writeAnswer({ fields: {} }, soap),
  // The protocol's ERROR is one string: Chinese first, as the business systems read it.
  error: (why) => writeAnswer({ error: `${why['zh-CN']}（${why.en}）` }, soap),
});

export const xmlDialect: Dialect = {
  contentType: 'text/xml; charset=utf-8',
  answersRefusals: true,
  answers: xmlAnswers(false),
  read(body) {
    try {
      const { fields, soap } = readDataDocument(body.toString('utf8'));
      return { fields: { op: fields.op, caseId: fields.source_id, state: fields.state, detail: fields.detail }, answers: xmlAnswers(soap) };
    } catch (err) {
      if (err instanceof XmlProblem) throw new BadRequest(t(`XML 格式不正确：${err.message}`, `malformed XML: ${err.message}`));
      throw err;
    }
  },
};
