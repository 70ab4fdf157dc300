export type Resolution = { found: true; value: unknown } | { found: false };

export interface ExpressionContext {
  /** resolve a top-level identifier; return { found: false } when unknown */
  resolve(name: string): Resolution;
  /** optional functions callable by name, e.g. now() */
  functions?: Record<string, (...args: unknown[]) => unknown>;
}

/** Marks an object as the engine's execution facade, the only non-data object whose methods expressions may call. */
export const EXECUTION_FACADE: unique symbol = Symbol('ExecutionFacade');

/** What `${execution.…}` can reach, mirroring the Camunda methods users write. */
export interface ExecutionFacade {
  readonly [EXECUTION_FACADE]: true;
  getVariable(name: string): unknown;
  hasVariable(name: string): boolean;
  getProcessBusinessKey(): string | null;
}

export function isExecutionFacade(value: unknown): value is ExecutionFacade {
  return typeof value === 'object' && value !== null && (value as Partial<ExecutionFacade>)[EXECUTION_FACADE] === true;
}

/**
 * Context over a plain variables object (own properties only). `extra.resolve` is asked first so
 * reserved names such as `execution` win over variables, as in Camunda's VariableScopeElResolver.
 */
export function variablesContext(vars: Record<string, unknown>, extra: Partial<ExpressionContext> = {}): ExpressionContext {
  return {
    resolve(name) {
      const reserved = extra.resolve?.(name);
      if (reserved?.found) return reserved;
      return Object.hasOwn(vars, name) ? { found: true, value: vars[name] } : { found: false };
    },
    ...(extra.functions && { functions: extra.functions }),
  };
}
