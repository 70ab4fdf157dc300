/**
 * The formats a form field can declare beyond ajv-formats' (`date`, `email` …):
 * `"format": "cn-id-number"` and so on. Each has a validator for ajv and an
 * explanation of why a value fails, shown after the field's label.
 */
import type { Ajv } from 'ajv';
import type { LocalizedText } from '../model.ts';
import { idNumberProblem, mobileProblem, moneyProblem, plateProblem, postcodeProblem, regionCodeProblem } from './chinese.ts';

type Explain = (value: unknown) => LocalizedText | null;

const onString = (check: (value: string) => LocalizedText | null): Explain => (value) => (typeof value === 'string' ? check(value) : null);

export const FORMAT_REASONS: Record<string, Explain> = {
  'cn-id-number': onString((v) => idNumberProblem(v)),
  'cn-mobile': onString(mobileProblem),
  'cn-plate': onString(plateProblem),
  'cn-postcode': onString(postcodeProblem),
  'cn-region': onString(regionCodeProblem),
  // The sign is the schema's business (minimum), not the format's: refunds and adjustments may be negative.
  money: (value) => (typeof value === 'number' ? moneyProblem(value, { min: -1e12 }) : null),
};

export const CUSTOM_FORMATS = Object.keys(FORMAT_REASONS);

export function addCustomFormats(ajv: Ajv): void {
  for (const [name, explain] of Object.entries(FORMAT_REASONS)) {
    if (name === 'money') ajv.addFormat(name, { type: 'number', validate: (value: number) => explain(value) === null });
    else ajv.addFormat(name, { type: 'string', validate: (value: string) => explain(value) === null });
  }
}
