// The engine's public API: asyncio's names in camelCase. Scenarios import this as `loopwright`.
import { BaseEventLoop, type EventLoopOptions } from './core/base-events';
import { _setEventLoopFactory } from './core/events';
import type { Platform } from './core/platform';
import { nodePlatform } from './node/node-platform';

export { BaseEventLoop } from './core/base-events';
export type { ClockKind, EventLoopOptions, ExceptionContext, ExceptionHandler, SnapshotOptions, GateCallback, StepGate } from './core/base-events';
export { Handle, TimerHandle, getEventLoop, setEventLoop, getRunningLoop } from './core/events';
export type { Callback } from './core/events';
export { CancelledError, InvalidStateError, TimeoutError, RuntimeError, ExceptionGroup } from './core/exceptions';
export { Future, Continuation, isFuture, wrapFuture, setResultUnlessCancelled } from './core/futures';
export type { DoneCallback } from './core/futures';
export {
  Task,
  Sleep0,
  SleepFuture,
  GatheringFuture,
  sleep,
  gather,
  wait,
  waitFor,
  shield,
  asCompleted,
  currentTask,
  allTasks,
  createTask,
  ensureFuture,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  ALL_COMPLETED,
} from './core/tasks';
export type { TaskOptions, GatherOptions, WaitOptions, AsCompletedOptions, AwaitedResult } from './core/tasks';
export { isCoroutine, isGenerator, isThenable } from './core/coroutines';
export type { CoroutineLike, GeneratorCoroutine } from './core/coroutines';
export { TaskGroup } from './core/taskgroups';
export { Timeout, timeout, timeoutAt } from './core/timeouts';
export { run } from './core/runners';
export type { Platform, LogLevel } from './core/platform';
export { nodePlatform } from './node/node-platform';
export type { EngineEvent, CoreEvent, EventSink } from '../../shared/engine/events';
export type { LoopSnapshot } from '../../shared/engine/snapshot';

/** A loop class as `newEventLoop` builds it: `new LoopClass(options, platform)`. */
export type EventLoopClass = new (options: EventLoopOptions, platform: Platform) => BaseEventLoop;

let loopClass: EventLoopClass = BaseEventLoop;
let defaultOptions: EventLoopOptions = {};

/** Chooses the class `newEventLoop` builds (the I/O layer registers its NodeEventLoop here). */
export function setEventLoopClass(cls: EventLoopClass): void {
  loopClass = cls;
}

/** The class `newEventLoop` builds. */
export function getEventLoopClass(): EventLoopClass {
  return loopClass;
}

/** Options every new loop starts from (a scenario runner sets the clock here); `newEventLoop(options)` overrides them. */
export function setDefaultEventLoopOptions(options: EventLoopOptions): void {
  defaultOptions = { ...options };
}

/** Creates a loop on the Node platform (asyncio.new_event_loop); it does not become current. */
export function newEventLoop(options?: EventLoopOptions): BaseEventLoop {
  return new loopClass({ ...defaultOptions, ...options }, nodePlatform);
}

_setEventLoopFactory(newEventLoop);

// --- I/O (engine/node) ---
// Transports, protocols, streams and subprocesses. newEventLoop() builds a NodeEventLoop, which has
// the I/O methods (createConnection, createServer, createDatagramEndpoint, subprocessExec, ...).
import { NodeEventLoop } from './node/node-events';

export { NodeEventLoop } from './node/node-events';
export type { CreateConnectionOptions, CreateServerOptions, CreateDatagramEndpointOptions, PipeLike, ReadableStreamLike, WritableStreamLike } from './node/node-events';
export { Server, TransportSocket } from './node/server';
export { TcpTransport } from './node/tcp-transport';
export { UdpTransport } from './node/udp-transport';
export { ReadPipeTransport, WritePipeTransport } from './node/pipe-transport';
export { NodeSubprocessTransport } from './node/subprocess-transport';
export { BaseProtocol, Protocol, BufferedProtocol, DatagramProtocol, SubprocessProtocol } from './core/protocols';
export type { ProtocolFactory } from './core/protocols';
export type { BaseTransport, ReadTransport, WriteTransport, Transport, DatagramTransport, SubprocessTransport } from './core/transports';
export type { AbstractServer, IoEventLoop, ServerSocket, StdioSpec, SubprocessOptions } from './core/io-loop';
export { TransportBase } from './core/transport-base';
/** The open transports of a loop (the scenario runner finds the terminal's target here). */
export { openTransports } from './core/transport-base';
export { StreamTransport } from './core/stream-transport';
export { BaseSubprocessTransport } from './core/base-subprocess';
export { MemoryTransport, createMemoryTransportPair } from './core/memory-transport';
export type { MemoryPairOptions } from './core/memory-transport';
export { DEFAULT_WRITE_HIGH_WATER, resolveWriteBufferLimits } from './core/flow-control';
export type { WriteBufferLimits } from './core/flow-control';
export {
  OSError,
  BlockingIOError,
  ChildProcessError,
  ConnectionError,
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionRefusedError,
  ConnectionResetError,
  FileExistsError,
  FileNotFoundError,
  InterruptedError,
  IsADirectoryError,
  NotADirectoryError,
  PermissionError,
  ProcessLookupError,
  AddressInUseError,
} from './core/os-errors';
export type { SocketAddress, OSErrorOptions } from './core/os-errors';
export { ValueError } from './core/value-error';
export {
  StreamReader,
  StreamWriter,
  StreamReaderProtocol,
  FlowControlProtocol,
  IncompleteReadError,
  LimitOverrunError,
  openConnection,
  startServer,
  DEFAULT_LIMIT,
} from './core/streams';
export type { ClientConnectedCallback, StreamOptions } from './core/streams';
export { Process, SubprocessStreamProtocol, createSubprocessExec, createSubprocessShell } from './core/subprocess';
export type { ProcessOptions } from './core/subprocess';
export type { TransportEvent, TransportInfo, TransportKind } from '../../shared/engine/transport-events';
export { encodeBytes, decodeBytes } from '../../shared/engine/base64';

setEventLoopClass(NodeEventLoop);
