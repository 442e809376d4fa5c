import { expect, test } from './fixtures';

/** Workflow: the future example on the virtual clock: sleep(2) passes at once, and loop time reads 2. */
test('the future example on the virtual clock finishes with loop time 2.000', async ({ workbench: page }) => {
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  await page.locator('[data-testid=scenario-row][data-path="future.ts"]').click();
  await expect(page.getByTestId('run-run')).toHaveAttribute('aria-disabled', 'false');
  await page.getByTestId('run-clock-virtual').click();
  await expect(page.getByTestId('run-clock-virtual')).toHaveAttribute('aria-checked', 'true');

  await page.getByTestId('run-run').click();

  await expect(page.getByTestId('run-state-label')).toHaveText('Finished');
  await expect(page.locator('[data-testid=output-line][data-kind=stdout]')).toHaveText(['Future Completed']);
  await expect(page.getByTestId('status-clock')).toHaveText('Clock: virtual');
  await expect(page.getByTestId('status-loop-time')).toHaveText('t = 2.000');
});
