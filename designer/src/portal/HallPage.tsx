/**
 * 办事大厅: the business classes with their logos and open services, and a
 * search box that finds a service by part of its name or its pinyin or wubi
 * initials (禁行 → jx). Appointment and query-only services are marked.
 */
import { RightOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Empty, Input, Skeleton, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/client.ts';
import { errorText, useLoad } from '../api/load.ts';
import { usePreloaded } from '../api/preload.tsx';
import { useI18n } from '../i18n/index.tsx';
import { Section } from './parts.tsx';
import type { HallClass, HallService } from './types.ts';

/** Part of the name, or part of its pinyin or wubi initials, case aside. */
function matches(service: HallService, typed: string): boolean {
  const q = typed.trim().toLowerCase();
  if (!q) return true;
  return [service.name, service.pinyin, service.wubi].some((text) => (text ?? '').toLowerCase().includes(q));
}

export function ServiceTags({ service }: { service: Pick<HallService, 'type'> }) {
  const { t } = useI18n();
  if (service.type === '2') return <Tag color="orange">{t('portal.type.appointment')}</Tag>;
  if (service.type === '3') return <Tag color="cyan">{t('portal.type.query')}</Tag>;
  return null;
}

/** The hall's answer: what the server renders the hall with (entry-server.tsx). */
export const HALL = '/api/hall';

export function HallPage() {
  const { t, money } = useI18n();
  const rendered = usePreloaded<{ classes: HallClass[] }>(HALL)?.classes;
  const hall = useLoad(() => api.get<{ classes: HallClass[] }>(HALL).then((r) => r.classes), [], rendered);
  const [typed, setTyped] = useState('');
  const shown = useMemo(() => (hall.data ?? []).map((cls) => ({ ...cls, services: cls.services.filter((s) => matches(s, typed)) })).filter((cls) => cls.services.length > 0), [hall.data, typed]);

  return (
    <>
      <h1 className="portal-title">{t('portal.hall.title')}</h1>
      <Input
        size="large"
        allowClear
        prefix={<SearchOutlined aria-hidden />}
        placeholder={t('portal.hall.search')}
        aria-label={t('portal.hall.search')}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        style={{ marginBottom: 12 }}
      />
      {hall.error ? <Alert type="error" showIcon title={errorText(hall.error, t)} /> : null}
      {hall.loading && !hall.data ? <Skeleton active paragraph={{ rows: 6 }} /> : null}
      {hall.data && shown.length === 0 ? <Empty description={typed ? t('portal.hall.noMatch', { typed }) : t('portal.hall.empty')} /> : null}
      {shown.map((cls) => (
        <Section
          key={cls.code}
          id={`class-${cls.code}`}
          title={
            <>
              {cls.logo && <img src={cls.logo} alt="" />}
              {cls.name}
            </>
          }
        >
          {cls.services.map((s) => (
            <Link key={s.number} to={`/portal/services/${s.number}`} className="portal-row">
              <span className="portal-row-main">
                <span className="portal-row-name">
                  {s.name} <ServiceTags service={s} />
                </span>
                <span className="portal-row-meta">
                  {s.fee > 0 ? t('portal.hall.fee', { fee: money(s.fee) }) : t('portal.hall.free')}
                  {s.timeLimitDays > 0 && ` · ${t('portal.hall.days', { days: s.timeLimitDays })}`}
                </span>
              </span>
              <RightOutlined className="portal-row-chevron" aria-hidden />
            </Link>
          ))}
        </Section>
      ))}
    </>
  );
}
