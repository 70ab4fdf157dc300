/** A document's status and facts, as its holder's list and the public verification page both show them. */
import { Descriptions, Tag } from 'antd';
import { useI18n, type MessageKey } from '../i18n/index.tsx';

export type DocumentStatus = 'valid' | 'expired' | 'revoked' | 'not-yet-valid';

/** What a document says, to its holder and to whoever verifies it (the holder's name masked there). */
export interface DocumentFacts {
  title: string;
  holderName: string;
  data: Record<string, string>;
  validFrom: string;
  validTo: string | null;
  issuedAt: string;
  status: DocumentStatus;
}

const LOOK: Record<DocumentStatus, { color: string; label: MessageKey }> = {
  valid: { color: 'green', label: 'portal.document.valid' },
  expired: { color: 'orange', label: 'portal.document.expired' },
  revoked: { color: 'red', label: 'portal.document.revoked' },
  'not-yet-valid': { color: 'blue', label: 'portal.document.notYetValid' },
};

export function StatusTag({ status }: { status: DocumentStatus }) {
  const { t } = useI18n();
  return <Tag color={LOOK[status].color}>{t(LOOK[status].label)}</Tag>;
}

/** Where a document's QR code leads: the portal's public verification page for its code. */
export const verifyUrl = (code: string) => `${window.location.origin}/portal/verify/${encodeURIComponent(code)}`;

/** A document's facts as a list; `verifying`: as the public check shows them, with what it is and when it was issued. */
export function DocumentDetails({ document: d, verifying = false }: { document: DocumentFacts; verifying?: boolean }) {
  const { t, date } = useI18n();
  return (
    <Descriptions
      column={1}
      size="small"
      items={[
        { key: 'status', label: t('portal.documents.status'), children: <StatusTag status={d.status} /> },
        ...(verifying ? [{ key: 'title', label: t('portal.verify.document'), children: d.title }] : []),
        { key: 'holder', label: t('portal.documents.holder'), children: d.holderName },
        ...Object.entries(d.data).map(([label, value]) => ({ key: label, label, children: value })),
        { key: 'from', label: t('portal.documents.validFrom'), children: date(d.validFrom) },
        { key: 'to', label: t('portal.documents.validToLabel'), children: d.validTo ? date(d.validTo) : <Tag>{t('portal.documents.noEnd')}</Tag> },
        ...(verifying ? [{ key: 'issued', label: t('portal.verify.issued'), children: date(d.issuedAt) }] : []),
      ]}
    />
  );
}
