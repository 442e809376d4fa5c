// A scenario worker's events of one frame, and what the host makes of them. The worker writes each
// event as a few numbers (its kind and fields; strings by their index in the batch's string list,
// traffic's bytes as they are) and the host writes the recording lines from them
// (completeEncodedEvents): text was three quarters of what observing a TCP echo run cost its worker
// (about 100 ns per event and 300 per chunk of traffic, where a record takes a tenth of that), and
// the host thread runs on another core.
//
// A record carries no time of its own: a Time record sets the time of the records after it, and is
// written only when the time changes (events of one callback share its start, and on a busy loop
// many callbacks share a clock reading, see Platform.eventTick). Callbacks scheduled one after the
// other (consecutive ids, one callback and args, one time) are one record, and so are callbacks that
// ran one after the other and emitted nothing while they ran: a busy loop's three events per
// callback then cost the worker a count each, not a record (the host writes every line).
import { EVENT_LINE_HEAD, base64Length, encodeEvent, type EncodedEvents, type EventRecords } from '../../../shared/engine/event-lines';
import type { EngineEvent } from '../../../shared/engine/events';
import type { CallbackRecorder, RecordingSink } from '../../../shared/engine/callback-recorder';
import type { TransportKind } from '../../../shared/engine/transport-events';
import { TRANSPORT_KINDS } from '../../../shared/engine/transport-kinds';
import type { LineBlocks } from './line-blocks';
import { EventLineWriter } from './event-line-writer';

/** Bytes of an event's recording line, about (most are 100 to 130; traffic's data is counted apart). */
const LINE_BYTES_ABOUT = 128;

/** Events at which a batch is full: sent at once rather than at the next frame. */
const MAX_EVENTS = 20_000;
/**
 * Traffic (as base64 characters) at which a batch is full: a window receives each batch as one
 * message, and one of several megabytes is a long task to take in, whatever the window does with it.
 */
const MAX_TRAFFIC = 1024 * 1024;

/** Numbers and payload bytes the first blocks hold; each next one starts at about the last batch's size. */
const INITIAL_NUMBERS = 8 * 1024;
const INITIAL_PAYLOAD_BYTES = 16 * 1024;

/** The kinds a record can be, each followed by its fields in the order of `EventBatch.add`. */
const enum Kind {
  HandleStarted,
  HandleFinished,
  HandleCancelled,
  TimerDue,
  /** handle-scheduled of `count` handles with consecutive ids from `first`: first, count, callback, args. */
  ScheduledRun,
  TimerScheduled,
  IterationStart,
  IterationEnd,
  FutureCreated,
  TaskCreated,
  TaskStep,
  TaskAwaiting,
  FutureState,
  TaskDone,
  TransportData,
  TransportReceived,
  TransportWriteBuffer,
  /** Any other event, as its JSON text (a string). */
  Text,
  /** Sets the time of the records that follow. */
  Time,
  /**
   * handle-started then handle-finished of `count` handles with consecutive ids from `first`, one
   * after the other, nothing in between: first, count.
   */
  RanRun,
  /**
   * A TransportData record whose bytes are those of the batch's last chunk (an echo, a relay:
   * the same bytes out of one transport and into another): not copied again. Same fields.
   */
  TransportDataAgain,
}

/** Where the event begins in a line. */
const EVENT_LINE_HEAD_LENGTH = EVENT_LINE_HEAD.length;
/** An optional string or id that is absent. */
const ABSENT = -1;
/** A transport kind's number in records (its place in TRANSPORT_KINDS). */
const kindNumber = (kind: TransportKind): number => TRANSPORT_KINDS.indexOf(kind);

/** Blocks given back per kind at most: a batch or two in flight. */
const MAX_SPARES = 2;

/** A batch's blocks that the host gives back to its worker (transferred), see `EventBatch.recycle`. */
export interface RecycledBlocks {
  numbers: ArrayBuffer;
  payloads: ArrayBuffer | null;
}

/** The first of `spares` that holds `bytes`, taken out of the list; the others are dropped (a batch's size changed). */
function spare(spares: ArrayBuffer[], bytes: number): ArrayBuffer | undefined {
  let block: ArrayBuffer | undefined;
  while ((block = spares.pop()) !== undefined) if (block.byteLength >= bytes) return block;
  return undefined;
}

