// How an error shows in a transport event: pure, without zod, since the engine builds these in
// every scenario worker (the schema is transportErrorSchema in transport-events.ts).
import type { TransportError } from './transport-events';

/** Renders an error for an event: its class name, message and, for an OSError, errno and code. */
export function describeError(exc: unknown): TransportError {
  if (exc instanceof Error) {
    const { errno, code } = exc as { errno?: unknown; code?: unknown };
    return {
      name: exc.name,
      message: exc.message,
      ...(typeof errno === 'number' && Number.isInteger(errno) ? { errno } : {}),
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  return { name: typeof exc, message: String(exc) };
}
