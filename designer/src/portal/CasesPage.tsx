/**
 * 我的办件: the citizen's cases, newest first, each with its state name and,
 * where the case waits for them (a correction, a payment, a rating), what to
 * do next — so that nothing waits on a citizen who does not know it.
 */
import { RightOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Segmented, Skeleton, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, type Page } from '../api/client.ts';
import { errorText, useLoad } from '../api/load.ts';
import type { Instance, Task } from '../api/records.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { nextStepOf } from './next-step.ts';

const PAGE = 20;

export function StateTag({ instance }: { instance: Pick<Instance, 'state' | 'stateName'> }) {
  const { t } = useI18n();
  const color = instance.state === 'running' ? 'blue' : instance.state === 'completed' ? 'green' : 'default';
  const name = instance.stateName ?? (instance.state === 'running' ? t('portal.case.running') : instance.state === 'completed' ? t('portal.case.completed') : t('portal.case.cancelled'));
  return <Tag color={color}>{name}</Tag>;
}

export function CasesPage() {
  const { t, date } = useI18n();
  const { me } = useSession();
  const [which, setWhich] = useState<'running' | 'ended'>('running');
  const [limit, setLimit] = useState(PAGE);
  const cases = useLoad(
    () =>
      Promise.all([
        api.get<Page<Instance>>('/api/instances', { startedBy: me!.id, ...(which === 'running' ? { state: 'running' } : { state: 'completed' }), limit }),
        api.get<Page<Task>>('/api/tasks', { state: 'active', assignee: me!.id, limit: 200 }),
      ]),
    [which, limit, me?.id],
  );
  const [page, tasks] = cases.data ?? [];

  return (
    <>
      <h1 className="portal-title">{t('portal.cases.title')}</h1>
      <Segmented<'running' | 'ended'>
        block
        value={which}
        onChange={(v) => {
          setWhich(v);
          setLimit(PAGE);
        }}
        options={[
          { value: 'running', label: t('portal.cases.running') },
          { value: 'ended', label: t('portal.cases.ended') },
        ]}
        style={{ marginBottom: 12 }}
      />
      {cases.error ? <Alert type="error" showIcon title={errorText(cases.error, t)} /> : null}
      {cases.loading && !page ? <Skeleton active paragraph={{ rows: 5 }} /> : null}
      {page && page.items.length === 0 ? (
        <Empty description={t(which === 'running' ? 'portal.cases.noneRunning' : 'portal.cases.noneEnded')}>
          <Link to="/portal">
            <Button type="primary">{t('portal.cases.toHall')}</Button>
          </Link>
        </Empty>
      ) : null}
      {page && page.items.length > 0 && (
        <section className="portal-section">
          {page.items.map((c) => {
            const step = nextStepOf(c, tasks?.items ?? [], t('portal.next.pay'));
            return (
              <Link key={c.id} to={`/portal/cases/${c.id}`} className="portal-row">
                <span className="portal-row-main">
                  <span className="portal-row-name">{c.processName ?? c.processKey}</span>
                  <span className="portal-row-meta">
                    <StateTag instance={c} /> {t('portal.cases.started', { date: date(c.startedAt) })}
                  </span>
                  {step && <span className="portal-next">{t('portal.cases.yourTurn', { step: step.label })}</span>}
                </span>
                <RightOutlined className="portal-row-chevron" aria-hidden />
              </Link>
            );
          })}
          {page.total > page.items.length && (
            <Button block type="link" onClick={() => setLimit((n) => n + PAGE)} loading={cases.loading}>
              {t('portal.cases.more', { count: page.total - page.items.length })}
            </Button>
          )}
        </section>
      )}
    </>
  );
}
