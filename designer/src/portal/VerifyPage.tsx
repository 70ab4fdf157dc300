/**
 * The public page a document's QR code opens (nobody signs in): whether the
 * document is valid, expired or revoked, what it is and says, its validity,
 * and its holder with the name masked. A code that is not one says so.
 */
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Alert, Skeleton } from 'antd';
import { useParams } from 'react-router-dom';
import { api } from '../api/client.ts';
import { errorText, useLoad } from '../api/load.ts';
import { useI18n } from '../i18n/index.tsx';
import { DocumentDetails, type DocumentFacts } from './document-status.tsx';

export function VerifyPage() {
  const { code = '' } = useParams();
  const { t, date } = useI18n();
  const found = useLoad(() => api.get<DocumentFacts>(`/api/verify/${encodeURIComponent(code)}`), [code]);
  if (found.error) return <Alert type="error" showIcon title={t('portal.verify.notFound')} description={errorText(found.error, t)} />;
  const d = found.data;
  if (!d) return <Skeleton active paragraph={{ rows: 5 }} />;
  const valid = d.status === 'valid';
  return (
    <>
      <h1 className="portal-title">{t('portal.verify.title')}</h1>
      <section className="portal-section" style={{ textAlign: 'center' }}>
        {valid ? <CheckCircleFilled style={{ fontSize: 48, color: '#237804' }} aria-hidden /> : <CloseCircleFilled style={{ fontSize: 48, color: '#cf1322' }} aria-hidden />}
        <p style={{ fontSize: 18, fontWeight: 600, margin: '8px 0 0' }} role="status">
          {valid
            ? t('portal.verify.valid', { title: d.title })
            : d.status === 'not-yet-valid'
              ? t('portal.verify.notYet', { title: d.title, date: date(d.validFrom) })
              : t('portal.verify.invalid', { title: d.title })}
        </p>
      </section>
      <section className="portal-section">
        <DocumentDetails document={d} verifying />
      </section>
    </>
  );
}
