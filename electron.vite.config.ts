import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const pkg = JSON.parse(readFileSync(resolve(__dirname, 'package.json'), 'utf8')) as { version: string };
const define = { __APP_VERSION__: JSON.stringify(pkg.version) };

export default defineConfig({
  main: {
    define,
    build: {
      outDir: 'out/main',
      // The host must run on Node 20 in browser mode, whatever Electron's own Node is.
      target: 'node20',
      rollupOptions: {
        input: {
          main: resolve(__dirname, 'electron/main.ts'),
          // Browser mode: the same host under plain Node (scripts/start.mjs loads it).
          serve: resolve(__dirname, 'electron/serve/browser-mode.ts'),
          // The `loopwright` command line (bin/loopwright.mjs loads it).
          cli: resolve(__dirname, 'electron/host/cli/main.ts'),
        },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require npm packages: bundle everything it uses.
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve(__dirname, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    base: './',
    define,
    plugins: [vue()],
    // Monaco's workers (editor, TypeScript) are bundled as module workers: the TypeScript worker
    // is split into chunks, which the default 'iife' worker format cannot express.
    worker: { format: 'es' },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
