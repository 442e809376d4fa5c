import { markRaw, shallowReactive, shallowRef } from 'vue';
import type { EngineEvent } from '../../../shared/engine/events';
import type { LoopSnapshot } from '../../../shared/engine/snapshot';
import type { TransportTrafficEvent } from '../../../shared/engine/observer-events';
import type { TransportEvent } from '../../../shared/engine/transport-events';
import type { HostConnectionEventInfo, RunErrorEvent, RunOutputEvent, RunStartResult, RunStateEvent, SourceLocationInfo } from '../../../shared/runs/run';
import type { ClockKind, ScenarioRef } from '../../../shared/scenarios/scenario';
import type { PendingFuture } from './await-tree';
import { EventLog } from './event-log';
import { formatCount, formatDuration } from './format';
import { IterationSeries } from './iteration-series';
import { OutputLog } from './output-log';
import { NO_CHANGES, diffSnapshots, type SnapshotChanges } from './snapshot-diff';
import { TrafficTabs } from './traffic';

/** Where a run is in its life, as the workbench shows it. `rejected`: it did not compile; nothing ran. */
export type SessionState = 'starting' | 'running' | 'paused' | 'finished' | 'failed' | 'stopped' | 'rejected';

/** The state of a run with what goes with it. */
export interface SessionStatus {
  state: SessionState;
  /** Why it paused. */
  reason?: 'pause' | 'step' | 'breakpoint';
  /** The callback it paused in front of. */
  next?: { id: number; callback: string } | null;
  /** For `rejected` and a failed start: what went wrong, in a sentence. */
  message?: string;
}

/** Whether a state means the run is still going. */
export const isLive = (state: SessionState) => state === 'starting' || state === 'running' || state === 'paused';

type Incoming =
  | { kind: 'events'; events: EngineEvent[]; dropped: number; cursor: number }
  | { kind: 'output'; event: RunOutputEvent }
  | { kind: 'state'; event: RunStateEvent }
  | { kind: 'error'; event: RunErrorEvent }
  | { kind: 'connection'; event: HostConnectionEventInfo };

let nextLocalId = 1;

/** Events waiting to be applied beyond which the oldest waiting batches are dropped. */
const MAX_BACKLOG = 300_000;

const fileOf = (path: string) => path.split(/[\\/]/).pop() ?? path;

/**
 * Everything the workbench knows about one run, kept apart from every other run: its state, the
 * latest snapshot and what changed in it, the output, the event log, the timeline's series, the
 * pending futures and the terminal's traffic. Incoming data is queued as it arrives and applied by
 * `flush`, once per animation frame and within a time budget; the reactive members (`status`,
 * `snapshot`, `changes`, `futures`, `revisions`) change only there, so the views render at most once
 * per frame however fast the run goes.
 */
export class RunSession {
  readonly localId = nextLocalId++;
  runId: string | null;
  clock: ClockKind;
  /** Wall-clock start, for host events' times and the durations shown. */
  readonly startedAt: number;
  readonly status = shallowRef<SessionStatus>({ state: 'starting' });
  readonly snapshot = shallowRef<LoopSnapshot | null>(null);
  readonly changes = shallowRef<SnapshotChanges>(NO_CHANGES);
  readonly futures = shallowRef<ReadonlyMap<number, PendingFuture>>(new Map());
  /** Bumped when the plain (non-reactive) logs below have new content. */
  readonly revisions = shallowReactive({ output: 0, events: 0, timeline: 0, tabs: 0, traffic: 0 });
  readonly output = new OutputLog();
  readonly events = new EventLog();
  readonly timeline = new IterationSeries();
  readonly traffic: TrafficTabs;
  /** Errors of the run (fatal and reported), in order. */
  readonly errors: RunErrorEvent[] = [];

  private queue: Incoming[] = [];
  /** Events queued and not yet applied. */
  private backlog = 0;
  /** The line that warns of dropped events and how many it counts (it counts on, see `flush`). */
  private dropWarning: { seq: number; count: number } | null = null;
  private pendingSnapshot: LoopSnapshot | null = null;
  /** The snapshot shown at the current pause, and the one a new pause compares with. */
  private pausedSnapshot: LoopSnapshot | null = null;
  private baseline: LoopSnapshot | null = null;
  /** Counts pauses, so that the snapshots of one pause share a baseline. */
  private pauseSeq = 0;
  private baselineSeq = -1;
  private readonly pendingFutures = new Map<number, PendingFuture>();
  private endedAt: number | null = null;

  constructor(
    readonly scenario: ScenarioRef,
    readonly name: string,
    clock: ClockKind,
    options: { runId?: string; state?: SessionState; startedAt?: number } = {},
  ) {
    this.runId = options.runId ?? null;
    this.clock = clock;
    this.startedAt = options.startedAt ?? Date.now();
    this.traffic = new TrafficTabs(this.startedAt);
    if (options.state) this.status.value = { state: options.state };
    const at = new Date(this.startedAt).toLocaleTimeString('en-GB');
    this.output.line('notice', `▶ ${name} · ${clock} clock · ${options.runId ? 'running since' : 'started'} ${at}`);
    this.revisions.output++;
    markRaw(this);
  }

