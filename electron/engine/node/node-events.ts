/**
 * NodeEventLoop: the event loop with real I/O, as asyncio's selector_events and unix_events add
 * sockets, pipes and subprocesses to base_events. Node's own event loop does the polling; this class
 * turns Node's callbacks into transports whose protocol callbacks run as loop callbacks.
 *
 * Every I/O method returns a Future (awaitable from native and generator coroutines) that resolves
 * after the transport's `connectionMade` has run, as asyncio's coroutines do.
 */
import * as dgram from 'node:dgram';
import { lookup } from 'node:dns';
import * as net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { LoopSnapshot } from '../../../shared/engine/snapshot';
import { BaseEventLoop, type EventLoopOptions } from '../core/base-events';
import type { Future } from '../core/futures';
import { OSError, formatAddress, strerror, type SocketAddress } from '../core/os-errors';
import type { BaseProtocol, ProtocolFactory } from '../core/protocols';
import { openTransports, type AnyProtocol } from '../core/transport-base';
import type { DatagramTransport, ReadTransport, SubprocessTransport, Transport, WriteTransport } from '../core/transports';
import { ValueError } from '../core/value-error';
import type { Platform } from '../core/platform';
import { isSystemError, toOSError } from './node-errors';
import { ReadPipeTransport, WritePipeTransport } from './pipe-transport';
import { Server } from './server';
import { NodeSubprocessTransport } from './subprocess-transport';
import type { IoEventLoop, SubprocessOptions } from '../core/io-loop';
import { TcpTransport } from './tcp-transport';
import { UdpTransport } from './udp-transport';

/** Options of `createConnection` (asyncio's keyword arguments that apply here). */
export interface CreateConnectionOptions {
  /** `[host, port]` to bind the local end to (asyncio's local_addr). */
  localAddr?: SocketAddress;
  /** 4 or 6 to force the address family; 0 (default) for any. */
  family?: 0 | 4 | 6;
}

/** Options of `createServer`. */
export interface CreateServerOptions {
  /** The listen backlog (asyncio's default 100). */
  backlog?: number;
  /** Start accepting at once (default true); otherwise call `startServing()` or `serveForever()`. */
  startServing?: boolean;
  /** Listen on IPv6 only, without IPv4-mapped addresses. */
  ipv6Only?: boolean;
}

/** Options of `createDatagramEndpoint`. */
export interface CreateDatagramEndpointOptions {
  /** `[host, port]` to bind to (port 0 picks a free port). */
  localAddr?: SocketAddress;
  /** `[host, port]` to connect to: then `sendto` takes no address and only that peer is heard. */
  remoteAddr?: SocketAddress;
  /** 4 or 6 to force the family (by default, from the addresses; IPv4 without any). */
  family?: 0 | 4 | 6;
  /** Allow sending to broadcast addresses (SO_BROADCAST). */
  allowBroadcast?: boolean;
}

/**
 * A pipe for `connectReadPipe` / `connectWritePipe`: a Node stream (a child's stdio,
 * `process.stdin`, a socket) or a file descriptor of a pipe or socket. The stream types are
 * structural so the editor's typings need no Node types.
 */
export type PipeLike<S> = S | number;

/** The Node readable stream `connectReadPipe` accepts (any `stream.Readable`). */
export interface ReadableStreamLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(): unknown;
}

/** The Node writable stream `connectWritePipe` accepts (any `stream.Writable`). */
export interface WritableStreamLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  write(chunk: Uint8Array, callback?: (error?: Error | null) => void): boolean;
  readonly writableLength: number;
  destroy(): unknown;
}

// How long (real time) after the last byte moved the virtual clock keeps waiting for more before
// it may jump: traffic between two ends in this process needs a moment to cross the kernel, and
// jumping meanwhile would fire a timeout that, in real time, would not have expired.
const VIRTUAL_IO_SETTLE_MS = 10;

