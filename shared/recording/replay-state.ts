// The replay model's fold: the loop's state rebuilt from a recording's lines, one line at a time,
// without running any of the scenario's code. Each engine event changes the state exactly as the
// engine changed its own queues when it emitted the event, so the state after line k equals what
// `loop.snapshot()` returned at that moment (replay-state.test.ts and the live comparison in
// electron/host/recording/replay-conformance.test.ts hold it to that).
//
// The fold is on the hot path of opening a recording (a million lines in well under a second), so
// the state is plain mutable objects and the switch below does no allocation beyond the entries it
// adds. Keyframes are deep copies made with {@link cloneReplayState}.
import type { EngineEvent } from '../engine/events';
import type { LoopSnapshot, ReadyEntry, ScheduledEntry, TaskEntry } from '../engine/snapshot';
import type { TransportInfo, TransportKind } from '../engine/transport-events';
import type { RecordingLine } from './format';

/** A callback in the ready queue; cancelled ones stay until the loop drops them, as in asyncio's deque. */
export interface ReplayReadyItem {
  id: number;
  callback: string;
  args: string;
  cancelled: boolean;
  /** Whether it came from the timer heap (a due timer). */
  timer: boolean;
  /** The line that scheduled it (the timer's scheduling line for a due timer). */
  scheduledSeq: number;
}

/** A timer on the heap. */
export interface ReplayTimer {
  id: number;
  when: number;
  callback: string;
  args: string;
  scheduledSeq: number;
}

/** A task that is not done. */
export interface ReplayTask {
  id: number;
  name: string;
  coro: string;
  /** 'running' while its step runs. */
  state: 'pending' | 'running';
  /** What it waits for, or null when a step is scheduled (or it never suspended yet). */
  awaiting: string | null;
  /** The id of the Future it waits for, when it is one. */
  awaitingId: number | null;
  createdSeq: number;
}

/** A transport as replay knows it: the snapshot's fields plus what its events said about it. */
export interface ReplayTransport {
  id: number;
  kind: TransportKind;
  peer: string | null;
  local: string | null;
  bytesIn: number;
  bytesOut: number;
  writeBufferSize: number;
  paused: { reading: boolean; writing: boolean };
  closing: boolean;
  eofIn: boolean;
  eofOut: boolean;
  /** connectionLost was delivered (the transport leaves the list when that callback ends). */
  finished: boolean;
  pid?: number;
  program?: string;
  returncode?: number | null;
  fd?: number;
  parentId?: number;
  serverId?: number;
  openedSeq: number;
}

/** A listening server. */
export interface ReplayServer {
  id: number;
  sockets: string[];
  listening: boolean;
}

/** The callback the loop is running at this line. */
export interface ReplayCurrent {
  id: number;
  callback: string;
  args: string;
  startedSeq: number;
}

/** The loop's state after one line of a recording. */
/** A pending Future: its id, name and the loop time it was created. */
export interface ReplayFuture {
  id: number;
  name: string;
  created: number;
}

export interface ReplayState {
  /** The last line folded in (0: only the header). */
  seq: number;
  /** Loop time of the last engine event. */
  time: number;
  /** Milliseconds since the recording started, of the last line. */
  wall: number;
  iteration: number;
  clock: 'real' | 'virtual';
  running: boolean;
  closed: boolean;
  /** The ready queue from `readyHead` on, in run order (a queue as an array and a head index). */
  ready: ReplayReadyItem[];
  readyHead: number;
  /** Callbacks of the current iteration not yet taken from the queue (the loop's `_todo`). */
  todo: number;
  timers: Map<number, ReplayTimer>;
  tasks: Map<number, ReplayTask>;
  transports: Map<number, ReplayTransport>;
  servers: Map<number, ReplayServer>;
  /** Futures created and not yet done (tasks aside), as the live inspector lists them. */
  futures: Map<number, ReplayFuture>;
  current: ReplayCurrent | null;
  /** The task whose step is running, if any. */
  runningTask: number | null;
  /** Transports whose connectionLost is running: they drop out of the list when it returns. */
  lost: number[];
  /** The run's state from the host's `state` lines. */
  runState: 'running' | 'paused' | 'finished' | 'failed' | 'stopped' | null;
  /** Counts up to this line. */
  counts: { callbacks: number; errors: number; output: number; events: number };
}

