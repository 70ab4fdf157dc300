/**
 * One of my cases: its state, what it waits for from me (a task of mine, with
 * the clerk's correction request when it is one; or the payment, at the
 * cashier), and its history in plain words — when it was submitted, each
 * state it went through, what I did, when it ended. Only the case's own
 * citizen gets it: the server answers anyone else with 403/404.
 */
import { Alert, Button, Descriptions, Skeleton, Timeline, Typography } from 'antd';
import { lazy } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { allPages, api, type Page } from '../api/client.ts';
import { errorText, useLoad } from '../api/load.ts';
import type { HistoryEntry, Instance, Task } from '../api/records.ts';
import { useSession } from '../api/session.tsx';
import { useI18n, type Translate } from '../i18n/index.tsx';
import { Loaded } from '../shell/Loading.tsx';
import { StateTag } from './CasesPage.tsx';
import { nextStepOf } from './next-step.ts';
import { CorrectionRequest, Section } from './parts.tsx';

const Cashier = lazy(() => import('./Cashier.tsx').then((m) => ({ default: m.Cashier })));

/** The history a citizen reads: submitted, each new state, what they did, the end. */
function plainHistory(entries: HistoryEntry[], me: string, t: Translate): Array<{ key: number; at: string; text: string }> {
  const out: Array<{ key: number; at: string; text: string }> = [];
  let state: string | null = null;
  for (const e of entries) {
    if (e.kind === 'instance.start') out.push({ key: e.id, at: e.at, text: t('portal.history.submitted') });
    else if (e.kind === 'activity.start' && e.stateName && e.stateName !== state) {
      state = e.stateName;
      out.push({ key: e.id, at: e.at, text: t('portal.history.state', { state }) });
    } else if (e.kind === 'task.complete' && e.actor === me) out.push({ key: e.id, at: e.at, text: t('portal.history.done', { task: e.activityName ?? '' }) });
    else if (e.kind === 'instance.end') out.push({ key: e.id, at: e.at, text: t('portal.history.ended') });
    else if (e.kind === 'instance.withdraw' || e.kind === 'instance.cancel') out.push({ key: e.id, at: e.at, text: t('portal.history.cancelled') });
  }
  return out;
}

export function CasePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { t, dateTime } = useI18n();
  const { me } = useSession();
  const loaded = useLoad(
    () =>
      Promise.all([
        api.get<Instance>(`/api/instances/${encodeURIComponent(id)}`),
        api.get<Page<Task>>('/api/tasks', { instanceId: id, state: 'active', assignee: me!.id, limit: 20 }),
        allPages<HistoryEntry>(`/api/instances/${encodeURIComponent(id)}/history`),
      ]),
    [id],
  );
  if (loaded.error) return <Alert type="error" showIcon title={errorText(loaded.error, t)} />;
  if (!loaded.data) return <Skeleton active paragraph={{ rows: 8 }} />;
  const [instance, tasks, history] = loaded.data;
  const step = nextStepOf(instance, tasks.items, t('portal.next.pay'));

  return (
    <>
      <h1 className="portal-title">{instance.processName ?? instance.processKey}</h1>
      <section className="portal-section">
        <Descriptions
          column={1}
          size="small"
          items={[
            { key: 'state', label: t('portal.case.state'), children: <StateTag instance={instance} /> },
            { key: 'no', label: t('portal.case.number'), children: <Typography.Text copyable>{instance.businessKey ?? instance.id}</Typography.Text> },
            { key: 'at', label: t('portal.case.startedAt'), children: dateTime(instance.startedAt) },
            ...(instance.endedAt ? [{ key: 'end', label: t('portal.case.endedAt'), children: dateTime(instance.endedAt) }] : []),
          ]}
        />
      </section>
      {instance.result && (
        <Section id="result" title={t('portal.case.result')}>
          <p className="portal-text">{instance.result}</p>
        </Section>
      )}

      {step?.kind === 'task' && (
        <Section id="next" title={t('portal.case.yourTurn')}>
          <CorrectionRequest variables={instance.variables} />
          <Button type="primary" size="large" block onClick={() => navigate(`/portal/cases/${instance.id}/tasks/${step.taskId}`)}>
            {t('portal.case.doTask', { task: step.label })}
          </Button>
        </Section>
      )}
      {step?.kind === 'pay' && (
        <Loaded>
          <Cashier instance={instance} onPaid={loaded.reload} />
        </Loaded>
      )}

      <Section id="history" title={t('portal.case.history')}>
        <Timeline
          items={plainHistory(history, me!.id, t)
            .reverse()
            .map((h) => ({
              key: h.key,
              content: (
                <div>
                  {h.text}
                  <div className="portal-row-meta">{dateTime(h.at)}</div>
                </div>
              ),
            }))}
        />
      </Section>
    </>
  );
}