/** The first multiple of 3 at or after `n`. */
const align3 = (n: number): number => n + ((3 - (n % 3)) % 3);

/** Whether an optional id can go in a record (else the event is written as text; none such is known). */
const isId = (n: number): boolean => n >= 0 && Number.isSafeInteger(n);

/**
 * A worker's events of one frame as records, for `take()` to hand over to the host (see the top of
 * this file). The host's lines are exactly what shared/engine/event-lines.ts's `eventLine` returns for
 * each event (the tests compare them byte for byte).
 */
export class EventBatch implements CallbackRecorder {
  private numbers = new Float64Array(INITIAL_NUMBERS);
  private n = 0;
  private payloads = Buffer.allocUnsafeSlow(INITIAL_PAYLOAD_BYTES);
  private p = 0;
  private strings: string[] = [];
  /** Index of each string in `strings` (names and reprs repeat: a callback's name, a transport's repr). */
  private stringIndex = new Map<string, number>();
  /** Events in the batch. */
  count = 0;
  /** Base64 characters the batch's traffic will take. */
  private trafficChars = 0;
  /** Where the batch's last chunk of traffic is in `payloads` (`lastSize` < 0: none yet). */
  private lastAt = 0;
  private lastSize = -1;
  /** The time of the records written last (see the top of this file); NaN before the first. */
  private time = NaN;
  /**
   * The handle whose handle-started is counted but not written yet (-1: none): written before the
   * next record, or with its handle-finished as (a part of) a RanRun record.
   */
  private startedId = -1;
  private startedTime = 0;
  /**
   * Where the last record ends if it is a run (ScheduledRun or RanRun) that the next event may
   * extend, else -1; its kind, and the id that would extend it.
   */
  private runEnd = -1;
  private runKind = Kind.Text;
  private runNext = 0;
  /** The last callback and args strings of handle-scheduled, and their indices (a loop repeats them). */
  private lastCallback: string | undefined = undefined;
  private lastCallbackIndex = 0;
  private lastArgs: string | undefined = undefined;
  private lastArgsIndex = 0;
  /**
   * Blocks of earlier batches that the host has given back (see `recycle`): fresh memory costs the
   * loop's thread a page fault per 4 KiB, which on a busy run was as much as recording itself.
   */
  private spareNumbers: ArrayBuffer[] = [];
  private sparePayloads: ArrayBuffer[] = [];
  /** What the loops hold back from the batch (see `settle`). */
  private held: (() => void)[] = [];
  /** Called when the batch is full (see `full`) after a callback's event; set by batchSink. */
  onFull: () => void = () => {};

  /** handle-scheduled of handle `id` (see handlesScheduled). */
  handleScheduled(time: number, id: number, callback: string, args: string): void {
    this.handlesScheduled(time, id, 1, callback, args);
  }

  handlesScheduled(time: number, first: number, count: number, callback: string, args: string): void {
    if (this.startedId >= 0) this.writeStarted();
    if (this.extendsRun(Kind.ScheduledRun, first, time) && callback === this.lastCallback && args === this.lastArgs) {
      // The count, three numbers back.
      this.numbers[this.n - 3] += count;
      this.runNext += count;
    } else {
      if (this.n + 7 > this.numbers.length) this.grow(7);
      const r = this.numbers;
      let n = this.startRun(this.timed(this.n, time), Kind.ScheduledRun, first, count);
      r[n++] = callback === this.lastCallback ? this.lastCallbackIndex : this.callbackIndex(callback);
      r[n++] = args === this.lastArgs ? this.lastArgsIndex : this.argsIndex(args);
      this.n = this.runEnd = n;
    }
    if ((this.count += count) >= MAX_EVENTS) this.onFull();
  }

  handleStarted(time: number, id: number): void {
    if (this.startedId >= 0) this.writeStarted();
    this.startedId = id;
    this.startedTime = time;
    // Counted now: output written by the callback comes after it (OutputCapture's eventsBefore).
    this.count++;
  }

  handleFinished(time: number, id: number): void {
    if (this.startedId >= 0 && (this.startedId !== id || this.startedTime !== time)) this.writeStarted();
    if (this.startedId >= 0) {
      // Started and finished with nothing between: a run of one (its start is counted).
      this.startedId = -1;
      this.count--;
      this.handlesRan(time, id, 1);
      return;
    }
    if (this.n + 4 > this.numbers.length) this.grow(4);
    const r = this.numbers;
    let n = this.timed(this.n, time);
    r[n++] = Kind.HandleFinished;
    r[n++] = id;
    this.n = n;
    if (++this.count >= MAX_EVENTS) this.onFull();
  }

