// What `recordings.stateAt` answers, built from the timeline: the replayed loop state at a line in
// the snapshot's shape, plus the tails of console output, traffic and errors up to that line.
import type { RecordingLine } from './format';
import type { ReplayView, ReplayViewOptions, TrafficSourceInfo } from './recordings';
import { toLoopSnapshot } from './replay-state';
import type { ReplayTimeline, TrafficSource } from './replay-timeline';

/** Reads lines from..to (inclusive), or the given list of lines, in order. */
export interface LineReader {
  range(from: number, to: number): RecordingLine[];
  pick(seqs: readonly number[]): RecordingLine[];
}

/** A label for a transport's traffic: what it connects, or whose pipe it is. */
export function trafficLabel(source: TrafficSource, all: ReadonlyMap<number, TrafficSource>): string {
  if (source.kind === 'pipe') {
    const parent = source.parentId === undefined ? undefined : all.get(source.parentId);
    const stream = source.fd === 0 ? 'stdin' : source.fd === 1 ? 'stdout' : source.fd === 2 ? 'stderr' : `fd ${source.fd ?? '?'}`;
    return parent === undefined ? `pipe #${source.transportId}` : `${stream} of ${parent.program ?? 'process'}${parent.pid === undefined ? '' : ` (pid ${parent.pid})`}`;
  }
  if (source.kind === 'subprocess') return `${source.program ?? 'process'}${source.pid === undefined ? '' : ` (pid ${source.pid})`}`;
  return `${source.kind} ${source.local ?? '?'} → ${source.peer ?? '*'}`;
}

/** The transports of a timeline with their labels. */
export function trafficSources(timeline: ReplayTimeline): TrafficSourceInfo[] {
  const list = timeline.trafficSources();
  const byId = new Map(list.map((s) => [s.transportId, s]));
  return list.map((s) => ({ ...s, label: trafficLabel(s, byId) }));
}

/** Builds the view of line `seq` (0: before the first line). */
export function replayView(timeline: ReplayTimeline, seq: number, read: LineReader, options: ReplayViewOptions = {}): ReplayView {
  const target = Math.max(0, Math.min(seq, timeline.counts.lines));
  const state = timeline.stateAt(target, (from, to) => read.range(from, to));
  const outputChars = options.outputChars ?? 65_536;
  const trafficBytes = options.trafficBytes ?? 65_536;

  const out = timeline.outputTail(target, outputChars);
  const outputChunks: ReplayView['output']['chunks'] = [];
  for (const line of read.pick(out.seqs)) if (line.kind === 'output') outputChunks.push({ seq: line.seq, stream: line.stream, text: line.text });

  const wanted = options.transports === undefined ? null : new Set(options.transports);
  const traffic: ReplayView['traffic'] = [];
  for (const source of timeline.trafficSources()) {
    if (source.openedSeq > target || (wanted !== null && !wanted.has(source.transportId))) continue;
    const tail = timeline.trafficTail(source.transportId, target, trafficBytes);
    if (tail.seqs.length === 0 && tail.omittedBytes === 0) continue;
    const chunks: ReplayView['traffic'][number]['chunks'] = [];
    for (const line of read.pick(tail.seqs)) {
      if (line.kind !== 'event' || line.event.type !== 'transport-data') continue;
      const e = line.event;
      chunks.push({ seq: line.seq, direction: e.direction, data: e.data, size: e.size, time: e.time, ...(e.fd !== undefined ? { fd: e.fd } : {}), ...(e.addr !== undefined ? { addr: e.addr } : {}) });
    }
    traffic.push({ transportId: source.transportId, chunks, omittedBytes: tail.omittedBytes });
  }

  const errs = timeline.errorsUpTo(target, 200);
  const items: ReplayView['errors']['items'] = [];
  for (const line of read.pick(errs.seqs)) {
    if (line.kind === 'error') {
      items.push({ seq: line.seq, source: 'run', fatal: line.fatal, name: line.name, message: line.message, stack: line.stack, ...(line.line !== undefined ? { line: line.line } : {}), ...(line.column !== undefined ? { column: line.column } : {}) });
    } else if (line.kind === 'event' && line.event.type === 'exception') {
      const e = line.event;
      const [name, ...rest] = (e.exception ?? 'Error').split(': ');
      items.push({ seq: line.seq, source: 'loop', fatal: false, name, message: rest.length > 0 ? `${e.message}: ${rest.join(': ')}` : e.message });
    }
  }

  const current = state.current;
  return {
    seq: target,
    line: target === 0 ? null : (read.range(target, target)[0] ?? null),
    wall: target === 0 ? 0 : timeline.timesAt(target).wall,
    snapshot: toLoopSnapshot(state, options.limit ?? 2000),
    current: current === null ? null : { ...current },
    runState: state.runState,
    servers: [...state.servers.values()].map((v) => ({ id: v.id, sockets: [...v.sockets], listening: v.listening })),
    futures: [...state.futures.values()].slice(0, options.limit ?? 2000).map((f) => ({ ...f })),
    output: { chunks: outputChunks, omitted: out.omitted },
    traffic,
    errors: { items, omitted: errs.omitted },
    counts: { events: state.counts.events, callbacks: state.counts.callbacks, errors: state.counts.errors, output: state.counts.output },
  };
}
