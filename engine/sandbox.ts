/**
 * Where scenarios run: for each, a workflow of its own on a database in
 * memory, with the live organisation (read), calendars, SLA tables, forms and
 * dictionaries (copied in), a virtual clock, and every connector operation
 * replaced by one that records its call and answers nothing — so that no SMS
 * or payment leaves the machine and no live table is written.
 */
import { CC_HANDLER } from '../definitions/approval/compile.ts';
import { HandlerRegistry } from './core/handlers.ts';
import { silentLogger, type Clock } from './core/ports.ts';
import { Scheduler } from './core/scheduler.ts';
import { copyByRules } from './core/usecases/inbox.ts';
import type { Sandbox, SandboxFactory } from './core/usecases/scenarios.ts';
import { Workflow } from './core/workflow.ts';
import { sandboxDatabase } from './store/connect.ts';
import { SqlStore } from './store/sql-store.ts';

class VirtualClock implements Clock {
  constructor(private at: number) {}
  now(): number {
    return this.at;
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

export function sandboxFactory(live: Workflow): SandboxFactory {
  return async (): Promise<Sandbox> => {
    const db = await sandboxDatabase();
    const store = new SqlStore(db, { chained: false });
    const clock = new VirtualClock(live.services.clock.now());
    const calls: Sandbox['calls'] = [];
    const handlers = new HandlerRegistry();
    const workflow = new Workflow({
      store,
      handlers,
      clock,
      logger: silentLogger,
      calendars: live.services.calendars,
      slas: live.services.slas,
      ...(live.services.org && { org: live.services.org }),
    });
    for (const name of live.services.handlers.names()) {
      if (name === CC_HANDLER) continue;
      handlers.register(
        name,
        async (ctx) => {
          calls.push({ handler: name, activityId: ctx.activityId, input: { ...ctx.input }, at: clock.now() });
        },
        live.services.handlers.options(name),
      );
    }
    // Copies go to the sandbox's own notices: what the analyst sees as "who would have been told".
    handlers.register(CC_HANDLER, (ctx) => copyByRules(workflow.services, ctx));
    for (const d of await live.services.store.listDictionaries()) await store.putDictionary(d, null);
    for (const f of await live.services.store.allForms()) await store.insertForm(f);
    const scheduler = new Scheduler(workflow.services, { workerId: 'sandbox', leaseMs: 60_000 });
    return {
      workflow,
      calls,
      now: () => clock.now(),
      async advance(ms) {
        clock.advance(ms);
        await scheduler.runUntilIdle();
      },
      settle: () => scheduler.runUntilIdle(),
      close: () => db.close(),
    };
  };
}
