// Engine events written as the lines of a recording, straight into one block of bytes: what the host
// makes of a scenario worker's batch (event-batch.ts), and what the recorder numbers in place and
// writes as it is.
import { EVENT_LINE_HEAD, encodeEvent, type EncodedEvents } from '../../../shared/engine/event-lines';
import type { EngineEvent } from '../../../shared/engine/events';
import type { TransportKind } from '../../../shared/engine/transport-events';
import { TRANSPORT_KINDS } from '../../../shared/engine/transport-kinds';
import type { LineBlocks } from './line-blocks';

/** The block's smallest size; it doubles as needed. */
const INITIAL_BYTES = 64 * 1024;
/** Events whose ends the first index holds; it doubles as needed. */
const INITIAL_EVENTS = 4096;

/** ASCII bytes of a fixed piece of JSON. */
const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** How each line begins: the recording line's head, which the recorder numbers in place. */
const LINE_HEAD = ascii(EVENT_LINE_HEAD);

/** The line's head and the event's first field, in one piece (each piece is a call to copy it). */
const line = (text: string): Uint8Array => ascii(EVENT_LINE_HEAD + text);

const HEAD = {
  handleStarted: line('{"type":"handle-started","time":'),
  handleFinished: line('{"type":"handle-finished","time":'),
  handleCancelled: line('{"type":"handle-cancelled","time":'),
  timerDue: line('{"type":"timer-due","time":'),
  handleScheduled: line('{"type":"handle-scheduled","time":'),
  timerScheduled: line('{"type":"timer-scheduled","time":'),
  iterationStart: line('{"type":"iteration-start","time":'),
  iterationEnd: line('{"type":"iteration-end","time":'),
  futureCreated: line('{"type":"future-created","time":'),
  taskCreated: line('{"type":"task-created","time":'),
  taskStep: line('{"type":"task-step","time":'),
  taskAwaiting: line('{"type":"task-awaiting","time":'),
  futureState: line('{"type":"future-state","time":'),
  taskDone: line('{"type":"task-done","time":'),
  transportData: line('{"type":"transport-data","time":'),
  transportReceived: line('{"type":"transport-received","time":'),
  transportWriteBuffer: line('{"type":"transport-write-buffer","time":'),
};
const ID = ascii(',"id":');
const CALLBACK = ascii(',"callback":');
const ARGS = ascii(',"args":');
const WHEN = ascii(',"when":');
const ITERATION = ascii(',"iteration":');
const READY = ascii(',"ready":');
const SCHEDULED = ascii(',"scheduled":');
const RAN = ascii(',"ran":');
const NAME = ascii(',"name":');
const CORO = ascii(',"coro":');
const THROWS = ascii(',"throws":');
const AWAITING = ascii(',"awaiting":');
const AWAITING_ID = ascii(',"awaitingId":');
const STATE_FINISHED = ascii(',"state":"finished"');
const STATE_CANCELLED = ascii(',"state":"cancelled"');
const DETAIL = ascii(',"detail":');
const FAILED_TRUE = ascii(',"failed":true');
const FAILED_FALSE = ascii(',"failed":false');
const TRANSPORT_ID = ascii(',"transportId":');
const KIND: Record<string, Uint8Array> = {};
for (const kind of TRANSPORT_KINDS) KIND[kind] = ascii(`,"kind":"${kind}"`);
const DIRECTION_IN = ascii(',"direction":"in","data":"');
const DIRECTION_OUT = ascii(',"direction":"out","data":"');
const SIZE_AFTER_DATA = ascii('","size":');
const SIZE = ascii(',"size":');
const FD = ascii(',"fd":');
const ADDR = ascii(',"addr":');
const WRITE_BUFFER_SIZE = ascii(',"writeBufferSize":');
const SPACE = 32;
const ZERO = 48;
const NINE = 57;

