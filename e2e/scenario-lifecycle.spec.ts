import { expect, test } from './fixtures';

const modKey = process.platform === 'darwin' ? 'Meta' : 'Control';

/**
 * Workflow: create a workspace scenario, edit it, save with Ctrl+S (the unsaved marker clears),
 * reload and find the saved text, then rename and delete it.
 */
test('create, edit, save, reload, rename and delete a workspace scenario', async ({ workbench: page }, testInfo) => {
  const name = `lifecycle-${testInfo.project.name}-${Date.now()}`;
  const editorText = page.locator('.monaco-editor .view-lines');

  // Create: the name field says what is wrong before the host is asked.
  await page.getByTestId('explorer-new').click();
  const input = page.getByTestId('explorer-name-input');
  await input.fill('../outside');
  await input.press('Enter');
  await expect(page.getByTestId('explorer-error')).toContainText('".."');
  await input.fill(name);
  await input.press('Enter');
  const row = page.locator(`[data-testid=scenario-row][data-path="${name}.ts"]`);
  await expect(row).toBeVisible();
  const tab = page.locator(`[data-testid=editor-tab][data-key="workspace/${name}.ts"]`);
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  await expect(editorText).toContainText("from 'loopwright'");

  // A name that exists is refused by the host, and the message says so.
  await page.getByTestId('explorer-new').click();
  await page.getByTestId('explorer-name-input').fill(`${name}.ts`);
  await page.getByTestId('explorer-name-input').press('Enter');
  await expect(page.getByTestId('explorer-error')).toContainText('already exists');
  await page.getByTestId('explorer-name-input').press('Escape');
  await expect(page.getByTestId('explorer-name-input')).toHaveCount(0);

  // Edit: the tab shows the unsaved marker; Ctrl+S saves and clears it.
  await tab.click();
  await editorText.click();
  await page.keyboard.press(`${modKey}+End`);
  await page.keyboard.insertText('\n// saved by the lifecycle test\n');
  await expect(tab).toHaveAttribute('data-dirty', 'true');
  await expect(tab.getByTestId('editor-tab-dirty')).toBeVisible();
  await page.keyboard.press(`${modKey}+s`);
  await expect(tab).toHaveAttribute('data-dirty', 'false');
  await expect(tab.getByTestId('editor-tab-dirty')).toHaveCount(0);

  // Reload: the saved text is what the host has.
  await page.reload();
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  await row.click();
  await expect(editorText).toContainText('// saved by the lifecycle test');

  // Rename with F2: the tab follows the file.
  await page.getByTestId('explorer-tree').focus();
  await page.keyboard.press('F2');
  const renameInput = page.getByTestId('explorer-name-input');
  await expect(renameInput).toHaveValue(`${name}.ts`);
  await renameInput.fill(`${name}-renamed.ts`);
  await renameInput.press('Enter');
  const renamedRow = page.locator(`[data-testid=scenario-row][data-path="${name}-renamed.ts"]`);
  await expect(renamedRow).toBeVisible();
  await expect(row).toHaveCount(0);
  await expect(page.locator(`[data-testid=editor-tab][data-key="workspace/${name}-renamed.ts"]`)).toBeVisible();

  // Delete asks first; Cancel keeps the file, Delete removes it and closes its tab.
  await renamedRow.hover();
  await renamedRow.getByTestId('row-delete').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText(`${name}-renamed.ts`);
  await page.getByTestId('confirm-cancel').click();
  await expect(renamedRow).toBeVisible();
  await page.getByTestId('explorer-tree').focus();
  await page.keyboard.press('Delete');
  await page.getByTestId('confirm-confirm').click();
  await expect(renamedRow).toHaveCount(0);
  await expect(page.locator(`[data-testid=editor-tab][data-key="workspace/${name}-renamed.ts"]`)).toHaveCount(0);

  // Gone on the host too.
  await page.getByTestId('explorer-refresh').click();
  await expect(page.locator('[data-testid=scenario-row]').first()).toBeVisible();
  await expect(renamedRow).toHaveCount(0);
});