  handlesRan(time: number, first: number, count: number): void {
    if (this.startedId >= 0) this.writeStarted();
    if (this.extendsRun(Kind.RanRun, first, time)) {
      // The next callbacks of a run: more in the count.
      this.numbers[this.n - 1] += count;
      this.runNext += count;
    } else {
      if (this.n + 5 > this.numbers.length) this.grow(5);
      this.n = this.runEnd = this.startRun(this.timed(this.n, time), Kind.RanRun, first, count);
    }
    if ((this.count += 2 * count) >= MAX_EVENTS) this.onFull();
  }

  hold(release: () => void): void {
    this.held.push(release);
  }

  /**
   * Takes in what the loops hold back (CallbackRecorder.hold): `count` and `take` are then exact.
   * Called by `take`, and by whatever reads `count` for an order (output after the events before it).
   */
  settle(): void {
    const held = this.held;
    if (held.length === 0) return;
    this.held = [];
    // Not sent from here even if it fills the batch: the caller is about to take it, or to count it.
    const onFull = this.onFull;
    this.onFull = () => {};
    try {
      for (const release of held) release();
    } finally {
      this.onFull = onFull;
    }
  }

  /** Adds one event. */
  add(e: EngineEvent): void {
    if (e.type === 'handle-scheduled') return this.handleScheduled(e.time, e.id, e.callback, e.args);
    if (this.startedId >= 0) this.writeStarted();
    // Room for the longest record and a Time record.
    if (this.n + 10 > this.numbers.length) this.grow(10);
    const r = this.numbers;
    let n = this.n;
    // Also before an event written as text, which has its time in it: harmless, and one test less.
    // Kept (this.n) when the event goes as text below.
    n = this.n = this.timed(n, e.time);
    switch (e.type) {
      case 'handle-started':
      case 'handle-finished':
      case 'handle-cancelled':
      case 'timer-due':
        r[n++] = e.type === 'handle-started' ? Kind.HandleStarted : e.type === 'handle-finished' ? Kind.HandleFinished : e.type === 'timer-due' ? Kind.TimerDue : Kind.HandleCancelled;
        r[n++] = e.id;
        break;
      case 'timer-scheduled':
        r[n++] = Kind.TimerScheduled;
        r[n++] = e.id;
        r[n++] = this.string(e.callback);
        r[n++] = this.string(e.args);
        r[n++] = e.when;
        break;
      case 'iteration-start':
        r[n++] = Kind.IterationStart;
        r[n++] = e.iteration;
        r[n++] = e.ready;
        r[n++] = e.scheduled;
        break;
      case 'iteration-end':
        r[n++] = Kind.IterationEnd;
        r[n++] = e.iteration;
        r[n++] = e.ran;
        break;
      case 'future-created':
        r[n++] = Kind.FutureCreated;
        r[n++] = e.id;
        r[n++] = this.string(e.name);
        break;
      case 'task-created':
        r[n++] = Kind.TaskCreated;
        r[n++] = e.id;
        r[n++] = this.string(e.name);
        r[n++] = this.string(e.coro);
        break;
      case 'task-step':
        r[n++] = Kind.TaskStep;
        r[n++] = e.id;
        r[n++] = e.throws === undefined ? ABSENT : this.string(e.throws);
        break;
      case 'task-awaiting':
        if (e.awaitingId !== undefined && !isId(e.awaitingId)) return this.text(e);
        r[n++] = Kind.TaskAwaiting;
        r[n++] = e.id;
        r[n++] = this.string(e.awaiting);
        r[n++] = e.awaitingId ?? ABSENT;
        break;
      case 'future-state':
      case 'task-done':
        r[n++] = e.type === 'future-state' ? Kind.FutureState : Kind.TaskDone;
        r[n++] = e.id;
        r[n++] = e.state === 'finished' ? 0 : 1;
        r[n++] = e.detail === undefined ? ABSENT : this.string(e.detail);
        r[n++] = e.failed === undefined ? ABSENT : e.failed ? 1 : 0;
        break;
      case 'transport-received':
        r[n++] = Kind.TransportReceived;
        r[n++] = e.transportId;
        r[n++] = e.size;
        break;
      case 'transport-write-buffer':
        r[n++] = Kind.TransportWriteBuffer;
        r[n++] = e.transportId;
        r[n++] = e.writeBufferSize;
        break;
      default:
        // The rare kinds, and traffic given as an event (its base64 made already).
        if (e.type === 'transport-data') this.trafficChars += e.data.length;
        return this.text(e);
    }
    this.n = n;
    this.count++;
  }

