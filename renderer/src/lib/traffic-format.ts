import { decodeBytes } from '../../../shared/engine/base64';
import { formatBytes } from './format';
import type { TrafficRecord } from './traffic';

/** Base64 to bytes with the browser's native decoder where there is one (several times faster). */
export function fromBase64(data: string): Uint8Array {
  if (typeof atob !== 'function') return decodeBytes(data);
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** How the terminal shows bytes. */
export type TrafficView = 'text' | 'hex';

const ESC = '\x1b[';
const DIM = `${ESC}2m`;
const RESET = `${ESC}0m`;
const OUT = `${ESC}36m`; // cyan
const IN = `${ESC}32m`; // green
const ERR = `${ESC}31m`; // red
const NOTE = `${ESC}2;3m`; // dim italic

const decoder = new TextDecoder('utf-8');

/**
 * Control characters as the Unicode control pictures (␀ … ␟, ␡), so that traffic can never drive
 * the terminal (move the cursor, change colours) and stays visible; tabs stay tabs.
 */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/\r\n/g, '\n').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => (c === '\x7f' ? '\u2421' : String.fromCharCode(0x2400 + c.charCodeAt(0))));
}

/** The record's time, right-aligned: `    0.265`. */
function stamp(time: number): string {
  return time.toFixed(3).padStart(9);
}

const MARK = { out: '→', in: '←' } as const;
const GUTTER = ' '.repeat(12);

/** Bytes as a hex dump: offset (from `base`), 16 bytes in two groups of 8, and their printable ASCII. */
export function hexDump(bytes: Uint8Array, indent = '', base = 0): string[] {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      const b = bytes[offset + i];
      if (i === 8) hex += ' ';
      if (offset + i < bytes.length) {
        hex += `${b.toString(16).padStart(2, '0')} `;
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else hex += '   ';
    }
    lines.push(`${indent}${(base + offset).toString(16).padStart(6, '0')}  ${hex} ${ascii}`);
  }
  return lines;
}

/** The plain text of a record's bytes: UTF-8 (invalid bytes as U+FFFD), control characters visible. */
export function recordText(data: string): string {
  return visible(decoder.decode(fromBase64(data)));
}

/** Where to start showing a chunk's last bytes: `from`, moved to the next line's start when one is near. */
function lineStart(bytes: Uint8Array, from: number): number {
  const newline = bytes.subarray(from, from + 256).indexOf(0x0a);
  return newline < 0 ? from : from + newline + 1;
}

/**
 * A record as terminal lines (`\r\n`-separated, ending with one): time, direction mark (→ sent by
 * this side, ← received) and the pipe or address, then the bytes as text or a hex dump. Continuation
 * lines are indented under the data.
 */
export function formatRecord(record: TrafficRecord, view: TrafficView): string {
  return formatChunk(record, view).text;
}

/**
 * {@link formatRecord}, showing a chunk bigger than `last` bytes from about its last `last` bytes
 * (from a line's start in text, a row's in hex) after a note of how much of it is not shown, which
 * `hidden` counts.
 */
export function formatChunk(record: TrafficRecord, view: TrafficView, last = Infinity): { text: string; hidden: number } {
  if (record.kind === 'note') {
    return { text: `${DIM}${stamp(record.time)}${RESET} ${record.tone === 'error' ? ERR : NOTE}· ${visible(record.text)}${RESET}\r\n`, hidden: 0 };
  }
  const colour = record.direction === 'out' ? OUT : IN;
  const channel = record.channel ? `${colour}${record.channel}${RESET} ` : '';
  const head = `${DIM}${stamp(record.time)}${RESET} ${colour}${MARK[record.direction]}${RESET} ${channel}`;
  let bytes = fromBase64(record.data);
  let hidden = 0;
  if (bytes.length > last) {
    hidden = view === 'hex' ? (bytes.length - last) & ~15 : lineStart(bytes, bytes.length - last);
    bytes = bytes.subarray(hidden);
  }
  const cut = hidden > 0 ? `${DIM}… the first ${formatBytes(hidden)} of these ${formatBytes(record.size)} not shown${RESET}` : '';
  if (view === 'hex') {
    return { text: `${head}${DIM}${record.size} B${RESET}\r\n${cut ? `${GUTTER}${cut}\r\n` : ''}${hexDump(bytes, GUTTER, hidden).join('\r\n')}\r\n`, hidden };
  }
  let text = visible(decoder.decode(bytes));
  if (text.endsWith('\n')) text = text.slice(0, -1);
  return { text: `${head}${cut ? `${cut}\r\n${GUTTER}` : ''}${text.split('\n').join(`\r\n${GUTTER}`)}\r\n`, hidden };
}

/** A notice of the terminal itself (skipped traffic), in the same layout as a note. */
export function formatNotice(text: string): string {
  return `${' '.repeat(9)} ${ESC}33m… ${text}${RESET}\r\n`;
}

/** The rows a notice takes in a terminal this many columns wide. */
export function noticeRows(text: string, columns: number): number {
  return Math.max(1, Math.ceil((12 + text.length) / columns));
}
