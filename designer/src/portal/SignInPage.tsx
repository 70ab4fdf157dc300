/**
 * A citizen signs in with their mobile number and the code an SMS brings
 * (the first sign-in makes the account); then back to where they were going.
 * The server's words are shown as they come (a wrong code, too many tries).
 */
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../api/client.ts';
import { errorText } from '../api/load.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';

const MOBILE = /^1[3-9]\d{9}$/;
const WAIT_SECONDS = 60;

/** Only a page of the portal to go back to (never another site). */
const nextOf = (params: URLSearchParams) => {
  const next = params.get('next') ?? '';
  return next.startsWith('/portal') && !next.startsWith('//') ? next : '/portal/cases';
};

export function SignInPage() {
  const { t } = useI18n();
  const { me, signInBySms } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [mobile, setMobile] = useState('');
  const [code, setCode] = useState('');
  const [wait, setWait] = useState(0);
  const [sending, setSending] = useState(false);
  const [signing, setSigning] = useState(false);
  const [problem, setProblem] = useState<{ field: 'mobile' | 'code' | null; text: string } | null>(null);

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  if (me) return <Navigate to={nextOf(params)} replace />;

  const fieldOf = (err: unknown): 'mobile' | 'code' | null => (err instanceof ApiError && (err.field === 'mobile' || err.field === 'code') ? err.field : null);
  const send = async () => {
    if (!MOBILE.test(mobile)) return setProblem({ field: 'mobile', text: t('portal.signIn.badMobile') });
    setSending(true);
    setProblem(null);
    try {
      await api.post('/api/auth/sms-code', { mobile });
      setWait(WAIT_SECONDS);
    } catch (err) {
      setProblem({ field: fieldOf(err) ?? 'mobile', text: errorText(err, t) });
    } finally {
      setSending(false);
    }
  };
  const signIn = async () => {
    if (!MOBILE.test(mobile)) return setProblem({ field: 'mobile', text: t('portal.signIn.badMobile') });
    if (!/^\d{6}$/.test(code)) return setProblem({ field: 'code', text: t('portal.signIn.badCode') });
    setSigning(true);
    setProblem(null);
    try {
      await signInBySms(mobile, code);
      navigate(nextOf(params), { replace: true });
    } catch (err) {
      setProblem({ field: fieldOf(err) ?? 'code', text: errorText(err, t) });
    } finally {
      setSigning(false);
    }
  };
  const status = (field: 'mobile' | 'code') => (problem?.field === field ? 'error' : undefined);

  return (
    <>
      <h1 className="portal-title">{t('portal.signIn.title')}</h1>
      <section className="portal-section">
        <Typography.Paragraph type="secondary">{t('portal.signIn.intro')}</Typography.Paragraph>
        <Form layout="vertical" component="div">
          <Form.Item label={t('portal.signIn.mobile')} htmlFor="mobile" validateStatus={status('mobile')} help={problem?.field === 'mobile' ? problem.text : undefined}>
            <Input
              id="mobile"
              size="large"
              inputMode="numeric"
              autoComplete="tel"
              maxLength={11}
              value={mobile}
              onChange={(e) => setMobile(e.target.value.replace(/\D/g, ''))}
              placeholder={t('portal.signIn.mobilePlaceholder')}
            />
          </Form.Item>
          <Form.Item label={t('portal.signIn.code')} htmlFor="code" validateStatus={status('code')} help={problem?.field === 'code' ? problem.text : undefined}>
            <div style={{ display: 'flex', gap: 8 }}>
              <Input
                id="code"
                size="large"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
                onPressEnter={() => void signIn()}
                placeholder={t('portal.signIn.codePlaceholder')}
              />
              <Button size="large" onClick={() => void send()} loading={sending} disabled={wait > 0} style={{ minWidth: 120 }}>
                {wait > 0 ? t('portal.signIn.resend', { seconds: wait }) : t('portal.signIn.send')}
              </Button>
            </div>
          </Form.Item>
          {problem && problem.field === null && <Alert type="error" showIcon title={problem.text} style={{ marginBottom: 16 }} />}
          <Button type="primary" size="large" block loading={signing} onClick={() => void signIn()}>
            {t('portal.signIn.submit')}
          </Button>
        </Form>
      </section>
    </>
  );
}
