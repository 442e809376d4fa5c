// The worker thread of one scenario run: its own engine instance (the scenario imports the same
// module as `loopwright`), the console captured, events and snapshots batched to the host once per
// frame, and the debugger's gate between callbacks. Built to out/engine/scenario-worker.mjs.
import { ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import * as engine from 'loopwright';
import { ControlBlock, ControlRequest } from './control-block';
import { BatchCredit } from './batch-credit';
import { EventBatch, batchSink } from './event-batch';
import { locateInStack } from './error-location';
import { OutputCapture } from './output-capture';
import { Stepper } from './stepper';
import type { FromWorker, ScenarioErrorInfo, ToWorker, WorkerStart } from './worker-protocol';

type Loop = engine.BaseEventLoop;

const start = workerData as WorkerStart;
const port = parentPort!;
// Before any loop exists: each takes its platform's tick when it is made.
if (start.eventTick !== null) engine.nodePlatform.eventTick = new Int32Array(start.eventTick);
const control = new ControlBlock(start.control);
const stepper = new Stepper(start.startPaused);
stepper.setBreakpoints(start.breakpoints);
/** Tells the loops whether the gate must see the next callbacks (after every change of the stepper's mode or breakpoints). */
const syncStepping = (): void => control.setStepping(stepper.watching);
syncStepping();

const events = new EventBatch();
// Output goes after the events before it: those the loop holds back too (EventBatch.settle).
const output = new OutputCapture(() => flush(), undefined, () => (events.settle(), events.count));
let current: Loop | null = null;
let paused = false;
let lastSnapshotKey = '';

function post(message: FromWorker, transfer?: ArrayBuffer[]): void {
  port.postMessage(message, transfer);
}

const credit = new BatchCredit(control);
let heldBackSaid = false;

function flush(): void {
  events.settle();
  const chunks = output.take();
  if (chunks.length === 0 && events.count === 0) return;
  const batch = events.take();
  const size = batch === null ? 0 : EventBatch.sizeOf(batch);
  post({ type: 'batch', output: chunks, events: batch, size }, batch === null ? undefined : EventBatch.transferList(batch));
  if (size === 0) return;
  credit.sentBatch(size);
  if (credit.heldBackMs > 0 && !heldBackSaid) {
    heldBackSaid = true;
    output.write('stderr', 'loopwright: this run emits events faster than the workbench can take them in: it waits for the workbench to catch up, so that no event is lost (it runs slower than it would unobserved).\n');
  }
}

/** Milliseconds between two snapshots of a loop where only the clock moved (a real-clock loop waiting). */
const CLOCK_ONLY_SNAPSHOT_MS = 100;
let lastSnapshotTime = NaN;
let lastSnapshotAt = 0;

function sendSnapshot(force: boolean): void {
  if (current === null) return;
  const snapshot = current.snapshot({ limit: 2000 });
  // Skip frames where nothing moved, so an idle run costs nothing on the wire; where only the clock
  // moved (a server waiting for clients), ten a second keep the shown time going.
  // Transports change between iterations too (the OS takes buffered bytes, a child exits).
  const transports = (snapshot.transports ?? []).map((t) => `${t.id}:${t.state}:${t.bytesIn}:${t.bytesOut}:${t.writeBufferSize}:${+t.paused.reading}${+t.paused.writing}:${t.returncode ?? ''}`).join(',');
  const key = `${snapshot.iteration}|${snapshot.readyCount}|${snapshot.scheduledCount}|${snapshot.taskCount}|${transports}`;
  const now = performance.now();
  if (!force && key === lastSnapshotKey && (snapshot.time === lastSnapshotTime || now - lastSnapshotAt < CLOCK_ONLY_SNAPSHOT_MS)) return;
  lastSnapshotKey = key;
  lastSnapshotTime = snapshot.time;
  lastSnapshotAt = now;
  post({ type: 'snapshot', snapshot });
}

/** Frames of Node's module loader and of this worker say nothing about the scenario. */
const NOISE = /\(node:internal\/|at node:internal\/|scenario-worker\.mjs/;

function describeError(error: unknown): ScenarioErrorInfo {
  const e = error instanceof Error ? error : new Error(String(error));
  const stack = (e.stack ?? `${e.name}: ${e.message}`)
    .split('\n')
    .filter((line) => !NOISE.test(line))
    .join('\n');
  const location = locateInStack(stack, start.sourceFile);
  return { name: e.name, message: e.message, stack, ...(location ? { location } : {}) };
}

/** The transport the terminal writes to: a connection or pipe by id; a subprocess means its stdin. */
function findWritable(loop: Loop, id: number): { write(data: Uint8Array): void } | undefined {
  for (const transport of engine.openTransports(loop)) {
    if (transport._id !== id) continue;
    const t = transport as unknown as { write?: (data: Uint8Array) => void; getPipeTransport?: (fd: 0) => { write(data: Uint8Array): void } | null };
    if (typeof t.getPipeTransport === 'function') return t.getPipeTransport(0) ?? undefined;
    if (typeof t.write === 'function') return { write: (data) => t.write!(data) };
    return undefined;
  }
  return undefined;
}

/** The debugger's gate: asked by the loop before each callback whether to pause in front of it. */
function gate(next: engine.GateCallback): boolean {
  const request = control.current();
  if (request === ControlRequest.Stop) return true;
  if (request === ControlRequest.Pause && stepper.current.kind !== 'pause') stepper.command({ kind: 'pause' });
  const reason = stepper.decide({ id: next.id, name: next.callback, task: next.task, iteration: next.iteration, fromTimer: next.timer });
  if (reason === undefined) {
    stepper.ran();
    return false;
  }
  stepper.paused();
  syncStepping();
  paused = true;
  flush();
  post({ type: 'paused', reason, next: { id: next.id, callback: next.callback } });
  sendSnapshot(true);
  return true;
}

/** Every loop the scenario creates reports to this run: events, snapshots and the gate. */
function adopt(loop: Loop): void {
  current = loop;
  if (start.events) loop.setEventSink(batchSink(events, flush));
  loop.setStepGate(gate, control.attention());
}

const Base = engine.getEventLoopClass();
class ObservedLoop extends Base {
  constructor(options: engine.EventLoopOptions, platform: engine.Platform) {
    super(options, platform);
    adopt(this);
  }
}
// Reprs and error messages keep the loop's real class name.
Object.defineProperty(ObservedLoop, 'name', { value: Base.name });
engine.setEventLoopClass(ObservedLoop);
engine.setDefaultEventLoopOptions({ clock: start.clock });

// Errors the loop reports through its default exception handler also go to the run's error list.
const log = engine.nodePlatform.log.bind(engine.nodePlatform);
engine.nodePlatform.log = (level, message, ...details) => {
  log(level, message, ...details);
  if (level === 'error') {
    const exc = details.find((d) => d instanceof Error);
    const info = describeError(exc ?? new Error(message));
    post({ type: 'error', error: { ...info, message: exc ? `${message}: ${info.message}` : message }, fatal: false });
  }
};

// Child processes the scenario starts are reported, so a stopped run can kill what it left behind.
// Every way of starting a child (spawn, exec, execFile, fork) goes through this internal method.
const prototype = ChildProcess.prototype as unknown as { spawn(this: ChildProcess, ...args: unknown[]): unknown };
const spawnChild = prototype.spawn;
const children = new Set<ChildProcess>();
prototype.spawn = function spawn(this: ChildProcess, ...args: unknown[]) {
  const result = spawnChild.apply(this, args);
  if (this.pid !== undefined) {
    const pid = this.pid;
    children.add(this);
    post({ type: 'child', pid, exited: false });
    this.once('exit', () => {
      children.delete(this);
      post({ type: 'child', pid, exited: true });
    });
  }
  return result;
};

/** Kills the run's children and waits (briefly) until this thread has reaped them. */
async function shutdown(): Promise<void> {
  const exits = [...children].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children) child.kill('SIGKILL');
  await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 150))]);
  post({ type: 'shutdown-done' });
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'command':
      stepper.command(message.mode);
      syncStepping();
      if (message.mode.kind === 'pause' && !paused) {
        // The loop is between callbacks (idle, or between two slices): say so now rather than at
        // the next callback, which may be long in coming; the gate refines `next` when it arrives.
        paused = true;
        flush();
        post({ type: 'paused', reason: 'pause', next: null });
        sendSnapshot(true);
      } else if (paused && message.mode.kind !== 'pause') {
        paused = false;
        post({ type: 'resumed' });
        current?.resumeFromGate();
      }
      break;
    case 'breakpoints':
      stepper.setBreakpoints(message.names);
      syncStepping();
      break;
    case 'shutdown':
      void shutdown();
      break;
    case 'recycle':
      events.recycle(message.blocks);
      break;
    case 'write': {
      const target = current ? findWritable(current, message.transportId) : undefined;
      if (!current || !target) {
        post({ type: 'write-failed', transportId: message.transportId, message: `no open transport #${message.transportId} in this run can be written to` });
        break;
      }
      // As a loop callback, so the input shows in the queue and the event stream like any other.
      current.callSoon(function terminalInput() {
        target.write(message.data);
      });
      break;
    }
  }
});

