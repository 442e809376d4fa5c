// The replay model's index over a whole recording: built in one pass when a recording is opened,
// it keeps keyframes (copies of the folded state every so many lines) so that the state at any
// line is one keyframe plus a short fold away, and small indexes for what the panels and the
// scrubber ask for: where callbacks and iterations start, markers, and where the console output
// and each transport's traffic are. Lines themselves stay where they are (a file, for the host):
// the timeline says which lines to read and folds them.
import type { EngineEvent } from '../engine/events';
import type { RecordingLine } from './format';
import { NumberList } from './number-list';
import { applyLine, cloneReplayState, initialReplayState, replayStateSize, type ReplayState } from './replay-state';

/** Something worth a mark on the scrubber. */
export interface ReplayMarker {
  seq: number;
  kind: 'error' | 'connection' | 'process-exit' | 'server' | 'closed';
  label: string;
}

/** What is known about a transport for labelling its traffic (it outlives the transport). */
export interface TrafficSource {
  transportId: number;
  kind: string;
  peer: string | null;
  local: string | null;
  pid?: number;
  program?: string;
  fd?: number;
  parentId?: number;
  serverId?: number;
  openedSeq: number;
}

/** Per-iteration figures for the timeline plot, as parallel arrays (see `ReplayTimeline.iterationSeries`). */
export interface IterationSeriesPoints {
  iteration: number[];
  seq: number[];
  time: number[];
  ready: number[];
  timers: number[];
  events: number[];
}

/** How lines are stepped through. */
export type StepUnit = 'line' | 'event' | 'callback' | 'iteration' | 'marker' | 'error';

/** Options of the timeline. */
export interface TimelineOptions {
  /** Lines between keyframes at least (default 2000). */
  keyframeEvery?: number;
}

const MAX_MARKERS = 20_000;


/** Lines of one kind with their sizes, to find a tail of a given size before a line. */
class SizedIndex {
  readonly seqs = new NumberList(64);
  readonly sizes = new NumberList(64);
  add(seq: number, size: number): void {
    this.seqs.push(seq);
    this.sizes.push(size);
  }
  /** Seqs of the last entries at or before `seq` whose sizes add up to `budget` (oldest first), and what was left out. */
  tail(seq: number, budget: number, maxEntries: number): { seqs: number[]; omitted: number; omittedSize: number } {
    const last = this.seqs.lastAtOrBefore(seq);
    const picked: number[] = [];
    let used = 0;
    let i = last;
    for (; i >= 0 && picked.length < maxEntries; i--) {
      const size = this.sizes.at(i);
      if (picked.length > 0 && used + size > budget) break;
      picked.push(this.seqs.at(i));
      used += size;
    }
    let omittedSize = 0;
    for (let j = i; j >= 0; j--) omittedSize += this.sizes.at(j);
    return { seqs: picked.reverse(), omitted: i + 1, omittedSize };
  }
}

/** The summary counts of a recording (over all its lines). */
export interface TimelineCounts {
  lines: number;
  events: number;
  callbacks: number;
  iterations: number;
  errors: number;
  output: number;
  tasks: number;
  transports: number;
}

/**
 * Builds the timeline line by line (`add`), then answers questions about it. The state at line k
 * is `stateAt(k, read)`, where `read(from, to)` returns lines from..to (inclusive) in order.
 */
export class ReplayTimeline {
  private state: ReplayState;
  private readonly keyframes: ReplayState[] = [];
  private readonly keyframeSeqs = new NumberList(64);
  private readonly every: number;
  private nextKeyframe: number;
  private readonly wall = new NumberList(4096);
  private readonly loopTime = new NumberList(4096);
  private readonly eventLines = new NumberList(4096);
  private readonly callbacks = new NumberList(4096);
  private readonly iterations = new NumberList(1024);
  // What each iteration-start event said (the timeline plot's figures), beside its line in `iterations`.
  private readonly iterationNumbers = new NumberList(1024);
  private readonly iterationTimes = new NumberList(1024);
  private readonly iterationReady = new NumberList(1024);
  private readonly iterationTimers = new NumberList(1024);
  private readonly errorLines = new NumberList(64);
  private readonly output = new SizedIndex();
  private readonly traffic = new Map<number, SizedIndex>();
  private readonly sources = new Map<number, TrafficSource>();
  private readonly markerList: ReplayMarker[] = [];
  private markersOmitted = 0;
  private lastTime = 0;
  private firstTime: number | null = null;
  readonly counts: TimelineCounts = { lines: 0, events: 0, callbacks: 0, iterations: 0, errors: 0, output: 0, tasks: 0, transports: 0 };

