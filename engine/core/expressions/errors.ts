export type ExpressionErrorKind = 'syntax' | 'unknown-identifier' | 'type' | 'limit' | 'call';

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';

  constructor(
    readonly kind: ExpressionErrorKind,
    message: string,
    readonly source: string,
    readonly position?: number,
    readonly identifier?: string,
  ) {
    super(message);
  }
}

/**
 * Evaluation helpers throw without knowing the template text; a compiled template
 * re-throws through `withSource` so every error the caller sees names its source.
 */
export function fail(kind: ExpressionErrorKind, message: string, identifier?: string): never {
  throw new ExpressionError(kind, message, '', undefined, identifier);
}

export function withSource(error: unknown, source: string): unknown {
  if (!(error instanceof ExpressionError) || error.source !== '') return error;
  const located = new ExpressionError(error.kind, error.message, source, error.position, error.identifier);
  located.cause = error.cause;
  return located;
}