// A scenario that awaits a Future or an I/O call at top level while no loop runs waits forever: in
// JavaScript the await is legal, but only a running loop completes it. Say so once, after a while.
const STALL_HINT_MS = 2000;
let moduleDone = false;
let idleSince: number | null = null;
let hinted = false;
function checkStall(): void {
  if (moduleDone || hinted || current === null || paused) return;
  if (current.isRunning() || current.isClosed()) {
    idleSince = null;
    return;
  }
  idleSince ??= performance.now();
  if (performance.now() - idleSince < STALL_HINT_MS) return;
  hinted = true;
  output.write(
    'stderr',
    'loopwright: the scenario is waiting, but its event loop is not running. A Future or an I/O call only completes while the loop runs: await it inside loop.runUntilComplete(...) or a coroutine the loop runs.\n',
  );
}

const frame = setInterval(() => {
  checkStall();
  flush();
  sendSnapshot(false);
}, start.frameMs);
frame.unref();

process.on('unhandledRejection', (reason) => {
  flush();
  post({ type: 'error', error: describeError(reason), fatal: true });
});

async function main(): Promise<void> {
  process.setSourceMapsEnabled(true);
  output.install();
  try {
    await import(pathToFileURL(start.moduleFile).href);
    moduleDone = true;
  } catch (error) {
    moduleDone = true;
    flush();
    post({ type: 'error', error: describeError(error), fatal: true });
  }
  clearInterval(frame);
  flush();
  sendSnapshot(true);
  post({ type: 'finished' });
}

void main();
