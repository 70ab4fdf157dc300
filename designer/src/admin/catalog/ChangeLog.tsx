/**
 * Who changed which catalog row when (newest first): a service's rows, or one
 * shared table's; a change opens to the row as it was written.
 */
import { Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, type Page } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { emptyText, ErrorAlert, useLoad, UserName } from '../shared.tsx';
import { CellText } from './cells.tsx';
import type { CatalogChange, Row, TableSpec } from './types.ts';

const SIZE = 20;

/** The row's name, for the list: its name, label or title, else its key. */
const summaryOf = (data: Row | null): string | null => {
  for (const column of ['name', 'label', 'title', 'content', 'text']) if (data && typeof data[column] === 'string' && data[column]) return data[column] as string;
  return null;
};

export function ChangeLog({ filter, specs, revision }: { filter: { service?: string; table?: string }; specs: Record<string, TableSpec>; revision: number }) {
  const { t, text, dateTime } = useI18n();
  const [page, setPage] = useState(1);
  const changes = useLoad(() => api.get<Page<CatalogChange>>('/api/catalog/changes', { ...filter, offset: (page - 1) * SIZE, limit: SIZE }), [filter.service, filter.table, page, revision]);

  return (
    <>
      <ErrorAlert error={changes.error} onRetry={changes.reload} />
      <Table<CatalogChange>
        className="wf-scroll-x"
        size="small"
        rowKey="id"
        loading={changes.loading}
        dataSource={changes.data?.items ?? []}
        locale={{ emptyText: emptyText(t, false, t('admin.catalog.log.empty')) }}
        pagination={{ current: page, pageSize: SIZE, total: changes.data?.total ?? 0, showSizeChanger: false, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
        expandable={{
          rowExpandable: (c) => !!c.data,
          expandedRowRender: (c) => {
            const spec = specs[c.table];
            if (!spec || !c.data) return null;
            return (
              <Descriptions
                size="small"
                bordered
                column={{ xs: 1, md: 2, xl: 3 }}
                items={spec.columns.map((column) => ({ key: column.name, label: text(column.title), children: <CellText column={column} value={c.data?.[column.name]} /> }))}
              />
            );
          },
        }}
        columns={[
          { title: t('admin.catalog.log.at'), dataIndex: 'at', width: 160, render: (v: string) => dateTime(v) },
          { title: t('admin.catalog.log.by'), dataIndex: 'by', width: 110, render: (v: string | null) => <UserName id={v} /> },
          { title: t('admin.catalog.log.table'), dataIndex: 'table', width: 120, render: (v: string) => text(specs[v]?.title) || v },
          {
            title: t('admin.catalog.log.row'),
            key: 'row',
            render: (_, c) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text code>{c.key}</Typography.Text>
                {summaryOf(c.data) && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: summaryOf(c.data) }}>
                    {summaryOf(c.data)}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('admin.catalog.log.action'),
            dataIndex: 'action',
            width: 100,
            render: (v: string) => (v === 'delete' ? <Tag color="red">{t('admin.catalog.log.delete')}</Tag> : <Tag color="blue">{t('admin.catalog.log.put')}</Tag>),
          },
          { title: t('admin.catalog.log.revision'), dataIndex: 'revision', width: 90 },
        ]}
      />
    </>
  );
}