function resolveWaiter<T>(fut: Future<T>, value: T, onCancelled: () => void): void {
  if (fut.cancelled()) onCancelled();
  else if (!fut.done()) fut.setResult(value);
}

function connectError(err: unknown, host: string, port: number): Error {
  if (err instanceof AggregateError) {
    // Node tried several addresses (autoSelectFamily); asyncio reports them as it does here.
    const errors = err.errors.map((e: unknown) => connectError(e, host, port));
    if (errors.length === 1) return errors[0];
    if (errors.every((e) => e.message === errors[0].message)) return errors[0];
    return new OSError(undefined, `Multiple exceptions: ${errors.map((e) => e.message).join(', ')}`, { cause: err });
  }
  if (isSystemError(err)) {
    const { address: a, port: p, syscall } = err as { address?: string; port?: number; syscall?: string };
    const address: SocketAddress = [a ?? host, p ?? port];
    if (syscall === 'connect') return toOSError(err, `Connect call failed ${formatAddress(address)}`, { address });
    return toOSError(err, undefined, { address });
  }
  return toOSError(err);
}

function bindError(err: unknown, address: SocketAddress): Error {
  if (isSystemError(err)) {
    // asyncio: "error while attempting to bind on address ('127.0.0.1', 8888): address already in use"
    const message = `error while attempting to bind on address ${formatAddress(address)}: ${strerror(err.code).toLowerCase()}`;
    return toOSError(err, message, { address });
  }
  return toOSError(err);
}

/** The event loop with sockets, pipes and subprocesses (see the module comment). */
export class NodeEventLoop extends BaseEventLoop implements IoEventLoop {
  /** @internal The virtual clock is held while traffic settles. */ _ioHeld = false;
  /** @internal Servers created on this loop (closed with it). */ readonly _servers = new Set<Server>();
  /** @internal */ _ioHoldTimer: NodeJS.Timeout | null = null;

  constructor(options: EventLoopOptions = {}, platform: Platform) {
    super(options, platform);
  }

  // --- TCP ---------------------------------------------------------------------------------

  /**
   * Opens a TCP connection to `host:port` and pairs it with `protocolFactory()` (asyncio's
   * create_connection). Resolves with `[transport, protocol]` after `connectionMade`; rejects with
   * ConnectionRefusedError (an OSError with errno 111) when nothing listens.
   */
  override createConnection<P extends BaseProtocol>(protocolFactory: ProtocolFactory<P>, host: string | null | undefined, port: number, options: CreateConnectionOptions = {}): Future<[Transport, P]> {
    const fut = this.createFuture<[Transport, P]>();
    const hostname = host ?? 'localhost';
    let sock: net.Socket;
    try {
      sock = net.connect({
        host: hostname,
        port,
        family: options.family,
        localAddress: options.localAddr?.[0],
        localPort: options.localAddr?.[1] || undefined,
        noDelay: true,
        allowHalfOpen: true,
      });
    } catch (exc) {
      fut.setException(toOSError(exc));
      return fut;
    }
    this._ioPending(1);
    let connecting = true;
    let failure: unknown = null;
    const finish = (): void => {
      if (!connecting) return;
      connecting = false;
      this._ioPending(-1);
    };
    const onError = (err: Error): void => {
      failure ??= err;
      if (!connecting) return;
      finish();
      sock.destroy();
      if (!fut.done() && !this._closed) fut.setException(connectError(err, hostname, port));
    };
    sock.on('error', onError);
    sock.once('connect', () => {
      finish();
      if (this._closed) {
        sock.destroy();
        return;
      }
      // The protocol factory is user code: it runs in a loop callback, as asyncio's does.
      this.callSoon(() => {
        sock.off('error', onError);
        if (fut.done() || failure !== null || sock.destroyed) {
          sock.destroy();
          if (!fut.done()) fut.setException(connectError(failure ?? new Error('socket closed'), hostname, port));
          return;
        }
        let protocol: P;
        try {
          protocol = protocolFactory();
        } catch (exc) {
          sock.destroy();
          fut.setException(exc);
          return;
        }
        const transport = new TcpTransport(this, sock, protocol as unknown as AnyProtocol);
        this.callSoon(resolveWaiter, fut as Future<[Transport, P]>, [transport, protocol] as [Transport, P], () => transport.close());
      });
    });
    fut.addDoneCallback((f) => {
      if (f.cancelled() && connecting) {
        finish();
        sock.destroy();
      }
    });
    return fut;
  }

