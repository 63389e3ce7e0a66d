import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The demo page: `npm run demo` serves it on 127.0.0.1:5173, `npm run demo:build` writes dist/demo. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  build: { outDir: fileURLToPath(new URL('../dist/demo', import.meta.url)), emptyOutDir: true },
});