  get state(): SessionState {
    return this.status.value.state;
  }

  /** Whether data is waiting for `flush`. */
  get hasPending(): boolean {
    return this.queue.length > 0 || this.pendingSnapshot !== null;
  }

  /** The host accepted the run (or refused it): the answer of `runs.start`. */
  started(result: RunStartResult): void {
    if (result.ok) {
      this.runId = result.runId;
      this.clock = result.clock;
      return;
    }
    this.status.value = { state: 'rejected', message: result.message };
    this.output.line('error', '✖ Not started: the scenario does not compile, so nothing ran.');
    for (const d of result.diagnostics) {
      const where = d.location ? `${fileOf(d.location.file)}:${d.location.line}:${d.location.column}` : '';
      this.output.line('error', `${where ? `${where}  ` : ''}${d.message}`, d.location);
      if (d.location?.lineText !== undefined) {
        this.output.line('source', `    ${d.location.lineText}`);
        this.output.line('source', `    ${' '.repeat(Math.max(0, d.location.column - 1))}^`);
      }
    }
    this.revisions.output++;
  }

  /** The start call itself failed (the host is gone, the scenario vanished). */
  failedToStart(message: string): void {
    this.status.value = { state: 'failed', message };
    this.output.line('error', `✖ The run could not start: ${message}`);
    this.revisions.output++;
  }

  enqueueEvents(events: EngineEvent[], dropped = 0): void {
    this.backlog += events.length;
    // A run can emit events faster than a window applies them: past the limit the oldest waiting
    // batches go, counted like the host's own drops, so memory stays bounded.
    let lost = 0;
    for (let i = 1; i < this.queue.length && this.backlog > MAX_BACKLOG; ) {
      const item = this.queue[i];
      if (item.kind === 'events' && item.cursor === 0) {
        this.backlog -= item.events.length;
        lost += item.events.length + item.dropped;
        this.queue.splice(i, 1);
      } else i++;
    }
    this.queue.push({ kind: 'events', events, dropped: dropped + lost, cursor: 0 });
  }

  enqueueOutput(event: RunOutputEvent): void {
    this.queue.push({ kind: 'output', event });
  }

  enqueueState(event: RunStateEvent): void {
    this.queue.push({ kind: 'state', event });
  }

  enqueueError(event: RunErrorEvent): void {
    this.queue.push({ kind: 'error', event });
  }

  enqueueConnection(event: HostConnectionEventInfo): void {
    this.queue.push({ kind: 'connection', event });
  }

  /** Only the newest snapshot matters: an older one still waiting is replaced. */
  enqueueSnapshot(snapshot: LoopSnapshot): void {
    this.pendingSnapshot = snapshot;
  }

  /**
   * Applies queued data until `deadline` (a `performance.now()` time) and publishes the result to
   * the reactive members. Returns whether data is left for the next frame.
   */
  flush(deadline: number): boolean {
    const touched = { output: false, events: false, tabs: false, traffic: false, futures: false };
    let dropped = 0;
    while (this.queue.length > 0) {
      if (performance.now() > deadline) break;
      const item = this.queue[0];
      if (item.kind === 'events') {
        if (item.cursor === 0 && item.dropped > 0) {
          dropped += item.dropped;
          this.events.droppedByHost += item.dropped;
        }
        const events = item.events;
        let i = item.cursor;
        // Check the clock every 256 events: a batch can hold 20,000.
        while (i < events.length) {
          const stop = Math.min(events.length, i + 256);
          for (; i < stop; i++) this.applyEvent(events[i], touched);
          if (performance.now() > deadline) break;
        }
        touched.events = true;
        this.backlog -= i - item.cursor;
        item.cursor = i;
        if (i < events.length) break;
      } else if (item.kind === 'output') {
        for (const chunk of item.event.chunks) this.output.write(chunk.stream, chunk.text);
        if (item.event.dropped) {
          this.output.dropped += item.event.dropped;
          this.output.line('warning', `⚠ ${formatCount(item.event.dropped)} output chunks were dropped: the window could not keep up with the run.`);
        }
        touched.output = true;
      } else if (item.kind === 'state') {
        this.applyState(item.event, touched);
      } else if (item.kind === 'error') {
        this.applyError(item.event);
        touched.output = true;
      } else {
        const result = this.traffic.applyHost(item.event);
        touched.tabs ||= result.tabs;
        touched.traffic ||= result.traffic;
      }
      this.queue.shift();
    }
    if (dropped > 0) {
      const warning = (count: number) =>
        `⚠ ${formatCount(count)} engine events were dropped: the window could not keep up. The event log, timeline, futures and terminal miss them; the loop inspector's snapshots are complete.`;
      // A busy run drops some every frame: one line, where the first went, counts them all (a new
      // one only once that line is no longer kept).
      const first = this.dropWarning;
      if (first !== null && this.output.rewrite(first.seq, warning(first.count + dropped))) first.count += dropped;
      else {
        this.output.line('warning', warning(dropped));
        this.dropWarning = { seq: this.output.lastSeq, count: dropped };
      }
      touched.output = true;
    }
    if (this.pendingSnapshot !== null) {
      const next = this.pendingSnapshot;
      this.pendingSnapshot = null;
      // Paused, what changed is what the last command did: compared with the previous pause, not
      // with a snapshot taken on the way (while a step ran).
      // Snapshots keep coming while paused; they all compare with the same baseline, so the
      // marks stay until the next command.
      if (this.status.value.state === 'paused') {
        if (this.pauseSeq !== this.baselineSeq) {
          this.baseline = this.pausedSnapshot ?? this.snapshot.value;
          this.baselineSeq = this.pauseSeq;
        }
        this.changes.value = diffSnapshots(this.baseline, next);
        this.pausedSnapshot = next;
      } else {
        this.changes.value = diffSnapshots(this.snapshot.value, next);
        this.pausedSnapshot = null;
      }
      this.snapshot.value = next;
      // Iterations whose events the host dropped get their point from the snapshots.
      if (this.events.droppedByHost > 0 && this.timeline.observeSnapshot(next.iteration, next.readyCount, next.scheduledCount, next.time)) this.revisions.timeline++;
      // The real clock's time line, for the host's connections (the virtual clock has none to match).
      if (next.clock === 'real' && next.running) this.traffic.loopOffset = next.time - (Date.now() - this.startedAt) / 1000;
    }
    if (touched.futures) this.futures.value = new Map(this.pendingFutures);
    if (touched.output) this.revisions.output++;
    if (touched.events) {
      this.revisions.events++;
      this.revisions.timeline++;
    }
    if (touched.tabs) this.revisions.tabs++;
    if (touched.traffic) this.revisions.traffic++;
    return this.hasPending;
  }

