import { copyFileSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToRenderer } from '../../../shared/ipc/wire';
import { createAppHost, type AppHost } from '../app-host';

let dir: string;
let host: AppHost;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'loopwright-runs-service-'));
  mkdirSync(path.join(dir, 'library'));
  writeFileSync(
    path.join(dir, 'library/hello.ts'),
    "import { getEventLoop } from 'loopwright';\nexport const meta = { title: 'Hello', clock: 'virtual' };\nconst loop = getEventLoop();\nloop.callSoon(() => { console.log('Hello World'); loop.stop(); });\nawait loop.runForever();\n",
  );
  copyFileSync(path.resolve(__dirname, '../../../scenarios/examples/tcp-echo-protocol.ts'), path.join(dir, 'library/tcp-echo-protocol.ts'));
  host = createAppHost({
    identity: { appName: 'Loopwright', appVersion: '1', mode: 'browser', versions: { node: '20' }, platform: 'linux', arch: 'x64' },
    log: () => {},
    folders: { library: path.join(dir, 'library'), workspace: path.join(dir, 'workspace'), recordings: path.join(dir, 'recordings') },
    engineDir: path.resolve(__dirname, '../../../out/engine'),
  });
});
afterAll(async () => {
  await host.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function subscribedPeer(channels: string[]): Promise<ToRenderer[]> {
  const sent: ToRenderer[] = [];
  const peer = host.router.connect((m) => sent.push(m));
  for (const channel of channels) await peer.receive({ t: 'subscribe', channel });
  return sent;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the runs service', { timeout: 20_000 }, () => {
  it('runs a library scenario on its meta clock and streams state and output to subscribers', async () => {
    const sent = await subscribedPeer(['runs.onDidChangeState', 'runs.onDidOutput', 'runs.onDidSnapshot', 'runs.onDidEmitEvents']);
    const started = await host.router.call('runs.start', [{ scenario: { location: 'library', path: 'hello.ts' } }]);
    expect(started).toMatchObject({ ok: true, value: { ok: true, clock: 'virtual' } });
    const runId = (started as { value: { runId: string } }).value.runId;
    const states = () => sent.flatMap((m) => (m.t === 'event' && m.channel === 'runs.onDidChangeState' ? [(m.payload as { state: string }).state] : []));
    await until(() => states().includes('finished'));
    expect(states()).toEqual(['running', 'finished']);
    const output = sent.flatMap((m) => (m.t === 'event' && m.channel === 'runs.onDidOutput' ? (m.payload as { chunks: { text: string }[] }).chunks.map((c) => c.text) : []));
    expect(output.join('')).toBe('Hello World\n');
    expect(sent.some((m) => m.t === 'event' && m.channel === 'runs.onDidSnapshot' && (m.payload as { runId: string }).runId === runId)).toBe(true);
    expect(sent.some((m) => m.t === 'event' && m.channel === 'runs.onDidEmitEvents')).toBe(true);
  });

  it('detail callbacks leaves the bytes out of a TypeScript run\'s events (traffic counted, not captured)', async () => {
    const eventsOf = async (detail?: string) => {
      const sent = await subscribedPeer(['runs.onDidChangeState', 'runs.onDidEmitEvents']);
      const started = await host.router.call('runs.start', [{ scenario: { location: 'library', path: 'tcp-echo-protocol.ts' }, record: false, ...(detail ? { detail } : {}) }]);
      const runId = (started as { value: { runId: string } }).value.runId;
      const mine = (channel: string) => sent.flatMap((m) => (m.t === 'event' && m.channel === channel && (m.payload as { runId: string }).runId === runId ? [m.payload as Record<string, unknown>] : []));
      await until(() => mine('runs.onDidChangeState').some((p) => p.state === 'finished'));
      return mine('runs.onDidEmitEvents').flatMap((p) => p.events as { type: string; size?: number; direction?: string }[]);
    };
    const hello = Buffer.from('Hello World!').toString('base64');
    const full = await eventsOf();
    expect(full).toContainEqual(expect.objectContaining({ type: 'transport-data', direction: 'out', data: hello, size: 12 }));
    const callbacks = await eventsOf('callbacks');
    expect(callbacks.filter((e) => e.type === 'transport-data')).toEqual([]);
    expect(JSON.stringify(callbacks)).not.toContain(hello);
    // Every chunk is still counted, in the same order and sizes.
    const traffic = (events: typeof full, type: string) => events.filter((e) => e.type === type).map((e) => `${e.direction}:${e.size}`);
    expect(traffic(callbacks, 'transport-traffic')).toEqual(traffic(full, 'transport-data'));
    expect(callbacks.some((e) => e.type === 'handle-started')).toBe(true);
  });

  it('detail callbacks keeps the bytes out of the recording too (the switch that keeps secrets out of the history)', async () => {
    const sent = await subscribedPeer(['runs.onDidChangeState']);
    const started = await host.router.call('runs.start', [{ scenario: { location: 'library', path: 'tcp-echo-protocol.ts' }, detail: 'callbacks' }]);
    const { runId, recordingId } = (started as { value: { runId: string; recordingId: string } }).value;
    expect(recordingId).toBeDefined();
    await until(() => sent.some((m) => m.t === 'event' && m.channel === 'runs.onDidChangeState' && (m.payload as { runId: string; state: string }).runId === runId && (m.payload as { state: string }).state === 'finished'));
    const finished = recordingId.replace(/\.partial$/, '');
    await until(() => readdirSync(path.join(dir, 'recordings')).includes(finished));
    const text = readFileSync(path.join(dir, 'recordings', finished), 'utf8');
    expect(text).toContain('"transport-traffic"');
    expect(text).not.toContain('"transport-data"');
    expect(text).not.toContain(Buffer.from('Hello World!').toString('base64'));
    // The header says so, for the replay to tell the user why the terminal shows sizes only.
    expect(JSON.parse(text.slice(0, text.indexOf('\n'))).detail).toBe('callbacks');
  });

  it('answers a syntax error with diagnostics at the right line, and starts nothing', async () => {
    const result = await host.router.call('runs.start', [{ scenario: { location: 'library', path: 'hello.ts' }, source: 'let a = 1;\nlet b = ;\n' }]);
    expect(result).toMatchObject({ ok: true, value: { ok: false, diagnostics: [{ location: { line: 2, column: 9 } }] } });
    expect(await host.router.call('runs.list', [])).toEqual({ ok: true, value: [] });
  });

  it('refuses commands for a run that does not exist, with a clear message', async () => {
    expect(await host.router.call('runs.pause', ['no-such-run'])).toMatchObject({ ok: false, error: { code: 'handler-failed', message: expect.stringContaining('no run no-such-run') } });
  });
});