  /**
   * Adds a `transport-data` event given as its bytes (see TrafficSink), which are copied (a protocol
   * may reuse its buffer); the host writes their base64.
   */
  traffic(time: number, transportId: number, kind: TransportKind, direction: 'in' | 'out', data: Uint8Array, fd: number | undefined, addr: string | undefined): void {
    if (fd !== undefined && !isId(fd)) return this.text({ type: 'transport-data', time, transportId, kind, direction, data: Buffer.from(data).toString('base64'), size: data.length, fd, ...(addr === undefined ? {} : { addr }) });
    if (this.startedId >= 0) this.writeStarted();
    if (this.n + 10 > this.numbers.length) this.grow(10);
    const size = data.length;
    // The same bytes as the last chunk (an echo's reply, a message from one end read at the other)
    // are not copied again: the host writes that chunk's base64 once more.
    const again = size === this.lastSize && size > 0 && this.payloads.compare(data, 0, size, this.lastAt, this.lastAt + size) === 0;
    if (!again) {
      // Each chunk starts at a multiple of 3 bytes, so that the host can take the base64 of all the
      // batch's traffic at once, each chunk's a part of it (completeEncodedEvents).
      const at = align3(this.p);
      if (at + size > this.payloads.length) this.growPayloads(at - this.p + size);
      this.payloads.set(data, at);
      this.p = at + size;
      this.lastAt = at;
      this.lastSize = size;
    }
    const r = this.numbers;
    let n = this.n;
    n = this.timed(n, time);
    r[n++] = again ? Kind.TransportDataAgain : Kind.TransportData;
    r[n++] = transportId;
    r[n++] = kindNumber(kind);
    r[n++] = direction === 'in' ? 0 : 1;
    r[n++] = size;
    r[n++] = fd ?? ABSENT;
    r[n++] = addr === undefined ? ABSENT : this.string(addr);
    this.n = n;
    this.count++;
    this.trafficChars += base64Length(size);
  }

  /** Whether the batch should be sent now rather than at the next frame. */
  get full(): boolean {
    return this.count >= MAX_EVENTS || this.trafficChars >= MAX_TRAFFIC;
  }

  /**
   * The batch, or null when it is empty; the batch starts over. Its buffers are its own (this
   * batch lets go of them), so they may be transferred (see `transferList`). Its text is empty
   * until the host writes it (completeEncodedEvents).
   */
  take(): EncodedEvents | null {
    this.settle();
    if (this.count === 0) return null;
    if (this.startedId >= 0) this.writeStarted();
    // A batch without traffic keeps its payload block for the next.
    const payloads = this.p === 0 ? new Uint8Array(0) : this.payloads.subarray(0, this.p);
    const records: EventRecords = { numbers: this.numbers.subarray(0, this.n), strings: this.strings, payloads };
    const out: EncodedEvents = { bytes: new Uint8Array(0), ends: new Uint32Array(0), count: this.count, records };
    const numbers = Math.max(INITIAL_NUMBERS, Math.min(this.n + (this.n >> 2), 8 * MAX_EVENTS));
    const spareNumbers = spare(this.spareNumbers, numbers * Float64Array.BYTES_PER_ELEMENT);
    this.numbers = spareNumbers === undefined ? new Float64Array(numbers) : new Float64Array(spareNumbers);
    if (this.p > 0) {
      const bytes = Math.max(INITIAL_PAYLOAD_BYTES, Math.min(this.p + (this.p >> 2), MAX_TRAFFIC));
      const sparePayloads = spare(this.sparePayloads, bytes);
      this.payloads = sparePayloads === undefined ? Buffer.allocUnsafeSlow(bytes) : Buffer.from(sparePayloads);
    }
    this.n = 0;
    this.p = 0;
    this.lastSize = -1;
    this.strings = [];
    this.stringIndex = new Map();
    this.count = 0;
    this.trafficChars = 0;
    this.time = NaN;
    this.runEnd = -1;
    this.lastCallback = this.lastArgs = undefined;
    return out;
  }