  constructor(
    readonly clock: 'real' | 'virtual',
    options: TimelineOptions = {},
  ) {
    this.every = options.keyframeEvery ?? 2000;
    this.state = initialReplayState(clock);
    this.keyframes.push(cloneReplayState(this.state));
    this.keyframeSeqs.push(0);
    this.nextKeyframe = this.every;
  }

  /** Folds the next line in (lines come in order, numbered from 1 without gaps). */
  add(line: RecordingLine): void {
    const s = this.state;
    applyLine(s, line);
    const seq = line.seq;
    this.counts.lines = seq;
    this.wall.push(line.wall);
    switch (line.kind) {
      case 'event':
        this.counts.events++;
        this.eventLines.push(seq);
        this.lastTime = line.event.time;
        if (this.firstTime === null) this.firstTime = line.event.time;
        this.indexEvent(line.event, seq);
        break;
      case 'output':
        this.counts.output++;
        this.output.add(seq, line.text.length);
        break;
      case 'error':
        this.counts.errors++;
        this.errorLines.push(seq);
        this.mark({ seq, kind: 'error', label: `${line.fatal ? 'uncaught ' : ''}${line.name}: ${line.message}` });
        break;
      case 'state':
        break;
    }
    this.loopTime.push(this.lastTime);
    if (seq >= this.nextKeyframe) {
      this.keyframes.push(cloneReplayState(s));
      this.keyframeSeqs.push(seq);
      // A big state costs as much to copy as to fold that many lines: space keyframes accordingly.
      this.nextKeyframe = seq + Math.max(this.every, 4 * replayStateSize(s));
    }
  }

  private indexEvent(e: EngineEvent, seq: number): void {
    switch (e.type) {
      case 'handle-started':
        this.counts.callbacks++;
        this.callbacks.push(seq);
        return;
      case 'iteration-start':
        this.counts.iterations++;
        this.iterations.push(seq);
        this.iterationNumbers.push(e.iteration);
        this.iterationTimes.push(e.time);
        this.iterationReady.push(e.ready);
        this.iterationTimers.push(e.scheduled);
        return;
      case 'task-created':
        this.counts.tasks++;
        return;
      case 'exception':
        this.counts.errors++;
        this.errorLines.push(seq);
        this.mark({ seq, kind: 'error', label: e.exception === undefined ? e.message : `${e.message}: ${e.exception}` });
        return;
      case 'transport-opened': {
        this.counts.transports++;
        const source: TrafficSource = { transportId: e.transportId, kind: e.kind, peer: e.peer, local: e.local, openedSeq: seq };
        if (e.pid !== undefined) source.pid = e.pid;
        if (e.program !== undefined) source.program = e.program;
        if (e.fd !== undefined) source.fd = e.fd;
        if (e.parentId !== undefined) source.parentId = e.parentId;
        if (e.serverId !== undefined) source.serverId = e.serverId;
        this.sources.set(e.transportId, source);
        if (e.kind !== 'pipe') {
          const what = e.kind === 'subprocess' ? `process ${e.pid ?? ''} ${e.program ?? ''}`.trim() : `${e.kind} ${e.local ?? ''} → ${e.peer ?? '*'}`;
          this.mark({ seq, kind: 'connection', label: `#${e.transportId} opened: ${what}` });
        }
        return;
      }
      case 'transport-data': {
        let index = this.traffic.get(e.transportId);
        if (index === undefined) this.traffic.set(e.transportId, (index = new SizedIndex()));
        index.add(seq, e.size);
        return;
      }
      case 'transport-lost': {
        const source = this.sources.get(e.transportId);
        if (source !== undefined && source.kind !== 'pipe') {
          this.mark({ seq, kind: 'closed', label: `#${e.transportId} closed${e.error === null ? '' : `: ${e.error.name}: ${e.error.message}`}` });
        }
        return;
      }
      case 'transport-error':
        this.mark({ seq, kind: 'error', label: `#${e.transportId}: ${e.error.name}: ${e.error.message}` });
        return;
      case 'process-exited':
        this.mark({ seq, kind: 'process-exit', label: `process ${e.pid} exited with ${e.returncode}` });
        return;
      case 'server-listening':
        this.mark({ seq, kind: 'server', label: `server #${e.serverId} listening on ${e.sockets.join(', ')}` });
        return;
      default:
        return;
    }
  }

