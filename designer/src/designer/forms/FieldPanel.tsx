/**
 * The selected field's settings: key, labels and hints in both languages,
 * required (always or under a condition), when it shows, its rules with their
 * own messages, its choices (a stored dictionary or a fixed list), and what
 * its kind needs (columns of a table, a computation, file types). The
 * advanced tab edits the field's JSON Schema and UI schema as they are, for
 * any keyword the controls do not cover.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Collapse, Form, Input, InputNumber, Radio, Select, Space, Tabs, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import type { Condition, FormDefinition, JsonSchema, LocalizedText } from '../../../../forms/index.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { typeOf, widgetOf } from '../../forms/schema.ts';
import { ColumnsEditor } from './ColumnsEditor.tsx';
import { ConditionEditor } from './ConditionEditor.tsx';
import { choice, FIELD_KEY, isRequired, patchSchema, patchUi, renameField, replaceSchema, requiredWhen, setRequired, setRequiredWhen, type StarterWords } from './form-edit.ts';
import { widgetName } from './FormCanvas.tsx';

export interface DictionaryRef {
  key: string;
  name: LocalizedText;
}

export interface FieldPanelProps {
  def: FormDefinition;
  field: string;
  dictionaries: DictionaryRef[];
  words: StarterWords;
  onChange(def: FormDefinition, tag?: string): void;
  onRenamed(key: string): void;
}

/** Two inputs for a text in both languages; an empty pair is no text at all. */
export function Bilingual({ value, onChange, label, multiline }: { value: LocalizedText | undefined; onChange(v: LocalizedText | undefined): void; label: string; multiline?: boolean }) {
  const { t } = useI18n();
  const set = (locale: 'zh-CN' | 'en', text: string) => {
    const next = { 'zh-CN': value?.['zh-CN'] ?? '', en: value?.en ?? '', [locale]: text };
    onChange(next['zh-CN'] || next.en ? next : undefined);
  };
  const Field = multiline ? Input.TextArea : Input;
  return (
    <Form.Item label={label} style={{ marginBottom: 12 }}>
      <Space.Compact direction="vertical" style={{ width: '100%' }}>
        <Field aria-label={`${label} · ${t('designer.form.zh')}`} placeholder={t('designer.form.zh')} value={value?.['zh-CN'] ?? ''} onChange={(e) => set('zh-CN', e.target.value)} />
        <Field aria-label={`${label} · ${t('designer.form.en')}`} placeholder={t('designer.form.en')} value={value?.en ?? ''} onChange={(e) => set('en', e.target.value)} />
      </Space.Compact>
    </Form.Item>
  );
}

/** The rules a field of this type can have, with the message key of each one's name. */
function rulesFor(schema: JsonSchema): Array<{ rule: string; label: MessageKey; kind: 'number' | 'text' }> {
  const type = typeOf(schema);
  if (schema['x-computed']) return [];
  if (type === 'string' && !schema.format && !schema.oneOf && !schema.enum && !schema['x-dictionary'] && !schema['x-picker'] && !schema['x-file'])
    return [
      { rule: 'minLength', label: 'designer.form.rule.minLength', kind: 'number' },
      { rule: 'maxLength', label: 'designer.form.rule.maxLength', kind: 'number' },
      { rule: 'pattern', label: 'designer.form.rule.pattern', kind: 'text' },
    ];
  if (type === 'number' || type === 'integer')
    return [
      { rule: 'minimum', label: 'designer.form.rule.minimum', kind: 'number' },
      { rule: 'maximum', label: 'designer.form.rule.maximum', kind: 'number' },
    ];
  if (type === 'array')
    return [
      { rule: 'minItems', label: 'designer.form.rule.minItems', kind: 'number' },
      { rule: 'maxItems', label: 'designer.form.rule.maxItems', kind: 'number' },
    ];
  return [];
}

const FILE_TYPES = [
  'image/jpeg',
  'image/png',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];