/** A fresh state for a recording on `clock`. */
export function initialReplayState(clock: 'real' | 'virtual'): ReplayState {
  return {
    seq: 0,
    time: 0,
    wall: 0,
    iteration: 0,
    clock,
    running: false,
    closed: false,
    ready: [],
    readyHead: 0,
    todo: 0,
    timers: new Map(),
    tasks: new Map(),
    transports: new Map(),
    servers: new Map(),
    futures: new Map(),
    current: null,
    runningTask: null,
    lost: [],
    runState: null,
    counts: { callbacks: 0, errors: 0, output: 0, events: 0 },
  };
}

/** How many entries the state holds (the cost of a copy): keyframes are spaced by it. */
export function replayStateSize(state: ReplayState): number {
  return state.ready.length - state.readyHead + state.timers.size + state.tasks.size + state.transports.size + state.servers.size + state.futures.size;
}

/** A deep copy (a keyframe), with the ready queue compacted. */
export function cloneReplayState(s: ReplayState): ReplayState {
  const transports = new Map<number, ReplayTransport>();
  for (const [id, t] of s.transports) transports.set(id, { ...t, paused: { ...t.paused } });
  const tasks = new Map<number, ReplayTask>();
  for (const [id, t] of s.tasks) tasks.set(id, { ...t });
  const servers = new Map<number, ReplayServer>();
  for (const [id, v] of s.servers) servers.set(id, { ...v, sockets: [...v.sockets] });
  const ready: ReplayReadyItem[] = [];
  for (let i = s.readyHead; i < s.ready.length; i++) ready.push({ ...s.ready[i] });
  return {
    ...s,
    ready,
    readyHead: 0,
    // Timer entries never change once made: the map is copied, the entries are shared.
    timers: new Map(s.timers),
    // Future entries never change either: removed when the future is done.
    futures: new Map(s.futures),
    tasks,
    transports,
    servers,
    current: s.current === null ? null : { ...s.current },
    lost: [...s.lost],
    counts: { ...s.counts },
  };
}

/** Folds one line into the state. Lines must come in order, each exactly once. */
export function applyLine(s: ReplayState, line: RecordingLine): void {
  s.seq = line.seq;
  s.wall = line.wall;
  switch (line.kind) {
    case 'event':
      s.counts.events++;
      applyEvent(s, line.event, line.seq);
      return;
    case 'output':
      s.counts.output++;
      return;
    case 'error':
      s.counts.errors++;
      return;
    case 'state':
      s.runState = line.state;
      return;
  }
}

function shiftReady(s: ReplayState): ReplayReadyItem | undefined {
  if (s.readyHead >= s.ready.length) return undefined;
  const item = s.ready[s.readyHead++];
  // Compact now and then so a long run does not keep every callback it ever queued.
  if (s.readyHead > 4096 && s.readyHead * 2 > s.ready.length) {
    s.ready = s.ready.slice(s.readyHead);
    s.readyHead = 0;
  }
  return item;
}

function findReady(s: ReplayState, id: number): ReplayReadyItem | undefined {
  // Newest first: a callback is usually cancelled soon after it was scheduled.
  for (let i = s.ready.length - 1; i >= s.readyHead; i--) if (s.ready[i].id === id) return s.ready[i];
  return undefined;
}

/** Transports whose connectionLost callback has returned leave the list (the engine unregisters them). */
function dropLost(s: ReplayState): void {
  for (const id of s.lost) s.transports.delete(id);
  s.lost.length = 0;
}

