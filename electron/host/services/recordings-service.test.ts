import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToRenderer } from '../../../shared/ipc/wire';
import type { RecordingDetails, RecordingSummary, ReplayView } from '../../../shared/recording/recordings';
import { createAppHost, type AppHost } from '../app-host';
import { recordingHeader } from '../recording/recording-writer';

const ROOT = path.resolve(__dirname, '../../..');
let dir: string;
let recordingsDir: string;
let host: AppHost;
const sent: ToRenderer[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'loopwright-recordings-service-'));
  recordingsDir = path.join(dir, 'recordings');
  host = createAppHost({
    identity: { appName: 'Loopwright', appVersion: '9.9.9', mode: 'browser', versions: { node: '20' }, platform: 'linux', arch: 'x64' },
    log: () => {},
    folders: { library: path.join(ROOT, 'scenarios/examples'), workspace: path.join(dir, 'workspace'), recordings: recordingsDir },
    engineDir: path.join(ROOT, 'out/engine'),
  });
  const peer = host.router.connect((m) => sent.push(m));
  for (const channel of ['runs.onDidChangeState', 'recordings.onDidChange']) await peer.receive({ t: 'subscribe', channel });
});
afterAll(async () => {
  await host.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function call<T>(channel: string, ...args: unknown[]): Promise<T> {
  const r = await host.router.call(channel, args);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

const changes = () => sent.flatMap((m) => (m.t === 'event' && m.channel === 'recordings.onDidChange' ? [m.payload as { reason: string; ids: string[] }] : []));

/** Runs a library scenario through the runs service and waits until its recording is final. */
async function recordLibrary(name: string, extra: Record<string, unknown> = {}): Promise<{ runId: string; recordingId?: string; finalId?: string }> {
  const before = changes().length;
  const started = await call<{ ok: true; runId: string; recordingId?: string }>('runs.start', { scenario: { location: 'library', path: `${name}.ts` }, ...extra });
  const ended = () => sent.some((m) => m.t === 'event' && m.channel === 'runs.onDidChangeState' && (m.payload as { runId: string; state: string }).runId === started.runId && ['finished', 'failed', 'stopped'].includes((m.payload as { state: string }).state));
  await until(ended);
  if (started.recordingId === undefined) return started;
  await until(() => changes().slice(before).some((c) => c.reason === 'finished' && c.ids[0] === started.recordingId));
  const finished = changes().slice(before).find((c) => c.reason === 'finished' && c.ids[0] === started.recordingId)!;
  return { ...started, finalId: finished.ids[1] };
}

describe('the recordings service', { timeout: 60_000 }, () => {
  let echoId: string;

  it('records every run by default into the history: scenario, start, duration, events, size, complete', async () => {
    const run = await recordLibrary('tcp-echo-protocol');
    expect(run.recordingId).toMatch(/_tcp-echo-protocol\.lwrec\.partial$/);
    echoId = run.finalId!;
    expect(echoId).toBe(run.recordingId!.replace(/\.partial$/, ''));
    const list = await call<RecordingSummary[]>('recordings.list');
    expect(list).toEqual([
      expect.objectContaining({ id: echoId, scenario: 'library/tcp-echo-protocol.ts', clock: 'real', status: 'complete', runState: 'finished', pinned: false }),
    ]);
    expect(list[0].events).toBeGreaterThan(50);
    expect(list[0].lines).toBeGreaterThan(list[0].events);
    expect(list[0].sizeBytes).toBe(readFileSync(path.join(recordingsDir, echoId)).length);
    expect(changes().map((c) => c.reason)).toEqual(expect.arrayContaining(['started', 'finished']));
  });

  it('lists a recording in progress as such, opens what it holds so far, and completes it when the run is stopped', async () => {
    const started = await call<{ ok: true; runId: string; recordingId: string }>('runs.start', { scenario: { location: 'library', path: 'line-server.ts' } });
    await until(() => changes().some((c) => c.reason === 'started' && c.ids[0] === started.recordingId));
    const during = (await call<RecordingSummary[]>('recordings.list')).find((r) => r.id === started.recordingId);
    expect(during).toMatchObject({ status: 'recording', scenario: 'library/line-server.ts', runState: null });
    await expect(call('recordings.delete', started.recordingId)).rejects.toThrow(/a run is still writing this recording/);
    // What the server did so far: it listens.
    await until(() => readFileSync(path.join(recordingsDir, started.recordingId), 'utf8').includes('server-listening'));
    const partial = await call<RecordingDetails>('recordings.open', started.recordingId);
    expect(partial.markers.map((m) => m.kind)).toContain('server');
    await call('runs.stop', started.runId);
    await until(() => changes().some((c) => c.reason === 'finished' && c.ids[0] === started.recordingId));
    const finalId = started.recordingId.replace(/\.partial$/, '');
    expect((await call<RecordingSummary[]>('recordings.list')).find((r) => r.id === finalId)).toMatchObject({ status: 'complete', runState: 'stopped' });
    await call('recordings.delete', finalId);
  });

  it('does not record a run started with record: false', async () => {
    const run = await recordLibrary('hello-world', { record: false });
    expect(run.recordingId).toBeUndefined();
    expect((await call<RecordingSummary[]>('recordings.list')).map((r) => r.id)).toEqual([echoId]);
  });

  it('opens a recording with its header, counts, markers, iteration ticks and transports', async () => {
    const details = await call<RecordingDetails>('recordings.open', echoId);
    expect(details.header).toMatchObject({ format: 'loopwright-recording', app: { version: '9.9.9' }, scenario: { path: 'library/tcp-echo-protocol.ts' } });
    expect(details.header.scenario.source).toBe(readFileSync(path.join(ROOT, 'scenarios/examples/tcp-echo-protocol.ts'), 'utf8'));
    expect(details.warnings).toEqual([]);
    expect(details.counts).toMatchObject({ transports: 2, output: expect.any(Number), callbacks: expect.any(Number) });
    expect(details.counts.iterations).toBe(details.iterations.count);
    expect(details.markers.map((m) => m.kind)).toEqual(expect.arrayContaining(['server', 'connection', 'closed']));
    expect(details.transports.map((t) => t.label)).toEqual([expect.stringMatching(/^tcp 127\.0\.0\.1:\d+ → 127\.0\.0\.1:\d+$/), expect.stringMatching(/^tcp /)]);
  });

  it('replays any line: steps by callback, views the state there, and ends where the run ended', async () => {
    const details = await call<RecordingDetails>('recordings.open', echoId);
    const first = await call<number>('recordings.seek', echoId, { step: 'callback', direction: 'forward', from: 0 });
    const atFirst = await call<ReplayView>('recordings.stateAt', echoId, first);
    expect(atFirst.line).toMatchObject({ kind: 'event', event: { type: 'handle-started' } });
    expect(atFirst.current).toMatchObject({ callback: 'Task.step' });
    const next = await call<number>('recordings.seek', echoId, { step: 'callback', direction: 'forward', from: first });
    expect(await call<number>('recordings.seek', echoId, { step: 'callback', direction: 'back', from: next })).toBe(first);
    const end = await call<ReplayView>('recordings.stateAt', echoId, details.counts.lines);
    expect(end.runState).toBe('finished');
    expect(end.snapshot).toMatchObject({ closed: true, readyCount: 0 });
    expect(end.output.chunks.map((c) => c.text).join('')).toContain('client: connection lost');
    expect(end.traffic.flatMap((t) => t.chunks).length).toBe(4);
    // The middle of the run: the echo is in flight somewhere.
    const firstData = details.markers.find((m) => m.kind === 'connection')!.seq;
    const mid = await call<ReplayView>('recordings.stateAt', echoId, firstData, { trafficBytes: 0 });
    expect(mid.snapshot.transports!.length).toBeGreaterThan(0);
    expect(await call<number>('recordings.seek', echoId, { wall: 1e9 })).toBe(details.counts.lines);
  });

  it('exports pcapng, trace and cast into the exports folder', async () => {
    for (const format of ['pcapng', 'trace', 'cast'] as const) {
      const result = await call<{ file: string; sizeBytes: number }>('recordings.export', echoId, format);
      expect(path.dirname(result.file)).toBe(path.join(recordingsDir, 'exports'));
      expect(readFileSync(result.file).length).toBe(result.sizeBytes);
    }
    expect(readdirSync(path.join(recordingsDir, 'exports')).sort()).toEqual([echoId.replace('.lwrec', '.cast'), echoId.replace('.lwrec', '.pcapng'), echoId.replace('.lwrec', '.trace.json')].sort());
  });

  it('renames, pins and deletes; refuses names with folders and ids outside the history', async () => {
    const renamed = await call<RecordingSummary>('recordings.rename', echoId, 'echo session');
    expect(renamed).toMatchObject({ id: 'echo session.lwrec', scenario: 'library/tcp-echo-protocol.ts' });
    await call('recordings.pin', renamed.id);
    expect((await call<RecordingSummary[]>('recordings.list'))[0]).toMatchObject({ id: 'echo session.lwrec', pinned: true });
    await expect(call('recordings.rename', renamed.id, '../escape')).rejects.toThrow(/cannot be a recording's name/);
    await expect(call('recordings.open', '../../etc/passwd')).rejects.toThrow(/invalid arguments/);
    await expect(call('recordings.open', 'nope.lwrec')).rejects.toThrow(/there is no recording "nope.lwrec"/);
    await call('recordings.unpin', renamed.id);
    await call('recordings.delete', renamed.id);
    expect(await call('recordings.list')).toEqual([]);
  });

  it('opens a damaged recording with a clear error, and one cut off by a crash with a warning', async () => {
    const { finalId } = await recordLibrary('hello-world');
    const text = readFileSync(path.join(recordingsDir, finalId!), 'utf8');
    const lines = text.split('\n');
    writeFileSync(path.join(recordingsDir, 'torn.lwrec.partial'), text.slice(0, text.length - 7));
    const torn = await call<RecordingDetails>('recordings.open', 'torn.lwrec.partial');
    expect(torn.warnings).toEqual([expect.stringMatching(/the last line \(line \d+\) was cut off, probably by a crash/)]);
    expect(torn.summary.status).toBe('cut-short');
    lines[3] = lines[3].slice(0, 20);
    writeFileSync(path.join(recordingsDir, 'damaged.lwrec'), lines.join('\n'));
    await expect(call('recordings.open', 'damaged.lwrec')).rejects.toThrow(/line 4 is corrupt/);
    // The history says so before the file is opened; an intact one has no problem, a cut-off partial is cut short.
    const listed = await call<RecordingSummary[]>('recordings.list');
    expect(listed.find((r) => r.id === 'damaged.lwrec')).toMatchObject({ status: 'complete', problem: 'line 4 looks damaged: opening the recording says what is wrong' });
    expect(listed.find((r) => r.id === finalId)?.problem).toBeUndefined();
    expect(listed.find((r) => r.id === 'torn.lwrec.partial')).toMatchObject({ status: 'cut-short' });
    expect(listed.find((r) => r.id === 'torn.lwrec.partial')?.problem).toBeUndefined();
    for (const id of [finalId!, 'torn.lwrec.partial', 'damaged.lwrec']) await call('recordings.delete', id);
  });

  it('keeps the folder within the disk bound, deleting the oldest unpinned recordings first', async () => {
    expect(await call('recordings.settings')).toEqual({ maxBytes: 1024 ** 3 });
    /** A recording of the given day (January 2026): 400 kB, or `lines` lines of about 100 bytes. */
    const seed = (day: number, lines = 4000) => {
      const header = recordingHeader({ appVersion: '1', platform: 'x', scenarioPath: `s${day}.ts`, source: '', clock: 'virtual', startedAt: new Date(Date.UTC(2026, 0, day)) });
      const filler = Array.from({ length: lines }, (_, i) => JSON.stringify({ seq: i + 1, wall: i, kind: 'output', stream: 'stdout', text: 'x'.repeat(60) })).join('\n');
      writeFileSync(path.join(recordingsDir, `day${day}.lwrec`), `${JSON.stringify(header)}\n${filler}\n`);
    };
    // Four from four different days.
    for (let day = 1; day <= 4; day++) seed(day);
    await call('recordings.pin', 'day1.lwrec');
    await call('recordings.setSettings', { maxBytes: 1024 * 1024 });
    // 1.6 MB > 1 MiB: day2 (the oldest unpinned) goes, then day3; day1 is pinned, day4 fits.
    expect((await call<RecordingSummary[]>('recordings.list')).map((r) => r.id).sort()).toEqual(['day1.lwrec', 'day4.lwrec']);
    expect(changes().find((c) => c.reason === 'pruned')?.ids).toEqual(['day2.lwrec', 'day3.lwrec']);
    expect(existsSync(path.join(recordingsDir, '.loopwright-recordings.json'))).toBe(true);
    expect(await call('recordings.settings')).toEqual({ maxBytes: 1024 * 1024 });

    // A recording larger than the bound on its own is kept while it is the newest, and goes when a newer one comes.
    await call('recordings.unpin', 'day1.lwrec');
    seed(5, 20_000);
    await call('recordings.setSettings', { maxBytes: 1024 * 1024 });
    expect((await call<RecordingSummary[]>('recordings.list')).map((r) => r.id)).toEqual(['day5.lwrec']);
    seed(6, 20_000);
    await call('recordings.setSettings', { maxBytes: 1024 * 1024 });
    expect((await call<RecordingSummary[]>('recordings.list')).map((r) => r.id)).toEqual(['day6.lwrec']);
    await call('recordings.delete', 'day6.lwrec');
  });
});
