/**
 * A handling office of the service catalog when there are many to pick from:
 * typed part of its name, its pinyin initials or the place (禹州, 魏都区), the
 * server's office search answers (`/api/catalog/offices`), kept to the
 * offices this form offers; each shown with its address.
 */
import { Select, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';
import { choicesOf } from './schema.ts';
import type { WidgetProps } from './types.ts';

interface Office {
  code: string;
  name: string;
  address: string | null;
}

export function OfficeWidget(p: WidgetProps) {
  const { t, locale } = useI18n();
  const offered = useMemo(() => choicesOf(p.schema, p.dictionaries, locale, [t('form.yes'), t('form.no')]), [p.schema, p.dictionaries, locale, t]);
  const [typed, setTyped] = useState('');
  const [found, setFound] = useState<Office[] | null>(null);
  useEffect(() => {
    let current = true;
    // A moment after the last key, so that a name typed in full asks once.
    const asking = setTimeout(() => {
      api.get<{ items: Office[] }>('/api/catalog/offices', typed.trim() ? { q: typed.trim() } : {}).then(
        (r) => current && setFound(r.items),
        () => current && setFound(null),
      );
    }, 250);
    return () => {
      current = false;
      clearTimeout(asking);
    };
  }, [typed]);
  const addresses = new Map((found ?? []).map((o) => [o.code, o.address]));
  // Without an answer (yet), every office offered; with one, those it found.
  const shown = offered.filter((c) => !typed.trim() || !found || addresses.has(String(c.value)));
  return (
    <Select
      id={p.id}
      aria-label={p.ariaLabel}
      value={(p.value ?? undefined) as string | undefined}
      onChange={(v: unknown) => p.onChange(v ?? undefined)}
      onBlur={p.onBlur}
      disabled={p.disabled}
      placeholder={t('form.placeholder.office')}
      showSearch={{ filterOption: false, onSearch: setTyped }}
      allowClear
      notFoundContent={t('form.office.none')}
      options={shown.map((c) => ({
        value: String(c.value),
        label: c.label,
        title: c.label,
        // Shown in the list: the name, and where it is.
        display: (
          <div>
            <div>{c.label}</div>
            {addresses.get(String(c.value)) && (
              <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'normal' }}>
                {addresses.get(String(c.value))}
              </Typography.Text>
            )}
          </div>
        ),
      }))}
      optionRender={(option) => option.data.display}
      style={{ width: '100%', maxWidth: 420 }}
      status={p.invalid ? 'error' : undefined}
    />
  );
}
