/**
 * ajv's errors in the caller's language. One table for the whole product: the
 * API's request validation uses it as well as the forms.
 *
 * Written here rather than taken from ajv-i18n, which replaces every message —
 * including a form's own texts. A field's `x-messages` (per rule, both
 * languages) always wins over the table.
 */
import type { ErrorObject } from 'ajv';
import { FORMAT_REASONS } from './formats/index.ts';
import { t, type Locale, type LocalizedText } from './model.ts';

type Annotated = { 'x-messages'?: Record<string, LocalizedText>; properties?: Record<string, Annotated> };

const plural = (n: unknown, one: string, many: string) => `${String(n)} ${n === 1 ? one : many}`;

export function reasonFor(e: ErrorObject): LocalizedText {
  const p = e.params as Record<string, unknown>;
  const parent = e.parentSchema as Annotated | undefined;
  // A missing field's error belongs to its object; its own text is on the field.
  const missing = e.keyword === 'required' || e.keyword === 'dependentRequired' ? parent?.properties?.[String(p.missingProperty)] : undefined;
  const custom = (missing ?? parent)?.['x-messages']?.[e.keyword];
  if (custom) return custom;
  switch (e.keyword) {
    case 'required':
    case 'dependentRequired':
      return t('必填', 'is required');
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return t('不允许的字段', 'is not an allowed field');
    case 'type':
      return t(`类型应为${typeName(p.type, 'zh-CN')}`, `must be ${typeName(p.type, 'en')}`);
    case 'minimum':
      return t(`不能小于 ${p.limit}`, `must be at least ${p.limit}`);
    case 'exclusiveMinimum':
      return t(`必须大于 ${p.limit}`, `must be more than ${p.limit}`);
    case 'maximum':
      return t(`不能大于 ${p.limit}`, `must be at most ${p.limit}`);
    case 'exclusiveMaximum':
      return t(`必须小于 ${p.limit}`, `must be less than ${p.limit}`);
    case 'multipleOf':
      return t(`应为 ${p.multipleOf} 的整数倍`, `must be a multiple of ${p.multipleOf}`);
    case 'minLength':
      return t(`至少 ${p.limit} 个字符`, `must have at least ${plural(p.limit, 'character', 'characters')}`);
    case 'maxLength':
      return t(`最多 ${p.limit} 个字符`, `must have at most ${plural(p.limit, 'character', 'characters')}`);
    case 'minItems':
      return t(`至少 ${p.limit} 项`, `must have at least ${plural(p.limit, 'item', 'items')}`);
    case 'maxItems':
      return t(`最多 ${p.limit} 项`, `must have at most ${plural(p.limit, 'item', 'items')}`);
    case 'uniqueItems':
      return t('不能有重复项', 'must not contain duplicates');
    case 'maxProperties':
      return t(`最多 ${p.limit} 项`, `must have at most ${p.limit} entries`);
    case 'pattern':
      return t('格式不正确', 'has an invalid format');
    case 'const':
      return p.allowedValue === true ? t('请勾选', 'must be ticked') : t(`应为 ${String(p.allowedValue)}`, `must be ${String(p.allowedValue)}`);
    case 'anyOf':
    case 'oneOf':
      return t('不符合任何一种允许的填写方式', 'matches none of the allowed alternatives');
    case 'enum':
      return t(`应为以下之一：${(p.allowedValues as unknown[]).join('、')}`, `must be one of: ${(p.allowedValues as unknown[]).join(', ')}`);
    case 'format':
      return formatReason(String(p.format), e.data);
    case 'x-dictionary':
      return t('不是可选的值', 'is not one of the options');
    case 'x-date-range':
      return t('结束日期不能早于开始日期', 'must not end before it starts');
    default: {
      // Custom keywords put their reason in the error's params.
      const reason = p.reason as LocalizedText | undefined;
      return reason ?? t(`不符合规则 ${e.keyword}`, e.message ?? `fails ${e.keyword}`);
    }
  }
}

/** The specific reason (校验位不正确 rather than 格式不正确) when the format has one. */
function formatReason(format: string, value: unknown): LocalizedText {
  const explain = FORMAT_REASONS[format];
  const specific = explain ? explain(value) : null;
  if (specific) return specific;
  const named = FORMAT_NAMES[format];
  return named ? t(`不是有效的${named[0]}`, `is not a valid ${named[1]}`) : t(`不是合法的 ${format}`, `is not a valid ${format}`);
}

const FORMAT_NAMES: Record<string, [string, string]> = {
  date: ['日期', 'date'],
  'date-time': ['日期时间', 'date and time'],
  time: ['时间', 'time'],
  email: ['电子邮箱地址', 'e-mail address'],
  uri: ['网址', 'URL'],
  uuid: ['编号', 'id'],
};

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
function typeName(type: unknown, locale: Locale): string {
  const types = Array.isArray(type) ? type.map(String) : String(type).split(',');
  return types.map((name) => TYPE_NAMES[name]?.[locale === 'zh-CN' ? 0 : 1] ?? name).join(locale === 'zh-CN' ? '或' : ' or ');
}

/** The path of an error as a JSON pointer to the offending value (`required` points at the missing field). */
export function pointerOf(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const child =
    e.keyword === 'required' || e.keyword === 'dependentRequired'
      ? p.missingProperty
      : e.keyword === 'additionalProperties'
        ? p.additionalProperty
        : e.keyword === 'unevaluatedProperties'
          ? p.unevaluatedProperty
          : undefined;
  return child === undefined ? e.instancePath : `${e.instancePath}/${escapePointer(String(child))}`;
}

const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

export const unescapePointer = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');
