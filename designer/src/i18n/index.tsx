/**
 * Messages and formats. Every visible string comes from a catalog (zh-CN is
 * the source; en must have every key — the compiler checks it), dates and
 * times are shown in the user's own time zone, money as ¥ with two decimals.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { commonEn } from './common.en.ts';
import { commonZh } from './common.zh-CN.ts';
import type { MessageKey } from './zh-CN.ts';

export type Locale = 'zh-CN' | 'en';
export type { MessageKey };
/** A text the server sends in both languages (titles, dictionary labels). */
export type LocalizedText = Partial<Record<Locale, string>>;

/** The words every page needs; each app's own are loaded with it (loadMessages). */
const CATALOGS: Record<Locale, Partial<Record<MessageKey, string>>> = { 'zh-CN': { ...commonZh }, en: { ...commonEn } };

/** Each area's catalogs, by name: an app's chunk loads the areas it shows before it renders. */
const AREAS = {
  workbench: () => Promise.all([import('./workbench.zh-CN.ts').then((m) => m.workbenchZh), import('./workbench.en.ts').then((m) => m.workbenchEn)]),
  forms: () => Promise.all([import('./forms.zh-CN.ts').then((m) => m.formsZh), import('./forms.en.ts').then((m) => m.formsEn)]),
  admin: () => Promise.all([import('./admin.zh-CN.ts').then((m) => m.adminZh), import('./admin.en.ts').then((m) => m.adminEn)]),
  designer: () => Promise.all([import('./designer.zh-CN.ts').then((m) => m.designerZh), import('./designer.en.ts').then((m) => m.designerEn)]),
};
export type MessageArea = keyof typeof AREAS;

export async function loadMessages(...areas: MessageArea[]): Promise<void> {
  for (const [zh, english] of await Promise.all(areas.map((area) => AREAS[area]()))) addMessages(zh, english);
}

/** An area's catalogs, already at hand (the portal's come with its first script, to paint without a second round trip). */
export function addMessages(zh: Partial<Record<MessageKey, string>>, english: Partial<Record<MessageKey, string>>): void {
  Object.assign(CATALOGS['zh-CN'], zh);
  Object.assign(CATALOGS.en, english);
}
const STORAGE_KEY = 'wf.locale';

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t: Translate;
  /** The caller's language out of a server text, falling back to Chinese. */
  text(value: LocalizedText | string | undefined | null): string;
  dateTime(value: string | number | Date | null | undefined): string;
  date(value: string | number | Date | null | undefined): string;
  money(yuan: number | null | undefined): string;
  /** How long ago or how far ahead: 3 小时前 / in 2 days. */
  relative(value: string | number | Date): string;
  /** Items as a list in the language's way: 甲、乙 / A, B. */
  list(items: readonly string[]): string;
}

export function translate(locale: Locale, key: MessageKey, values?: Record<string, string | number>): string {
  const template = CATALOGS[locale][key] ?? key;
  return values ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? String(values[name]) : m)) : template;
}

function initialLocale(): Locale {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
}

/** This browser's time zone. */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The language and time zone as cookies too: the server renders signed-in
 * list pages (entry-server.tsx) and must write dates as this browser would.
 */
export const COOKIE = { locale: 'wf_locale', zone: 'wf_zone' } as const;
function rememberForServer(locale: Locale, zone: string): void {
  const attributes = '; path=/; max-age=31536000; samesite=lax';
  document.cookie = `${COOKIE.locale}=${locale}${attributes}`;
  document.cookie = `${COOKIE.zone}=${encodeURIComponent(zone)}${attributes}`;
}

const Context = createContext<I18n | null>(null);

/** `rendered`: the language and zone the server rendered the page in (otherwise this browser's; a page with no times needs no zone). */
export function I18nProvider({ children, rendered }: { children: ReactNode; rendered?: { locale: Locale; zone?: string } }) {
  const [locale, setLocaleState] = useState<Locale>(() => rendered?.locale ?? initialLocale());
  const [zone] = useState(() => rendered?.zone ?? browserZone());
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLocaleState(next);
  }, []);
  useEffect(() => rememberForServer(locale, browserZone()), [locale]);
  const value = useMemo(() => makeI18n(locale, setLocale, zone), [locale, setLocale, zone]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/** A language's and zone's formatters, made once (each costs about a millisecond; the server renders pages with them). */
const FORMATS = new Map<string, ReturnType<typeof makeFormats>>();
function makeFormats(locale: Locale, zone: string) {
  return {
    dateTime: new Intl.DateTimeFormat(locale, { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }),
    date: new Intl.DateTimeFormat(locale, { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }),
    money: new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    relative: new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }),
  };
}

export function makeI18n(locale: Locale, setLocale: (l: Locale) => void = () => undefined, zone: string = browserZone()): I18n {
  const key = `${locale} ${zone}`;
  let formats = FORMATS.get(key);
  if (!formats) FORMATS.set(key, (formats = makeFormats(locale, zone)));
  const { dateTime: dateTimeFormat, date: dateFormat, money: moneyFormat, relative: relativeFormat } = formats;
  const asDate = (v: string | number | Date) => (v instanceof Date ? v : new Date(v));
  return {
    locale,
    setLocale,
    t: (key, values) => translate(locale, key, values),
    text: (value) => (value == null ? '' : typeof value === 'string' ? value : (value[locale] ?? value['zh-CN'] ?? Object.values(value)[0] ?? '')),
    dateTime: (v) => (v == null || v === '' ? '' : dateTimeFormat.format(asDate(v))),
    date: (v) => (v == null || v === '' ? '' : dateFormat.format(asDate(v))),
    money: (yuan) => (yuan == null ? '' : moneyFormat.format(yuan).replace('CN¥', '¥')),
    list: (items) => items.join(translate(locale, 'common.listSeparator')),
    relative: (v) => {
      const minutes = Math.round((asDate(v).getTime() - Date.now()) / 60_000);
      if (Math.abs(minutes) < 60) return relativeFormat.format(minutes, 'minute');
      const hours = Math.round(minutes / 60);
      if (Math.abs(hours) < 48) return relativeFormat.format(hours, 'hour');
      return relativeFormat.format(Math.round(hours / 24), 'day');
    },
  };
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