/**
 * Events written into one block of UTF-8 bytes that `take()` hands over: each event framed as its
 * recording line, exactly what shared/engine/event-lines.ts's `eventLine` returns (the tests compare
 * them byte for byte), so that the recorder only fills in the numbers.
 *
 * Why bytes rather than that function's strings: in a run that emits millions of events, strings
 * built per event and appended to a frame's text live through several young-generation collections
 * and must then be flattened and encoded again (measured on the callSoon workload, in CPU time
 * over the engine's own cost: about 120 ns per event that way, about 70 written here). The rare
 * kinds take the string encoder.
 */
export class EventLineWriter {
  private bytes: Buffer;
  private at = 0;
  private ends: Uint32Array;
  /** Events written. */
  count = 0;
  private lastTime = NaN;
  private readonly lastTimeBytes = new Uint8Array(32);
  private lastTimeLength = 0;
  private lastWhole = NaN;
  private wholeLength = 0;
  /** While `handleRun` writes a handle's lines: where the digits of each id in them begin. */
  private idAts: number[] | null = null;

  /**
   * `events` is how many lines to make room for at first, `bytes` how many bytes; with `blocks`,
   * the lines are written into blocks of that pool.
   */
  constructor(events = INITIAL_EVENTS, bytes = INITIAL_BYTES, private readonly blocks?: LineBlocks) {
    this.bytes = blocks === undefined ? Buffer.allocUnsafe(bytes) : blocks.take(bytes);
    this.ends = new Uint32Array(Math.max(1, events));
  }

  /** Encodes and adds one event. */
  add(e: EngineEvent): void {
    // Room for the line's head and tail, the fixed fields and numbers; strings ask for their own.
    this.reserve(160 + LINE_HEAD.length);
    this.count++;
    switch (e.type) {
      case 'handle-started':
        this.headId(HEAD.handleStarted, e.time, e.id);
        break;
      case 'handle-finished':
        this.headId(HEAD.handleFinished, e.time, e.id);
        break;
      case 'handle-cancelled':
      case 'timer-due':
        this.headId(e.type === 'timer-due' ? HEAD.timerDue : HEAD.handleCancelled, e.time, e.id);
        break;
      case 'handle-scheduled':
      case 'timer-scheduled':
        this.headId(e.type === 'handle-scheduled' ? HEAD.handleScheduled : HEAD.timerScheduled, e.time, e.id);
        this.piece(CALLBACK);
        this.str(e.callback);
        this.piece(ARGS);
        this.str(e.args);
        if (e.type === 'timer-scheduled') {
          this.piece(WHEN);
          this.text(Number.isFinite(e.when) ? `${e.when}` : 'null');
        }
        break;
      case 'iteration-start':
        this.head(HEAD.iterationStart, e.time);
        this.piece(ITERATION);
        this.uint(e.iteration);
        this.piece(READY);
        this.uint(e.ready);
        this.piece(SCHEDULED);
        this.uint(e.scheduled);
        break;
      case 'iteration-end':
        this.head(HEAD.iterationEnd, e.time);
        this.piece(ITERATION);
        this.uint(e.iteration);
        this.piece(RAN);
        this.uint(e.ran);
        break;
      case 'future-created':
      case 'task-created':
        this.headId(e.type === 'future-created' ? HEAD.futureCreated : HEAD.taskCreated, e.time, e.id);
        this.piece(NAME);
        this.str(e.name);
        if (e.type === 'task-created') {
          this.piece(CORO);
          this.str(e.coro);
        }
        break;
      case 'task-step':
        this.headId(HEAD.taskStep, e.time, e.id);
        if (e.throws !== undefined) {
          this.piece(THROWS);
          this.str(e.throws);
        }
        break;
      case 'task-awaiting':
        this.headId(HEAD.taskAwaiting, e.time, e.id);
        this.piece(AWAITING);
        this.str(e.awaiting);
        if (e.awaitingId !== undefined) {
          this.piece(AWAITING_ID);
          this.uint(e.awaitingId);
        }
        break;
      case 'future-state':
      case 'task-done':
        this.headId(e.type === 'future-state' ? HEAD.futureState : HEAD.taskDone, e.time, e.id);
        this.piece(e.state === 'finished' ? STATE_FINISHED : STATE_CANCELLED);
        if (e.detail !== undefined) {
          this.piece(DETAIL);
          this.str(e.detail);
        }
        if (e.failed !== undefined) this.piece(e.failed ? FAILED_TRUE : FAILED_FALSE);
        break;
      case 'transport-data':
        this.dataHead(e.time, e.transportId, e.kind, e.direction);
        // Base64: one byte per character, nothing to escape.
        this.reserve(e.data.length + 64);
        this.at += this.bytes.write(e.data, this.at, 'latin1');
        this.dataTail(e.size, e.fd, e.addr);
        break;
      case 'transport-received':
        this.head(HEAD.transportReceived, e.time);
        this.piece(TRANSPORT_ID);
        this.uint(e.transportId);
        this.piece(SIZE);
        this.uint(e.size);
        break;
      case 'transport-write-buffer':
        this.head(HEAD.transportWriteBuffer, e.time);
        this.piece(TRANSPORT_ID);
        this.uint(e.transportId);
        this.piece(WRITE_BUFFER_SIZE);
        this.uint(e.writeBufferSize);
        break;
      default:
        this.count--;
        this.addText(encodeEvent(e));
        return;
    }
    this.bytes[this.at++] = 125; // } of the event
    this.end();
  }

