import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { reasonFor } from '../../forms/messages.ts';
import { invalidAll, type ValidationIssue } from '../core/errors.ts';

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
  return { field: [where, ...path].join('.'), rule: e.keyword, reason: reasonFor(e) };
}
