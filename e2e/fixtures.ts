import { expect, test as base, chromium, _electron, type Locator, type Page } from '@playwright/test';
import path from 'node:path';
import { findElectron } from '../scripts/find-electron.cjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

/**
 * `workbench` is the app's window as a Playwright page: a Chromium tab on browser mode's URL in the
 * `browser` project, the Electron window in the `electron` project. A failing test gets a
 * screenshot of it attached.
 */
export const test = base.extend<{ workbench: Page }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the object pattern
  workbench: async ({}, use, testInfo) => {
    let page: Page;
    let close: () => Promise<void>;
    if (testInfo.project.name === 'electron') {
      const electron = findElectron();
      if (!electron.path) {
        test.skip(true, `Electron project skipped: ${electron.missing}`);
        return;
      }
      const app = await _electron.launch({ executablePath: electron.path, args: [path.resolve(__dirname, '..')] });
      page = await app.firstWindow();
      close = () => app.close();
    } else {
      const url = process.env.LOOPWRIGHT_URL;
      if (!url) throw new Error('LOOPWRIGHT_URL is not set: e2e/global-setup.ts did not run');
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
      const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
      page = await context.newPage();
      await page.goto(url);
      close = () => browser.close();
    }
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await use(page);
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('screenshot', { body: await page.screenshot(), contentType: 'image/png' });
    }
    await close();
    if (testInfo.status === testInfo.expectedStatus && problems.length > 0) {
      throw new Error(`the page logged errors:\n${problems.join('\n')}`);
    }
  },
});

export { expect };

/**
 * Creates a workspace scenario named `name` from the explorer, as a user does, and waits until the
 * editor shows its template. Returns the editor's text lines.
 */
export async function createScenario(page: Page, name: string): Promise<Locator> {
  await page.getByTestId('explorer-new').click();
  await page.getByTestId('explorer-name-input').fill(name);
  await page.getByTestId('explorer-name-input').press('Enter');
  const editorText = page.locator('.monaco-editor .view-lines');
  await expect(editorText).toContainText("from 'loopwright'");
  return editorText;
}
