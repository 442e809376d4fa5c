// The `loopwright` command line: runs scenarios headless, for a terminal or CI.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { EngineEvent } from '../../../shared/engine/events';
import type { ClockKind } from '../../../shared/scenarios/scenario';
import { defaultFolders } from '../folders';
import { exportRecording } from '../recording/export-recording';
import { RecordingFile } from '../recording/recording-file';
import { RecordingError } from '../recording/recording-reader';
import { PARTIAL_SUFFIX, recordingHeader } from '../recording/recording-writer';
import { combineListeners, RunRecorder } from '../recording/run-recorder';
import { RunManager, type RunListener, type RunResult } from '../runs/run-manager';
import type { ScenarioErrorInfo } from '../runs/worker-protocol';
import { runPair } from '../python/differential-run';
import { formatReport } from '../python/differential';
import { pythonAvailable, PythonUnavailableError } from '../python/interpreter';
import { readPythonMeta } from '../python/python-meta';
import type { PythonDetail } from '../python/python-run';
import { readMeta } from '../scenarios/meta';
import { ScenarioStore } from '../scenarios/scenario-store';
import { ScenarioSyntaxError } from '../scenarios/transpile';
import { withoutPayloads } from '../services/without-payloads';
import { CLI_HELP, CliUsageError, parseCliArgs } from './cli-args';
import { checkOutput } from './output-check';

declare const __APP_VERSION__: string;

/** Exit codes, as documented in --help. */
export const EXIT = { ok: 0, failed: 1, usage: 2, timeout: 124 } as const;

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

/** The run's error as a compiler would print it: `file:line:col: Name: message`, then the stack. */
function formatError(error: ScenarioErrorInfo): string {
  const where = error.location ? `${error.location.file}:${error.location.line}:${error.location.column}: ` : '';
  const stack = error.stack.split('\n').slice(1).join('\n');
  return `${where}${error.name}: ${error.message}\n${stack ? `${stack}\n` : ''}`;
}

function formatSyntaxError(error: ScenarioSyntaxError): string {
  return error.all
    .map(({ message, location }) => {
      if (!location) return `error: ${message}\n`;
      const caret = location.lineText !== undefined ? `  ${location.lineText}\n  ${' '.repeat(location.column - 1)}^\n` : '';
      return `${location.file}:${location.line}:${location.column}: error: ${message}\n${caret}`;
    })
    .join('');
}

interface ScenarioRunOutcome {
  result: RunResult | 'timeout';
  stdout: string;
}

