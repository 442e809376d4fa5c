import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium';

/**
 * Two projects run the same specs: `browser` drives browser mode in Debian's Chromium (no browser
 * download, ever), and `electron` drives the Electron window where its binary exists and skips
 * with a one-line reason where it does not. e2e/global-setup.ts starts `npm start -- --browser`.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: { launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } },
  projects: [{ name: 'browser' }, { name: 'electron' }],
});
