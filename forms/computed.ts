/**
 * Computed fields: `"x-computed": { "fn": "daysBetween", "args": ["startDate", "endDate"], "inclusive": true }`.
 * The server computes them before validating (whatever the client sent for
 * them is replaced), the browser computes them as the user types; both with
 * the functions registered here, by name.
 */
import { t, type FormData, type JsonSchema, type LocalizedText } from './model.ts';

export interface ComputedSpec {
  fn: string;
  args: unknown[];
  [option: string]: unknown;
}

export interface ComputeFunction {
  /** Why these arguments cannot work with these fields, or null. */
  check(spec: ComputedSpec, schema: JsonSchema): LocalizedText | null;
  /** Null when an input is missing or unusable (the field then stays empty). */
  compute(data: FormData, spec: ComputedSpec): unknown;
}

const DAY = 86_400_000;

const fieldArg = (spec: ComputedSpec, i: number, schema: JsonSchema): string | null => {
  const name = spec.args[i];
  return typeof name === 'string' && schema.properties?.[name] ? name : null;
};

const missingFields = (spec: ComputedSpec, count: number, schema: JsonSchema) =>
  Array.from({ length: count }, (_, i) => fieldArg(spec, i, schema)).some((f) => f === null) ? t(`${spec.fn} 需要 ${count} 个字段名参数`, `${spec.fn} takes ${count} field names`) : null;

/** A date (YYYY-MM-DD) as a day number, or null. */
function dayNumber(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) ? null : ms / DAY;
}

/**
 * To the cent as a person rounds the decimal (2.5 × 19.99 = 49.975 → 49.98, halves away from zero),
 * not its binary approximation (49.974999…): float noise is cut at 12 significant digits first.
 */
function roundCents(n: number): number {
  const cents = Math.abs(Number(n.toPrecision(12))) * 100;
  return (Math.sign(n) * Math.round(cents + 1e-9)) / 100;
}

export class ComputeRegistry {
  readonly #functions = new Map<string, ComputeFunction>();

  register(name: string, fn: ComputeFunction): this {
    this.#functions.set(name, fn);
    return this;
  }

  get(name: string): ComputeFunction | undefined {
    return this.#functions.get(name);
  }
}

/** The functions every form can use. */
export function builtinComputations(): ComputeRegistry {
  return new ComputeRegistry()
    .register('daysBetween', {
      // Calendar days from one date field to another; `inclusive` counts both ends (a leave from Monday to Monday is 1 day).
      check: (spec, schema) => missingFields(spec, 2, schema),
      compute(data, spec) {
        const from = dayNumber(data[spec.args[0] as string]);
        const to = dayNumber(data[spec.args[1] as string]);
        if (from === null || to === null || to < from) return null;
        return to - from + (spec.inclusive === true ? 1 : 0);
      },
    })
    .register('sum', {
      // The total of one column of a table field, to the cent.
      check(spec, schema) {
        const table = fieldArg(spec, 0, schema);
        const column = spec.args[1];
        if (!table || typeof column !== 'string' || !schema.properties[table].items?.properties?.[column]) return t('sum 需要表格字段名和列名', 'sum takes a table field and one of its columns');
        return null;
      },
      compute(data, spec) {
        const rows = data[spec.args[0] as string];
        if (!Array.isArray(rows)) return 0;
        let total = 0;
        for (const row of rows) {
          const value = (row as Record<string, unknown> | null)?.[spec.args[1] as string];
          if (typeof value === 'number' && Number.isFinite(value)) total += value;
        }
        return roundCents(total);
      },
    })
    .register('count', {
      check: (spec, schema) => (fieldArg(spec, 0, schema) && schema.properties[spec.args[0] as string].type === 'array' ? null : t('count 需要一个表格字段名', 'count takes a table field')),
      compute: (data, spec) => {
        const rows = data[spec.args[0] as string];
        return Array.isArray(rows) ? rows.length : 0;
      },
    })
    .register('constant', {
      // A configured amount or text, e.g. a service's production fee: what the client sends is replaced by it.
      check: (spec) =>
        (typeof spec.value === 'number' && Number.isFinite(spec.value)) || typeof spec.value === 'string' ? null : t('constant 需要数值或文字 value', 'constant takes a number or a text as value'),
      compute: (_data, spec) => spec.value,
    })
    .register('choose', {
      // An amount, or a text, by the value of a field: `{ "args": ["returnMethod"], "cases": { "ems": 22 }, "otherwise": 0 }`;
      // the address to send originals to by the office chosen (`otherwise` null: nothing until one is).
      check(spec, schema) {
        const cases = spec.cases as Record<string, unknown> | undefined;
        const all = (kind: string) => !!cases && typeof cases === 'object' && Object.values(cases).every((v) => typeof v === kind);
        const numbers = all('number') && typeof spec.otherwise === 'number';
        const texts = all('string') && (typeof spec.otherwise === 'string' || spec.otherwise === null);
        return missingFields(spec, 1, schema) ?? (numbers || texts ? null : t('choose 需要同为数值或同为文字的 cases 和 otherwise', 'choose takes cases and otherwise all numbers or all texts'));
      },
      compute(data, spec) {
        const value = data[spec.args[0] as string];
        const cases = spec.cases as Record<string, number | string>;
        return typeof value === 'string' && Object.hasOwn(cases, value) ? cases[value] : spec.otherwise;
      },
    })
    .register('mapList', {
      // Each chosen code of a list field mapped to values, unique, in the map's order:
      // `{ "args": ["failedChecks"], "map": { "c-id": ["materials"], "c-plate": ["plateNumber"] } }`.
      check(spec, schema) {
        const map = spec.map as Record<string, unknown> | undefined;
        const lists = map && typeof map === 'object' && Object.values(map).every((v) => Array.isArray(v) && v.every((x) => typeof x === 'string'));
        return missingFields(spec, 1, schema) ?? (lists ? null : t('mapList 需要 map：{代码: [值…]}', 'mapList takes a map of codes to lists of values'));
      },
      compute(data, spec) {
        const chosen = data[spec.args[0] as string];
        const codes = new Set(Array.isArray(chosen) ? chosen : []);
        const out = new Set<string>();
        for (const [code, values] of Object.entries(spec.map as Record<string, string[]>)) if (codes.has(code)) values.forEach((v) => out.add(v));
        return [...out];
      },
    })
    .register('add', {
      // The total of number fields, to the cent (an empty one counts as 0).
      check: (spec, schema) => (spec.args.length && spec.args.every((_, i) => fieldArg(spec, i, schema)) ? null : t('add 需要若干字段名参数', 'add takes field names')),
      compute(data, spec) {
        let total = 0;
        for (const name of spec.args) {
          const value = data[name as string];
          if (typeof value === 'number' && Number.isFinite(value)) total += value;
        }
        return roundCents(total);
      },
    })
    .register('product', {
      // e.g. quantity × unit price, to the cent.
      check: (spec, schema) => missingFields(spec, 2, schema),
      compute(data, spec) {
        const a = data[spec.args[0] as string];
        const b = data[spec.args[1] as string];
        return typeof a === 'number' && typeof b === 'number' && Number.isFinite(a * b) ? roundCents(a * b) : null;
      },
    });
}

/** The computed fields of a form, in schema order. */
export function computedFields(schema: JsonSchema): Array<[string, ComputedSpec]> {
  return Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)
    .filter(([, property]) => property['x-computed'])
    .map(([name, property]) => [name, property['x-computed'] as ComputedSpec]);
}
