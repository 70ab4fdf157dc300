/** 我的: who I am signed in as, my real-name level (and raising it), signing out. */
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Button, Descriptions, Skeleton } from 'antd';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client.ts';
import { useLoad } from '../api/load.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { LEVELS, type Identity } from './identity.ts';

export function MePage() {
  const { t } = useI18n();
  const { me, signOut } = useSession();
  const navigate = useNavigate();
  const identity = useLoad(() => api.get<Identity>('/api/me/identity'), []);
  return (
    <>
      <h1 className="portal-title">{t('portal.me.title')}</h1>
      <section className="portal-section">
        {identity.data ? (
          <Descriptions
            column={1}
            size="small"
            items={[
              { key: 'name', label: t('portal.me.name'), children: me?.name },
              { key: 'level', label: t('portal.me.level'), children: t(LEVELS[identity.data.level] ?? 'portal.level.0') },
            ]}
          />
        ) : (
          <Skeleton active paragraph={{ rows: 2 }} />
        )}
        {identity.data?.processKey && identity.data.level < 3 && (
          <Button size="large" block icon={<SafetyCertificateOutlined />} style={{ marginTop: 12 }} onClick={() => navigate('/portal/identity')}>
            {t('portal.me.raise')}
          </Button>
        )}
      </section>
      <Button size="large" block danger onClick={() => void signOut().then(() => navigate('/portal'))}>
        {t('portal.me.signOut')}
      </Button>
    </>
  );
}
