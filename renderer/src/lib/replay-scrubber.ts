// The scrubber's arithmetic, apart from Vue: one host call in flight at a time, where to draw the
// markers and iteration ticks, and how playing advances.
import type { ReplayMarkerInfo, ReplaySeek } from '../../../shared/recording/recordings';

/**
 * Runs `load` for the latest position asked for, with at most one call in flight: positions asked
 * for while a call runs are dropped except the last, which runs when it answers. Dragging the
 * scrubber asks for dozens of lines a second; the host rebuilds one, the newest, at a time.
 */
export class LatestOnly<T> {
  private running = false;
  private waiting: { value: number } | null = null;
  private generation = 0;

  constructor(
    private readonly load: (value: number) => Promise<T>,
    private readonly apply: (result: T, value: number) => void,
    private readonly fail: (error: unknown, value: number) => void = () => {},
  ) {}

  /** Whether a call is in flight. */
  get busy(): boolean {
    return this.running;
  }

  /** Asks for `value`: loaded now if nothing is in flight, else when the call in flight answers (unless superseded). */
  request(value: number): void {
    this.waiting = { value };
    if (!this.running) void this.drain();
  }

  /** Forgets what is waiting and ignores the answer in flight (the recording was closed). */
  cancel(): void {
    this.waiting = null;
    this.generation++;
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting) {
      const { value } = this.waiting;
      this.waiting = null;
      const generation = this.generation;
      try {
        const result = await this.load(value);
        if (generation === this.generation) this.apply(result, value);
      } catch (error) {
        if (generation === this.generation) this.fail(error, value);
      }
    }
    this.running = false;
  }
}

/** Where a line sits on the scrubber, from 0 (line 0, before the first) to 1 (the last line). */
export function fraction(seq: number, lines: number): number {
  return lines <= 0 ? 0 : Math.min(1, Math.max(0, seq / lines));
}

/** The line under a fraction of the scrubber's width. */
export function lineAt(ratio: number, lines: number): number {
  return Math.round(Math.min(1, Math.max(0, ratio)) * Math.max(0, lines));
}

/**
 * Iteration ticks worth drawing: none when they would be closer than `minGapPx` on average (a
 * solid band says nothing), else the given lines, thinned so no two are closer than `minGapPx`.
 */
export function visibleTicks(seqs: readonly number[], iterations: number, lines: number, widthPx: number, minGapPx = 4): number[] {
  if (lines <= 0 || widthPx <= 0 || iterations === 0 || iterations * minGapPx > widthPx) return [];
  const ticks: number[] = [];
  let lastPx = -Infinity;
  for (const seq of seqs) {
    const px = fraction(seq, lines) * widthPx;
    if (px - lastPx < minGapPx) continue;
    ticks.push(seq);
    lastPx = px;
  }
  return ticks;
}

/** Markers grouped so that at most one per kind is drawn per `bucketPx` of width (a flood of connections stays legible). */
export function visibleMarkers(markers: readonly ReplayMarkerInfo[], lines: number, widthPx: number, bucketPx = 3): ReplayMarkerInfo[] {
  if (lines <= 0 || widthPx <= 0) return [];
  const seen = new Set<string>();
  const shown: ReplayMarkerInfo[] = [];
  for (const m of markers) {
    const key = `${m.kind}:${Math.floor((fraction(m.seq, lines) * widthPx) / bucketPx)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    shown.push(m);
  }
  return shown;
}

/** Playing speeds: the recording's own pace, ten times it, or as fast as the frames go (see `maxPlayStride`). */
export type PlaySpeed = '1x' | '10x' | 'max';

/** Frames a "max" play of a long recording takes from start to end: about ten seconds at 60 frames a second. */
const MAX_PLAY_FRAMES = 600;

/**
 * Lines a "max" play moves per frame: one event at a time while that ends within ten seconds, else
 * a stride that does (one event per frame would take hours through a million-line recording).
 */
export function maxPlayStride(lines: number): number {
  return Math.max(1, Math.ceil(lines / MAX_PLAY_FRAMES));
}

/** A playhead: where playing is, in the recording's own time (wall ms or loop seconds). */
export interface Playhead {
  speed: PlaySpeed;
  /** `wall` on the real clock; `time` (loop seconds) on the virtual clock, whose wall times are all about zero. */
  axis: 'wall' | 'time';
  /** Current position on the axis. */
  at: number;
  /** For "max": lines per frame (`maxPlayStride`); 1 steps event by event. */
  stride?: number;
}

/**
 * The seek for the next frame of playing, `elapsedMs` after the previous one, and the playhead
 * moved along: by the recording's time for 1x and 10x, by its stride (one event, or more on a long
 * recording) for "as fast as possible".
 */
export function nextPlayFrame(head: Playhead, elapsedMs: number, from: number): { seek: ReplaySeek; head: Playhead } {
  if (head.speed === 'max') {
    const stride = head.stride ?? 1;
    // A stride lands on a line `stride` further on (the host clamps at the end); one line further from `from + stride - 1`.
    const seek: ReplaySeek = stride <= 1 ? { step: 'event', direction: 'forward', from } : { step: 'line', direction: 'forward', from: from + stride - 1 };
    return { seek, head };
  }
  const factor = head.speed === '10x' ? 10 : 1;
  const advance = head.axis === 'wall' ? elapsedMs * factor : (elapsedMs / 1000) * factor;
  const at = head.at + advance;
  return { seek: head.axis === 'wall' ? { wall: at } : { time: at }, head: { ...head, at } };
}
