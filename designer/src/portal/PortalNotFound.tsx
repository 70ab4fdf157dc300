/** A portal address that leads nowhere: back to the hall. */
import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n/index.tsx';

export function PortalNotFound() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('portal.notFound')}
      extra={
        <Button type="primary" size="large" onClick={() => navigate('/portal')}>
          {t('portal.toHall')}
        </Button>
      }
    />
  );
}