const MB = 1024 * 1024;

export function FieldPanel({ def, field, dictionaries, words, onChange, onRenamed }: FieldPanelProps) {
  const { t, text } = useI18n();
  const schema = (def.schema.properties?.[field] ?? {}) as JsonSchema;
  const ui = def.ui?.fields?.[field];
  const widget = widgetOf(schema, ui);
  const [key, setKey] = useState(field);
  useEffect(() => setKey(field), [field]);
  const keyProblem = key === field ? null : !FIELD_KEY.test(key) ? t('designer.form.keyInvalid') : Object.hasOwn(def.schema.properties ?? {}, key) ? t('designer.form.keyTaken') : null;
  const commitKey = () => {
    if (key === field || keyProblem) return;
    onChange(renameField(def, field, key));
    onRenamed(key);
  };
  const tag = (what: string) => `${field}:${what}`;
  const setSchema = (patch: JsonSchema, what: string) => onChange(patchSchema(def, field, patch), tag(what));
  const setUi = (patch: Record<string, unknown>, what: string) => onChange(patchUi(def, field, patch), tag(what));
  const messages = (schema['x-messages'] ?? {}) as Record<string, LocalizedText>;
  const setMessage = (rule: string, value: LocalizedText | undefined) => {
    const next = { ...messages, [rule]: value };
    if (!value) delete next[rule];
    setSchema({ 'x-messages': Object.keys(next).length ? next : undefined }, `message:${rule}`);
  };
  const choiceTarget = typeOf(schema) === 'array' ? ((schema.items ?? {}) as JsonSchema) : schema;
  const hasChoices = ['select', 'radio', 'checkbox'].includes(widget) && typeOf(choiceTarget) !== 'boolean';
  const others = Object.keys(def.schema.properties ?? {}).filter((f) => f !== field);
  const required = isRequired(def, field);
  const condition = requiredWhen(def, field);
  const rules = rulesFor(schema);

  const basic = (
    <>
      <Form.Item label={t('designer.form.key')} validateStatus={keyProblem ? 'error' : undefined} help={keyProblem ?? t('designer.form.keyHelp')} style={{ marginBottom: 12 }}>
        <Input value={key} onChange={(e) => setKey(e.target.value.trim())} onBlur={commitKey} onPressEnter={commitKey} aria-label={t('designer.form.key')} />
      </Form.Item>
      <Form.Item label={t('designer.form.widget')} style={{ marginBottom: 12 }}>
        <Typography.Text>{t(widgetName(widget))}</Typography.Text>
      </Form.Item>
      <Bilingual
        label={t('designer.form.label')}
        value={{ 'zh-CN': (schema.title as string | undefined) ?? '', en: (schema['x-title-en'] as string | undefined) ?? '' }}
        onChange={(v) => setSchema({ title: v?.['zh-CN'] || undefined, 'x-title-en': v?.en || undefined }, 'label')}
      />
      {!['switch', 'checkbox', 'radio', 'table', 'materials', 'computed', 'file'].includes(widget) && (
        <Bilingual label={t('designer.form.placeholder')} value={ui?.placeholder} onChange={(v) => setUi({ placeholder: v }, 'placeholder')} />
      )}
      <Bilingual label={t('designer.form.help')} value={ui?.help} onChange={(v) => setUi({ help: v }, 'help')} multiline />
      {(typeOf(schema) === 'number' || typeOf(schema) === 'integer') && (
        <Form.Item label={t('designer.form.unit')} style={{ marginBottom: 12 }}>
          <Input
            value={(schema['x-unit'] as string | undefined) ?? ''}
            onChange={(e) => setSchema({ 'x-unit': e.target.value || undefined }, 'unit')}
            aria-label={t('designer.form.unit')}
            style={{ width: 120 }}
          />
        </Form.Item>
      )}
      <Form.Item style={{ marginBottom: 12 }}>
        <Checkbox checked={schema.readOnly === true} onChange={(e) => setSchema({ readOnly: e.target.checked || undefined }, 'readOnly')}>
          {t('designer.form.readOnly')}
        </Checkbox>
      </Form.Item>
    </>
  );

  const validation = (
    <>
      <Form.Item label={t('designer.form.required')} style={{ marginBottom: 12 }}>
        <Radio.Group
          value={required ? 'always' : condition ? 'when' : 'never'}
          onChange={(e) => {
            const mode = e.target.value as string;
            let next = setRequired(def, field, mode === 'always');
            next = setRequiredWhen(next, field, mode === 'when' ? (condition ?? (others[0] ? { field: others[0], notEmpty: true } : null)) : null);
            onChange(next);
          }}
          options={[
            { value: 'never', label: t('designer.form.required.never') },
            { value: 'always', label: t('designer.form.required.always') },
            { value: 'when', label: t('designer.form.required.when'), disabled: others.length === 0 },
          ]}
        />
      </Form.Item>
      {condition && !required && (
        <ConditionEditor def={def} value={condition} fields={others} label={t('designer.form.requiredWhen')} onChange={(c) => onChange(setRequiredWhen(def, field, c), tag('requiredWhen'))} />
      )}
      {(required || condition) && <Bilingual label={t('designer.form.message', { rule: t('designer.form.required.always') })} value={messages.required} onChange={(v) => setMessage('required', v)} />}
      {rules.map(({ rule, label, kind }) => (
        <div key={rule}>
          <Form.Item label={t(label)} style={{ marginBottom: 8 }}>
            {kind === 'number' ? (
              <InputNumber
                aria-label={t(label)}
                value={schema[rule] as number | undefined}
                onChange={(v) => setSchema({ [rule]: v ?? undefined }, rule)}
                min={rule.endsWith('Length') || rule.endsWith('Items') ? 0 : undefined}
                precision={rule.endsWith('Length') || rule.endsWith('Items') || typeOf(schema) === 'integer' ? 0 : undefined}
                style={{ width: '100%' }}
              />
            ) : (
              <Input aria-label={t(label)} value={(schema[rule] as string | undefined) ?? ''} onChange={(e) => setSchema({ [rule]: e.target.value || undefined }, rule)} placeholder="^[0-9]{6}$" />
            )}
          </Form.Item>
          {schema[rule] !== undefined && <Bilingual label={t('designer.form.message', { rule: t(label) })} value={messages[rule]} onChange={(v) => setMessage(rule, v)} />}
        </div>
      ))}
      {schema.format && <Alert type="info" showIcon title={t('designer.form.formatChecked', { control: t(widgetName(widget)) })} />}
    </>
  );

  const visibility = (
    <>
      <Form.Item label={t('designer.form.visible')} style={{ marginBottom: 12 }}>
        <Radio.Group
          value={ui?.visibleWhen ? 'when' : 'always'}
          onChange={(e) => setUi({ visibleWhen: e.target.value === 'when' && others[0] ? ({ field: others[0], notEmpty: true } satisfies Condition) : undefined }, 'visible')}
          options={[
            { value: 'always', label: t('designer.form.visible.always') },
            { value: 'when', label: t('designer.form.visible.when'), disabled: others.length === 0 },
          ]}
        />
      </Form.Item>
      {ui?.visibleWhen && (
        <ConditionEditor def={def} value={ui.visibleWhen} fields={others} label={t('designer.form.visibleWhen')} onChange={(c) => setUi({ visibleWhen: c ?? undefined }, 'visibleWhen')} />
      )}
      <Typography.Paragraph type="secondary">{t('designer.form.visibleHint')}</Typography.Paragraph>
    </>
  );

  const kindSpecific: ReactNode[] = [];
  if (hasChoices)
    kindSpecific.push(
      <ChoicesEditor
        key="choices"
        target={choiceTarget}
        dictionaries={dictionaries}
        words={words}
        onChange={(next) => onChange(replaceSchema(def, field, typeOf(schema) === 'array' ? { ...schema, items: next } : next), tag('choices'))}
      />,
    );
  if (widget === 'table') kindSpecific.push(<ColumnsEditor key="columns" def={def} field={field} dictionaries={dictionaries} words={words} onChange={onChange} />);
  if (widget === 'computed') kindSpecific.push(<ComputedEditor key="computed" def={def} field={field} onChange={onChange} />);
  if (widget === 'file') {
    const spec = (schema['x-file'] ?? {}) as { types?: string[]; maxSize?: number };
    kindSpecific.push(
      <div key="file">
        <Form.Item label={t('designer.form.fileTypes')} style={{ marginBottom: 12 }}>
          <Checkbox.Group
            value={spec.types ?? []}
            onChange={(types) => setSchema({ 'x-file': { ...spec, types } }, 'fileTypes')}
            options={FILE_TYPES.map((type) => ({ value: type, label: t(`designer.form.fileType.${FILE_TYPES.indexOf(type)}` as MessageKey) }))}
          />
        </Form.Item>
        <Form.Item label={t('designer.form.fileSize')} style={{ marginBottom: 12 }}>
          <InputNumber
            aria-label={t('designer.form.fileSize')}
            min={1}
            max={20}
            value={spec.maxSize ? spec.maxSize / MB : undefined}
            onChange={(v) => setSchema({ 'x-file': { ...spec, maxSize: v ? Math.round(v * MB) : undefined } }, 'fileSize')}
            addonAfter="MB"
          />
        </Form.Item>
      </div>,
    );
  }

  return (
    <Form layout="vertical" component="div" className="wf-form-field-panel">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {text({ 'zh-CN': schema.title as string, en: (schema['x-title-en'] as string) ?? (schema.title as string) }) || field}
      </Typography.Title>
      <Tabs
        size="small"
        items={[
          { key: 'basic', label: t('designer.form.tab.basic'), children: basic },
          { key: 'rules', label: t('designer.form.tab.rules'), children: validation },
          { key: 'visible', label: t('designer.form.tab.visible'), children: visibility },
          ...(kindSpecific.length ? [{ key: 'kind', label: t('designer.form.tab.kind'), children: kindSpecific }] : []),
          { key: 'json', label: t('designer.form.tab.json'), children: <JsonEditor def={def} field={field} onChange={onChange} /> },
        ]}
      />
    </Form>
  );
}

