/**
 * One case: its header, the history, the diagram with the current position,
 * the values the viewer may see, and what the viewer may do — withdraw (the
 * initiator), urge, copy, comment; for admins the case's jobs and incidents.
 */
import { Alert, App, Button, Card, Descriptions, Space, Tabs, Tag, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useParams } from 'react-router-dom';
import { useProcessNames, useUserNames } from '../api/directory.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { NotFoundPage, ForbiddenPage } from '../pages/ErrorPages.tsx';
import { Loading } from '../shell/Loading.tsx';
import { CaseOperations } from './CaseOperations.tsx';
import { CaseJobs } from './CaseJobs.tsx';
import { CaseTimeline } from './Timeline.tsx';
import { useCase, type CaseData } from './useCase.ts';
import { CaseValues } from './CaseValues.tsx';

const DiagramViewer = lazy(() => import('../diagram/DiagramViewer.tsx'));

export const STATE_COLORS: Record<string, string> = {
  running: 'processing',
  completed: 'success',
  cancelled: 'default',
};

/** The case's head: process, business key, state, initiator, start, where it is now. */
export function CaseHeader({ data, extra }: { data: CaseData; extra?: React.ReactNode }) {
  const { t, dateTime, list } = useI18n();
  const processes = useProcessNames();
  const { instance } = data;
  const names = useUserNames([instance.startedBy]);
  const waiting = instance.activities.filter((a) => a.kind === 'task').map((a) => a.name ?? a.activityId);
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} extra={extra}>
      <Descriptions.Item label={t('case.process')}>{processes.get(instance.processKey) ?? instance.processKey}</Descriptions.Item>
      <Descriptions.Item label={t('case.businessKey')}>{instance.businessKey ?? t('common.none')}</Descriptions.Item>
      <Descriptions.Item label={t('case.state')}>
        <Tag color={STATE_COLORS[instance.state]}>{t(`case.state.${instance.state}`)}</Tag>
        {instance.stateName && <Tag>{instance.stateName}</Tag>}
      </Descriptions.Item>
      <Descriptions.Item label={t('case.initiator')}>{instance.startedBy ? (names[instance.startedBy] ?? instance.startedBy) : t('history.system')}</Descriptions.Item>
      <Descriptions.Item label={t('case.startedAt')}>{dateTime(instance.startedAt)}</Descriptions.Item>
      <Descriptions.Item label={instance.state === 'running' ? t('case.current') : t('case.endedAt')}>
        {instance.state === 'running' ? list(waiting) || t('case.working') : dateTime(instance.endedAt)}
      </Descriptions.Item>
    </Descriptions>
  );
}

/** The diagram with the case's path on it. */
export function CaseDiagram({ data }: { data: CaseData }) {
  const { t } = useI18n();
  if (!data.xml) return <Alert type="info" showIcon title={t('case.diagramUnavailable')} />;
  return (
    <Suspense fallback={<Loading />}>
      <DiagramViewer xml={data.xml} completed={data.completedNodes} current={data.instance.state === 'running' ? data.currentNodes : []} />
    </Suspense>
  );
}

export function CasePage() {
  const { id } = useParams();
  const { t } = useI18n();
  const { me, can } = useSession();
  const { data, error, reload } = useCase(id);
  const { message } = App.useApp();
  if (error?.status === 404) return <NotFoundPage />;
  if (error?.status === 403) return <ForbiddenPage />;
  if (error) return <Alert type="error" showIcon title={error.message || t('error.network')} />;
  if (!data) return <Loading />;
  const { instance } = data;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <Typography.Text strong>{t('case.title')}</Typography.Text>
            <Typography.Text
              type="secondary"
              copyable={{
                text: instance.id,
                tooltips: [t('case.copyId'), t('common.done')],
              }}
            >
              {instance.id.slice(0, 8)}
            </Typography.Text>
          </Space>
        }
        extra={
          <CaseOperations
            data={data}
            isInitiator={instance.startedBy === me?.id}
            onDone={(text) => {
              if (text) message.success(text);
              reload();
            }}
          />
        }
      >
        <CaseHeader data={data} />
      </Card>
      <Card>
        <Tabs
          items={[
            {
              key: 'history',
              label: t('case.tab.history'),
              children: <CaseTimeline entries={data.history} nodeNames={data.nodeNames} />,
            },
            {
              key: 'diagram',
              label: t('case.tab.diagram'),
              children: <CaseDiagram data={data} />,
            },
            {
              key: 'values',
              label: t('case.tab.values'),
              children: <CaseValues instance={instance} />,
            },
            ...(can('incident:manage')
              ? [
                  {
                    key: 'jobs',
                    label: t('case.tab.jobs'),
                    children: <CaseJobs instanceId={instance.id} onChanged={reload} />,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {instance.parentId && (
        <Button type="link" href={`/workbench/cases/${instance.parentId}`}>
          {t('case.parent')}
        </Button>
      )}
    </Space>
  );
}