  /**
   * Listens on `host:port` and serves each connection with a fresh `protocolFactory()` (asyncio's
   * create_server). `host` null listens on every interface; a name listens on each of its addresses;
   * port 0 picks a free port (see `server.sockets[0].getsockname()`). Rejects with AddressInUseError
   * (errno 98) when the port is taken.
   */
  override createServer<P extends BaseProtocol>(protocolFactory: ProtocolFactory<P>, host?: string | readonly string[] | null, port = 0, options: CreateServerOptions = {}): Future<Server> {
    const fut = this.createFuture<Server>();
    this._ioPending(1);
    const fail = (exc: unknown, servers: net.Server[]): void => {
      for (const s of servers) s.close();
      this._ioPending(-1);
      if (!fut.done() && !this._closed) fut.setException(exc);
    };
    this._resolveHosts(host, (err, addresses) => {
      if (err !== null) return fail(err, []);
      const servers: net.Server[] = [];
      let listening = 0;
      let failed = false;
      for (const address of addresses) {
        const srv = net.createServer({ allowHalfOpen: true, noDelay: true });
        servers.push(srv);
        const onError = (e: Error): void => {
          if (failed) return;
          failed = true;
          fail(bindError(e, [address ?? '0.0.0.0', port]), servers);
        };
        srv.once('error', onError);
        srv.listen({ host: address, port, backlog: options.backlog ?? 100, ipv6Only: options.ipv6Only }, () => {
          srv.off('error', onError);
          if (failed || ++listening < addresses.length) return;
          this._ioPending(-1);
          if (fut.cancelled() || this._closed) {
            for (const s of servers) s.close();
            return;
          }
          const server = new Server(this, protocolFactory, servers);
          this._servers.add(server);
          if (options.startServing ?? true) server._startServing();
          // asyncio's create_server ends with `await sleep(0)`: the caller resumes an iteration later.
          this.callSoon(resolveWaiter, fut, server, () => server.close());
        });
      }
    });
    return fut;
  }

  /** Resolves a host argument to the addresses to listen on (undefined: every interface). */
  private _resolveHosts(host: string | readonly string[] | null | undefined, cb: (err: Error | null, addresses: Array<string | undefined>) => void): void {
    if (host === null || host === undefined || host === '') return cb(null, [undefined]);
    const names = typeof host === 'string' ? [host] : [...host];
    const out: string[] = [];
    let pending = names.length;
    let failed = false;
    for (const name of names) {
      if (net.isIP(name) !== 0) {
        out.push(name);
        if (--pending === 0) cb(null, [...new Set(out)]);
        continue;
      }
      lookup(name, { all: true }, (err, results) => {
        if (failed) return;
        if (err) {
          failed = true;
          return cb(toOSError(err), []);
        }
        for (const r of results) out.push(r.address);
        if (--pending === 0) cb(null, [...new Set(out)]);
      });
    }
  }

  // --- UDP ---------------------------------------------------------------------------------

