/**
 * Protocols: the application side of a connection, as asyncio's protocols.py.
 *
 * A transport does the I/O and buffering; the protocol it is paired with gets callbacks. Every
 * callback below is invoked by the transport as a loop callback (through `callSoon`, or from inside
 * another loop callback), never from a Node event handler directly, so each shows in the ready
 * queue and the event stream. The classes have no-op methods, like asyncio's: subclass them and
 * override what you need. Any object with the same methods works too (typing is structural).
 */
import type { SocketAddress } from './os-errors';
import type { BaseTransport } from './transports';

/**
 * The callbacks every protocol has (asyncio's `BaseProtocol`).
 *
 * Call order: `connectionMade` exactly once, first; `connectionLost` exactly once, last; nothing
 * after it. `pauseWriting` and `resumeWriting` alternate in between, starting with a pause.
 */
export class BaseProtocol {
  /**
   * Called when the connection is made; `transport` is the transport for it. Stash it to write
   * or close later.
   */
  connectionMade(_transport: BaseTransport): void {}

  /**
   * Called when the connection is lost or closed, exactly once, as the last callback. `exc` is
   * `null` for a regular close (local `close()`, or EOF followed by the transport closing) and the
   * error otherwise (for example a {@link ConnectionResetError}).
   */
  connectionLost(_exc: Error | null): void {}

  /**
   * Called when the transport's write buffer goes over the high-water mark. The protocol should
   * stop writing until {@link resumeWriting}; writes still work but keep buffering.
   */
  pauseWriting(): void {}

  /** Called once the write buffer has drained to the low-water mark or below after a pause. */
  resumeWriting(): void {}
}

/**
 * A stream protocol, for TCP connections and pipes (asyncio's `Protocol`).
 *
 * State machine:
 * ```
 * start -> connectionMade -> dataReceived* -> eofReceived? -> connectionLost -> end
 * ```
 */
export class Protocol extends BaseProtocol {
  /**
   * Called with each chunk of data received. Chunk boundaries are arbitrary: a message sent as one
   * write may arrive in several chunks and several writes in one. The bytes may be kept (the
   * transport does not reuse them).
   */
  dataReceived(_data: Uint8Array): void {}

  /**
   * Called when the peer has sent EOF (it will send no more data), at most once, after every
   * `dataReceived`. Return a truthy value to keep the connection half-open (the protocol may still
   * write, and closes the transport itself later); return nothing or false and the transport
   * closes itself, which leads to `connectionLost(null)`.
   */
  eofReceived(): boolean | void {
    return undefined;
  }
}

/**
 * A stream protocol that provides its own receive buffer, avoiding a copy (asyncio's
 * `BufferedProtocol`).
 *
 * State machine:
 * ```
 * start -> connectionMade -> (getBuffer -> bufferUpdated)* -> eofReceived? -> connectionLost -> end
 * ```
 */
export class BufferedProtocol extends BaseProtocol {
  /**
   * Returns a buffer to receive into; `sizeHint` is the size the transport would like (it may be
   * -1 for "any"). The buffer must be non-empty.
   */
  getBuffer(_sizeHint: number): Uint8Array {
    return new Uint8Array(0);
  }

  /** Called when `nbytes` bytes were written into the buffer returned by the last `getBuffer`. */
  bufferUpdated(_nbytes: number): void {}

  /** As {@link Protocol.eofReceived}: a truthy return keeps the connection half-open. */
  eofReceived(): boolean | void {
    return undefined;
  }
}

/**
 * A datagram (UDP) protocol (asyncio's `DatagramProtocol`).
 *
 * Call order: `connectionMade` first, then `datagramReceived` and `errorReceived` in any order,
 * `connectionLost` last. An error does not close the endpoint.
 */
export class DatagramProtocol extends BaseProtocol {
  /** Called with each datagram received and the address `[host, port]` it came from. */
  datagramReceived(_data: Uint8Array, _addr: SocketAddress): void {}

  /**
   * Called when a send or receive fails with an {@link OSError} (for example ICMP port unreachable
   * on a connected endpoint, as a {@link ConnectionRefusedError}). The endpoint stays open.
   */
  errorReceived(_exc: Error): void {}
}

/**
 * The protocol of a child process and its pipes (asyncio's `SubprocessProtocol`).
 *
 * Call order, as asyncio's base_subprocess guarantees:
 * ```
 * connectionMade -> (pipeDataReceived | pipeConnectionLost | processExited)* -> connectionLost
 * ```
 * `connectionMade` comes first, even if the child wrote or exited before the pipes were connected
 * (those calls are held back and replayed after it). `connectionLost` comes last, only once the
 * exit code is known (`processExited` was called) and every pipe is closed.
 */
export class SubprocessProtocol extends BaseProtocol {
  /** Called with data the child wrote to its stdout (`fd` 1) or stderr (`fd` 2). */
  pipeDataReceived(_fd: number, _data: Uint8Array): void {}

  /** Called when one of the child's pipes (`fd` 0, 1 or 2) is closed; `exc` as in connectionLost. */
  pipeConnectionLost(_fd: number, _exc: Error | null): void {}

  /** Called when the child has exited; `transport.getReturncode()` has the code by then. */
  processExited(): void {}
}

/** The structural type of a stream protocol that a transport accepts. */
export type StreamProtocol = Protocol | BufferedProtocol;

/** True when `protocol` receives into its own buffers (has `getBuffer`/`bufferUpdated`). */
export function isBufferedProtocol(protocol: object): protocol is BufferedProtocol {
  return typeof (protocol as Partial<BufferedProtocol>).getBuffer === 'function'
    && typeof (protocol as Partial<BufferedProtocol>).bufferUpdated === 'function';
}

/** A factory that builds a fresh protocol per connection (asyncio's `protocol_factory`). */
export type ProtocolFactory<P> = () => P;
