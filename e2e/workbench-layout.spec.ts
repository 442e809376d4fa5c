import { expect, test } from './fixtures';

/**
 * Workflow: arrange the workbench (pane sizes, theme) and find it arranged the same after a
 * reload; the run toolbar is there, and says what it needs before it can run anything.
 */
test('pane sizes and the theme are remembered; the run toolbar says it needs a scenario', async ({ workbench: page }) => {
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  const explorer = page.getByTestId('pane-explorer');
  const panel = page.getByTestId('pane-panel');
  const before = (await explorer.boundingBox())!;

  // Drag the explorer's sash 120 px to the right and the panel's sash 80 px up.
  const sash = (await page.getByTestId('sash-explorer').boundingBox())!;
  await page.mouse.move(sash.x + sash.width / 2, sash.y + 200);
  await page.mouse.down();
  await page.mouse.move(sash.x + 60, sash.y + 200, { steps: 4 });
  await page.mouse.move(sash.x + 120, sash.y + 200, { steps: 4 });
  await page.mouse.up();
  // Within a pixel: the pointer lands on half pixels of the 1 px sash.
  const near = (expected: number) => (actual: number) => Math.abs(actual - expected) <= 1;
  await expect.poll(async () => near(before.width + 120)((await explorer.boundingBox())!.width)).toBe(true);
  const panelBefore = (await panel.boundingBox())!;
  const panelSash = (await page.getByTestId('sash-panel').boundingBox())!;
  await page.mouse.move(panelSash.x + 200, panelSash.y + panelSash.height / 2);
  await page.mouse.down();
  await page.mouse.move(panelSash.x + 200, panelSash.y - 80, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => near(panelBefore.height + 80)((await panel.boundingBox())!.height)).toBe(true);
  const [explorerWidth, panelHeight] = [(await explorer.boundingBox())!.width, (await panel.boundingBox())!.height];

  // Switch to the light theme, and to the Output tab.
  await page.getByTestId('theme-light').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByTestId('panel-tab-output').click();
  await expect(page.getByTestId('pane-output')).toContainText('No run yet.');

  await page.reload();
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.getByTestId('theme-light')).toHaveAttribute('aria-checked', 'true');
  expect((await explorer.boundingBox())!.width).toBe(explorerWidth);
  expect((await panel.boundingBox())!.height).toBe(panelHeight);
  await expect(page.getByTestId('panel-tab-output')).toHaveAttribute('aria-selected', 'true');

  // Double-clicking a sash restores its default size.
  await page.getByTestId('sash-explorer').dblclick();
  await expect.poll(async () => (await explorer.boundingBox())!.width).toBe(before.width);

  // The run toolbar: every command present; with no scenario open, disabled with a tooltip saying why.
  for (const command of ['run', 'stop', 'pause', 'resume', 'stepCallback', 'stepIteration', 'runToNextTimer']) {
    const button = page.getByTestId(`run-${command}`);
    await expect(button).toBeVisible();
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute('title', /Open a scenario first/);
  }
  await expect(page.getByTestId('run-clock-real')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('status-clock')).toHaveText('Clock: real');

  // The run shortcut answers in words instead of doing nothing.
  await page.getByTestId('explorer-tree').focus();
  await page.keyboard.press(process.platform === 'darwin' ? 'Meta+Enter' : 'Control+Enter');
  await expect(page.getByTestId('notification')).toContainText('Open a scenario first');
  await page.keyboard.press('F10');
  await expect(page.getByTestId('notification')).toHaveCount(1);
});
