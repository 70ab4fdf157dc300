/**
 * A form rendered from the JSON Schema + UI schema the server validates, with
 * the node's access per field: hidden fields are not in the schema at all,
 * read-only and computed ones show but cannot be changed. Sections show as
 * groups, or as the steps of a wizard; `visibleWhen` shows a field only while
 * its condition holds (its value is kept either way). Each problem shows under
 * its field — the browser's own check or the server's 422, word for word the
 * same — and those that cannot (another step, a field not shown) above the form.
 * A wizard may end with a review step: every step's fields as they will be
 * sent, read-only, each step with a way back to it, every problem flagged.
 */
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Grid, Progress, Space, Steps, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { FieldIssue, FormData, MaterialsSchema } from '../../../forms/index.ts';
import { useI18n, type LocalizedText } from '../i18n/index.tsx';
import { useDictionaries } from './dictionaries.ts';
import { computeValues, fieldOf, groupsOf, isEmpty, isReadOnly, issuesUnder, labelOf, properties, requiredNow, shows, typeOf, widgetOf, type FormView } from './schema.ts';
import type { WidgetProps } from './types.ts';
import { ownsIssue, renderWidget } from './widgets.tsx';

export type { FormView };

export interface SchemaFormProps {
  form: FormView;
  value: FormData;
  onChange(value: FormData): void;
  /** Problems to show next to their fields: the browser's own check or the server's 422. */
  issues: FieldIssue[];
  disabled?: boolean;
  /** Change it (e.g. count submit attempts) to bring the first problem into view: its wizard step, scrolled to. */
  revealIssues?: number;
  /** A field lost focus: a page may start showing that field's problems then. */
  onFieldBlur?(field: string): void;
  /** A wizard ends with a review step (核对提交); called when it is reached, so that the page shows every problem then. */
  onReview?(): void;
}

const domId = (form: FormView, field: string) => `wf-${form.key}-${field}`.replace(/[^A-Za-z0-9_-]/g, '_');

