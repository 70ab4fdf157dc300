/**
 * A service task's input mapping checked against its operation's input
 * schema, as the analyst types: a required input left empty, a literal where
 * the input wants a number or a yes/no (an input parameter's plain text is
 * text: `${5}` is a number), a value outside the input's choices, a variable
 * nobody sets, a form field of another type. Pure, for the panel and its test.
 */
import type { MessageKey } from '../../i18n/zh-CN.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = Record<string, any>;

/** A process variable the designer knows of, with its JSON type where a form says it. */
export interface KnownVariable {
  name: string;
  type: string | null;
  /** Where it comes from, for the suggestion: a form's field title, or an output. */
  source: string;
}

export interface MappingProblem {
  level: 'error' | 'warning';
  key: MessageKey;
  values?: Record<string, string>;
}

const SINGLE_REFERENCE = /^\$\{\s*([A-Za-z_$][\w$]*)(\.[\w$.]+)?\s*\}$/;

const typesOf = (s: Schema): string[] => (Array.isArray(s.type) ? s.type : typeof s.type === 'string' ? [s.type] : []);

/** Whether a value of JSON type `given` fits an input of these types. */
function fits(given: string, wanted: string[]): boolean {
  if (!wanted.length) return true;
  if (wanted.includes(given)) return true;
  return given === 'integer' && wanted.includes('number');
}

/** The input's type in the panel's words (数字, 文本, …). */
export const typeKey = (s: Schema): MessageKey => {
  const type = typesOf(s).find((x) => x !== 'null') ?? 'any';
  return `designer.map.type.${['string', 'number', 'integer', 'boolean', 'array', 'object'].includes(type) ? type : 'any'}` as MessageKey;
};

export function checkMapping(value: string, input: Schema, required: boolean, variables: ReadonlyMap<string, KnownVariable>): MappingProblem | null {
  const text = value.trim();
  if (!text) return required ? { level: 'error', key: 'designer.map.required' } : null;
  const wanted = typesOf(input).filter((x) => x !== 'null');
  const reference = SINGLE_REFERENCE.exec(text);
  if (reference) {
    const name = reference[1]!;
    const known = variables.get(name);
    if (!known) return { level: 'warning', key: 'designer.map.unknownVariable', values: { name } };
    // `${amount}` is the variable itself; `${applicant.name}` a part of it, whose type no form says.
    const whole = reference[2] === undefined;
    if (whole && known.type && !fits(known.type, wanted)) {
      const narrower = known.type === 'number' && wanted.includes('integer');
      return { level: narrower ? 'warning' : 'error', key: 'designer.map.typeMismatch', values: { name, given: `designer.map.type.${known.type}`, wanted: typeKey(input) } };
    }
    return null;
  }
  if (text.includes('${') || text.includes('#{')) return null; // an expression: its type shows at run time
  // Plain text is text.
  if (wanted.length && !wanted.includes('string')) {
    const asExpression = `\${${text}}`;
    return { level: 'error', key: 'designer.map.literalNotText', values: { wanted: typeKey(input), example: asExpression } };
  }
  if (Array.isArray(input.enum) && !input.enum.includes(text)) return { level: 'error', key: 'designer.map.notAChoice', values: { choices: input.enum.join(' / ') } };
  if (typeof input.pattern === 'string' && !new RegExp(input.pattern, 'u').test(text)) return { level: 'error', key: 'designer.map.pattern' };
  if (typeof input.maxLength === 'number' && [...text].length > input.maxLength) return { level: 'error', key: 'designer.map.tooLong', values: { max: String(input.maxLength) } };
  return null;
}

/** The variables a form's fields make, typed. */
export function formVariables(fields: ReadonlyArray<{ name: string; title: string; type?: string | null }>): KnownVariable[] {
  return fields.map((f) => ({ name: f.name, type: f.type ?? null, source: f.title }));
}
