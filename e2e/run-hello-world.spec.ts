import { expect, test } from './fixtures';

/** Workflow: open the hello-world example, run it, read "Hello World" in Output, see the run finish. */
test('open hello-world, run it, read its output and see it finish', async ({ workbench: page }) => {
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  await page.locator('[data-testid=scenario-row][data-path="hello-world.ts"]').click();
  await expect(page.locator('[data-testid=editor-tab][data-key="library/hello-world.ts"]')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('run-run')).toHaveAttribute('aria-disabled', 'false');

  await page.getByTestId('run-run').click();

  await expect(page.getByTestId('run-state-label')).toHaveText('Finished');
  await expect(page.getByTestId('panel-tab-output')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('[data-testid=output-line][data-kind=stdout]')).toHaveText(['Hello World']);
  await expect(page.getByTestId('output')).toContainText('■ Finished');
  await expect(page.getByTestId('inspector-banner')).toContainText('Finished');
  // The loop ran one iteration: the one whose callback called stop().
  await expect(page.getByTestId('status-iteration')).toHaveText('Iteration 1');
  await expect(page.getByTestId('run-run')).toHaveAttribute('aria-disabled', 'false');
});
