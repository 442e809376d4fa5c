import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';

const alias = { loopwright: fileURLToPath(new URL('./electron/engine/index.ts', import.meta.url)) };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          environment: 'node',
          globalSetup: ['./vitest.global-setup.mts'],
          include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'scenarios/**/*.test.ts', 'scripts/**/*.test.ts', 'eslint-rules/**/*.test.mjs'],
        },
      },
      {
        plugins: [vue()],
        resolve: { alias },
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['renderer/**/*.test.ts'],
        },
      },
    ],
  },
});
