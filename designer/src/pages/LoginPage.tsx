/**
 * Staff sign-in: username and password. Lockout and throttling are worded by
 * the server and shown as they come; after sign-in the user goes back to the
 * page that sent them here. Plain inputs (no form library): this page is in
 * every app's first download.
 */
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Input } from 'antd';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import './login.css';

/** Only a path of this site, never another origin (an open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const { t, locale, setLocale } = useI18n();
  const { me, signIn, expired } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));
  if (me) return <Navigate to={next} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const lacking = { username: !username.trim(), password: !password };
    setMissing(lacking);
    if (lacking.username || lacking.password) return;
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
      navigate(next, { replace: true });
    } catch (err) {
      setError(err instanceof ApiError && err.status ? err.message : t('error.network'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="wf-login">
      <form className="wf-login-card" onSubmit={(e) => void submit(e)} noValidate>
        <h1>{t('app.name')}</h1>
        <p className="wf-login-sub">{t('login.subtitle')}</p>
        {expired && <Alert type="warning" showIcon title={t('login.expired')} style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <label htmlFor="username">{t('login.username')}</label>
        <Input id="username" prefix={<UserOutlined />} autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} status={missing.username ? 'error' : undefined} aria-invalid={!!missing.username} />
        <div className="wf-login-help" role={missing.username ? 'alert' : undefined}>
          {missing.username ? t('login.usernameRequired') : ''}
        </div>
        <label htmlFor="password">{t('login.password')}</label>
        <Input.Password id="password" prefix={<LockOutlined />} autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} status={missing.password ? 'error' : undefined} aria-invalid={!!missing.password} />
        <div className="wf-login-help" role={missing.password ? 'alert' : undefined}>
          {missing.password ? t('login.passwordRequired') : ''}
        </div>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('login.submit')}
        </Button>
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button type="link" size="small" onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}>
            {t('shell.switchLanguage')}
          </Button>
        </div>
      </form>
    </main>
  );
}
