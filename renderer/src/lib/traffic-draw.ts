import { formatBytes, formatCount } from './format';
import type { TrafficLog, TrafficRecord } from './traffic';
import { formatChunk, formatNotice, noticeRows, type TrafficView } from './traffic-format';

/** Where a terminal is in a tab's log: the next record to draw, and the data bytes before it. */
export interface DrawCursor {
  seq: number;
  offset: number;
  /**
   * Traffic counted without its bytes whose notice is the terminal's last line: a draw that goes on
   * with more of it rewrites that line with the new total rather than adding one per draw.
   */
  open?: { bytes: number; chunks: number; rows: number };
}

/** Moves up `rows` rows and clears from there down, for a notice written again with a new total. */
const rewriteRows = (rows: number) => `\x1b[${rows}A\r\x1b[0J`;

/** How much one draw takes on. */
export interface DrawLimits {
  /** Traffic formatted per draw, in bytes (a note counts as {@link NOTE_COST}). */
  budget: number;
  /** When more than this waits to be drawn (as costed for the budget), the draw skips ahead to the newest `keep`. */
  keep: number;
  /** Formatted text per piece handed to the terminal, which parses a piece in one go (a record stays in one piece). */
  piece: number;
}

/**
 * What xterm.js costs is lines (each one scrolls the screen and updates its scroll bar), so a draw
 * takes about a hundred lines of a busy stream: more than a screen, ten times a second. A hex line
 * shows 16 bytes.
 */
export const DRAW_LIMITS: Readonly<Record<TrafficView, DrawLimits>> = {
  text: { budget: 12 * 1024, keep: 48 * 1024, piece: 8 * 1024 },
  hex: { budget: 2 * 1024, keep: 8 * 1024, piece: 8 * 1024 },
};

/** What a note costs against a draw's budget: about one line. */
const NOTE_COST = 32;

/** What drawing a record costs: its bytes; a note a line; traffic without its bytes nothing (it joins a notice). */
function costOf(record: TrafficRecord | undefined): number {
  if (!record) return 0;
  if (record.kind === 'note') return NOTE_COST;
  return record.uncaptured ? 0 : record.size;
}

/** One draw: the text to write, where the next draw starts, and what was drawn and passed over. */
export interface Draw {
  /** Formatted text in the log's order, a skip notice where traffic was passed over. */
  pieces: string[];
  cursor: DrawCursor;
  /** Data bytes drawn. */
  drawn: number;
  /** Data bytes passed over (each time with a notice among the pieces). */
  skipped: number;
  /** Whether the budget ran out with records still waiting. */
  full: boolean;
}

/** The start of what a log still keeps. */
export function startOf(log: TrafficLog): DrawCursor {
  return { seq: log.first, offset: log.offsetOf(log.first) };
}

/**
 * The next draw of a tab's log from `from`: at most `budget` bytes, in order. A reader that fell
 * further behind than `keep` bytes skips ahead to the newest `keep` bytes, one that the log outran
 * (its records were forgotten) starts at the oldest kept one, and traffic that came counted without
 * its bytes is summed up, and a chunk bigger than the budget shows its last part; each time a notice
 * says how much was not shown, where it was, so nothing goes missing silently. `columns` is the
 * terminal's width, for the rows of a notice that a later draw rewrites.
 */
export function planDraw(log: TrafficLog, from: DrawCursor, view: TrafficView, limits: DrawLimits = DRAW_LIMITS[view], columns = 80): Draw {
  const pieces: string[] = [];
  let piece = '';
  let open: DrawCursor['open'];
  let carried = from.open;
  const emit = (text: string): void => {
    open = undefined;
    carried = undefined;
    piece += text;
    if (piece.length >= limits.piece) {
      pieces.push(piece);
      piece = '';
    }
  };
  let { seq, offset } = from;
  let skipped = 0;
  if (seq < log.first) {
    const kept = log.offsetOf(log.first);
    skipped += kept - offset;
    emit(formatNotice(`${formatBytes(kept - offset)} in ${formatCount(log.first - seq)} records not shown: gone from the kept traffic before they were drawn`));
    seq = log.first;
    offset = kept;
  }
  // Far behind: keep the newest `keep` bytes worth drawing (traffic without its bytes costs nothing).
  let target = log.end;
  for (let weight = 0; target > seq && weight < limits.keep; ) weight += costOf(log.get(--target));
  if (target > seq) {
    let chunks = 0;
    let notes = 0;
    let countOnly = 0;
    for (; seq < target; seq++) {
      const record = log.get(seq);
      if (record?.kind !== 'data') notes++;
      else {
        chunks++;
        if (record.uncaptured) countOnly += record.size;
      }
    }
    const bytes = log.offsetOf(target) - offset;
    skipped += bytes;
    const what = `${formatBytes(bytes)} in ${formatCount(chunks)} chunks${notes > 0 ? ` and ${formatCount(notes)} notes` : ''}`;
    emit(formatNotice(`${what} not shown: skipped ahead to keep up${countOnly > 0 ? ` (${formatBytes(countOnly)} of it came counted only)` : ''}`));
    offset += bytes;
  }
  let drawn = 0;
  let cost = 0;
  // Records counted without their bytes, in a row: one notice for them all, where they were (the
  // last line's, when it is that notice and this draw goes on with more of the same).
  let uncaptured = 0;
  let uncapturedChunks = 0;
  let rewrite = '';
  let counted = 0;
  const noteUncaptured = (): void => {
    if (uncapturedChunks === 0) return;
    const text = `${formatBytes(uncaptured)} in ${formatCount(uncapturedChunks)} chunks counted only: their bytes did not come to this window`;
    emit(`${rewrite}${formatNotice(text)}`);
    open = { bytes: uncaptured, chunks: uncapturedChunks, rows: noticeRows(text, columns) };
    skipped += uncaptured - counted;
    uncaptured = 0;
    uncapturedChunks = 0;
    rewrite = '';
    counted = 0;
  };
  while (seq < log.end && cost < limits.budget) {
    const record = log.get(seq++);
    if (!record) continue;
    if (record.kind === 'data' && record.uncaptured) {
      if (carried && uncapturedChunks === 0) {
        ({ bytes: uncaptured, chunks: uncapturedChunks } = carried);
        counted = carried.bytes;
        rewrite = rewriteRows(carried.rows);
      }
      carried = undefined;
      uncaptured += record.size;
      uncapturedChunks++;
      offset += record.size;
      continue;
    }
    noteUncaptured();
    // A chunk bigger than what is left of the budget shows its last bytes (at least a quarter budget's).
    const chunk = formatChunk(record, view, Math.max(limits.budget - cost, limits.budget / 4));
    emit(chunk.text);
    const size = record.kind === 'data' ? record.size : 0;
    drawn += size - chunk.hidden;
    skipped += chunk.hidden;
    offset += size;
    cost += costOf(record) - chunk.hidden;
  }
  noteUncaptured();
  if (piece !== '') pieces.push(piece);
  // Nothing written: the terminal's last line is what it was.
  if (pieces.length === 0) open = from.open;
  return { pieces, cursor: { seq, offset, ...(open ? { open } : {}) }, drawn, skipped, full: seq < log.end };
}