type Choice = { const: string; title?: string; 'x-title-en'?: string };

/** A choice field's options: a stored dictionary, or a fixed list (value, 中文, English). */
function ChoicesEditor({ target, dictionaries, words, onChange }: { target: JsonSchema; dictionaries: DictionaryRef[]; words: StarterWords; onChange(next: JsonSchema): void }) {
  const { t, text } = useI18n();
  const fromDictionary = typeof target['x-dictionary'] === 'string';
  const list: Choice[] = Array.isArray(target.oneOf) ? (target.oneOf as Choice[]) : Array.isArray(target.enum) ? (target.enum as string[]).map((v) => ({ const: String(v), title: String(v) })) : [];
  const { oneOf: _o, enum: _e, 'x-dictionary': _d, ...rest } = target;
  const setList = (next: Choice[]) => onChange({ ...rest, oneOf: next });
  return (
    <>
      <Form.Item label={t('designer.form.choices')} style={{ marginBottom: 12 }}>
        <Radio.Group
          value={fromDictionary ? 'dictionary' : 'list'}
          onChange={(e) =>
            e.target.value === 'dictionary'
              ? onChange({ ...rest, 'x-dictionary': dictionaries[0]?.key ?? '' })
              : setList(list.length ? list : [choice('a', words.option(1))])
          }
          options={[
            { value: 'dictionary', label: t('designer.form.choices.dictionary') },
            { value: 'list', label: t('designer.form.choices.list') },
          ]}
        />
      </Form.Item>
      {fromDictionary ? (
        <Form.Item label={t('designer.form.dictionary')} style={{ marginBottom: 12 }}>
          <Select
            aria-label={t('designer.form.dictionary')}
            showSearch={{ optionFilterProp: 'label' }}
            value={target['x-dictionary'] as string}
            onChange={(key: string) => onChange({ ...rest, 'x-dictionary': key })}
            options={dictionaries.map((d) => ({ value: d.key, label: `${text(d.name)} (${d.key})` }))}
          />
        </Form.Item>
      ) : (
        <div className="wf-form-choices">
          {list.map((choice, i) => {
            const set = (patch: Partial<Choice>) => setList(list.map((c, j) => (j === i ? { ...c, ...patch } : c)));
            return (
              <Space.Compact key={i} style={{ width: '100%', marginBottom: 6 }}>
                <Input
                  aria-label={t('designer.form.choice.value', { n: i + 1 })}
                  placeholder={t('designer.form.choice.valueShort')}
                  value={choice.const}
                  onChange={(e) => set({ const: e.target.value })}
                  style={{ width: '28%' }}
                />
                <Input aria-label={t('designer.form.choice.zh', { n: i + 1 })} placeholder={t('designer.form.zh')} value={choice.title ?? ''} onChange={(e) => set({ title: e.target.value })} />
                <Input
                  aria-label={t('designer.form.choice.en', { n: i + 1 })}
                  placeholder={t('designer.form.en')}
                  value={choice['x-title-en'] ?? ''}
                  onChange={(e) => set({ 'x-title-en': e.target.value })}
                />
                <Button icon={<DeleteOutlined />} aria-label={t('designer.form.choice.remove', { n: i + 1 })} disabled={list.length === 1} onClick={() => setList(list.filter((_, j) => j !== i))} />
              </Space.Compact>
            );
          })}
          <Button icon={<PlusOutlined />} size="small" onClick={() => setList([...list, { const: `option${list.length + 1}`, title: '', 'x-title-en': '' }])}>
            {t('designer.form.choice.add')}
          </Button>
        </div>
      )}
    </>
  );
}