  /**
   * Creates a UDP endpoint (asyncio's create_datagram_endpoint): bound to `localAddr`, connected to
   * `remoteAddr`, or both. Resolves with `[transport, protocol]` after `connectionMade`.
   */
  override createDatagramEndpoint<P extends BaseProtocol>(protocolFactory: ProtocolFactory<P>, options: CreateDatagramEndpointOptions = {}): Future<[DatagramTransport, P]> {
    const fut = this.createFuture<[DatagramTransport, P]>();
    const { localAddr, remoteAddr } = options;
    const v6 = options.family === 6 || (options.family !== 4 && ((localAddr?.[0] ?? remoteAddr?.[0] ?? '').includes(':')));
    const sock = dgram.createSocket({ type: v6 ? 'udp6' : 'udp4' });
    this._ioPending(1);
    let settling = true;
    const fail = (err: Error): void => {
      if (!settling) return;
      settling = false;
      this._ioPending(-1);
      try {
        sock.close();
      } catch {
        // never bound: nothing to close
      }
      if (!fut.done() && !this._closed) fut.setException(err);
    };
    const onSetupError = (err: Error): void => fail(bindError(err, localAddr ?? remoteAddr ?? ['0.0.0.0', 0]));
    sock.on('error', onSetupError);
    const ready = (): void => {
      if (!settling) return;
      settling = false;
      this._ioPending(-1);
      if (this._closed) {
        sock.close();
        return;
      }
      this.callSoon(() => {
        sock.off('error', onSetupError);
        if (fut.done()) {
          sock.close();
          return;
        }
        let protocol: P;
        try {
          if (options.allowBroadcast) sock.setBroadcast(true);
          protocol = protocolFactory();
        } catch (exc) {
          sock.close();
          fut.setException(exc);
          return;
        }
        const transport = new UdpTransport(this, sock, protocol as unknown as AnyProtocol, remoteAddr ? [remoteAddr[0], remoteAddr[1]] : null);
        this.callSoon(resolveWaiter, fut as Future<[DatagramTransport, P]>, [transport, protocol] as [DatagramTransport, P], () => transport.close());
      });
    };
    const connect = (): void => {
      if (remoteAddr === undefined) return ready();
      sock.connect(remoteAddr[1], remoteAddr[0], (err?: Error) => {
        if (err) fail(connectError(err, remoteAddr[0], remoteAddr[1]));
        else ready();
      });
    };
    if (localAddr !== undefined || remoteAddr === undefined) {
      sock.bind({ address: localAddr?.[0] ?? (v6 ? '::' : '0.0.0.0'), port: localAddr?.[1] ?? 0 }, connect);
    } else {
      connect();
    }
    fut.addDoneCallback((f) => {
      if (f.cancelled()) fail(new Error('cancelled'));
    });
    return fut;
  }

  // --- subprocesses ------------------------------------------------------------------------

