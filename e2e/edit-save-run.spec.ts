import { createScenario, expect, test } from './fixtures';

const modKey = process.platform === 'darwin' ? 'Meta' : 'Control';

/**
 * Workflow: write a scenario, save it, run it and read its output; change it and see the new
 * output; then introduce a syntax error: the run is refused with a clear message, the line is
 * marked in the editor, and nothing runs.
 */
test('edit, save and run a scenario; a syntax error is marked at its line and nothing runs', async ({ workbench: page }, testInfo) => {
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  const name = `edit-run-${testInfo.project.name}-${Date.now()}`;
  const editorText = await createScenario(page, name);
  const tab = page.locator(`[data-testid=editor-tab][data-key="workspace/${name}.ts"]`);
  const stdout = page.locator('[data-testid=output-line][data-kind=stdout]');

  const replaceAndSave = async (text: string) => {
    await editorText.click();
    await page.keyboard.press(`${modKey}+a`);
    await page.keyboard.insertText(text);
    await page.keyboard.press(`${modKey}+s`);
    await expect(tab).toHaveAttribute('data-dirty', 'false');
  };

  await replaceAndSave("console.log('first version');\n");
  await page.getByTestId('run-run').click();
  await expect(page.getByTestId('run-state-label')).toHaveText('Finished');
  await expect(stdout).toHaveText(['first version']);

  await replaceAndSave("console.log('second version');\n");
  await page.getByTestId('run-run').click();
  await expect(stdout).toHaveText(['second version']);
  await expect(page.getByTestId('run-state-label')).toHaveText('Finished');

  // Line 3 does not compile.
  await replaceAndSave("console.log('third version');\nconst ok = 1;\nconst = ok;\n");
  await page.getByTestId('run-run').click();
  await expect(page.getByTestId('run-state-label')).toHaveText('Not started');
  await expect(page.getByTestId('notification').filter({ hasText: 'does not compile' })).toContainText(`${name}.ts does not compile`);
  await expect(page.getByTestId('notification').filter({ hasText: 'does not compile' })).toContainText('(line 3, column 7). Nothing ran.');
  await expect(page.getByTestId('output')).toContainText('Not started: the scenario does not compile, so nothing ran.');
  await expect(stdout).toHaveCount(0);

  // A marker sits on line 3, and its message is the compiler's (Monaco's own checker may mark more).
  const lineThree = page.locator('.monaco-editor .margin-view-overlays .line-numbers', { hasText: /^3$/ });
  await expect(page.locator('.monaco-editor .squiggly-error').first()).toBeVisible();
  const lineBox = (await lineThree.boundingBox())!;
  const squiggles = await page.locator('.monaco-editor .squiggly-error').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  const onLineThree = squiggles.find((b) => Math.abs(b.y - lineBox.y) < lineBox.height / 2);
  expect(onLineThree).toBeDefined();
  // The squiggle lies under the text layer: point at it rather than hover it.
  await page.mouse.move(onLineThree!.x + onLineThree!.width / 2, onLineThree!.y + onLineThree!.height / 2);
  await expect(page.locator('.monaco-hover').filter({ hasText: 'Loopwright' }).first()).toContainText('Expected identifier but found "="');

  // The link in Output takes the cursor to the line.
  await page.getByTestId('output-link').first().click();
  await expect(page.getByTestId('status-cursor')).toHaveText('Ln 3, Col 7');
});
