import { expect, test } from './fixtures';

/**
 * Workflow: run the interactive line server, connect to it from the terminal (like netcat), type a
 * line and read the echo; the server's side of the connection has its own tab with both directions.
 */
test('connect to the line server from the terminal, type a line and see the echo', async ({ workbench: page }, testInfo) => {
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  await page.locator('[data-testid=scenario-row][data-path="line-server.ts"]').click();
  await expect(page.getByTestId('run-run')).toHaveAttribute('aria-disabled', 'false');
  await page.getByTestId('run-run').click();
  await expect(page.getByTestId('output')).toContainText('listening on 127.0.0.1:');
  const port = /listening on 127\.0\.0\.1:(\d+)/.exec(await page.getByTestId('output').innerText())![1];

  try {
    await page.getByTestId('panel-tab-terminal').click();
    await page.getByTestId('terminal-connect').click();
    // The form offers the port the run listens on.
    await expect(page.getByTestId('terminal-connect-port')).toHaveValue(port);
    await page.getByTestId('terminal-connect-submit').click();

    const hostTab = page.locator('[data-testid=terminal-tab][data-kind=host]');
    await expect(hostTab).toHaveAttribute('aria-selected', 'true');
    await expect(hostTab).toContainText(`:${port}`);
    const screen = page.getByTestId('terminal-view').locator('.xterm-rows');
    await expect(screen).toContainText('← Welcome to the Loopwright line server');

    await page.getByTestId('terminal-view').click();
    await page.keyboard.type('hello loop');
    await page.keyboard.press('Enter');
    await expect(screen).toContainText('→ hello loop');
    await expect(screen).toContainText('← echo: hello loop');

    // The server's end of the connection: what it received and what it sent back.
    const serverTab = page.locator('[data-testid=terminal-tab][data-kind=tcp]');
    await expect(serverTab).toHaveCount(1);
    await serverTab.click();
    await expect(screen).toContainText('← hello loop');
    await expect(screen).toContainText('→ echo: hello loop');
    await expect(page.getByTestId('inspector-transport-row')).toHaveCount(1);

    // The same traffic as hex.
    await page.getByTestId('terminal-view-hex').click();
    await expect(screen).toContainText('68 65 6c 6c 6f 20 6c 6f');
    await page.getByTestId('terminal-view-text').click();

    // Search finds the echo.
    await page.getByTestId('terminal-find').click();
    await page.getByTestId('terminal-search-input').fill('echo:');
    await expect(page.getByTestId('terminal-search-result')).toContainText('of');
    await page.getByTestId('terminal-search-input').press('Escape');

    // Copy takes the selection (the search left its match selected), or everything when nothing is
    // selected. Browser mode's page gets clipboard access granted; Electron's window has it.
    if (testInfo.project.name === 'browser') await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByTestId('terminal-copy').click();
    await expect(page.getByTestId('notification').filter({ hasText: 'Selection copied' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('echo:');
    await page.getByTestId('terminal-view').click();
    await page.getByTestId('terminal-copy').click();
    await expect(page.getByTestId('notification').filter({ hasText: 'Terminal text copied' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('→ echo: hello loop');
  } finally {
    await page.getByTestId('run-stop').click();
    await expect(page.getByTestId('run-state-label')).toHaveText('Stopped');
  }
});
