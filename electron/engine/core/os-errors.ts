/**
 * Operating-system errors, as Python's `OSError` hierarchy (PEP 3151) that asyncio raises.
 *
 * asyncio never invents its own error types for I/O failures: a refused connection is the builtin
 * `ConnectionRefusedError`, a reset `ConnectionResetError`, and so on, each an `OSError` carrying
 * the errno. Python picks the subclass from the errno when an `OSError` is constructed; here
 * {@link OSError.create} does the same, so the Node layer maps an error code once and every caller
 * gets the class a reader of the asyncio docs expects.
 *
 * The errno numbers are Linux's (the platform the engine runs on); the symbolic `code` is kept too
 * because it is what Node reports and what is portable.
 */

/** Linux errno numbers and glibc's strerror text for the codes the engine maps. */
const ERRNO_TABLE: Readonly<Record<string, readonly [number, string]>> = {
  EPERM: [1, 'Operation not permitted'],
  ENOENT: [2, 'No such file or directory'],
  ESRCH: [3, 'No such process'],
  EINTR: [4, 'Interrupted system call'],
  EIO: [5, 'Input/output error'],
  EBADF: [9, 'Bad file descriptor'],
  ECHILD: [10, 'No child processes'],
  EAGAIN: [11, 'Resource temporarily unavailable'],
  ENOMEM: [12, 'Cannot allocate memory'],
  EACCES: [13, 'Permission denied'],
  EEXIST: [17, 'File exists'],
  ENOTDIR: [20, 'Not a directory'],
  EISDIR: [21, 'Is a directory'],
  EINVAL: [22, 'Invalid argument'],
  ENFILE: [23, 'Too many open files in system'],
  EMFILE: [24, 'Too many open files'],
  EPIPE: [32, 'Broken pipe'],
  EMSGSIZE: [90, 'Message too long'],
  EPROTOTYPE: [91, 'Protocol wrong type for socket'],
  EAFNOSUPPORT: [97, 'Address family not supported by protocol'],
  EADDRINUSE: [98, 'Address already in use'],
  EADDRNOTAVAIL: [99, 'Cannot assign requested address'],
  ENETDOWN: [100, 'Network is down'],
  ENETUNREACH: [101, 'Network is unreachable'],
  ECONNABORTED: [103, 'Software caused connection abort'],
  ECONNRESET: [104, 'Connection reset by peer'],
  ENOBUFS: [105, 'No buffer space available'],
  EISCONN: [106, 'Transport endpoint is already connected'],
  ENOTCONN: [107, 'Transport endpoint is not connected'],
  ESHUTDOWN: [108, 'Cannot send after transport endpoint shutdown'],
  ETIMEDOUT: [110, 'Connection timed out'],
  ECONNREFUSED: [111, 'Connection refused'],
  EHOSTUNREACH: [113, 'No route to host'],
  EALREADY: [114, 'Operation already in progress'],
  EINPROGRESS: [115, 'Operation now in progress'],
};

const CODE_BY_ERRNO: ReadonlyMap<number, string> = new Map(
  Object.entries(ERRNO_TABLE).map(([code, [errno]]) => [errno, code]),
);

/** The Linux errno number of a symbolic code such as `'ECONNREFUSED'`, if known. */
export function errnoOf(code: string): number | undefined {
  return ERRNO_TABLE[code]?.[0];
}

/** The symbolic code of a Linux errno number (Python's `errno.errorcode[n]`), if known. */
export function codeOf(errno: number): string | undefined {
  return CODE_BY_ERRNO.get(errno);
}

/** glibc's message for a code (Python's `os.strerror`), or the code itself when unknown. */
export function strerror(code: string): string {
  return ERRNO_TABLE[code]?.[1] ?? code;
}

/** A socket address as asyncio reports it: `(host, port)`. */
export type SocketAddress = readonly [host: string, port: number];

/** Extra fields an {@link OSError} may carry. */
export interface OSErrorOptions {
  /** The file or program the call was about (Python's `filename`). */
  readonly filename?: string;
  /** The socket address the call was about (asyncio puts it in the message; we keep it too). */
  readonly address?: SocketAddress;
  /** The underlying error (for example Node's), kept for debugging. */
  readonly cause?: unknown;
  /** The symbolic code, when `errno` is a number the table does not know (resolver errors). */
  readonly code?: string;
}

/** Renders a Python-style repr of an address, `('127.0.0.1', 8888)`, for messages. */
export function formatAddress(address: SocketAddress): string {
  return `('${address[0]}', ${address[1]})`;
}

/**
 * Python's `OSError`: an error reported by the operating system, with `errno` and `strerror`.
 * The message reads like Python's `str(exc)`: `[Errno 111] Connection refused`.
 */
export class OSError extends Error {
  /** The Linux errno number, when known. */
  readonly errno: number | undefined;
  /** The symbolic errno name (`'ECONNREFUSED'`), when known. */
  readonly code: string | undefined;
  /** The human-readable description (Python's `strerror`). */
  readonly strerror: string | undefined;
  /** The file or program involved, if any. */
  readonly filename: string | undefined;
  /** The socket address involved, if any. */
  readonly address: SocketAddress | undefined;

