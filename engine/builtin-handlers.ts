import type { HandlerRegistry } from './core/handlers.ts';
import type { Logger } from './core/ports.ts';

/**
 * Handlers every installation has. Connectors (SMS, e-mail, payment …) add
 * theirs by name in the composition root.
 */
export function registerBuiltinHandlers(registry: HandlerRegistry, logger: Logger): HandlerRegistry {
  // Writes the task's inputs to the structured log: an audit trail step needing no connector.
  registry.register('log', async (ctx) => {
    logger.info({ instance: ctx.instanceId, activity: ctx.activityId, key: ctx.idempotencyKey, input: ctx.input }, 'process log');
  });
  return registry;
}