  private applyEvent(e: EngineEvent, touched: { tabs: boolean; traffic: boolean; futures: boolean }): void {
    this.events.push(e);
    this.timeline.observe(e);
    switch (e.type) {
      case 'future-created':
        this.pendingFutures.set(e.id, { id: e.id, name: e.name, created: e.time });
        touched.futures = true;
        return;
      case 'future-state':
        touched.futures = this.pendingFutures.delete(e.id) || touched.futures;
        return;
      case 'transport-opened':
      case 'transport-data':
      case 'transport-traffic':
      case 'transport-received':
      case 'transport-write-buffer':
      case 'transport-eof':
      case 'transport-flow':
      case 'transport-closing':
      case 'transport-lost':
      case 'transport-error':
      case 'process-exited':
      case 'server-listening':
      case 'server-closed': {
        const result = this.traffic.apply(e as TransportEvent | TransportTrafficEvent);
        touched.tabs ||= result.tabs;
        touched.traffic ||= result.traffic;
        return;
      }
      default:
        return;
    }
  }

  private applyState(e: RunStateEvent, touched: { output: boolean; tabs: boolean }): void {
    const was = this.status.value.state;
    if (was === 'rejected') return;
    if (e.state === 'paused') this.pauseSeq++;
    this.status.value = e.state === 'paused' ? { state: 'paused', reason: e.reason, next: e.next ?? null } : { state: e.state };
    if ((e.state === 'finished' || e.state === 'failed' || e.state === 'stopped') && this.endedAt === null) {
      this.endedAt = Date.now();
      const took = formatDuration((this.endedAt - this.startedAt) / 1000);
      const label = { finished: 'Finished', failed: 'Failed', stopped: 'Stopped' }[e.state];
      this.output.line(e.state === 'failed' ? 'error' : 'notice', `■ ${label} after ${took} of wall time.`);
      this.traffic.closeAll();
      touched.output = true;
      touched.tabs = true;
    }
  }

  private applyError(e: RunErrorEvent): void {
    this.errors.push(e);
    const where = e.location ? `  (${fileOf(e.location.file)}:${e.location.line}:${e.location.column})` : '';
    const location: SourceLocationInfo | undefined = e.location;
    this.output.line(e.fatal ? 'error' : 'warning', `${e.fatal ? '✖' : '⚠'} ${e.name}: ${e.message}${where}`, location);
    const lines = e.stack.split('\n');
    // The stack's first line repeats the message; the frames follow.
    for (const frame of lines.slice(lines[0]?.includes(e.message) ? 1 : 0)) {
      if (frame.trim() === '') continue;
      const match = /\(?((?:[A-Za-z]:)?[^():]+):(\d+):(\d+)\)?\s*$/.exec(frame);
      const frameLocation = match && e.location && match[1] === e.location.file ? { file: match[1], line: Number(match[2]), column: Number(match[3]) } : undefined;
      this.output.line('trace', `    ${frame.trim()}`, frameLocation);
    }
  }
}
