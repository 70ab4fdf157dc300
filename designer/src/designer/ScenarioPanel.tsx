/**
 * 模拟运行: the flow's scenarios (saved in it, run again on every deploy),
 * edited step by step or as JSON, run on the server against the drawing as it is now — in a
 * sandbox on a virtual clock — with each step passed or failed and why, the
 * path walked on the diagram by a token, who got each task and by which rule, the due
 * dates, and every connector call and notice that would have happened.
 */
import { CheckCircleFilled, CloseCircleFilled, DeleteOutlined, PlayCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Collapse, Drawer, Empty, Input, List, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { errorText } from '../admin/shared.tsx';
import { useI18n, type MessageKey, type Translate } from '../i18n/index.tsx';
import type { Modeler, SavedScenario } from './modeler/modeler.ts';
import { ScenarioSteps, type ScenarioValue } from './ScenarioSteps.tsx';

interface StepResult {
  index: number;
  step: Record<string, unknown>;
  ok: boolean;
  message?: string;
  at: number;
}
export interface ScenarioResult {
  name: string;
  passed: boolean;
  steps: StepResult[];
  state: string | null;
  path: string[];
  waiting: string[];
  tasks: Array<{ activityId: string; name: string | null; assignee: string | null; candidates: string[]; rule: string | null; dueAt: number | null; state: string }>;
  calls: Array<{ handler: string; activityId: string; input: Record<string, unknown>; at: number }>;
  notices: Array<{ userId: string; kind: string; title: string; at: number }>;
  ms: number;
}

const TEMPLATE = JSON.stringify({ start: { by: 'zhangsan', data: {} }, steps: [{ expect: 'at', activity: '' }] }, null, 2);

export function ScenarioPanel({ modeler, onClose }: { modeler: Modeler; onClose(): void }) {
  const { t, dateTime, list } = useI18n();
  const [scenarios, setScenarios] = useState<SavedScenario[]>(() => modeler.scenarios().map((s) => ({ ...s, text: pretty(s.text) })));
  const [results, setResults] = useState<ScenarioResult[] | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [running, setRunning] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const [asJson, setAsJson] = useState<Set<number>>(new Set());

  const change = (i: number, patch: Partial<SavedScenario>) => setScenarios((all) => all.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const invalid = scenarios.map((s) => {
    try {
      JSON.parse(s.text);
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  });

  const run = async () => {
    if (invalid.some(Boolean)) return;
    modeler.setScenarios(scenarios.map((s) => ({ name: s.name, text: JSON.stringify(JSON.parse(s.text)) })));
    setRunning(true);
    setFailed(null);
    try {
      const answer = await api.post<{ results: ScenarioResult[]; problems: Array<{ scenario: string; message: string }> }>('/api/definitions/simulate', { xml: await modeler.xml() });
      setResults(answer.results);
      setProblems(answer.problems.map((p) => t('designer.labelled', { label: p.scenario, text: p.message })));
      const first = answer.results[0];
      modeler.markPath(first?.path ?? null, first?.waiting, { animate: true });
    } catch (err) {
      setFailed(errorText(err, t));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Drawer
      open
      mask={false}
      size="large"
      title={t('designer.sim.title')}
      onClose={() => {
        modeler.markPath(null);
        onClose();
      }}
      extra={
        <Button type="primary" icon={<PlayCircleOutlined />} loading={running} disabled={!scenarios.length || invalid.some(Boolean)} onClick={() => void run()}>
          {t('designer.sim.run')}
        </Button>
      }
    >
      {results && (
        <section aria-label={t('designer.sim.results')}>
          <Typography.Title level={5}>{t('designer.sim.results')}</Typography.Title>
          {!results.length && <Empty description={t('designer.sim.none')} />}
          <Collapse
            onChange={(keys) => {
              // The one opened last is marked on the diagram (an accordion's tab roles would not hold its panels).
              const shown = results[Number([keys].flat().at(-1))];
              modeler.markPath(shown?.path ?? null, shown?.waiting, { animate: true });
            }}
            defaultActiveKey={results.length ? ['0'] : []}
            items={results.map((r, i) => ({
              key: String(i),
              label: (
                <Space>
                  {r.passed ? <Tag color="green">{t('designer.sim.passed')}</Tag> : <Tag color="red">{t('designer.sim.failed')}</Tag>}
                  <strong>{r.name}</strong>
                  <Typography.Text type="secondary">{t('designer.sim.ms', { ms: Math.round(r.ms) })}</Typography.Text>
                </Space>
              ),
              children: (
                <>
                  <List
                    size="small"
                    dataSource={r.steps}
                    renderItem={(s) => (
                      <List.Item>
                        <Space align="start">
                          {s.ok ? <CheckCircleFilled style={{ color: '#389e0d' }} /> : <CloseCircleFilled style={{ color: '#cf1322' }} />}
                          <span>
                            <Typography.Text code>{s.index < 0 ? t('designer.sim.start') : describe(s.step, t)}</Typography.Text>
                            {s.message && <Typography.Text type="danger"> {s.message}</Typography.Text>}
                            <Typography.Text type="secondary"> · {dateTime(s.at)}</Typography.Text>
                          </span>
                        </Space>
                      </List.Item>
                    )}
                  />
                  <Typography.Title level={5}>{t('designer.sim.tasks')}</Typography.Title>
                  <Table
                    size="small"
                    rowKey={(task) => `${task.activityId}-${task.dueAt}-${task.assignee}`}
                    pagination={false}
                    dataSource={r.tasks}
                    scroll={{ x: 560 }}
                    columns={[
                      { title: t('designer.sim.task'), render: (_, task) => task.name ?? task.activityId },
                      { title: t('designer.sim.to'), render: (_, task) => task.assignee ?? list(task.candidates) },
                      { title: t('designer.sim.why'), render: (_, task) => (task.rule ? <Typography.Text code>{task.rule}</Typography.Text> : '—') },
                      { title: t('designer.sim.due'), render: (_, task) => (task.dueAt ? dateTime(task.dueAt) : '—') },
                    ]}
                  />
                  <Typography.Title level={5}>{t('designer.sim.sent')}</Typography.Title>
                  {r.calls.length || r.notices.length ? (
                    <List
                      size="small"
                      dataSource={[
                        ...r.calls.map((c) => ({ at: c.at, text: t('designer.labelled', { label: c.handler, text: JSON.stringify(c.input) }) })),
                        ...r.notices.map((n) => ({ at: n.at, text: `${t('designer.sim.notice', { user: n.userId })}${n.title}` })),
                      ].sort((a, b) => a.at - b.at)}
                      renderItem={(x) => (
                        <List.Item>
                          <Typography.Text type="secondary">{dateTime(x.at)}</Typography.Text> {x.text}
                        </List.Item>
                      )}
                    />
                  ) : (
                    <Typography.Text type="secondary">{t('designer.sim.nothingSent')}</Typography.Text>
                  )}
                </>
              ),
            }))}
          />
        </section>
      )}
      <Typography.Paragraph type="secondary">{t('designer.sim.help')}</Typography.Paragraph>
      {scenarios.map((s, i) => (
        <div key={i} className="wf-scenario">
          <Space.Compact style={{ width: '100%' }}>
            <Input aria-label={t('designer.sim.name')} value={s.name} onChange={(e) => change(i, { name: e.target.value })} />
            <Button danger icon={<DeleteOutlined />} aria-label={t('designer.sim.remove')} onClick={() => setScenarios((all) => all.filter((_, j) => j !== i))} />
          </Space.Compact>
          <Segmented
            size="small"
            style={{ margin: '8px 0' }}
            value={asJson.has(i) || invalid[i] ? 'json' : 'steps'}
            onChange={(v) => setAsJson((all) => new Set(v === 'json' ? [...all, i] : [...all].filter((x) => x !== i)))}
            options={[
              { value: 'steps', label: t('designer.sim.bySteps'), disabled: Boolean(invalid[i]) },
              { value: 'json', label: 'JSON' },
            ]}
          />
          {asJson.has(i) || invalid[i] ? (
            <Input.TextArea
              className="wf-scenario-json"
              aria-label={t('designer.sim.json', { name: s.name })}
              autoSize={{ minRows: 4, maxRows: 16 }}
              value={s.text}
              onChange={(e) => change(i, { text: e.target.value })}
              status={invalid[i] ? 'error' : undefined}
            />
          ) : (
            <ScenarioSteps value={JSON.parse(s.text) as ScenarioValue} onChange={(v) => change(i, { text: JSON.stringify(v, null, 2) })} nodes={modeler.nodes()} messages={modeler.messages()} />
          )}
          {invalid[i] && <Typography.Text type="danger">{t('designer.sim.badJson', { reason: invalid[i]! })}</Typography.Text>}
        </div>
      ))}
      <Button type="dashed" icon={<PlusOutlined />} onClick={() => setScenarios((all) => [...all, { name: t('designer.sim.newName', { n: all.length + 1 }), text: TEMPLATE }])}>
        {t('designer.sim.add')}
      </Button>
      {failed && <Alert type="error" showIcon message={failed} className="wf-designer-alert" />}
      {problems.length > 0 && <Alert type="error" showIcon message={problems.join(t('designer.separator'))} className="wf-designer-alert" />}
    </Drawer>
  );
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A step in a few words: what is done or expected (in the page's words), and on what. */
function describe(step: Record<string, unknown>, t: Translate): string {
  const { do: action, expect, ...rest } = step;
  const kind = String(action ?? expect);
  const values = Object.values(rest).filter((v) => typeof v === 'string' || typeof v === 'number');
  return [t(`designer.sim.kind.${kind}` as MessageKey), ...values].join(' · ');
}
