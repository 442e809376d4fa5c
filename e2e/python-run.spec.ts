import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** The workbench runs Python programs with the python3 on PATH (3.9 or newer); without one these workflows cannot run. */
const PYTHON = spawnSync('python3', ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)']);
const NO_PYTHON = PYTHON.status === 0 ? '' : 'Python workflows skipped: no python3 (3.9+) on PATH. Install python3 to run them.';

/** Set LOOPWRIGHT_DOCS_SCREENSHOTS=1 to refresh docs/python-editor.png and docs/python-notice.png. */
const DOCS = process.env.LOOPWRIGHT_DOCS_SCREENSHOTS === '1' ? path.resolve(__dirname, '..', 'docs') : null;

const stdout = (page: Page) => page.locator('[data-testid=output-line][data-kind=stdout]');
/** The rendered token of the editor whose text is exactly `text` (Monaco renders one span per token). */
const token = (page: Page, text: string) =>
  page.locator('.monaco-editor .view-line span > span').filter({ hasText: new RegExp(`^${text.replace(/ /g, '\\s')}$`) }).first();

async function openPythonHelloWorld(page: Page): Promise<void> {
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  const row = page.locator('[data-testid=scenario-row][data-path="hello-world.py"]');
  await expect(row.getByTestId('scenario-language')).toHaveText('PY');
  await row.click();
  const tab = page.locator('[data-testid=editor-tab][data-key="library/hello-world.py"]');
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  await expect(tab.getByTestId('editor-tab-language')).toHaveText('PY');
  await expect(page.getByTestId('status-language')).toHaveText('Python');
}

/**
 * Workflow: open the library's Python hello world, see it highlighted as Python and badged PY, run
 * it (the first Python run asks to acknowledge the notice), read "Hello World" in Output; run it
 * again: no notice.
 */
test('open the Python hello world, run it after the one-time notice, run it again without one', async ({ workbench: page }) => {
  test.skip(NO_PYTHON !== '', NO_PYTHON);
  if (DOCS) await page.getByTestId('theme-dark').click();
  await openPythonHelloWorld(page);

  // Python's tokenizer: keywords share a token class that names and comments do not have.
  await expect(token(page, 'import')).toBeVisible();
  const keyword = await token(page, 'import').getAttribute('class');
  expect(keyword).toMatch(/^mtk\d+/);
  expect(await token(page, 'def').getAttribute('class')).toBe(keyword);
  expect(await token(page, 'loop').getAttribute('class')).not.toBe(keyword);
  expect(await token(page, '# meta:').getAttribute('class')).not.toBe(keyword);
  expect(await token(page, "'Hello World'").getAttribute('class')).not.toBe(keyword);
  // No TypeScript language service on a Python file: its code would be all errors to it.
  await page.waitForTimeout(1500);
  await expect(page.locator('.monaco-editor .squiggly-error')).toHaveCount(0);

  // The detail selector offers tasks-only here; the notice can be read again beside it.
  await expect(page.getByTestId('run-detail-select')).toHaveValue('full');
  await expect(page.locator('[data-testid=run-detail-select] option[value=tasks]')).toBeEnabled();
  await expect(page.getByTestId('run-python-notice')).toBeVisible();
  if (DOCS) await page.screenshot({ path: path.join(DOCS, 'python-editor.png') });

  await page.getByTestId('run-run').click();
  const notice = page.getByTestId('confirm-dialog');
  await expect(notice).toContainText('Python programs run with your full rights');
  await expect(notice).toContainText('not sandboxed');
  await expect(notice).toContainText('No payloads');
  await expect(page.getByTestId('confirm-run')).toBeFocused();
  if (DOCS) await page.screenshot({ path: path.join(DOCS, 'python-notice.png') });
  await page.getByTestId('confirm-run').click();
  await expect(notice).toHaveCount(0);
  await expect(page.getByTestId('run-state-label')).toHaveText('Finished');
  await expect(stdout(page)).toHaveText(['Hello World']);

  // Again: the notice was acknowledged, the run starts at once.
  await page.getByTestId('run-run').click();
  await expect(page.getByTestId('run-state-label')).toHaveText('Finished');
  await expect(stdout(page)).toHaveText(['Hello World']);
  await expect(notice).toHaveCount(0);
});

/** Workflow: step a Python program from a paused start: the loop pauses in front of hello_world, one step runs it. */
test('start the Python hello world paused, see its callback next, step it, and the run finishes', async ({ workbench: page }) => {
  test.skip(NO_PYTHON !== '', NO_PYTHON);
  await openPythonHelloWorld(page);
  await expect(page.getByTestId('run-stepCallback')).toHaveAttribute('aria-disabled', 'false');

  // F10 with no run starts paused; the first Python run asks first (Enter accepts).
  await page.keyboard.press('F10');
  await expect(page.getByTestId('confirm-run')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-state-label')).toHaveText('Paused');
  await expect(page.getByTestId('run-state')).toHaveAttribute('title', /Paused before hello_world/);
  await expect(page.getByTestId('inspector-ready-row').first()).toContainText('hello_world');
  await expect(stdout(page)).toHaveCount(0);

  await page.keyboard.press('F10');
  await expect(stdout(page)).toHaveText(['Hello World']);
  await expect(page.getByTestId('run-state-label')).toHaveText('Finished');
});

/** Workflow: choose the detail level with the keyboard; a reload finds it chosen. */
test('choose No payloads with the keyboard, and find it chosen after a reload', async ({ workbench: page }) => {
  await openPythonHelloWorld(page);
  const select = page.getByTestId('run-detail-select');
  await select.focus();
  await page.keyboard.press('ArrowDown');
  await expect(select).toHaveValue('callbacks');
  await page.reload();
  await openPythonHelloWorld(page);
  await expect(page.getByTestId('run-detail-select')).toHaveValue('callbacks');
});
