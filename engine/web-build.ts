/**
 * The web pages are built when they are missing or older than their sources,
 * so that `npm install` then `npm start` is all a newcomer runs. The build
 * stamp is a digest of every source file's path, size and modification time
 * (the designer's sources, the shared forms library, the lock file). Two
 * builds: the browser's (designer/dist, served as files), itself two — the
 * staff's page and the citizens' portal —, and the server's renders of
 * signed-in list pages and of the portal's hall (designer/dist-server, never
 * served).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIR = path.join(ROOT, 'designer');
export const WEB_DIST = path.join(WEB_DIR, 'dist');
export const WEB_SERVER_DIST = path.join(WEB_DIR, 'dist-server');
/** The server's renders, as built: see designer/src/entry-server.tsx and designer/src/portal/entry-server.tsx. */
export const WEB_RENDERER = path.join(WEB_SERVER_DIST, 'entry-server.js');
export const PORTAL_RENDERER = path.join(WEB_SERVER_DIST, 'portal-server.js');
const STAMP = path.join(WEB_DIST, '.build-stamp');
/** The portal's build manifest, beside the staff page's .vite/manifest.json. */
export const PORTAL_MANIFEST = '.vite/portal-manifest.json';
const SOURCES = [
  path.join(WEB_DIR, 'src'),
  path.join(WEB_DIR, 'public'),
  path.join(WEB_DIR, 'index.html'),
  path.join(WEB_DIR, 'portal.html'),
  path.join(WEB_DIR, 'vite.config.ts'),
  path.join(ROOT, 'forms'),
  path.join(ROOT, 'package-lock.json'),
  fileURLToPath(import.meta.url),
];

function sourceDigest(): string {
  const hash = createHash('sha256');
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) for (const name of readdirSync(p).sort()) walk(path.join(p, name));
    else hash.update(`${path.relative(ROOT, p)}\0${s.size}\0${s.mtimeMs}\n`);
  };
  SOURCES.forEach(walk);
  return hash.digest('hex');
}

export function webBuildIsCurrent(): boolean {
  return existsSync(path.join(WEB_DIST, 'index.html')) && existsSync(WEB_RENDERER) && existsSync(PORTAL_RENDERER) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === sourceDigest();
}

/** Builds the pages unless the build is current; returns whether it built. */
export async function ensureWebBuild(log: (message: string) => void = () => undefined): Promise<boolean> {
  if (webBuildIsCurrent()) return false;
  const digest = sourceDigest();
  log('building the web pages (once, or after their sources change)');
  const { build } = await import('vite');
  const common = { root: WEB_DIR, mode: 'production', configFile: path.join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' } as const;
  await build(common);
  // The portal on its own: shared code cut into chunks for both pages made each page's first download bigger (the workbench's by 13 KB).
  await build({ ...common, build: { emptyOutDir: false, manifest: PORTAL_MANIFEST, rollupOptions: { input: path.join(WEB_DIR, 'portal.html') } } });
  compressAssets(path.join(WEB_DIST, 'assets'));
  // The libraries' production code, as in the browser: React's, and Ant Design's class names, must match for hydration.
  const production = { 'process.env.NODE_ENV': JSON.stringify('production') };
  const renderers = { 'entry-server': 'src/entry-server.tsx', 'portal-server': 'src/portal/entry-server.tsx' };
  await build({ ...common, define: production, build: { ssr: true, outDir: WEB_SERVER_DIST, emptyOutDir: true, manifest: false, copyPublicDir: false, rollupOptions: { input: renderers } } });
  writeFileSync(STAMP, digest);
  return true;
}

/** Text assets of a kilobyte or more. */
const COMPRESSIBLE = /\.(js|css|svg|json)$/;

/**
 * Each text asset also as .br and .gz beside it, compressed once at build
 * time at the strongest settings (about three seconds for all of them), for
 * engine/http/web.ts to send to browsers that accept them.
 */
function compressAssets(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!COMPRESSIBLE.test(name)) continue;
    const file = path.join(dir, name);
    const bytes = readFileSync(file);
    if (bytes.length < 1024) continue;
    writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
    writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
  }
}