/** A computed field: the function and the fields it reads. */
function ComputedEditor({ def, field, onChange }: { def: FormDefinition; field: string; onChange(def: FormDefinition, tag?: string): void }) {
  const { t, text } = useI18n();
  const fields = (def.schema.properties ?? {}) as Record<string, JsonSchema>;
  const spec = (fields[field]?.['x-computed'] ?? { fn: 'sum', args: [] }) as { fn: string; args: unknown[]; inclusive?: boolean };
  const name = (key: string) => text({ 'zh-CN': fields[key]?.title as string, en: fields[key]?.['x-title-en'] as string }) || key;
  const of = (test: (s: JsonSchema) => boolean) =>
    Object.keys(fields)
      .filter((k) => k !== field && test(fields[k]!))
      .map((k) => ({ value: k, label: `${name(k)} (${k})` }));
  const dates = of((s) => s.format === 'date');
  const tables = of((s) => typeOf(s) === 'array' && typeOf(s.items) === 'object');
  const table = typeof spec.args[0] === 'string' ? fields[spec.args[0]] : undefined;
  const columns = Object.entries((table?.items?.properties ?? {}) as Record<string, JsonSchema>)
    .filter(([, c]) => typeOf(c) === 'number' || typeOf(c) === 'integer')
    .map(([k, c]) => ({ value: k, label: `${text({ 'zh-CN': c.title as string, en: c['x-title-en'] as string }) || k} (${k})` }));
  const set = (next: typeof spec) => onChange(patchSchema(def, field, { 'x-computed': next, type: next.fn === 'count' || next.fn === 'daysBetween' ? 'integer' : 'number' }));
  const arg = (i: number, options: Array<{ value: string; label: string }>, label: string) => (
    <Form.Item label={label} style={{ marginBottom: 12 }}>
      <Select aria-label={label} value={spec.args[i] as string | undefined} options={options} onChange={(v: string) => set({ ...spec, args: Object.assign([...spec.args], { [i]: v }) })} />
    </Form.Item>
  );
  return (
    <>
      <Form.Item label={t('designer.form.computed.fn')} style={{ marginBottom: 12 }}>
        <Select
          aria-label={t('designer.form.computed.fn')}
          value={spec.fn}
          onChange={(fn: string) => set({ fn, args: [] })}
          options={['sum', 'count', 'daysBetween'].map((fn) => ({ value: fn, label: t(`designer.form.computed.${fn}` as MessageKey) }))}
        />
      </Form.Item>
      {spec.fn === 'daysBetween' && (
        <>
          {arg(0, dates, t('designer.form.computed.from'))}
          {arg(1, dates, t('designer.form.computed.to'))}
          <Checkbox checked={spec.inclusive === true} onChange={(e) => set({ ...spec, inclusive: e.target.checked || undefined })}>
            {t('designer.form.computed.inclusive')}
          </Checkbox>
        </>
      )}
      {(spec.fn === 'sum' || spec.fn === 'count') && arg(0, tables, t('designer.form.computed.table'))}
      {spec.fn === 'sum' && arg(1, columns, t('designer.form.computed.column'))}
    </>
  );
}

