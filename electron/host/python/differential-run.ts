// Runs a program pair for the differential check -- the Python one under the instrumentation, the
// TypeScript one on our engine -- and compares their event streams (differential.ts).
import { readFile } from 'node:fs/promises';
import type { EngineEvent } from '../../../shared/engine/events';
import type { RunManager, RunResult } from '../runs/run-manager';
import { readMeta } from '../scenarios/meta';
import { compareRuns, normalise, type DiffReport, type NormalRun } from './differential';

/** One side of a pair, as it ran. */
export interface SideRun {
  result: RunResult | 'timeout';
  run: NormalRun;
  events: EngineEvent[];
}

async function runSide(manager: RunManager, file: string, timeoutS: number, python?: { interpreter?: string }): Promise<SideRun> {
  const source = await readFile(file, 'utf8');
  const meta = file.endsWith('.py') ? undefined : readMeta(source);
  const clock = (meta?.ok ? meta.meta?.clock : undefined) ?? 'real';
  const events: EngineEvent[] = [];
  let output = '';
  const run = await manager.start(
    { file, source, clock, events: true, ...(python ? { python } : {}) },
    {
      events: (e) => events.push(...e),
      output: (chunks) => {
        for (const c of chunks) if (c.stream === 'stdout') output += c.text;
      },
    },
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const result = await Promise.race([run.done, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutS * 1000)))]);
  clearTimeout(timer);
  if (result === 'timeout') await run.stop();
  return { result, run: normalise(events, output), events };
}

/** Runs `pythonFile` and `typescriptFile` one after the other and compares them. */
export async function runPair(
  manager: RunManager,
  pythonFile: string,
  typescriptFile: string,
  options: { timeout?: number; interpreter?: string } = {},
): Promise<{ report: DiffReport; python: SideRun; typescript: SideRun }> {
  const timeout = options.timeout ?? 30;
  const python = await runSide(manager, pythonFile, timeout, { interpreter: options.interpreter });
  const typescript = await runSide(manager, typescriptFile, timeout);
  const report = compareRuns(python.run, typescript.run);
  for (const [side, name] of [
    [python, 'the Python program'],
    [typescript, 'the TypeScript scenario'],
  ] as const) {
    if (side.result === 'timeout') report.differences.unshift(`${name} timed out after ${timeout} s`);
    else if (side.result.state !== 'finished') report.differences.unshift(`${name} ${side.result.state}${side.result.error ? `: ${side.result.error.name}: ${side.result.error.message}` : ''}`);
  }
  if (report.differences.length > 0) report.verdict = 'different';
  return { report, python, typescript };
}
