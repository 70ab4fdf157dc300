/**
 * The catalog as files: export (all of it, or one service with the shared rows
 * it uses) as JSON or an XLSX workbook, and import of either — all or nothing,
 * the server's problems listed by table, row and column when it refuses.
 */
import { DownloadOutlined, DownOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Dropdown, Modal, Result, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api, ApiError, queryString } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { errorText } from '../shared.tsx';
import { ProblemTable } from './problems.tsx';
import type { CatalogProblem, EditResult, TableSpec } from './types.ts';

export function ExportButton({ service }: { service?: string }) {
  const { t } = useI18n();
  const href = (format: 'json' | 'xlsx') => `/api/catalog/export${queryString({ service, format })}`;
  const file = (format: string) => `${service ? `catalog-${service}` : 'catalog'}.${format}`;
  return (
    <Dropdown
      menu={{
        items: [
          {
            key: 'json',
            label: (
              <a href={href('json')} download={file('json')}>
                {t('admin.catalog.export.json')}
              </a>
            ),
          },
          {
            key: 'xlsx',
            label: (
              <a href={href('xlsx')} download={file('xlsx')}>
                {t('admin.catalog.export.xlsx')}
              </a>
            ),
          },
        ],
      }}
    >
      <Button icon={<DownloadOutlined />}>
        {service ? t('admin.catalog.export.service') : t('admin.catalog.export.all')} <DownOutlined />
      </Button>
    </Dropdown>
  );
}

interface Outcome {
  file: string;
  result?: EditResult;
  problems?: CatalogProblem[];
  error?: string;
}

export function ImportModal({ specs, onClose }: { specs: Record<string, TableSpec> | undefined; onClose(changed: boolean): void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [changed, setChanged] = useState(false);

  const send = async (file: File) => {
    setBusy(true);
    setOutcome(null);
    try {
      const result = await api.upload<EditResult>('/api/catalog/import', file);
      setOutcome({ file: file.name, result });
      if (result.changed) setChanged(true);
    } catch (err) {
      const problems = err instanceof ApiError && Array.isArray(err.details.problems) ? (err.details.problems as CatalogProblem[]) : undefined;
      setOutcome({ file: file.name, problems, error: errorText(err, t) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={960}
      title={t('admin.catalog.import.title')}
      onCancel={() => onClose(changed)}
      footer={<Button onClick={() => onClose(changed)}>{t('common.close')}</Button>}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Upload.Dragger
        accept=".json,.xlsx,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        multiple={false}
        showUploadList={false}
        disabled={busy}
        beforeUpload={(file) => {
          void send(file);
          return false;
        }}
        style={{ marginBottom: 16 }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{busy ? t('admin.catalog.import.sending') : t('admin.catalog.import.drop')}</p>
        <p className="ant-upload-hint">{t('admin.catalog.import.dropHint')}</p>
      </Upload.Dragger>
      {!outcome && !busy && <Alert type="info" showIcon title={t('admin.catalog.import.allOrNothing')} />}
      {outcome?.result && (
        <Result
          status="success"
          title={outcome.result.changed ? t('admin.catalog.import.done', { file: outcome.file }) : t('admin.catalog.import.same', { file: outcome.file })}
          subTitle={t('admin.catalog.savedDetail', { changed: outcome.result.changed, revision: outcome.result.revision })}
          style={{ padding: '8px 0' }}
        />
      )}
      {outcome?.error && (
        <>
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 8 }}
            title={outcome.problems ? t('admin.catalog.import.refused', { file: outcome.file, count: outcome.problems.length }) : t('admin.catalog.import.failed', { file: outcome.file })}
            description={outcome.problems ? t('admin.catalog.import.refusedHint') : outcome.error}
          />
          {outcome.problems && <ProblemTable problems={outcome.problems} specs={specs} />}
        </>
      )}
      {outcome?.problems && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('admin.catalog.import.again')}
        </Typography.Paragraph>
      )}
    </Modal>
  );
}