  /**
   * Takes back the blocks of a batch that `take` returned, once the host has written its lines
   * (they come back transferred, see RecycledBlocks), for the next batches to fill.
   */
  recycle(blocks: RecycledBlocks): void {
    if (this.spareNumbers.length < MAX_SPARES) this.spareNumbers.push(blocks.numbers);
    if (blocks.payloads !== null && this.sparePayloads.length < MAX_SPARES) this.sparePayloads.push(blocks.payloads);
  }

  /** The blocks of a batch's records, once its lines are written, for the worker to `recycle`; null when the batch had none. */
  static blocksOf(records: EventRecords | undefined): RecycledBlocks | null {
    if (records === undefined) return null;
    const payloads = records.payloads.buffer.byteLength > 0 ? (records.payloads.buffer as ArrayBuffer) : null;
    return { numbers: records.numbers.buffer as ArrayBuffer, payloads };
  }

  /**
   * About how many bytes the host holds for a batch that `take` returned until it is done with it:
   * its lines, since their text is what the host writes, keeps until the recording has it, and sends
   * on. Its records say little of that: a run of callbacks is a few numbers, and thousands of lines.
   */
  static sizeOf(batch: EncodedEvents): number {
    const records = batch.records;
    if (records === undefined) return batch.bytes.byteLength + batch.ends.byteLength;
    return batch.count * LINE_BYTES_ABOUT + base64Length(records.payloads.byteLength);
  }

  /** The buffers of blocks given back, to transfer with them. */
  static blocksTransferList(blocks: RecycledBlocks): ArrayBuffer[] {
    return blocks.payloads === null ? [blocks.numbers] : [blocks.numbers, blocks.payloads];
  }

  /** The buffers of a batch that `take` returned, to transfer with it. */
  static transferList(batch: EncodedEvents): ArrayBuffer[] {
    const list = [batch.bytes.buffer as ArrayBuffer, batch.ends.buffer as ArrayBuffer];
    if (batch.records !== undefined) list.push(batch.records.numbers.buffer as ArrayBuffer, batch.records.payloads.buffer as ArrayBuffer);
    return list;
  }

  /** The index of `s` in the batch's strings. */
  private string(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.push(s) - 1;
      this.stringIndex.set(s, i);
    }
    return i;
  }

  /** The pending handle-started (see `startedId`), counted already. */
  private writeStarted(): void {
    if (this.n + 4 > this.numbers.length) this.grow(4);
    const r = this.numbers;
    let n = this.timed(this.n, this.startedTime);
    r[n++] = Kind.HandleStarted;
    r[n++] = this.startedId;
    this.n = n;
    this.startedId = -1;
  }

  /** Whether an event of `kind` for handle `id` at `time` extends the run that the last record is. */
  private extendsRun(kind: Kind, id: number, time: number): boolean {
    return this.n === this.runEnd && this.runKind === kind && id === this.runNext && time === this.time;
  }

  /** Writes a run's numbers at `n` (its kind, `first`, `count`); where the next number goes. */
  private startRun(n: number, kind: Kind, first: number, count: number): number {
    const r = this.numbers;
    r[n] = kind;
    r[n + 1] = first;
    r[n + 2] = count;
    this.runKind = kind;
    this.runNext = first + count;
    return n + 3;
  }

  /** A Time record at `n` if `time` is not the batch's time (room is the caller's); where the next number goes. */
  private timed(n: number, time: number): number {
    if (time === this.time) return n;
    const r = this.numbers;
    r[n] = Kind.Time;
    r[n + 1] = this.time = time;
    return n + 2;
  }

  private callbackIndex(callback: string): number {
    this.lastCallback = callback;
    return (this.lastCallbackIndex = this.string(callback));
  }

  private argsIndex(args: string): number {
    this.lastArgs = args;
    return (this.lastArgsIndex = this.string(args));
  }

  /** An event as its JSON text. */
  private text(e: EngineEvent): void {
    if (this.startedId >= 0) this.writeStarted();
    if (this.n + 2 > this.numbers.length) this.grow(2);
    this.numbers[this.n++] = Kind.Text;
    // Not looked up: such a text seldom repeats.
    this.numbers[this.n++] = this.strings.push(encodeEvent(e)) - 1;
    this.count++;
  }

  private grow(n: number): void {
    const grown = new Float64Array(Math.max(this.n + n, this.numbers.length * 2));
    grown.set(this.numbers.subarray(0, this.n));
    this.numbers = grown;
  }

  private growPayloads(size: number): void {
    const grown = Buffer.allocUnsafeSlow(Math.max(this.p + size, this.payloads.length * 2));
    this.payloads.copy(grown, 0, 0, this.p);
    this.payloads = grown;
  }
}

