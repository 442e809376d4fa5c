import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LoopSnapshot } from '../../../shared/engine/snapshot';
import type { LoopwrightApi } from '../../../shared/ipc/contract';
import type { RecordingDetails, ReplaySeek, ReplayView } from '../../../shared/recording/recordings';
import { installFakeHost } from '../testing/fake-api';
import { useEditorStore } from './editor';
import { useLayoutStore } from './layout';
import { useReplayStore } from './replay';
import { useRunStore } from './run';
import { useScenariosStore } from './scenarios';
import { useTerminalStore } from './terminal';

const ID = '2026-01-01T00-00-00-000Z_tcp-echo-protocol.lwrec';
const LINES = 100;
const encode = (text: string) => btoa(text);

function snapshot(seq: number): LoopSnapshot {
  return {
    time: seq / 10,
    iteration: Math.floor(seq / 10),
    clock: 'real',
    running: seq < LINES,
    closed: false,
    ready: seq % 2 === 0 ? [{ id: seq, callback: `cb${seq}`, args: '' }] : [],
    readyCount: seq % 2 === 0 ? 1 : 0,
    scheduled: [],
    scheduledCount: 0,
    tasks: [],
    taskCount: 0,
    // Connection 1 is open from line 20 to line 80.
    transports: seq >= 20 && seq < 80 ? [{ id: 1, kind: 'tcp', state: 'open', peer: '127.0.0.1:5000', bytesIn: 0, bytesOut: 0, writeBufferSize: 0, paused: { reading: false, writing: false } }] : [],
  };
}

/** The replay model of a made-up recording: "ping" is sent at line 30, "pong" received at line 60. */
function viewAt(seq: number): ReplayView {
  const chunks = [
    { seq: 30, direction: 'out' as const, data: encode('ping'), size: 4, time: 3 },
    { seq: 60, direction: 'in' as const, data: encode('pong'), size: 4, time: 6 },
  ].filter((c) => c.seq <= seq);
  return {
    seq,
    line: null,
    wall: seq,
    snapshot: snapshot(seq),
    current: seq % 2 === 1 ? { id: seq - 1, callback: `cb${seq - 1}`, args: '', startedSeq: seq } : null,
    runState: seq === LINES ? 'finished' : 'running',
    servers: [],
    futures: seq >= 40 && seq < 80 ? [{ id: 99, name: 'Future#99', created: 4 }] : [],
    output: { chunks: seq >= 50 ? [{ seq: 50, stream: 'stdout', text: 'halfway\n' }] : [], omitted: 0 },
    traffic: chunks.length > 0 ? [{ transportId: 1, chunks, omittedBytes: 0 }] : [],
    errors: { items: [], omitted: 0 },
    counts: { events: seq, callbacks: Math.floor(seq / 2), errors: 0, output: seq >= 50 ? 1 : 0 },
  };
}

const DETAILS: RecordingDetails = {
  summary: { id: ID, scenario: 'library/tcp-echo-protocol.ts', clock: 'real', startedAt: '2026-01-01T00:00:00.000Z', durationMs: LINES, events: LINES, lines: LINES, sizeBytes: 5000, pinned: false, status: 'complete', runState: 'finished' },
  header: {
    format: 'loopwright-recording',
    version: 1,
    app: { name: 'Loopwright', version: '0.1.0' },
    platform: 'linux',
    scenario: { path: 'library/tcp-echo-protocol.ts', source: '', sha256: '0'.repeat(64) },
    clock: 'real',
    startedAt: '2026-01-01T00:00:00.000Z',
  },
  warnings: [],
  counts: { lines: LINES, events: LINES, callbacks: 50, iterations: 10, errors: 0, output: 1, tasks: 0, transports: 1 },
  loopTime: { start: 0, end: 10 },
  markers: [{ seq: 20, kind: 'connection', label: 'tcp 127.0.0.1:5000' }],
  markersOmitted: 0,
  iterations: { count: 10, seqs: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] },
  series: {
    iteration: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    seq: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
    time: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    ready: [1, 2, 3, 4, 5, 5, 4, 3, 2, 1],
    timers: [0, 0, 1, 1, 1, 1, 1, 1, 0, 0],
    events: [10, 10, 10, 10, 10, 10, 10, 10, 10, 11],
  },
  transports: [{ transportId: 1, kind: 'tcp', peer: '127.0.0.1:5000', local: '127.0.0.1:40000', openedSeq: 20, label: 'tcp 127.0.0.1:40000 → 127.0.0.1:5000' }],
};