/** Folds one engine event into the state (see the module comment). */
export function applyEvent(s: ReplayState, e: EngineEvent, seq: number): void {
  s.time = e.time;
  switch (e.type) {
    case 'iteration-start':
      s.iteration = e.iteration;
      // The due timers that follow are moved to the queue before the loop fixes the iteration's size.
      s.todo = s.ready.length - s.readyHead;
      s.runningTask = null;
      return;
    case 'timer-due': {
      const t = s.timers.get(e.id);
      s.timers.delete(e.id);
      s.ready.push({ id: e.id, callback: t?.callback ?? '?', args: t?.args ?? '', cancelled: false, timer: true, scheduledSeq: t?.scheduledSeq ?? seq });
      s.todo++;
      return;
    }
    case 'iteration-end':
      // What the iteration did not start was cancelled: the loop dropped it silently.
      while (s.todo > 0) {
        shiftReady(s);
        s.todo--;
      }
      s.runningTask = null;
      if (s.lost.length > 0) dropLost(s);
      return;
    case 'loop-state':
      s.clock = e.clock;
      if (e.state === 'running') s.running = true;
      else if (e.state === 'stopped') s.running = false;
      else {
        s.closed = true;
        s.running = false;
        s.ready = [];
        s.readyHead = 0;
        s.todo = 0;
        s.timers.clear();
      }
      return;
    case 'handle-scheduled':
      s.ready.push({ id: e.id, callback: e.callback, args: e.args, cancelled: false, timer: false, scheduledSeq: seq });
      return;
    case 'timer-scheduled':
      s.timers.set(e.id, { id: e.id, when: e.when, callback: e.callback, args: e.args, scheduledSeq: seq });
      return;
    case 'handle-started': {
      // The loop takes handles in FIFO order; cancelled ones before this one were dropped silently.
      // (A handle the queue does not hold, which a well-formed recording never has, drops nothing.)
      let at = s.readyHead;
      while (at < s.ready.length && s.ready[at].id !== e.id) at++;
      let item: ReplayReadyItem | undefined;
      if (at < s.ready.length) {
        while ((item = shiftReady(s)) !== undefined) {
          if (s.todo > 0) s.todo--;
          if (item.id === e.id) break;
        }
      }
      s.runningTask = null;
      if (s.lost.length > 0) dropLost(s);
      s.current = { id: e.id, callback: item?.callback ?? '?', args: item?.args ?? '', startedSeq: seq };
      s.counts.callbacks++;
      return;
    }
    case 'handle-finished':
      s.current = null;
      if (s.lost.length > 0) dropLost(s);
      return;
    case 'handle-cancelled': {
      if (s.timers.delete(e.id)) return;
      const item = findReady(s, e.id);
      if (item !== undefined) item.cancelled = true;
      return;
    }
    case 'future-created':
      s.futures.set(e.id, { id: e.id, name: e.name, created: e.time });
      return;
    case 'future-state':
      s.futures.delete(e.id);
      return;
    case 'task-created':
      s.tasks.set(e.id, { id: e.id, name: e.name, coro: e.coro, state: 'pending', awaiting: null, awaitingId: null, createdSeq: seq });
      return;
    case 'task-step': {
      const t = s.tasks.get(e.id);
      if (t === undefined) return;
      t.awaiting = null;
      t.awaitingId = null;
      t.state = 'running';
      setRunningTask(s, e.id);
      return;
    }
    case 'task-awaiting': {
      const t = s.tasks.get(e.id);
      if (t === undefined) return;
      t.awaiting = e.awaiting;
      t.awaitingId = e.awaitingId ?? null;
      t.state = 'pending';
      if (s.runningTask === e.id) s.runningTask = null;
      return;
    }
    case 'task-done':
      s.tasks.delete(e.id);
      if (s.runningTask === e.id) s.runningTask = null;
      return;
    case 'exception':
      s.counts.errors++;
      return;
    case 'transport-opened': {
      const t: ReplayTransport = {
        id: e.transportId,
        kind: e.kind,
        peer: e.peer,
        local: e.local,
        bytesIn: 0,
        bytesOut: 0,
        writeBufferSize: 0,
        paused: { reading: false, writing: false },
        closing: false,
        eofIn: false,
        eofOut: false,
        finished: false,
        openedSeq: seq,
      };
      if (e.pid !== undefined) t.pid = e.pid;
      if (e.program !== undefined) t.program = e.program;
      if (e.kind === 'subprocess') t.returncode = null;
      if (e.fd !== undefined) t.fd = e.fd;
      if (e.parentId !== undefined) t.parentId = e.parentId;
      if (e.serverId !== undefined) t.serverId = e.serverId;
      s.transports.set(e.transportId, t);
      return;
    }
    case 'transport-received': {
      const t = s.transports.get(e.transportId);
      if (t === undefined) return;
      t.bytesIn += e.size;
      const parent = t.parentId === undefined ? undefined : s.transports.get(t.parentId);
      if (parent !== undefined && t.fd !== 0) parent.bytesIn += e.size;
      return;
    }
    case 'transport-data': {
      if (e.direction === 'in') return;
      const t = s.transports.get(e.transportId);
      if (t === undefined) return;
      t.bytesOut += e.size;
      const parent = t.parentId === undefined ? undefined : s.transports.get(t.parentId);
      if (parent !== undefined && t.fd === 0) parent.bytesOut += e.size;
      return;
    }
    case 'transport-write-buffer': {
      const t = s.transports.get(e.transportId);
      if (t === undefined) return;
      t.writeBufferSize = e.writeBufferSize;
      // A child's write buffer is its stdin's.
      const parent = t.parentId === undefined ? undefined : s.transports.get(t.parentId);
      if (parent !== undefined && t.fd === 0 && !parent.finished) parent.writeBufferSize = e.writeBufferSize;
      return;
    }
    case 'transport-eof': {
      const t = s.transports.get(e.transportId);
      if (t === undefined) return;
      if (e.direction === 'in') t.eofIn = true;
      else t.eofOut = true;
      return;
    }
    case 'transport-flow': {
      const t = s.transports.get(e.transportId);
      if (t === undefined) return;
      t.writeBufferSize = e.writeBufferSize;
      if (e.what === 'pause-reading') t.paused.reading = true;
      else if (e.what === 'resume-reading') t.paused.reading = false;
      else if (e.what === 'pause-writing') t.paused.writing = true;
      else t.paused.writing = false;
      return;
    }
    case 'transport-closing': {
      const t = s.transports.get(e.transportId);
      if (t !== undefined) t.closing = true;
      return;
    }
    case 'transport-lost': {
      const t = s.transports.get(e.transportId);
      if (t === undefined) return;
      t.finished = true;
      t.writeBufferSize = 0;
      s.lost.push(e.transportId);
      return;
    }
    case 'transport-error':
      return;
    case 'process-exited': {
      const t = s.transports.get(e.transportId);
      if (t !== undefined) t.returncode = e.returncode;
      return;
    }
    case 'server-listening':
      s.servers.set(e.serverId, { id: e.serverId, sockets: [...e.sockets], listening: true });
      return;
    case 'server-closed': {
      const v = s.servers.get(e.serverId);
      if (v !== undefined) v.listening = false;
      return;
    }
  }
}

