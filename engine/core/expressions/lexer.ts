import { ExpressionError, said } from './errors.ts';

export type Token =
  | { readonly type: 'literal'; readonly value: unknown; readonly pos: number; readonly text: string }
  | { readonly type: 'ident' | 'op'; readonly value: string; readonly pos: number; readonly text: string }
  | { readonly type: 'end'; readonly pos: number; readonly text: string };

// Longest first, so `<=` wins over `<`.
const PUNCTUATORS = ['==', '!=', '<=', '>=', '&&', '||', '(', ')', '[', ']', '.', ',', '?', ':', '+', '-', '*', '/', '%', '!', '<', '>'];
// `instanceof` is reserved by JUEL but unsupported: it lexes as an operator no rule accepts.
const WORD_OPERATORS = new Set(['and', 'or', 'not', 'eq', 'ne', 'lt', 'gt', 'le', 'ge', 'div', 'mod', 'empty', 'instanceof']);
const WORD_LITERALS = new Map<string, unknown>([['true', true], ['false', false], ['null', null]]);

const SPACE = /\s+/y;
// Java identifiers: letters, digits, `_` and `$`.
const WORD = /[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$]*/uy;
// JUEL accepts `1.`, `.5` and exponents; a dangling `e` is left for the next token.
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;

function match(re: RegExp, text: string, pos: number): string | undefined {
  re.lastIndex = pos;
  return re.exec(text)?.[0];
}

/**
 * Tokenises the body of one `${…}` starting at `start` (just after the brace) up to and including
 * its closing `}`; positions are offsets in the whole template text.
 */
export function tokenize(text: string, start: number): { tokens: Token[]; end: number } {
  const tokens: Token[] = [];
  const syntax = (zh: string, en: string, pos: number): never => {
    throw new ExpressionError('syntax', said(`${zh}（第 ${pos} 个字符处）`, `${en} at ${pos}`), text, pos);
  };
  let pos = start;
  for (;;) {
    pos += match(SPACE, text, pos)?.length ?? 0;
    if (pos >= text.length) return syntax("表达式缺少结尾的 '}'", "Missing '}' for the expression opened", start - 2);
    const c = text[pos];
    if (c === '}') {
      tokens.push({ type: 'end', pos, text: c });
      return { tokens, end: pos + 1 };
    }
    if (c === '"' || c === "'") {
      const { value, end } = readString(text, pos, syntax);
      tokens.push({ type: 'literal', value, pos, text: text.slice(pos, end) });
      pos = end;
      continue;
    }
    const number = match(NUMBER, text, pos);
    if (number !== undefined) {
      tokens.push({ type: 'literal', value: Number(number), pos, text: number });
      pos += number.length;
      continue;
    }
    const word = match(WORD, text, pos);
    if (word !== undefined) {
      if (WORD_LITERALS.has(word)) tokens.push({ type: 'literal', value: WORD_LITERALS.get(word), pos, text: word });
      else tokens.push({ type: WORD_OPERATORS.has(word) ? 'op' : 'ident', value: word, pos, text: word });
      pos += word.length;
      continue;
    }
    const punctuator = PUNCTUATORS.find((p) => text.startsWith(p, pos));
    if (punctuator === undefined) return syntax(`意外的字符 '${c}'`, `Unexpected character '${c}'`, pos);
    tokens.push({ type: 'op', value: punctuator, pos, text: punctuator });
    pos += punctuator.length;
  }
}

/** EL string literal: either quote, escapes `\'`, `\"` and `\\` only. */
function readString(text: string, start: number, syntax: (zh: string, en: string, pos: number) => never): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === quote) return { value, end: i + 1 };
    if (c === '\\') {
      const escaped = text[++i];
      if (escaped === undefined) break;
      if (escaped !== '\\' && escaped !== '"' && escaped !== "'") return syntax(`无效的转义序列 '\\${escaped}'`, `Invalid escape sequence '\\${escaped}'`, i - 1);
      value += escaped;
    } else {
      value += c;
    }
  }
  return syntax('字符串没有结束引号', 'Unterminated string', start);
}
