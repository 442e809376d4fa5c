import { expect, test } from './fixtures';

/** Workflow: find the keyboard shortcuts with the keyboard alone, and get back to work. */
test('the help overlay opens with F1 or ?, lists the shortcuts and closes with Escape', async ({ workbench: page }) => {
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  const overlay = page.getByTestId('help-overlay');

  await page.keyboard.press('F1');
  await expect(overlay).toBeVisible();
  await expect(overlay.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeFocused();
  const mod = process.platform === 'darwin' ? '⌘' : 'Ctrl';
  for (const [id, keys] of [
    ['run', `${mod}Enter`],
    ['stop', 'ShiftF5'],
    ['pause', 'F6'],
    ['resume', 'F8'],
    ['stepCallback', 'F10'],
    ['stepIteration', 'F11orShiftF11'],
    ['runToNextTimer', 'ShiftF10'],
    ['save', `${mod}S`],
  ] as const) {
    await expect(overlay.getByTestId(`help-keys-${id}`)).toHaveText(keys);
  }
  await page.keyboard.press('Escape');
  await expect(overlay).toHaveCount(0);

  // `?` opens it too (when not typing); the close button closes it.
  await page.getByTestId('explorer-tree').focus();
  await page.keyboard.press('?');
  await expect(overlay).toBeVisible();
  await overlay.getByTestId('help-close').click();
  await expect(overlay).toHaveCount(0);
  await expect(page.getByTestId('explorer-tree')).toBeFocused();

  // In a text field `?` is just a character.
  await page.getByTestId('explorer-new').click();
  await page.getByTestId('explorer-name-input').press('?');
  await expect(overlay).toHaveCount(0);
  await expect(page.getByTestId('explorer-name-input')).toHaveValue('?');
  await page.getByTestId('explorer-name-input').press('Escape');

  // The title bar's keyboard button opens it for mouse users.
  await page.getByTestId('help-button').click();
  await expect(overlay).toBeVisible();
  await page.keyboard.press('F1');
  await expect(overlay).toHaveCount(0);
});