function setRunningTask(s: ReplayState, id: number): void {
  if (s.runningTask !== null && s.runningTask !== id) {
    const previous = s.tasks.get(s.runningTask);
    if (previous !== undefined) previous.state = 'pending';
  }
  s.runningTask = id;
}

/** The transport's state label, as the engine's `_stateLabel` derives it. */
export function transportStateLabel(t: ReplayTransport): TransportInfo['state'] {
  if (t.finished) return 'closed';
  if (t.kind === 'subprocess') return t.closing || (t.returncode !== null && t.returncode !== undefined) ? 'closing' : 'open';
  if (t.closing) return 'closing';
  if (t.eofOut) return 'write-closed';
  if (t.eofIn) return 'read-closed';
  return 'open';
}

/** The state in the shape of `loop.snapshot({ limit })`. */
export function toLoopSnapshot(s: ReplayState, limit = 1000): LoopSnapshot {
  const ready: ReadyEntry[] = [];
  const end = Math.min(s.ready.length, s.readyHead + limit);
  for (let i = s.readyHead; i < end; i++) {
    const r = s.ready[i];
    if (!r.cancelled) ready.push({ id: r.id, callback: r.callback, args: r.args });
  }
  const scheduled: ScheduledEntry[] = sortedTimers(s, limit).map((t) => ({ id: t.id, when: t.when, callback: t.callback }));
  const tasks: TaskEntry[] = [];
  for (const t of s.tasks.values()) {
    if (tasks.length >= limit) break;
    const entry: TaskEntry = { id: t.id, name: t.name, state: t.state === 'running' && s.runningTask === t.id ? 'running' : 'pending', awaiting: t.awaiting };
    if (t.awaitingId !== null) entry.awaitingId = t.awaitingId;
    tasks.push(entry);
  }
  const transports: TransportInfo[] = [];
  for (const t of [...s.transports.values()].sort((a, b) => a.id - b.id)) {
    const info: TransportInfo = {
      id: t.id,
      kind: t.kind,
      state: transportStateLabel(t),
      peer: t.kind === 'subprocess' ? (t.program ?? t.peer) : t.peer,
      bytesIn: t.bytesIn,
      bytesOut: t.bytesOut,
      writeBufferSize: t.writeBufferSize,
      paused: { reading: t.paused.reading, writing: t.paused.writing },
    };
    if (t.kind === 'subprocess') {
      info.pid = t.pid;
      info.returncode = t.returncode ?? null;
    }
    transports.push(info);
  }
  return {
    time: s.time,
    iteration: s.iteration,
    clock: s.clock,
    running: s.running,
    closed: s.closed,
    ready,
    readyCount: s.ready.length - s.readyHead,
    scheduled,
    scheduledCount: s.timers.size,
    tasks,
    taskCount: s.tasks.size,
    transports,
  };
}

/** Live timers by deadline (ties in scheduling order, as the heap orders them), at most `limit`. */
export function sortedTimers(s: ReplayState, limit = Infinity): ReplayTimer[] {
  const all = [...s.timers.values()].sort((a, b) => a.when - b.when || a.scheduledSeq - b.scheduledSeq);
  return all.length > limit ? all.slice(0, limit) : all;
}
