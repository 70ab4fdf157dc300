import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { reasonFor } from '../../forms/messages.ts';
import { invalidAll, type ValidationIssue } from '../core/errors.ts';
import { entities, type Schema } from './schemas.ts';

/**
 * Request validation: the same JSON Schemas describe the API in openapi.json
 * and check every request, so the document cannot drift from the code.
 */
const strictAjv = new Ajv({ allErrors: true, coerceTypes: false, useDefaults: true, strict: true });
// Query strings and path parameters arrive as text: "20" may stand for 20.
const coercingAjv = new Ajv({ allErrors: true, coerceTypes: 'array', useDefaults: true, strict: true });
addFormats.default(strictAjv);
addFormats.default(coercingAjv);
// A body may refer to an entity (`#/components/schemas/ApprovalNode`, a recursive one): as in openapi.json, the
// entities stand under `components` next to it, a keyword ajv carries without checking.
strictAjv.addKeyword({ keyword: 'components', schemaType: 'object' });
const withEntities = (schema: Schema): Schema => (JSON.stringify(schema).includes('"#/components/') ? { ...schema, components: { schemas: entities } } : schema);
const compiled = { body: new WeakMap<object, ValidateFunction>(), text: new WeakMap<object, ValidateFunction>() };

export type { Schema };

/** Throws WF_ERR_VALIDATION listing every failed rule, with fields named like `body.variables.amount`. */
export function check<T>(schema: Schema, value: unknown, where: 'body' | 'query' | 'params'): T {
  const cache = where === 'body' ? compiled.body : compiled.text;
  let validate = cache.get(schema);
  if (!validate) {
    validate = where === 'body' ? strictAjv.compile(withEntities(schema)) : coercingAjv.compile(schema);
    cache.set(schema, validate);
  }
  if (!validate(value)) throw invalidAll((validate.errors ?? []).map((e) => toIssue(e, where)));
  if (where !== 'body') checkNumbers(schema, value as Record<string, unknown>, where);
  return value as T;
}

/**
 * Numbers from text, checked again: ajv's coercion lets "1e999" through as
 * Infinity, past `integer` and `maximum` alike. Every number of a query or a
 * path is a finite value within the bounds its schema gives.
 */
function checkNumbers(schema: Schema, value: Record<string, unknown>, where: string): void {
  const properties = (schema.properties ?? {}) as Record<string, { type?: unknown; minimum?: number; maximum?: number }>;
  const issues: ValidationIssue[] = [];
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'number') continue;
    const spec = properties[name] ?? {};
    const whole = spec.type === 'integer';
    const ok = Number.isFinite(v) && (!whole || Number.isSafeInteger(v)) && (spec.minimum === undefined || v >= spec.minimum) && (spec.maximum === undefined || v <= spec.maximum);
    if (ok) continue;
    const range = `${spec.minimum ?? '…'}–${spec.maximum ?? '…'}`;
    issues.push({ field: `${where}.${name}`, rule: 'range', reason: { 'zh-CN': `应为 ${range} 之间的${whole ? '整数' : '数'}`, en: `must be a ${whole ? 'whole number' : 'number'} in ${range}` } });
  }
  if (issues.length) throw invalidAll(issues);
}

function toIssue(e: ErrorObject, where: string): ValidationIssue {
  const path = e.instancePath.split('/').slice(1).map(decodeURIComponent);
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') path.push(String(params.missingProperty));
  if (e.keyword === 'additionalProperties') path.push(String(params.additionalProperty));
  return { field: [where, ...path].join('.'), rule: e.keyword, reason: reasonFor(e) };
}
