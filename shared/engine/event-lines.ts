// Engine events as JSON text, written by hand per kind. A scenario worker encodes every event once,
// here, into the text a recording stores (`event` of a recording line), and that text is what
// crosses to the host, framed as a recording line (see EVENT_LINE_HEAD): the recorder numbers the
// lines in place and writes them as they came, and only a window's listener parses them.
// JSON.stringify of an object costs about 200 ns per event; most of that goes into the generic
// walk and into rendering the time, a double with up to seventeen digits. Here each kind writes its
// known fields, strings that need no escaping are quoted as they are, and the time is rendered once
// per distinct value (events of one callback share it) from whole microseconds where it has no
// more digits than that (the real clock's event times, see BaseEventLoop._eventTime).
//
// The schema in events.ts stays the contract: JSON.parse of every encoding is the object it came
// from (event-lines.test.ts checks every kind against the zod schema).
import type { EngineEvent } from './events';

/**
 * Digits that a worker's event line keeps for its `seq` and `wall` (milliseconds): the worker writes
 * each event already framed as the recording line that stores it, with both numbers 0 and padded
 * on the left with spaces (JSON allows them), and the recorder writes the digits in place and the
 * block out as it came. Copying every event into a line of its own cost the host about as much as
 * the whole rest of a busy run's recording. A recorder past these widths (a billion lines, 27
 * hours) writes the lines anew, unpadded.
 */
export const LINE_SEQ_WIDTH = 9;
export const LINE_WALL_WIDTH = 8;
/** Where in an event line the digits of `seq` and of `wall` begin. */
export const LINE_SEQ_AT = '{"seq":'.length;
export const LINE_WALL_AT = LINE_SEQ_AT + LINE_SEQ_WIDTH + ',"wall":'.length;
/** How a worker's event line begins (the event's text follows, then {@link EVENT_LINE_TAIL}). */
export const EVENT_LINE_HEAD = `{"seq":${'0'.padStart(LINE_SEQ_WIDTH)},"wall":${'0'.padStart(LINE_WALL_WIDTH)},"kind":"event","event":`;
export const EVENT_LINE_TAIL = '}\n';

/** One event as a worker frames it: the recording line that stores it, not yet numbered. */
export function eventLine(e: EngineEvent): string {
  return EVENT_LINE_HEAD + encodeEvent(e) + EVENT_LINE_TAIL;
}

/**
 * Events encoded as bytes (a scenario worker's batch): the UTF-8 text of `count` event lines (see
 * {@link EVENT_LINE_HEAD}), line i ending (after its newline) at byte `ends[i]`.
 */
export interface EncodedEvents {
  bytes: Uint8Array;
  ends: Uint32Array;
  count: number;
  /**
   * A scenario worker's events as it recorded them (see {@link EventRecords}): until the host
   * writes their lines (electron/host/runs/event-batch.ts, `completeEncodedEvents`), `bytes` and
   * `ends` are empty.
   */
  records?: EventRecords;
  /**
   * Set when `bytes` is a block the host uses again once the batch has been handed over
   * (electron/host/runs/line-blocks.ts): a listener that keeps `bytes` (or a slice of them) past its
   * call takes a hold, and calls what it returns when done with them.
   */
  hold?: () => () => void;
}

/**
 * Events as a scenario worker records them: a few numbers each, for the host to write as lines.
 * Writing the text was most of what observing a run cost the worker, and the host thread runs on
 * another core.
 */
export interface EventRecords {
  /** Each event's kind and fields, one after the other (event-batch.ts says which). */
  numbers: Float64Array;
  /** The strings that `numbers` refer to by their index. */
  strings: string[];
  /** The bytes of the batch's traffic, one chunk after the other. */
  payloads: Uint8Array;
}

/** How many base64 characters `size` bytes take (padded, as `data` carries them). */
export function base64Length(size: number): number {
  return Math.ceil(size / 3) * 4;
}

