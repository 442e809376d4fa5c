// Test support: records runs of scenarios exactly as the runs service does (a scenario worker
// from the built engine, the recorder on its listener), and finds the command-line tools the
// export tests check their files with.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ClockKind } from '../../../shared/scenarios/scenario';
import { RunManager, type RunResult } from '../runs/run-manager';
import { recordingHeader } from './recording-writer';
import { RunRecorder, type RecordingTotals } from './run-recorder';

const ROOT = path.resolve(__dirname, '../../..');

/** The library scenario `name` (without .ts). */
export function libraryScenario(name: string): string {
  return path.join(ROOT, 'scenarios/examples', `${name}.ts`);
}

/** Runs `file` in a worker and records it into `out`; resolves when the recording is final. */
export async function recordRun(file: string, out: string, options: { clock?: ClockKind; source?: string; manager?: RunManager } = {}): Promise<{ result: RunResult; totals: RecordingTotals }> {
  const source = options.source ?? (await readFile(file, 'utf8'));
  const clock = options.clock ?? (/clock: 'virtual'/.test(source) ? 'virtual' : 'real');
  const manager = options.manager ?? new RunManager(path.join(ROOT, 'out/engine'));
  const recorder = await RunRecorder.create(out, recordingHeader({ appVersion: 'test', platform: 'test', scenarioPath: file, source, clock }));
  const run = await manager.start({ file, source, clock, events: true }, recorder.listener);
  const result = await run.done;
  const totals = await recorder.finish();
  return { result, totals };
}

/**
 * Whether a command-line tool is installed. Where it is not, the tests that need it skip with a
 * message, except on CI (CI=true), where .ci/run installs it and its absence is a failure.
 */
export function tool(name: 'tshark' | 'asciinema' | 'script'): { available: boolean; reason: string } {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
  if (found) return { available: true, reason: '' };
  const reason = `${name} is not installed (Debian: apt-get install ${name === 'script' ? 'bsdutils' : name}); .ci/run installs it`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}`);
  return { available: false, reason };
}