  /**
   * Adds the lines of `count` handles with consecutive ids from `first` (a run of a worker's batch):
   * `write(id)` adds one handle's lines, and each next handle's are a copy of the last one's with the
   * ids rewritten, while an id keeps its number of digits (a line costs a copy then, not its making).
   */
  handleRun(first: number, count: number, write: (id: number) => void): void {
    // One handle: nothing to copy (most of a TCP run's records).
    if (count === 1) return write(first);
    const end = first + count;
    let id = first;
    while (id < end) {
      const group = this.at;
      const lines = this.count;
      const idAts: number[] = (this.idAts = []);
      write(id);
      this.idAts = null;
      const size = this.at - group;
      const perHandle = this.count - lines;
      const ids = idAts.map((at) => at - group);
      // Ids with as many digits as this one: the lines written so far are copied at once (one copy
      // per doubling, not per handle), then each copy's ids rewritten.
      const digits = digitCount(id);
      const digitsOf = new Uint8Array(digits);
      const handles = Math.min(end, 10 ** digits) - id;
      for (let done = 1; done < handles; ) {
        const k = Math.min(done, handles - done);
        this.reserve(k * size);
        const at = this.at;
        const b = this.bytes;
        b.copyWithin(at, group, group + k * size);
        // Each copy's id: the digits of the first, counted up by one from copy to copy (no division
        // per digit: that was most of a run's cost).
        writeDigits(digitsOf, 0, id + done);
        for (let j = 0; j < k; j++) {
          const handle = at + j * size;
          for (let i = 0; i < ids.length; i++) {
            const to = handle + ids[i];
            for (let d = 0; d < digits; d++) b[to + d] = digitsOf[d];
          }
          if (j + 1 < k) countUp(digitsOf, digits - 1);
        }
        const lineCount = k * perHandle;
        this.ensureEnds(this.count + lineCount);
        const ends = this.ends;
        const shift = at - group;
        let c = this.count;
        for (let i = 0; i < lineCount; i++) ends[c++] = ends[lines + i] + shift;
        this.count = c;
        this.at = at + k * size;
        done += k;
      }
      id += handles;
    }
  }

  /** Adds an event given as its JSON text (encodeEvent's). */
  addText(json: string): void {
    this.reserve(LINE_HEAD.length);
    this.count++;
    this.bytes.set(LINE_HEAD, this.at);
    this.at += LINE_HEAD.length;
    this.text(json);
    this.end();
  }

