/**
 * A table every service shares (业务类, 办理单位, 状态, 操作配置, 短信内容配置,
 * 图片库) as an editable grid, saved in one request, with its change log.
 */
import { App, Breadcrumb, Card, Tabs } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useSession } from '../../api/session.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { NotFoundPage } from '../../pages/ErrorPages.tsx';
import { ErrorAlert, PageHeader, RefreshButton, useFilters } from '../shared.tsx';
import { EditorGrid } from './CatalogGrid.tsx';
import './catalog.css';
import { ChangeLog } from './ChangeLog.tsx';
import { useCatalogData, useCatalogEditor } from './editor.ts';
import { RefusedAlert, reveal } from './problems.tsx';
import { SaveBar } from './SaveBar.tsx';
import { SHARED_TABLES } from './types.ts';

const all = () => true;

export function TablePage() {
  const { table = '' } = useParams();
  const shared = (SHARED_TABLES as readonly string[]).includes(table);
  return shared ? <SharedTable key={table} table={table} /> : <NotFoundPage />;
}

function SharedTable({ table }: { table: string }) {
  const { t, text } = useI18n();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const filters = useFilters<'tab'>();
  const tab = filters.get('tab') || 'rows';
  const data = useCatalogData();
  const editor = useCatalogEditor(data.data, [table], all);
  const readOnly = !can('catalog:manage');
  const specs = data.data?.specs;
  const spec = specs?.[table];
  const title = text(spec?.title) || table;

  const save = async () => {
    const result = await editor.save();
    if (!result) return;
    void message.success(t('admin.catalog.saved', { changed: result.changed, revision: result.revision }));
    data.reload();
  };

  return (
    <>
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/admin/catalog">{t('admin.catalog.title')}</Link> }, { title }]} />
      <PageHeader
        title={title}
        description={t('admin.catalog.tableDescription')}
        extra={
          <RefreshButton
            onClick={() =>
              editor.dirty ? modal.confirm({ title: t('admin.catalog.reloadConfirm'), okText: t('admin.catalog.discard'), cancelText: t('common.cancel'), onOk: data.reload }) : data.reload()
            }
            loading={data.loading}
          />
        }
      />
      <ErrorAlert error={data.error} onRetry={data.reload} />
      <RefusedAlert
        problems={editor.problems}
        specs={specs}
        onOpen={(p) => {
          filters.set({ tab: null });
          reveal(p);
        }}
      />
      <ErrorAlert error={editor.failure} />
      {!data.error && (
        <Card size="small" loading={!data.data}>
          {spec && specs && data.data && (
            <Tabs
              activeKey={tab}
              onChange={(key) => filters.set({ tab: key === 'rows' ? null : key })}
              items={[
                {
                  key: 'rows',
                  label: t('admin.catalog.tab.rows', { count: editor.rows(table).filter((r) => !r.deleted).length }),
                  children: <EditorGrid editor={editor} spec={spec} specs={specs} service={null} readOnly={readOnly} />,
                },
                { key: 'history', label: t('admin.catalog.tab.history'), children: <ChangeLog filter={{ table }} specs={specs} revision={data.data.snapshot.revision} /> },
              ]}
            />
          )}
        </Card>
      )}
      {!readOnly && <SaveBar editor={editor} onSave={save} />}
    </>
  );
}
