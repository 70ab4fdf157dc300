/**
 * 我的证照: the electronic documents issued to me, each with its QR code —
 * which anyone scans to the public verification page — its status and what
 * it says. Tap a document to show its code large, for an officer to scan.
 */
import { Alert, Descriptions, Empty, Modal, QRCode, Skeleton, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { errorText, useLoad } from '../api/load.ts';
import { useI18n } from '../i18n/index.tsx';
import { StatusTag, verifyUrl, type DocumentStatus } from './document-status.tsx';

interface HeldDocument {
  id: string;
  kind: string;
  title: string;
  holderName: string;
  data: Record<string, string>;
  validFrom: string;
  validTo: string | null;
  issuedAt: string;
  status: DocumentStatus;
  code: string;
}

export function DocumentsPage() {
  const { t, date } = useI18n();
  const documents = useLoad(() => api.get<{ items: HeldDocument[] }>('/api/documents').then((r) => r.items), []);
  const [shown, setShown] = useState<HeldDocument | null>(null);
  return (
    <>
      <h1 className="portal-title">{t('portal.documents.title')}</h1>
      {documents.error ? <Alert type="error" showIcon title={errorText(documents.error, t)} /> : null}
      {!documents.data && !documents.error ? <Skeleton active paragraph={{ rows: 4 }} /> : null}
      {documents.data?.length === 0 && <Empty description={t('portal.documents.none')} />}
      {documents.data?.map((d) => (
        <section key={d.id} className="portal-section">
          <button type="button" className="portal-document" onClick={() => setShown(d)} aria-label={t('portal.documents.show', { title: d.title })}>
            <QRCode value={verifyUrl(d.code)} size={88} bordered={false} />
            <span className="portal-row-main">
              <span className="portal-row-name">{d.title}</span>
              <span className="portal-row-meta">
                <StatusTag status={d.status} /> {d.validTo ? t('portal.documents.validTo', { date: date(d.validTo) }) : t('portal.documents.noEnd')}
              </span>
            </span>
          </button>
        </section>
      ))}
      <Modal open={shown !== null} onCancel={() => setShown(null)} footer={null} title={shown?.title} centered>
        {shown && (
          <>
            <div style={{ display: 'flex', justifyContent: 'center', marginBottom: 12 }}>
              <QRCode value={verifyUrl(shown.code)} size={220} />
            </div>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'status', label: t('portal.documents.status'), children: <StatusTag status={shown.status} /> },
                { key: 'holder', label: t('portal.documents.holder'), children: shown.holderName },
                ...Object.entries(shown.data).map(([label, value]) => ({ key: label, label, children: value })),
                { key: 'from', label: t('portal.documents.validFrom'), children: date(shown.validFrom) },
                { key: 'to', label: t('portal.documents.validToLabel'), children: shown.validTo ? date(shown.validTo) : <Tag>{t('portal.documents.noEnd')}</Tag> },
              ]}
            />
          </>
        )}
      </Modal>
    </>
  );
}
