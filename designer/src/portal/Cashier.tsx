/**
 * The cashier (收银台): the amount, a QR code of the payment provider's pay
 * page (scan it with another phone) and, on this phone, a button to go there.
 * The case learns it was paid from the provider's signed notice, not from
 * coming back here: this page only watches the case until it has moved on.
 */
import { Alert, Button, QRCode, Typography } from 'antd';
import { useEffect } from 'react';
import { api } from '../api/client.ts';
import { usePolling } from '../shell/usePolling.ts';
import type { Instance } from '../api/records.ts';
import { useI18n } from '../i18n/index.tsx';
import { awaitsPayment } from './next-step.ts';
import { Section } from './parts.tsx';

const WATCH_MS = 3000;

export function Cashier({ instance, onPaid }: { instance: Instance; onPaid(): void }) {
  const { t, money, dateTime } = useI18n();
  const v = instance.variables;
  const payUrl = String(v.payUrl);
  const moved = usePolling(() => api.get<Instance>(`/api/instances/${instance.id}`).then((now) => !awaitsPayment(now)), WATCH_MS, [instance.id], undefined, WATCH_MS).value;
  useEffect(() => {
    if (moved) onPaid();
  }, [moved, onPaid]);
  return (
    <Section id="cashier" title={t('portal.pay.title')}>
      <Typography.Paragraph>
        {t('portal.pay.amount')}{' '}
        <Typography.Text strong style={{ fontSize: 22 }}>
          {money(Number(v.totalFee ?? 0))}
        </Typography.Text>
      </Typography.Paragraph>
      <div style={{ display: 'flex', justifyContent: 'center', margin: '8px 0 12px' }}>
        <QRCode value={payUrl} size={176} aria-label={t('portal.pay.qr')} />
      </div>
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
        {t('portal.pay.scan')}
      </Typography.Paragraph>
      <a href={payUrl}>
        <Button type="primary" size="large" block>
          {t('portal.pay.go')}
        </Button>
      </a>
      {typeof v.orderExpiresAt === 'string' && <Alert type="info" showIcon title={t('portal.pay.expires', { at: dateTime(v.orderExpiresAt) })} style={{ marginTop: 12 }} />}
    </Section>
  );
}
