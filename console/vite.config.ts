import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The console builds into dist/console, which the API serves at `/`. No inline scripts (CSP script-src 'self'). */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // The module preload helper would be inlined otherwise only in dev; keep everything in files.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: true,
  },
  server: {
    // `npx vite console` for development: the API runs on its own port.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
