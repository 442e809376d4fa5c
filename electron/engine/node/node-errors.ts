/**
 * Maps Node's system errors (`err.code === 'ECONNREFUSED'`, `err.errno === -111`) to the engine's
 * OSError classes, so callers see what asyncio raises (`ConnectionRefusedError`, ...).
 */
import { OSError, errnoOf, type OSErrorOptions } from '../core/os-errors';

/** Resolver failures as Python's `socket.gaierror` reports them (glibc's EAI_* numbers). */
const RESOLVER_ERRORS: Readonly<Record<string, readonly [number, string]>> = {
  ENOTFOUND: [-2, 'Name or service not known'],
  EAI_AGAIN: [-3, 'Temporary failure in name resolution'],
  EAI_FAIL: [-4, 'Non-recoverable failure in name resolution'],
  ENODATA: [-5, 'No address associated with hostname'],
};

/** The fields of a Node system error that the mapping reads. */
interface NodeSystemError extends Error {
  code?: string;
  errno?: number;
  syscall?: string;
}

/** True when `err` is a Node system error with a symbolic errno code (not an `ERR_*` code). */
export function isSystemError(err: unknown): err is NodeSystemError & { code: string } {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeSystemError).code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}

/**
 * Converts a Node error into the matching {@link OSError} subclass. `message` replaces the text after
 * `[Errno N]` (asyncio's own wording, such as `Connect call failed ('127.0.0.1', 1)`); without it
 * the standard strerror text is used. Errors that are not system errors are returned unchanged.
 */
export function toOSError(err: unknown, message?: string, options: Omit<OSErrorOptions, 'cause'> = {}): Error {
  if (err instanceof OSError) return err;
  if (!isSystemError(err)) return err instanceof Error ? err : new Error(String(err));
  const resolver = RESOLVER_ERRORS[err.code];
  if (resolver !== undefined) {
    // Python's socket.gaierror: getaddrinfo's own (negative) numbers and texts.
    return new OSError(resolver[0], resolver[1], { ...options, code: err.code, cause: err });
  }
  // Node reports libuv's negated errno; Python's is positive. The table gives Linux's number for
  // known codes; for the rest Node's (negated back) is the best we have.
  const errno = errnoOf(err.code) !== undefined ? err.code : typeof err.errno === 'number' ? Math.abs(err.errno) : err.code;
  return OSError.create(errno, message, { ...options, cause: err });
}
