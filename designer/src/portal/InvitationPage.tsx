/**
 * The page an invitation's signed link opens (an expert asked to a review by
 * e-mail; nobody signs in): what the case asks, until when the link holds,
 * and accept or decline — once, confirmed first, since the server takes one
 * answer per link. A link already answered shows the answer; an expired,
 * changed or closed one says so in the server's words.
 */
import { CheckCircleFilled, CloseCircleFilled, InfoCircleFilled } from '@ant-design/icons';
import { Alert, Button, Input, Popconfirm, Skeleton } from 'antd';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { api } from '../api/client.ts';
import { errorText, useLoad } from '../api/load.ts';
import { useI18n } from '../i18n/index.tsx';
import { Section } from './parts.tsx';

interface Invitation {
  key: string;
  processName: string | null;
  activityName: string | null;
  ask: string | null;
  expiresAt: string;
  state: 'open' | 'answered' | 'closed';
  answer: { accepted: boolean; comment: string | null; at: string } | null;
}

export function InvitationPage() {
  const { key = '' } = useParams();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { t, dateTime } = useI18n();
  const path = `/api/invitations/${encodeURIComponent(key)}`;
  const loaded = useLoad(() => (token ? api.get<Invitation>(path, { token }) : Promise.resolve(null)), [path, token]);
  const [answered, setAnswered] = useState<Invitation | null>(null);
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState<boolean | null>(null);
  const [failure, setFailure] = useState<unknown>(null);

  if (!token) return <Alert type="error" showIcon title={t('portal.invitation.noToken')} />;
  if (loaded.error) return <Alert type="error" showIcon title={t('portal.invitation.unavailable')} description={errorText(loaded.error, t)} />;
  const invitation = answered ?? loaded.data;
  if (!invitation) return <Skeleton active paragraph={{ rows: 5 }} />;

  const answer = async (accepted: boolean) => {
    setSending(accepted);
    setFailure(null);
    try {
      setAnswered(await api.post<Invitation>(`${path}/answer`, { token, accepted, ...(comment.trim() && { comment: comment.trim() }) }));
    } catch (err) {
      setFailure(err);
    } finally {
      setSending(null);
    }
  };

  return (
    <>
      <h1 className="portal-title">{invitation.processName ?? t('portal.invitation.title')}</h1>
      <Section id="invitation-ask" title={t('portal.invitation.ask')}>
        {invitation.ask ? <p className="portal-text">{invitation.ask}</p> : null}
        {invitation.state === 'open' && <p className="portal-row-meta">{t('portal.invitation.expires', { at: dateTime(invitation.expiresAt) })}</p>}
      </Section>
      {invitation.state === 'open' ? (
        <Section id="invitation-answer" title={t('portal.invitation.answer')}>
          <label htmlFor="invitation-comment" className="portal-label">
            {t('portal.invitation.comment')}
          </label>
          <Input.TextArea id="invitation-comment" value={comment} onChange={(e) => setComment(e.target.value)} maxLength={500} autoSize={{ minRows: 2, maxRows: 5 }} />
          {failure ? <Alert type="error" showIcon role="alert" style={{ marginTop: 12 }} title={errorText(failure, t)} /> : null}
          <div className="portal-answers">
            <Popconfirm
              title={t('portal.invitation.confirmAccept')}
              description={t('portal.invitation.once')}
              okText={t('portal.invitation.accept')}
              cancelText={t('portal.invitation.back')}
              onConfirm={() => answer(true)}
            >
              <Button type="primary" size="large" loading={sending === true} disabled={sending !== null}>
                {t('portal.invitation.accept')}
              </Button>
            </Popconfirm>
            <Popconfirm
              title={t('portal.invitation.confirmDecline')}
              description={t('portal.invitation.once')}
              okText={t('portal.invitation.decline')}
              okButtonProps={{ danger: true }}
              cancelText={t('portal.invitation.back')}
              onConfirm={() => answer(false)}
            >
              <Button danger size="large" loading={sending === false} disabled={sending !== null}>
                {t('portal.invitation.decline')}
              </Button>
            </Popconfirm>
          </div>
        </Section>
      ) : (
        <Outcome invitation={invitation} />
      )}
    </>
  );
}

/** The answer this link gave, or that the invitation closed without it. */
function Outcome({ invitation }: { invitation: Invitation }) {
  const { t, dateTime } = useI18n();
  const { answer } = invitation;
  const [icon, text] = !answer
    ? [<InfoCircleFilled key="i" style={{ fontSize: 48, color: '#8c8c8c' }} aria-hidden />, t('portal.invitation.closed')]
    : answer.accepted
      ? [<CheckCircleFilled key="i" style={{ fontSize: 48, color: '#237804' }} aria-hidden />, t('portal.invitation.accepted', { at: dateTime(answer.at) })]
      : [<CloseCircleFilled key="i" style={{ fontSize: 48, color: '#cf1322' }} aria-hidden />, t('portal.invitation.declined', { at: dateTime(answer.at) })];
  return (
    <section className="portal-section" style={{ textAlign: 'center' }}>
      {icon}
      <p style={{ fontSize: 18, fontWeight: 600, margin: '8px 0 0' }} role="status">
        {text}
      </p>
      {answer?.comment ? <p className="portal-row-meta">{t('portal.invitation.yourComment', { comment: answer.comment })}</p> : null}
    </section>
  );
}
