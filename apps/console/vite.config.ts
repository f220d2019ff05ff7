import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console is a static single-page app: `vite build apps/console` writes apps/console/dist,
 * which the api serves at `/` (apps/api/src/console). `vite apps/console` serves it with hot reload
 * and forwards /api to a running api (MAILKEEP_API_URL, default the platform's default port).
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // The profile property table is shared with the services (browser-safe, no Node built-ins):
  // built from its source, so the console never needs the libraries' build output.
  resolve: {
    alias: {
      '@mailkeep/contracts/profile-table': fileURLToPath(
        new URL('../../libs/contracts/src/profiles/profile-table.ts', import.meta.url),
      ),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One bundle of React, Mantine and the pages is ~250 kB gzipped; no need to split it for an admin tool.
    chunkSizeWarningLimit: 2_000,
  },
  server: {
    proxy: { '/api': process.env.MAILKEEP_API_URL ?? 'http://127.0.0.1:8080' },
  },
});
