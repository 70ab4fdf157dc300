import type { Node } from './ast.ts';
import { describe, toStr } from './coerce.ts';
import type { ExpressionContext } from './context.ts';
import { evaluate } from './evaluate.ts';
import { ExpressionError, fail, said, withSource } from './errors.ts';
import { LIMITS } from './limits.ts';
import { parseExpression } from './parser.ts';

export interface Template {
  readonly source: string;
  /** true when the text is exactly one ${…} (result keeps its type); false for composite text (result is a string) or plain text */
  readonly isSingleExpression: boolean;
  /** no ${} at all */
  readonly isLiteral: boolean;
  /** top-level identifiers referenced (for deploy-time linting) */
  readonly identifiers: ReadonlySet<string>;
  /** functions called, `f(…)` (for deploy-time linting) */
  readonly functions: ReadonlySet<string>;
  evaluate(ctx: ExpressionContext): unknown;
}

type Part = string | Node;

const opensExpression = (text: string, i: number) => (text[i] === '$' || text[i] === '#') && text[i + 1] === '{';

/** Compile a template: text with zero or more ${…} or #{…} parts. Throws ExpressionError('syntax') with position. */
export function compileTemplate(text: string): Template {
  if (text.length > LIMITS.sourceLength) {
    throw new ExpressionError('limit', said(`表达式超过 ${LIMITS.sourceLength} 个字符`, `Expression longer than ${LIMITS.sourceLength} characters`), text);
  }
  const parts: Part[] = [];
  const names = { identifiers: new Set<string>(), functions: new Set<string>() };
  let literal = '';
  let opener: string | undefined;
  for (let i = 0; i < text.length; ) {
    const c = text.charAt(i);
    if (c === '\\' && opensExpression(text, i + 1)) {
      literal += text.slice(i + 1, i + 3);
      i += 3;
    } else if (opensExpression(text, i)) {
      // JUEL refuses a template that mixes immediate ${} and deferred #{} parts.
      if (opener !== undefined && opener !== c) {
        throw new ExpressionError('syntax', said(`同一模板中不能混用 \${} 和 #{}（第 ${i} 个字符处）`, `Cannot mix \${} and #{} in one template at ${i}`), text, i);
      }
      opener = c;
      if (literal !== '') parts.push(literal);
      literal = '';
      const { node, end } = parseExpression(text, i + 2, names);
      parts.push(node);
      i = end;
    } else {
      literal += c;
      i++;
    }
  }
  if (literal !== '' || parts.length === 0) parts.push(literal);
  return new CompiledTemplate(text, parts, names.identifiers, names.functions);
}

class CompiledTemplate implements Template {
  readonly isLiteral: boolean;
  readonly isSingleExpression: boolean;
  /** the expression when the template is exactly one, whose result then keeps its type */
  private readonly single: Node | undefined;

  constructor(
    readonly source: string,
    private readonly parts: readonly Part[],
    readonly identifiers: ReadonlySet<string>,
    readonly functions: ReadonlySet<string>,
  ) {
    const [first] = parts;
    this.single = parts.length === 1 && typeof first === 'object' ? first : undefined;
    this.isSingleExpression = this.single !== undefined;
    this.isLiteral = parts.every((part) => typeof part === 'string');
  }

  evaluate(ctx: ExpressionContext): unknown {
    try {
      const result = this.single ? evaluate(this.single, ctx) : this.concatenate(ctx);
      if (typeof result === 'string') checkLength(result);
      return result;
    } catch (error) {
      throw withSource(error, this.source);
    }
  }

  private concatenate(ctx: ExpressionContext): string {
    let text = '';
    for (const part of this.parts) {
      text += typeof part === 'string' ? part : toStr(evaluate(part, ctx));
      checkLength(text);
    }
    return text;
  }
}

function checkLength(text: string): void {
  if (text.length > LIMITS.stringLength) fail('limit', said(`字符串结果超过 ${LIMITS.stringLength} 个字符`, `String result longer than ${LIMITS.stringLength} characters`));
}

/** Evaluate a condition: like Camunda, anything but a boolean result (null and the string 'true' included) is an error. */
export function evaluateCondition(t: Template, ctx: ExpressionContext): boolean {
  const result = t.evaluate(ctx);
  if (typeof result === 'boolean') return result;
  const text = result === null
    ? said('条件表达式的结果为空值 null', 'Condition expression returns null')
    : said(`条件表达式的结果不是布尔值：${describe(result)['zh-CN']}`, `Condition expression returns non-Boolean: ${describe(result).en}`);
  throw new ExpressionError('type', text, t.source);
}
