/** A document's status, as its holder's list and the public verification page both show it. */
import { Tag } from 'antd';
import { useI18n, type MessageKey } from '../i18n/index.tsx';

export type DocumentStatus = 'valid' | 'expired' | 'revoked' | 'not-yet-valid';

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
