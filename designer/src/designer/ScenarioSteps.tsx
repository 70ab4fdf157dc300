/**
 * A scenario edited step by step: who starts it with which data, then each
 * step — an action on a task (approve, reject, complete, return, transfer), a
 * message arriving, time passing — or an expectation (the case is at a node,
 * a task went to someone, a variable, a connector call, a notice, a due date),
 * each with pickers over the drawing's own tasks, nodes and messages. The
 * scenario stays the JSON the server runs; the panel's JSON tab shows it whole.
 */
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from '@ant-design/icons';
import { Button, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n, type MessageKey } from '../i18n/index.tsx';

export type Step = Record<string, unknown>;
export interface ScenarioValue {
  name?: string;
  start?: { by?: string; businessKey?: string; data?: Record<string, unknown> };
  steps?: Step[];
  [other: string]: unknown;
}
export interface DiagramNode {
  id: string;
  name: string;
  type: string;
}

type FieldKind = 'task' | 'node' | 'text' | 'json' | 'number' | 'state' | 'message';
interface FieldSpec {
  name: string;
  kind: FieldKind;
  required?: boolean;
}

const ACTIONS = ['approve', 'reject', 'complete', 'return', 'transfer', 'message', 'wait'] as const;
const EXPECTATIONS = ['at', 'not-at', 'assignee', 'state', 'variable', 'call', 'notice', 'due'] as const;

/** Approving and rejecting take the same fields. */
const DECIDE: FieldSpec[] = [
  { name: 'task', kind: 'task', required: true },
  { name: 'by', kind: 'text' },
  { name: 'comment', kind: 'text' },
  { name: 'data', kind: 'json' },
];

/** The fields of each kind of step, as the server's scenarios read them (definitions/bpmn/scenarios.ts). */
const FIELDS: Record<string, FieldSpec[]> = {
  approve: DECIDE,
  reject: DECIDE,
  complete: [
    { name: 'task', kind: 'task', required: true },
    { name: 'by', kind: 'text' },
    { name: 'data', kind: 'json' },
  ],
  return: [
    { name: 'task', kind: 'task', required: true },
    { name: 'by', kind: 'text' },
    { name: 'to', kind: 'task' },
    { name: 'comment', kind: 'text' },
  ],
  transfer: [
    { name: 'task', kind: 'task', required: true },
    { name: 'by', kind: 'text' },
    { name: 'to', kind: 'text', required: true },
  ],
  message: [
    { name: 'name', kind: 'message', required: true },
    { name: 'correlationKey', kind: 'text' },
    { name: 'variables', kind: 'json' },
  ],
  wait: [
    { name: 'duration', kind: 'text' },
    { name: 'workingDays', kind: 'number' },
  ],
  at: [{ name: 'activity', kind: 'node', required: true }],
  'not-at': [{ name: 'activity', kind: 'node', required: true }],
  assignee: [
    { name: 'task', kind: 'task', required: true },
    { name: 'user', kind: 'text', required: true },
  ],
  state: [{ name: 'state', kind: 'state', required: true }],
  variable: [
    { name: 'name', kind: 'text', required: true },
    { name: 'value', kind: 'json' },
  ],
  call: [
    { name: 'handler', kind: 'text', required: true },
    { name: 'contains', kind: 'text' },
  ],
  notice: [
    { name: 'user', kind: 'text', required: true },
    { name: 'contains', kind: 'text' },
  ],
  due: [
    { name: 'task', kind: 'task', required: true },
    { name: 'at', kind: 'text', required: true },
  ],
};

const kindOf = (step: Step): string => String(step.do ?? step.expect ?? '');
const isAction = (kind: string) => (ACTIONS as readonly string[]).includes(kind);

