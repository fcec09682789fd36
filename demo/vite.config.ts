// Vite config of the demo (root: demo/). `npm run demo` serves it,
// `npm run demo:build` writes build/demo/; the browser tests build it into
// test-output/. `sparse-pursuit` resolves to this package's own dist/, as it
// would for an app that installed it (init-check.html uses that path).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    alias: [
      { find: /^sparse-pursuit$/, replacement: `${root}dist/index.js` },
      { find: /^sparse-pursuit\/release\.wasm/, replacement: `${root}build/release.wasm` },
    ],
  },
  server: { fs: { allow: [root] } },
  worker: { format: 'es' },
  build: {
    outDir: `${root}build/demo`,
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        initCheck: fileURLToPath(new URL('init-check.html', import.meta.url)),
      },
    },
  },
});
