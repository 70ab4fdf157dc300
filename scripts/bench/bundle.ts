/**
 * The bundle row: for each app, the gzip size of what a browser downloads
 * before the app's first page shows — the page's entry and the app's route
 * chunk with everything they import statically (JS and CSS), read off Vite's
 * manifest — and whether the diagram viewer stays out of it (it loads when a
 * case page opens). Budget: the workbench's initial JS + CSS ≤ 350 KB gzip.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureWebBuild, WEB_DIST } from '../../engine/web-build.ts';

interface Chunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  isEntry?: boolean;
}

/** What each app's first page loads: the app's routes and the page's own chunk. */
const APPS = { workbench: ['src/workbench/WorkbenchRoutes.tsx', 'src/workbench/TaskListPage.tsx'], admin: ['src/admin/AdminRoutes.tsx'] } as const;
const DIAGRAM = 'src/diagram/DiagramViewer.tsx';
const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

export async function benchBundle() {
  await ensureWebBuild();
  const manifest = JSON.parse(readFileSync(path.join(WEB_DIST, '.vite', 'manifest.json'), 'utf8')) as Record<string, Chunk>;
  const gzipped = (file: string) => gzipSync(readFileSync(path.join(WEB_DIST, file)), { level: 9 }).length;
  /** The chunks loaded with these: their static imports, transitively. */
  const closure = (roots: string[]) => {
    const seen = new Set<string>();
    const visit = (key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      for (const next of manifest[key]?.imports ?? []) visit(next);
    };
    roots.forEach(visit);
    return seen;
  };
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
  const apps = Object.fromEntries(
    Object.entries(APPS).map(([app, keys]) => {
      const chunks = closure([entry, ...keys]);
      const js = [...chunks].map((k) => manifest[k]!.file);
      const css = [...new Set([...chunks].flatMap((k) => manifest[k]!.css ?? []))];
      const jsBytes = js.reduce((sum, f) => sum + gzipped(f), 0);
      const cssBytes = css.reduce((sum, f) => sum + gzipped(f), 0);
      return [app, { jsKb: kb(jsBytes), cssKb: kb(cssBytes), totalKb: kb(jsBytes + cssBytes), diagramIncluded: chunks.has(DIAGRAM) }];
    }),
  );
  const diagram = closure([DIAGRAM, ...(manifest[DIAGRAM]?.dynamicImports ?? [])]);
  const diagramKb = kb([...diagram].reduce((sum, k) => sum + gzipped(manifest[k]!.file) + (manifest[k]!.css ?? []).reduce((s, f) => s + gzipped(f), 0), 0));
  return { apps, diagramKb, budgetKb: { workbench: 350 } };
}
