/**
 * The bundle row: for each app, the gzip size of what a browser downloads
 * before the app's first page shows — the page's entry and the app's route
 * chunk with everything they import statically (JS and CSS), read off Vite's
 * manifest — and whether the diagram viewer stays out of it (it loads when a
 * case page opens). Budgets: the workbench's initial JS + CSS ≤ 350 KB gzip;
 * the citizen portal's (a page of its own, the service hall first) ≤ 200 KB;
 * the designer's BPMN view, bpmn-js and its properties panel included, ≤ 900 KB.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureWebBuild, PORTAL_MANIFEST, WEB_DIST } from '../../engine/web-build.ts';

interface Chunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  isEntry?: boolean;
}

const STAFF = '.vite/manifest.json';
/** What each app's first page loads: its page's entry, the app's routes and the page's own chunk — in the manifest of its page's build. */
const APPS = {
  workbench: [STAFF, ['index.html', 'src/workbench/WorkbenchRoutes.tsx', 'src/workbench/TaskListPage.tsx']],
  admin: [STAFF, ['index.html', 'src/admin/AdminRoutes.tsx']],
  // The analyst's first view of a flow: the BPMN modeler with its properties panel (bpmn-js included).
  designer: [STAFF, ['index.html', 'src/designer/DesignerRoutes.tsx', 'src/designer/BpmnPage.tsx']],
  portal: [PORTAL_MANIFEST, ['portal.html']],
} as const;
const DIAGRAM = 'src/diagram/DiagramViewer.tsx';
const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
const readManifest = (file: string) => JSON.parse(readFileSync(path.join(WEB_DIST, file), 'utf8')) as Record<string, Chunk>;

export async function benchBundle() {
  await ensureWebBuild();
  const gzipped = (file: string) => gzipSync(readFileSync(path.join(WEB_DIST, file)), { level: 9 }).length;
  /** The chunks loaded with these: their static imports, transitively. */
  const closure = (manifest: Record<string, Chunk>, roots: readonly string[]) => {
    const seen = new Set<string>();
    const visit = (key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      for (const next of manifest[key]?.imports ?? []) visit(next);
    };
    roots.forEach(visit);
    return seen;
  };
  const apps = Object.fromEntries(
    Object.entries(APPS).map(([app, [file, keys]]) => {
      const manifest = readManifest(file);
      const chunks = closure(manifest, keys);
      const js = [...chunks].map((k) => manifest[k]!.file);
      const css = [...new Set([...chunks].flatMap((k) => manifest[k]!.css ?? []))];
      const jsBytes = js.reduce((sum, f) => sum + gzipped(f), 0);
      const cssBytes = css.reduce((sum, f) => sum + gzipped(f), 0);
      return [app, { jsKb: kb(jsBytes), cssKb: kb(cssBytes), totalKb: kb(jsBytes + cssBytes), diagramIncluded: chunks.has(DIAGRAM) }];
    }),
  );
  const manifest = readManifest(STAFF);
  const diagram = closure(manifest, [DIAGRAM, ...(manifest[DIAGRAM]?.dynamicImports ?? [])]);
  const diagramKb = kb([...diagram].reduce((sum, k) => sum + gzipped(manifest[k]!.file) + (manifest[k]!.css ?? []).reduce((s, f) => s + gzipped(f), 0), 0));
  return { apps, diagramKb, budgetKb: { workbench: 350, portal: 200, designer: 900 } };
}
