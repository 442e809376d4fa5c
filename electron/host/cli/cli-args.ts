import type { ExportFormat } from '../../../shared/recording/recordings';
import type { ClockKind } from '../../../shared/scenarios/scenario';
import type { PythonDetail } from '../python/python-run';

/** A parsed `loopwright` command line. */
export type CliCommand =
  | { command: 'run'; file: string; clock?: ClockKind; timeout?: number; expectOutput?: string; json: boolean; record?: string; python?: string; detail?: PythonDetail }
  | { command: 'diff'; python: string; typescript: string; timeout?: number; interpreter?: string; json: boolean }
  | { command: 'export'; recording: string; format: ExportFormat; out: string; transport?: number }
  | { command: 'list' }
  | { command: 'check'; clock?: ClockKind; timeout?: number }
  | { command: 'help'; topic?: string }
  | { command: 'version' };

/** A usage error: exit code 2, with the message and a pointer to --help. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** The `--help` text: every command and flag. */
export const CLI_HELP = `Usage: loopwright <command> [options]

Runs asyncio-style scenarios on Loopwright's engine from a terminal or CI.

Commands:
  run <file>      run a scenario (TypeScript or JavaScript) or a Python asyncio program (.py,
                  in your python3 under Loopwright's instrumentation) and print its output
  diff <a.py> <b.ts>
                  run a Python program under CPython and its TypeScript twin on the engine,
                  and compare them event by event (iteration, callback or task step, output)
  export <rec>    export a recording: pcapng (Wireshark), trace (Perfetto), cast (asciinema)
  list            list the bundled example library
  check           run every library scenario and compare its output with the expected one
  help            show this help

Options of run:
  --clock real|virtual    the loop's clock (default: the scenario's meta.clock, else real)
  --timeout <seconds>     stop the run after this many seconds of wall time (exit code 124)
  --expect-output <file>  compare stdout with this file; a difference fails with a diff
  --json                  print the engine's events as JSON lines instead of the output
  --record <out>          record the run into <out> (a .lwrec recording; <out>.partial until
                          the run ends, so a crash leaves a readable file behind)
  --python <command>      .py: the interpreter (default: LOOPWRIGHT_PYTHON, else python3;
                          3.9 or newer; flags allowed, e.g. "python3 -X dev")
  --detail full|callbacks|tasks
                          what is observed and recorded: every callback and byte (default),
                          callbacks without payload bytes (traffic counted, not captured), or
                          tasks only (.py; a TypeScript run takes it as callbacks)

Options of diff:
  --timeout <seconds>     per-program limit (default 30)
  --python <command>      the interpreter, as for run
  --json                  print the report as JSON

Options of export:
  --format pcapng|trace|cast   the format (required)
  -o, --output <file>          where to write it (required)
  --transport <id>             cast: only this transport's traffic (default: all, labelled)

Options of check:
  --clock real|virtual    override every scenario's clock
  --timeout <seconds>     per-scenario limit (default 30)

Exit codes: 0 success, 1 the scenario threw or its output differed, 2 usage error, 124 timeout.
A Python program's run exits with the program's own exit code. diff exits 1 when the two differ.`;

function clockOf(value: string | undefined): ClockKind {
  if (value === 'real' || value === 'virtual') return value;
  throw new CliUsageError(`--clock takes "real" or "virtual", got ${value === undefined ? 'nothing' : `"${value}"`}`);
}

function formatOf(value: string | undefined): ExportFormat {
  if (value === 'pcapng' || value === 'trace' || value === 'cast') return value;
  throw new CliUsageError(`--format takes pcapng, trace or cast, got ${value === undefined ? 'nothing' : `"${value}"`}`);
}

function detailOf(value: string | undefined): PythonDetail {
  if (value === 'full' || value === 'callbacks' || value === 'tasks') return value;
  throw new CliUsageError(`--detail takes full, callbacks or tasks, got ${value === undefined ? 'nothing' : `"${value}"`}`);
}

function secondsOf(value: string | undefined): number {
  const n = value === undefined ? NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliUsageError(`--timeout takes a positive number of seconds, got ${value === undefined ? 'nothing' : `"${value}"`}`);
  return n;
}

