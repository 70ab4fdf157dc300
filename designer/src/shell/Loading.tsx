import { Spin } from 'antd';
import { useI18n } from '../i18n/index.tsx';

export function Loading() {
  const { t } = useI18n();
  return (
    <div role="status" aria-label={t('common.loading')} style={{ display: 'flex', justifyContent: 'center', padding: 64 }}>
      <Spin />
    </div>
  );
}
