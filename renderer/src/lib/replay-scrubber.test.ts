import { describe, expect, it } from 'vitest';
import { LatestOnly, fraction, lineAt, maxPlayStride, nextPlayFrame, visibleMarkers, visibleTicks } from './replay-scrubber';

/** A promise with its resolver, to answer a load when the test says so. */
interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('LatestOnly', () => {
  it('keeps one call in flight and runs only the newest of the positions asked for meanwhile', async () => {
    const calls: number[] = [];
    const answers: Deferred<string>[] = [];
    const applied: string[] = [];
    const latest = new LatestOnly<string>(
      (value) => {
        calls.push(value);
        const d = deferred<string>();
        answers.push(d);
        return d.promise;
      },
      (result) => applied.push(result),
    );
    latest.request(1);
    latest.request(2);
    latest.request(3);
    latest.request(4);
    expect(calls).toEqual([1]);
    expect(latest.busy).toBe(true);
    answers[0].resolve('line 1');
    await tick();
    expect(applied).toEqual(['line 1']);
    expect(calls).toEqual([1, 4]);
    answers[1].resolve('line 4');
    await tick();
    expect(applied).toEqual(['line 1', 'line 4']);
    expect(latest.busy).toBe(false);
  });

  it('ignores the answer in flight after cancel, and goes on after a failure', async () => {
    const applied: number[] = [];
    const failed: number[] = [];
    const d = deferred<number>();
    let first = true;
    const latest = new LatestOnly<number>(
      (value) => {
        if (first) {
          first = false;
          return d.promise;
        }
        return value === 13 ? Promise.reject(new Error('bad line')) : Promise.resolve(value);
      },
      (result) => applied.push(result),
      (_error, value) => failed.push(value),
    );
    latest.request(5);
    latest.cancel();
    d.resolve(5);
    await tick();
    expect(applied).toEqual([]);
    latest.request(13);
    await tick();
    latest.request(14);
    await tick();
    expect(failed).toEqual([13]);
    expect(applied).toEqual([14]);
  });
});

describe('scrubber geometry', () => {
  it('maps lines to fractions and back, clamped to the recording', () => {
    expect(fraction(50, 200)).toBe(0.25);
    expect(fraction(300, 200)).toBe(1);
    expect(fraction(3, 0)).toBe(0);
    expect(lineAt(0.25, 200)).toBe(50);
    expect(lineAt(-1, 200)).toBe(0);
    expect(lineAt(2, 200)).toBe(200);
  });

  it('draws iteration ticks only when they are not a solid band, thinned to a minimum gap', () => {
    expect(visibleTicks([10, 20, 30], 3, 100, 100)).toEqual([10, 20, 30]);
    // 1,000 iterations on 400 px: too dense to mean anything.
    expect(visibleTicks([1, 2, 3], 1000, 1000, 400)).toEqual([]);
    // Two ticks 1 px apart: the second goes.
    expect(visibleTicks([10, 11, 50], 3, 100, 100)).toEqual([10, 50]);
  });

  it('keeps one marker per kind per few pixels, so a flood of connections stays legible', () => {
    const markers = [
      { seq: 10, kind: 'connection' as const, label: 'a' },
      { seq: 11, kind: 'connection' as const, label: 'b' },
      { seq: 11, kind: 'error' as const, label: 'boom' },
      { seq: 90, kind: 'connection' as const, label: 'c' },
    ];
    expect(visibleMarkers(markers, 100, 100, 3).map((m) => m.label)).toEqual(['a', 'boom', 'c']);
  });
});

describe('playing', () => {
  it('advances wall time by the elapsed time (10x: ten times it) on the real clock', () => {
    const one = nextPlayFrame({ speed: '1x', axis: 'wall', at: 100 }, 16, 5);
    expect(one.seek).toEqual({ wall: 116 });
    const ten = nextPlayFrame({ speed: '10x', axis: 'wall', at: 100 }, 16, 5);
    expect(ten.seek).toEqual({ wall: 260 });
    expect(ten.head.at).toBe(260);
  });

  it('advances loop time on the virtual clock, and steps one event per frame as fast as possible', () => {
    expect(nextPlayFrame({ speed: '1x', axis: 'time', at: 2 }, 500, 5).seek).toEqual({ time: 2.5 });
    expect(nextPlayFrame({ speed: 'max', axis: 'time', at: 2 }, 500, 7).seek).toEqual({ step: 'event', direction: 'forward', from: 7 });
  });

  it('plays a long recording as fast as possible in strides that reach its end in about ten seconds of frames', () => {
    expect(maxPlayStride(119)).toBe(1);
    expect(maxPlayStride(600)).toBe(1);
    expect(maxPlayStride(601)).toBe(2);
    expect(maxPlayStride(1_000_000)).toBe(1667);
    // A stride of 1667 lines from line 10 lands on line 1677: one 'line' step from 1676.
    expect(nextPlayFrame({ speed: 'max', axis: 'wall', at: 0, stride: 1667 }, 16, 10).seek).toEqual({ step: 'line', direction: 'forward', from: 1676 });
  });
});