/** Parses `loopwright …` arguments (after the program name). */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const args = [...argv];
  if (args.length === 0 || args[0] === 'help' || args[0] === '--help' || args[0] === '-h') return { command: 'help', topic: args[1] };
  if (args[0] === '--version' || args[0] === '-v') return { command: 'version' };
  const command = args.shift()!;
  if (args.includes('--help') || args.includes('-h')) return { command: 'help', topic: command };
  const take = (flag: string): string | undefined => {
    const i = args.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    if (i < 0) return undefined;
    const [arg] = args.splice(i, 1);
    if (arg.includes('=')) return arg.slice(flag.length + 1);
    const value = args[i];
    if (value === undefined || value.startsWith('--')) throw new CliUsageError(`${flag} needs a value`);
    args.splice(i, 1);
    return value;
  };
  const has = (flag: string): boolean => {
    const i = args.indexOf(flag);
    if (i >= 0) args.splice(i, 1);
    return i >= 0;
  };
  const rest = () => {
    const unknown = args.find((a) => a.startsWith('-'));
    if (unknown) throw new CliUsageError(`unknown option "${unknown}" for ${command}`);
    return args;
  };
  switch (command) {
    case 'run': {
      const clock = take('--clock');
      const timeout = take('--timeout');
      const expectOutput = take('--expect-output');
      const json = has('--json');
      const record = take('--record');
      const python = take('--python');
      const detail = take('--detail');
      const positional = rest();
      if (positional.length !== 1) throw new CliUsageError(positional.length === 0 ? 'run needs a scenario file' : `run takes one file, got ${positional.length}`);
      return {
        command: 'run',
        file: positional[0],
        json,
        ...(clock !== undefined ? { clock: clockOf(clock) } : {}),
        ...(timeout !== undefined ? { timeout: secondsOf(timeout) } : {}),
        ...(expectOutput !== undefined ? { expectOutput } : {}),
        ...(record !== undefined ? { record } : {}),
        ...(python !== undefined ? { python } : {}),
        ...(detail !== undefined ? { detail: detailOf(detail) } : {}),
      };
    }
    case 'diff': {
      const timeout = take('--timeout');
      const interpreter = take('--python');
      const json = has('--json');
      const files = rest();
      const py = files.find((f) => f.endsWith('.py'));
      const ts = files.find((f) => /\.[mc]?[jt]s$/.test(f));
      if (files.length !== 2 || py === undefined || ts === undefined) throw new CliUsageError('diff takes a Python program (.py) and a TypeScript or JavaScript scenario');
      return { command: 'diff', python: py, typescript: ts, json, ...(timeout !== undefined ? { timeout: secondsOf(timeout) } : {}), ...(interpreter !== undefined ? { interpreter } : {}) };
    }
    case 'export': {
      const format = take('--format');
      const out = take('--output') ?? take('-o');
      const transport = take('--transport');
      const positional = rest();
      if (positional.length !== 1) throw new CliUsageError(positional.length === 0 ? 'export needs a recording file' : `export takes one recording, got ${positional.length}`);
      if (format === undefined) throw new CliUsageError('export needs --format pcapng|trace|cast');
      if (out === undefined) throw new CliUsageError('export needs -o <file>');
      const id = transport === undefined ? undefined : Number(transport);
      if (id !== undefined && (!Number.isInteger(id) || id < 0)) throw new CliUsageError(`--transport takes a transport id (a whole number), got "${transport}"`);
      return { command: 'export', recording: positional[0], format: formatOf(format), out, ...(id !== undefined ? { transport: id } : {}) };
    }
    case 'list':
      if (rest().length > 0) throw new CliUsageError('list takes no arguments');
      return { command: 'list' };
    case 'check': {
      const clock = take('--clock');
      const timeout = take('--timeout');
      if (rest().length > 0) throw new CliUsageError('check takes no file arguments');
      return { command: 'check', ...(clock !== undefined ? { clock: clockOf(clock) } : {}), ...(timeout !== undefined ? { timeout: secondsOf(timeout) } : {}) };
    }
    default:
      throw new CliUsageError(`unknown command "${command}"`);
  }
}
