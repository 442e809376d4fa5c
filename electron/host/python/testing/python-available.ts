// Tests that need a Python interpreter: where none is found they say so and skip -- except in CI
// (CI=true), where python3 is part of the machine and a missing one must fail, not pass silently.
import { spawnSync } from 'node:child_process';
import { describe } from 'vitest';
import { pythonAvailable } from '../interpreter';

const found = pythonAvailable();

/** Whether a usable python3 (3.9+) is on PATH (or LOOPWRIGHT_PYTHON names one). */
export const HAS_PYTHON = found.ok;

/** Why not, when not. */
export const NO_PYTHON_REASON = found.ok ? '' : found.reason;

if (!found.ok) {
  const message = `Python tests skipped: ${found.reason}. Install python3 (3.9+) or set LOOPWRIGHT_PYTHON.`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: python3 is required here, so this fails instead)`);
  console.warn(message);
}

/** `describe` that runs where Python is available and is skipped, with the reason in its title, where not. */
export function describePython(name: string, fn: () => void, options?: { timeout?: number }): void {
  if (found.ok) describe(name, options ?? {}, fn);
  else describe.skip(`${name} (skipped: ${found.reason})`, fn);
}

/** The interpreter with uvloop (Debian's /usr/bin/python3 with python3-uvloop), if there is one. */
export function uvloopPython(): string | undefined {
  for (const candidate of ['/usr/bin/python3']) {
    const r = pythonAvailable(candidate);
    if (!r.ok) continue;
    if (spawnSync(candidate, ['-c', 'import uvloop'], { encoding: 'utf8' }).status === 0) return candidate;
  }
  return undefined;
}
