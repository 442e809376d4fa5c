// Short renderings of callbacks, arguments and results for events and snapshots. They must be
// cheap and must never run user code (no toString calls on arbitrary objects), because the UI
// asks for them every frame.

/** Objects with a short engine rendering (Futures, Tasks, Handles) implement this symbol. */
export const SHORT_REPR: unique symbol = Symbol('loopwright.shortRepr');

const MAX_STRING = 24;
const MAX_ARGS = 80;

let lastFn: unknown = undefined;
let lastName = 'undefined';

/** The name a callback is shown under. */
export function callbackName(fn: unknown): string {
  // A loop mostly schedules the same callback again and again (a batch of callSoon(f), a task's
  // step): reading `name` is an accessor call, so the last answer is kept.
  if (fn === lastFn) return lastName;
  if (typeof fn !== 'function') return String(fn);
  const name = (fn as { name?: unknown }).name;
  // Bound functions are named "bound f": the loop shows what runs, not how it was made.
  const shown = typeof name !== 'string' || name === '' ? '<anonymous>' : name.startsWith('bound ') ? name.slice(6) : name;
  lastFn = fn;
  lastName = shown;
  return shown;
}

/** A short, side-effect-free rendering of one value. */
export function shortRepr(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > MAX_STRING ? value.slice(0, MAX_STRING) + '…' : value);
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.description === undefined ? 'Symbol()' : `Symbol(${value.description})`;
    case 'function':
      return callbackName(value);
    default:
      break;
  }
  if (value === null) return 'null';
  const repr = (value as { [SHORT_REPR]?: () => string })[SHORT_REPR];
  if (typeof repr === 'function') return repr.call(value);
  if (value instanceof Error) return `${value.name}: ${value.message.length > MAX_STRING ? value.message.slice(0, MAX_STRING) + '…' : value.message}`;
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.length})`;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  const ctor = proto?.constructor?.name;
  return ctor && ctor !== 'Object' ? `<${ctor}>` : '{…}';
}

/** A short rendering of an argument list, truncated to a line's worth. */
export function argsRepr(args: readonly unknown[] | undefined): string {
  if (args === undefined || args.length === 0) return '';
  let out = '';
  for (let i = 0; i < args.length; i++) {
    const part = shortRepr(args[i]);
    out += i === 0 ? part : ', ' + part;
    if (out.length > MAX_ARGS) return out.slice(0, MAX_ARGS) + '…';
  }
  return out;
}

/** A short rendering of an error for events and log lines. */
export function errorRepr(error: unknown): string {
  return shortRepr(error);
}
