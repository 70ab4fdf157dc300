/**
 * 版本: every deployed version of a flow with who deployed it, when, and its
 * cases; two versions compared on the newer one's diagram (added in green,
 * changed in orange, removed listed); and the running cases of the older one
 * moved to the newer — the nodes they wait in mapped (same id, else the node
 * of the same name proposed), a dry run first, then the move.
 */
import { Alert, App, Button, Drawer, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { api, type Page } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { errorText, Deployed } from '../admin/shared.tsx';
import type { DefinitionVersion } from '../admin/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { diffVersions, type VersionDiff } from './diff.ts';

const DiagramViewer = lazy(() => import('../diagram/DiagramViewer.tsx'));

interface Waiting {
  id: string;
  activities: Array<{ activityId: string; name: string | null }>;
}
interface Migration {
  instances: Array<{ instanceId: string; fromVersion: number; status: string }>;
  remaining?: number;
}

const xmlOf = (key: string, version: number) => api.get<string>(`/api/definitions/${encodeURIComponent(key)}/xml`, { version });
const WAITING_KINDS = new Set([
  'userTask',
  'manualTask',
  'receiveTask',
  'serviceTask',
  'sendTask',
  'businessRuleTask',
  'task',
  'callActivity',
  'subProcess',
  'intermediateCatchEvent',
  'eventBasedGateway',
]);
/** The nodes of a version a case can wait in, by id, with their names. */
function waitingNodes(xml: string): Map<string, string> {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const nodes = Array.from(doc.getElementsByTagNameNS('http://www.omg.org/spec/BPMN/20100524/MODEL', '*')).filter((el) => WAITING_KINDS.has(el.localName) && el.getAttribute('id'));
  return new Map(nodes.map((el) => [el.getAttribute('id')!, el.getAttribute('name') ?? ''] as const));
}

export function VersionsDrawer({ processKey, onClose }: { processKey: string; onClose(): void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const [versions, setVersions] = useState<DefinitionVersion[] | null>(null);
  const [older, setOlder] = useState<number>();
  const [newer, setNewer] = useState<number>();
  const [compared, setCompared] = useState<{ diff: VersionDiff; xml: string; names: Map<string, string> } | null>(null);
  const [waiting, setWaiting] = useState<Array<{ from: string; name: string; count: number }>>([]);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [dryRun, setDryRun] = useState<Migration | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const manages = can('instance:manage');

  useEffect(() => {
    void api.get<{ versions: DefinitionVersion[] }>(`/api/definitions/${encodeURIComponent(processKey)}/versions`).then(
      (r) => {
        const list = [...r.versions].sort((a, b) => b.version - a.version);
        setVersions(list);
        setNewer(list[0]?.version);
        setOlder(list[1]?.version ?? list[0]?.version);
      },
      (err) => setFailed(errorText(err, t)),
    );
  }, [processKey, t]);

  const compare = async () => {
    if (!older || !newer) return;
    setFailed(null);
    setDryRun(null);
    try {
      const [a, b] = await Promise.all([xmlOf(processKey, older), xmlOf(processKey, newer)]);
      const diff = await diffVersions(a, b);
      const names = waitingNodes(b);
      setCompared({ diff, xml: b, names });
      // Where the older version's running cases wait, and where each could go in the newer one.
      const running = await api.get<Page<Waiting>>('/api/instances', { processKey, version: older, state: 'running', limit: 100 });
      const counts = new Map<string, { name: string; count: number }>();
      for (const i of running.items) for (const w of i.activities) counts.set(w.activityId, { name: w.name ?? w.activityId, count: (counts.get(w.activityId)?.count ?? 0) + 1 });
      setWaiting([...counts].map(([from, c]) => ({ from, ...c })));
      const byName = new Map([...names].map(([id, name]) => [name, id]));
      setMapping(Object.fromEntries([...counts].map(([from, c]) => [from, names.has(from) ? from : (byName.get(c.name) ?? '')])));
    } catch (err) {
      setFailed(errorText(err, t));
    }
  };

  const migrate = async (dry: boolean) => {
    const moved = Object.fromEntries(Object.entries(mapping).filter(([from, to]) => to && to !== from));
    try {
      const result = await api.post<Migration>('/api/instances/migrate', { processKey, fromVersion: older, toVersion: newer, mapping: moved, dryRun: dry });
      if (dry) setDryRun(result);
      else {
        void message.success(t('designer.versions.migrated', { count: result.instances.filter((i) => i.status === 'migrated').length }));
        setDryRun(null);
        void compare();
      }
    } catch (err) {
      setFailed(errorText(err, t));
    }
  };

  const diff = compared?.diff;
  const versionOptions = (versions ?? []).map((v) => ({ value: v.version, label: t('designer.versions.v', { version: v.version }) }));
  return (
    <Drawer open size="large" title={t('designer.versions.title')} onClose={onClose}>
      {failed && <Alert type="error" showIcon className="wf-designer-alert" message={failed} />}
      <Table<DefinitionVersion>
        size="small"
        rowKey="version"
        loading={!versions}
        dataSource={versions ?? []}
        pagination={false}
        columns={[
          { title: t('designer.flows.version'), dataIndex: 'version', width: 70 },
          {
            title: t('designer.flows.deployed'),
            render: (_, v) => <Deployed at={v.deployedAt} by={v.deployedBy} />,
          },
          { title: t('designer.versions.running'), render: (_, v) => v.instances.running ?? 0 },
          { title: t('designer.versions.ended'), render: (_, v) => (v.instances.completed ?? 0) + (v.instances.cancelled ?? 0) },
        ]}
      />
      <Space wrap className="wf-versions-pick">
        <Select
          aria-label={t('designer.versions.older')}
          value={older}
          onChange={setOlder}
          style={{ width: 120 }}
          options={versionOptions}
        />
        <span>→</span>
        <Select
          aria-label={t('designer.versions.newer')}
          value={newer}
          onChange={setNewer}
          style={{ width: 120 }}
          options={versionOptions}
        />
        <Button type="primary" disabled={!older || !newer || older === newer} onClick={() => void compare()}>
          {t('designer.versions.compare')}
        </Button>
      </Space>
      {compared && diff && (
        <section aria-label={t('designer.versions.changes')}>
          <Space wrap>
            <Tag color="green">{t('designer.versions.added', { count: diff.added.length })}</Tag>
            <Tag color="orange">{t('designer.versions.changed', { count: diff.changed.length })}</Tag>
            <Tag color="red">{t('designer.versions.removed', { count: diff.removed.length })}</Tag>
          </Space>
          <Suspense fallback={null}>
            <DiagramViewer
              xml={compared.xml}
              completed={[]}
              current={[]}
              legend={false}
              label={t('designer.versions.diagram', { version: newer ?? '' })}
              marks={[
                [diff.added, 'wf-diff-added'],
                [diff.changed, 'wf-diff-changed'],
              ]}
            />
          </Suspense>
          {diff.removed.length > 0 && (
            <Typography.Paragraph>
              {t('designer.versions.removedList')} {diff.removed.map((r) => r.name || r.id).join(t('designer.separator'))}
            </Typography.Paragraph>
          )}
          <Typography.Title level={5}>{t('designer.versions.migrate', { from: older ?? '', to: newer ?? '' })}</Typography.Title>
          {!waiting.length ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('designer.versions.noneRunning')} />
          ) : (
            <>
              <Table
                size="small"
                rowKey="from"
                pagination={false}
                dataSource={waiting}
                columns={[
                  { title: t('designer.versions.waitsAt'), render: (_, w) => t('designer.versions.waitsAtCount', { name: w.name, count: w.count }) },
                  {
                    title: t('designer.versions.goesTo'),
                    render: (_, w) => (
                      <Select
                        aria-label={t('designer.versions.goesToOf', { name: w.name })}
                        status={mapping[w.from] ? undefined : 'error'}
                        style={{ width: 220 }}
                        value={mapping[w.from] || undefined}
                        onChange={(to: string) => setMapping((m) => ({ ...m, [w.from]: to }))}
                        options={[...compared.names].map(([id, name]) => ({ value: id, label: name || id }))}
                      />
                    ),
                  },
                ]}
              />
              {manages ? (
                <Space className="wf-versions-pick">
                  <Button onClick={() => void migrate(true)}>{t('designer.versions.dryRun')}</Button>
                  <Button
                    type="primary"
                    danger
                    disabled={!dryRun}
                    onClick={() =>
                      modal.confirm({
                        title: t('designer.versions.confirm', { count: dryRun?.instances.length ?? 0, to: newer ?? '' }),
                        okText: t('common.confirm'),
                        cancelText: t('common.cancel'),
                        onOk: () => migrate(false),
                      })
                    }
                  >
                    {t('designer.versions.run')}
                  </Button>
                </Space>
              ) : (
                <Alert type="info" showIcon message={t('designer.versions.needsPermission')} />
              )}
              {dryRun && (
                <Alert type="success" showIcon className="wf-designer-alert" message={t('designer.versions.dryRunOk', { count: dryRun.instances.length, remaining: dryRun.remaining ?? 0 })} />
              )}
            </>
          )}
        </section>
      )}
    </Drawer>
  );
}
