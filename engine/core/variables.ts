import { invalid, invalidAll, type ValidationIssue } from './errors.ts';
import type { Variables } from './model.ts';

/**
 * Process variables as callers send them: plain JSON values, or Camunda REST's
 * typed form `{ "value": 5000, "type": "Long" }` (so Camunda clients keep
 * working). A typed value whose value does not match its type is refused,
 * naming the variable.
 */
export const VARIABLE_LIMITS = { names: 500, nameLength: 255, depth: 32, bytes: 1_000_000 };

const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

type Check = (value: unknown) => boolean;
/** Date.parse alone accepts "March 7" and "1": require ISO 8601 (date, optional time and zone). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const isInteger = (min: number, max: number): Check => (v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

const CAMUNDA_TYPES: Record<string, { check: Check; zh: string; en: string }> = {
  string: { check: (v) => typeof v === 'string', zh: '字符串', en: 'a string' },
  boolean: { check: (v) => typeof v === 'boolean', zh: '布尔值', en: 'a boolean' },
  short: { check: isInteger(-32768, 32767), zh: '短整数', en: 'a short integer' },
  integer: { check: isInteger(-2147483648, 2147483647), zh: '整数', en: 'an integer' },
  long: { check: isInteger(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER), zh: '长整数', en: 'a long integer' },
  double: { check: (v) => typeof v === 'number' && Number.isFinite(v), zh: '数字', en: 'a number' },
  date: { check: (v) => typeof v === 'string' && ISO_DATE.test(v) && !Number.isNaN(Date.parse(v)), zh: 'ISO 8601 日期', en: 'an ISO 8601 date' },
  json: { check: () => true, zh: 'JSON', en: 'JSON' },
  object: { check: () => true, zh: '对象', en: 'an object' },
  null: { check: (v) => v === null, zh: '空值', en: 'null' },
};

function isTyped(value: unknown): value is { value: unknown; type: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const type = (value as { type?: unknown }).type;
  return keys.includes('value') && typeof type === 'string' && type.toLowerCase() in CAMUNDA_TYPES && keys.every((k) => k === 'value' || k === 'type' || k === 'valueInfo');
}

/** Validate and unwrap; every problem is reported at once, nothing is half-applied. */
export function normalizeVariables(input: unknown, field = 'variables'): Variables {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw invalid(field, 'type', { 'zh-CN': '应为对象（变量名到值）', en: 'must be an object of variable names to values' });
  }
  const issues: ValidationIssue[] = [];
  const result: Variables = {};
  const entries = Object.entries(input);
  if (entries.length > VARIABLE_LIMITS.names) {
    throw invalid(field, 'maxProperties', { 'zh-CN': `最多 ${VARIABLE_LIMITS.names} 个变量`, en: `at most ${VARIABLE_LIMITS.names} variables` });
  }
  for (const [name, raw] of entries) {
    const at = `${field}.${name}`;
    if (!name || name.length > VARIABLE_LIMITS.nameLength || FORBIDDEN_NAMES.has(name)) {
      issues.push({ field: at, rule: 'name', reason: { 'zh-CN': '变量名不合法', en: 'is not a valid variable name' } });
      continue;
    }
    let value = raw;
    if (isTyped(raw)) {
      const type = CAMUNDA_TYPES[raw.type.toLowerCase()]!;
      if (!type.check(raw.value)) {
        issues.push({ field: at, rule: 'type', reason: { 'zh-CN': `类型 ${raw.type} 的值应为${type.zh}`, en: `a ${raw.type} value must be ${type.en}` } });
        continue;
      }
      value = raw.value;
    }
    if (depth(value) > VARIABLE_LIMITS.depth) {
      issues.push({ field: at, rule: 'depth', reason: { 'zh-CN': `嵌套超过 ${VARIABLE_LIMITS.depth} 层`, en: `is nested deeper than ${VARIABLE_LIMITS.depth} levels` } });
      continue;
    }
    result[name] = value;
  }
  if (issues.length) throw invalidAll(issues);
  if (JSON.stringify(result).length > VARIABLE_LIMITS.bytes) {
    throw invalid(field, 'size', { 'zh-CN': `变量总大小超过 ${VARIABLE_LIMITS.bytes} 字节`, en: `exceed ${VARIABLE_LIMITS.bytes} bytes in total` });
  }
  return result;
}

function depth(value: unknown, level = 0): number {
  if (typeof value !== 'object' || value === null || level > VARIABLE_LIMITS.depth) return level;
  let max = level + 1;
  for (const v of Object.values(value)) max = Math.max(max, depth(v, level + 1));
  return max;
}