  /**
   * Builds the error as Python's two-argument `OSError(errno, strerror)` does, without picking a
   * subclass (use {@link OSError.create} for that). `errno` may be the number or the symbolic code.
   */
  constructor(errno?: number | string, message?: string, options: OSErrorOptions = {}) {
    const code = typeof errno === 'string' ? errno : errno === undefined ? options.code : (codeOf(errno) ?? options.code);
    const num = typeof errno === 'number' ? errno : errno === undefined ? undefined : errnoOf(errno);
    const text = message ?? (code === undefined ? undefined : strerror(code));
    let rendered = num !== undefined ? `[Errno ${num}] ${text ?? ''}` : (text ?? code ?? '');
    if (options.filename !== undefined) rendered += `: '${options.filename}'`;
    super(rendered, options.cause === undefined ? undefined : { cause: options.cause });
    this.errno = num;
    this.code = code;
    this.strerror = text;
    this.filename = options.filename;
    this.address = options.address;
    // Subclasses get their own name (`ConnectionRefusedError`) without repeating a constructor.
    this.name = new.target.name;
  }

  /**
   * Python's `OSError(errno, strerror)` constructor, which returns the subclass matching the errno
   * (ECONNREFUSED gives a {@link ConnectionRefusedError}, ENOENT a {@link FileNotFoundError}, ...).
   */
  static create(errno: number | string, message?: string, options?: OSErrorOptions): OSError {
    const code = typeof errno === 'string' ? errno : codeOf(errno);
    const Ctor = (code !== undefined && SUBCLASS_BY_CODE[code]) || OSError;
    return new Ctor(errno, message, options);
  }
}

/** Python's `BlockingIOError` (EAGAIN, EALREADY, EINPROGRESS). */
export class BlockingIOError extends OSError {}
/** Python's `ChildProcessError` (ECHILD). */
export class ChildProcessError extends OSError {}
/** Python's `ConnectionError`: the base of the connection failures below. */
export class ConnectionError extends OSError {}
/** Python's `BrokenPipeError` (EPIPE, ESHUTDOWN): writing to a closed pipe or socket. */
export class BrokenPipeError extends ConnectionError {}
/** Python's `ConnectionAbortedError` (ECONNABORTED). */
export class ConnectionAbortedError extends ConnectionError {}
/** Python's `ConnectionRefusedError` (ECONNREFUSED): nothing listens at the address. */
export class ConnectionRefusedError extends ConnectionError {}
/** Python's `ConnectionResetError` (ECONNRESET): the peer reset the connection. */
export class ConnectionResetError extends ConnectionError {}
/** Python's `FileExistsError` (EEXIST). */
export class FileExistsError extends OSError {}
/** Python's `FileNotFoundError` (ENOENT), e.g. a missing program for `subprocessExec`. */
export class FileNotFoundError extends OSError {}
/** Python's `InterruptedError` (EINTR). */
export class InterruptedError extends OSError {}
/** Python's `IsADirectoryError` (EISDIR). */
export class IsADirectoryError extends OSError {}
/** Python's `NotADirectoryError` (ENOTDIR). */
export class NotADirectoryError extends OSError {}
/** Python's `PermissionError` (EACCES, EPERM). */
export class PermissionError extends OSError {}
/** Python's `ProcessLookupError` (ESRCH): signalling a process that is gone. */
export class ProcessLookupError extends OSError {}

/**
 * EADDRINUSE. Python has no subclass for it (asyncio raises a plain `OSError` whose errno is
 * EADDRINUSE); this one exists so that `instanceof` works in TypeScript, where matching on errno
 * is less idiomatic. It is still an `OSError` with errno 98, so Python-style checks work as well.
 */
export class AddressInUseError extends OSError {}

// ETIMEDOUT is left as a plain OSError: Python maps it to the builtin TimeoutError, but the engine's
// TimeoutError is asyncio's (raised by waitFor) and does not carry errno fields.
const SUBCLASS_BY_CODE: Readonly<Record<string, typeof OSError>> = {
  EAGAIN: BlockingIOError,
  EALREADY: BlockingIOError,
  EINPROGRESS: BlockingIOError,
  ECHILD: ChildProcessError,
  EPIPE: BrokenPipeError,
  ESHUTDOWN: BrokenPipeError,
  ECONNABORTED: ConnectionAbortedError,
  ECONNREFUSED: ConnectionRefusedError,
  ECONNRESET: ConnectionResetError,
  EEXIST: FileExistsError,
  ENOENT: FileNotFoundError,
  EINTR: InterruptedError,
  EISDIR: IsADirectoryError,
  ENOTDIR: NotADirectoryError,
  EACCES: PermissionError,
  EPERM: PermissionError,
  ESRCH: ProcessLookupError,
  EADDRINUSE: AddressInUseError,
};
