import type { ScenarioRef } from '../../../shared/scenarios/scenario';

/** A stable string for a scenario: `library/hello-world.ts`, `workspace/mine.ts`. */
export function keyOf(ref: ScenarioRef): string {
  return `${ref.location}/${ref.path}`;
}

/** Whether two refs name the same file. */
export function sameRef(a: ScenarioRef, b: ScenarioRef): boolean {
  return a.location === b.location && a.path === b.path;
}

/** The last part of a path: `net/echo.ts` -> `echo.ts`. */
export function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Checks a workspace file name typed by the user and completes it: `.ts` is added when there is no
 * scenario ending. Returns the path, or a sentence saying what is wrong. The host checks again.
 */
export function normalizeScenarioPath(input: string): { path: string } | { problem: string } {
  const name = input.trim();
  if (!name) return { problem: 'Type a file name, e.g. my-scenario.ts.' };
  if (name.startsWith('/') || name.includes('\\')) return { problem: 'Use a relative path with forward slashes, e.g. net/echo.ts.' };
  const parts = name.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return { problem: 'A path may not contain empty parts, "." or "..".' };
  if (parts.some((part) => part.startsWith('.'))) return { problem: 'Names starting with a dot are hidden: choose another name.' };
  if (/\.d\.ts$/.test(name)) return { problem: 'A .d.ts file is not a scenario: use .ts, .mts, .js, .mjs or .py.' };
  if (/\.(test|spec)\.[mc]?[jt]s$/.test(name) || /(^|\/)(test_[^/]*|[^/]*_test|conftest|__init__)\.py$/.test(name)) return { problem: 'Test files are not listed as scenarios: choose another name.' };
  if (/\.(ts|mts|js|mjs|py)$/.test(name)) return { path: name };
  if (/\.[A-Za-z][A-Za-z0-9]{0,3}$/.test(name)) return { problem: 'A scenario ends in .ts, .mts, .js, .mjs or .py.' };
  return { path: `${name}.ts` };
}