export function SchemaForm({ form, value, onChange, issues, disabled = false, revealIssues, onFieldBlur, onReview }: SchemaFormProps) {
  const { locale, t, text } = useI18n();
  const screens = Grid.useBreakpoint();
  const dictionaries = useDictionaries(form.schema);
  const fields = properties(form.schema);
  const groups = useMemo(() => groupsOf(form), [form]);
  const wizard = form.ui?.wizard === true && groups.length > 1;
  // A wizard opens at the first step with something to fill (a correction: the step of what failed).
  const [step, setStep] = useState(() => Math.max(0, disabled ? 0 : groups.findIndex((g) => g.fields.some((f) => f in fields && !isReadOnly(form, f)))));
  const review = wizard && onReview !== undefined;
  // The review, when there is one, is the step after the last group.
  const current = Math.min(step, groups.length - (review ? 0 : 1));
  const reviewing = review && current === groups.length;
  useEffect(() => {
    if (reviewing) onReview?.();
  }, [reviewing]); // on arriving only

  // Computed fields show what the server will compute, as the user types.
  const computed = useMemo(() => computeValues(form.schema, value), [form.schema, value]);
  const values = useMemo<FormData>(() => {
    const out = { ...value };
    for (const [name, v] of Object.entries(computed)) {
      if (v === null) delete out[name];
      else out[name] = v;
    }
    return out;
  }, [value, computed]);
  const required = useMemo(() => requiredNow(form.schema, values), [form.schema, values]);
  const visible = (name: string) => name in fields && shows(form.ui?.fields?.[name]?.visibleWhen, values);

  // Several changes may land before the next render (two uploads finishing): each builds on the last.
  const latest = useRef(value);
  latest.current = value;
  const setField = (name: string, next: unknown) => {
    const out: FormData = { ...latest.current };
    if (next === undefined) delete out[name];
    else out[name] = next;
    // A materials list follows its class field: materials of another class would be refused.
    for (const [field, s] of Object.entries(fields)) {
      const spec = s['x-materials'] as MaterialsSchema | undefined;
      if (spec?.classField !== name || !out[field] || typeof out[field] !== 'object') continue;
      const ids = new Set((typeof next === 'string' ? (spec.classes[next] ?? []) : []).map((m) => m.id));
      const kept = Object.fromEntries(Object.entries(out[field] as Record<string, unknown>).filter(([id]) => ids.has(id)));
      out[field] = kept;
    }
    latest.current = out;
    onChange(out);
  };

  const groupOf = (field: string) => groups.findIndex((g) => g.fields.includes(field));
  const shownHere = (field: string) => visible(field) && (!wizard || reviewing || groupOf(field) === current);

  // Bring the first problem into view when asked to: its step, then the field itself.
  const revealed = useRef(revealIssues);
  useEffect(() => {
    if (revealIssues === undefined || revealIssues === revealed.current) return;
    revealed.current = revealIssues;
    const order = groups.flatMap((g) => g.fields);
    const first = order.find((f) => visible(f) && issues.some((i) => fieldOf(i.pointer) === f));
    if (!first) return;
    if (wizard && !reviewing) setStep(groupOf(first));
    setTimeout(() => document.getElementById(`${domId(form, first)}-item`)?.scrollIntoView({ block: 'center', behavior: 'smooth' }), 60);
  }, [revealIssues]); // only on request: not every time the issues change as the user types

  const readOnlyOf = (name: string) => disabled || reviewing || isReadOnly(form, name);
  const renderField = (name: string): ReactNode => {
    const schema = fields[name];
    if (!schema || !visible(name)) return null;
    const ui = form.ui?.fields?.[name];
    const widget = widgetOf(schema, ui);
    const label = labelOf(schema, ui, locale, name);
    const pointer = `/${name}`;
    const mine = issuesUnder(issues, pointer);
    const id = domId(form, name);
    const props: WidgetProps = {
      form,
      path: name,
      pointer,
      id,
      schema,
      ui,
      widget,
      label,
      value: schema['x-computed'] ? computed[name] : value[name],
      onChange: (v) => setField(name, v),
      update: (change) => setField(name, change(latest.current[name])),
      onBlur: onFieldBlur && (() => onFieldBlur(name)),
      disabled: readOnlyOf(name),
      data: values,
      issues: mine,
      dictionaries,
      invalid: mine.length > 0,
    };
    const own = mine.filter((i) => !ownsIssue(props, i.pointer));
    const tick = widget === 'checkbox' && typeOf(schema) === 'boolean';
    // Shown, not editable: an empty value says so rather than offering an input nobody may fill.
    const readOnly = readOnlyOf(name);
    const blank = readOnly && widget !== 'computed' && isEmpty(props.value);
    return (
      <div key={name} id={`${id}-item`}>
        <Form.Item
          label={tick && !blank ? undefined : label}
          htmlFor={id}
          required={!readOnly && required.has(name)}
          validateStatus={own.length ? 'error' : undefined}
          help={own.length ? own.map((i) => <div key={`${i.pointer}${i.message}`}>{i.message}</div>) : undefined}
          extra={ui?.help && (!readOnly || widget === 'computed') ? text(ui.help) : undefined}
        >
          {blank ? (
            <Typography.Text type="secondary" id={id}>
              {t('form.empty')}
            </Typography.Text>
          ) : (
            renderWidget(props)
          )}
        </Form.Item>
      </div>
    );
  };

  // Problems no field on screen shows: another step's, a field not shown now, or the form's as a whole; on the review, all of them.
  const elsewhere = reviewing ? issues : issues.filter((i) => !shownHere(fieldOf(i.pointer)));
  const stepsWithIssues = new Set(issues.map((i) => groupOf(fieldOf(i.pointer))).filter((g) => g >= 0));

  const body = (fieldsOf: string[]) => fieldsOf.map(renderField);
  const titled = (title: LocalizedText | undefined, children: ReactNode, key: string) => (
    <section key={key} style={{ marginBottom: 8 }}>
      {title && (
        <Typography.Title level={5} style={{ borderInlineStart: '3px solid #1668dc', paddingInlineStart: 8, margin: '8px 0 16px' }}>
          {text(title)}
        </Typography.Title>
      )}
      {children}
    </section>
  );

  const group = groups[current];
  const stepTitle = (g: (typeof groups)[number] | undefined) => (g ? (g.title ? text(g.title) : t('form.step.other')) : t('form.step.review'));
  const stepCount = groups.length + (review ? 1 : 0);
  return (
    <Form layout="vertical" component="div" style={{ maxWidth: 880 }}>
      {elsewhere.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('form.issues.elsewhere', { count: elsewhere.length })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {elsewhere.map((i) => {
                const target = groupOf(fieldOf(i.pointer));
                return (
                  <li key={`${i.pointer}${i.message}`}>
                    {wizard && target >= 0 && visible(fieldOf(i.pointer)) ? (
                      // A button, not a link without an address: reachable by keyboard.
                      <Button type="link" size="small" className="wf-jump" onClick={() => setStep(target)}>
                        {i.message}
                      </Button>
                    ) : (
                      i.message
                    )}
                  </li>
                );
              })}
            </ul>
          }
        />
      )}
      {wizard && (group || reviewing) ? (
        <>
          {screens.md ? (
            <Steps
              size="small"
              current={current}
              onChange={setStep}
              style={{ marginBottom: 24 }}
              items={[...groups, ...(review ? [undefined] : [])].map((g, i) => ({
                key: g ? g.id || `rest-${i}` : 'review',
                title: stepTitle(g),
                ...(stepsWithIssues.has(i) && i !== current && { status: 'error' as const }),
              }))}
            />
          ) : (
            <div style={{ marginBottom: 16 }}>
              <Typography.Text strong>{t('form.step.of', { n: current + 1, total: stepCount, title: stepTitle(group) })}</Typography.Text>
              <Progress
                percent={Math.round(((current + 1) / stepCount) * 100)}
                showInfo={false}
                size="small"
                aria-label={t('form.step.of', { n: current + 1, total: stepCount, title: stepTitle(group) })}
              />
            </div>
          )}
          {reviewing ? (
            <>
              {issues.length === 0 ? <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('form.review.ready')} /> : null}
              {groups.map((g, i) =>
                titled(
                  g.title,
                  <>
                    {body(g.fields)}
                    <Button icon={<LeftOutlined />} onClick={() => setStep(i)} aria-label={t('form.review.editStep', { title: stepTitle(g) })}>
                      {t('form.review.edit')}
                    </Button>
                  </>,
                  g.id || `rest-${i}`,
                ),
              )}
            </>
          ) : (
            titled(group!.title, body(group!.fields), group!.id || 'rest')
          )}
          <Space style={{ marginTop: 8 }}>
            {current > 0 && (
              <Button icon={<LeftOutlined />} onClick={() => setStep(current - 1)}>
                {t('form.step.previous')}
              </Button>
            )}
            {current < stepCount - 1 && (
              <Button icon={<RightOutlined />} iconPlacement="end" onClick={() => setStep(current + 1)}>
                {t('form.step.next')}
              </Button>
            )}
          </Space>
        </>
      ) : (
        groups.map((g, i) => titled(g.title, body(g.fields), g.id || `rest-${i}`))
      )}
    </Form>
  );
}
