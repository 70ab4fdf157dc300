/**
 * A table's columns (its rows' fields): key, label in both languages, kind
 * and whether a row must fill it. Columns of a kind not offered here (set in
 * the JSON tab) are listed with their kind and kept.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Input, Select, Space, Typography } from 'antd';
import type { FormDefinition, JsonSchema } from '../../../../forms/index.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { moneySchema, patchSchema, patchUi, type StarterWords } from './form-edit.ts';
import type { DictionaryRef } from './FieldPanel.tsx';

/** The kinds a column can be made here, each as its schema. */
const KINDS: Record<string, (words: StarterWords, dictionary?: string) => JsonSchema> = {
  text: () => ({ type: 'string', maxLength: 200 }),
  number: () => ({ type: 'number' }),
  money: moneySchema,
  date: () => ({ type: 'string', format: 'date' }),
  select: (_words, dictionary = '') => ({ type: 'string', 'x-dictionary': dictionary }),
};

function kindOf(s: JsonSchema): string | null {
  if (typeof s['x-dictionary'] === 'string') return 'select';
  if (s.format === 'money') return 'money';
  if (s.format === 'date') return 'date';
  if (s.type === 'number' || s.type === 'integer') return 'number';
  if (s.type === 'string' && !s.format) return 'text';
  return null;
}

export function ColumnsEditor({ def, field, dictionaries, words, onChange }: { def: FormDefinition; field: string; dictionaries: DictionaryRef[]; words: StarterWords; onChange(def: FormDefinition, tag?: string): void }) {
  const { t, text } = useI18n();
  const schema = (def.schema.properties?.[field] ?? {}) as JsonSchema;
  const items = (schema.items ?? { type: 'object', properties: {} }) as JsonSchema;
  const columns = Object.entries((items.properties ?? {}) as Record<string, JsonSchema>);
  const required = new Set<string>(Array.isArray(items.required) ? items.required : []);
  const write = (properties: Array<[string, JsonSchema]>, need: Set<string>, tag?: string) =>
    onChange(patchSchema(def, field, { items: { ...items, properties: Object.fromEntries(properties), required: properties.map(([k]) => k).filter((k) => need.has(k)) } }), tag);
  const setColumn = (i: number, key: string, column: JsonSchema, tag: string) => {
    const old = columns[i]![0];
    const need = new Set([...required].map((k) => (k === old ? key : k)));
    write(
      columns.map((c, j) => (j === i ? [key, column] : c)),
      need,
      `${field}:column:${i}:${tag}`,
    );
  };
  const add = () => {
    let n = columns.length + 1;
    while (columns.some(([k]) => k === `column${n}`)) n++;
    write([...columns, [`column${n}`, { ...KINDS.text!(words), title: '', 'x-title-en': '' }]], required);
  };
  const remove = (i: number) => {
    const key = columns[i]![0];
    const next = new Set(required);
    next.delete(key);
    const without = columns.filter((_, j) => j !== i);
    // Its UI settings (`items.key`) go with it.
    onChange(
      patchUi(patchSchema(def, field, { items: { ...items, properties: Object.fromEntries(without), required: without.map(([k]) => k).filter((k) => next.has(k)) } }), `${field}.${key}`, {
        widget: undefined,
      }),
    );
  };
  return (
    <div className="wf-form-columns">
      <Typography.Text strong>{t('designer.form.columns')}</Typography.Text>
      {columns.map(([key, column], i) => {
        const kind = kindOf(column);
        const n = i + 1;
        return (
          <div key={i} className="wf-form-column">
            <Space.Compact style={{ width: '100%' }}>
              <Input
                aria-label={t('designer.form.column.zh', { n })}
                placeholder={t('designer.form.zh')}
                value={(column.title as string) ?? ''}
                onChange={(e) => setColumn(i, key, { ...column, title: e.target.value }, 'zh')}
              />
              <Input
                aria-label={t('designer.form.column.en', { n })}
                placeholder={t('designer.form.en')}
                value={(column['x-title-en'] as string) ?? ''}
                onChange={(e) => setColumn(i, key, { ...column, 'x-title-en': e.target.value }, 'en')}
              />
            </Space.Compact>
            <Space wrap style={{ marginTop: 4 }}>
              <Input size="small" aria-label={t('designer.form.column.key', { n })} value={key} onChange={(e) => setColumn(i, e.target.value.trim() || key, column, 'key')} style={{ width: 110 }} />
              {kind ? (
                <Select
                  size="small"
                  aria-label={t('designer.form.column.kind', { n })}
                  value={kind}
                  style={{ width: 110 }}
                  onChange={(k: string) => setColumn(i, key, { ...KINDS[k]!(words, dictionaries[0]?.key), title: column.title, 'x-title-en': column['x-title-en'] }, 'kind')}
                  options={Object.keys(KINDS).map((k) => ({ value: k, label: t(`designer.form.column.kind.${k}` as MessageKey) }))}
                />
              ) : (
                <Typography.Text type="secondary">{t('designer.form.column.other')}</Typography.Text>
              )}
              {kind === 'select' && (
                <Select
                  size="small"
                  aria-label={t('designer.form.dictionary')}
                  style={{ width: 160 }}
                  value={column['x-dictionary'] as string}
                  onChange={(d: string) => setColumn(i, key, { ...column, 'x-dictionary': d }, 'dictionary')}
                  options={dictionaries.map((d) => ({ value: d.key, label: text(d.name) }))}
                />
              )}
              <Checkbox
                checked={required.has(key)}
                onChange={(e) => {
                  const next = new Set(required);
                  if (e.target.checked) next.add(key);
                  else next.delete(key);
                  write(columns, next);
                }}
              >
                {t('designer.form.required.always')}
              </Checkbox>
              <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('designer.form.column.remove', { n })} disabled={columns.length === 1} onClick={() => remove(i)} />
            </Space>
          </div>
        );
      })}
      <Button icon={<PlusOutlined />} size="small" onClick={add} style={{ marginTop: 8 }}>
        {t('designer.form.column.add')}
      </Button>
    </div>
  );
}
