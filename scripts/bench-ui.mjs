#!/usr/bin/env node
// `npm run bench:ui`: how responsive the workbench stays under load. Starts browser mode as a user
// does (`npm start -- --browser --port 0`, with a temporary workspace holding the bench scenarios),
// and Playwright drives Chromium through each load while a PerformanceObserver records every
// main-thread task over 50 ms (the Long Tasks API) and a requestAnimationFrame probe records the
// gaps between frames. Prints, per load, the worst and the 95th-percentile long task, and the CPU
// time the page's main thread used (Chromium's ThreadTime metric): on a machine whose cores are
// busy with other work, a short task can still be long in wall time, so the CPU shows what the
// workbench itself asked for.
//
// Loads (all by default; name some to run only those: `npm run bench:ui -- pending traffic`):
//   pending  10,000 pending callbacks, paused so the inspector holds them: step callbacks, step an
//            iteration (10,000 callbacks run, 10,000 new ones queued), scroll the queue, open the
//            timeline and scroll its event log.
//   traffic  100 MB of text through a TCP connection of the run, shown live in the terminal, paced
//            at about 10 MB/s (a busy protocol, not a flood).
//   flood    the same 100 MB as fast as the loop can send it: the host and the run's worker take
//            both cores, the host drops what the window cannot take (and says so).
//
// `--trace` also records a Chrome trace of each load (in the system's temporary folder) and prints
// what each long task was made of (scripts/long-task-trace.mjs); `--trace-js` adds the JavaScript
// sampling profiler, which names the functions but slows timers and calls enough to make tasks long.
// `--screenshot=<file.png>` saves the workbench as the flood left it (docs/terminal-flood.png), with
// a taller bottom panel than the default layout, so that run's figures are not the benchmark's.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { describeLongTasks } from './long-task-trace.mjs';

