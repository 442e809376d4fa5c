/**
 * Small settings remembered between sessions (pane sizes, theme, the clock choice), kept in
 * localStorage under one prefix. Storage can be unavailable or full: reading then yields the
 * default and writing is skipped, because a layout preference is never worth an error.
 */
const PREFIX = 'loopwright.';

/** Reads a setting; `accept` returns the value when it is valid, else undefined. */
export function readSetting<T>(key: string, accept: (raw: unknown) => T | undefined): T | undefined {
  try {
    const text = globalThis.localStorage?.getItem(PREFIX + key);
    return text == null ? undefined : accept(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** Writes a setting as JSON. */
export function writeSetting(key: string, value: unknown): void {
  try {
    globalThis.localStorage?.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Private mode or a full quota: the setting lasts for this session only.
  }
}

/** Accepts one of the given strings. */
export function oneOf<T extends string>(values: readonly T[]): (raw: unknown) => T | undefined {
  return (raw) => (typeof raw === 'string' && (values as readonly string[]).includes(raw) ? (raw as T) : undefined);
}

/** Reads a remembered on/off setting (undefined when unset or not a boolean). */
export function readFlag(key: string): boolean | undefined {
  return readSetting(key, (raw) => (typeof raw === 'boolean' ? raw : undefined));
}
