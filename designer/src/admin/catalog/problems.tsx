/**
 * The server's problems with catalog rows, listed by table, row and column
 * (the message already names them, in the user's language): after a refused
 * save, import or compile.
 */
import { Alert, Button, Table, Typography } from 'antd';
import { useI18n } from '../../i18n/index.tsx';
import type { PlacedProblem } from './editor.ts';
import type { CatalogProblem, TableSpec } from './types.ts';

/** `onOpen`: shows where a problem is, for those `openable` says the page has. */
export function ProblemTable({
  problems,
  specs,
  onOpen,
  openable = () => true,
  maxHeight = 360,
}: {
  problems: CatalogProblem[];
  specs: Record<string, TableSpec> | undefined;
  onOpen?(problem: CatalogProblem): void;
  openable?(problem: CatalogProblem): boolean;
  maxHeight?: number;
}) {
  const { t, text } = useI18n();
  const rows = problems.map((p, i) => ({ ...p, i }));
  return (
    <Table
      size="small"
      rowKey="i"
      dataSource={rows}
      pagination={false}
      scroll={rows.length > 8 ? { y: maxHeight } : undefined}
      columns={[
        { title: t('admin.catalog.problem.table'), key: 'table', width: 120, render: (_, p) => text(specs?.[p.table]?.title) || p.table },
        {
          title: t('admin.catalog.problem.row'),
          key: 'row',
          width: 150,
          render: (_, p) => (p.key ? <Typography.Text code>{p.key}</Typography.Text> : p.row > 0 ? t('admin.catalog.problem.rowN', { row: p.row }) : '—'),
        },
        {
          title: t('admin.catalog.problem.column'),
          key: 'column',
          width: 140,
          render: (_, p) => (p.column ? text(specs?.[p.table]?.columns.find((c) => c.name === p.column)?.title) || p.column : '—'),
        },
        { title: t('admin.catalog.problem.message'), dataIndex: 'message' },
        ...(onOpen
          ? [
              {
                title: t('common.actions'),
                key: 'open',
                width: 80,
                render: (_: unknown, p: CatalogProblem) =>
                  openable(p) && (
                    <Button type="link" size="small" onClick={() => onOpen(p)}>
                      {t('admin.catalog.problem.open')}
                    </Button>
                  ),
              },
            ]
          : []),
      ]}
    />
  );
}

/** A save the server refused: how many mistakes, nothing saved, and the list. */
export function RefusedAlert({ problems, specs, onOpen }: { problems: PlacedProblem[]; specs: Record<string, TableSpec> | undefined; onOpen?(problem: CatalogProblem): void }) {
  const { t } = useI18n();
  if (!problems.length) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      title={t('admin.catalog.refused', { count: problems.length })}
      description={
        <>
          <Typography.Paragraph style={{ marginBottom: 8 }}>{t('admin.catalog.refusedHint')}</Typography.Paragraph>
          <ProblemTable problems={problems} specs={specs} onOpen={onOpen} openable={(p) => (p as PlacedProblem).uid !== null} />
        </>
      }
    />
  );
}

/** Brings a placed problem's row (or the service form's field) into view, once its tab has rendered. */
export function reveal(problem: CatalogProblem): void {
  const { uid } = problem as PlacedProblem;
  window.setTimeout(() => {
    const target = problem.table === 'services' && problem.column ? document.getElementById(`svc-${problem.column}`) : uid ? document.querySelector(`tr[data-row-key="${CSS.escape(uid)}"]`) : null;
    target?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, 150);
}
