/** 流程设计: every process by its latest version, opened in the BPMN view or the approval-tree view; new ones of either kind. */
import { ApartmentOutlined, NodeIndexOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Space, Table } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { api, type Page } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { ErrorAlert, PageHeader, useLoad, Deployed } from '../admin/shared.tsx';
import type { Definition } from '../admin/types.ts';

export function FlowsPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const flows = useLoad(() => api.get<Page<Definition>>('/api/definitions', { latest: true, limit: 200 }).then((p) => p.items), []);
  const deploys = can('definition:deploy');
  return (
    <>
      <PageHeader
        title={t('menu.flows')}
        description={t('designer.flows.description')}
        extra={
          deploys && (
            <Space wrap>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/designer/tree/new')}>
                {t('designer.flows.newTree')}
              </Button>
              <Button icon={<PlusOutlined />} onClick={() => navigate('/designer/bpmn/new')}>
                {t('designer.flows.newBpmn')}
              </Button>
            </Space>
          )
        }
      />
      {flows.error ? <ErrorAlert error={flows.error} onRetry={flows.reload} /> : null}
      <Card>
        <Table<Definition>
          rowKey="key"
          loading={flows.loading}
          dataSource={flows.data ?? []}
          pagination={false}
          scroll={{ x: 720 }}
          columns={[
            { title: t('designer.flows.name'), render: (_, d) => <Link to={`/designer/bpmn/${encodeURIComponent(d.key)}`}>{d.name ?? d.key}</Link> },
            { title: t('designer.flows.key'), dataIndex: 'key' },
            { title: t('designer.flows.version'), dataIndex: 'version', width: 80 },
            {
              title: t('designer.flows.deployed'),
              render: (_, d) => <Deployed at={d.deployedAt} by={d.deployedBy} />,
            },
            {
              title: t('designer.flows.open'),
              width: 220,
              render: (_, d) => (
                <Space>
                  <Link to={`/designer/bpmn/${encodeURIComponent(d.key)}`} aria-label={t('designer.flows.openBpmnOf', { name: d.name ?? d.key })}>
                    <NodeIndexOutlined /> {t('designer.view.bpmn')}
                  </Link>
                  <Link to={`/designer/tree/${encodeURIComponent(d.key)}`} aria-label={t('designer.flows.openTreeOf', { name: d.name ?? d.key })}>
                    <ApartmentOutlined /> {t('designer.view.tree')}
                  </Link>
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