/** Encodes one event as JSON text: what `JSON.stringify(event)` parses back to, built faster. */
export function encodeEvent(e: EngineEvent): string {
  switch (e.type) {
    case 'handle-started':
    case 'handle-finished':
    case 'handle-cancelled':
    case 'timer-due':
      return `{"type":"${e.type}","time":${time(e.time)},"id":${e.id}}`;
    case 'handle-scheduled':
      return `{"type":"handle-scheduled","time":${time(e.time)},"id":${e.id},"callback":${str(e.callback)},"args":${str(e.args)}}`;
    case 'timer-scheduled':
      return `{"type":"timer-scheduled","time":${time(e.time)},"id":${e.id},"callback":${str(e.callback)},"args":${str(e.args)},"when":${num(e.when)}}`;
    case 'iteration-start':
      return `{"type":"iteration-start","time":${time(e.time)},"iteration":${e.iteration},"ready":${e.ready},"scheduled":${e.scheduled}}`;
    case 'iteration-end':
      return `{"type":"iteration-end","time":${time(e.time)},"iteration":${e.iteration},"ran":${e.ran}}`;
    case 'future-created':
      return `{"type":"future-created","time":${time(e.time)},"id":${e.id},"name":${str(e.name)}}`;
    case 'task-created':
      return `{"type":"task-created","time":${time(e.time)},"id":${e.id},"name":${str(e.name)},"coro":${str(e.coro)}}`;
    case 'task-step':
      return `{"type":"task-step","time":${time(e.time)},"id":${e.id}${e.throws === undefined ? '' : `,"throws":${str(e.throws)}`}}`;
    case 'task-awaiting':
      return `{"type":"task-awaiting","time":${time(e.time)},"id":${e.id},"awaiting":${str(e.awaiting)}${e.awaitingId === undefined ? '' : `,"awaitingId":${e.awaitingId}`}}`;
    case 'future-state':
    case 'task-done':
      return `{"type":"${e.type}","time":${time(e.time)},"id":${e.id},"state":"${e.state}"${e.detail === undefined ? '' : `,"detail":${str(e.detail)}`}${e.failed === undefined ? '' : `,"failed":${e.failed}`}}`;
    case 'transport-data':
      // `data` is base64: nothing in it needs escaping.
      return `{"type":"transport-data","time":${time(e.time)},"transportId":${e.transportId},"kind":"${e.kind}","direction":"${e.direction}","data":"${e.data}","size":${e.size}${e.fd === undefined ? '' : `,"fd":${e.fd}`}${e.addr === undefined ? '' : `,"addr":${str(e.addr)}`}}`;
    case 'transport-received':
      return `{"type":"transport-received","time":${time(e.time)},"transportId":${e.transportId},"size":${e.size}}`;
    case 'transport-write-buffer':
      return `{"type":"transport-write-buffer","time":${time(e.time)},"transportId":${e.transportId},"writeBufferSize":${e.writeBufferSize}}`;
    case 'transport-flow':
      return `{"type":"transport-flow","time":${time(e.time)},"transportId":${e.transportId},"what":"${e.what}","writeBufferSize":${e.writeBufferSize}}`;
    case 'transport-eof':
      return `{"type":"transport-eof","time":${time(e.time)},"transportId":${e.transportId},"direction":"${e.direction}"}`;
    case 'transport-closing':
      return `{"type":"transport-closing","time":${time(e.time)},"transportId":${e.transportId},"abort":${e.abort}}`;
    default:
      // A few per transport or per run (loop-state, exception, transport-opened, ...): the generic way.
      return JSON.stringify(e);
  }
}

/** A number as JSON writes it (non-finite numbers become null, as in JSON.stringify). */
function num(n: number): string {
  return Number.isFinite(n) ? `${n}` : 'null';
}

let lastTime = NaN;
let lastTimeText = '';

/** The time of an event, rendered once per distinct value. */
function time(t: number): string {
  if (t === lastTime) return lastTimeText;
  lastTime = t;
  lastTimeText = microseconds(t) ?? num(t);
  return lastTimeText;
}

const ZEROS = ['', '00000', '0000', '000', '00', '0', ''];

/**
 * Seconds with at most six decimals, written from integers (three times faster than the shortest
 * rendering of a double); undefined when `t` has more digits than that or is out of range. The
 * text parses back to `t` exactly: both are the double nearest to the decimal `us / 1e6`.
 */
function microseconds(t: number): string | undefined {
  const us = Math.round(t * 1e6);
  if (us / 1e6 !== t || us < 0 || us > Number.MAX_SAFE_INTEGER) return undefined;
  const whole = Math.floor(us / 1e6);
  const fraction = us - whole * 1e6;
  if (fraction === 0) return `${whole}`;
  const digits = `${fraction}`;
  return `${whole}.${ZEROS[digits.length]}${digits}`;
}

/** A JSON string literal: quoted as it is when nothing in it needs escaping (the usual case). */
function str(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Control characters, `"`, `\` and surrogates (a lone one must be escaped) take the slow path.
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}
