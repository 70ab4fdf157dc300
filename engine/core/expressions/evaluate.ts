import type { BinaryOp, Node } from './ast.ts';
import { arithmetic, compare, isEmpty, looseEquals, toBoolean, toNumber, toStr } from './coerce.ts';
import type { ExpressionContext } from './context.ts';
import { ExpressionError, fail, said } from './errors.ts';
import { callMethod, getProperty } from './members.ts';

/** Walks a parsed expression. Every value it produces is null rather than undefined, as in Java. */
export function evaluate(node: Node, ctx: ExpressionContext): unknown {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'identifier': {
      const resolved = ctx.resolve(node.name);
      if (!resolved.found) return fail('unknown-identifier', said(`找不到变量 '${node.name}'`, `Cannot resolve identifier '${node.name}'`), node.name);
      return resolved.value ?? null;
    }
    case 'member':
      return getProperty(evaluate(node.object, ctx), evaluate(node.property, ctx));
    case 'method': {
      const base = evaluate(node.object, ctx);
      const name = toStr(evaluate(node.name, ctx));
      return callMethod(base, name, node.args.map((arg) => evaluate(arg, ctx)));
    }
    case 'function':
      return callFunction(ctx, node.name, node.args);
    case 'unary': {
      const value = evaluate(node.operand, ctx);
      if (node.op === '-') return -toNumber(value);
      return node.op === '!' ? !toBoolean(value) : isEmpty(value);
    }
    case 'binary':
      return binary(node.op, node.left, node.right, ctx);
    case 'conditional':
      return evaluate(toBoolean(evaluate(node.test, ctx)) ? node.then : node.otherwise, ctx);
  }
}

function binary(op: BinaryOp, left: Node, right: Node, ctx: ExpressionContext): unknown {
  // Short-circuit: when the left side decides, the right side is never evaluated nor its identifiers resolved.
  if (op === 'and') return toBoolean(evaluate(left, ctx)) && toBoolean(evaluate(right, ctx));
  if (op === 'or') return toBoolean(evaluate(left, ctx)) || toBoolean(evaluate(right, ctx));
  const a = evaluate(left, ctx);
  const b = evaluate(right, ctx);
  switch (op) {
    case '==':
      return looseEquals(a, b);
    case '!=':
      return !looseEquals(a, b);
    case '<':
    case '>':
    case '<=':
    case '>=':
      return compare(op, a, b);
    default:
      return arithmetic(op, a, b);
  }
}

function callFunction(ctx: ExpressionContext, name: string, argNodes: readonly Node[]): unknown {
  const fn = ctx.functions && Object.hasOwn(ctx.functions, name) ? ctx.functions[name] : undefined;
  if (typeof fn !== 'function') return fail('call', said(`未知函数 '${name}()'`, `Unknown function '${name}()'`));
  const args = argNodes.map((arg) => evaluate(arg, ctx));
  try {
    return fn(...args) ?? null;
  } catch (error) {
    if (error instanceof ExpressionError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    const wrapped = new ExpressionError('call', said(`函数 '${name}()' 执行失败：${why}`, `Function '${name}()' failed: ${why}`), '');
    wrapped.cause = error;
    throw wrapped;
  }
}