  /**
   * Runs `program` with `args` (asyncio's subprocess_exec); a trailing options object sets the
   * stdio (pipe by default), `cwd` and `env`. Resolves with `[transport, protocol]` after
   * `connectionMade`; rejects with FileNotFoundError when the program does not exist.
   */
  override subprocessExec<P extends BaseProtocol>(protocolFactory: ProtocolFactory<P>, program: string, ...rest: Array<string | SubprocessOptions>): Future<[SubprocessTransport, P]> {
    let options: SubprocessOptions = {};
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'object' && rest[rest.length - 1] !== null) options = rest.pop() as SubprocessOptions;
    for (const a of rest) if (typeof a !== 'string') throw new TypeError(`program arguments must be strings, got ${typeof a}`);
    return this._spawn(protocolFactory, program, rest as string[], options, program);
  }

  /** Runs `cmd` with `/bin/sh -c` (asyncio's subprocess_shell); options as for subprocessExec. */
  override subprocessShell<P extends BaseProtocol>(protocolFactory: ProtocolFactory<P>, cmd: string, options: SubprocessOptions = {}): Future<[SubprocessTransport, P]> {
    if (typeof cmd !== 'string') throw new ValueError('cmd must be a string');
    return this._spawn(protocolFactory, '/bin/sh', ['-c', cmd], options, cmd);
  }

  private _spawn<P extends BaseProtocol>(protocolFactory: ProtocolFactory<P>, program: string, args: string[], options: SubprocessOptions, display: string): Future<[SubprocessTransport, P]> {
    const fut = this.createFuture<[SubprocessTransport, P]>();
    const protocol = protocolFactory();
    const waiter = this.createFuture<unknown>();
    const transport = new NodeSubprocessTransport(this, protocol as unknown as AnyProtocol, program, args, options, waiter, display);
    waiter.addDoneCallback((w) => {
      if (w.cancelled()) return;
      const exc = w.exception();
      if (exc !== undefined) {
        if (!fut.done()) fut.setException(exc);
        return;
      }
      resolveWaiter(fut, [transport, protocol] as [SubprocessTransport, P], () => transport.close());
    });
    return fut;
  }

  // --- pipes -------------------------------------------------------------------------------

  /** Reads from a pipe with `protocolFactory()` (asyncio's connect_read_pipe): a Node stream or an fd. */
  override connectReadPipe<P extends BaseProtocol>(protocolFactory: ProtocolFactory<P>, pipe: PipeLike<ReadableStreamLike>): Future<[ReadTransport, P]> {
    const fut = this.createFuture<[ReadTransport, P]>();
    const stream = typeof pipe === 'number' ? this._pipeSocket(pipe, true) : (pipe as unknown as Readable);
    const protocol = protocolFactory();
    const transport = new ReadPipeTransport(this, stream, protocol as unknown as AnyProtocol);
    this.callSoon(resolveWaiter, fut, [transport, protocol] as [ReadTransport, P], () => transport.close());
    return fut;
  }

  /** Writes to a pipe with `protocolFactory()` (asyncio's connect_write_pipe): a Node stream or an fd. */
  override connectWritePipe<P extends BaseProtocol>(protocolFactory: ProtocolFactory<P>, pipe: PipeLike<WritableStreamLike>): Future<[WriteTransport, P]> {
    const fut = this.createFuture<[WriteTransport, P]>();
    const stream = typeof pipe === 'number' ? this._pipeSocket(pipe, false) : (pipe as unknown as Writable);
    const protocol = protocolFactory();
    const transport = new WritePipeTransport(this, stream, protocol as unknown as AnyProtocol);
    this.callSoon(resolveWaiter, fut, [transport, protocol] as [WriteTransport, P], () => transport.close());
    return fut;
  }

  private _pipeSocket(fd: number, readable: boolean): net.Socket {
    try {
      return new net.Socket({ fd, readable, writable: !readable });
    } catch (exc) {
      // asyncio refuses regular files the same way.
      throw new ValueError(`Pipe transport is for pipes/sockets only. (${(exc as Error).message})`);
    }
  }

  // --- hooks -------------------------------------------------------------------------------

  /**
   * @internal Bytes moved: on the virtual clock, hold time still until traffic has been quiet for
   * a moment (see VIRTUAL_IO_SETTLE_MS). Costs nothing on the real clock (callers check first).
   */
  _noteIo(): void {
    if (this._ioHoldTimer !== null) {
      this._ioHoldTimer.refresh();
      return;
    }
    this._ioHeld = true;
    this._ioPending(1);
    this._ioHoldTimer = setTimeout(this._releaseIoHold, VIRTUAL_IO_SETTLE_MS);
    this._ioHoldTimer.unref();
  }

  private readonly _releaseIoHold = (): void => {
    this._ioHoldTimer = null;
    this._ioHeld = false;
    this._ioPending(-1);
  };

  /**
   * Closes the loop (asyncio's close). Transports, servers and children still open are released
   * without callbacks, so a stopped run leaves no socket or process behind (asyncio leaves that
   * to the garbage collector).
   */
  override close(): void {
    const wasClosed = this._closed;
    super.close();
    if (wasClosed) return;
    for (const server of this._servers) server._abandon();
    this._servers.clear();
    for (const t of [...openTransports(this)]) t._abandon();
    if (this._ioHoldTimer !== null) {
      clearTimeout(this._ioHoldTimer);
      this._ioHoldTimer = null;
    }
  }

  /** Adds the open transports to the snapshot. */
  protected override _extendSnapshot(snapshot: LoopSnapshot): void {
    snapshot.transports = Array.from(openTransports(this), (t) => t._info());
  }
}

export { Server };
