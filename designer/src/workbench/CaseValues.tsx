/** The case's values the viewer may see, formatted: yes/no, lists, money-like numbers as they are. */
import { Descriptions, Empty } from 'antd';
import type { Instance } from '../api/records.ts';
import { useI18n } from '../i18n/index.tsx';

export function CaseValues({ instance }: { instance: Instance }) {
  const { t } = useI18n();
  const entries = Object.entries(instance.variables);
  if (!entries.length) return <Empty description={t('case.noValues')} />;
  const show = (value: unknown): string => {
    if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
    if (value === null || value === undefined) return '';
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  };
  return (
    <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
      {entries.map(([name, value]) => (
        <Descriptions.Item key={name} label={name}>
          <span style={{ wordBreak: 'break-all' }}>{show(value)}</span>
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}
