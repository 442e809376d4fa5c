import { expect, test } from './fixtures';

test.describe('the workbench shell', () => {
  test('shows the run mode and versions read through host.info()', async ({ workbench }, testInfo) => {
    const mode = testInfo.project.name === 'electron' ? 'Electron' : 'Browser mode';
    await expect(workbench.getByTestId('status-connection')).toHaveText('Connected');
    await expect(workbench.getByTestId('status-mode')).toHaveText(mode);
    await expect(workbench.getByTestId('status-app-version')).toHaveText(/^Loopwright \d+\.\d+\.\d+/);
    await expect(workbench.getByTestId('status-node')).toHaveText(/^Node \d+\.\d+\.\d+$/);
    await expect(workbench.getByTestId('status-platform')).toHaveText(/^(linux|darwin|win32) \w+$/);
    if (testInfo.project.name === 'electron') {
      await expect(workbench.getByTestId('status-electron')).toHaveText(/^Electron \d+/);
    } else {
      await expect(workbench.getByTestId('status-electron')).toHaveCount(0);
    }
    for (const pane of ['explorer', 'editor', 'inspector', 'terminal']) {
      await expect(workbench.getByTestId(`pane-${pane}`)).toBeVisible();
    }
  });
});