/**
 * A sink that adds every event to `batch`, traffic as bytes (see TrafficSink), and calls `onFull`
 * whenever the batch is full: what a scenario worker attaches to its loops.
 */
export function batchSink(batch: EventBatch, onFull: () => void): RecordingSink {
  batch.onFull = onFull;
  const sink: RecordingSink = (event) => {
    batch.add(event);
    if (batch.full) onFull();
  };
  sink.traffic = (time, transportId, kind, direction, data, fd, addr) => {
    batch.traffic(time, transportId, kind, direction, data, fd, addr);
    if (batch.full) onFull();
  };
  sink.callbacks = batch;
  return sink;
}

/**
 * Writes a worker's batch as the text of its lines (`bytes` and `ends`), from its records. Everything
 * that reads a worker's batch calls it first (slicing, parsing, numbering for the recording); once
 * done, it does nothing. With `blocks`, the lines go into a block of that pool, lent (see
 * LineBlocks.lend): the caller gets its own release, to call once it has handed the batch over, and
 * `released` is called when every holder has let go of the lines.
 */
export function completeEncodedEvents(batch: EncodedEvents, blocks?: LineBlocks, released?: () => void): (() => void) | null {
  const records = batch.records;
  if (records === undefined) return null;
  delete batch.records;
  const { numbers: r, strings } = records;
  const payloads = Buffer.from(records.payloads.buffer, records.payloads.byteOffset, records.payloads.byteLength);
  // The base64 of all the traffic in one piece: every chunk starts at a multiple of 3 bytes (see
  // EventBatch.traffic), so its whole groups are a part of it. One string per batch instead of one
  // per chunk: those were most of what writing a TCP run's lines cost, collected as garbage.
  const base64 = payloads.length === 0 ? '' : payloads.toString('base64');
  const str = (i: number): string | undefined => (i === ABSENT ? undefined : strings[i]);
  // Room for most lines without growing, and for the base64 of the traffic.
  const writer = new EventLineWriter(batch.count, batch.count * 160 + base64Length(payloads.length), blocks);
  let p = 0;
  /** Where the last chunk's bytes begin (a TransportDataAgain record's are those). */
  let last = 0;
  let time = 0;
  // A run's lines, one handle's at a time (made once: most runs of a TCP run are of one handle).
  let callback = '';
  let args = '';
  const writeRan = (id: number): void => {
    writer.add({ type: 'handle-started', time, id });
    writer.add({ type: 'handle-finished', time, id });
  };
  const writeScheduled = (id: number): void => writer.add({ type: 'handle-scheduled', time, id, callback, args });
  for (let n = 0; n < r.length; ) {
    const kind = r[n++] as Kind;
    switch (kind) {
      case Kind.Time:
        time = r[n++];
        break;
      case Kind.RanRun: {
        const first = r[n++];
        writer.handleRun(first, r[n++], writeRan);
        break;
      }
      case Kind.ScheduledRun: {
        const first = r[n++];
        const count = r[n++];
        callback = strings[r[n++]];
        args = strings[r[n++]];
        writer.handleRun(first, count, writeScheduled);
        break;
      }
      case Kind.HandleStarted:
        writer.add({ type: 'handle-started', time, id: r[n++] });
        break;
      case Kind.HandleFinished:
        writer.add({ type: 'handle-finished', time, id: r[n++] });
        break;
      case Kind.HandleCancelled:
        writer.add({ type: 'handle-cancelled', time, id: r[n++] });
        break;
      case Kind.TimerDue:
        writer.add({ type: 'timer-due', time, id: r[n++] });
        break;
      case Kind.TimerScheduled:
        writer.add({ type: 'timer-scheduled', time, id: r[n++], callback: strings[r[n++]], args: strings[r[n++]], when: r[n++] });
        break;
      case Kind.IterationStart:
        writer.add({ type: 'iteration-start', time, iteration: r[n++], ready: r[n++], scheduled: r[n++] });
        break;
      case Kind.IterationEnd:
        writer.add({ type: 'iteration-end', time, iteration: r[n++], ran: r[n++] });
        break;
      case Kind.FutureCreated:
        writer.add({ type: 'future-created', time, id: r[n++], name: strings[r[n++]] });
        break;
      case Kind.TaskCreated:
        writer.add({ type: 'task-created', time, id: r[n++], name: strings[r[n++]], coro: strings[r[n++]] });
        break;
      case Kind.TaskStep:
        writer.add({ type: 'task-step', time, id: r[n++], throws: str(r[n++]) });
        break;
      case Kind.TaskAwaiting:
        writer.add({ type: 'task-awaiting', time, id: r[n++], awaiting: strings[r[n++]], awaitingId: r[n] === ABSENT ? (n++, undefined) : r[n++] });
        break;
      case Kind.FutureState:
      case Kind.TaskDone: {
        const id = r[n++];
        const state = r[n++] === 0 ? 'finished' : 'cancelled';
        const detail = str(r[n++]);
        const failed = r[n] === ABSENT ? (n++, undefined) : r[n++] === 1;
        writer.add({ type: kind === Kind.FutureState ? 'future-state' : 'task-done', time, id, state, detail, failed });
        break;
      }
      case Kind.TransportData:
      case Kind.TransportDataAgain: {
        const again = kind === Kind.TransportDataAgain;
        const transportId = r[n++];
        const transportKind = TRANSPORT_KINDS[r[n++]];
        const direction = r[n++] === 0 ? 'in' : 'out';
        const size = r[n++];
        const fd = r[n] === ABSENT ? (n++, undefined) : r[n++];
        const addr = str(r[n++]);
        if (!again) {
          last = align3(p);
          p = last + size;
        }
        writer.traffic(time, transportId, transportKind, direction, payloads, last, last + size, fd, addr, base64);
        break;
      }
      case Kind.TransportReceived:
        writer.add({ type: 'transport-received', time, transportId: r[n++], size: r[n++] });
        break;
      case Kind.TransportWriteBuffer:
        writer.add({ type: 'transport-write-buffer', time, transportId: r[n++], writeBufferSize: r[n++] });
        break;
      case Kind.Text:
        writer.addText(strings[r[n++]]);
        break;
    }
  }
  const text = writer.take();
  batch.bytes = text.bytes;
  batch.ends = text.ends;
  return blocks === undefined ? null : blocks.lend(batch, released);
}

