import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { invalidAll, type LocalizedText, type ValidationIssue } from '../core/errors.ts';

/**
 * Request validation: the same JSON Schemas describe the API in openapi.json
 * and check every request, so the document cannot drift from the code.
 */
const strictAjv = new Ajv({ allErrors: true, coerceTypes: false, useDefaults: true, strict: true });
// Query strings and path parameters arrive as text: "20" may stand for 20.
const coercingAjv = new Ajv({ allErrors: true, coerceTypes: 'array', useDefaults: true, strict: true });
addFormats.default(strictAjv);
addFormats.default(coercingAjv);
const compiled = { body: new WeakMap<object, ValidateFunction>(), text: new WeakMap<object, ValidateFunction>() };

export type Schema = Record<string, unknown>;

/** Throws WF_ERR_VALIDATION listing every failed rule, with fields named like `body.variables.amount`. */
export function check<T>(schema: Schema, value: unknown, where: 'body' | 'query' | 'params'): T {
  const cache = where === 'body' ? compiled.body : compiled.text;
  let validate = cache.get(schema);
  if (!validate) {
    validate = (where === 'body' ? strictAjv : coercingAjv).compile(schema);
    cache.set(schema, validate);
  }
  if (validate(value)) return value as T;
  throw invalidAll((validate.errors ?? []).map((e) => toIssue(e, where)));
}

function toIssue(e: ErrorObject, where: string): ValidationIssue {
  const path = e.instancePath.split('/').slice(1).map(decodeURIComponent);
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') path.push(String(params.missingProperty));
  if (e.keyword === 'additionalProperties') path.push(String(params.additionalProperty));
  return { field: [where, ...path].join('.'), rule: e.keyword, reason: reasonFor(e, params) };
}

function reasonFor(e: ErrorObject, p: Record<string, unknown>): LocalizedText {
  switch (e.keyword) {
    case 'required':
      return { 'zh-CN': '必填', en: 'is required' };
    case 'additionalProperties':
      return { 'zh-CN': '不允许的字段', en: 'is not an allowed field' };
    case 'type':
      return { 'zh-CN': `类型应为${typeName(p.type, 'zh-CN')}`, en: `must be ${typeName(p.type, 'en')}` };
    case 'minimum':
      return { 'zh-CN': `不能小于 ${p.limit}`, en: `must be at least ${p.limit}` };
    case 'maximum':
      return { 'zh-CN': `不能大于 ${p.limit}`, en: `must be at most ${p.limit}` };
    case 'minLength':
      return { 'zh-CN': `至少 ${p.limit} 个字符`, en: `must have at least ${p.limit} characters` };
    case 'maxLength':
      return { 'zh-CN': `最多 ${p.limit} 个字符`, en: `must have at most ${p.limit} characters` };
    case 'maxProperties':
      return { 'zh-CN': `最多 ${p.limit} 项`, en: `must have at most ${p.limit} entries` };
    case 'maxItems':
      return { 'zh-CN': `最多 ${p.limit} 项`, en: `must have at most ${p.limit} items` };
    case 'pattern':
      return { 'zh-CN': '格式不正确', en: 'has an invalid format' };
    case 'enum':
      return { 'zh-CN': `应为以下之一：${(p.allowedValues as unknown[]).join('、')}`, en: `must be one of: ${(p.allowedValues as unknown[]).join(', ')}` };
    case 'format':
      return { 'zh-CN': `不是合法的 ${p.format}`, en: `is not a valid ${p.format}` };
    default:
      return { 'zh-CN': `不符合规则 ${e.keyword}`, en: e.message ?? `fails ${e.keyword}` };
  }
}

const TYPE_NAMES: Record<string, [string, string]> = {
  string: ['字符串', 'a string'],
  integer: ['整数', 'an integer'],
  number: ['数字', 'a number'],
  boolean: ['布尔值', 'a boolean'],
  object: ['对象', 'an object'],
  array: ['数组', 'an array'],
  null: ['空值', 'null'],
};

/** A JSON Schema type or a list of them ("string or null"). */
function typeName(type: unknown, locale: 'zh-CN' | 'en'): string {
  const types = Array.isArray(type) ? type.map(String) : String(type).split(',');
  return types.map((t) => TYPE_NAMES[t]?.[locale === 'zh-CN' ? 0 : 1] ?? t).join(locale === 'zh-CN' ? '或' : ' or ');
}