/** A JSON value typed as text, applied when it parses (a plain word is taken as text). */
function JsonInput({ value, onChange, label }: { value: unknown; onChange(v: unknown): void; label: string }) {
  const { t } = useI18n();
  const shown = value === undefined ? '' : JSON.stringify(value);
  const [draft, setDraft] = useState(shown);
  const [bad, setBad] = useState(false);
  useEffect(() => setDraft(shown), [shown]);
  const commit = () => {
    if (!draft.trim()) return onChange(undefined);
    try {
      onChange(JSON.parse(draft));
      setBad(false);
    } catch {
      setBad(true);
    }
  };
  return (
    <>
      <Input
        aria-label={label}
        className="wf-code"
        value={draft}
        status={bad ? 'error' : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onPressEnter={commit}
        placeholder='{"amount": 6000}'
      />
      {bad && <Typography.Text type="danger">{t('designer.sim.badValue')}</Typography.Text>}
    </>
  );
}

export function ScenarioSteps({ value, onChange, nodes, messages }: { value: ScenarioValue; onChange(v: ScenarioValue): void; nodes: DiagramNode[]; messages: string[] }) {
  const { t } = useI18n();
  const steps = value.steps ?? [];
  const start = value.start ?? {};
  const tasks = nodes.filter((n) => n.type === 'bpmn:UserTask').map((n) => ({ value: n.id, label: `${n.name} (${n.id})` }));
  const allNodes = nodes.map((n) => ({ value: n.id, label: `${n.name} (${n.id})` }));
  const setSteps = (next: Step[]) => onChange({ ...value, steps: next });
  const setStep = (i: number, step: Step) => setSteps(steps.map((s, j) => (j === i ? step : s)));
  const kindName = (kind: string) => t(`designer.sim.kind.${kind}` as MessageKey);
  const fieldName = (name: string) => t(`designer.sim.field.${name}` as MessageKey);
  const kindOptions = [
    { label: t('designer.sim.actions'), options: ACTIONS.map((k) => ({ value: k, label: kindName(k) })) },
    { label: t('designer.sim.expectations'), options: EXPECTATIONS.map((k) => ({ value: k, label: kindName(k) })) },
  ];
  const fresh = (kind: string): Step => (isAction(kind) ? { do: kind } : { expect: kind });

  const field = (step: Step, i: number, spec: FieldSpec) => {
    const label = t('designer.sim.stepField', { n: i + 1, field: fieldName(spec.name) });
    const current = step[spec.name];
    const set = (v: unknown) => {
      const { [spec.name]: _old, ...rest } = step;
      setStep(i, v === undefined || v === '' || v === null ? rest : { ...rest, [spec.name]: v });
    };
    const control = (() => {
      switch (spec.kind) {
        case 'task':
        case 'node':
        case 'message':
          return (
            <Select
              aria-label={label}
              allowClear={!spec.required}
              showSearch={{ optionFilterProp: 'label' }}
              value={current as string | undefined}
              onChange={(v: string | undefined) => set(v)}
              options={spec.kind === 'task' ? tasks : spec.kind === 'node' ? allNodes : messages.map((m) => ({ value: m, label: m }))}
              style={{ width: '100%' }}
            />
          );
        case 'state':
          return (
            <Select
              aria-label={label}
              value={current as string | undefined}
              onChange={set}
              options={['running', 'completed', 'cancelled'].map((s) => ({ value: s, label: t(`designer.sim.state.${s}` as MessageKey) }))}
              style={{ width: '100%' }}
            />
          );
        case 'number':
          return <InputNumber aria-label={label} min={0} value={current as number | undefined} onChange={(v) => set(v ?? undefined)} style={{ width: '100%' }} />;
        case 'json':
          return <JsonInput label={label} value={current} onChange={set} />;
        default:
          return <Input aria-label={label} value={(current as string | undefined) ?? ''} onChange={(e) => set(e.target.value)} placeholder={spec.name === 'duration' ? 'P3D / PT4H' : undefined} />;
      }
    })();
    return (
      <Form.Item key={spec.name} label={fieldName(spec.name)} required={spec.required} style={{ marginBottom: 8 }}>
        {control}
      </Form.Item>
    );
  };

  return (
    <Form layout="vertical" component="div" className="wf-scenario-steps">
      <fieldset className="wf-scenario-start">
        <legend>{t('designer.sim.start')}</legend>
        <Space wrap style={{ width: '100%' }}>
          <Form.Item label={t('designer.sim.field.by')} style={{ marginBottom: 8 }}>
            <Input
              aria-label={t('designer.sim.startBy')}
              value={start.by ?? ''}
              onChange={(e) => onChange({ ...value, start: { ...start, by: e.target.value || undefined } })}
              placeholder="zhangsan"
            />
          </Form.Item>
          <Form.Item label={t('designer.sim.field.businessKey')} style={{ marginBottom: 8 }}>
            <Input
              aria-label={t('designer.sim.field.businessKey')}
              value={start.businessKey ?? ''}
              onChange={(e) => onChange({ ...value, start: { ...start, businessKey: e.target.value || undefined } })}
            />
          </Form.Item>
        </Space>
        <Form.Item label={t('designer.sim.field.data')} style={{ marginBottom: 8 }}>
          <JsonInput label={t('designer.sim.startData')} value={start.data} onChange={(data) => onChange({ ...value, start: { ...start, data: data as Record<string, unknown> | undefined } })} />
        </Form.Item>
      </fieldset>
      <ol className="wf-scenario-step-list">
        {steps.map((step, i) => {
          const kind = kindOf(step);
          return (
            <li key={i} className={`wf-scenario-step ${isAction(kind) ? 'is-action' : 'is-expectation'}`}>
              <Space.Compact style={{ width: '100%', marginBottom: 8 }}>
                <Select
                  aria-label={t('designer.sim.stepKind', { n: i + 1 })}
                  showSearch={{ optionFilterProp: 'label' }}
                  value={kind}
                  onChange={(k: string) => setStep(i, fresh(k))}
                  options={kindOptions}
                  style={{ flex: 1 }}
                />
                <Button
                  icon={<ArrowUpOutlined />}
                  aria-label={t('designer.sim.stepUp', { n: i + 1 })}
                  disabled={i === 0}
                  onClick={() => setSteps(steps.map((s, j) => (j === i - 1 ? step : j === i ? steps[i - 1]! : s)))}
                />
                <Button
                  icon={<ArrowDownOutlined />}
                  aria-label={t('designer.sim.stepDown', { n: i + 1 })}
                  disabled={i === steps.length - 1}
                  onClick={() => setSteps(steps.map((s, j) => (j === i + 1 ? step : j === i ? steps[i + 1]! : s)))}
                />
                <Button danger icon={<DeleteOutlined />} aria-label={t('designer.sim.stepRemove', { n: i + 1 })} onClick={() => setSteps(steps.filter((_, j) => j !== i))} />
              </Space.Compact>
              {(FIELDS[kind] ?? []).map((spec) => field(step, i, spec))}
            </li>
          );
        })}
      </ol>
      <Select
        aria-label={t('designer.sim.addStep')}
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('designer.sim.addStep')}
        value={null}
        onChange={(k: string) => setSteps([...steps, fresh(k)])}
        options={kindOptions}
        style={{ width: '100%' }}
      />
    </Form>
  );
}