  /**
   * Adds the `transport-data` event of the bytes `payload[from, to)`, their base64 written straight
   * in (the line `add` writes for that event). `base64`, when given, is that of all of `payload`, and
   * `from` a multiple of 3: the bytes' whole groups are then a part of it.
   */
  traffic(time: number, transportId: number, kind: TransportKind, direction: 'in' | 'out', payload: Buffer, from: number, to: number, fd: number | undefined, addr: string | undefined, base64?: string): void {
    this.reserve(160 + LINE_HEAD.length);
    this.count++;
    this.dataHead(time, transportId, kind, direction);
    this.reserve(Math.ceil((to - from) / 3) * 4 + 64);
    if (base64 !== undefined && from % 3 === 0) {
      const whole = to - ((to - from) % 3);
      if (whole > from) this.at += this.bytes.write(base64.substring((from / 3) * 4, (whole / 3) * 4), this.at, 'latin1');
      // The last one or two bytes, padded.
      if (whole < to) this.at += this.bytes.write(payload.toString('base64', whole, to), this.at, 'latin1');
    } else this.at += this.bytes.write(payload.toString('base64', from, to), this.at, 'latin1');
    this.dataTail(to - from, fd, addr);
    this.bytes[this.at++] = 125; // } of the event
    this.end();
  }

  private dataHead(time: number, transportId: number, kind: TransportKind, direction: 'in' | 'out'): void {
    this.head(HEAD.transportData, time);
    this.piece(TRANSPORT_ID);
    this.uint(transportId);
    this.piece(KIND[kind]);
    this.piece(direction === 'in' ? DIRECTION_IN : DIRECTION_OUT);
  }

  private dataTail(size: number, fd: number | undefined, addr: string | undefined): void {
    this.piece(SIZE_AFTER_DATA);
    this.uint(size);
    if (fd !== undefined) {
      this.piece(FD);
      this.uint(fd);
    }
    if (addr !== undefined) {
      this.piece(ADDR);
      this.str(addr);
    }
  }

  /** Ends the line: the `}` of the line's object and the newline (room was reserved with the event's). */
  private end(): void {
    this.reserve(2);
    this.bytes[this.at++] = 125;
    this.bytes[this.at++] = 10;
    this.setEnd(this.count - 1, this.at);
  }

  /** Line `i` ends at `at`. */
  private setEnd(i: number, at: number): void {
    if (i >= this.ends.length) this.ensureEnds(i + 1);
    this.ends[i] = at;
  }

  /** Room for the ends of `lines` lines. */
  private ensureEnds(lines: number): void {
    if (lines <= this.ends.length) return;
    const grown = new Uint32Array(Math.max(lines, this.ends.length * 2));
    grown.set(this.ends);
    this.ends = grown;
  }

  /** The lines written (the writer is done with them). */
  take(): EncodedEvents {
    return { bytes: this.bytes.subarray(0, this.at), ends: this.ends.subarray(0, this.count), count: this.count };
  }

  private reserve(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const size = Math.max(this.at + n, this.bytes.length * 2);
    const grown = this.blocks === undefined ? Buffer.allocUnsafe(size) : this.blocks.take(size);
    this.bytes.copy(grown, 0, 0, this.at);
    // Nothing else has seen the smaller block yet.
    this.blocks?.give(this.bytes.buffer as ArrayBuffer);
    this.bytes = grown;
  }

  private piece(p: Uint8Array): void {
    const b = this.bytes;
    let at = this.at;
    for (let i = 0; i < p.length; i++) b[at++] = p[i];
    this.at = at;
  }

  /** The line's head and `{"type":"<type>","time":<time>,"id":<id>`. */
  private headId(head: Uint8Array, time: number, id: number): void {
    this.head(head, time);
    this.piece(ID);
    this.idAts?.push(this.at);
    this.uint(id);
  }

