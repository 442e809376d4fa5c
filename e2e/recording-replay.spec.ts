import { readFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { contract, type LoopwrightApi } from '../shared/ipc/contract';
import { createClient } from '../shared/ipc/client';
import type { RendererLink, ToRenderer } from '../shared/ipc/wire';
import type { ReplayView } from '../shared/recording/recordings';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Set LOOPWRIGHT_DOCS_SCREENSHOTS=1 to refresh docs/recordings-history.png, docs/replay-scrubber.png, docs/replay-timeline.png and docs/replay-source.png. */
const DOCS = process.env.LOOPWRIGHT_DOCS_SCREENSHOTS === '1' ? path.resolve(__dirname, '..', 'docs') : null;

/** pcapng's section header block type, the first four bytes of every pcapng file. */
const PCAPNG_MAGIC = [0x0a, 0x0d, 0x0d, 0x0a];

/**
 * The host's API as a second client of the same browser-mode server (token and Origin as the page
 * has them): the test asks the replay model what line k held, and checks the panels show that.
 */
async function hostApi(): Promise<{ api: LoopwrightApi; close(): void }> {
  const url = new URL(process.env.LOOPWRIGHT_URL!);
  const socket = new WebSocket(`ws://${url.host}/ipc?token=${url.searchParams.get('token')}`, { headers: { Origin: `http://${url.host}` } });
  let handler: ((m: ToRenderer) => void) | undefined;
  socket.on('message', (data) => handler?.(JSON.parse(data.toString()) as ToRenderer));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const link: RendererLink = { send: (m) => socket.send(JSON.stringify(m)), onMessage: (h) => (handler = h) };
  return { api: createClient(contract, link), close: () => socket.close() };
}

/** Runs a library scenario to its end, recorded. */
async function runToEnd(page: Page, file: string, output: string): Promise<void> {
  await page.locator(`[data-testid=scenario-row][data-path="${file}"]`).click();
  await expect(page.getByTestId('run-run')).toHaveAttribute('aria-disabled', 'false');
  await page.getByTestId('run-run').click();
  await expect(page.getByTestId('output')).toContainText(output);
  await expect(page.getByTestId('run-state-label')).toHaveText('Finished');
}

/** The loop inspector and the terminal show line `view.seq` as the replay model rebuilt it. */
async function expectPanelsAt(page: Page, view: ReplayView, transportsOpen: number): Promise<void> {
  await expect(page.getByTestId('replay-bar')).toHaveAttribute('data-seq', String(view.seq));
  await expect(page.getByTestId('inspector-banner')).toContainText(`line ${view.seq.toLocaleString('en-US')}`);
  await expect(page.getByTestId('inspector-banner')).toContainText(view.current ? `in ${view.current.callback}` : 'between callbacks');
  await expect(page.getByTestId('inspector-ready-count')).toHaveText(String(view.snapshot.readyCount));
  await expect(page.getByTestId('inspector-ready-row')).toHaveCount(view.snapshot.ready.length);
  for (const [i, entry] of view.snapshot.ready.entries()) {
    await expect(page.getByTestId('inspector-ready-row').nth(i)).toHaveAttribute('data-id', String(entry.id));
  }
  await expect(page.getByTestId('inspector-tasks-count')).toHaveText(String(view.snapshot.taskCount));
  await expect(page.getByTestId('inspector-figures')).toContainText(`iteration ${view.snapshot.iteration}`);

  // The terminal: a tab per connection opened by then, and the selected one's traffic up to the line.
  await expect(page.getByTestId('terminal-tab')).toHaveCount(transportsOpen);
  if (transportsOpen === 0) return;
  const key = await page.locator('[data-testid=terminal-tab][aria-selected=true]').getAttribute('data-key');
  const traffic = view.traffic.find((t) => `t${t.transportId}` === key);
  const screen = page.getByTestId('terminal-view').locator('.xterm-rows');
  const texts = (traffic?.chunks ?? []).map((c) => `${c.direction === 'in' ? '←' : '→'} ${Buffer.from(c.data, 'base64').toString()}`);
  for (const text of texts) await expect(screen).toContainText(text);
  if (texts.length === 0) await expect(screen).not.toContainText('Hello World!');
}

/**
 * Workflow: record a run of the TCP echo example, open it from the history, scrub to the middle,
 * see the queue and the terminal as they were then, step back one callback, export the pcapng.
 */
test('record the TCP echo, replay it from the history with the scrubber, export the pcapng', async ({ workbench: page }) => {
  test.setTimeout(90_000);
  await expect(page.getByTestId('status-connection')).toHaveText('Connected');
  if (DOCS) await page.getByTestId('theme-dark').click();
  await expect(page.getByTestId('run-record')).toHaveAttribute('aria-checked', 'true');
  if (DOCS) {
    // A history worth a screenshot: a few recordings, one of them pinned.
    await runToEnd(page, 'hello-world.ts', 'Hello World');
    await runToEnd(page, 'tcp-echo-streams.ts', 'server: client said goodbye');
  }
  await runToEnd(page, 'tcp-echo-protocol.ts', 'client: connection lost');

  // The history, from the keyboard: the newest recording is this run's, complete.
  await page.keyboard.press('Control+Shift+H');
  await expect(page.getByTestId('pane-recordings')).toBeVisible();
  const row = page.getByTestId('recording-row').filter({ hasText: 'tcp-echo-protocol.ts' }).first();
  await expect(row).toHaveAttribute('data-status', 'complete');
  await expect(row.getByTestId('recording-status')).toHaveText('complete');
  const id = (await row.getAttribute('data-id'))!;
  expect(id).toMatch(/\.lwrec$/);
  if (DOCS) {
    await page.getByTestId('recording-row').filter({ hasText: 'hello-world.ts' }).first().getByTestId('recording-pin').click();
    await expect(page.getByTestId('recording-row').filter({ hasText: 'hello-world.ts' }).first().getByTestId('recording-pin')).toHaveAttribute('aria-pressed', 'true');
    await row.click();
    await page.screenshot({ path: path.join(DOCS, 'recordings-history.png') });
  }

  const host = await hostApi();
  try {
    const details = await host.api.recordings.open(id);
    const openedBy = (seq: number) => details.transports.filter((t) => t.openedSeq <= seq).length;

    // Open it: replay mode, the run buttons off with the reason, the scrubber at the last line.
    await row.getByTestId('recording-open').click();
    await expect(page.getByTestId('replay-title')).toContainText('Replaying library/tcp-echo-protocol.ts · recorded');
    await expect(page.getByTestId('run-run')).toHaveAttribute('aria-disabled', 'true');
    await expect(page.getByTestId('run-run')).toHaveAttribute('title', /Replay mode shows a recording/);
    await expect(page.getByTestId('pane-terminal')).toBeVisible();
    const scrubber = page.getByTestId('replay-scrubber');
    await expect(scrubber).toHaveAttribute('max', String(details.counts.lines));
    await expectPanelsAt(page, await host.api.recordings.stateAt(id, details.counts.lines), openedBy(details.counts.lines));

    // The source that ran, as the recording keeps it: shown on request, Esc closes it and stays in replay.
    await page.getByTestId('replay-source').click();
    await expect(page.getByTestId('recorded-source-text')).toContainText('class EchoServerProtocol extends Protocol');
    await expect(page.getByTestId('recorded-source')).toContainText(details.header.scenario.sha256.slice(0, 12));
    if (DOCS) await page.screenshot({ path: path.join(DOCS, 'replay-source.png') });
    // Modal: Tab goes round the dialog's own stops (Close has the focus first, then the source, Copy, Close).
    await expect(page.getByTestId('recorded-source-close')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('recorded-source-text')).toBeFocused();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('recorded-source-close')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('recorded-source')).toHaveCount(0);
    await expect(page.getByTestId('replay-bar')).toBeVisible();

    // Scrub to the middle: the panels show the loop and the traffic as they were at that line.
    const middle = Math.floor(details.counts.lines / 2);
    await scrubber.fill(String(middle));
    await expect(page.getByTestId('replay-line-number')).toHaveText(`${middle.toLocaleString('en-US')} / ${details.counts.lines.toLocaleString('en-US')}`);
    const atMiddle = await host.api.recordings.stateAt(id, middle);
    await expectPanelsAt(page, atMiddle, openedBy(middle));
    if (DOCS) {
      // The tab that carried traffic by then, so the picture shows some.
      const talked = atMiddle.traffic.find((t) => t.chunks.length > 0);
      if (talked) await page.locator(`[data-testid=terminal-tab][data-key="t${talked.transportId}"]`).click();
      await page.getByTestId('replay-unit-callback').click();
      await scrubber.focus();
      await page.screenshot({ path: path.join(DOCS, 'replay-scrubber.png') });
    }

    // Step back one callback (Shift+← on the scrubber): the line where the previous callback started.
    const back = await host.api.recordings.seek(id, { step: 'callback', direction: 'back', from: middle });
    expect(back).toBeLessThan(middle);
    await scrubber.focus();
    await page.keyboard.press('Shift+ArrowLeft');
    const atBack = await host.api.recordings.stateAt(id, back);
    expect(atBack.current).not.toBeNull();
    await expectPanelsAt(page, atBack, openedBy(back));
    await expect(page.getByTestId('replay-line')).toContainText(`in ${atBack.current!.callback}`);

    // The next marker (the connections, the server, the closings): where the model says it is.
    const marker = await host.api.recordings.seek(id, { step: 'marker', direction: 'forward', from: back });
    await page.getByTestId('replay-marker-forward').click();
    await expect(page.getByTestId('replay-bar')).toHaveAttribute('data-seq', String(marker));
    expect(details.markers.map((m) => m.seq)).toContain(marker);

    // The timeline plots the whole recording (the host's per-iteration figures); a click on the plot
    // moves the scrubber to the start of the iteration under the pointer.
    await page.getByTestId('panel-tab-timeline').click();
    const plot = page.getByTestId('timeline-plot');
    expect(details.series.iteration.length).toBe(details.counts.iterations);
    await expect(plot).toHaveAttribute('data-points', String(details.series.iteration.length));
    await expect(page.getByTestId('replay-markers')).toBeVisible();
    const box = (await plot.locator('.u-over').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height / 2);
    await expect(page.getByTestId('replay-bar')).not.toHaveAttribute('data-seq', String(marker));
    const clickedSeq = Number(await page.getByTestId('replay-bar').getAttribute('data-seq'));
    expect(details.series.seq).toContain(clickedSeq);
    if (DOCS) await page.screenshot({ path: path.join(DOCS, 'replay-timeline.png') });

    // Export the pcapng from the history: written into the exports folder, and offered for download.
    await page.getByTestId('panel-tab-recordings').click();
    await row.getByTestId('recording-export').selectOption('pcapng');
    const exported = page.getByTestId('recordings-last-export');
    await expect(exported).toContainText('.pcapng');
    const file = (await exported.locator('code').innerText()).trim();
    expect([...readFileSync(file).subarray(0, 4)]).toEqual(PCAPNG_MAGIC);
    await expect(page.getByTestId('notification').filter({ hasText: `Exported to ${file}` })).toBeVisible();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('recordings-download').click()]);
    expect(download.suggestedFilename()).toBe(path.basename(file));
    expect([...readFileSync((await download.path())!).subarray(0, 4)]).toEqual(PCAPNG_MAGIC);

    // Esc on the scrubber leaves replay mode: the run buttons are back.
    await scrubber.focus();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('replay-bar')).toHaveCount(0);
    await expect(page.getByTestId('run-run')).toHaveAttribute('aria-disabled', 'false');
  } finally {
    host.close();
  }
});
