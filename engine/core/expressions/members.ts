// What `a.b`, `a[k]` and `a.m(…)` may reach: own data of plain objects and arrays, and a
// whitelist of Java-named methods implemented here, so no host function is ever invoked.
import { deepEqual, describe, isPlainObject, toNumber, toStr } from './coerce.ts';
import { isExecutionFacade, type ExecutionFacade } from './context.ts';
import { fail, said } from './errors.ts';
import { LIMITS } from './limits.ts';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Missing keys and null bases give null (JUEL map semantics); out-of-range list indexes too (ListELResolver). */
export function getProperty(base: unknown, key: unknown): unknown {
  if (base === null || base === undefined || key === null || key === undefined) return null;
  if (isExecutionFacade(base)) {
    // the bean property behind Camunda's `${execution.processBusinessKey}`
    if (key === 'processBusinessKey') return base.getProcessBusinessKey();
    return fail('type', said(`execution 上没有属性 '${toStr(key)}'`, `Property '${toStr(key)}' is not available on execution`));
  }
  const name = toStr(key);
  if (FORBIDDEN.has(name)) return fail('type', said(`不允许访问 '${name}'`, `Access to '${name}' is not allowed`));
  if (Array.isArray(base)) {
    const index = toIndex(key);
    return index >= 0 && index < base.length ? ownData(base, String(index)) : null;
  }
  if (isPlainObject(base)) return ownData(base, name);
  return fail('type', said(`不能读取${describe(base)['zh-CN']}的属性 '${name}'`, `Cannot read property '${name}' of ${describe(base).en}`));
}

function ownData(base: object, name: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(base, name);
  if (descriptor === undefined) return null;
  // Getters and functions are code, not data: reading them must neither run nor leak them.
  if (!('value' in descriptor) || typeof descriptor.value === 'function') return fail('type', said(`属性 '${name}' 不是数据`, `Property '${name}' is not data`));
  return descriptor.value ?? null;
}

function toIndex(key: unknown): number {
  if (typeof key === 'number') return Math.trunc(key);
  if (typeof key === 'string' && /^[+-]?\d+$/.test(key)) return Number(key);
  return fail('type', said(`${describe(key)['zh-CN']} 不能作为列表下标`, `Cannot use ${describe(key).en} as a list index`));
}

const toInt = (value: unknown) => Math.trunc(toNumber(value));

interface Method<T> {
  readonly arity: readonly [min: number, max: number];
  readonly call: (self: T, args: readonly unknown[]) => unknown;
}

function method<T>(arity: number | readonly [number, number], call: Method<T>['call']): Method<T> {
  return { arity: typeof arity === 'number' ? [arity, arity] : arity, call };
}

const STRING_METHODS = new Map<string, Method<string>>([
  ['length', method(0, (s) => s.length)],
  ['isEmpty', method(0, (s) => s.length === 0)],
  ['contains', method(1, (s, [x]) => s.includes(toStr(x)))],
  ['startsWith', method(1, (s, [x]) => s.startsWith(toStr(x)))],
  ['endsWith', method(1, (s, [x]) => s.endsWith(toStr(x)))],
  // Object.equals: no coercion, so '5'.equals(5) is false
  ['equals', method(1, (s, [x]) => s === x)],
  ['equalsIgnoreCase', method(1, (s, [x]) => x !== null && s.toLowerCase() === toStr(x).toLowerCase())],
  ['toUpperCase', method(0, (s) => s.toUpperCase())],
  ['toLowerCase', method(0, (s) => s.toLowerCase())],
  ['trim', method(0, javaTrim)],
  ['substring', method([1, 2], (s, args) => substring(s, toInt(args[0]), args.length > 1 ? toInt(args[1]) : s.length))],
  ['indexOf', method(1, (s, [x]) => s.indexOf(toStr(x)))],
  ['matches', method(1, (s, [pattern]) => matches(s, toStr(pattern)))],
]);