/** Runs one scenario file to its end (or the timeout), streaming as it goes. */
async function runScenario(
  manager: RunManager,
  file: string,
  options: { clock?: ClockKind; timeout?: number; json?: boolean; quiet?: boolean; record?: string; python?: string; detail?: PythonDetail },
  io: CliIo,
): Promise<ScenarioRunOutcome> {
  const source = await readFile(file, 'utf8');
  // A Python program (electron/host/python) runs on the real clock, in the user's interpreter.
  const isPython = file.endsWith('.py');
  const meta = isPython ? readPythonMeta(source) : readMeta(source);
  const clock = isPython ? 'real' : (options.clock ?? (meta.ok ? meta.meta?.clock : undefined) ?? 'real');
  let stdout = '';
  const json = (value: unknown) => io.stdout(`${JSON.stringify(value)}\n`);
  const recorder =
    options.record === undefined
      ? undefined
      : await RunRecorder.create(path.resolve(io.cwd, options.record), recordingHeader({ appVersion: appVersion(), platform: `${process.platform} ${process.arch}`, scenarioPath: file, source, clock, detail: options.detail }));
  const printing: RunListener = {
    output: (chunks) => {
      for (const chunk of chunks) {
        if (chunk.stream === 'stdout') stdout += chunk.text;
        if (options.json) json({ type: 'output', stream: chunk.stream, text: chunk.text });
        else if (!options.quiet) (chunk.stream === 'stdout' ? io.stdout : io.stderr)(chunk.text);
      }
    },
    events: (events: EngineEvent[]) => {
      if (options.json) for (const event of events) json(event);
    },
    error: (error, fatal) => {
      if (options.json) json({ type: 'error', fatal, ...error });
      // Python printed its own traceback on stderr, which passed through as it was.
      else if (fatal && !isPython) io.stderr(formatError(error));
    },
  };
  let run;
  try {
    // A recording needs the event stream even when nothing prints it.
    run = await manager.start(
      { file, source, clock, events: (options.json ?? false) || recorder !== undefined, python: { interpreter: options.python, detail: options.detail } },
      // A TypeScript run honours the payload part of a lighter level as the workbench does (see RunDetailSchema).
      lighter(isPython, options.detail, recorder ? combineListeners(printing, recorder.listener) : printing),
    );
  } catch (error) {
    await recorder?.discard();
    throw error;
  }
  const finishRecording = async () => {
    if (!recorder) return;
    const totals = await recorder.finish();
    if (totals.failure) io.stderr(`loopwright: the recording could not be completed: ${totals.failure} (what was written is in ${totals.file})\n`);
  };
  const sayNotices = (result: RunResult) => {
    // What the observer of a Python run has to say (partial view, events that may be missing).
    if (!options.json && !options.quiet) for (const n of result.notices ?? []) io.stderr(`loopwright: note: ${n.message}\n`);
  };
  if (options.timeout === undefined) {
    const result = await run.done;
    await finishRecording();
    sayNotices(result);
    return { result, stdout };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.timeout! * 1000)));
  const result = await Promise.race([run.done, timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') await run.stop();
  await finishRecording();
  if (result !== 'timeout') sayNotices(result);
  return { result, stdout };
}

function appVersion(): string {
  return typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev';
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo, appRoot = path.join(__dirname, '../..')): Promise<number> {
  let command;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`loopwright: ${error.message}\nRun "loopwright --help" for usage.\n`);
      return EXIT.usage;
    }
    throw error;
  }
  const manager = new RunManager(path.join(appRoot, 'out/engine'));
  const store = new ScenarioStore(defaultFolders(appRoot));
  switch (command.command) {
    case 'help':
      io.stdout(`${CLI_HELP}\n`);
      return EXIT.ok;
    case 'version':
      io.stdout(`${appVersion()}\n`);
      return EXIT.ok;
    case 'export': {
      let recording: RecordingFile;
      try {
        recording = await RecordingFile.open(path.resolve(io.cwd, command.recording));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          io.stderr(`loopwright: no such recording: ${command.recording}\n`);
          return EXIT.usage;
        }
        if (error instanceof RecordingError) {
          io.stderr(`loopwright: cannot open ${command.recording}: ${error.message}\n`);
          return EXIT.failed;
        }
        throw error;
      }
      for (const warning of recording.warnings) io.stderr(`loopwright: warning: ${warning}\n`);
      const result = await exportRecording(recording, command.format, path.resolve(io.cwd, command.out), command.transport === undefined ? {} : { transportId: command.transport });
      for (const note of result.notes.filter((n) => !recording.warnings.includes(n))) io.stderr(`loopwright: note: ${note}\n`);
      io.stdout(`wrote ${command.out} (${result.sizeBytes} bytes, ${command.format})\n`);
      return EXIT.ok;
    }
    case 'list': {
      for (const entry of await store.list()) {
        if (entry.ref.location !== 'library') continue;
        io.stdout(`${entry.ref.path.padEnd(36)} ${entry.title} (${entry.clock} clock)\n`);
      }
      return EXIT.ok;
    }
    case 'run': {
      const file = path.resolve(io.cwd, command.file);
      let expected: string | undefined;
      try {
        expected = command.expectOutput === undefined ? undefined : await readFile(path.resolve(io.cwd, command.expectOutput), 'utf8');
      } catch {
        io.stderr(`loopwright: cannot read the expected output ${command.expectOutput}\n`);
        return EXIT.usage;
      }
      if (command.record !== undefined) {
        const out = path.resolve(io.cwd, command.record);
        if (!(await stat(path.dirname(out)).then((s) => s.isDirectory(), () => false))) {
          io.stderr(`loopwright: cannot record into ${command.record}: the folder ${path.dirname(command.record)} does not exist\n`);
          return EXIT.usage;
        }
        if (await stat(`${out}${PARTIAL_SUFFIX}`).then(() => true, () => false)) {
          io.stderr(`loopwright: ${command.record}${PARTIAL_SUFFIX} exists (a recording in progress, or one a crash cut short): move it away or record elsewhere\n`);
          return EXIT.usage;
        }
      }
      let outcome: ScenarioRunOutcome;
      try {
        outcome = await runScenario(manager, file, command, io);
      } catch (error) {
        if (error instanceof ScenarioSyntaxError) {
          io.stderr(formatSyntaxError(error));
          return EXIT.failed;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          io.stderr(`loopwright: no such scenario file: ${command.file}\n`);
          return EXIT.usage;
        }
        if (code === 'EISDIR') {
          io.stderr(`loopwright: ${command.file} is a folder: give a scenario file (.ts, .js or .py)\n`);
          return EXIT.usage;
        }
        if (code === 'EACCES' || code === 'EPERM') {
          io.stderr(`loopwright: cannot read ${command.file}: permission denied\n`);
          return EXIT.usage;
        }
        if (error instanceof PythonUnavailableError) {
          io.stderr(`loopwright: ${error.message}\n`);
          return EXIT.failed;
        }
        throw error;
      }
      if (outcome.result === 'timeout') {
        io.stderr(`loopwright: ${command.file} timed out after ${command.timeout} s\n`);
        return EXIT.timeout;
      }
      // A Python program's run exits as the program did.
      if (outcome.result.exitCode !== undefined && outcome.result.state !== 'stopped' && outcome.result.exitCode !== 0) return outcome.result.exitCode;
      if (outcome.result.state !== 'finished') return EXIT.failed;
      if (expected !== undefined) {
        const check = checkOutput(expected, outcome.stdout);
        if (!check.ok) {
          io.stderr(`loopwright: the output differs from ${command.expectOutput}:\n${check.diff}\n`);
          return EXIT.failed;
        }
      }
      return EXIT.ok;
    }
    case 'check': {
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      // Python examples need python3; without it they are skipped and said so -- except in CI,
      // where python3 is part of the machine and its absence fails the check.
      let python: ReturnType<typeof pythonAvailable> | undefined;
      for (const entry of await store.list()) {
        if (entry.ref.location !== 'library') continue;
        const scenario = await store.read(entry.ref);
        const expected = scenario.meta?.expectedOutput;
        if (expected === undefined) {
          skipped++;
          io.stdout(`- ${entry.ref.path} (no expected output)\n`);
          continue;
        }
        if (entry.ref.path.endsWith('.py')) {
          python ??= pythonAvailable();
          if (!python.ok) {
            if (process.env.CI === 'true') {
              failed++;
              io.stdout(`✗ ${entry.ref.path}\n    no usable Python (${python.reason}); CI=true, where python3 is required\n`);
            } else {
              skipped++;
              io.stdout(`- ${entry.ref.path} (skipped: ${python.reason})\n`);
            }
            continue;
          }
        }
        let problem: string | undefined;
        try {
          const outcome = await runScenario(manager, scenario.file, { clock: command.clock, timeout: command.timeout ?? 30, quiet: true }, { ...io, stderr: (t) => (problem = (problem ?? '') + t) });
          if (outcome.result === 'timeout') problem = `timed out after ${command.timeout ?? 30} s`;
          else if (outcome.result.state !== 'finished') problem ??= `the run ${outcome.result.state}`;
          else {
            const check = checkOutput(expected, outcome.stdout);
            if (!check.ok) problem = check.diff;
          }
        } catch (error) {
          problem = error instanceof ScenarioSyntaxError ? formatSyntaxError(error) : String(error);
        }
        if (problem === undefined) {
          passed++;
          io.stdout(`✓ ${entry.ref.path}\n`);
        } else {
          failed++;
          io.stdout(`✗ ${entry.ref.path}\n${problem.replace(/^/gm, '    ')}\n`);
        }
      }
      io.stdout(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
      return failed > 0 ? EXIT.failed : EXIT.ok;
    }
    case 'diff': {
      const pythonFile = path.resolve(io.cwd, command.python);
      const typescriptFile = path.resolve(io.cwd, command.typescript);
      for (const f of [command.python, command.typescript]) {
        if (!(await stat(path.resolve(io.cwd, f)).then((s) => s.isFile(), () => false))) {
          io.stderr(`loopwright: no such file: ${f}\n`);
          return EXIT.usage;
        }
      }
      let pair;
      try {
        pair = await runPair(manager, pythonFile, typescriptFile, { timeout: command.timeout ?? 30, ...(command.interpreter ? { interpreter: command.interpreter } : {}) });
      } catch (error) {
        if (error instanceof PythonUnavailableError || error instanceof ScenarioSyntaxError) {
          io.stderr(error instanceof ScenarioSyntaxError ? formatSyntaxError(error) : `loopwright: ${error.message}\n`);
          return EXIT.failed;
        }
        throw error;
      }
      if (command.json) io.stdout(`${JSON.stringify(pair.report)}\n`);
      else io.stdout(formatReport(pair.report, { python: command.python, typescript: command.typescript }));
      return pair.report.verdict === 'different' ? EXIT.failed : EXIT.ok;
    }
  }
}

/** The listener for a run at `detail`: a TypeScript run below `full` keeps no payload bytes (a Python run's shim does that itself). */
function lighter(isPython: boolean, detail: PythonDetail | undefined, listener: RunListener): RunListener {
  return isPython || detail === undefined || detail === 'full' ? listener : withoutPayloads(listener);
}

