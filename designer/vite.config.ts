import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * index.html holds the staff's apps — workbench, admin console, and later the
 * designer — as separate chunks loaded by route, so each loads only what it
 * uses; the diagram viewer is a chunk of its own, loaded when a case page
 * opens. The citizens' portal (portal.html) is built apart with the same
 * settings (engine/web-build.ts), so that neither page's chunks are cut to
 * suit the other's.
 */
// The root (this folder) is given by whoever runs it: `vite designer`, or engine/web-build.ts.
export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
    // Which chunks each app loads first: read by the bundle row of npm run bench.
    manifest: true,
  },
  // The server's render (entry-server.tsx, built by engine/web-build.ts) carries its libraries with it:
  // Ant Design's ES modules do not load in Node as they are published.
  ssr: { noExternal: true },
  server: {
    // npm run dev: hot reload here, the API from the running server.
    proxy: { '/api': 'http://127.0.0.1:3000', '/sim': 'http://127.0.0.1:3000' },
  },
});
