// Runs a scenario module in this process with every loop it creates observed: each engine event
// becomes a recording line (through the encoder a scenario worker uses), and `loop.snapshot()` is
// taken right when chosen events are emitted.
// The replay conformance test compares those live snapshots with the replay model's state at the
// same lines; the determinism test compares the event streams of two runs.
import { encodeEvent } from '../../../shared/engine/event-lines';
import type { EngineEvent } from '../../../shared/engine/events';
import type { LoopSnapshot } from '../../../shared/engine/snapshot';
import type { RecordingLine } from '../../../shared/recording/format';
import type * as EngineModule from '../../engine/index';

type Engine = typeof EngineModule;

/** What one observed run produced. */
export interface SampledRun {
  lines: RecordingLine[];
  /** Live snapshots by the seq of the event line they were taken at. */
  snapshots: Map<number, LoopSnapshot>;
  /** How many loops the scenario created (the conformance test expects one). */
  loops: number;
  clock: 'real' | 'virtual';
}

/** Options of {@link sampleRun}. */
export interface SampleOptions {
  clock: 'real' | 'virtual';
  /** Which events to take a snapshot at (default: every one). */
  sampleAt?: (event: EngineEvent, seq: number) => boolean;
  /** Entries per snapshot list (default: 100,000, so nothing is cut). */
  limit?: number;
}

/**
 * Observes the loops created while `run` executes (it imports the scenario module), using the
 * engine module instance `engine` that the scenario imports too.
 */
export async function sampleRun(engine: Engine, options: SampleOptions, run: () => Promise<unknown>): Promise<SampledRun> {
  const lines: RecordingLine[] = [];
  const snapshots = new Map<number, LoopSnapshot>();
  const sampleAt = options.sampleAt ?? (() => true);
  const limit = options.limit ?? 100_000;
  let loops = 0;
  const Base = engine.getEventLoopClass();
  class ObservedLoop extends Base {
    constructor(o: EngineModule.EventLoopOptions, p: EngineModule.Platform) {
      super(o, p);
      loops++;
      this.setEventSink((event) => {
        const seq = lines.length + 1;
        // As a recording holds it: encoded as a scenario worker encodes it, then parsed back.
        lines.push({ seq, wall: 0, kind: 'event', event: JSON.parse(encodeEvent(event)) as EngineEvent });
        if (sampleAt(event, seq)) snapshots.set(seq, this.snapshot({ limit }));
      });
    }
  }
  Object.defineProperty(ObservedLoop, 'name', { value: Base.name });
  engine.setEventLoopClass(ObservedLoop);
  engine.setDefaultEventLoopOptions({ clock: options.clock });
  engine.setEventLoop(null);
  try {
    await run();
  } finally {
    engine.setEventLoopClass(Base);
    engine.setDefaultEventLoopOptions({});
    engine.setEventLoop(null);
  }
  return { lines, snapshots, loops, clock: options.clock };
}
