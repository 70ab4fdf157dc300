/**
 * A form's data as a TypeScript interface: what `npm run forms:types` writes
 * to forms/generated/ and what the form designer shows as the form is drawn.
 * Written for the schemas forms use (objects, lists, dictionaries, choices,
 * formats), from the schema as validated (`normalize`): titles become JSDoc,
 * conditions are left out (every field they name is declared at the top, the
 * lint insists), so those fields stay optional.
 */
import { normalize } from './compile.ts';
import type { FormDefinition, JsonSchema } from './model.ts';

/** `leave-request` → `LeaveRequest`. */
export const typeName = (key: string) => key.replace(/(^|-)([a-z0-9])/g, (_, _dash, c: string) => c.toUpperCase());

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const literal = (value: unknown) => JSON.stringify(value);

function doc(s: JsonSchema, indent: string): string {
  const words = [s.title, s['x-title-en']].filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  if (!words.length) return '';
  const line = words.length === 2 ? `${words[0]} (${words[1]})` : words[0];
  return `${indent}/**\n${indent} * ${line!.replace(/\*\//g, '*\\/')}\n${indent} */\n`;
}

/** `oneOf`/`anyOf` of constants: a choice with labels. */
const constants = (s: JsonSchema): unknown[] | null => {
  const list = (s.oneOf ?? s.anyOf) as unknown;
  return Array.isArray(list) && list.length > 0 && list.every((x) => x && typeof x === 'object' && 'const' in x) ? list.map((x) => (x as JsonSchema).const) : null;
};

function typeOf(s: JsonSchema | boolean | undefined, indent: string): string {
  if (s === undefined || s === true) return 'unknown';
  if (s === false) return 'never';
  if (s.const !== undefined) return literal(s.const);
  if (Array.isArray(s.enum)) return s.enum.map(literal).join(' | ');
  const choices = constants(s);
  if (choices) return choices.map(literal).join(' | ');
  const types: string[] = Array.isArray(s.type) ? s.type : typeof s.type === 'string' ? [s.type] : s.properties ? ['object'] : s.items ? ['array'] : [];
  if (!types.length) return 'unknown';
  return types.map((type) => single(type, s, indent)).join(' | ');
}

function single(type: string, s: JsonSchema, indent: string): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      const item = typeOf(s.items as JsonSchema | undefined, indent);
      return item.includes(' | ') ? `(${item})[]` : `${item}[]`;
    }
    case 'object':
      return objectType(s, indent);
    default:
      return 'unknown';
  }
}

function objectType(s: JsonSchema, indent: string): string {
  const inner = `${indent}  `;
  const required = new Set<string>(Array.isArray(s.required) ? s.required : []);
  const members = Object.entries((s.properties ?? {}) as Record<string, JsonSchema>).map(
    ([name, p]) => `${doc(p, inner)}${inner}${IDENTIFIER.test(name) ? name : literal(name)}${required.has(name) ? '' : '?'}: ${typeOf(p, inner)};\n`,
  );
  const rest = s.additionalProperties;
  if (rest !== false && (rest !== undefined || !members.length)) members.push(`${inner}[k: string]: ${typeOf(rest as JsonSchema | boolean | undefined, inner)};\n`);
  return members.length ? `{\n${members.join('')}${indent}}` : '{}';
}

/** `export interface LeaveRequest { … }` for a form, with its title as the interface's JSDoc. */
export function formType(definition: FormDefinition): string {
  const schema = normalize(definition.schema);
  const name = typeName(definition.key);
  const title = doc({ title: definition.title['zh-CN'], 'x-title-en': definition.title.en }, '');
  return `${title}export interface ${name} ${objectType(schema, '')}\n`;
}
