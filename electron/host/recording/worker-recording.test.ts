// A scenario worker encodes each event once into bytes and the recorder stores those bytes as they
// came (no parsing on the way): the recording must still hold every event the loop emitted, equal
// to the events themselves. Checked against the same scenario observed in this process, on the
// virtual clock so that both runs emit the same stream.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../../shared/engine/events';
import { RunManager } from '../runs/run-manager';
import { sampleRun } from './live-sampler';
import { readRecording } from './recording-reader';
import { libraryScenario, recordRun } from './test-recordings';

const manager = new RunManager(path.resolve(__dirname, '../../../out/engine'));
let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'loopwright-worker-recording-'))));
afterAll(async () => {
  await manager.stopAll();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

async function liveEvents(name: string): Promise<unknown[]> {
  vi.resetModules();
  vi.spyOn(console, 'log').mockImplementation(() => {});
  const engine = await import('loopwright');
  const run = await sampleRun(engine, { clock: 'virtual', sampleAt: () => false }, () => import(`../../../scenarios/examples/${name}.ts`));
  return run.lines.map((line) => (line.kind === 'event' ? line.event : null));
}

describe('a worker run recorded from its encoded batches', { timeout: 60_000 }, () => {
  for (const name of ['ten-tasks', 'cancellation', 'coroutine-generator']) {
    it(`${name}: the recording holds every event of the loop, equal to the live ones, and a parsing listener hears the same`, async () => {
      const live = await liveEvents(name);
      const out = path.join(dir, `${name}.lwrec`);
      const { result, totals } = await recordRun(libraryScenario(name), out, { clock: 'virtual', manager });
      expect(result.state).toBe('finished');
      const recorded = (await readRecording(out)).lines.flatMap((line) => (line.kind === 'event' ? [line.event] : []));
      expect(recorded.length).toBeGreaterThan(10);
      expect(totals.events).toBe(recorded.length);
      expect(recorded).toEqual(live);

      // A listener without eventBatch gets the batches parsed into objects.
      const heard: EngineEvent[] = [];
      const file = libraryScenario(name);
      const run = await manager.start({ file, source: readFileSync(file, 'utf8'), clock: 'virtual' }, { events: (e) => heard.push(...e) });
      await run.done;
      expect(heard).toEqual(live);
    });
  }
});

describe('output in a recording', { timeout: 60_000 }, () => {
  // A print belongs where it happened: inside the callback (or task step) that made it, as the live
  // console showed it, even though output and events cross from the worker in the same batches.
  for (const name of ['hello-world', 'ten-tasks']) {
    it(`${name}: every output line lies between the start and the end of the callback that printed it`, async () => {
      const out = path.join(dir, `${name}-output.lwrec`);
      const { result } = await recordRun(libraryScenario(name), out, { clock: 'virtual', manager });
      expect(result.state).toBe('finished');
      const lines = (await readRecording(out)).lines;
      let running: number | null = null;
      const printedIn: (number | null)[] = [];
      for (const line of lines) {
        if (line.kind === 'event' && line.event.type === 'handle-started') running = line.event.id;
        if (line.kind === 'event' && line.event.type === 'handle-finished') running = null;
        if (line.kind === 'output') printedIn.push(running);
      }
      expect(printedIn.length).toBeGreaterThan(0);
      expect(printedIn).not.toContain(null);
    });
  }
});

