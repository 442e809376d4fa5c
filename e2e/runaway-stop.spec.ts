import { createScenario, expect, test } from './fixtures';

const modKey = process.platform === 'darwin' ? 'Meta' : 'Control';

/**
 * Workflow: a scenario that never yields (`while (true) {}`) runs in its own worker; the workbench
 * stays responsive while it spins (panels switch, sections fold), and Stop ends it.
 */
test('a runaway while (true) loop: the UI stays responsive and Stop ends it', async ({ workbench: page }, testInfo) => {
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  const name = `runaway-${testInfo.project.name}-${Date.now()}`;
  const editorText = await createScenario(page, name);
  await editorText.click();
  await page.keyboard.press(`${modKey}+a`);
  await page.keyboard.insertText('while (true) {}\n');

  await page.getByTestId('run-run').click();
  await expect(page.getByTestId('run-state-label')).toHaveText('Running');

  // While it spins, the rest of the workbench answers.
  await page.getByTestId('panel-tab-timeline').click();
  await expect(page.getByTestId('pane-timeline')).toBeVisible();
  await expect(page.getByTestId('event-log-filter')).toBeEditable();
  await page.getByTestId('event-log-filter').fill('loop');
  await expect(page.getByTestId('event-log-filter')).toHaveValue('loop');
  const tasks = page.getByTestId('inspector-tasks').getByRole('button');
  await tasks.click();
  await expect(tasks).toHaveAttribute('aria-expanded', 'false');
  await tasks.click();
  await expect(tasks).toHaveAttribute('aria-expanded', 'true');
  await page.getByTestId('panel-tab-output').click();
  await expect(page.getByTestId('run-state-label')).toHaveText('Running');

  await page.getByTestId('run-stop').click();
  await expect(page.getByTestId('run-state-label')).toHaveText('Stopped');
  await expect(page.getByTestId('output')).toContainText('■ Stopped');
  await expect(page.getByTestId('run-run')).toHaveAttribute('aria-disabled', 'false');
});
