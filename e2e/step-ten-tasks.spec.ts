import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const readyRows = (page: Page) => page.getByTestId('inspector-ready-row');
const taskRow = (page: Page, name: string) => page.locator(`[data-testid=inspector-task-row][data-name="${name}"]`);
const stdout = (page: Page) => page.locator('[data-testid=output-line][data-kind=stdout]');

/**
 * Workflow: step through the ten-tasks example from a paused start. Each step runs one callback;
 * the ready queue and the tasks change as asyncio says: creating a task only queues its first step,
 * so "Tasks Completed" comes first, then one "Processing n" per step.
 */
test('step through ten-tasks one callback at a time', async ({ workbench: page }) => {
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  await page.locator('[data-testid=scenario-row][data-path="ten-tasks.ts"]').click();
  await expect(page.getByTestId('run-stepCallback')).toHaveAttribute('aria-disabled', 'false');
  // The example's meta asks for the virtual clock, and the toolbar offers it.
  await expect(page.getByTestId('run-clock-virtual')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('run-clock')).toHaveAttribute('title', /Virtual: this scenario’s default/);

  // With no run, F10 starts the scenario paused before its first callback: Task-1's first step.
  await page.keyboard.press('F10');
  await expect(page.getByTestId('run-state-label')).toHaveText('Paused');
  await expect(readyRows(page)).toHaveCount(1);
  await expect(readyRows(page).first()).toContainText('Task.step(Task-1)');
  await expect(readyRows(page).first()).toHaveAttribute('data-next', 'true');
  await expect(taskRow(page, 'Task-1')).toHaveAttribute('data-state', 'ready');
  await expect(stdout(page)).toHaveCount(0);

  // One step: the coroutine creates ten tasks (ten steps queued), prints, and awaits sleep(2).
  await page.keyboard.press('F10');
  await expect(page.getByTestId('inspector-ready-count')).toHaveText('10');
  await expect(page.getByTestId('run-state-label')).toHaveText('Paused');
  await expect(readyRows(page).first()).toContainText('Task.step(Task-2)');
  await expect(readyRows(page).first()).toHaveAttribute('data-next', 'true');
  await expect(taskRow(page, 'Task-1')).toHaveAttribute('data-state', 'pending');
  await expect(taskRow(page, 'Task-1')).toContainText('awaits sleep(2)');
  await expect(page.locator('[data-testid=inspector-task-future-row][data-name="sleep"]')).toHaveCount(1);
  await expect(page.getByTestId('inspector-timers-count')).toHaveText('1');
  await expect(stdout(page)).toHaveText(['Tasks Completed']);

  // Each further step runs the next task's only step: it prints and is done. After the last one
  // nothing else is ready, so the virtual clock jumps to the timer of sleep(2) and queues its callback.
  for (let n = 0; n < 10; n++) {
    await page.keyboard.press('F10');
    await expect(page.getByTestId('inspector-ready-count')).toHaveText(n < 9 ? String(9 - n) : '1');
    await expect(page.getByTestId('run-state-label')).toHaveText('Paused');
    await expect(stdout(page).last()).toHaveText(`Processing ${n}`);
    await expect(taskRow(page, `Task-${n + 2}`)).toHaveCount(0);
    if (n < 9) await expect(readyRows(page).first()).toContainText(`Task.step(Task-${n + 3})`);
  }
  await expect(stdout(page)).toHaveCount(11);
  await expect(page.getByTestId('inspector-tasks-count')).toHaveText('1');

  // The loop pauses again in front of the next callback: the timer of sleep(2), at loop time 2.
  await expect(page.getByTestId('status-clock')).toHaveText('Clock: virtual');
  await expect(page.getByTestId('status-loop-time')).toHaveText('t = 2.000');
  await expect(readyRows(page).first()).toHaveAttribute('data-next', 'true');
  await expect(readyRows(page).first()).toContainText('setResultUnlessCancelled');
  // Resume: the timer's callback completes sleep(2), Task-1 finishes, the run ends.
  await page.keyboard.press('F8');
  await expect(page.getByTestId('run-state-label')).toHaveText('Finished');
  await expect(stdout(page).last()).toHaveText('Processing 9');
});
