/** Pieces several portal pages show: a titled section, and the clerk's correction request. */
import { Alert } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/index.tsx';

/** A white card of the page with its heading (`id` names it for the section's label). */
export function Section({ id, title, children }: { id: string; title: ReactNode; children: ReactNode }) {
  return (
    <section className="portal-section" aria-labelledby={id}>
      <h2 className="portal-section-title" id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}

/** What the review found wrong, in the clerk's words, while the case waits for its correction; nothing otherwise. */
export function CorrectionRequest({ variables }: { variables: Record<string, unknown> }) {
  const { t } = useI18n();
  const items = variables.reviewResult === 'correction' && Array.isArray(variables.correctionItems) ? (variables.correctionItems as string[]) : [];
  if (!items.length) return null;
  const comment = typeof variables.reviewComment === 'string' ? variables.reviewComment : '';
  return (
    <Alert
      type="warning"
      showIcon
      title={t('portal.case.correction')}
      description={
        <>
          <ul style={{ margin: '4px 0', paddingInlineStart: 18 }}>
            {items.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          {comment && <div>{t('portal.case.clerkSays', { text: comment })}</div>}
        </>
      }
      style={{ marginBottom: 12 }}
    />
  );
}