/** The field as JSON: its schema and its UI settings, applied when both parse. */
function JsonEditor({ def, field, onChange }: { def: FormDefinition; field: string; onChange(def: FormDefinition, tag?: string): void }) {
  const { t } = useI18n();
  const schemaText = JSON.stringify(def.schema.properties?.[field] ?? {}, null, 2);
  const uiText = JSON.stringify(def.ui?.fields?.[field] ?? {}, null, 2);
  const [draft, setDraft] = useState({ schema: schemaText, ui: uiText });
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setDraft({ schema: schemaText, ui: uiText }), [schemaText, uiText]);
  const apply = () => {
    try {
      const schema = JSON.parse(draft.schema) as unknown;
      const ui = JSON.parse(draft.ui) as unknown;
      if (!schema || typeof schema !== 'object' || Array.isArray(schema) || !ui || typeof ui !== 'object' || Array.isArray(ui)) throw new Error(t('designer.form.json.object'));
      const withSchema = replaceSchema(def, field, schema as JsonSchema);
      const cleared = patchUi(withSchema, field, Object.fromEntries(Object.keys(def.ui?.fields?.[field] ?? {}).map((k) => [k, undefined])));
      onChange(patchUi(cleared, field, ui as Record<string, unknown>));
      setProblem(null);
    } catch (err) {
      setProblem((err as Error).message);
    }
  };
  return (
    <>
      <Typography.Paragraph type="secondary">{t('designer.form.json.hint')}</Typography.Paragraph>
      <Collapse
        size="small"
        defaultActiveKey={['schema']}
        items={[
          {
            key: 'schema',
            label: 'JSON Schema',
            children: (
              <Input.TextArea
                aria-label="JSON Schema"
                className="wf-code"
                autoSize={{ minRows: 6, maxRows: 18 }}
                value={draft.schema}
                onChange={(e) => setDraft({ ...draft, schema: e.target.value })}
              />
            ),
          },
          {
            key: 'ui',
            label: t('designer.form.json.ui'),
            children: (
              <Input.TextArea
                aria-label={t('designer.form.json.ui')}
                className="wf-code"
                autoSize={{ minRows: 3, maxRows: 12 }}
                value={draft.ui}
                onChange={(e) => setDraft({ ...draft, ui: e.target.value })}
              />
            ),
          },
        ]}
      />
      {problem && <Alert type="error" showIcon style={{ marginTop: 8 }} title={problem} />}
      <Button style={{ marginTop: 8 }} onClick={apply} disabled={draft.schema === schemaText && draft.ui === uiText}>
        {t('designer.form.json.apply')}
      </Button>
    </>
  );
}