/** A host whose `stateAt` answers when the test says so, so calls in flight can be counted. */
function installRecordings(): { stateAtCalls: number[]; seeks: ReplaySeek[]; answer(): Promise<void> } {
  const stateAtCalls: number[] = [];
  const seeks: ReplaySeek[] = [];
  const waiting: (() => void)[] = [];
  const recordings: Partial<LoopwrightApi['recordings']> = {
    open: async () => DETAILS,
    stateAt: (_id, seq) => {
      stateAtCalls.push(seq);
      return new Promise<ReplayView>((resolve) => waiting.push(() => resolve(viewAt(seq))));
    },
    seek: async (_id, where) => {
      seeks.push(where);
      if ('step' in where) return where.direction === 'back' ? Math.max(0, where.from - (where.from % 2 === 1 ? 1 : 2)) : Math.min(LINES, where.from + 1);
      return 0;
    },
  };
  window.loopwright = { recordings } as unknown as LoopwrightApi;
  return {
    stateAtCalls,
    seeks,
    async answer() {
      waiting.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe('the replay store', () => {
  let host: ReturnType<typeof installRecordings>;
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    host = installRecordings();
  });

  async function openIt(): Promise<void> {
    const opened = useReplayStore().open(ID);
    await new Promise((r) => setTimeout(r, 0));
    await host.answer();
    expect(await opened).toBe(true);
  }

  it('opens a recording at its last line and shows it in the panels in place of the run, run commands off', async () => {
    const layout = useLayoutStore();
    layout.showPanelTab('recordings');
    await openIt();
    const replay = useReplayStore();
    const run = useRunStore();
    expect(replay.active).toBe(true);
    expect(replay.position).toBe(LINES);
    expect(run.session?.snapshot.value).toEqual(snapshot(LINES));
    expect(run.followed).toBeNull();
    expect(run.enabled.run).toBe(false);
    expect(run.disabledReason('run')).toBe('Replay mode shows a recording: close it (Esc) to run.');
    // The panels come forward: the terminal, not the history it was opened from.
    expect(layout.panelTab).toBe('terminal');
  });

  it('asks the host for one line at a time while dragging: the newest position, intermediate ones dropped', async () => {
    await openIt();
    const replay = useReplayStore();
    for (let seq = 10; seq <= 50; seq += 5) replay.goTo(seq);
    expect(replay.position).toBe(50);
    expect(host.stateAtCalls).toEqual([LINES, 10]);
    await host.answer();
    expect(host.stateAtCalls).toEqual([LINES, 10, 50]);
    await host.answer();
    expect(replay.view?.seq).toBe(50);
    expect(useRunStore().session?.snapshot.value?.time).toBe(5);
  });

  it('shows the terminal and the output as they were at the line, read-only, closed after the close', async () => {
    await openIt();
    const replay = useReplayStore();
    const run = useRunStore();
    const terminal = useTerminalStore();
    replay.goTo(40);
    await host.answer();
    expect(terminal.tabs.map((t) => [t.key, t.state, t.writable, t.bytesOut, t.bytesIn])).toEqual([['t1', 'open', false, 4, 0]]);
    expect(run.session?.output.text()).toBe('');
    replay.goTo(70);
    await host.answer();
    expect(terminal.tabs.map((t) => [t.bytesOut, t.bytesIn])).toEqual([[4, 4]]);
    expect(run.session?.output.text()).toBe('halfway');
    replay.goTo(90);
    await host.answer();
    expect(terminal.tabs[0].state).toBe('closed');
    replay.goTo(10);
    await host.answer();
    expect(terminal.tabs).toEqual([]);
  });

  it("lists the futures pending at the line in the inspector's Futures, as a live run's session has them", async () => {
    await openIt();
    const replay = useReplayStore();
    const run = useRunStore();
    replay.goTo(30);
    await host.answer();
    expect([...run.session!.futures.value.values()]).toEqual([]);
    replay.goTo(50);
    await host.answer();
    expect([...run.session!.futures.value.values()]).toEqual([{ id: 99, name: 'Future#99', created: 4 }]);
    replay.goTo(90);
    await host.answer();
    expect([...run.session!.futures.value.values()]).toEqual([]);
  });

  it('marks what the move changed in the inspector, as after a step of a live run', async () => {
    await openIt();
    const replay = useReplayStore();
    replay.goTo(40);
    await host.answer();
    replay.goTo(42);
    await host.answer();
    const changes = useRunStore().session!.changes.value;
    expect([...changes.ready]).toEqual([42]);
  });

  it('steps back one callback from the scrubber line and shows where it lands', async () => {
    await openIt();
    const replay = useReplayStore();
    replay.goTo(41);
    await host.answer();
    await replay.step('callback', 'back');
    expect(host.seeks).toEqual([{ step: 'callback', direction: 'back', from: 41 }]);
    expect(replay.position).toBe(40);
    await host.answer();
    expect(replay.view?.seq).toBe(40);
  });

  it('closes: the panels show the followed run again and the run commands come back', async () => {
    await openIt();
    const replay = useReplayStore();
    replay.goTo(30);
    replay.close();
    await host.answer();
    const run = useRunStore();
    expect(replay.active).toBe(false);
    expect(run.session).toBeNull();
    expect(run.disabledReason('run')).not.toContain('Replay');
    // The answer that was in flight for line 30 arrived after the close and changed nothing.
    expect(replay.view).toBeNull();
  });
});

describe('playing a recording', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('as fast as possible steps one event per frame, and ends on the last line after the last event', async () => {
    const stateAt = async (_id: string, seq: number) => viewAt(seq);
    // Events stop at line 97; lines 98 to 100 are the run's end (output, state).
    const seek = async (_id: string, where: ReplaySeek) => ('step' in where ? Math.min(97, where.from + 1) : 0);
    window.loopwright = { recordings: { open: async () => DETAILS, stateAt, seek } } as unknown as LoopwrightApi;
    const replay = useReplayStore();
    await replay.open(ID);
    replay.goTo(90);
    replay.play('max');
    for (let i = 0; i < 200 && replay.playing; i++) await new Promise((r) => setTimeout(r, 5));
    expect(replay.playing).toBeNull();
    expect(replay.position).toBe(LINES);
  });
});

