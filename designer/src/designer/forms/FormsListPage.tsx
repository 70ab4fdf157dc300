/** 表单设计: every form by its latest version, opened in the form designer; a new one, blank or from a JSON file. */
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Table } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { api, type Page } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { ErrorAlert, PageHeader, useLoad, Deployed } from '../../admin/shared.tsx';
import type { FormSummary } from '../../admin/types.ts';

export default function FormsListPage() {
  const { t, text } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const forms = useLoad(() => api.get<Page<FormSummary>>('/api/forms', { latest: true, limit: 200 }).then((p) => p.items), []);
  return (
    <>
      <PageHeader
        title={t('menu.formDesigner')}
        description={t('designer.forms.description')}
        extra={
          can('form:deploy') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/designer/forms/new')}>
              {t('designer.forms.new')}
            </Button>
          )
        }
      />
      {forms.error ? <ErrorAlert error={forms.error} onRetry={forms.reload} /> : null}
      <Card>
        <Table<FormSummary>
          rowKey="key"
          loading={forms.loading}
          dataSource={forms.data ?? []}
          pagination={false}
          scroll={{ x: 640 }}
          columns={[
            { title: t('designer.forms.name'), render: (_, f) => <Link to={`/designer/forms/${encodeURIComponent(f.key)}`}>{text(f.title) || f.key}</Link> },
            { title: t('designer.flows.key'), dataIndex: 'key' },
            { title: t('designer.flows.version'), dataIndex: 'version', width: 80 },
            {
              title: t('designer.flows.deployed'),
              render: (_, f) => <Deployed at={f.deployedAt} by={f.deployedBy} />,
            },
          ]}
        />
      </Card>
    </>
  );
}
