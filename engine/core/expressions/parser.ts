import type { BinaryOp, Node, UnaryOp } from './ast.ts';
import { ExpressionError, said } from './errors.ts';
import { LIMITS } from './limits.ts';
import { tokenize, type Token } from './lexer.ts';

type Operators<T> = Readonly<Record<string, T>>;

const OR: Operators<BinaryOp> = { '||': 'or', or: 'or' };
const AND: Operators<BinaryOp> = { '&&': 'and', and: 'and' };
const EQUALITY: Operators<BinaryOp> = { '==': '==', eq: '==', '!=': '!=', ne: '!=' };
const RELATIONAL: Operators<BinaryOp> = { '<': '<', lt: '<', '>': '>', gt: '>', '<=': '<=', le: '<=', '>=': '>=', ge: '>=' };
const ADDITIVE: Operators<BinaryOp> = { '+': '+', '-': '-' };
const MULTIPLICATIVE: Operators<BinaryOp> = { '*': '*', '/': '/', div: '/', '%': '%', mod: '%' };
const UNARY: Operators<UnaryOp> = { '-': '-', '!': '!', not: '!', empty: 'empty' };

/**
 * Parses the body of one `${…}` starting at `start` (just after the brace). Collects referenced
 * top-level identifiers and called functions into `names`; returns the AST and the index after the closing `}`.
 */
export function parseExpression(text: string, start: number, names: ReferencedNames): { node: Node; end: number } {
  const { tokens, end } = tokenize(text, start);
  return { node: new Parser(text, tokens, names).parse(), end };
}

export interface ReferencedNames {
  identifiers: Set<string>;
  functions: Set<string>;
}

/** Recursive descent over the JUEL 2.2 grammar, one method per precedence level. */
class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
    private readonly names: ReferencedNames,
  ) {}

  parse(): Node {
    const node = this.expression();
    const rest = this.peek();
    return rest.type === 'end' ? node : this.unexpected(rest);
  }

  // expression := or ('?' expression ':' expression)?
  private expression(): Node {
    return this.nested(() => {
      const test = this.or();
      if (!this.accept('?')) return test;
      const then = this.expression();
      this.expect(':');
      return { type: 'conditional', test, then, otherwise: this.expression() };
    });
  }

  private or(): Node {
    return this.binary(() => this.and(), OR);
  }

  private and(): Node {
    return this.binary(() => this.equality(), AND);
  }

  private equality(): Node {
    return this.binary(() => this.relational(), EQUALITY);
  }

  private relational(): Node {
    return this.binary(() => this.additive(), RELATIONAL);
  }

  private additive(): Node {
    return this.binary(() => this.multiplicative(), ADDITIVE);
  }

  private multiplicative(): Node {
    return this.binary(() => this.unary(), MULTIPLICATIVE);
  }

  private unary(): Node {
    const op = this.acceptOneOf(UNARY);
    if (op === undefined) return this.postfix();
    return this.nested(() => ({ type: 'unary', op, operand: this.unary() }));
  }

  // postfix := primary ('.' ident | '[' expression ']')*, either followed by '(' args ')' for a method call
  private postfix(): Node {
    let node = this.primary();
    for (;;) {
      let property: Node;
      if (this.accept('.')) {
        const name = this.next();
        if (name.type !== 'ident') return this.unexpected(name);
        property = { type: 'literal', value: name.value };
      } else if (this.accept('[')) {
        property = this.expression();
        this.expect(']');
      } else {
        return node;
      }
      node = this.accept('(')
        ? { type: 'method', object: node, name: property, args: this.args() }
        : { type: 'member', object: node, property };
    }
  }

  private primary(): Node {
    const token = this.next();
    if (token.type === 'literal') return { type: 'literal', value: token.value };
    if (token.type === 'ident') {
      if (this.accept('(')) {
        this.names.functions.add(token.value);
        return { type: 'function', name: token.value, args: this.args() };
      }
      this.names.identifiers.add(token.value);
      return { type: 'identifier', name: token.value };
    }
    if (token.type === 'op' && token.value === '(') {
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    return this.unexpected(token);
  }

  /** Arguments after an opening '(' up to and including ')'. */
  private args(): Node[] {
    const args: Node[] = [];
    if (this.accept(')')) return args;
    do args.push(this.expression());
    while (this.accept(','));
    this.expect(')');
    return args;
  }

  private binary(operand: () => Node, operators: Operators<BinaryOp>): Node {
    let left = operand();
    for (let op = this.acceptOneOf(operators); op !== undefined; op = this.acceptOneOf(operators)) {
      left = { type: 'binary', op, left, right: operand() };
    }
    return left;
  }

  /** Bounds parser recursion (parentheses, unary chains, nested ternaries) so hostile input cannot exhaust the stack. */
  private nested(parse: () => Node): Node {
    if (++this.depth > LIMITS.depth) {
      const { pos } = this.peek();
      throw new ExpressionError('limit', said(`表达式嵌套超过 ${LIMITS.depth} 层（第 ${pos} 个字符处）`, `Expression nested deeper than ${LIMITS.depth} levels at ${pos}`), this.text, pos);
    }
    const node = parse();
    this.depth--;
    return node;
  }

  // The token list always ends with the closing '}', which `next` never moves past.
  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.index++;
    return token;
  }

  private accept(value: string): boolean {
    const token = this.peek();
    if (token.type !== 'op' || token.value !== value) return false;
    this.index++;
    return true;
  }

  private acceptOneOf<T>(operators: Operators<T>): T | undefined {
    const token = this.peek();
    if (token.type !== 'op' || !Object.hasOwn(operators, token.value)) return undefined;
    this.index++;
    return operators[token.value];
  }

  private expect(value: string): void {
    if (!this.accept(value)) this.unexpected(this.peek());
  }

  private unexpected(token: Token): never {
    throw new ExpressionError('syntax', said(`意外的 '${token.text}'（第 ${token.pos} 个字符处）`, `Unexpected token '${token.text}' at ${token.pos}`), this.text, token.pos);
  }
}
