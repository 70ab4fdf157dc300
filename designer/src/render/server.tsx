/**
 * What the server's renders of pages share (the workbench's signed-in lists,
 * entry-server.tsx; the portal's service hall, portal/entry-server.tsx): the
 * request they are given, the page they give back, and the render itself —
 * every part in place, or nothing.
 */
import { extractStyle, StyleProvider, type createCache } from '@ant-design/cssinjs';
import type { ReactNode } from 'react';
import { prerender } from 'react-dom/static';
import { PRELOAD_ELEMENT_ID } from '../api/preload.tsx';
import { COOKIE, type Locale } from '../i18n/index.tsx';

export interface RenderRequest {
  /** Path and query of the page asked for. */
  url: string;
  /** The request's Cookie header. */
  cookies: string;
  /** A GET of the server's own API as this visitor, in their language; rejects unless it answers 2xx. */
  get(path: string, locale: Locale): Promise<unknown>;
}

export interface RenderedPage {
  /** Ant Design's styles as <style> elements: all generated so far, which includes this page's. */
  styles: string;
  /** Into the root element: the page. */
  root: string;
  /** After the root element: the answers it was rendered with, as a JSON data block. */
  after: string;
}

/** A Cookie header's values by name. */
export const cookieValues = (header: string) => new URLSearchParams(header.replace(/;\s*/g, '&'));

/** The language the visitor's pages last ran in (Chinese unless they chose English). */
export const localeOf = (cookies: URLSearchParams): Locale => (cookies.get(COOKIE.locale) === 'en' ? 'en' : 'zh-CN');

type StyleCache = ReturnType<typeof createCache>;

/**
 * The page rendered with Ant Design's styles kept in `styles`, and the answers
 * it was rendered with (`state`) as the data block the browser hydrates from.
 */
export async function renderPage(page: ReactNode, styles: StyleCache, state: unknown): Promise<RenderedPage> {
  // A part that fails on the server would be rendered by the browser with an error: the whole page goes out unrendered instead.
  let failure: unknown = null;
  // Every part in place (React would otherwise send large parts after the frame, with inline scripts to move them: the pages' policy refuses those).
  const { prelude } = await prerender(<StyleProvider cache={styles}>{page}</StyleProvider>, { onError: (err) => void (failure ??= err), progressiveChunkSize: Number.POSITIVE_INFINITY });
  if (failure) throw failure;
  const html = await new Response(prelude).text();
  if (/<script/.test(html)) throw new Error('the rendered page holds a script');
  // "<" written as \u003c: no text in the answers can close the data block.
  const data = JSON.stringify(state).replace(/</g, '\\u003c');
  return { styles: extractStyle(styles), root: html, after: `<script type="application/json" id="${PRELOAD_ELEMENT_ID}">${data}</script>` };
}
