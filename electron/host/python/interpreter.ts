// Which Python runs a `.py` scenario: the user's own interpreter, `python3` on PATH unless the
// setting (LOOPWRIGHT_PYTHON, or the run's option) names another. It may carry flags
// (`python3 -X dev`); -I, -E and -S switch site hooks or PYTHONPATH off, so those runs go through
// the shim's runner script instead of sitecustomize. The version is checked once per command:
// the instrumentation needs 3.9 or newer.
import { execFile, spawnSync } from 'node:child_process';

/** The oldest Python the instrumentation supports. */
export const MIN_PYTHON: readonly [number, number] = [3, 9];

/** A checked interpreter. */
export interface PythonInterpreter {
  /** The program to start (`python3`, `/usr/bin/python3`). */
  command: string;
  /** Flags from the setting, before the script. */
  args: string[];
  /** `3.11.7`. */
  version: string;
  /** Whether the flags turn site hooks or PYTHONPATH off, so the runner script must be used. */
  needsRunner: boolean;
}

/** No usable interpreter: missing, too old, or not answering. The message says what to do. */
export class PythonUnavailableError extends Error {
  override readonly name = 'PythonUnavailableError';
  constructor(
    readonly reason: 'missing' | 'too-old' | 'broken',
    message: string,
  ) {
    super(message);
  }
}

/** The interpreter setting: LOOPWRIGHT_PYTHON, else `python3`. */
export function interpreterSetting(env: NodeJS.ProcessEnv = process.env): string {
  return env.LOOPWRIGHT_PYTHON?.trim() || 'python3';
}

/** Splits a command line on spaces, honouring single and double quotes. */
export function splitCommand(setting: string): string[] {
  const parts: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(setting); m !== null; m = re.exec(setting)) parts.push(m[1] ?? m[2] ?? m[3]);
  return parts;
}

function needsRunner(args: readonly string[]): boolean {
  return args.some((a) => /^-[A-Za-z]*[IES]/.test(a) && !a.startsWith('--') && !a.startsWith('-X') && !a.startsWith('-W'));
}

const VERSION_PROBE = "import sys; print('%d.%d.%d' % sys.version_info[:3])";
const cache = new Map<string, Promise<PythonInterpreter>>();

/** Resolves and checks the interpreter a setting names (cached per setting). */
export function resolvePython(setting: string = interpreterSetting()): Promise<PythonInterpreter> {
  let found = cache.get(setting);
  if (!found) {
    found = probe(setting);
    cache.set(setting, found);
    // A failure is not remembered: the user may install Python and try again.
    found.catch(() => cache.delete(setting));
  }
  return found;
}

function probe(setting: string): Promise<PythonInterpreter> {
  const [command, ...args] = splitCommand(setting);
  if (command === undefined) return Promise.reject(new PythonUnavailableError('missing', 'the Python interpreter setting is empty'));
  return new Promise((resolve, reject) => {
    execFile(command, [...args, '-c', VERSION_PROBE], { timeout: 15_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          reject(new PythonUnavailableError('missing', `no Python interpreter "${command}" was found: install Python 3.9 or newer, or set LOOPWRIGHT_PYTHON to the interpreter's path`));
        } else {
          reject(new PythonUnavailableError('broken', `"${setting}" did not answer a version check: ${(stderr || error.message).trim().split('\n').pop()}`));
        }
        return;
      }
      const version = stdout.trim();
      const [major, minor] = version.split('.').map(Number);
      if (!(major > MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor >= MIN_PYTHON[1]))) {
        reject(new PythonUnavailableError('too-old', `"${setting}" is Python ${version}; Loopwright's instrumentation needs Python ${MIN_PYTHON.join('.')} or newer`));
        return;
      }
      resolve({ command, args, version, needsRunner: needsRunner(args) });
    });
  });
}

/** For tests and `loopwright check`: whether a usable interpreter exists, synchronously. */
export function pythonAvailable(setting: string = interpreterSetting()): { ok: true; version: string } | { ok: false; reason: string } {
  const [command, ...args] = splitCommand(setting);
  if (command === undefined) return { ok: false, reason: 'the Python interpreter setting is empty' };
  const r = spawnSync(command, [...args, '-c', VERSION_PROBE], { encoding: 'utf8', timeout: 15_000 });
  if (r.error) return { ok: false, reason: `no Python interpreter "${command}" (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` };
  const version = r.stdout.trim();
  const [major, minor] = version.split('.').map(Number);
  if (r.status !== 0 || !(major > MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor >= MIN_PYTHON[1]))) {
    return { ok: false, reason: `"${setting}" is not Python ${MIN_PYTHON.join('.')}+ (${version || r.stderr.trim()})` };
  }
  return { ok: true, version };
}
