import type {
  BufferedMessageRecord,
  DefinitionRecord,
  HistoryRecord,
  IncidentRecord,
  InstanceRecord,
  JobAttemptRecord,
  JobRecord,
  NoticeRecord,
  Page,
  PageRequest,
  SubscriptionKind,
  SubscriptionRecord,
  TaskRecord,
  TimerRecord,
} from '../core/model.ts';
import { ConflictError, type Candidates, type IncidentFilter, type InstanceFilter, type Store, type TaskFilter, type Write } from '../core/ports.ts';
import type { Database } from './connect.ts';
import type { SqlExecutor } from './executors.ts';
import { DocumentTables } from './document-tables.ts';
import { insert, isUniqueViolation, runGuarded, selectPage, Where, type GuardedStatement } from './sql.ts';
import * as rows from './rows.ts';
import { chainHash, historyContent, historyHeadsOf, type ChainHead, type HistoryHeads } from './chains.ts';

/** Tries of a write whose history head another writer moved first. */
const CHAIN_ATTEMPTS = 8;
import type { Row } from './rows.ts';

/**
 * "What may I claim, soonest due first": candidates and nothing else but the
 * active state, sorted by due date, and (when the caller's scope is checked)
 * only candidates the caller is: then the candidate rows answer it alone.
 */
function isInboxQuery(f: TaskFilter): boolean {
  if (f.candidateUser === undefined && !f.candidateGroups?.length) return false;
  if (f.state !== undefined && f.state !== 'active') return false;
  if ((f.sort ?? 'due') !== 'due' || f.order === 'desc') return false;
  const others = [f.instanceId, f.processKey, f.stateName, f.assignee, f.endedBy, f.unassigned, f.initiator, f.keyword, f.dueBefore, f.dueAfter, f.dueState];
  if (others.some((v) => v !== undefined && v !== false)) return false;
  const v = f.visibleTo;
  return !v || ((f.candidateUser === undefined || f.candidateUser === v.userId) && (f.candidateGroups ?? []).every((g) => v.groups.includes(g)));
}

/** The order of the inbox index (kind, value, due_at, created_at, task_id): soonest due first, no due date last. */
const INBOX_ORDER = 'due_at ASC NULLS LAST, created_at ASC, task_id ASC';

/** The candidate rows of a claimable task: its inbox index entries. */
function candidateRows(taskId: string, c: Candidates): GuardedStatement[] {
  const unique = [...new Set([...c.users.map((v) => `user\u0000${v}`), ...c.groups.map((v) => `group\u0000${v}`)])].map((k) => k.split('\u0000') as [string, string]);
  return unique.length ? [insert('wf_task_candidates', unique.map(([kind, value]) => ({ task_id: taskId, kind, value, due_at: c.dueAt, created_at: c.createdAt })))] : [];
}

/** ` OR column IN (…)` for a non-empty list, else nothing. */
function inList(where: Where, column: string, values: readonly string[]): string {
  return values.length ? ` OR ${column} IN (${values.map((v) => where.param(v)).join(', ')})` : '';
}

/** The Store port on SQL: the runtime's tables here; forms', the catalog's and documents' in the classes it extends. */
export class SqlStore extends DocumentTables implements Store {
  readonly dialect: Database['dialect'];
  readonly #sql: SqlExecutor;

  readonly #heads: HistoryHeads;
  /** Off only to measure what chaining costs (the benchmark). */
  readonly #chained: boolean;

  constructor(db: Database, options: { chained?: boolean } = {}) {
    super(db.executor);
    this.dialect = db.dialect;
    this.#sql = db.executor;
    this.#heads = historyHeadsOf(db.executor);
    this.#chained = options.chained ?? true;
  }

  async ping(): Promise<void> {
    await this.#sql.select('SELECT 1');
  }

  async close(): Promise<void> {
    // The composition root owns the connection; nothing held here.
  }

  // ---- writes ---------------------------------------------------------------