  private mark(marker: ReplayMarker): void {
    if (this.markerList.length < MAX_MARKERS) this.markerList.push(marker);
    else this.markersOmitted++;
  }

  /** The markers (errors, connections, process exits, servers, closes) and how many were left out. */
  markers(): { markers: ReplayMarker[]; omitted: number } {
    return { markers: this.markerList, omitted: this.markersOmitted };
  }

  /** Where iterations start: the count and at most `max` of their lines, evenly spread. */
  iterationTicks(max: number): { count: number; seqs: number[] } {
    return { count: this.iterations.length, seqs: this.iterations.sample(max) };
  }

  /**
   * The timeline plot's figures per iteration (as a live run's plot has them): its number, line and
   * loop time, the ready queue and timers at its start, and the events it produced. At most `max`
   * points: beyond that, each point stands for a run of iterations and shows their highest figures,
   * so a spike is never sampled away.
   */
  iterationSeries(max: number): IterationSeriesPoints {
    const n = this.iterations.length;
    const out: IterationSeriesPoints = { iteration: [], seq: [], time: [], ready: [], timers: [], events: [] };
    if (n === 0) return out;
    // Events of iteration i: event lines from its start up to the next iteration's start.
    const eventsOf = (i: number) => {
      const first = this.eventLines.lastAtOrBefore(this.iterations.at(i));
      const end = i + 1 < n ? this.eventLines.lastAtOrBefore(this.iterations.at(i + 1)) : this.eventLines.length - 1;
      return end - first + (i + 1 < n ? 0 : 1);
    };
    const buckets = Math.min(n, max);
    for (let b = 0; b < buckets; b++) {
      const from = Math.floor((b * n) / buckets);
      const to = Math.floor(((b + 1) * n) / buckets);
      let ready = 0;
      let timers = 0;
      let events = 0;
      for (let i = from; i < to; i++) {
        ready = Math.max(ready, this.iterationReady.at(i));
        timers = Math.max(timers, this.iterationTimers.at(i));
        events = Math.max(events, eventsOf(i));
      }
      out.iteration.push(this.iterationNumbers.at(from));
      out.seq.push(this.iterations.at(from));
      out.time.push(this.iterationTimes.at(from));
      out.ready.push(ready);
      out.timers.push(timers);
      out.events.push(events);
    }
    return out;
  }

  /** Wall milliseconds and loop time of the first and last lines. */
  span(): { wallMs: number; loopStart: number; loopEnd: number } {
    return { wallMs: this.wall.length > 0 ? this.wall.at(this.wall.length - 1) : 0, loopStart: this.firstTime ?? 0, loopEnd: this.lastTime };
  }

  /** The transports that ever existed, in the order they opened. */
  trafficSources(): TrafficSource[] {
    return [...this.sources.values()];
  }

  /** Wall milliseconds and loop time at a line. */
  timesAt(seq: number): { wall: number; time: number } {
    if (seq <= 0 || this.wall.length === 0) return { wall: 0, time: this.firstTime ?? 0 };
    const i = Math.min(seq, this.wall.length) - 1;
    return { wall: this.wall.at(i), time: this.loopTime.at(i) };
  }

