import { copyFileSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { engineEventSchema } from '../../../shared/engine/events';
import type { ToRenderer } from '../../../shared/ipc/wire';
import { createAppHost, type AppHost } from '../app-host';
import { describePython } from './testing/python-available';

const EXAMPLES = path.resolve(__dirname, '../../../scenarios/examples');

let dir: string;
let host: AppHost;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'loopwright-py-service-'));
  mkdirSync(path.join(dir, 'library'));
  writeFileSync(
    path.join(dir, 'library/hello.py'),
    '# meta:\n#   title: Hello from Python\n#   clock: real\n#   expectedOutput: |\n#     Hello World\nimport asyncio\nloop = asyncio.new_event_loop()\nloop.call_soon(lambda: (print("Hello World"), loop.stop()))\nloop.run_forever()\n',
  );
  writeFileSync(path.join(dir, 'library/test_helpers.py'), 'x = 1\n');
  for (const example of ['hello-world.py', 'ten-tasks.py', 'tcp-echo-protocol.py']) copyFileSync(path.join(EXAMPLES, example), path.join(dir, 'library', example));
  host = createAppHost({
    identity: { appName: 'Loopwright', appVersion: '1', mode: 'browser', versions: { node: '20' }, platform: 'linux', arch: 'x64' },
    log: () => {},
    folders: { library: path.join(dir, 'library'), workspace: path.join(dir, 'workspace') },
    engineDir: path.resolve(__dirname, '../../../out/engine'),
  });
});
afterAll(async () => {
  await host.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

it('lists .py files as python scenarios with their # meta: block (test modules left out)', async () => {
  const listed = await host.router.call('scenarios.list', []);
  const entries = (listed as { value: { ref: { path: string } }[] }).value;
  expect(entries.find((e) => e.ref.path === 'hello.py')).toMatchObject({ ref: { location: 'library', path: 'hello.py' }, title: 'Hello from Python', language: 'python', clock: 'real', readOnly: true });
  expect(entries.map((e) => e.ref.path)).not.toContain('test_helpers.py');
});

/** Starts a library program through the router and collects what it streams until it ends. */
async function runThrough(request: Record<string, unknown>): Promise<{ runId: string; sent: ToRenderer[]; events: { type: string; [key: string]: unknown }[]; output: string }> {
  const sent: ToRenderer[] = [];
  const peer = host.router.connect((m) => sent.push(m));
  for (const channel of ['runs.onDidChangeState', 'runs.onDidOutput', 'runs.onDidEmitEvents']) await peer.receive({ t: 'subscribe', channel });
  const started = await host.router.call('runs.start', [{ record: false, ...request }]);
  expect(started).toMatchObject({ ok: true, value: { ok: true } });
  const runId = (started as { value: { runId: string } }).value.runId;
  const payloads = (channel: string) => sent.flatMap((m) => (m.t === 'event' && m.channel === channel ? [m.payload as Record<string, unknown>] : []));
  await until(() => payloads('runs.onDidChangeState').some((p) => p.state === 'finished' || p.state === 'failed'));
  return {
    runId,
    sent,
    events: payloads('runs.onDidEmitEvents').flatMap((p) => p.events as { type: string }[]),
    output: payloads('runs.onDidOutput').flatMap((p) => (p.chunks as { text: string }[]).map((c) => c.text)).join(''),
  };
}

describePython(
  'Python programs through the runs service (what the workbench calls)',
  () => {
    it('runs a .py scenario on the real clock and streams state, output and schema-valid events', async () => {
      const sent: ToRenderer[] = [];
      const peer = host.router.connect((m) => sent.push(m));
      for (const channel of ['runs.onDidChangeState', 'runs.onDidOutput', 'runs.onDidEmitEvents']) await peer.receive({ t: 'subscribe', channel });
      const started = await host.router.call('runs.start', [{ scenario: { location: 'library', path: 'hello.py' }, clock: 'virtual', record: false }]);
      expect(started).toMatchObject({ ok: true, value: { ok: true, clock: 'real' } });
      const states = () => sent.flatMap((m) => (m.t === 'event' && m.channel === 'runs.onDidChangeState' ? [(m.payload as { state: string }).state] : []));
      await until(() => states().includes('finished'));
      expect(states()).toEqual(['running', 'finished']);
      const output = sent.flatMap((m) => (m.t === 'event' && m.channel === 'runs.onDidOutput' ? (m.payload as { chunks: { text: string }[] }).chunks.map((c) => c.text) : []));
      expect(output.join('')).toBe('Hello World\n');
      const events = sent.flatMap((m) => (m.t === 'event' && m.channel === 'runs.onDidEmitEvents' ? (m.payload as { events: unknown[] }).events : []));
      expect(events.length).toBeGreaterThan(3);
      for (const e of events) expect(engineEventSchema.safeParse(e).success).toBe(true);
    });

    it('starts paused and steps through the service as a TypeScript run does', async () => {
      const sent: ToRenderer[] = [];
      const peer = host.router.connect((m) => sent.push(m));
      await peer.receive({ t: 'subscribe', channel: 'runs.onDidChangeState' });
      const started = await host.router.call('runs.start', [{ scenario: { location: 'library', path: 'hello.py' }, paused: true, record: false }]);
      const runId = (started as { value: { runId: string } }).value.runId;
      const states = () => sent.flatMap((m) => (m.t === 'event' && m.channel === 'runs.onDidChangeState' ? [m.payload as { state: string; next?: { callback: string } | null }] : []));
      await until(() => states().some((s) => s.state === 'paused' && s.next));
      expect(states().find((s) => s.state === 'paused' && s.next)?.next?.callback).toBe('<lambda>');
      await host.router.call('runs.step', [runId, 'callback']);
      await until(() => states().some((s) => s.state === 'finished'));
      expect(states().map((s) => s.state)).toContain('finished');
    });

    it('passes the detail level to the shim: tasks streams task steps and no handle events', async () => {
      const tasks = await runThrough({ scenario: { location: 'library', path: 'ten-tasks.py' }, detail: 'tasks' });
      const types = new Set(tasks.events.map((e) => e.type));
      expect(types.has('task-step')).toBe(true);
      for (const handle of ['handle-scheduled', 'handle-started', 'handle-finished']) expect(types.has(handle), handle).toBe(false);
      // The default is full: the same program's handles are all there.
      const full = await runThrough({ scenario: { location: 'library', path: 'ten-tasks.py' } });
      expect(full.events.some((e) => e.type === 'handle-started')).toBe(true);
      expect(full.output).toBe(tasks.output);
    });

    it('callbacks keeps the bytes a Python program sends out of the events (traffic counted, not captured)', async () => {
      const callbacks = await runThrough({ scenario: { location: 'library', path: 'tcp-echo-protocol.py' }, detail: 'callbacks' });
      expect(callbacks.events.filter((e) => e.type === 'transport-data')).toEqual([]);
      expect(callbacks.events).toContainEqual(expect.objectContaining({ type: 'transport-traffic', direction: 'out', size: 12 }));
      expect(JSON.stringify(callbacks.events)).not.toContain(Buffer.from('Hello World!').toString('base64'));
    });

    it('pauses at a breakpoint on a Python callback, before it runs, and resumes to the end', async () => {
      const sent: ToRenderer[] = [];
      const peer = host.router.connect((m) => sent.push(m));
      for (const channel of ['runs.onDidChangeState', 'runs.onDidOutput']) await peer.receive({ t: 'subscribe', channel });
      const started = await host.router.call('runs.start', [{ scenario: { location: 'library', path: 'hello-world.py' }, breakpoints: ['hello_world'], record: false }]);
      const runId = (started as { value: { runId: string } }).value.runId;
      const states = () => sent.flatMap((m) => (m.t === 'event' && m.channel === 'runs.onDidChangeState' ? [m.payload as { state: string; reason?: string; next?: { callback: string } | null }] : []));
      const output = () => sent.flatMap((m) => (m.t === 'event' && m.channel === 'runs.onDidOutput' ? (m.payload as { chunks: { text: string }[] }).chunks.map((c) => c.text) : [])).join('');
      await until(() => states().some((s) => s.state === 'paused'));
      expect(states().find((s) => s.state === 'paused')).toMatchObject({ reason: 'breakpoint', next: { callback: 'hello_world' } });
      // Paused in front of the callback: it has printed nothing yet.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(output()).toBe('');
      await host.router.call('runs.step', [runId, 'resume']);
      await until(() => states().some((s) => s.state === 'finished'));
      expect(output()).toBe('Hello World\n');
    });

    it('answers a missing interpreter with a message, and starts nothing', async () => {
      const saved = process.env.LOOPWRIGHT_PYTHON;
      process.env.LOOPWRIGHT_PYTHON = '/nonexistent/python3';
      try {
        const result = await host.router.call('runs.start', [{ scenario: { location: 'library', path: 'hello.py' }, record: false }]);
        expect(result).toMatchObject({ ok: true, value: { ok: false, message: expect.stringContaining('LOOPWRIGHT_PYTHON') } });
      } finally {
        if (saved === undefined) delete process.env.LOOPWRIGHT_PYTHON;
        else process.env.LOOPWRIGHT_PYTHON = saved;
      }
    });
  },
  { timeout: 30_000 },
);