  /** One transaction; a guarded write that matched no row rolls it back. */
  async commit(writes: Write[]): Promise<void> {
    if (!writes.length) return;
    const events = writes.flatMap((w) => (w.type === 'history' ? w.events : []));
    if (!events.length || !this.#chained) return this.#run(writes.flatMap((w) => this.#statements(w)));
    // The case history is chained per case (chains.ts): its rows are numbered and hashed here, and the head
    // moves on the case's row — in the step's own instance update when there is one.
    const ids = [...new Set(events.map((e) => e.instanceId))];
    const fresh = new Set(writes.flatMap((w) => (w.type === 'instance.insert' ? [w.record.id] : [])));
    for (let attempt = 1; ; attempt++) {
      const before = await this.#heads.heads(ids, attempt === 1 ? fresh : new Set());
      const heads = new Map(before);
      const history = events.map((e) => {
        const head = heads.get(e.instanceId)!;
        const row = { ...rows.historyRow(e), seq: head.seq + 1 };
        const hash = chainHash(head.hash, row.seq, historyContent(row));
        heads.set(e.instanceId, { seq: row.seq, hash });
        return { ...row, hash };
      });
      const moved = new Set<string>();
      const statements = writes.flatMap((w): GuardedStatement[] => {
        if (w.type === 'history') return [];
        if ((w.type !== 'instance.insert' && w.type !== 'instance.update') || !heads.has(w.record.id)) return this.#statements(w);
        const id = w.record.id;
        moved.add(id);
        return [w.type === 'instance.insert' ? this.#insertInstance(w.record, heads.get(id)!) : this.#updateInstance(w.record, w.expectedRev, before.get(id)!, heads.get(id)!)];
      });
      // A case whose history grows without a step (a comment, an urge, a claim): its head moves on its own.
      const at = Math.max(...events.map((e) => e.at));
      for (const id of ids.filter((i) => !moved.has(i))) {
        const [from, to] = [before.get(id)!, heads.get(id)!];
        statements.push({ sql: 'UPDATE wf_instances SET history_seq = $2, history_hash = $3, updated_at = $4 WHERE id = $1 AND history_seq = $5 RETURNING id', bind: [id, to.seq, to.hash, at, from.seq], returnsRows: true, guard: { entity: 'chain', id } });
      }
      statements.push(insert('wf_history', history));
      try {
        await this.#run(statements);
      } catch (err) {
        // A head moved by someone else: read it again. A lost race on the case itself is the step's to retry.
        if (err instanceof ConflictError) this.#heads.forget(ids);
        if (err instanceof ConflictError && err.entity === 'chain' && attempt < CHAIN_ATTEMPTS) continue;
        throw err;
      }
      this.#heads.remember(heads);
      return;
    }
  }

  #insertInstance(record: InstanceRecord, head: ChainHead): GuardedStatement {
    return insert('wf_instances', [{ ...rows.instanceRow(record), history_seq: head.seq, history_hash: head.hash }]);
  }

  /** Guarded by the revision the step started from, and by the history head it read (when it moves it). */
  #updateInstance(record: InstanceRecord, expectedRev: number, from?: ChainHead, to?: ChainHead): GuardedStatement {
    const r = rows.instanceRow(record);
    const bind = [r.id, r.business_key, r.state, r.ended_at, r.updated_at, r.rev, r.engine_state, r.variables, r.waits, r.state_name, expectedRev];
    const history = from && to ? { set: ', history_seq = $12, history_hash = $13', where: ' AND history_seq = $14', bind: [to.seq, to.hash, from.seq] } : { set: '', where: '', bind: [] };
    return {
      sql: `UPDATE wf_instances SET business_key = $2, state = $3, ended_at = $4, updated_at = $5, rev = $6,
               engine_state = $7, variables = $8, waits = $9, state_name = $10${history.set} WHERE id = $1 AND rev = $11${history.where} RETURNING id`,
      bind: [...bind, ...history.bind],
      returnsRows: true,
      guard: { entity: 'instance', id: record.id },
    };
  }

  #run(statements: GuardedStatement[]): Promise<void> {
    return runGuarded(this.#sql, statements);
  }

  async insertDefinition(record: DefinitionRecord, starts: { subscriptions: SubscriptionRecord[]; timers: TimerRecord[] }): Promise<void> {
    const ofKey = 'definition_id IN (SELECT id FROM wf_definitions WHERE key = $1)';
    try {
      await this.#sql.batch(
        [
          insert('wf_definitions', [rows.definitionRow(record)]),
          { sql: `DELETE FROM wf_subscriptions WHERE instance_id IS NULL AND ${ofKey}`, bind: [record.key] },
          { sql: `DELETE FROM wf_timers WHERE instance_id IS NULL AND ${ofKey}`, bind: [record.key] },
          ...(starts.subscriptions.length ? [insert('wf_subscriptions', starts.subscriptions.map(rows.subscriptionRow))] : []),
          ...(starts.timers.length ? [insert('wf_timers', starts.timers.map(rows.timerRow))] : []),
        ],
        () => undefined,
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('definition', `${record.key}:${record.version}`);
      throw err;
    }
  }

