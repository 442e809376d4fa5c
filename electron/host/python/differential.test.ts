import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../shared/engine/events';
import { RunManager } from '../runs/run-manager';
import { compareRuns, formatReport, nameKey, normalise } from './differential';
import { runPair } from './differential-run';
import { describePython } from './testing/python-available';

const ROOT = path.resolve(__dirname, '../../..');
const LIBRARY = path.join(ROOT, 'scenarios/examples');

/** Every example that exists in both languages: X.py beside X.ts. */
const PAIRS = readdirSync(LIBRARY)
  .filter((f) => f.endsWith('.py') && existsSync(path.join(LIBRARY, f.replace(/\.py$/, '.ts'))))
  .map((f) => f.replace(/\.py$/, ''));

describe('the differential check (normalisation and comparison)', () => {
  it('compares names across the languages: snake_case and camelCase, without prefixes', () => {
    expect(nameKey('_run_until_complete_cb')).toBe(nameKey('runUntilCompleteCb'));
    expect(nameKey('hello_world')).toBe(nameKey('helloWorld'));
    expect(nameKey('EchoServerProtocol.data_received')).toBe(nameKey('dataReceived'));
  });

  const ev = (events: Partial<EngineEvent>[]) => events.map((e) => ({ time: 0, ...e }) as EngineEvent);
  const timerRun = (order: number[]) =>
    normalise(
      ev([
        { type: 'timer-scheduled', id: 1, callback: 'first', args: '', when: 1 },
        { type: 'timer-scheduled', id: 2, callback: 'second', args: '', when: 1 },
        { type: 'iteration-start', iteration: 1, ready: 0, scheduled: 2 },
        { type: 'timer-due', id: order[0] },
        { type: 'timer-due', id: order[1] },
        { type: 'handle-started', id: order[0] },
        { type: 'handle-finished', id: order[0] },
        { type: 'handle-started', id: order[1] },
        { type: 'handle-finished', id: order[1] },
      ]),
      '',
    );

  it('says so when timers with equal deadlines ran in another order, rather than hiding it or failing', () => {
    const report = compareRuns(timerRun([2, 1]), timerRun([1, 2]));
    expect(report.verdict).toBe('equal-up-to-undefined-order');
    expect(report.undefinedOrder.join('\n')).toContain('timers with equal deadlines');
    const same = compareRuns(timerRun([1, 2]), timerRun([1, 2]));
    expect(same.verdict).toBe('equal');
    expect(same.undefinedOrder.join('\n')).toContain('does not define their order');
  });

  it('finds a real difference and points at it', () => {
    const a = normalise(ev([{ type: 'handle-scheduled', id: 1, callback: 'a', args: '' }, { type: 'iteration-start', iteration: 1, ready: 1, scheduled: 0 }, { type: 'handle-started', id: 1 }, { type: 'handle-finished', id: 1 }]), 'x\n');
    const b = normalise(ev([{ type: 'handle-scheduled', id: 1, callback: 'b', args: '' }, { type: 'iteration-start', iteration: 1, ready: 1, scheduled: 0 }, { type: 'handle-started', id: 1 }, { type: 'handle-finished', id: 1 }]), 'y\n');
    const report = compareRuns(a, b);
    expect(report.verdict).toBe('different');
    expect(report.differences).toEqual(['the printed output differs', 'iteration 1, callback 1: Python ran a, the engine b']);
  });
});

describePython(
  'the differential check over the library: CPython against our engine, event by event',
  () => {
    it('finds the examples that exist in both languages', () => {
      expect(PAIRS).toEqual(expect.arrayContaining(['hello-world', 'future', 'coroutine-async-function', 'coroutine-generator', 'ten-tasks', 'tcp-echo-protocol']));
    });
    const manager = new RunManager(path.join(ROOT, 'out/engine'));
    for (const name of PAIRS) {
      it(`${name}: CPython and the engine agree event by event, or the report says where asyncio leaves the order open`, async () => {
        const { report } = await runPair(manager, path.join(LIBRARY, `${name}.py`), path.join(LIBRARY, `${name}.ts`));
        const text = formatReport(report, { python: `${name}.py`, typescript: `${name}.ts` });
        console.log(text);
        expect(report.outputEqual, text).toBe(true);
        expect(report.verdict, text).not.toBe('different');
      });
    }
  },
  { timeout: 60_000 },
);
