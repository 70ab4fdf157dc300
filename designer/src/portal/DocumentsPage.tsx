/**
 * 我的证照: the electronic documents issued to me, each with its QR code —
 * which anyone scans to the public verification page — its status and what
 * it says. Tap a document to show its code large, for an officer to scan.
 */
import { Alert, Empty, Modal, QRCode, Skeleton } from 'antd';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { errorText, useLoad } from '../api/load.ts';
import { useI18n } from '../i18n/index.tsx';
import { DocumentDetails, StatusTag, verifyUrl, type DocumentFacts } from './document-status.tsx';

interface HeldDocument extends DocumentFacts {
  id: string;
  kind: string;
  /** What its QR code holds. */
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
          <button type="button" className="portal-document" onClick={() => setShown(d)}>
            {/* The small code is a picture of the large one the button shows: its name is the document's. */}
            <span aria-hidden>
              <QRCode value={verifyUrl(d.code)} size={88} bordered={false} />
            </span>
            <span className="portal-row-main">
              <span className="portal-row-name">{d.title}</span>
              <span className="portal-row-meta">
                <StatusTag status={d.status} /> {d.validTo ? t('portal.documents.validTo', { date: date(d.validTo) }) : t('portal.documents.noEnd')}
              </span>
              <span className="portal-visually-hidden">{t('portal.documents.show')}</span>
            </span>
          </button>
        </section>
      ))}
      <Modal open={shown !== null} onCancel={() => setShown(null)} footer={null} title={shown?.title} centered>
        {shown && (
          <>
            <div style={{ display: 'flex', justifyContent: 'center', marginBottom: 12 }}>
              <QRCode value={verifyUrl(shown.code)} size={220} aria-label={t('portal.documents.qr', { title: shown.title })} />
            </div>
            <DocumentDetails document={shown} />
          </>
        )}
      </Modal>
    </>
  );
}
