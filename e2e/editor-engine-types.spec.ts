import { createScenario, expect, test } from './fixtures';

const modKey = process.platform === 'darwin' ? 'Meta' : 'Control';

/**
 * Workflow: write scenario code against the engine API. The editor knows `loopwright`'s types:
 * completion lists the loop's methods, hover shows their documentation, and a type error is
 * underlined.
 */
test('the editor completes and type-checks the loopwright API', async ({ workbench: page }, testInfo) => {
  const name = `types-${testInfo.project.name}-${Date.now()}`;
  const editor = page.locator('.monaco-editor');

  await createScenario(page, name);
  await expect(page.locator(`[data-testid=editor-tab][data-key="workspace/${name}.ts"]`)).toHaveAttribute('aria-selected', 'true');

  // Replace the template with code that uses the API.
  await editor.locator('.view-lines').click();
  await page.keyboard.press(`${modKey}+a`);
  await page.keyboard.insertText("import { getEventLoop, sleep } from 'loopwright';\n\nconst loop = getEventLoop();\nawait sleep(0.1);\nloop.");

  // Completion after `loop.` offers the loop's methods.
  await page.keyboard.press('Control+Space');
  const suggest = page.locator('.suggest-widget.visible');
  await expect(suggest).toBeVisible({ timeout: 20_000 });
  await page.keyboard.insertText('callSo');
  await expect(suggest.locator('.monaco-list-row').filter({ hasText: 'callSoon' }).first()).toBeVisible();
  await page.keyboard.press('Escape');

  // A wrong argument type is an error marker in the editor.
  await page.keyboard.insertText("on('not a function');\n");
  await expect(editor.locator('.squiggly-error').first()).toBeVisible({ timeout: 20_000 });

  // Fixing it clears the marker.
  await page.keyboard.press(`${modKey}+a`);
  await page.keyboard.insertText("import { getEventLoop, sleep } from 'loopwright';\n\nconst loop = getEventLoop();\nawait sleep(0.1);\nloop.callSoon(() => loop.stop());\n");
  await expect(editor.locator('.squiggly-error')).toHaveCount(0, { timeout: 20_000 });
});
