import { expect, test } from './fixtures';

/**
 * Workflow: a learner browses the scenario library with the keyboard, reads what an example shows,
 * opens it (read-only), and copies it into the workspace to change it.
 */
test('browse the library with the keyboard, open an example and copy it to the workspace', async ({ workbench: page }) => {
  const tree = page.getByTestId('explorer-tree');
  await expect(page.getByTestId('explorer-group-library')).toBeVisible();
  await expect(page.getByTestId('explorer-group-workspace')).toBeVisible();
  const examples = page.locator('[data-testid=scenario-row][data-location=library]');
  await expect(examples.first()).toBeVisible();
  test.skip((await examples.count()) < 2, 'the library (scenarios/examples) has fewer than two examples');

  // Arrow keys move through the tree; the details show the selected example's description.
  await tree.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await expect(examples.nth(0)).toHaveAttribute('aria-selected', 'true');
  const firstTitle = await page.getByTestId('details-title').textContent();
  await page.keyboard.press('ArrowDown');
  await expect(examples.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(examples.nth(0)).toHaveAttribute('aria-selected', 'false');
  await expect(page.getByTestId('details-title')).not.toHaveText(firstTitle ?? '');
  await expect(page.getByTestId('details-description')).not.toBeEmpty();

  // Enter opens it in the editor, read-only, with the way out offered.
  const path = await examples.nth(1).getAttribute('data-path');
  await page.keyboard.press('Enter');
  const tab = page.locator(`[data-testid=editor-tab][data-key="library/${path}"]`);
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('editor-readonly-notice')).toBeVisible();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('loopwright');

  // Typing changes nothing in a library example.
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.type('zzz');
  await expect(page.locator('.monaco-editor .view-lines')).not.toContainText('zzz');
  await expect(tab).toHaveAttribute('data-dirty', 'false');

  // Copy to workspace: a writable copy opens, and the workspace lists it.
  await page.getByTestId('editor-copy').click();
  const copy = page.locator('[data-testid=scenario-row][data-location=workspace]').filter({ hasText: path!.replace(/\.ts$/, '') });
  await expect(copy.first()).toBeVisible();
  const copyPath = await copy.first().getAttribute('data-path');
  await expect(page.locator(`[data-testid=editor-tab][data-key="workspace/${copyPath}"]`)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('editor-readonly-notice')).toHaveCount(0);
  await expect(page.getByTestId('notification').filter({ hasText: 'Copied to your workspace' })).toBeVisible();
});
