/**
 * The citizen portal's start: a page of its own (portal.html), so that a
 * phone downloads the portal's code only — not the staff apps, not the
 * diagrams. Its messages come in this first script; the pages that need
 * forms load them (and the forms library) when opened. The service hall
 * comes rendered by the server (entry-server.tsx) and is hydrated with the
 * answer it was rendered with; any other page is rendered here.
 */
import { createRoot, hydrateRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import '../global.css';
import { PRELOAD_ELEMENT_ID } from '../api/preload.tsx';
import { addMessages } from '../i18n/index.tsx';
import { portalEn } from '../i18n/portal.en.ts';
import { portalZh } from '../i18n/portal.zh-CN.ts';
import { PortalApp, type PortalRendered } from './PortalApp.tsx';
import './portal.css';

addMessages(portalZh, portalEn);
const root = document.getElementById('root')!;
const text = document.getElementById(PRELOAD_ELEMENT_ID)?.textContent;
const rendered = text ? (JSON.parse(text) as PortalRendered) : undefined;
const page = (
  <BrowserRouter>
    <PortalApp rendered={rendered} />
  </BrowserRouter>
);
if (rendered) hydrateRoot(root, page);
else createRoot(root).render(page);
