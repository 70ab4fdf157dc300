/**
 * The citizen portal's start: a page of its own (portal.html), so that a
 * phone downloads the portal's code only — not the staff apps, not the
 * diagrams. Its messages come in this first script; the pages that need
 * forms load them (and the forms library) when opened.
 */
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import '../global.css';
import { addMessages } from '../i18n/index.tsx';
import { portalEn } from '../i18n/portal.en.ts';
import { portalZh } from '../i18n/portal.zh-CN.ts';
import { PortalApp } from './PortalApp.tsx';
import './portal.css';

addMessages(portalZh, portalEn);
createRoot(document.getElementById('root')!).render(
  <BrowserRouter>
    <PortalApp />
  </BrowserRouter>,
);
