import type { LocalizedText } from '../../../forms/model.ts';

export type ExpressionErrorKind = 'syntax' | 'unknown-identifier' | 'type' | 'limit' | 'call';

/** What went wrong, in both languages: `said('找不到变量 a', "Cannot resolve identifier 'a'")`. */
export const said = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';

  constructor(
    readonly kind: ExpressionErrorKind,
    /** The message in both languages; `message` is its English text. */
    readonly text: LocalizedText,
    readonly source: string,
    readonly position?: number,
    readonly identifier?: string,
  ) {
    super(text.en);
  }
}

/**
 * Evaluation helpers throw without knowing the template text; a compiled template
 * re-throws through `withSource` so every error the caller sees names its source.
 */
export function fail(kind: ExpressionErrorKind, text: LocalizedText, identifier?: string): never {
  throw new ExpressionError(kind, text, '', undefined, identifier);
}

export function withSource(error: unknown, source: string): unknown {
  if (!(error instanceof ExpressionError) || error.source !== '') return error;
  const located = new ExpressionError(error.kind, error.text, source, error.position, error.identifier);
  located.cause = error.cause;
  return located;
}