/** Events `from` (inclusive) to `to` (exclusive) of an encoded batch, as a batch of their own (views, not copies, of its text). */
export function sliceEncodedEvents(batch: EncodedEvents, from: number, to: number): EncodedEvents {
  completeEncodedEvents(batch);
  const start = from === 0 ? 0 : batch.ends[from - 1];
  const ends = batch.ends.slice(from, to);
  for (let i = 0; i < ends.length; i++) ends[i] -= start;
  const slice: EncodedEvents = { bytes: batch.bytes.subarray(start, to === 0 ? 0 : batch.ends[to - 1]), ends, count: to - from };
  // A view of the same block: held as the batch is.
  if (batch.hold !== undefined) slice.hold = batch.hold;
  return slice;
}

/**
 * The events of an encoded batch as objects (for listeners that want them so). Only the events'
 * text is parsed, copied out of the lines and joined into one JSON array: parsing whole lines and
 * dropping their seq and wall took about 1.7 times as long (measured on workload A's events).
 */
export function parseEncodedEvents(batch: EncodedEvents): EngineEvent[] {
  completeEncodedEvents(batch);
  const { ends, count } = batch;
  const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  const array = Buffer.allocUnsafe(bytes.length + 2);
  let at = 0;
  let start = 0;
  array[at++] = 91; // [
  for (let i = 0; i < count; i++) {
    // The event lies between the line's head and its `}\n`; a comma follows it.
    at += bytes.copy(array, at, start + EVENT_LINE_HEAD_LENGTH, ends[i] - 2);
    array[at++] = 44;
    start = ends[i];
  }
  array[count === 0 ? at++ : at - 1] = 93; // ] in place of the last comma
  return JSON.parse(array.toString('utf8', 0, at)) as EngineEvent[];
}
