/**
 * Transports: the I/O side of a connection, as asyncio's transports.py.
 *
 * A transport owns a socket, a pipe or a child process, buffers writes and calls its protocol back
 * (see protocols.ts for the call order). These interfaces are the contract; the implementations are
 * the Node ones in engine/node and the in-memory pair in memory-transport.ts, and the behaviour
 * suite runs against both.
 */
import type { SocketAddress } from './os-errors';
import type { BaseProtocol } from './protocols';

/** The base of every transport (asyncio's `BaseTransport`). */
export interface BaseTransport {
  /**
   * Closes the transport. Buffered writes are flushed first (asynchronously); then the protocol's
   * `connectionLost(null)` is called, exactly once. Calling it again does nothing.
   */
  close(): void;

  /** True once the transport is closing or closed. */
  isClosing(): boolean;

  /**
   * Transport-specific information: `peername` and `sockname` (`[host, port]`), `socket` (the
   * underlying object), `pipe`, `subprocess` and `pid` for process transports. Returns
   * `defaultValue` (undefined unless given) when the name is unknown.
   */
  getExtraInfo(name: string, defaultValue?: unknown): unknown;

  /** Replaces the protocol that receives the callbacks from now on. */
  setProtocol(protocol: BaseProtocol): void;

  /** The protocol currently receiving the callbacks. */
  getProtocol(): BaseProtocol;
}

/** A transport that receives data (asyncio's `ReadTransport`). */
export interface ReadTransport extends BaseTransport {
  /** True while data is delivered to the protocol (not paused, not closing). */
  isReading(): boolean;

  /**
   * Stops delivering data until {@link resumeReading}; the peer is slowed down by the kernel's
   * buffers filling up. Data already received but not yet delivered is held back. Idempotent.
   */
  pauseReading(): void;

  /** Resumes delivering data, starting with anything held back. Idempotent. */
  resumeReading(): void;
}

/** A transport that sends data (asyncio's `WriteTransport`). */
export interface WriteTransport extends BaseTransport {
  /**
   * Queues `data` for sending, without blocking. Raises after {@link writeEof}; after the
   * connection is lost the data is dropped with a warning (asyncio logs it; it does not throw),
   * since the protocol learns about the loss through `connectionLost`.
   */
  write(data: Uint8Array): void;

  /** Writes each chunk in order, as one call to {@link write} with them joined. */
  writelines(list: Iterable<Uint8Array>): void;

  /** Closes the write side after flushing buffered data (TCP half-close). Idempotent. */
  writeEof(): void;

  /** True if {@link writeEof} is supported (TCP and pipes: yes; with TLS: no). */
  canWriteEof(): boolean;

  /**
   * Closes immediately, dropping buffered data; `connectionLost(null)` is still called, once.
   */
  abort(): void;

  /** Bytes buffered and not yet handed to the operating system. */
  getWriteBufferSize(): number;

  /** The flow-control marks as `[low, high]`. */
  getWriteBufferLimits(): [low: number, high: number];

  /**
   * Sets the flow-control marks (defaults: high 64 KiB, low high / 4; `high >= low >= 0` is
   * required). The protocol's `pauseWriting()` is called when the buffer goes above `high`, and
   * `resumeWriting()` once it drains to `low` or below.
   */
  setWriteBufferLimits(high?: number | null, low?: number | null): void;
}

/** A bidirectional stream transport, such as a TCP connection (asyncio's `Transport`). */
export interface Transport extends ReadTransport, WriteTransport {}

/** A datagram (UDP) endpoint (asyncio's `DatagramTransport`). */
export interface DatagramTransport extends BaseTransport {
  /**
   * Sends one datagram to `addr`, or to the remote address the endpoint was created with (then
   * `addr` must be omitted or equal to it). Does not block; failures go to `errorReceived`.
   */
  sendto(data: Uint8Array, addr?: SocketAddress | null): void;

  /** Closes immediately, dropping queued datagrams. */
  abort(): void;

  /** Bytes queued and not yet sent. */
  getWriteBufferSize(): number;
}

/** The transport of a child process (asyncio's `SubprocessTransport`). */
export interface SubprocessTransport extends BaseTransport {
  /** The child's process id. */
  getPid(): number | undefined;

  /**
   * The exit code once the child has exited, `null` before; a child killed by a signal has the
   * negated signal number, as in Python (`-9` for SIGKILL).
   */
  getReturncode(): number | null;

  /**
   * The transport of the child's pipe `fd` (0 stdin: a write transport; 1 stdout, 2 stderr: read
   * transports), or `null` when that stream is not a pipe.
   */
  getPipeTransport(fd: 0): WriteTransport | null;
  getPipeTransport(fd: 1 | 2): ReadTransport | null;
  getPipeTransport(fd: number): ReadTransport | WriteTransport | null;

  /** Sends a signal (a number or a name such as `'SIGINT'`); does nothing once the child exited. */
  sendSignal(signal: number | string): void;

  /** Sends SIGTERM. */
  terminate(): void;

  /** Sends SIGKILL. */
  kill(): void;
}

/** asyncio warns after this many writes to a lost connection (`LOG_THRESHOLD_FOR_CONNLOST_WRITES`). */
export const LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;

/** Throws asyncio's TypeError unless `data` is bytes (any `Uint8Array`, a Node Buffer included). */
export function checkBytes(data: unknown): asserts data is Uint8Array {
  if (!(data instanceof Uint8Array)) {
    const kind = data === null ? 'null' : typeof data === 'object' ? (data.constructor?.name ?? 'object') : typeof data;
    throw new TypeError(`data argument must be a bytes-like object (Uint8Array), not '${kind}'`);
  }
}

/** Joins chunks into one array (for `writelines`), without copying when there is only one. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  let size = 0;
  for (const c of chunks) size += c.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
