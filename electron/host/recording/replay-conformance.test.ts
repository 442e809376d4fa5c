import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LoopSnapshot } from '../../../shared/engine/snapshot';
import { applyLine, initialReplayState, toLoopSnapshot } from '../../../shared/recording/replay-state';
import { ReplayTimeline } from '../../../shared/recording/replay-timeline';
import { sampleRun, type SampledRun } from './live-sampler';

const EXAMPLES: { name: string; clock: 'real' | 'virtual' }[] = [
  { name: 'hello-world', clock: 'virtual' },
  { name: 'call-later', clock: 'virtual' },
  { name: 'future', clock: 'virtual' },
  { name: 'coroutine-async-function', clock: 'virtual' },
  { name: 'coroutine-generator', clock: 'virtual' },
  { name: 'ten-tasks', clock: 'virtual' },
  { name: 'cancellation', clock: 'virtual' },
  { name: 'tcp-echo-protocol', clock: 'real' },
  { name: 'tcp-echo-streams', clock: 'real' },
  { name: 'udp-echo', clock: 'real' },
  { name: 'subprocess-line-protocol', clock: 'real' },
  { name: 'flow-control', clock: 'real' },
];

afterEach(() => vi.restoreAllMocks());

async function liveRun(name: string, clock: 'real' | 'virtual'): Promise<SampledRun> {
  vi.resetModules();
  vi.spyOn(console, 'log').mockImplementation(() => {});
  // The engine instance the scenario will import (the module registry was just reset).
  const engine = await import('loopwright');
  return sampleRun(engine, { clock }, () => import(`../../../scenarios/examples/${name}.ts`));
}

function mismatches(run: SampledRun): string[] {
  const state = initialReplayState(run.clock);
  const problems: string[] = [];
  for (const line of run.lines) {
    applyLine(state, line);
    const live = run.snapshots.get(line.seq);
    if (live === undefined) continue;
    const replayed: LoopSnapshot = toLoopSnapshot(state, 100_000);
    if (live.transports === undefined) delete replayed.transports;
    const expected = run.clock === 'real' ? { ...live, time: replayed.time } : live;
    const diff = Object.keys(expected).filter((k) => JSON.stringify(replayed[k as keyof LoopSnapshot]) !== JSON.stringify(expected[k as keyof LoopSnapshot]));
    if (diff.length > 0) {
      const ev = line.kind === 'event' ? JSON.stringify(line.event).slice(0, 200) : line.kind;
      problems.push(`line ${line.seq} ${ev}:\n${diff.map((k) => `  ${k}: replay ${JSON.stringify(replayed[k as keyof LoopSnapshot])}\n  ${k}: live   ${JSON.stringify(expected[k as keyof LoopSnapshot])}`).join('\n')}`);
      if (problems.length >= 3) break;
    }
  }
  return problems;
}

describe('replay equals the live loop.snapshot() at every event', { timeout: 30_000 }, () => {
  for (const { name, clock } of EXAMPLES) {
    it(`${name} (${clock} clock)`, async () => {
      const run = await liveRun(name, clock);
      expect(run.loops).toBe(1);
      expect(run.snapshots.size).toBeGreaterThan(5);
      const problems = mismatches(run);
      if (problems.length > 0) console.error(`${name}:\n${problems.join('\n')}`);
      expect(problems).toEqual([]);
    });
  }
});

describe('seeking from a keyframe gives the state of folding from the first line', { timeout: 30_000 }, () => {
  for (const { name, clock } of EXAMPLES.filter((e) => ['cancellation', 'ten-tasks', 'tcp-echo-streams', 'subprocess-line-protocol'].includes(e.name))) {
    it(`${name}: every line, keyframes every 7 lines`, async () => {
      const run = await liveRun(name, clock);
      const timeline = new ReplayTimeline(run.clock, { keyframeEvery: 7 });
      for (const line of run.lines) timeline.add(line);
      expect(timeline.keyframeCount).toBeGreaterThan(3);
      const read = (from: number, to: number) => run.lines.slice(from - 1, to);
      const state = initialReplayState(run.clock);
      for (const line of run.lines) {
        applyLine(state, line);
        const sought = timeline.stateAt(line.seq, read);
        expect(toLoopSnapshot(sought), `line ${line.seq}`).toEqual(toLoopSnapshot(state));
        expect(sought.current, `line ${line.seq}`).toEqual(state.current);
      }
    });
  }
});
