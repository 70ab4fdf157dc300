/**
 * 批量导入: departments or people from a CSV or XLSX sheet. All rows or none:
 * when any row is wrong nothing is imported, and every problem is listed by
 * its row (as the spreadsheet numbers it) and column, to fix and upload again.
 * The columns are explained, with a template to start from.
 */
import { CheckCircleOutlined, DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Radio, Result, Row, Space, Steps, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api/client.ts';
import { translate, useI18n, type MessageKey, type Translate } from '../i18n/index.tsx';
import { errorText, known, PageHeader } from './shared.tsx';
import { readSheet, type Table as Sheet } from './sheet.ts';
import type { ImportRowProblem } from './types.ts';

type Kind = 'users' | 'departments';

interface Column {
  field: string;
  /** The heading as the template writes it (the server also takes the English field name). */
  heading: MessageKey;
  required?: boolean;
  note: MessageKey;
  /** A value, or the catalog key of one in the user's language. */
  example: string;
}

const COLUMNS: Record<Kind, Column[]> = {
  users: [
    { field: 'id', heading: 'admin.import.col.user.id', required: true, note: 'admin.import.note.user.id', example: 'liuyang' },
    { field: 'name', heading: 'admin.import.col.user.name', required: true, note: 'admin.import.note.user.name', example: 'admin.import.example.userName' },
    { field: 'username', heading: 'admin.import.col.user.username', note: 'admin.import.note.user.username', example: 'liuyang' },
    { field: 'mobile', heading: 'admin.import.col.user.mobile', note: 'admin.import.note.user.mobile', example: '13800000001' },
    { field: 'email', heading: 'admin.import.col.user.email', note: 'admin.import.note.user.email', example: 'liuyang@example.gov.cn' },
    { field: 'posts', heading: 'admin.import.col.user.posts', note: 'admin.import.note.user.posts', example: 'office:staff;hr:hr' },
    { field: 'roles', heading: 'admin.import.col.user.roles', note: 'admin.import.note.user.roles', example: 'clerk' },
    { field: 'password', heading: 'admin.import.col.user.password', note: 'admin.import.note.user.password', example: 'Start2026' },
    { field: 'status', heading: 'admin.import.col.user.status', note: 'admin.import.note.user.status', example: 'admin.import.example.status' },
    { field: 'sort', heading: 'admin.import.col.sort', note: 'admin.import.note.sort', example: '10' },
  ],
  departments: [
    { field: 'id', heading: 'admin.import.col.dept.id', required: true, note: 'admin.import.note.dept.id', example: 'traffic-east' },
    { field: 'name', heading: 'admin.import.col.dept.name', required: true, note: 'admin.import.note.dept.name', example: 'admin.import.example.deptName' },
    { field: 'parentId', heading: 'admin.import.col.dept.parentId', note: 'admin.import.note.dept.parentId', example: 'traffic' },
    { field: 'headUserId', heading: 'admin.import.col.dept.headUserId', note: 'admin.import.note.dept.headUserId', example: 'wujiu' },
    { field: 'sort', heading: 'admin.import.col.sort', note: 'admin.import.note.sort', example: '10' },
  ],
};

interface Outcome {
  ok?: { departments: number; users: number };
  rows?: ImportRowProblem[];
  /** The file as read here, to show each bad row as it stands (null: unreadable here). */
  table?: Sheet | null;
  error?: string;
  file: string;
}

interface BadRow {
  row: number;
  problems: ImportRowProblem[];
}

/** A CSV template (UTF-8 with BOM, so Excel reads the Chinese headings) with the headings and one example row. */
function downloadTemplate(kind: Kind, t: Translate) {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [COLUMNS[kind].map((c) => cell(t(c.heading))), COLUMNS[kind].map((c) => cell(known(t, c.example, c.example)))];
  const blob = new Blob([`\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${kind}-template.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ImportPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [kind, setKind] = useState<Kind>('users');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const columns = COLUMNS[kind];
  const headingOf = (field: string) => {
    const column = columns.find((c) => c.field === field);
    return column ? t(column.heading) : field === '-' ? t('admin.import.wholeFile') : field;
  };

  const send = async (file: File) => {
    setBusy(true);
    setOutcome(null);
    const body = new FormData();
    body.append('kind', kind);
    body.append('file', file, file.name);
    try {
      const ok = await api.post<{ departments: number; users: number }>('/api/org/import', body);
      setOutcome({ ok, file: file.name });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'WF_ERR_IMPORT_INVALID' && Array.isArray(err.details.rows)) {
        const rows = err.details.rows as ImportRowProblem[];
        setOutcome({ rows, table: await readSheet(file), file: file.name });
      } else setOutcome({ error: errorText(err, t), file: file.name });
    } finally {
      setBusy(false);
    }
  };

  // One line per bad row (as the spreadsheet numbers it), its problems column by column.
  const badRows: BadRow[] = [...new Set((outcome?.rows ?? []).map((p) => p.row))].map((row) => ({ row, problems: (outcome?.rows ?? []).filter((p) => p.row === row) }));
  /** Does a heading of the file name this field (its Chinese or English heading, or the field itself)? */
  const names = (heading: string, field: string) => {
    const column = columns.find((c) => c.field === field);
    const h = heading.trim().replace(/\s+/g, '').toLowerCase();
    return h === field.toLowerCase() || (!!column && (h === translate('zh-CN', column.heading).toLowerCase() || h === translate('en', column.heading).toLowerCase()));
  };
  const step = outcome?.ok ? 2 : outcome ? 1 : 0;

  return (
    <>
      <PageHeader title={t('admin.import.title')} description={t('admin.import.description')} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Steps
          size="small"
          current={step}
          status={outcome && !outcome.ok ? 'error' : undefined}
          items={[{ title: t('admin.import.step.prepare') }, { title: t('admin.import.step.upload') }, { title: t('admin.import.step.done') }]}
        />
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('admin.import.upload')}>
            <Space orientation="vertical" style={{ width: '100%' }} size="middle">
              <div>
                <Typography.Text strong>{t('admin.import.kind')}</Typography.Text>
                <div style={{ marginTop: 8 }}>
                  <Radio.Group
                    optionType="button"
                    buttonStyle="solid"
                    value={kind}
                    onChange={(e) => {
                      setKind(e.target.value as Kind);
                      setOutcome(null);
                    }}
                    options={[
                      { value: 'users', label: t('admin.import.kind.users') },
                      { value: 'departments', label: t('admin.import.kind.departments') },
                    ]}
                  />
                </div>
              </div>
              <Upload.Dragger
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                multiple={false}
                showUploadList={false}
                disabled={busy}
                beforeUpload={(file) => {
                  void send(file);
                  return false;
                }}
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{busy ? t('admin.import.sending') : t('admin.import.drop')}</p>
                <p className="ant-upload-hint">{t('admin.import.dropHint')}</p>
              </Upload.Dragger>
              <Button icon={<DownloadOutlined />} onClick={() => downloadTemplate(kind, t)}>
                {t('admin.import.template')}
              </Button>
              <Alert type="info" showIcon title={t('admin.import.allOrNothing')} />
            </Space>
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          {outcome ? (
            <Card size="small" title={t('admin.import.result', { file: outcome.file })}>
              {outcome.ok && (
                <Result
                  status="success"
                  icon={<CheckCircleOutlined />}
                  title={t('admin.import.ok')}
                  subTitle={t('admin.import.okDetail', { departments: outcome.ok.departments, users: outcome.ok.users })}
                  extra={
                    <Button type="primary" onClick={() => navigate(kind === 'users' ? '/admin/users' : '/admin/departments')}>
                      {kind === 'users' ? t('admin.import.seeUsers') : t('admin.import.seeDepartments')}
                    </Button>
                  }
                />
              )}
              {outcome.error && <Alert type="error" showIcon title={t('admin.import.failed')} description={outcome.error} />}
              {outcome.rows && (
                <>
                  <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('admin.import.bad', { rows: badRows.length, problems: outcome.rows.length })} description={t('admin.import.badHint')} />
                  <Table<BadRow>
                    size="small"
                    rowKey="row"
                    dataSource={badRows}
                    pagination={badRows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
                    expandable={
                      outcome.table
                        ? {
                            defaultExpandAllRows: badRows.length <= 10,
                            rowExpandable: (r) => r.row > 1 && !!outcome.table?.[r.row - 1],
                            expandedRowRender: (r) => <RowCells header={outcome.table?.[0] ?? []} cells={outcome.table?.[r.row - 1] ?? []} bad={(h) => r.problems.some((p) => names(h, p.field))} />,
                          }
                        : undefined
                    }
                    columns={[
                      { title: t('admin.import.row'), dataIndex: 'row', width: 90, render: (row: number) => <Tag color="red">{t('admin.import.rowN', { row })}</Tag> },
                      {
                        title: t('admin.import.problem'),
                        key: 'problems',
                        render: (_, r) => (
                          <Space orientation="vertical" size={2}>
                            {r.problems.map((p, i) => (
                              <span key={i}>
                                <Typography.Text code>{headingOf(p.field)}</Typography.Text> {p.message}
                              </span>
                            ))}
                          </Space>
                        ),
                      },
                    ]}
                  />
                </>
              )}
            </Card>
          ) : (
            <Card size="small" title={t('admin.import.columns')}>
              <Table<Column>
                size="small"
                rowKey="field"
                dataSource={columns}
                pagination={false}
                columns={[
                  {
                    title: t('admin.import.heading'),
                    key: 'heading',
                    width: 170,
                    render: (_, c) => (
                      <Space size={4}>
                        <Typography.Text strong>{t(c.heading)}</Typography.Text>
                        {t(c.heading) !== c.field && (
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {c.field}
                          </Typography.Text>
                        )}
                      </Space>
                    ),
                  },
                  { title: t('admin.import.required'), key: 'required', width: 70, render: (_, c) => (c.required ? <Tag color="red">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>) },
                  { title: t('admin.import.meaning'), key: 'note', render: (_, c) => t(c.note) },
                  { title: t('admin.import.example'), dataIndex: 'example', width: 150, render: (v: string) => <Typography.Text code>{known(t, v, v)}</Typography.Text> },
                ]}
              />
            </Card>
          )}
        </Col>
      </Row>
    </>
  );
}

/** A bad row as it stands in the file: each heading over its cell, the cells with a problem marked. */
function RowCells({ header, cells, bad }: { header: string[]; cells: string[]; bad(heading: string): boolean }) {
  const { t } = useI18n();
  const width = Math.max(header.length, cells.length);
  return (
    <div style={{ overflowX: 'auto' }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('admin.import.asInFile')}
      </Typography.Text>
      <table style={{ borderCollapse: 'collapse', marginTop: 4, fontSize: 12 }}>
        <tbody>
          <tr>
            {Array.from({ length: width }, (_, i) => (
              <th key={i} style={{ border: '1px solid #f0f0f0', padding: '2px 8px', background: '#fafafa', fontWeight: 500, whiteSpace: 'nowrap' }}>
                {header[i] ?? ''}
              </th>
            ))}
          </tr>
          <tr>
            {Array.from({ length: width }, (_, i) => {
              const wrong = bad(header[i] ?? '');
              return (
                <td key={i} style={{ border: `1px solid ${wrong ? '#ffa39e' : '#f0f0f0'}`, padding: '2px 8px', background: wrong ? '#fff1f0' : undefined, color: wrong ? '#cf1322' : undefined, whiteSpace: 'nowrap' }}>
                  {cells[i] || <Typography.Text type="secondary">{t('admin.import.emptyCell')}</Typography.Text>}
                </td>
              );
            })}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