  /** One statement that writes and returns rows, as its own transaction. */
  async #writeReturning(sql: string, bind: unknown[]): Promise<Row[]> {
    const [changed] = await this.#sql.batch([{ sql, bind, returnsRows: true }], () => undefined);
    return changed ?? [];
  }

  #statements(w: Write): GuardedStatement[] {
    const guarded = (entity: string, id: string, sql: string, bind: unknown[]): GuardedStatement => ({ sql, bind, returnsRows: true, guard: { entity, id } });
    const plain = (sql: string, bind: unknown[]): GuardedStatement => ({ sql, bind });
    switch (w.type) {
      case 'instance.insert':
        return [insert('wf_instances', [rows.instanceRow(w.record)])];
      case 'instance.update':
        return [this.#updateInstance(w.record, w.expectedRev)];
      case 'task.insert': {
        const { id, dueAt, createdAt, candidateUsers, candidateGroups } = w.record;
        // A task made with its assignee is nobody else's to claim: no candidate rows.
        return [insert('wf_tasks', [rows.taskRow(w.record)]), ...(w.record.assignee ? [] : candidateRows(id, { users: candidateUsers, groups: candidateGroups, dueAt, createdAt }))];
      }
      case 'task.end':
        return [
          w.assignee === undefined
            ? guarded('task', w.id, `UPDATE wf_tasks SET state = $2, ended_at = $3, ended_by = $4 WHERE id = $1 AND state = 'active' RETURNING id`, [w.id, w.state, w.at, w.by])
            : w.assignee === null
              ? guarded('task', w.id, `UPDATE wf_tasks SET state = $2, ended_at = $3, ended_by = $4 WHERE id = $1 AND state = 'active' AND assignee IS NULL RETURNING id`, [w.id, w.state, w.at, w.by])
              : guarded('task', w.id, `UPDATE wf_tasks SET state = $2, ended_at = $3, ended_by = $4 WHERE id = $1 AND state = 'active' AND assignee = $5 RETURNING id`, [w.id, w.state, w.at, w.by, w.assignee]),
          ...(w.candidates ? [plain('DELETE FROM wf_task_candidates WHERE task_id = $1', [w.id])] : []),
        ];
      case 'task.assign':
        return [
          w.expected === null
            ? guarded('task', w.id, `UPDATE wf_tasks SET assignee = $2, claimed_at = $3 WHERE id = $1 AND state = 'active' AND assignee IS NULL RETURNING id`, [w.id, w.assignee, w.assignee ? w.at : null])
            : guarded('task', w.id, `UPDATE wf_tasks SET assignee = $2, claimed_at = $3 WHERE id = $1 AND state = 'active' AND assignee = $4 RETURNING id`, [w.id, w.assignee, w.assignee ? w.at : null, w.expected]),
          plain('DELETE FROM wf_task_candidates WHERE task_id = $1', [w.id]),
          ...(w.assignee ? [] : candidateRows(w.id, w.candidates)),
        ];
      case 'task.handover':
        return [
          plain('DELETE FROM wf_task_candidates WHERE task_id = $1', [w.id]),
          w.expected === null
            ? guarded('task', w.id, `UPDATE wf_tasks SET assignee = $2, owner = $3, claimed_at = $4 WHERE id = $1 AND state = 'active' AND assignee IS NULL RETURNING id`, [w.id, w.assignee, w.owner, w.at])
            : guarded('task', w.id, `UPDATE wf_tasks SET assignee = $2, owner = $3, claimed_at = $4 WHERE id = $1 AND state = 'active' AND assignee = $5 RETURNING id`, [w.id, w.assignee, w.owner, w.at, w.expected]),
        ];
      case 'timer.insert':
        return [insert('wf_timers', [rows.timerRow(w.record)])];
      case 'timer.clocks-delete':
        return [plain(`DELETE FROM wf_timers WHERE instance_id = $1 AND execution_id = $2 AND kind = 'clock' AND created_at < $3`, [w.instanceId, w.executionId, w.before])];
      case 'task.candidates':
        return [
          guarded('task', w.id, `UPDATE wf_tasks SET assignee = NULL, claimed_at = NULL, owner = NULL, candidate_users = $2, candidate_groups = '[]' WHERE id = $1 AND state = 'active' RETURNING id`, [w.id, JSON.stringify(w.users)]),
          plain('DELETE FROM wf_task_candidates WHERE task_id = $1', [w.id]),
          ...candidateRows(w.id, { users: w.users, groups: [], dueAt: w.dueAt, createdAt: w.createdAt }),
        ];
      case 'task.due':
        return [
          plain('UPDATE wf_tasks SET due_at = $2, near_due_at = $3 WHERE id = $1', [w.id, w.dueAt, w.nearDueAt]),
          plain('UPDATE wf_task_candidates SET due_at = $2 WHERE task_id = $1', [w.id, w.dueAt]),
        ];
      case 'timer.delete':
        return [
          w.guard ? guarded('timer', w.id, 'DELETE FROM wf_timers WHERE id = $1 RETURNING id', [w.id]) : plain('DELETE FROM wf_timers WHERE id = $1', [w.id]),
          // A failed timer's incident goes with it: there is nothing left to retry.
          plain(`UPDATE wf_incidents SET state = 'resolved', resolved_at = $2 WHERE ref_id = $1 AND state = 'open'`, [w.id, w.at]),
        ];
      case 'timer.fail':
        return [plain('UPDATE wf_timers SET attempts = $2, due_at = $3, last_error = $4, locked_by = NULL, locked_until = NULL WHERE id = $1', [w.id, w.attempts, w.dueAt, w.error])];
      case 'instance.migrate': {
        const { instanceId, definitionId } = w;
        const statements = [
          plain('UPDATE wf_instances SET definition_id = $2, version = $3 WHERE id = $1', [instanceId, definitionId, w.version]),
          plain(`UPDATE wf_tasks SET definition_id = $2 WHERE instance_id = $1 AND state = 'active'`, [instanceId, definitionId]),
          plain('UPDATE wf_timers SET definition_id = $2 WHERE instance_id = $1', [instanceId, definitionId]),
          plain('UPDATE wf_subscriptions SET definition_id = $2 WHERE instance_id = $1', [instanceId, definitionId]),
        ];
        for (const a of w.activities) {
          const bind = [instanceId, a.from, a.to];
          statements.push(plain(`UPDATE wf_tasks SET activity_id = $3, name = $4 WHERE instance_id = $1 AND activity_id = $2 AND state = 'active'`, [...bind, a.name]));
          if (a.from === a.to) continue;
          statements.push(
            plain('UPDATE wf_timers SET activity_id = $3 WHERE instance_id = $1 AND activity_id = $2', bind),
            plain('UPDATE wf_subscriptions SET activity_id = $3 WHERE instance_id = $1 AND activity_id = $2', bind),
            plain(`UPDATE wf_jobs SET activity_id = $3 WHERE instance_id = $1 AND activity_id = $2 AND state IN ('pending', 'failed')`, bind),
            plain(`UPDATE wf_incidents SET activity_id = $3 WHERE instance_id = $1 AND activity_id = $2 AND state = 'open'`, bind),
          );
        }
        return statements;
      }
      case 'job.insert':
        return [insert('wf_jobs', [rows.jobRow(w.record)])];
      case 'job.finish':
        return [
          guarded(
            'job',
            w.id,
            `UPDATE wf_jobs SET state = $2, attempts = $3, last_error = $4, updated_at = $5, locked_by = NULL, locked_until = NULL
               WHERE id = $1 AND state = 'pending' RETURNING id`,
            [w.id, w.state, w.attempts, w.error, w.at],
          ),
        ];
      case 'job.retry':
        return [
          guarded(
            'job',
            w.id,
            `UPDATE wf_jobs SET attempts = $2, run_at = $3, last_error = $4, updated_at = $5, locked_by = NULL, locked_until = NULL, dispatched_until = NULL WHERE id = $1 AND state = 'pending' RETURNING id`,
            [w.id, w.attempts, w.runAt, w.error, w.at],
          ),
        ];
      case 'job.reopen':
        return [
          guarded(
            'job',
            w.id,
            `UPDATE wf_jobs SET state = 'pending', attempts = 0, run_at = $2, updated_at = $3, locked_by = NULL, locked_until = NULL, dispatched_until = NULL WHERE id = $1 AND state = 'failed' RETURNING id`,
            [w.id, w.runAt, w.at],
          ),
        ];
      case 'job.attempt':
        return [insert('wf_job_attempts', [rows.attemptRow(w.record)])];
      case 'job.cancel':
        return [
          plain(`UPDATE wf_jobs SET state = 'cancelled', updated_at = $2, locked_by = NULL, locked_until = NULL WHERE id = $1 AND state IN ('pending', 'failed')`, [w.id, w.at]),
          plain(`UPDATE wf_incidents SET state = 'resolved', resolved_at = $2 WHERE ref_id = $1 AND state = 'open'`, [w.id, w.at]),
        ];
      case 'job.abandon':
        return [
          guarded('job', w.id, `UPDATE wf_jobs SET state = 'cancelled', updated_at = $2 WHERE id = $1 AND state = 'failed' RETURNING id`, [w.id, w.at]),
          plain(`UPDATE wf_incidents SET state = 'resolved', resolved_at = $2, resolved_by = $3 WHERE ref_id = $1 AND state = 'open'`, [w.id, w.at, w.by]),
        ];
      case 'subscription.insert':
        return [insert('wf_subscriptions', [rows.subscriptionRow(w.record)])];
      case 'subscription.delete':
        return [plain('DELETE FROM wf_subscriptions WHERE id = $1', [w.id])];
      case 'message.insert':
        return [insert('wf_buffered_messages', [rows.messageRow(w.record)])];
      case 'message.delete':
        return [guarded('message', w.id, 'DELETE FROM wf_buffered_messages WHERE id = $1 RETURNING id', [w.id])];
      case 'incident.insert':
        return [insert('wf_incidents', [rows.incidentRow(w.record)])];
      case 'incident.resolve':
        return [guarded('incident', w.id, `UPDATE wf_incidents SET state = 'resolved', resolved_at = $2, resolved_by = $3 WHERE id = $1 AND state = 'open' RETURNING id`, [w.id, w.at, w.by])];
      case 'file.bind':
        return [
          guarded('file', w.id, 'UPDATE wf_files SET instance_id = $3, expires_at = NULL WHERE id = $1 AND owner = $2 AND (instance_id IS NULL OR instance_id = $3) RETURNING id', [w.id, w.owner, w.instanceId]),
        ];
      case 'notice.insert':
        return w.records.length ? [insert('wf_notices', w.records.map(rows.noticeRow))] : [];
      case 'notice.retract': {
        if (!w.taskIds.length) return [];
        const where = new Where([w.instanceId]);
        where.add(`instance_id = $1 AND kind = 'task' AND read_at IS NULL AND task_id IN (${w.taskIds.map((id) => where.param(id)).join(', ')})`);
        return [plain(`DELETE FROM wf_notices ${where}`, where.bind)];
      }
      case 'draft.delete':
        return [plain('DELETE FROM wf_form_drafts WHERE owner = $1 AND target = $2', [w.owner, w.target])];
      case 'history':
        return w.events.length ? [insert('wf_history', w.events.map(rows.historyRow))] : [];
    }
  }

  #select(sql: string, bind: unknown[] = []): Promise<Row[]> {
    return this.#sql.select(sql, bind);
  }

  #page<T>(table: string, where: Where, order: string, page: PageRequest, map: (r: Row) => T, columns = '*'): Promise<Page<T>> {
    return selectPage(this.#sql, table, where, order, page, map, columns);
  }

  // ---- definitions ------------------------------------------------------------

  async getDefinition(id: string): Promise<DefinitionRecord | null> {
    const [row] = await this.#select('SELECT * FROM wf_definitions WHERE id = $1', [id]);
    return row ? rows.toDefinition(row) : null;
  }

  async findDefinition(key: string, version?: number): Promise<DefinitionRecord | null> {
    const [row] =
      version === undefined
        ? await this.#select('SELECT * FROM wf_definitions WHERE key = $1 ORDER BY version DESC LIMIT 1', [key])
        : await this.#select('SELECT * FROM wf_definitions WHERE key = $1 AND version = $2', [key, version]);
    return row ? rows.toDefinition(row) : null;
  }

  async findDefinitionByHash(key: string, hash: string): Promise<DefinitionRecord | null> {
    const [row] = await this.#select('SELECT * FROM wf_definitions WHERE key = $1 AND hash = $2 ORDER BY version DESC LIMIT 1', [key, hash]);
    return row ? rows.toDefinition(row) : null;
  }

  listDefinitions(filter: { key?: string; latestOnly?: boolean }, page: PageRequest): Promise<Page<Omit<DefinitionRecord, 'xml'>>> {
    const where = new Where().eq('key', filter.key);
    if (filter.latestOnly) where.add('version = (SELECT MAX(d2.version) FROM wf_definitions d2 WHERE d2.key = wf_definitions.key)');
    return this.#page('wf_definitions', where, 'key ASC, version DESC', page, (r) => {
      const { xml: _xml, ...rest } = rows.toDefinition(r);
      return rest;
    }, 'id, key, version, name, hash, deployed_at, deployed_by');
  }

  // ---- instances --------------------------------------------------------------

  async getInstance(id: string): Promise<InstanceRecord | null> {
    const [row] = await this.#select('SELECT * FROM wf_instances WHERE id = $1', [id]);
    return row ? rows.toInstance(row) : null;
  }

  listInstances(filter: InstanceFilter, page: PageRequest): Promise<Page<Omit<InstanceRecord, 'engineState'>>> {
    const where = new Where()
      .eq('process_key', filter.processKey)
      .eq('definition_id', filter.definitionId)
      .eq('version', filter.version)
      .eq('state', filter.state)
      .eq('state_name', filter.stateName)
      .eq('business_key', filter.businessKey)
      .eq('parent_id', filter.parentId)
      .eq('started_by', filter.startedBy);
    if (filter.visibleTo) {
      const v = filter.visibleTo;
      const user = where.param(v.userId);
      where.add(
        `(started_by = ${user}${inList(where, 'department_id', v.departments)} OR EXISTS (SELECT 1 FROM wf_tasks t WHERE t.instance_id = wf_instances.id AND (t.assignee = ${user} OR t.ended_by = ${user})))`,
      );
    }
    const columns =
      'id, definition_id, process_key, version, business_key, state, parent_id, parent_execution_id, started_at, started_by, department_id, ended_at, updated_at, rev, variables, waits';
    return this.#page('wf_instances', where, 'started_at DESC, id ASC', page, (r) => {
      const { engineState: _state, ...rest } = rows.toInstance(r);
      return rest;
    }, columns);
  }

  async countInstancesByVersion(key: string): Promise<Array<{ version: number; state: InstanceRecord['state']; count: number }>> {
    const result = await this.#select(
      'SELECT version, state, COUNT(*) AS n FROM wf_instances WHERE process_key = $1 GROUP BY version, state ORDER BY version DESC, state',
      [key],
    );
    return result.map((r) => ({ version: rows.num(r.version), state: r.state as InstanceRecord['state'], count: rows.num(r.n) }));
  }

  // ---- tasks ------------------------------------------------------------------

  async getTask(id: string): Promise<TaskRecord | null> {
    const [row] = await this.#select('SELECT * FROM wf_tasks WHERE id = $1', [id]);
    return row ? rows.toTask(row) : null;
  }

  listTasks(filter: TaskFilter, page: PageRequest): Promise<Page<TaskRecord>> {
    if (isInboxQuery(filter)) return this.#inbox(filter, page);
    const where = new Where()
      .eq('instance_id', filter.instanceId)
      .eq('process_key', filter.processKey)
      .eq('state', filter.state)
      .eq('state_name', filter.stateName)
      .eq('assignee', filter.assignee)
      .eq('ended_by', filter.endedBy);
    if (filter.unassigned) where.add('assignee IS NULL');
    if (filter.initiator !== undefined) where.add(`initiator = ${where.param(filter.initiator)}`);
    if (filter.keyword) {
      const like = where.param(`%${filter.keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.add(`(name LIKE ${like} ESCAPE '\\' OR business_key LIKE ${like} ESCAPE '\\')`);
    }
    if (filter.visibleTo) {
      const v = filter.visibleTo;
      const user = where.param(v.userId);
      const groups = v.groups.length ? ` OR (c.kind = 'group' AND c.value IN (${v.groups.map((g) => where.param(g)).join(', ')}))` : '';
      where.add(
        `(assignee = ${user} OR ended_by = ${user}${inList(where, 'department_id', v.departments)} OR (assignee IS NULL AND EXISTS (SELECT 1 FROM wf_task_candidates c WHERE c.task_id = wf_tasks.id AND ((c.kind = 'user' AND c.value = ${user})${groups}))))`,
      );
    }
    if (filter.dueBefore !== undefined) where.add(`due_at < ${where.param(filter.dueBefore)}`);
    if (filter.dueAfter !== undefined) where.add(`due_at >= ${where.param(filter.dueAfter)}`);
    if (filter.dueState) {
      const now = where.param(filter.now ?? Date.now());
      where.add(
        filter.dueState === 'overdue'
          ? `due_at <= ${now}`
          : filter.dueState === 'near-due'
            ? `near_due_at <= ${now} AND due_at > ${now}`
            : `due_at > ${now} AND (near_due_at IS NULL OR near_due_at > ${now})`,
      );
    }
    const candidates: string[] = [];
    if (filter.candidateUser !== undefined) candidates.push(`(c.kind = 'user' AND c.value = ${where.param(filter.candidateUser)})`);
    if (filter.candidateGroups?.length) {
      candidates.push(`(c.kind = 'group' AND c.value IN (${filter.candidateGroups.map((g) => where.param(g)).join(', ')}))`);
    }
    if (candidates.length) {
      where.add(`EXISTS (SELECT 1 FROM wf_task_candidates c WHERE c.task_id = wf_tasks.id AND (${candidates.join(' OR ')}))`);
    }
    const direction = filter.order === 'desc' ? 'DESC' : 'ASC';
    const order =
      filter.sort === 'created'
        ? `created_at ${direction}`
        : filter.sort === 'priority'
          ? `priority ${direction}, created_at ASC`
          : `CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at ${direction}, created_at ASC`;
    return this.#page('wf_tasks', where, `${order}, id ASC`, page, rows.toTask);
  }

  /**
   * The inbox — what the caller may claim, soonest due first — read from the
   * candidate rows alone (they carry the due date, and exist for claimable
   * tasks only); then the page's tasks by id.
   */
  async #inbox(filter: TaskFilter, page: PageRequest): Promise<Page<TaskRecord>> {
    const candidates = [...(filter.candidateUser !== undefined ? [['user', filter.candidateUser]] : []), ...(filter.candidateGroups ?? []).map((g) => ['group', g])] as Array<[string, string]>;
    // Per candidate, each an index-only range of the inbox index (an OR of them would read the table).
    const counting = new Where();
    const ranges = candidates.map(([kind, value]) => `SELECT task_id FROM wf_task_candidates WHERE kind = ${counting.param(kind)} AND value = ${counting.param(value)}`);
    const [count] = await this.#select(`SELECT COUNT(DISTINCT task_id) AS n FROM (${ranges.join(' UNION ALL ')}) AS matched`, counting.bind);
    // Each candidate's first `offset + limit` rows in index order, merged: a task among the page's is among those of one of its candidates.
    const where = new Where();
    const first = where.param(page.offset + page.limit);
    const lists = candidates.map(
      ([kind, value], i) =>
        `SELECT * FROM (SELECT task_id, due_at, created_at FROM wf_task_candidates WHERE kind = ${where.param(kind)} AND value = ${where.param(value)} ORDER BY ${INBOX_ORDER} LIMIT ${first}) AS c${i}`,
    );
    const limit = where.param(page.limit);
    const offset = where.param(page.offset);
    const items = await this.#select(
      `SELECT t.* FROM (SELECT task_id, MIN(due_at) AS due_at, MIN(created_at) AS created_at FROM (${lists.join(' UNION ALL ')}) AS merged GROUP BY task_id
         ORDER BY ${INBOX_ORDER} LIMIT ${limit} OFFSET ${offset}) AS c
       JOIN wf_tasks t ON t.id = c.task_id ORDER BY t.due_at ASC NULLS LAST, t.created_at ASC, t.id ASC`,
      where.bind,
    );
    return { items: items.map(rows.toTask), total: rows.num(count?.n ?? 0), offset: page.offset, limit: page.limit };
  }

  // ---- history, incidents, jobs, timers, subscriptions -------------------------

  listHistory(instanceId: string, page: PageRequest): Promise<Page<HistoryRecord>> {
    return this.#page('wf_history', new Where().eq('instance_id', instanceId), 'id ASC', page, rows.toHistory);
  }

  // ---- notices --------------------------------------------------------------

  async listNotices(userId: string, filter: { unread?: boolean; kind?: string }, page: PageRequest): Promise<Page<NoticeRecord> & { unread: number }> {
    const where = new Where().eq('user_id', userId).eq('kind', filter.kind);
    if (filter.unread) where.add('read_at IS NULL');
    const [unread] = await this.#select('SELECT COUNT(*) AS n FROM wf_notices WHERE user_id = $1 AND read_at IS NULL', [userId]);
    return { ...(await this.#page('wf_notices', where, 'created_at DESC, id DESC', page, rows.toNotice)), unread: rows.num(unread?.n ?? 0) };
  }

  async markNotice(id: string, userId: string, receipt: 'read' | 'signed', at: number): Promise<boolean> {
    const column = receipt === 'read' ? 'read_at' : 'signed_at';
    // Signing for a notice reads it too.
    const alsoRead = receipt === 'signed' ? ', read_at = COALESCE(read_at, $3)' : '';
    const changed = await this.#writeReturning(`UPDATE wf_notices SET ${column} = COALESCE(${column}, $3)${alsoRead}, delivered_at = COALESCE(delivered_at, $3) WHERE id = $1 AND user_id = $2 RETURNING id`, [id, userId, at]);
    return changed.length > 0;
  }

  async markDelivered(ids: readonly string[], at: number): Promise<void> {
    if (!ids.length) return;
    const where = new Where([at]);
    await this.#writeReturning(`UPDATE wf_notices SET delivered_at = $1 WHERE delivered_at IS NULL AND id IN (${ids.map((id) => where.param(id)).join(', ')}) RETURNING id`, where.bind);
  }

  async leaseNoticesToSend(now: number, limit: number, leaseMs: number): Promise<NoticeRecord[]> {
    const skipLocked = this.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const leased = await this.#writeReturning(
      `UPDATE wf_notices SET send_lease = $1 WHERE id IN (
         SELECT id FROM wf_notices WHERE sent_at IS NULL AND (send_lease IS NULL OR send_lease < $2)
         ORDER BY created_at LIMIT $3 ${skipLocked}) RETURNING *`,
      [now + leaseMs, now, limit],
    );
    return leased.map(rows.toNotice);
  }

  async noticeSent(id: string, at: number, delivery: string): Promise<void> {
    await this.#writeReturning('UPDATE wf_notices SET sent_at = $2, delivery = $3 WHERE id = $1 RETURNING id', [id, at, delivery.slice(0, 255)]);
  }

  async hasNotice(userId: string, instanceId: string, kind: string): Promise<boolean> {
    return (await this.#select('SELECT 1 AS x FROM wf_notices WHERE user_id = $1 AND instance_id = $2 AND kind = $3 LIMIT 1', [userId, instanceId, kind])).length > 0;
  }

  async lastNoticeAt(taskId: string, kind: string): Promise<number | null> {
    const [row] = await this.#select('SELECT MAX(created_at) AS at FROM wf_notices WHERE task_id = $1 AND kind = $2', [taskId, kind]);
    return row?.at === null || row?.at === undefined ? null : rows.num(row.at);
  }

  async getIncident(id: string): Promise<IncidentRecord | null> {
    const [row] = await this.#select('SELECT * FROM wf_incidents WHERE id = $1', [id]);
    return row ? rows.toIncident(row) : null;
  }

  listIncidents(filter: IncidentFilter, page: PageRequest): Promise<Page<IncidentRecord>> {
    const where = new Where().eq('instance_id', filter.instanceId).eq('state', filter.state);
    return this.#page('wf_incidents', where, 'created_at DESC, id ASC', page, rows.toIncident);
  }

  async getJob(id: string): Promise<JobRecord | null> {
    const [row] = await this.#select('SELECT * FROM wf_jobs WHERE id = $1', [id]);
    return row ? rows.toJob(row) : null;
  }

  listJobs(filter: { instanceId?: string; state?: JobRecord['state']; handler?: string }, page: PageRequest): Promise<Page<JobRecord>> {
    const where = new Where().eq('instance_id', filter.instanceId).eq('state', filter.state).eq('handler', filter.handler);
    return this.#page('wf_jobs', where, 'updated_at DESC, id ASC', page, rows.toJob);
  }

  async listJobAttempts(jobId: string): Promise<JobAttemptRecord[]> {
    return (await this.#select('SELECT * FROM wf_job_attempts WHERE job_id = $1 ORDER BY id', [jobId])).map(rows.toAttempt);
  }

  async getTimer(id: string): Promise<TimerRecord | null> {
    const [row] = await this.#select('SELECT * FROM wf_timers WHERE id = $1', [id]);
    return row ? rows.toTimer(row) : null;
  }

  async listTimers(filter: { instanceId?: string; definitionId?: string }): Promise<TimerRecord[]> {
    const where = new Where().eq('instance_id', filter.instanceId).eq('definition_id', filter.definitionId);
    return (await this.#select(`SELECT * FROM wf_timers ${where} ORDER BY due_at`, where.bind)).map(rows.toTimer);
  }

  async findSubscriptions(kind: SubscriptionKind, name: string, correlationKey?: string | null): Promise<SubscriptionRecord[]> {
    const where = new Where().eq('kind', kind).eq('name', name);
    if (correlationKey !== undefined) where.add(correlationKey === null ? 'correlation_key IS NULL' : `correlation_key = ${where.param(correlationKey)}`);
    return (await this.#select(`SELECT * FROM wf_subscriptions ${where} ORDER BY created_at, id`, where.bind)).map(rows.toSubscription);
  }

  async findBufferedMessages(name: string, correlationKey: string | null, now: number): Promise<BufferedMessageRecord[]> {
    const where = new Where().eq('name', name);
    where.add(`expires_at > ${where.param(now)}`);
    where.add(correlationKey === null ? 'correlation_key IS NULL' : `correlation_key = ${where.param(correlationKey)}`);
    return (await this.#select(`SELECT * FROM wf_buffered_messages ${where} ORDER BY created_at, id`, where.bind)).map(rows.toMessage);
  }

  async deleteExpiredMessages(now: number): Promise<number> {
    return (await this.#writeReturning('DELETE FROM wf_buffered_messages WHERE expires_at <= $1 RETURNING id', [now])).length;
  }

  // ---- leasing ------------------------------------------------------------------

  async leaseDueTimers(now: number, limit: number, owner: string, leaseMs: number): Promise<TimerRecord[]> {
    const skipLocked = this.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const leased = await this.#writeReturning(
      `UPDATE wf_timers SET locked_by = $1, locked_until = $2 WHERE id IN (
         SELECT id FROM wf_timers WHERE due_at <= $3 AND (locked_until IS NULL OR locked_until < $3)
         ORDER BY due_at LIMIT $4 ${skipLocked}) RETURNING *`,
      [owner, now + leaseMs, now, limit],
    );
    return leased.map(rows.toTimer).sort((a, b) => a.dueAt - b.dueAt);
  }

  async leaseDueJobs(now: number, limit: number, owner: string, leaseMs: number): Promise<JobRecord[]> {
    const skipLocked = this.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const leased = await this.#writeReturning(
      `UPDATE wf_jobs SET locked_by = $1, locked_until = $2 WHERE id IN (
         SELECT id FROM wf_jobs WHERE state = 'pending' AND run_at <= $3 AND (locked_until IS NULL OR locked_until < $3)
         ORDER BY run_at LIMIT $4 ${skipLocked}) RETURNING *`,
      [owner, now + leaseMs, now, limit],
    );
    return leased.map(rows.toJob).sort((a, b) => a.runAt - b.runAt);
  }

  async leaseJobsForDispatch(horizon: number, now: number, limit: number, leaseMs: number): Promise<JobRecord[]> {
    const skipLocked = this.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const leased = await this.#writeReturning(
      `UPDATE wf_jobs SET dispatched_until = $1 WHERE id IN (
         SELECT id FROM wf_jobs WHERE state = 'pending' AND run_at <= $2 AND (dispatched_until IS NULL OR dispatched_until < $3)
         ORDER BY run_at LIMIT $4 ${skipLocked}) RETURNING *`,
      [now + leaseMs, horizon, now, limit],
    );
    return leased.map(rows.toJob).sort((a, b) => a.runAt - b.runAt);
  }

  async nextDueAt(): Promise<number | null> {
    const [row] = await this.#select(
      `SELECT (SELECT MIN(due_at) FROM wf_timers) AS timer, (SELECT MIN(run_at) FROM wf_jobs WHERE state = 'pending') AS job`,
    );
    const candidates = [row?.timer, row?.job].filter((v) => v !== null && v !== undefined).map(rows.num);
    return candidates.length ? Math.min(...candidates) : null;
  }
}