  /** The line's head and `{"type":"<type>","time":<time>`. */
  private head(head: Uint8Array, time: number): void {
    this.bytes.set(head, this.at);
    this.at += head.length;
    if (time !== this.lastTime) this.renderTime(time);
    const b = this.bytes;
    const t = this.lastTimeBytes;
    let at = this.at;
    for (let i = 0; i < this.lastTimeLength; i++) b[at++] = t[i];
    this.at = at;
  }

  /** Renders a time as `encodeEvent` does: whole microseconds from integers, else JSON's rendering. */
  private renderTime(time: number): void {
    this.lastTime = time;
    const t = this.lastTimeBytes;
    const us = Math.round(time * 1e6);
    if (us / 1e6 !== time || us < 0 || us > Number.MAX_SAFE_INTEGER) {
      const text = Number.isFinite(time) ? `${time}` : 'null';
      for (let i = 0; i < text.length; i++) t[i] = text.charCodeAt(i);
      this.lastTimeLength = text.length;
      this.lastWhole = NaN;
      return;
    }
    const whole = Math.floor(us / 1e6);
    let fraction = (us - whole * 1e6) | 0;
    // Whole seconds change seldom: their digits stay from the last time rendered.
    if (whole !== this.lastWhole) {
      this.lastWhole = whole;
      this.wholeLength = writeDigits(t, 0, whole);
    }
    let n = this.wholeLength;
    if (fraction !== 0) {
      t[n] = 46; // .
      for (let i = n + 6; i > n; i--) {
        t[i] = 48 + (fraction % 10);
        fraction = (fraction / 10) | 0;
      }
      n += 7;
    }
    this.lastTimeLength = n;
  }

  /** A non-negative integer (ids, counts, sizes); anything else as JSON writes it. */
  private uint(n: number): void {
    if (n >= 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n) this.at = writeDigits(this.bytes, this.at, n);
    else this.text(Number.isFinite(n) ? `${n}` : 'null');
  }

  /** A JSON string literal, as `encodeEvent` writes it. */
  private str(s: string): void {
    // Room for the fields that follow, too.
    this.reserve(s.length + 64);
    const b = this.bytes;
    const start = this.at;
    let at = start;
    b[at++] = 34; // "
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x80) {
        // Escapes or non-ASCII text (rare in names and renderings): the string encoder's way.
        this.at = start;
        this.text(needsEscape(s) ? JSON.stringify(s) : `"${s}"`);
        return;
      }
      b[at++] = c;
    }
    b[at++] = 34;
    this.at = at;
  }

  /** Any text, UTF-8 encoded. */
  private text(s: string): void {
    this.reserve(s.length * 3 + 64);
    this.at += this.bytes.write(s, this.at, 'utf8');
  }
}

/** What `encodeEvent` escapes with JSON.stringify: control characters, `"`, `\` and surrogates. */
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

/** How many decimal digits a non-negative safe integer has. */
function digitCount(n: number): number {
  let digits = 1;
  // Small integer arithmetic while it fits (ids, counts, sizes, seconds).
  if (n < 0x80000000) for (let x = n; x >= 10; x = (x / 10) | 0) digits++;
  else for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
  return digits;
}

/**
 * Adds one to the decimal number whose last digit is at `last`, in place (a space before its first
 * digit, the padding of a fixed-width field, counts as a zero): no division per digit.
 */
export function countUp(b: Uint8Array, last: number): void {
  let i = last;
  while (b[i] === NINE) b[i--] = ZERO;
  b[i] = b[i] === SPACE ? ZERO + 1 : b[i] + 1;
}

/** Writes the decimal digits of a non-negative safe integer at `at`; returns the end. */
export function writeDigits(b: Uint8Array, at: number, n: number): number {
  const end = at + digitCount(n);
  let i = end;
  if (n < 0x80000000) {
    do {
      b[--i] = 48 + (n % 10);
      n = (n / 10) | 0;
    } while (n > 0);
    return end;
  }
  do {
    b[--i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  } while (n > 0);
  return end;
}
