/** 我的: who I am signed in as, and signing out. */
import { Button, Descriptions } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';

export function MePage() {
  const { t } = useI18n();
  const { me, signOut } = useSession();
  const navigate = useNavigate();
  return (
    <>
      <h1 className="portal-title">{t('portal.me.title')}</h1>
      <section className="portal-section">
        <Descriptions column={1} size="small" items={[{ key: 'name', label: t('portal.me.name'), children: me?.name }]} />
      </section>
      <Button size="large" block danger onClick={() => void signOut().then(() => navigate('/portal'))}>
        {t('portal.me.signOut')}
      </Button>
    </>
  );
}
