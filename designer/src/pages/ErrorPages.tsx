/** 403 and 404, plain (no illustrations: they are in every app's first download). */
import { Button } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n, type MessageKey } from '../i18n/index.tsx';

function ErrorPage({ code, text }: { code: string; text: MessageKey }) {
  const { t } = useI18n();
  return (
    <section style={{ textAlign: 'center', padding: '64px 16px' }}>
      <h1 style={{ fontSize: 56, margin: 0, color: '#0958d9', fontWeight: 600 }}>{code}</h1>
      <p style={{ fontSize: 16, color: '#595959', margin: '8px 0 24px' }}>{t(text)}</p>
      <Link to="/">
        <Button type="primary">{t('error.home')}</Button>
      </Link>
    </section>
  );
}

export const ForbiddenPage = () => <ErrorPage code="403" text="error.forbidden" />;
export const NotFoundPage = () => <ErrorPage code="404" text="error.notFound" />;
