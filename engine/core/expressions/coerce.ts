// JUEL coercion and operator rules (EL 2.2 spec section 1.18, de.odysseus.el BooleanOperations /
// NumberOperations). JavaScript has one number type, so Long and Double are not told apart.
import { fail, said } from './errors.ts';
import type { LocalizedText } from '../../../forms/model.ts';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function describe(value: unknown): LocalizedText {
  if (value === null || value === undefined) return said('空值 null', 'null');
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return said(`字符串 '${shown}'`, `string '${shown}'`);
  }
  if (typeof value === 'number') return said(`数字 ${value}`, `number ${value}`);
  if (typeof value === 'boolean') return said(`布尔值 ${String(value)}`, `boolean ${String(value)}`);
  if (Array.isArray(value)) return said('列表', 'array');
  return said(typeof value === 'object' ? '对象' : typeof value, typeof value);
}

// Strict, as Java's Long.valueOf / Double.valueOf: no blanks, no hex, no "NaN"/"Infinity".
const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function toNumber(value: unknown): number {
  if (value === null || value === undefined || value === '') return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return fail('type', said(`${describe(value)['zh-CN']} 不能转换为数字`, `Cannot coerce ${describe(value).en} to a number`));
}

export function toBoolean(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (typeof value === 'boolean') return value;
  // Java's Boolean.valueOf: only "true", in any case, is true.
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  return fail('type', said(`${describe(value)['zh-CN']} 不能转换为布尔值`, `Cannot coerce ${describe(value).en} to a boolean`));
}

export function toStr(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  if (Array.isArray(value) || isPlainObject(value)) {
    try {
      return JSON.stringify(value);
    } catch {
      // cycles and bigints: reported below as not coercible
    }
  }
  return fail('type', said(`${describe(value)['zh-CN']} 不能转换为字符串`, `Cannot coerce ${describe(value).en} to a string`));
}

/** Integral values print as a Java long would; others as Java's Double.toString (scientific outside [1e-3, 1e7)). */
export function formatNumber(n: number): string {
  const magnitude = Math.abs(n);
  if (Number.isInteger(n) && magnitude < 2 ** 63) return String(n);
  if (!Number.isFinite(n) || (magnitude >= 1e-3 && magnitude < 1e7)) return String(n);
  const [mantissa = '', exponent = ''] = n.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

/** `==`: the first rule that applies decides — null, number, boolean, string, then Java equals. */
export function looseEquals(a: unknown, b: unknown): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === y) return true;
  if (x === null || y === null) return false;
  if (typeof x === 'number' || typeof y === 'number') return toNumber(x) === toNumber(y);
  if (typeof x === 'boolean' || typeof y === 'boolean') return toBoolean(x) === toBoolean(y);
  if (typeof x === 'string' || typeof y === 'string') return toStr(x) === toStr(y);
  return deepEqual(x, y);
}

/** Java `equals` without coercion: what List.contains and Map equality use. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if ((a ?? null) === (b ?? null)) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
}

export type RelationalOp = '<' | '>' | '<=' | '>=';

/** JUEL defines `<=` as not `>` and `>=` as not `<`, and identical operands (null included) as equal. */
export function compare(op: RelationalOp, a: unknown, b: unknown): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === y) return op === '<=' || op === '>=';
  if (x === null || y === null) return false;
  const order = compareValues(x, y);
  if (op === '<') return order < 0;
  if (op === '>') return order > 0;
  return op === '<=' ? !(order > 0) : !(order < 0);
}

/** Negative, zero or positive; NaN when unordered (a NaN operand). */
function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' || typeof b === 'number') return sign(toNumber(a), toNumber(b));
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'boolean';
  if (scalar(a) && scalar(b)) {
    // A string on either side compares as strings; two booleans as Java's Boolean.compareTo (false < true).
    return typeof a === 'string' || typeof b === 'string' ? sign(toStr(a), toStr(b)) : sign(Number(a), Number(b));
  }
  if (a instanceof Date && b instanceof Date) return sign(a.getTime(), b.getTime());
  return fail('type', said(`${describe(a)['zh-CN']} 与 ${describe(b)['zh-CN']} 不能比较`, `Cannot compare ${describe(a).en} with ${describe(b).en}`));
}

function sign<T extends number | string>(a: T, b: T): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return a === b ? 0 : NaN;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

/** Numeric only: JUEL 2.2 has no string concatenation, so `'a' + 'b'` fails to coerce. */
export function arithmetic(op: ArithmeticOp, a: unknown, b: unknown): number {
  if ((a ?? null) === null && (b ?? null) === null) return 0;
  const x = toNumber(a);
  const y = toNumber(b);
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      // always a Double division in JUEL: x/0 is Infinity or NaN
      return x / y;
    case '%':
      // Long remainder by zero throws ArithmeticException; a Double one is NaN.
      if (y === 0 && Number.isInteger(x)) fail('type', said('取模运算除数为零', 'Division by zero in modulo'));
      return x % y;
  }
}

export function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}
