/**
 * A service page's parts: a menu down the side on wide screens (a dozen parts
 * do not fit a row of tabs, and a tab bar's overflow button is not a tab),
 * a choice list above the part on phones. Only the chosen part is shown.
 */
import { Grid, Menu, Select } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/index.tsx';

export interface Section {
  key: string;
  /** The menu's label (with its marks); `text` the same in words, for the phone's list. */
  label: ReactNode;
  text: string;
  content: () => ReactNode;
}

export interface SectionGroup {
  title: string;
  sections: Section[];
}

export function Sections({ groups, active, onChange }: { groups: SectionGroup[]; active: string; onChange(key: string): void }) {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const all = groups.flatMap((g) => g.sections);
  const current = all.find((s) => s.key === active) ?? all[0];
  if (screens.lg === false)
    return (
      <>
        <Select
          aria-label={t('admin.catalog.sections')}
          value={current?.key}
          onChange={onChange}
          style={{ width: '100%', marginBottom: 12 }}
          options={groups.map((g) => ({ label: g.title, title: g.title, options: g.sections.map((s) => ({ value: s.key, label: s.text })) }))}
        />
        {current?.content()}
      </>
    );
  return (
    <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start' }}>
      <nav aria-label={t('admin.catalog.sections')} className="wf-sections">
        <Menu
          mode="inline"
          selectedKeys={current ? [current.key] : []}
          onClick={({ key }) => onChange(key)}
          items={groups.map((g, i) => ({ key: `group-${i}`, type: 'group' as const, label: g.title, children: g.sections.map((s) => ({ key: s.key, label: s.label })) }))}
        />
      </nav>
      <div style={{ flex: 1, minWidth: 0 }}>{current?.content()}</div>
    </div>
  );
}
