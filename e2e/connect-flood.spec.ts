import { createScenario, expect, test } from './fixtures';

/**
 * Workflow: a run floods a connection the terminal opened to it (Connect). The window is sent at
 * most 1 MB/s of that connection's bytes; the rest comes counted only, and the terminal says so
 * while its byte counter stays exact. 8 MiB: more than the allowance even if a loaded machine
 * takes seconds to pass it on.
 */
const FLOOD = `import { getEventLoop, Protocol, type Transport } from 'loopwright';

class Flood extends Protocol {
  override connectionMade(transport: Transport): void {
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    for (let i = 0; i < 128; i++) transport.write(chunk); // 8 MiB at once
    transport.close();
  }
}

const loop = getEventLoop();
const server = await loop.runUntilComplete(loop.createServer(() => new Flood(), '127.0.0.1', 0));
console.log('listening on 127.0.0.1:' + server.sockets[0].getsockname()[1]);
await loop.runUntilComplete(server.serveForever());
`;

test('a run flooding a Connect connection: the window gets 1 MB/s of its bytes, the rest counted', async ({ workbench: page }, testInfo) => {
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  const editorText = await createScenario(page, `connect-flood-${testInfo.project.name}-${Date.now()}`);
  await editorText.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(FLOOD);
  await page.keyboard.press('ControlOrMeta+s');
  await page.getByTestId('run-run').click();
  await expect(page.getByTestId('output')).toContainText('listening on 127.0.0.1:');
  try {
    await page.getByTestId('panel-tab-terminal').click();
    await page.getByTestId('terminal-connect').click();
    await page.getByTestId('terminal-connect-submit').click();
    const hostTab = page.locator('[data-testid=terminal-tab][data-kind=host]');
    await expect(hostTab).toHaveAttribute('aria-selected', 'true');
    // Every byte counted, though not every byte came (8 MiB: 8.0 MB as the terminal writes sizes).
    await expect(page.getByTestId('terminal-legend')).toContainText('↓ 8.0 MB', { timeout: 20_000 });
    await expect(hostTab).toHaveAttribute('data-state', 'closed');
    await page.screenshot({ path: testInfo.outputPath('connect-flood.png') });
    // Where the notice is depends on when the bytes came: the terminal's search finds it.
    await page.getByTestId('terminal-find').click();
    await page.getByTestId('terminal-search-input').fill('counted only: their bytes did not come to this window');
    await expect(page.getByTestId('terminal-search-result')).toContainText(' of ');
  } finally {
    await page.getByTestId('run-stop').click();
  }
});
