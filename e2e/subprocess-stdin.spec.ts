import { createScenario, expect, test } from './fixtures';

const modKey = process.platform === 'darwin' ? 'Meta' : 'Control';

/** A child that answers each line of its stdin in capitals, and runs until the run is stopped. */
const SCENARIO = `import { getEventLoop, SubprocessProtocol, type SubprocessTransport } from 'loopwright';

export const meta = { title: 'Upper-casing child', description: 'Type into the child tab.', clock: 'real' };

const CHILD = "require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => process.stdout.write('> ' + line.toUpperCase() + '\\\\n'));";

class Child extends SubprocessProtocol {
  override connectionMade(transport: SubprocessTransport): void {
    console.log('child started, pid ' + transport.getPid());
  }
  override pipeDataReceived(fd: number, data: Uint8Array): void {
    console.log('child says: ' + new TextDecoder().decode(data).trimEnd());
  }
}

const loop = getEventLoop();
await loop.runUntilComplete(loop.subprocessExec(() => new Child(), process.execPath, '-e', CHILD));
await loop.runForever();
`;

/** Workflow: run a scenario with a child process, type into the child's tab (its stdin) and read its answer. */
test("type into a subprocess's stdin from its terminal tab and read the answer", async ({ workbench: page }, testInfo) => {
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  const name = `upper-child-${testInfo.project.name}-${Date.now()}`;
  const editorText = await createScenario(page, name);
  await editorText.click();
  await page.keyboard.press(`${modKey}+a`);
  await page.keyboard.insertText(SCENARIO);
  await page.keyboard.press(`${modKey}+s`);
  await expect(page.locator(`[data-testid=editor-tab][data-key="workspace/${name}.ts"]`)).toHaveAttribute('data-dirty', 'false');

  await page.getByTestId('run-run').click();
  await expect(page.getByTestId('output')).toContainText('child started, pid');
  try {
    await page.getByTestId('panel-tab-terminal').click();
    const childTab = page.locator('[data-testid=terminal-tab][data-kind=subprocess]');
    await expect(childTab).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('terminal-legend')).toContainText('Typing goes to the child’s stdin');
    await page.getByTestId('terminal-view').click();
    await page.keyboard.type('make me loud');
    await page.keyboard.press('Enter');
    const screen = page.getByTestId('terminal-view').locator('.xterm-rows');
    await expect(screen).toContainText('→ stdin make me loud');
    await expect(screen).toContainText('← stdout > MAKE ME LOUD');
    await page.getByTestId('panel-tab-output').click();
    await expect(page.getByTestId('output')).toContainText('child says: > MAKE ME LOUD');
  } finally {
    await page.getByTestId('run-stop').click();
    await expect(page.getByTestId('run-state-label')).toHaveText('Stopped');
  }
});