describe('the recorded scenario beside a replay', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('opens the recorded scenario in the editor and says when its text is not what ran', async () => {
    const host = installFakeHost({ 'library/tcp-echo-protocol.ts': 'console.log("edited since");\n' });
    const details: RecordingDetails = { ...DETAILS, header: { ...DETAILS.header, scenario: { ...DETAILS.header.scenario, source: 'console.log("what ran");\n' } } };
    const recordings = { open: async () => details, stateAt: async (_id: string, seq: number) => viewAt(seq) };
    window.loopwright = { ...host.api, recordings } as unknown as LoopwrightApi;
    await useScenariosStore().refresh();
    const replay = useReplayStore();
    expect(await replay.open(ID)).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(useEditorStore().active?.ref).toEqual({ location: 'library', path: 'tcp-echo-protocol.ts' });
    expect(replay.sourceChanged).toBe(true);
    useEditorStore().active!.text = 'console.log("what ran");\n';
    expect(replay.sourceChanged).toBe(false);
    expect(replay.sourceMissing).toBe(false);
  });

  it('says when the recorded scenario is not here (a recording from elsewhere), shows the recorded source on request, and hides it on close', async () => {
    const host = installFakeHost({ 'workspace/other.ts': 'x\n' });
    const recordings = { open: async () => DETAILS, stateAt: async (_id: string, seq: number) => viewAt(seq) };
    window.loopwright = { ...host.api, recordings } as unknown as LoopwrightApi;
    await useScenariosStore().refresh();
    const replay = useReplayStore();
    expect(await replay.open(ID)).toBe(true);
    expect(replay.scenario).toBeNull();
    expect(replay.sourceMissing).toBe(true);
    expect(useEditorStore().documents).toEqual([]);
    replay.showSource(true);
    expect(replay.sourceShown).toBe(true);
    replay.close();
    expect(replay.sourceShown).toBe(false);
    replay.showSource(true);
    expect(replay.sourceShown).toBe(false);
  });
});
