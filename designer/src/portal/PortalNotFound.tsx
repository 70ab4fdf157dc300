/** A portal address that leads nowhere: back to the hall. */
import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n/index.tsx';

export function PortalNotFound() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('portal.notFound')}
      extra={
        <Link to="/portal">
          <Button type="primary">{t('portal.toHall')}</Button>
        </Link>
      }
    />
  );
}