  /** The last line at or before a wall time (ms since the start) or a loop time; 0 before the first. */
  locate(at: { wall: number } | { time: number }): number {
    const list = 'wall' in at ? this.wall : this.loopTime;
    const value = 'wall' in at ? at.wall : at.time;
    return list.lastAtOrBefore(value) + 1;
  }

  /**
   * The line one step from `seq` in `direction`: the next or previous line, engine event, start of
   * a callback, start of an iteration, marker or error. Stays at the ends (0 is before the first line).
   */
  step(seq: number, unit: StepUnit, direction: 'forward' | 'back'): number {
    const last = this.counts.lines;
    if (unit === 'line') return Math.max(0, Math.min(last, seq + (direction === 'forward' ? 1 : -1)));
    let list: NumberList;
    if (unit === 'marker') {
      const seqs = this.markerList.map((m) => m.seq);
      if (direction === 'forward') return seqs.find((x) => x > seq) ?? seq;
      for (let i = seqs.length - 1; i >= 0; i--) if (seqs[i] < seq) return seqs[i];
      return seq;
    } else if (unit === 'event') list = this.eventLines;
    else if (unit === 'callback') list = this.callbacks;
    else if (unit === 'iteration') list = this.iterations;
    else list = this.errorLines;
    const i = list.lastAtOrBefore(seq);
    if (direction === 'forward') return i + 1 < list.length ? list.at(i + 1) : seq;
    // Back: the previous start strictly before this line.
    const j = i >= 0 && list.at(i) === seq ? i - 1 : i;
    return j >= 0 ? list.at(j) : seq;
  }

  /** Lines of console output (the last ones up to `maxChars`) at or before `seq`. */
  outputTail(seq: number, maxChars: number): { seqs: number[]; omitted: number } {
    const { seqs, omitted } = this.output.tail(seq, maxChars, 10_000);
    return { seqs, omitted };
  }

  /** Traffic lines of one transport (the last ones up to `maxBytes`) at or before `seq`. */
  trafficTail(transportId: number, seq: number, maxBytes: number): { seqs: number[]; omitted: number; omittedBytes: number } {
    const index = this.traffic.get(transportId);
    if (index === undefined) return { seqs: [], omitted: 0, omittedBytes: 0 };
    const t = index.tail(seq, maxBytes, 5_000);
    return { seqs: t.seqs, omitted: t.omitted, omittedBytes: t.omittedSize };
  }

  /** Error lines and exception events at or before `seq` (the last `max`). */
  errorsUpTo(seq: number, max: number): { seqs: number[]; omitted: number } {
    const last = this.errorLines.lastAtOrBefore(seq);
    const from = Math.max(0, last - max + 1);
    const seqs: number[] = [];
    for (let i = from; i <= last; i++) seqs.push(this.errorLines.at(i));
    return { seqs, omitted: from };
  }

  /** The keyframe to start from for line `seq`: its line number and (a copy of) its state. */
  keyframeFor(seq: number): { seq: number; state: ReplayState } {
    const i = Math.max(0, this.keyframeSeqs.lastAtOrBefore(seq));
    return { seq: this.keyframeSeqs.at(i), state: cloneReplayState(this.keyframes[i]) };
  }

  /** How many keyframes the timeline keeps. */
  get keyframeCount(): number {
    return this.keyframes.length;
  }

  /**
   * The state after line `seq`: the nearest keyframe, then the lines after it folded in.
   * `read(from, to)` must return lines from..to inclusive.
   */
  stateAt(seq: number, read: (from: number, to: number) => RecordingLine[]): ReplayState {
    const target = Math.max(0, Math.min(seq, this.counts.lines));
    const { seq: start, state } = this.keyframeFor(target);
    if (target > start) for (const line of read(start + 1, target)) applyLine(state, line);
    return state;
  }

  /** The state after the last line (the fold that built the timeline; do not change it). */
  get finalState(): ReplayState {
    return this.state;
  }
}
