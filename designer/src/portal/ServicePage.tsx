/**
 * A service's page: what it costs, how long it takes, the identity level it
 * needs, the steps a case goes through (by state name), the guide's items
 * (collapsed), the offices — and the one action, 立即办理, which asks to sign
 * in first and then opens the application.
 */
import { EnvironmentOutlined, PhoneOutlined } from '@ant-design/icons';
import { Alert, Button, Collapse, Descriptions, Skeleton, Steps, Typography } from 'antd';
import { lazy } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../api/client.ts';
import { errorText, useLoad } from '../api/load.ts';
import { useSession } from '../api/session.tsx';
import { useI18n } from '../i18n/index.tsx';
import { Loaded } from '../shell/Loading.tsx';
import { ServiceTags } from './HallPage.tsx';
import { LEVELS, type Identity } from './identity.ts';
import type { ServiceDetail } from './types.ts';
import { Section } from './parts.tsx';

// The date picker comes with the slots, on appointment services only.
const SlotsPanel = lazy(() => import('./SlotsPanel.tsx').then((m) => ({ default: m.SlotsPanel })));

export function ServicePage() {
  const { number = '' } = useParams();
  const { t, text, money } = useI18n();
  const { me } = useSession();
  const navigate = useNavigate();
  const service = useLoad(() => api.get<ServiceDetail>(`/api/hall/services/${encodeURIComponent(number)}`), [number]);
  // Signed in below the level the service needs: raise it first.
  const identity = useLoad(() => (me ? api.get<Identity>('/api/me/identity') : Promise.resolve(null)), [me?.id]);

  if (service.error) return <Alert type="error" showIcon title={errorText(service.error, t)} />;
  const s = service.data;
  if (!s) return <Skeleton active paragraph={{ rows: 8 }} />;
  const apply = `/portal/apply/${s.number}`;
  const act = s.type === '3' ? t('portal.service.query') : s.type === '2' ? t('portal.service.book') : t('portal.service.apply');

  return (
    <>
      <h1 className="portal-title">
        {s.name} <ServiceTags service={s} />
      </h1>
      <section className="portal-section">
        <Descriptions
          column={1}
          size="small"
          items={[
            { key: 'class', label: t('portal.service.class'), children: s.className },
            { key: 'fee', label: t('portal.service.fee'), children: s.fee > 0 ? money(s.fee) : t('portal.hall.free') },
            ...(s.returnsMaterials && s.courierFee > 0 ? [{ key: 'courier', label: t('portal.service.courierFee'), children: t('portal.service.courierFeeText', { fee: money(s.courierFee) }) }] : []),
            ...(s.timeLimitDays > 0 ? [{ key: 'days', label: t('portal.service.timeLimit'), children: t('portal.hall.days', { days: s.timeLimitDays }) }] : []),
            { key: 'level', label: t('portal.service.identity'), children: t(LEVELS[s.identityLevel] ?? 'portal.level.0') },
          ]}
        />
        {s.introduction && <Typography.Paragraph style={{ margin: '8px 0 0' }}>{s.introduction}</Typography.Paragraph>}
        {s.hint && <Alert type="info" showIcon title={s.hint} style={{ marginTop: 8 }} />}
      </section>

      {s.steps.length > 0 && (
        <Section id="steps" title={t('portal.service.steps')}>
          <Steps orientation="vertical" size="small" current={-1} items={s.steps.map((name) => ({ title: name }))} />
        </Section>
      )}

      {s.type === '2' && (
        <Loaded>
          <SlotsPanel number={s.number} />
        </Loaded>
      )}

      {s.guide.length > 0 && (
        <Section id="guide" title={t('portal.service.guide')}>
          <Collapse
            ghost
            items={s.guide.map((g) => ({
              key: g.item,
              label: text(g.title),
              children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{g.content}</Typography.Paragraph>,
            }))}
          />
        </Section>
      )}

      {s.offices.length > 0 && (
        <Section id="offices" title={t('portal.service.offices')}>
          {s.offices.map((o) => (
            <div key={o.code} className="portal-row">
              <span className="portal-row-main">
                <span className="portal-row-name">{o.name}</span>
                {o.address && (
                  <span className="portal-row-meta">
                    <EnvironmentOutlined aria-hidden /> {o.address}
                  </span>
                )}
                {o.phone && (
                  <span className="portal-row-meta">
                    <a href={`tel:${o.phone}`} className="portal-tel">
                      <PhoneOutlined aria-hidden /> {o.phone}
                    </a>
                  </span>
                )}
              </span>
            </div>
          ))}
        </Section>
      )}

      <div className="portal-action">
        {identity.data && identity.data.level < s.identityLevel ? (
          <>
            <Alert type="warning" showIcon title={t('portal.service.needsLevel', { required: s.identityLevel, current: identity.data.level })} style={{ marginBottom: 8 }} />
            {identity.data.processKey && (
              <Button type="primary" block size="large" onClick={() => navigate('/portal/identity')}>
                {t('portal.me.raise')}
              </Button>
            )}
          </>
        ) : (
          <Button type="primary" block size="large" onClick={() => navigate(me ? apply : `/portal/login?next=${encodeURIComponent(apply)}`)}>
            {act}
          </Button>
        )}
      </div>
    </>
  );
}
