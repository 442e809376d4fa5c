/**
 * The I/O half of asyncio's `AbstractEventLoop` and `AbstractServer`, as interfaces: what the
 * core's streams and subprocess helpers may call on a loop without knowing the platform. The Node
 * loop (engine/node's NodeEventLoop) implements them.
 */
import type { BaseEventLoop } from './base-events';
import type { Future } from './futures';
import type { SocketAddress } from './os-errors';
import type { BaseProtocol, ProtocolFactory } from './protocols';
import type { DatagramTransport, ReadTransport, SubprocessTransport, Transport, WriteTransport } from './transports';

/** A listening socket of a server: asyncio's `TransportSocket`. */
export interface ServerSocket {
  /** `[host, port]` the socket is bound to. */
  getsockname(): SocketAddress;
}

/** A listening server (asyncio's `AbstractServer`). */
export interface AbstractServer {
  /** The listening sockets; empty once closed. */
  readonly sockets: readonly ServerSocket[];
  /** Stops listening; accepted connections stay open. */
  close(): void;
  /** Resolves once closed and every accepted connection is closed (asyncio 3.12+). */
  waitClosed(): PromiseLike<void>;
  /** Whether connections are being accepted. */
  isServing(): boolean;
  /** Starts accepting, if the server was created with `startServing: false`. */
  startServing(): PromiseLike<void>;
  /** Accepts until cancelled, then closes. */
  serveForever(): PromiseLike<void>;
  /** The loop the server runs on. */
  getLoop(): BaseEventLoop;
}

/** What one of a child's standard streams is connected to (see `subprocessExec`). */
export type StdioSpec = 'pipe' | 'inherit' | 'devnull' | null | number;

/** Options of `subprocessExec` / `subprocessShell`. */
export interface SubprocessOptions {
  /** `'pipe'` (default), `'inherit'`, `null`/`'devnull'`, or an open file descriptor. */
  stdin?: StdioSpec;
  stdout?: StdioSpec;
  stderr?: StdioSpec;
  /** Working directory of the child. */
  cwd?: string;
  /** Environment of the child (default: the parent's). */
  env?: Record<string, string | undefined>;
}

/** The I/O methods of a loop (asyncio's names, camelCase); each resolves after `connectionMade`. */
export interface IoMethods {
  createConnection<P extends BaseProtocol>(protocolFactory: ProtocolFactory<P>, host: string | null | undefined, port: number, options?: object): Future<[Transport, P]>;
  createServer<P extends BaseProtocol>(protocolFactory: ProtocolFactory<P>, host?: string | readonly string[] | null, port?: number, options?: object): Future<AbstractServer>;
  createDatagramEndpoint<P extends BaseProtocol>(protocolFactory: ProtocolFactory<P>, options?: object): Future<[DatagramTransport, P]>;
  subprocessExec<P extends BaseProtocol>(protocolFactory: ProtocolFactory<P>, program: string, ...args: Array<string | SubprocessOptions>): Future<[SubprocessTransport, P]>;
  subprocessShell<P extends BaseProtocol>(protocolFactory: ProtocolFactory<P>, cmd: string, options?: SubprocessOptions): Future<[SubprocessTransport, P]>;
  connectReadPipe<P extends BaseProtocol>(protocolFactory: ProtocolFactory<P>, pipe: unknown): Future<[ReadTransport, P]>;
  connectWritePipe<P extends BaseProtocol>(protocolFactory: ProtocolFactory<P>, pipe: unknown): Future<[WriteTransport, P]>;
}

/** A loop with the I/O methods (engine/node's NodeEventLoop). */
export interface IoEventLoop extends BaseEventLoop, IoMethods {}

/** Whether `loop` has the I/O methods (a NodeEventLoop, not a bare BaseEventLoop). */
export function isIoEventLoop(loop: BaseEventLoop): loop is IoEventLoop {
  return typeof (loop as Partial<IoEventLoop>).createConnection === 'function';
}