/* global window, document, requestAnimationFrame -- functions passed to page.evaluate run in the page */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'v8'];
const TRACE_JS_CATEGORIES = [...TRACE_CATEGORIES, 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'];
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

const PENDING = `// Bench: 10,000 callbacks in the ready queue; each one schedules itself again when it runs.
import { getEventLoop } from 'loopwright';

export const meta = { title: 'Bench: 10,000 pending callbacks', description: 'Every callback re-schedules itself, so the ready queue always holds 10,000.', clock: 'virtual' };

const loop = getEventLoop();
function work(n: number): void {
  loop.callSoon(work, n);
}
for (let i = 0; i < 10_000; i++) loop.callSoon(work, i);
await loop.runForever();
`;

const traffic = (paced) => `// Bench: 100 MB of text lines from a client to a server in the same loop${paced ? ', about 10 MB/s' : ', as fast as possible'}.
import { getEventLoop, Protocol, type Transport } from 'loopwright';

export const meta = { title: 'Bench: 100 MB of traffic${paced ? ' (paced)' : ''}', description: 'A client sends 100 MB of text lines to a server in the same loop.', clock: 'real' };

const TOTAL = 100 * 1024 * 1024;
const line = (i: number) => \`line \${String(i).padStart(7, '0')} the quick brown fox jumps over the lazy dog 0123456789\\n\`;

class Sink extends Protocol {
  private received = 0;
  constructor(private readonly done: () => void) {
    super();
  }
  override dataReceived(data: Uint8Array): void {
    this.received += data.length;
    if (this.received >= TOTAL) this.done();
  }
}

class Source extends Protocol {
  private transport!: Transport;
  private sent = 0;
  private i = 0;
  private paused = false;
  override connectionMade(transport: Transport): void {
    this.transport = transport;
    this.pump();
  }
  override pauseWriting(): void {
    this.paused = true;
  }
  override resumeWriting(): void {
    this.paused = false;
    ${paced ? '' : 'this.pump();'}
  }
  private pump(): void {
    const stop = ${paced ? 'Math.min(TOTAL, this.sent + 1024 * 1024)' : 'TOTAL'};
    while (!this.paused && this.sent < stop) {
      let chunk = '';
      while (chunk.length < 65536) chunk += line(this.i++);
      const bytes = new TextEncoder().encode(chunk);
      this.transport.write(bytes);
      this.sent += bytes.length;
    }
    if (this.sent >= TOTAL) this.transport.writeEof();
    ${paced ? 'else loop.callLater(0.1, () => this.pump());' : ''}
  }
}

const loop = getEventLoop();
const done = loop.createFuture<void>();
const server = await loop.runUntilComplete(loop.createServer(() => new Sink(() => done.done() || done.setResult()), '127.0.0.1', 0));
const [, port] = server.sockets[0].getsockname();
await loop.runUntilComplete(loop.createConnection(() => new Source(), '127.0.0.1', port));
await loop.runUntilComplete(done);
console.log('100 MB sent and received');
server.close();
loop.close();
`;

/** Installed before the page's own scripts: long tasks and frame gaps, from `window.__bench.reset()` on. */
function probe() {
  const bench = { long: [], frames: [], last: 0, on: false };
  bench.reset = () => {
    bench.long = [];
    bench.frames = [];
    bench.last = 0;
    bench.on = true;
  };
  new PerformanceObserver((list) => {
    if (bench.on) for (const entry of list.getEntries()) bench.long.push(entry.duration);
  }).observe({ type: 'longtask' });
  const frame = (now) => {
    if (bench.on && bench.last > 0) bench.frames.push(now - bench.last);
    bench.last = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  window.__bench = bench;
}

async function startWorkbench(workspace) {
  const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs'), '--browser', '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOOPWRIGHT_WORKSPACE: workspace },
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the workbench did not start within 90 s:\n${output}`)), 90_000);
    const onData = (chunk) => {
      output += chunk.toString();
      const match = /Loopwright is serving at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  return { url, stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM')))) };
}

async function openScenario(page, file) {
  await page.locator(`[data-testid=scenario-row][data-path="${file}"]`).click();
  await page.locator('.monaco-editor .view-lines').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=run-run]')?.getAttribute('aria-disabled') === 'false');
}

async function waitForState(page, label, timeout = 120_000) {
  await page.getByTestId('run-state-label').getByText(label, { exact: true }).waitFor({ timeout });
}

/** Scrolls a list by the mouse wheel, a screen at a time. */
async function wheel(page, locator, steps, dy) {
  const box = await locator.boundingBox();
  if (!box) return;
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 40));
  for (let i = 0; i < steps; i++) {
    await page.mouse.wheel(0, dy);
    await page.waitForTimeout(30);
  }
}

const LOADS = {
  pending: {
    title: '10,000 pending callbacks (paused; inspector full)',
    file: 'bench-pending.ts',
    async run(page) {
      await page.keyboard.press('F10'); // no run yet: starts paused before the first callback
      await waitForState(page, 'Paused');
      await page.getByTestId('inspector-ready-count').getByText('10,000').waitFor({ timeout: 60_000 });
      const next = page.locator('[data-testid=inspector-ready-row][data-next=true]');
      for (let i = 0; i < 20; i++) {
        const before = await next.getAttribute('data-id');
        await page.keyboard.press('F10');
        await page.waitForFunction((id) => document.querySelector('[data-testid=inspector-ready-row][data-next=true]')?.getAttribute('data-id') !== id, before);
      }
      for (let i = 0; i < 3; i++) {
        const before = await page.getByTestId('status-iteration').innerText();
        await page.keyboard.press('F11'); // a whole iteration: 10,000 callbacks, 10,000 new ones
        await page.waitForFunction((text) => document.querySelector('[data-testid=status-iteration]')?.textContent !== text, before, { timeout: 60_000 });
        await waitForState(page, 'Paused');
      }
      const ready = page.getByTestId('inspector-ready').locator('[role=list]');
      await wheel(page, ready, 40, 600);
      await wheel(page, ready, 20, -1200);
      await page.getByTestId('panel-tab-timeline').click();
      await page.getByTestId('event-log-row').first().waitFor();
      const log = page.getByTestId('event-log').locator('[role=list]');
      await wheel(page, log, 40, -800);
      await page.getByTestId('event-log-filter').fill('work(9999)');
      await page.waitForFunction(() => !document.querySelector('[data-testid=event-log-count]')?.textContent?.includes('filtering'), undefined, { timeout: 60_000 });
      await page.getByTestId('event-log-filter').fill('');
      await page.getByTestId('panel-tab-output').click();
      await page.getByTestId('run-stop').click();
      await waitForState(page, 'Stopped');
      return {};
    },
  },
  traffic: {
    title: '100 MB through the terminal (paced, ~10 MB/s)',
    file: 'bench-traffic-paced.ts',
    run: (page) => trafficLoad(page),
  },
  flood: {
    title: '100 MB through the terminal (as fast as the loop sends)',
    file: 'bench-traffic-flood.ts',
    run: (page, options) => trafficLoad(page, options.screenshot),
  },
};

async function trafficLoad(page, screenshot) {
  await page.keyboard.press(`${mod}+Enter`);
  // A run opens on Output; the terminal is where this load is watched.
  await page.getByTestId('run-state-label').getByText('Running', { exact: true }).waitFor({ timeout: 60_000 });
  await page.getByTestId('panel-tab-terminal').click();
  await page.getByTestId('terminal-tab').first().waitFor({ timeout: 60_000 });
  await waitForState(page, 'Finished', 300_000);
  if (screenshot) {
    await page.waitForTimeout(1000); // the terminal's last draws
    // Up to the newest notice of a skip, found with the terminal's search.
    await page.getByTestId('terminal-find').click();
    await page.getByTestId('terminal-search-input').fill('skipped ahead');
    await page.getByTestId('terminal-search-input').press('Shift+Enter');
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshot });
    await page.getByTestId('terminal-search-input').press('Escape');
  }
  // What reached the window: the bytes the terminal counted on its first tab.
  const legend = await page.getByTestId('terminal-legend').innerText();
  await page.getByTestId('terminal-view-hex').click();
  await page.waitForTimeout(500);
  await page.getByTestId('terminal-view-text').click();
  return { received: /↓ ([\d.]+ [KMG]?B)/.exec(legend)?.[1] ?? '?' };
}

/** CPU seconds the page's main thread has used. */
async function threadTime(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0;
}

function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (v) => (v === null ? '—' : `${v.toFixed(0)} ms`);

async function main() {
  const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const screenshot = process.argv.find((a) => a.startsWith('--screenshot='))?.slice('--screenshot='.length);
  const tracing = process.argv.includes('--trace-js') ? TRACE_JS_CATEGORIES : process.argv.includes('--trace') ? TRACE_CATEGORIES : null;
  const names = chosen.length > 0 ? chosen : Object.keys(LOADS);
  for (const name of names) if (!LOADS[name]) throw new Error(`unknown load "${name}" (loads: ${Object.keys(LOADS).join(', ')})`);

  const workspace = mkdtempSync(path.join(tmpdir(), 'loopwright-bench-ui-'));
  writeFileSync(path.join(workspace, 'bench-pending.ts'), PENDING);
  writeFileSync(path.join(workspace, 'bench-traffic-paced.ts'), traffic(true));
  writeFileSync(path.join(workspace, 'bench-traffic-flood.ts'), traffic(false));
  const workbench = await startWorkbench(workspace);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const results = [];
  try {
    for (const name of names) {
      const load = LOADS[name];
      const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
      const page = await context.newPage();
      await page.addInitScript(probe);
      if (screenshot) await page.addInitScript(() => window.localStorage.setItem('loopwright.layout.sizes', JSON.stringify({ panel: 520 })));
      await page.goto(workbench.url);
      await page.getByTestId('status-connection').getByText('Connected').waitFor();
      await openScenario(page, load.file);
      await page.waitForTimeout(1500); // Monaco's language service settles
      const trace = tracing ? path.join(tmpdir(), `loopwright-bench-ui-${name}.json`) : undefined;
      if (trace) await browser.startTracing(page, { path: trace, categories: tracing });
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const cpuBefore = await threadTime(cdp);
      await page.evaluate(() => window.__bench.reset());
      const started = Date.now();
      process.stdout.write(`${name}: ${load.title}…\n`);
      const extra = await load.run(page, { screenshot });
      await page.waitForTimeout(500);
      if (trace) {
        await browser.stopTracing();
        process.stdout.write(`  trace: ${trace}\n${describeLongTasks(trace).join('\n')}\n`);
      }
      const { long, frames } = await page.evaluate(() => ({ long: window.__bench.long, frames: window.__bench.frames }));
      const cpu = (await threadTime(cdp)) - cpuBefore;
      results.push({ name, title: load.title, seconds: (Date.now() - started) / 1000, cpu, long, frames, ...extra });
      await context.close();
    }
  } finally {
    await browser.close();
    await workbench.stop();
    rmSync(workspace, { recursive: true, force: true });
  }

  process.stdout.write('\nLong tasks (main thread, over 50 ms) and frame gaps, per load:\n');
  for (const r of results) {
    const worst = r.long.length > 0 ? Math.max(...r.long) : null;
    process.stdout.write(
      `  ${r.title}: ${r.seconds.toFixed(1)} s, main thread CPU ${r.cpu.toFixed(1)} s${r.received ? `, terminal received ${r.received}` : ''}\n` +
        `    long tasks: ${r.long.length}, worst ${ms(worst)}, p95 ${ms(percentile(r.long, 95))}\n` +
        `    frames: ${r.frames.length}, gap p95 ${ms(percentile(r.frames, 95))}, worst ${ms(r.frames.length ? Math.max(...r.frames) : null)}\n`,
    );
  }
  const over = results.filter((r) => r.long.length > 0);
  process.stdout.write(over.length === 0 ? '\nTarget met: no main-thread task over 50 ms.\n' : `\nTarget (no task over 50 ms) missed in: ${over.map((r) => r.name).join(', ')}.\n`);
}

main().catch((error) => {
  process.stderr.write(`bench:ui: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
