/**
 * A condition on another field (`visibleWhen`, or when a field becomes
 * required): the field, then "is", "is one of" or "is filled in", then the
 * value picked from that field's own choices where it has them.
 */
import { Form, Input, InputNumber, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import type { Condition, FormDefinition, JsonSchema } from '../../../../forms/index.ts';
import { useI18n } from '../../i18n/index.tsx';
import { loadDictionary, type Dictionary } from '../../forms/dictionaries.ts';
import { choicesOf, typeOf } from '../../forms/schema.ts';

type Operator = 'equals' | 'in' | 'notEmpty';

const operatorOf = (c: Condition): Operator => ('equals' in c ? 'equals' : 'in' in c ? 'in' : 'notEmpty');

export function ConditionEditor({ def, value, fields, label, onChange }: { def: FormDefinition; value: Condition; fields: string[]; label: string; onChange(c: Condition | null): void }) {
  const { t, text, locale } = useI18n();
  const all = (def.schema.properties ?? {}) as Record<string, JsonSchema>;
  const target = all[value.field] ?? {};
  const dictionaryKey = typeof target['x-dictionary'] === 'string' ? (target['x-dictionary'] as string) : null;
  const [dictionary, setDictionary] = useState<Dictionary | null>(null);
  useEffect(() => {
    let live = true;
    setDictionary(null);
    if (dictionaryKey) void loadDictionary(dictionaryKey).then((d) => live && setDictionary(d));
    return () => {
      live = false;
    };
  }, [dictionaryKey]);
  const choices = choicesOf(target, dictionary && dictionaryKey ? { [dictionaryKey]: dictionary } : null, locale, [t('common.yes'), t('common.no')]);
  const operator = operatorOf(value);
  const name = (key: string) => text({ 'zh-CN': all[key]?.title as string, en: all[key]?.['x-title-en'] as string }) || key;
  const numeric = typeOf(target) === 'number' || typeOf(target) === 'integer';
  const set = (op: Operator, field = value.field, given?: unknown) => {
    if (op === 'notEmpty') return onChange({ field, notEmpty: true });
    const first = choices[0]?.value ?? (numeric ? 0 : '');
    if (op === 'in') return onChange({ field, in: Array.isArray(given) ? given : given !== undefined ? [given] : [first] });
    return onChange({ field, equals: given ?? first });
  };
  const current = 'equals' in value ? value.equals : 'in' in value ? value.in : undefined;
  return (
    <Form.Item label={label} style={{ marginBottom: 12 }}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select
          aria-label={t('designer.form.condition.field')}
          showSearch={{ optionFilterProp: 'label' }}
          value={value.field}
          options={fields.map((f) => ({ value: f, label: `${name(f)} (${f})` }))}
          onChange={(f: string) => set(operator === 'notEmpty' ? 'notEmpty' : operator, f, undefined)}
        />
        <Select
          aria-label={t('designer.form.condition.operator')}
          showSearch={{ optionFilterProp: 'label' }}
          value={operator}
          onChange={(op: Operator) => set(op, value.field, op === 'notEmpty' ? undefined : Array.isArray(current) ? current[0] : current)}
          options={(['equals', 'in', 'notEmpty'] as const).map((op) => ({ value: op, label: t(`designer.form.condition.${op}`) }))}
        />
        {operator !== 'notEmpty' &&
          (choices.length ? (
            <Select
              aria-label={t('designer.form.condition.value')}
              showSearch={{ optionFilterProp: 'label' }}
              mode={operator === 'in' ? 'multiple' : undefined}
              value={current as never}
              options={choices.map((c) => ({ value: c.value as never, label: c.label }))}
              onChange={(v: unknown) => set(operator, value.field, v)}
            />
          ) : numeric ? (
            <InputNumber aria-label={t('designer.form.condition.value')} value={current as number} onChange={(v) => set(operator, value.field, v ?? 0)} style={{ width: '100%' }} />
          ) : (
            <Input
              aria-label={t('designer.form.condition.value')}
              value={Array.isArray(current) ? current.join(',') : String(current ?? '')}
              onChange={(e) => set(operator, value.field, operator === 'in' ? e.target.value.split(',') : e.target.value)}
            />
          ))}
      </Space>
    </Form.Item>
  );
}
