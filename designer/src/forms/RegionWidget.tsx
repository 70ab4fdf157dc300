/**
 * A region (GB/T 2260 code) chosen in a cascader built from the field's
 * region dictionary: counties under their city, cities under their province,
 * as far as the dictionary holds them. Any level may be chosen: each item of
 * the dictionary is a valid value.
 */
import { Cascader } from 'antd';
import { useMemo } from 'react';
import { useI18n } from '../i18n/index.tsx';
import type { DictionaryItem } from './dictionaries.ts';
import type { WidgetProps } from './types.ts';

interface RegionOption {
  value: string;
  label: string;
  disabled?: boolean;
  children?: RegionOption[];
}

/** The codes above a region code, nearest first: 411024 → 411000, 410000. */
function parents(code: string): string[] {
  if (!/^\d{6}$/.test(code)) return [];
  const city = `${code.slice(0, 4)}00`;
  const province = `${code.slice(0, 2)}0000`;
  return [city, province].filter((c) => c !== code && !(c === city && code.endsWith('00')));
}

export function regionTree(items: DictionaryItem[], locale: 'zh-CN' | 'en', keep: unknown): { options: RegionOption[]; pathOf: Map<string, string[]> } {
  const offered = items.filter((i) => !i.disabled || i.value === keep);
  const byCode = new Map<string, RegionOption>(offered.map((i) => [i.value, { value: i.value, label: i.label[locale] ?? i.label['zh-CN'] ?? i.value, ...(i.disabled && { disabled: true }) }]));
  const parentOf = new Map<string, string | null>();
  for (const code of byCode.keys()) parentOf.set(code, parents(code).find((p) => byCode.has(p)) ?? null);
  const roots: RegionOption[] = [];
  for (const [code, option] of byCode) {
    const parent = parentOf.get(code);
    const holder = parent ? byCode.get(parent) : undefined;
    if (holder) (holder.children ??= []).push(option);
    else roots.push(option);
  }
  const pathOf = new Map<string, string[]>();
  for (const code of byCode.keys()) {
    const path = [code];
    for (let up = parentOf.get(code); up; up = parentOf.get(up)) path.unshift(up);
    pathOf.set(code, path);
  }
  return { options: roots, pathOf };
}

export function RegionWidget(p: WidgetProps) {
  const { locale, t, text } = useI18n();
  const key = p.schema['x-dictionary'];
  const items = typeof key === 'string' ? p.dictionaries?.[key]?.items : undefined;
  const { options, pathOf } = useMemo(() => regionTree(items ?? [], locale, p.value), [items, locale, p.value]);
  const value = typeof p.value === 'string' ? (pathOf.get(p.value) ?? [p.value]) : undefined;
  return (
    <Cascader
      id={p.id}
      aria-label={p.ariaLabel}
      options={options}
      value={value}
      onChange={(path) => p.onChange(Array.isArray(path) && path.length ? path[path.length - 1] : undefined)}
      changeOnSelect
      showSearch
      disabled={p.disabled}
      placeholder={p.ui?.placeholder ? text(p.ui.placeholder) : t('form.placeholder.region')}
      loading={p.dictionaries === null}
      style={{ width: '100%', maxWidth: 420 }}
      status={p.invalid ? 'error' : undefined}
      onBlur={p.onBlur}
    />
  );
}
