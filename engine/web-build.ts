/**
 * The web pages are built when they are missing or older than their sources,
 * so that `npm install` then `npm start` is all a newcomer runs. The build
 * stamp is a digest of every source file's path, size and modification time
 * (the designer's sources, the shared forms library, the lock file).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIR = path.join(ROOT, 'designer');
export const WEB_DIST = path.join(WEB_DIR, 'dist');
const STAMP = path.join(WEB_DIST, '.build-stamp');
const SOURCES = [path.join(WEB_DIR, 'src'), path.join(WEB_DIR, 'index.html'), path.join(WEB_DIR, 'vite.config.ts'), path.join(ROOT, 'forms'), path.join(ROOT, 'package-lock.json')];

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
  return existsSync(path.join(WEB_DIST, 'index.html')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === sourceDigest();
}

/** Builds the pages unless the build is current; returns whether it built. */
export async function ensureWebBuild(log: (message: string) => void = () => undefined): Promise<boolean> {
  if (webBuildIsCurrent()) return false;
  const digest = sourceDigest();
  log('building the web pages (once, or after their sources change)');
  const { build } = await import('vite');
  await build({ root: WEB_DIR, mode: 'production', configFile: path.join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(STAMP, digest);
  return true;
}