const LIST_METHODS = new Map<string, Method<readonly unknown[]>>([
  ['size', method(0, (list) => list.length)],
  ['isEmpty', method(0, (list) => list.length === 0)],
  ['contains', method(1, (list, [x]) => list.some((item) => deepEqual(item, x)))],
  ['indexOf', method(1, (list, [x]) => list.findIndex((item) => deepEqual(item, x)))],
  ['get', method(1, (list, [i]) => {
    const index = toInt(i);
    // List.get throws where the `list[i]` property form gives null
    if (!(index >= 0 && index < list.length)) fail('call', said(`下标 ${index} 超出范围（列表长度 ${list.length}）`, `Index ${index} out of bounds for length ${list.length}`));
    return getProperty(list, index);
  })],
]);

const MAP_METHODS = new Map<string, Method<Record<string, unknown>>>([
  ['size', method(0, (map) => Object.keys(map).length)],
  ['isEmpty', method(0, (map) => Object.keys(map).length === 0)],
  ['containsKey', method(1, (map, [key]) => Object.hasOwn(map, toStr(key)))],
  ['get', method(1, (map, [key]) => getProperty(map, key))],
]);

const EXECUTION_METHODS = new Map<string, Method<ExecutionFacade>>([
  ['getVariable', method(1, (execution, [name]) => execution.getVariable(toStr(name)))],
  ['hasVariable', method(1, (execution, [name]) => execution.hasVariable(toStr(name)))],
  ['getProcessBusinessKey', method(0, (execution) => execution.getProcessBusinessKey())],
]);

export function callMethod(base: unknown, name: string, args: readonly unknown[]): unknown {
  if (isExecutionFacade(base)) return invoke(EXECUTION_METHODS, base, name, args);
  if (typeof base === 'string') return invoke(STRING_METHODS, base, name, args);
  if (Array.isArray(base)) return invoke(LIST_METHODS, base, name, args);
  if (isPlainObject(base)) return invoke(MAP_METHODS, base, name, args);
  return fail('call', said(`不能在${describe(base)['zh-CN']}上调用 '${name}()'`, `Cannot call '${name}()' on ${describe(base).en}`));
}

function invoke<T>(methods: ReadonlyMap<string, Method<T>>, self: T, name: string, args: readonly unknown[]): unknown {
  const found = methods.get(name);
  if (found === undefined) {
    const on = isExecutionFacade(self) ? said('execution', 'execution') : describe(self);
    return fail('call', said(`${on['zh-CN']} 上不允许调用方法 '${name}()'`, `Method '${name}()' is not allowed on ${on.en}`));
  }
  const [min, max] = found.arity;
  if (args.length < min || args.length > max) {
    fail('call', said(`方法 '${name}()' 需要 ${min === max ? min : `${min} 到 ${max}`} 个参数，实际 ${args.length} 个`, `Method '${name}()' takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`));
  }
  return found.call(self, args) ?? null;
}

/** Java's String.trim strips every char <= U+0020, JavaScript's trim strips Unicode spaces. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 32) start++;
  while (end > start && s.charCodeAt(end - 1) <= 32) end--;
  return s.slice(start, end);
}

function substring(s: string, begin: number, end: number): string {
  if (!(begin >= 0 && end <= s.length && begin <= end)) fail('call', said(`substring(${begin}, ${end}) 超出范围（字符串长度 ${s.length}）`, `substring(${begin}, ${end}) out of range for length ${s.length}`));
  return s.slice(begin, end);
}

/** Java's String.matches: the whole input must match. Sizes are capped because patterns can backtrack exponentially. */
function matches(s: string, pattern: string): boolean {
  if (pattern.length > LIMITS.regexLength) fail('limit', said(`正则表达式超过 ${LIMITS.regexLength} 个字符`, `Regular expression longer than ${LIMITS.regexLength} characters`));
  if (s.length > LIMITS.regexInputLength) fail('limit', said(`matches() 的输入超过 ${LIMITS.regexInputLength} 个字符`, `matches() input longer than ${LIMITS.regexInputLength} characters`));
  try {
    // Validated alone first, so the pattern cannot unbalance the anchoring group below.
    new RegExp(pattern);
  } catch {
    fail('call', said(`正则表达式 '${pattern}' 无效`, `Invalid regular expression '${pattern}'`));
  }
  return new RegExp(`^(?:${pattern})$`).test(s);
}
